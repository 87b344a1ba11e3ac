/**
 * Price comparison within 3 km of the shop (GET /catalog/skus/{id}/offers, the shop's own site, cheapest first) and
 * ordering one offer: a confirmation with quantity and urgency, then POST /api/v1/orders with one Idempotency-Key per
 * confirmation (a double tap or a retry after a lost answer places one order), pinned to the offer's warehouse.
 */
import { Alert, Button, Card, Flex, InputNumber, Modal, Result, Skeleton, Switch, Tag, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT, type Translate } from "../../i18n";
import { Money } from "../../widgets/Money";
import { distanceText, newKey } from "./lib";
import { ToneTag } from "./Tone";

type OffersAnswer = Answer<"/api/v1/catalog/skus/{id}/offers", "get">;
export type Offer = OffersAnswer["offers"][number];
type Order = Answer<"/api/v1/orders/{id}", "get">;

export function Offers({ skuId }: { skuId: number }) {
  const t = useT();
  const [chosen, setChosen] = useState<Offer | null>(null);
  // The ten cheapest first; "more" asks again for up to the API's 50 (it has no offset).
  const [limit, setLimit] = useState(10);
  const offers = useApi(
    () =>
      answer<OffersAnswer>(
        api.GET("/api/v1/catalog/skus/{id}/offers", {
          params: { path: { id: skuId }, query: { radiusKm: 3, sort: "price", limit } },
        }),
      ),
    [skuId, limit],
  );
  if (offers.loading && !offers.data) return <Skeleton active />;
  if (offers.error || !offers.data)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, offers.error)}
        action={<Button onClick={offers.reload}>{t("app.retry")}</Button>}
      />
    );
  const list = offers.data.offers;
  const cheapest = list
    .filter((o) => o.orderable)
    .reduce<Offer | null>((a, o) => (!a || o.priceFen < a.priceFen ? o : a), null);
  return (
    <Flex vertical gap={8} data-testid="shop-offers">
      <Typography.Text type="secondary">
        {list.length < offers.data.found
          ? t("shop.offers.withinShown", { km: offers.data.radiusKm, n: list.length, total: offers.data.found })
          : t("shop.offers.within", { km: offers.data.radiusKm, n: list.length })}
      </Typography.Text>
      {list.length === 0 && <Alert type="info" showIcon title={t("shop.offers.none")} />}
      {list.map((o) => (
        <Card
          key={`${o.supplier.locationId}-${o.sku.id}`}
          size="small"
          data-testid="shop-offer"
          data-cheapest={o === cheapest ? "true" : undefined}
          style={o === cheapest ? { borderColor: "#1a7f37" } : undefined}
        >
          <Flex justify="space-between" align="start" gap={8} wrap>
            <Flex vertical gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong>
                <Money fen={o.priceFen} />{" "}
                {o === cheapest && <ToneTag tone="green">{t("shop.offers.cheapest")}</ToneTag>}
                {o.customerPrice && <ToneTag tone="blue">{t("shop.offers.customerPrice")}</ToneTag>}
              </Typography.Text>
              <Typography.Text>
                {o.supplier.name} · {o.supplier.location}
              </Typography.Text>
              {!o.sku.requested && (
                <Typography.Text type="secondary">
                  {t("shop.offers.interchangeable", { brand: o.sku.brandName, partNo: o.sku.partNo })}
                </Typography.Text>
              )}
              <Typography.Text type="secondary">{offerWords(t, o)}</Typography.Text>
              <Typography.Text type="secondary">{provenanceWords(t, o)}</Typography.Text>
            </Flex>
            <Can perm="order:create">
              {o.orderable ? (
                <Button
                  type={o === cheapest ? "primary" : "default"}
                  size="large"
                  onClick={() => setChosen(o)}
                  data-testid="shop-order-offer"
                >
                  {t("shop.offers.order")}
                </Button>
              ) : (
                <Tag>{t("shop.offers.notOrderable")}</Tag>
              )}
            </Can>
          </Flex>
        </Card>
      ))}
      {list.length < offers.data.found && limit < 50 && (
        <Button
          loading={offers.loading}
          onClick={() => setLimit(Math.min(50, limit + 10))}
          data-testid="shop-offers-more"
        >
          {t("shop.offers.more", { n: offers.data.found - list.length })}
        </Button>
      )}
      {chosen && <OrderDialog offer={chosen} onClose={() => setChosen(null)} />}
    </Flex>
  );
}

