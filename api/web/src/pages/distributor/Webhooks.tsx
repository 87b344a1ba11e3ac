import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Alert, App, Button, Drawer, Form, Input, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { errorText, formErrorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

interface Subscription {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}
interface Delivery {
  id: number;
  type: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}
const EVENTS = ["order.*", "stock.changed", "dispatch.*", "transfer.*", "*"];

/** Webhooks (GET/POST /webhooks, DELETE /webhooks/{id}) and each one's deliveries with attempts and errors. */
export default function Webhooks() {
  const t = useT();
  const { message } = App.useApp();
  const list = useApi(() => answer<{ webhooks: Subscription[] }>(api.GET("/api/v1/webhooks")), []);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [open, setOpen] = useState<Subscription>();
  const [form] = Form.useForm<{ url: string; events: string[] }>();
  const remove = async (id: string) => {
    try {
      await api.DELETE("/api/v1/webhooks/{id}", { params: { path: { id } } } as never);
      list.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const subscribe = async (v: { url: string; events: string[] }) => {
    try {
      const r = await answer<{ secret: string }>(api.POST("/api/v1/webhooks", { body: v } as never));
      setSecret(r.secret);
      setAdding(false);
      list.reload();
    } catch (e) {
      message.error(formErrorText(t, form, e));
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Can perm="webhook:create">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
          {t("webhook.add")}
        </Button>
      </Can>
      {secret && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setSecret(undefined) }}
          title={
            <>
              {t("webhook.secret")}{" "}
              <Typography.Text code copyable>
                {secret}
              </Typography.Text>
            </>
          }
        />
      )}
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Subscription>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.webhooks ?? []}
        locale={{ emptyText: t("webhook.empty") }}
        scroll={{ x: true }}
        columns={[
          {
            title: t("webhook.url"),
            dataIndex: "url",
            render: (u: string) => <Typography.Text code>{u}</Typography.Text>,
          },
          {
            title: t("webhook.events"),
            dataIndex: "events",
            render: (ev: string[]) => ev.map((e) => <Tag key={e}>{e}</Tag>),
          },
          { title: t("webhook.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: "",
            key: "act",
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => setOpen(s)}>
                  {t("webhook.deliveries")}
                </Button>
                <Can perm="webhook:delete">
                  <Popconfirm title={t("webhook.delete.confirm")} onConfirm={() => remove(s.id)}>
                    <Button
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`${t("webhook.delete")} ${s.url}`}
                    />
                  </Popconfirm>
                </Can>
              </Space>
            ),
          },
        ]}
      />
      {adding && (
        <Drawer open title={t("webhook.add")} onClose={() => setAdding(false)} destroyOnHidden>
          <Form form={form} layout="vertical" onFinish={subscribe} initialValues={{ events: ["order.*"] }}>
            <Form.Item
              name="url"
              label={t("webhook.url")}
              rules={[{ required: true, message: t("webhook.url.required") }]}
            >
              <Input placeholder="https://erp.example.cn/partledger" />
            </Form.Item>
            <Form.Item
              name="events"
              label={t("webhook.events")}
              rules={[{ required: true, message: t("webhook.events.required") }]}
            >
              <Select mode="tags" options={EVENTS.map((e) => ({ value: e, label: e }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block>
              {t("webhook.add")}
            </Button>
          </Form>
        </Drawer>
      )}
      {open && <Deliveries sub={open} onClose={() => setOpen(undefined)} />}
    </Space>
  );
}

function Deliveries({ sub, onClose }: { sub: Subscription; onClose(): void }) {
  const t = useT();
  const d = useApi(
    () =>
      answer<{ deliveries: Delivery[] }>(
        api.GET("/api/v1/webhooks/{id}/deliveries", { params: { path: { id: sub.id } } } as never),
      ),
    [sub.id],
  );
  return (
    <Drawer open size="large" title={`${t("webhook.deliveries")} · ${sub.url}`} onClose={onClose}>
      {d.error && <Alert type="error" showIcon title={errorText(t, d.error)} />}
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={d.loading}
        dataSource={d.data?.deliveries ?? []}
        scroll={{ x: true }}
        columns={[
          { title: t("webhook.events"), dataIndex: "type" },
          {
            title: t("webhook.status"),
            dataIndex: "status",
            render: (s: string) => (
              <Tag color={s === "delivered" ? "#135200" : s === "failed" ? "#820014" : "#874d00"}>{s}</Tag>
            ),
          },
          { title: t("webhook.attempts"), dataIndex: "attempts", align: "right" },
          { title: t("webhook.lastStatus"), dataIndex: "lastStatus" },
          { title: t("webhook.lastError"), dataIndex: "lastError" },
          {
            title: t("webhook.nextAttempt"),
            dataIndex: "nextAttemptAt",
            render: (at: string | null) => <DateTime at={at} />,
          },
        ]}
      />
    </Drawer>
  );
}
