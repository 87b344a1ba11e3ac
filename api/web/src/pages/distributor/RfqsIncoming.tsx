/** Requests for quotes near me (GET /api/v1/rfqs/incoming) and quoting one: a unit price per line, a warehouse. */
import { Alert, App, Button, Card, Empty, Flex, Form, InputNumber, Select, Skeleton, Tag } from "antd";
import { useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

type Incoming = Answer<"/api/v1/rfqs/incoming", "get">;
type Rfq = Answer<"/api/v1/rfqs/{id}", "get">;
type Locations = Array<{ id: string; name: string }>;

function QuoteForm({ id, locations, onDone }: { id: string; locations: Locations; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const rfq = useApi(() => answer<Rfq>(api.GET("/api/v1/rfqs/{id}", { params: { path: { id } } })), [id]);
  if (rfq.loading) return <Skeleton active />;
  if (rfq.error || !rfq.data) return <Alert type="error" showIcon title={errorText(t, rfq.error)} />;
  const r = rfq.data;
  if (r.quoteList.length) return <Tag color="blue">{t("rfq.quotedAlready")}</Tag>;
  const send = async (v: Record<string, number | string>) => {
    try {
      await api.POST("/api/v1/rfqs/{id}/quotes", {
        params: { path: { id } },
        body: {
          locationId: String(v.locationId),
          lines: r.lines.map((l) => ({
            lineNo: l.lineNo,
            skuId: l.skuId,
            unitPriceFen: Math.round(Number(v[`line${l.lineNo}`]) * 100),
          })),
          validHours: 48,
        },
      });
      void message.success(t("rfq.quoteSent"));
      onDone();
    } catch (e) {
      void message.error(errorText(t, e as Error));
    }
  };
  return (
    <Form layout="vertical" onFinish={(v) => void send(v)} initialValues={{ locationId: locations[0]?.id }}>
      <Form.Item name="locationId" label={t("rfq.warehouse")} rules={[{ required: true }]}>
        <Select options={locations.map((l) => ({ value: l.id, label: l.name }))} />
      </Form.Item>
      {r.lines.map((l) => (
        <Form.Item
          key={l.lineNo}
          name={`line${l.lineNo}`}
          label={`${l.brand} ${l.partNo} ${l.name} × ${l.quantity} (${t("rfq.unitPriceYuan")})`}
          rules={[{ required: true }]}
        >
          <InputNumber min={0.01} step={0.01} precision={2} />
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit">
        {t("rfq.quote")}
      </Button>
    </Form>
  );
}

export default function RfqsIncoming() {
  const t = useT();
  const [open, setOpen] = useState<string | null>(null);
  const list = useApi(
    () => answer<Incoming>(api.GET("/api/v1/rfqs/incoming", { params: { query: { limit: 50 } } })),
    [],
  );
  const locations = useApi(() => answer<{ locations: Locations }>(api.GET("/api/v1/suppliers/locations")), []);
  if (list.loading) return <Skeleton active />;
  if (list.error || !list.data) return <Alert type="error" showIcon title={errorText(t, list.error)} />;
  if (!list.data.rfqs.length) return <Empty description={t("rfq.noneIncoming")} />;
  return (
    <Flex vertical gap={8} data-testid="distributor-rfqs">
      {list.data.rfqs.map((r) => (
        <Card
          key={r.id}
          size="small"
          title={
            <Flex gap={8} align="center">
              <Tag>{t(`rfq.status.${r.status}`)}</Tag>
              <span>{r.buyerName}</span>
            </Flex>
          }
          extra={
            (r.status === "open" || r.status === "quoted") && (
              <Button size="small" onClick={() => setOpen(open === r.id ? null : r.id)}>
                {t("rfq.quote")}
              </Button>
            )
          }
        >
          {t("rfq.incomingSummary", { km: (r.distanceM / 1000).toFixed(1), neededBy: r.neededBy })} · {t("rfq.closes")}{" "}
          <DateTime at={r.closesAt} />
          {open === r.id && <QuoteForm id={r.id} locations={locations.data?.locations ?? []} onDone={list.reload} />}
        </Card>
      ))}
    </Flex>
  );
}
