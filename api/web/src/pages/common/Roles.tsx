/**
 * Roles: built-in and custom. A custom role is created and edited here; an edit that adds privileged permissions
 * (approve, audit, administer, configure, personal data) waits for a second person — shown as "waiting".
 */
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { LoadError, useAction } from "./kit";
import { roleName } from "./Users";

interface Role {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
}
interface Approval {
  id: string;
  kind: string;
  roleId?: string;
  permissions?: string[];
  status: string;
}
interface Saved extends Role {
  pendingApproval?: Approval;
}

export default function Roles() {
  const t = useT();
  const roles = useApi(() => answer<{ roles: Role[]; grantable: string[] }>(api.GET("/api/v1/roles")), []);
  const pending = useApi(
    () =>
      answer<{ approvals: Approval[] }>(
        api.GET("/api/v1/approvals", { params: { query: { status: "submitted" } } } as never),
      )
        .then((r) => r.approvals.filter((a) => a.kind === "role_change"))
        .catch(() => [] as Approval[]),
    [],
  );
  const { run, busy } = useAction();
  const [editing, setEditing] = useState<Role | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form] = Form.useForm();
  const lang = document.documentElement.lang === "en" ? "en" : "zh";

  if (roles.error) return <LoadError state={roles} />;

  const open = (r: Role | "new") => {
    setEditing(r);
    form.setFieldsValue(r === "new" ? { name: "", permissions: [] } : { name: r.name, permissions: r.permissions });
  };
  const save = async () => {
    const v = (await form.validateFields()) as { name: string; permissions: string[] };
    const saved = await run(
      "save",
      () =>
        editing === "new"
          ? answer<Saved>(api.POST("/api/v1/roles", { body: v } as never))
          : answer<Saved>(
              api.PATCH("/api/v1/roles/{id}", { params: { path: { id: (editing as Role).id } }, body: v } as never),
            ),
      t("roles.saved"),
    );
    if (!saved) return;
    setNotice(
      saved.pendingApproval
        ? t("roles.pendingNotice", { perms: (saved.pendingApproval.permissions ?? []).join(", ") })
        : null,
    );
    setEditing(null);
    roles.reload();
    pending.reload();
  };

  const waiting = (id: string) => (pending.data ?? []).filter((a) => a.roleId === id);

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {notice && (
        <Alert
          type="warning"
          showIcon
          title={notice}
          closable
          onClose={() => setNotice(null)}
          data-testid="role-pending"
        />
      )}
      <Can perm="role:create">
        <Button type="primary" onClick={() => open("new")} data-testid="role-create">
          {t("roles.create")}
        </Button>
      </Can>
      <Table<Role>
        rowKey="id"
        size="small"
        loading={roles.loading}
        dataSource={roles.data?.roles}
        pagination={false}
        data-testid="roles-table"
        columns={[
          { title: t("common.name"), dataIndex: "id", render: (id: string) => roleName(roles.data?.roles, id, lang) },
          {
            title: t("roles.type"),
            dataIndex: "builtIn",
            render: (b: boolean, r) => (
              <Space wrap size={4}>
                <Tag color={b ? "blue" : "purple"}>{t(b ? "roles.builtIn" : "roles.custom")}</Tag>
                {waiting(r.id).length > 0 && (
                  <Tag color="gold" data-testid={`role-waiting-${r.id}`}>
                    {t("roles.pending")}:{" "}
                    {waiting(r.id)
                      .flatMap((a) => a.permissions ?? [])
                      .join(", ")}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t("roles.permissions"),
            dataIndex: "permissions",
            render: (ps: string[]) => (
              <div style={{ maxWidth: 560 }}>
                {ps.map((p) => (
                  <Tag key={p} style={{ marginBottom: 4 }}>
                    {p}
                  </Tag>
                ))}
              </div>
            ),
          },
          {
            title: t("common.actions"),
            key: "a",
            render: (_: unknown, r) =>
              r.builtIn ? null : (
                <Can perm="role:edit">
                  <Button size="small" onClick={() => open(r)}>
                    {t("common.edit")}
                  </Button>
                </Can>
              ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === "new" ? t("roles.create") : editing ? t("roles.edit", { name: editing.name }) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "save"}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Form form={form} layout="vertical" name="role">
          <Form.Item name="name" label={t("common.name")} rules={[{ required: true, whitespace: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="permissions" label={t("roles.permissions")} rules={[{ required: true }]}>
            <Select mode="multiple" options={(roles.data?.grantable ?? []).map((p) => ({ value: p, label: p }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
