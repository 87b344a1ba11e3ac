/** API keys: list (never the key), create (shown once, with a copy button), revoke, adopt a disabled creator's key. */
import {
  Alert,
  Button,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import type { UserView } from "../../api/types";
import { Can, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError, ROLE_SEARCH, useAction } from "./kit";
import { roleName } from "./Users";

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}
interface Role {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
}

export default function ApiKeys() {
  const t = useT();
  const can = usePermissions();
  const keys = useApi(() => answer<{ apiKeys: ApiKey[] }>(api.GET("/api/v1/api-keys")).then((r) => r.apiKeys), []);
  const users = useApi(
    () =>
      can.has("user:view")
        ? answer<{ users: UserView[] }>(api.GET("/api/v1/users")).then((r) => r.users)
        : Promise.resolve([] as UserView[]),
    [],
  );
  const roles = useApi(
    () =>
      can.has("role:view")
        ? answer<{ roles: Role[] }>(api.GET("/api/v1/roles")).then((r) => r.roles)
        : Promise.resolve([] as Role[]),
    [],
  );
  const { run, busy } = useAction();
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [form] = Form.useForm();
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  if (keys.error) return <LoadError state={keys} />;
  const userOf = (id: string | null) => users.data?.find((u) => u.id === id);

  const create = async () => {
    const v = (await form.validateFields()) as { name: string; roles: string[]; expiresInDays?: number | null };
    const body = { name: v.name, roles: v.roles, ...(v.expiresInDays ? { expiresInDays: v.expiresInDays } : {}) };
    const made = await run("create", () =>
      answer<ApiKey & { key?: string; apiKey?: string }>(api.POST("/api/v1/api-keys", { body } as never)),
    );
    if (!made) return;
    setCreating(false);
    form.resetFields();
    setShown({ name: made.name, key: made.key ?? made.apiKey ?? "" });
    keys.reload();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Can perm="api_key:create">
        <Button type="primary" onClick={() => setCreating(true)} data-testid="key-create">
          {t("keys.create")}
        </Button>
      </Can>
      <Table<ApiKey>
        rowKey="id"
        size="small"
        loading={keys.loading}
        dataSource={keys.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="keys-table"
        columns={[
          { title: t("common.name"), dataIndex: "name" },
          {
            title: t("keys.prefix"),
            dataIndex: "prefix",
            render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
          },
          {
            title: t("users.roles"),
            dataIndex: "roles",
            render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(roles.data, r, lang)}</Tag>),
          },
          {
            title: t("keys.createdBy"),
            dataIndex: "createdBy",
            render: (id: string | null) => {
              const u = userOf(id);
              if (!id) return "—";
              return (
                <>
                  {u?.name ?? id}
                  {u && u.status !== "active" && (
                    <Tag color="default" style={{ marginInlineStart: 4 }}>
                      {t("keys.creatorDisabled")}
                    </Tag>
                  )}
                </>
              );
            },
          },
          { title: t("common.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: t("keys.expiresAt"),
            dataIndex: "expiresAt",
            render: (at: string | null) => (at ? <DateTime at={at} /> : "—"),
          },
          {
            title: t("common.status"),
            dataIndex: "revokedAt",
            render: (at: string | null) =>
              at ? <Tag>{t("keys.revoked")}</Tag> : <Tag color="green">{t("keys.active")}</Tag>,
          },
          {
            title: t("common.actions"),
            key: "a",
            render: (_: unknown, k) => {
              if (k.revokedAt) return null;
              const creator = userOf(k.createdBy);
              return (
                <Space wrap>
                  {creator && creator.status !== "active" && (
                    <Can perm="api_key:create">
                      <Popconfirm
                        title={t("keys.adopt.confirm")}
                        okText={t("common.ok")}
                        cancelText={t("common.cancel")}
                        onConfirm={() =>
                          run(
                            `adopt-${k.id}`,
                            () =>
                              answer(
                                api.POST("/api/v1/api-keys/{id}/adopt", { params: { path: { id: k.id } } } as never),
                              ),
                            t("keys.adopted", { name: k.name }),
                          ).then(keys.reload)
                        }
                      >
                        <Button size="small" loading={busy === `adopt-${k.id}`}>
                          {t("keys.adopt")}
                        </Button>
                      </Popconfirm>
                    </Can>
                  )}
                  <Can perm="api_key:delete">
                    <Popconfirm
                      title={t("keys.revoke.confirm", { name: k.name })}
                      okText={t("common.ok")}
                      cancelText={t("common.cancel")}
                      onConfirm={() =>
                        run(
                          `revoke-${k.id}`,
                          () =>
                            answer(api.DELETE("/api/v1/api-keys/{id}", { params: { path: { id: k.id } } } as never)),
                          t("keys.revoked"),
                        ).then(keys.reload)
                      }
                    >
                      <Button size="small" danger loading={busy === `revoke-${k.id}`}>
                        {t("keys.revoke")}
                      </Button>
                    </Popconfirm>
                  </Can>
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={creating}
        title={t("keys.create")}
        okText={t("common.create")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "create"}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" name="key-create">
          <Form.Item name="name" label={t("common.name")} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="roles" label={t("users.roles")} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              showSearch={ROLE_SEARCH}
              options={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(roles.data, r.id, lang) }))}
            />
          </Form.Item>
          <Form.Item name="expiresInDays" label={t("keys.expiresInDays")}>
            <InputNumber min={1} max={3650} style={{ width: "100%" }} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={shown !== null}
        title={t("keys.once.title")}
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => setShown(null)}>
            {t("common.done")}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t("keys.once.body")} style={{ marginBottom: 12 }} />
        <Typography.Paragraph
          code
          copyable={{ tooltips: [t("common.copy"), t("common.copied")] }}
          style={{ wordBreak: "break-all" }}
          data-testid="key-once"
        >
          {shown?.key}
        </Typography.Paragraph>
      </Modal>
    </Space>
  );
}
