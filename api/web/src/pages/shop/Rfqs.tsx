/** My requests for quotes (询价): ask nearby suppliers, compare their quotes side by side, accept one into an order. */
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Skeleton,
  Table,
  Tag,
} from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useNavigate } from "react-router";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { Money } from "../../widgets/Money";

type RfqList = Answer<"/api/v1/rfqs", "get">;
type Rfq = Answer<"/api/v1/rfqs/{id}", "get">;

function Quotes({ id, onAccepted }: { id: string; onAccepted: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const rfq = useApi(() => answer<Rfq>(api.GET("/api/v1/rfqs/{id}", { params: { path: { id } } })), [id]);
  if (rfq.loading) return <Skeleton active />;
  if (rfq.error || !rfq.data) return <Alert type="error" showIcon title={errorText(t, rfq.error)} />;
  const r = rfq.data;
  const accept = async (quoteId: string) => {
    try {
      const done = await answer<Rfq>(
        api.POST("/api/v1/rfqs/{id}/accept", { params: { path: { id } }, body: { quoteId } }),
      );
      void message.success(t("rfq.accepted"));
      onAccepted();
      if (done.orderId) void navigate(`/shop/orders/${done.orderId}`);
    } catch (e) {
      void message.error(errorText(t, e as Error));
    }
  };
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={r.quoteList}
      locale={{ emptyText: t("rfq.noQuotes") }}
      columns={[
        { title: t("rfq.supplier"), dataIndex: "supplierName" },
        {
          title: t("rfq.parts"),
          render: (_, q) => q.lines.map((l) => `${l.brand} ${l.partNo}`).join(" · "),
        },
        { title: t("rfq.total"), render: (_, q) => <Money fen={q.totalFen} /> },
        { title: t("rfq.delivery"), render: (_, q) => t("rfq.minutes", { n: q.deliveryMinutes }) },
        { title: t("rfq.validUntil"), render: (_, q) => <DateTime at={q.validUntil} /> },
        {
          title: "",
          render: (_, q) =>
            r.acceptedQuoteId === q.id ? (
              <Tag color="green">{t("rfq.status.accepted")}</Tag>
            ) : r.status === "quoted" ? (
              <Button type="primary" size="small" onClick={() => void accept(q.id)}>
                {t("rfq.accept")}
              </Button>
            ) : null,
        },
      ]}
    />
  );
}

export default function Rfqs() {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState<string | null>(null);
  const list = useApi(() => answer<RfqList>(api.GET("/api/v1/rfqs", { params: { query: { limit: 50 } } })), []);
  const ask = async (v: { query: string; quantity: number; neededBy: dayjs.Dayjs; vin?: string }) => {
    try {
      await api.POST("/api/v1/rfqs", {
        body: {
          lines: [{ query: v.query, quantity: v.quantity }],
          neededBy: v.neededBy.format("YYYY-MM-DD"),
          ...(v.vin ? { vin: v.vin } : {}),
        },
      });
      void message.success(t("rfq.sent"));
      list.reload();
    } catch (e) {
      void message.error(errorText(t, e as Error));
    }
  };
  return (
    <Flex vertical gap={12} data-testid="shop-rfqs">
      <Card size="small" title={t("rfq.new")}>
        <Form
          layout="inline"
          onFinish={(v) => void ask(v)}
          initialValues={{ quantity: 1, neededBy: dayjs().add(1, "day") }}
        >
          <Form.Item name="query" rules={[{ required: true }]}>
            <Input placeholder={t("rfq.queryPlaceholder")} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="quantity" label={t("rfq.quantity")}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item name="neededBy" label={t("rfq.neededBy")}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="vin">
            <Input placeholder="VIN" style={{ width: 200 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t("rfq.send")}
          </Button>
        </Form>
      </Card>
      {list.loading ? (
        <Skeleton active />
      ) : list.error || !list.data ? (
        <Alert type="error" showIcon title={errorText(t, list.error)} />
      ) : list.data.rfqs.length === 0 ? (
        <Empty description={t("rfq.none")} />
      ) : (
        list.data.rfqs.map((r) => (
          <Card
            key={r.id}
            size="small"
            title={
              <Flex gap={8} align="center">
                <Tag>{t(`rfq.status.${r.status}`)}</Tag>
                <span>{r.id}</span>
              </Flex>
            }
            extra={
              <Button size="small" onClick={() => setOpen(open === r.id ? null : r.id)}>
                {t("rfq.compare", { n: r.quotes })}
              </Button>
            }
          >
            {t("rfq.summary", { recipients: r.recipients, neededBy: r.neededBy })} · <DateTime at={r.createdAt} />
            {open === r.id && <Quotes id={r.id} onAccepted={list.reload} />}
          </Card>
        ))
      )}
    </Flex>
  );
}
