/** Users of my company: masked mobiles, create, disable, request (privileged) roles — a second admin approves. */
import { Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import type { UserView } from "../../api/types";
import { Can, useCurrent, usePermissions } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { MaskedMobile } from "../../widgets/MaskedMobile";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, ROLE_SEARCH, useAction } from "./kit";

interface Role {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
}

/** A role's display name: built-in names are "中文 English". */
export function roleName(roles: Role[] | undefined, id: string, locale: "zh" | "en" = "zh") {
  const r = roles?.find((x) => x.id === id);
  if (!r) return id;
  if (!r.builtIn) return r.name;
  const [zh, ...en] = r.name.split(" ");
  return locale === "zh" ? zh! : en.join(" ") || r.name;
}

export default function Users() {
  const t = useT();
  const { me } = useCurrent();
  const can = usePermissions();
  const users = useApi(() => answer<{ users: UserView[] }>(api.GET("/api/v1/users")).then((r) => r.users), []);
  const roles = useApi(
    () =>
      can.has("role:view")
        ? answer<{ roles: Role[] }>(api.GET("/api/v1/roles")).then((r) => r.roles)
        : Promise.resolve([] as Role[]),
    [],
  );
  const { run, busy } = useAction();
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserView | null>(null);
  const [createForm] = Form.useForm();
  const [grantForm] = Form.useForm();
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.id, label: roleName(roles.data, r.id, lang) }));

  if (users.error) return <LoadError state={users} />;

  const create = async () => {
    const v = (await createForm.validateFields()) as {
      name: string;
      mobile?: string;
      email?: string;
      password: string;
      roles?: string[];
    };
    const body = {
      name: v.name,
      password: v.password,
      roles: v.roles ?? [],
      ...(v.mobile ? { mobile: v.mobile } : {}),
      ...(v.email ? { email: v.email } : {}),
    };
    const ok = await run(
      "create",
      () => answer<UserView>(api.POST("/api/v1/users", { body } as never)),
      t("users.created", { name: v.name }),
    );
    if (ok) {
      setCreating(false);
      createForm.resetFields();
      users.reload();
    }
  };

  const grant = async () => {
    const v = (await grantForm.validateFields()) as { roles: string[]; reason?: string };
    const ok = await run(
      "grant",
      () =>
        answer(
          api.POST("/api/v1/users/{id}/role-grants", {
            params: { path: { id: granting!.id } },
            body: { roles: v.roles, ...(v.reason ? { reason: v.reason } : {}) },
          } as never),
        ),
      t("users.requestRoles.sent"),
    );
    if (ok) {
      setGranting(null);
      grantForm.resetFields();
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Can perm="user:create">
        <Button type="primary" onClick={() => setCreating(true)} data-testid="user-create">
          {t("users.create")}
        </Button>
      </Can>
      <Table<UserView>
        rowKey="id"
        size="small"
        loading={users.loading}
        dataSource={users.data}
        data-testid="users-table"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t("users.name"),
            dataIndex: "name",
            render: (n: string, u) => (
              <>
                {n}
                {u.id === me.id ? t("common.me") : ""}
              </>
            ),
          },
          { title: t("users.mobile"), dataIndex: "mobile", render: (m: string | null) => <MaskedMobile mobile={m} /> },
          { title: t("users.email"), dataIndex: "email", render: (e: string | null) => e ?? "—" },
          {
            title: t("users.roles"),
            dataIndex: "roles",
            render: (rs: string[]) => rs.map((r) => <Tag key={r}>{roleName(roles.data, r, lang)}</Tag>),
          },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
          { title: t("common.createdAt"), dataIndex: "createdAt", render: (at: string) => <DateTime at={at} /> },
          {
            title: t("common.actions"),
            key: "actions",
            render: (_: unknown, u) =>
              u.status !== "active" || u.id === me.id ? null : (
                <Space wrap>
                  <Can perm="user:submit">
                    <Button size="small" onClick={() => setGranting(u)}>
                      {t("users.requestRoles")}
                    </Button>
                  </Can>
                  <Can perm="user:delete">
                    <Popconfirm
                      title={t("users.disable.confirm", { name: u.name })}
                      okText={t("common.ok")}
                      cancelText={t("common.cancel")}
                      onConfirm={() =>
                        run(
                          `disable-${u.id}`,
                          () => answer(api.DELETE("/api/v1/users/{id}", { params: { path: { id: u.id } } } as never)),
                          t("users.disabled", { name: u.name }),
                        ).then(users.reload)
                      }
                    >
                      <Button size="small" danger loading={busy === `disable-${u.id}`}>
                        {t("users.disable")}
                      </Button>
                    </Popconfirm>
                  </Can>
                </Space>
              ),
          },
        ]}
      />

      <Modal
        open={creating}
        title={t("users.create")}
        okText={t("common.create")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "create"}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Form form={createForm} layout="vertical" name="user-create">
          <Form.Item name="name" label={t("users.name")} rules={[{ required: true, whitespace: true }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="mobile"
            label={t("users.mobile")}
            dependencies={["email"]}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v || getFieldValue("email") ? Promise.resolve() : Promise.reject(new Error(t("users.loginRequired"))),
              }),
            ]}
          >
            <Input inputMode="tel" autoComplete="off" />
          </Form.Item>
          <Form.Item name="email" label={t("users.email")} rules={[{ type: "email" }]}>
            <Input inputMode="email" autoComplete="off" />
          </Form.Item>
          <Form.Item name="password" label={t("users.password")} rules={[{ required: true, min: 10 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="roles" label={t("users.roles")}>
            <Select mode="multiple" options={roleOptions} showSearch={ROLE_SEARCH} allowClear />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={granting !== null}
        title={granting ? t("users.requestRoles.title", { name: granting.name }) : ""}
        okText={t("common.ok")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "grant"}
        onOk={() => void grant()}
        onCancel={() => setGranting(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t("users.requestRoles.hint")}</Typography.Paragraph>
        <Form form={grantForm} layout="vertical" name="role-grant">
          <Form.Item name="roles" label={t("users.roles")} rules={[{ required: true }]}>
            <Select mode="multiple" options={roleOptions} showSearch={ROLE_SEARCH} />
          </Form.Item>
          <Form.Item name="reason" label={t("users.requestRoles.reason")}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
