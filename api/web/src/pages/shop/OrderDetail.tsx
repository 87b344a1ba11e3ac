/**
 * One order's tracking (GET /api/v1/orders/{id}): status, carrier and tracking number, lines with the warehouses they
 * come from, the status history, and — once shipped with serials — receiving the delivery: scan the parts' codes to
 * tick them off against the packing list, then confirm: POST /orders/{id}/status {to: delivered}, which records the
 * receiving of the order's serials on the ledger in the same step (a separate POST /receipts would receive them twice).
 */
import { Alert, Button, Card, Descriptions, Flex, Skeleton, Timeline, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useParams } from "react-router";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { ScanInput } from "../../widgets/ScanInput";
import { distanceText, partOfOrder } from "./lib";
import { OrderStatusTag } from "./OrderStatusTag";
import { TONES, ToneTag } from "./Tone";
import { SkuLabel } from "../../widgets/SkuLabel";

type Order = Answer<"/api/v1/orders/{id}", "get">;

export default function OrderDetail() {
  const t = useT();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const order = useApi(() => answer<Order>(api.GET("/api/v1/orders/{id}", { params: { path: { id } } })), [id]);
  if (order.loading && !order.data) return <Skeleton active />;
  if (order.error || !order.data)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, order.error)}
        action={<Button onClick={order.reload}>{t("app.retry")}</Button>}
      />
    );
  const o = order.data;
  return (
    <Flex vertical gap={12} data-testid="shop-order" data-status={o.status}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t("shop.order.id")}>{o.id}</Descriptions.Item>
        <Descriptions.Item label={t("shop.order.status")}>
          <OrderStatusTag status={o.status} /> {o.urgent && <ToneTag tone="red">{t("shop.order.urgentTag")}</ToneTag>}
        </Descriptions.Item>
        <Descriptions.Item label={t("shop.order.total")}>
          <Money fen={o.totalFen} />
        </Descriptions.Item>
        <Descriptions.Item label={t("shop.order.carrier")}>
          {o.carrier ? `${o.carrier} ${o.trackingNo ?? ""}` : t("shop.order.notShipped")}
        </Descriptions.Item>
        <Descriptions.Item label={t("shop.order.placedAt")}>
          <DateTime at={o.createdAt} />
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t("shop.order.lines")}>
        {o.lines.map((l) => (
          <Flex key={l.lineNo} vertical gap={2}>
            <Flex justify="space-between" align="center" gap={8} wrap>
              <Typography.Text>
                <SkuLabel id={l.skuId} />
                {t("shop.order.line", { quantity: l.quantity, allocated: l.allocated })}
              </Typography.Text>
              {(o.status === "delivered" || o.status === "completed") && l.allocated > 0 ? (
                <Can perm="return:create">
                  <Button
                    size="small"
                    data-testid={`return-line-${l.lineNo}`}
                    onClick={() =>
                      void navigate(
                        `/returns?order=${encodeURIComponent(o.id)}&line=${l.lineNo}&quantity=${l.allocated}`,
                      )
                    }
                  >
                    {t("as.request")}
                  </Button>
                </Can>
              ) : null}
            </Flex>
            {l.allocations.map((a) => (
              <Typography.Text key={a.locationId} type="secondary">
                {t("shop.order.allocation", {
                  quantity: a.quantity,
                  distance: distanceText(a.distanceM, t("shop.unit.m"), t("shop.unit.km")),
                })}{" "}
                <Money fen={a.priceFen} />
              </Typography.Text>
            ))}
          </Flex>
        ))}
      </Card>
      <Card size="small" title={t("shop.order.history")}>
        <Timeline
          data-testid="shop-order-history"
          items={o.history.map((h) => ({
            content: (
              <span>
                <OrderStatusTag status={h.to} /> <DateTime at={h.at} seconds />
              </span>
            ),
          }))}
        />
      </Card>
      {o.status === "shipped" && o.parts.length > 0 && (
        <Can perm="order:edit">
          <Receive order={o} onDone={order.reload} />
        </Can>
      )}
      {o.parts.length > 0 && o.status !== "shipped" && (
        <Typography.Text type="secondary">{t("shop.receive.serials", { n: o.parts.length })}</Typography.Text>
      )}
    </Flex>
  );
}

function Receive({ order, onDone }: { order: Order; onDone(): void }) {
  const t = useT();
  const [scanned, setScanned] = useState<Set<string>>(new Set());
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const id = (p: { gtin: string; serial: string }) => `${p.gtin}/${p.serial}`;
  const onScan = (code: string) => {
    const hit = partOfOrder(order.parts, code);
    if (!hit) return setNote(t("shop.receive.notInOrder", { code }));
    setNote(undefined);
    setScanned((s) => new Set(s).add(id(hit)));
  };
  // Every part of the packing list is scanned before the delivery is confirmed (DECISIONS 68: the scan is the check).
  const all = order.parts.every((p) => scanned.has(id(p)));
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.POST("/api/v1/orders/{id}/status", { params: { path: { id: order.id } }, body: { to: "delivered" } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t("shop.receive.title")} data-testid="shop-receive">
      <Flex vertical gap={8}>
        <Typography.Text>{t("shop.receive.hint")}</Typography.Text>
        <ScanInput
          onScan={onScan}
          label={t("shop.receive.scan")}
          placeholder={t("shop.receive.scan")}
          autoFocus={false}
        />
        {note && <Alert type="warning" showIcon title={note} />}
        <Flex vertical gap={2}>
          {order.parts.map((p) => (
            <Typography.Text key={id(p)} style={scanned.has(id(p)) ? { color: TONES.green } : undefined}>
              {scanned.has(id(p)) ? "✓ " : "· "}
              <Typography.Text code>{p.serial}</Typography.Text> ({p.gtin})
            </Typography.Text>
          ))}
        </Flex>
        {error !== undefined && <Alert type="error" showIcon title={errorText(t, error)} />}
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          disabled={!all}
          onClick={() => void confirm()}
          data-testid="shop-receive-confirm"
        >
          {all
            ? t("shop.receive.confirmAll", { n: order.parts.length })
            : t("shop.receive.confirmScanned", { n: scanned.size, of: order.parts.length })}
        </Button>
      </Flex>
    </Card>
  );
}
