/** 预约配送: a distributor or shop books a provider's delivery for one warehouse's shipment of its order. */
import { Alert, App, Button, Card, Flex, Form, Grid, InputNumber, Select, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, useSession } from "../../app/session";
import { useT, type MessageKey } from "../../i18n";
import { DeliveriesTable } from "./deliveries-kit";
import { inArea, newKey, type Delivery, type Tariff } from "./lib";
import { TariffsTable } from "./ProviderDeliveries";

type BookForm = { tariffId: string; shipment: string; weightKg: number };
type Shipment = Answer<"/api/v1/services/deliveries/shipments", "get">["shipments"][number];
const shipmentKey = (s: Pick<Shipment, "orderId" | "locationId">) => `${s.orderId}|${s.locationId}`;
/** Whether a tariff's area holds both ends of a shipment (the API refuses others); any tariff before one is chosen. */
const serves = (x: Tariff, s: Shipment | undefined) =>
  !s || (inArea(x.areaCodes, s.regionCode) && inArea(x.areaCodes, s.buyerRegion));

export default function BookDelivery() {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<BookForm>();
  const [key, setKey] = useState(() => newKey("deliver"));
  // A phone stacks the form's fields, each as wide as the screen; wider screens keep them on one line.
  // (Its lists are as wide as the field there too: wider, a long option ran off the screen's left edge.)
  const narrow = !Grid.useBreakpoint().md;
  const session = useSession();
  const tariffs = useApi(() => answer<{ tariffs: Tariff[] }>(api.GET("/api/v1/services/delivery-tariffs")), []);
  const list = useApi(() => answer<{ deliveries: Delivery[] }>(api.GET("/api/v1/services/deliveries")), []);
  // What I may book for: my orders' shipments still to leave, without a live delivery.
  const shipments = useApi(
    () => answer<{ shipments: Shipment[] }>(api.GET("/api/v1/services/deliveries/shipments")),
    [],
  );
  const chosenKey = Form.useWatch("shipment", form);
  const chosen = shipments.data?.shipments.find((x) => shipmentKey(x) === chosenKey);
  const book = async (v: BookForm) => {
    const s = shipments.data?.shipments.find((x) => shipmentKey(x) === v.shipment);
    if (!s) return;
    try {
      await answer(
        api.POST("/api/v1/services/delivery-tariffs/{id}/deliveries", {
          params: { path: { id: v.tariffId }, header: { "Idempotency-Key": key } },
          body: { orderId: s.orderId, locationId: s.locationId, weightG: Math.round(v.weightKg * 1000) },
        }),
      );
      void message.success(t("delivery.booked"));
      form.resetFields();
      setKey(newKey("deliver"));
      list.reload();
      shipments.reload();
    } catch (e) {
      void message.error(errorText(t, e));
      shipments.reload(); // booked meanwhile by the other side, or no longer to leave
    }
  };
  const cancel = async (d: Delivery) => {
    try {
      await answer(
        api.POST("/api/v1/services/deliveries/{id}/status", {
          params: { path: { id: d.id } },
          body: { to: "cancelled" },
        }),
      );
      void message.success(t("delivery.moved"));
      list.reload();
      shipments.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="book-delivery">
      {(tariffs.error || list.error || shipments.error) && (
        <Alert type="error" showIcon title={errorText(t, tariffs.error ?? list.error ?? shipments.error)} />
      )}
      <Card size="small" title={t("delivery.tariffs")}>
        <Typography.Paragraph type="secondary">{t("delivery.formula")}</Typography.Paragraph>
        <TariffsTable rows={tariffs.data?.tariffs ?? []} loading={tariffs.loading} />
      </Card>
      <Can perm="service_delivery:create">
        <Card size="small" title={t("delivery.book")}>
          <Form form={form} layout={narrow ? "vertical" : "inline"} name="book" onFinish={(v) => void book(v)}>
            <Form.Item name="shipment" label={t("delivery.shipment")} rules={[{ required: true }]}>
              <Select
                style={{ width: narrow ? "100%" : 420 }}
                popupMatchSelectWidth={narrow}
                showSearch
                optionFilterProp="label"
                loading={shipments.loading}
                notFoundContent={t("delivery.noShipments")}
                onChange={(k: string) => {
                  // A tariff picked before that does not serve the new shipment is cleared, not booked and refused.
                  const s = shipments.data?.shipments.find((x) => shipmentKey(x) === k);
                  const tariff = tariffs.data?.tariffs.find((x) => x.id === form.getFieldValue("tariffId"));
                  if (tariff && !serves(tariff, s)) form.setFieldValue("tariffId", undefined);
                }}
                options={(shipments.data?.shipments ?? []).map((x) => ({
                  value: shipmentKey(x),
                  label: t("delivery.shipmentLabel", {
                    order: x.orderId,
                    warehouse: `${x.sellerName} ${x.locationName}`,
                    buyer: x.buyerName,
                    units: x.units,
                    km: (x.distanceM / 1000).toFixed(1),
                    status: t(`order.status.${x.orderStatus}` as MessageKey),
                  }),
                }))}
              />
            </Form.Item>
            <Form.Item name="tariffId" label={t("delivery.tariff")} rules={[{ required: true }]}>
              <Select
                style={{ width: narrow ? "100%" : 200 }}
                popupMatchSelectWidth={narrow}
                placeholder={chosen ? undefined : t("delivery.pickShipmentFirst")}
                options={(tariffs.data?.tariffs ?? []).map((x) => ({
                  value: x.id,
                  label: `${x.name} · ${x.providerName}${serves(x, chosen) ? "" : ` · ${t("delivery.outOfArea")}`}`,
                  disabled: !serves(x, chosen),
                }))}
              />
            </Form.Item>
            <Form.Item name="weightKg" label={t("delivery.weightKg")} rules={[{ required: true }]}>
              <InputNumber min={0.001} max={50_000} precision={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("delivery.book")}
            </Button>
          </Form>
        </Card>
      </Can>
      <Card size="small" title={t("delivery.myDeliveries")}>
        <DeliveriesTable
          testId="my-deliveries-table"
          rows={list.data?.deliveries ?? []}
          loading={list.loading}
          action={(d) =>
            // the party that booked it cancels it; the order's other party sees it booked
            d.next.includes("cancelled") && d.customerId === session.current?.me.companyId ? (
              <Can perm="service_delivery:edit">
                <Button size="small" danger onClick={() => void cancel(d)}>
                  {t("delivery.move.cancelled")}
                </Button>
              </Can>
            ) : null
          }
        />
      </Card>
    </Flex>
  );
}
