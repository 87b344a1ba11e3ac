/** 配送单: a provider's delivery tariffs (同城配送) and the deliveries booked with them — accept, pick up, deliver. */
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Table, Typography } from "antd";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT, type MessageKey } from "../../i18n";
import { Money } from "../../widgets/Money";
import { DeliveriesTable } from "./deliveries-kit";
import type { Delivery, Tariff } from "./lib";

type TariffForm = { name: string; base: number; perKm: number; perKg: number; area: string };

export function TariffsTable({ rows, loading }: { rows: Tariff[]; loading: boolean }) {
  const t = useT();
  return (
    <Table<Tariff>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: t("delivery.noTariffs") }}
      scroll={{ x: "max-content" }}
      columns={[
        { title: t("delivery.name"), dataIndex: "name" },
        { title: t("services.provider"), dataIndex: "providerName" },
        { title: t("delivery.base"), render: (_, r) => <Money fen={r.baseFen} /> },
        { title: t("delivery.perKm"), render: (_, r) => <Money fen={r.perKmFen} /> },
        { title: t("delivery.perKg"), render: (_, r) => <Money fen={r.perKgFen} /> },
        { title: t("delivery.areaCodes"), render: (_, r) => r.areaCodes.join(", ") },
      ]}
    />
  );
}

export default function ProviderDeliveries() {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<TariffForm>();
  const tariffs = useApi(
    () =>
      answer<{ tariffs: Tariff[] }>(
        api.GET("/api/v1/services/delivery-tariffs", { params: { query: { mine: "true" } } }),
      ),
    [],
  );
  const list = useApi(() => answer<{ deliveries: Delivery[] }>(api.GET("/api/v1/services/deliveries")), []);
  const add = async (v: TariffForm) => {
    try {
      await answer(
        api.POST("/api/v1/services/delivery-tariffs", {
          body: {
            name: v.name,
            baseFen: Math.round(v.base * 100),
            perKmFen: Math.round(v.perKm * 100),
            perKgFen: Math.round(v.perKg * 100),
            areaCodes: v.area.split(/[\s,，]+/).filter(Boolean),
          },
        }),
      );
      void message.success(t("delivery.tariffAdded"));
      form.resetFields();
      tariffs.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  const move = async (d: Delivery, to: Delivery["status"]) => {
    try {
      await answer(
        api.POST("/api/v1/services/deliveries/{id}/status", { params: { path: { id: d.id } }, body: { to } }),
      );
      void message.success(t("delivery.moved"));
      list.reload();
    } catch (e) {
      void message.error(errorText(t, e));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="provider-deliveries">
      {(tariffs.error || list.error) && (
        <Alert type="error" showIcon title={errorText(t, tariffs.error ?? list.error)} />
      )}
      <Card size="small" title={t("delivery.tariffs")}>
        <Can perm="service_offering:create">
          <Form form={form} layout="inline" name="tariff" onFinish={(v) => void add(v)} style={{ marginBottom: 12 }}>
            <Form.Item name="name" label={t("delivery.name")} rules={[{ required: true, min: 2 }]}>
              <Input style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="base" label={t("delivery.base")} rules={[{ required: true }]}>
              <InputNumber min={0} precision={2} />
            </Form.Item>
            <Form.Item name="perKm" label={t("delivery.perKm")} rules={[{ required: true }]}>
              <InputNumber min={0} precision={2} />
            </Form.Item>
            <Form.Item name="perKg" label={t("delivery.perKg")} rules={[{ required: true }]}>
              <InputNumber min={0} precision={2} />
            </Form.Item>
            <Form.Item name="area" label={t("delivery.area")} rules={[{ required: true }]}>
              <Input style={{ width: 200 }} placeholder="330100, 330200" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("delivery.addTariff")}
            </Button>
          </Form>
        </Can>
        <Typography.Paragraph type="secondary">{t("delivery.formula")}</Typography.Paragraph>
        <TariffsTable rows={tariffs.data?.tariffs ?? []} loading={tariffs.loading} />
      </Card>
      <Card size="small" title={t("delivery.list")}>
        <DeliveriesTable
          testId="provider-deliveries-table"
          rows={list.data?.deliveries ?? []}
          loading={list.loading}
          action={(d) => (
            <Can perm="service_delivery:edit">
              <Flex gap={4}>
                {d.next.map((to) => (
                  <Button key={to} size="small" danger={to === "cancelled"} onClick={() => void move(d, to)}>
                    {t(`delivery.move.${to}` as MessageKey)}
                  </Button>
                ))}
              </Flex>
            </Can>
          )}
        />
      </Card>
    </Flex>
  );
}