function offerWords(t: Translate, o: Offer): string {
  return t("shop.offers.facts", {
    distance: distanceText(o.distanceMetres, t("shop.unit.m"), t("shop.unit.km")),
    minutes: o.deliveryMinutes,
    stock: o.stock,
  });
}

function provenanceWords(t: Translate, o: Offer): string {
  const p = o.provenance;
  if (p.score === null || p.scanned === 0) return t("shop.offers.provenance.none");
  return t("shop.offers.provenance", { pct: Math.round(p.score * 100), genuine: p.genuine, scanned: p.scanned });
}

function OrderDialog({ offer, onClose }: { offer: Offer; onClose(): void }) {
  const t = useT();
  const navigate = useNavigate();
  const [quantity, setQuantity] = useState(1);
  const [urgent, setUrgent] = useState(false);
  // One key per confirmation dialog: a retried confirm is the same order (the server answers it again).
  const [key] = useState(() => newKey("shop-order"));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [placed, setPlaced] = useState<Order | null>(null);
  const place = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const order = await answer<Order>(
        api.POST("/api/v1/orders", {
          params: { header: { "Idempotency-Key": key } },
          body: {
            lines: [{ skuId: offer.sku.id, quantity, locationId: offer.supplier.locationId }],
            urgent,
            policy: "all_or_nothing",
          },
        }),
      );
      setPlaced(order);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (placed)
    return (
      <Modal open onCancel={onClose} footer={null} title={t("shop.order.placedTitle")} destroyOnHidden>
        <Result
          status="success"
          title={t("shop.order.placed")}
          subTitle={
            <span data-testid="shop-order-placed" data-order={placed.id}>
              {t("shop.order.placedDetail", { id: placed.id })} <Money fen={placed.totalFen} />
            </span>
          }
          extra={
            <Button type="primary" onClick={() => void navigate(`/shop/orders/${placed.id}`)}>
              {t("shop.order.track")}
            </Button>
          }
        />
      </Modal>
    );
  return (
    <Modal
      open
      title={t("shop.order.confirmTitle")}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Button
          type="primary"
          size="large"
          block
          loading={busy}
          onClick={() => void place()}
          data-testid="shop-order-confirm"
        >
          {t("shop.order.confirm")}
        </Button>
      }
    >
      <Flex vertical gap={10}>
        <Typography.Text strong>
          {offer.sku.brandName} · {offer.sku.name}
        </Typography.Text>
        <Typography.Text>
          {offer.supplier.name} · {offer.supplier.location}
        </Typography.Text>
        <Typography.Text>
          {t("shop.order.unitPrice")} <Money fen={offer.priceFen} /> · {offerWords(t, offer)}
        </Typography.Text>
        <Flex align="center" gap={8}>
          <label htmlFor="shop-order-qty">{t("shop.order.quantity")}</label>
          <InputNumber
            id="shop-order-qty"
            min={1}
            max={offer.stock}
            value={quantity}
            onChange={(v) => setQuantity(v ?? 1)}
            size="large"
          />
        </Flex>
        <Flex align="center" gap={8}>
          <Switch checked={urgent} onChange={setUrgent} aria-label={t("shop.order.urgent")} id="shop-order-urgent" />
          <label htmlFor="shop-order-urgent">{t("shop.order.urgent")}</label>
        </Flex>
        <Typography.Text>
          {t("shop.order.total")} <Money fen={offer.priceFen * quantity} />
        </Typography.Text>
        {error !== undefined && <Alert type="error" showIcon title={errorText(t, error)} />}
      </Flex>
    </Modal>
  );
}
