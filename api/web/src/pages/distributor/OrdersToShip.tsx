import { Alert, App, Button, Form, Input, List, Modal, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";
import { ScanInput } from "../../widgets/ScanInput";
import { partRef, type PartRef } from "./codes";
import type { HeldSerials, OrderDetail, OrderList, OrderSummary } from "./types";

const OPEN = new Set(["allocated", "partially_fulfilled", "picking"]);

/**
 * Orders where my company is a seller (GET /orders), to pick and ship: picking, then shipping with the serials in
 * the parcel — scanned, or chosen from the parts I hold of the ordered SKU (POST /orders/{id}/status).
 */
export default function OrdersToShip() {
  const t = useT();
  const { me } = useCurrent();
  const { message } = App.useApp();
  const orders = useApi(() => answer<OrderList>(api.GET("/api/v1/orders")), []);
  const [shipping, setShipping] = useState<string>();
  const mine = (orders.data?.orders ?? []).filter((o) => o.buyerId !== me.companyId && OPEN.has(o.status));
  const pick = async (id: string) => {
    try {
      await api.POST("/api/v1/orders/{id}/status", { params: { path: { id } }, body: { to: "picking" } } as never);
      orders.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      {orders.error && <Alert type="error" showIcon title={errorText(t, orders.error)} />}
      <Table<OrderSummary>
        rowKey="id"
        size="small"
        loading={orders.loading}
        dataSource={mine}
        locale={{ emptyText: t("ship.empty") }}
        scroll={{ x: true }}
        columns={[
          {
            title: t("ship.order"),
            dataIndex: "id",
            render: (id: string) => <Typography.Text code>{id}</Typography.Text>,
          },
          {
            title: t("ship.status"),
            dataIndex: "status",
            render: (s: string, o) => (
              <Space size={4}>
                <Tag color={s === "picking" ? "#003eb3" : "#874d00"}>
                  {t(`order.status.${s}` as "order.status.placed")}
                </Tag>
                {o.urgent && <Tag color="#820014">!</Tag>}
              </Space>
            ),
          },
          { title: t("ship.total"), dataIndex: "totalFen", align: "right", render: (f: number) => <Money fen={f} /> },
          { title: t("ship.placedAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: "",
            key: "act",
            render: (_, o) => (
              <Can perm="order:edit">
                {o.status === "picking" ? (
                  <Button type="primary" size="small" onClick={() => setShipping(o.id)}>
                    {t("ship.ship")}
                  </Button>
                ) : (
                  <Button size="small" onClick={() => pick(o.id)}>
                    {t("ship.pick")}
                  </Button>
                )}
              </Can>
            ),
          },
        ]}
      />
      {shipping && (
        <ShipOrder
          id={shipping}
          onClose={() => setShipping(undefined)}
          onShipped={() => {
            setShipping(undefined);
            message.success(t("ship.done"));
            orders.reload();
          }}
        />
      )}
    </Space>
  );
}

function ShipOrder({ id, onClose, onShipped }: { id: string; onClose(): void; onShipped(): void }) {
  const t = useT();
  const { me } = useCurrent();
  const order = useApi(
    () => answer<OrderDetail>(api.GET("/api/v1/orders/{id}", { params: { path: { id } } } as never)),
    [id],
  );
  const [parts, setParts] = useState<PartRef[]>([]);
  const [carrier, setCarrier] = useState("");
  const [trackingNo, setTrackingNo] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** What I must ship per SKU: my allocations on each line. */
  const need = (order.data?.lines ?? []).map((l) => ({
    skuId: l.skuId,
    quantity: l.allocations.filter((a) => a.sellerId === me.companyId).reduce((n, a) => n + a.quantity, 0),
  }));
  const total = need.reduce((n, l) => n + l.quantity, 0);
  /**
   * The SKUs I hold serialised parts of: those ship with one serial per unit. Stock without serials on the ledger
   * (most aftermarket SKUs) ships by quantity, with no serials to pick.
   */
  const serialised = useApi(async () => {
    const skus = new Set<number>();
    for (const l of need.filter((x) => x.quantity > 0)) {
      const held = await answer<HeldSerials>(
        api.GET("/api/v1/inventory/serials", { params: { query: { skuId: l.skuId, limit: 1 } } } as never),
      );
      if (held.serials.length) skus.add(l.skuId);
    }
    return skus;
  }, [order.data]);
  const required = need.filter((l) => serialised.data?.has(l.skuId)).reduce((n, l) => n + l.quantity, 0);
  const add = (more: PartRef[]) =>
    setParts((have) => {
      const seen = new Set(have.map((p) => `${p.gtin}/${p.serial}`));
      return [...have, ...more.filter((p) => !seen.has(`${p.gtin}/${p.serial}`))];
    });
  /** Picks held serials of each SKU I must ship; says which SKU falls short (or that nothing is mine to ship). */
  const autoPick = async () => {
    setError(undefined);
    const mine = need.filter((x) => x.quantity > 0);
    if (mine.length === 0) return setError(t("ship.nothingMine"));
    try {
      const short: string[] = [];
      for (const l of mine) {
        const held = await answer<HeldSerials>(
          api.GET("/api/v1/inventory/serials", { params: { query: { skuId: l.skuId, limit: l.quantity } } } as never),
        );
        const got = held.serials.slice(0, l.quantity);
        if (got.length < l.quantity) short.push(t("ship.short", { sku: l.skuId, n: got.length, need: l.quantity }));
        add(got.map(({ gtin, serial }) => ({ gtin, serial })));
      }
      if (short.length) setError(short.join("；"));
      else document.getElementById("ship-carrier")?.focus(); // the next thing to fill
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.POST("/api/v1/orders/{id}/status", {
        params: { path: { id } },
        body: {
          to: "shipped",
          ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
          ...(trackingNo.trim() ? { trackingNo: trackingNo.trim() } : {}),
          ...(parts.length ? { parts } : {}),
        },
      } as never);
      onShipped();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("ship.title", { id })}
      onCancel={onClose}
      onOk={submit}
      okText={t("ship.submit", { n: parts.length })}
      okButtonProps={{ disabled: order.loading || serialised.loading || total === 0 || parts.length !== required }}
      confirmLoading={busy}
    >
      <Form layout="vertical">
        <Typography.Paragraph data-testid="ship-need">
          {total === 0 && !order.loading
            ? t("ship.nothingMine")
            : t("ship.needed", {
                lines: need
                  .filter((l) => l.quantity > 0)
                  .map((l) => t("ship.neededLine", { sku: l.skuId, n: l.quantity }))
                  .join("、"),
                n: parts.length,
                total: required,
              })}
        </Typography.Paragraph>
        <Form.Item label={t("ship.serials")} extra={t("ship.need", { n: total })}>
          <Space orientation="vertical" style={{ width: "100%" }}>
            <ScanInput
              label={t("ship.serials")}
              autoFocus={false}
              onScan={(code) => {
                const p = partRef(code);
                if (p) add([p]);
                else setError(t("carton.badPart", { code }));
              }}
            />
            <Can perm="inventory:view">
              <Button onClick={autoPick} disabled={order.loading}>
                {t("ship.autoPick")}
              </Button>
            </Can>
          </Space>
        </Form.Item>
        <List
          size="small"
          bordered
          dataSource={parts}
          style={{ maxHeight: 160, overflow: "auto", marginBottom: 16 }}
          renderItem={(p) => (
            <List.Item>
              <Typography.Text code>
                {p.gtin} · {p.serial}
              </Typography.Text>
            </List.Item>
          )}
          data-testid="ship-parts"
        />
        <Form.Item label={t("ship.carrier")} htmlFor="ship-carrier">
          <Input id="ship-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} />
        </Form.Item>
        <Form.Item label={t("ship.trackingNo")} htmlFor="ship-tracking">
          <Input id="ship-tracking" value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
