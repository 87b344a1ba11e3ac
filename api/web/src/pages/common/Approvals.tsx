/**
 * The approvals inbox (two-person rule): requests with who asked for what; approve or reject someone else's,
 * withdraw one's own. The requester sees no approve/reject on their own request (the API refuses it anyway).
 */
import { Button, Empty, Popconfirm, Segmented, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import type { UserView } from "../../api/types";
import { Can, useCurrent, usePermissions } from "../../app/session";
import { hasMessage, useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "./kit";
import { roleName } from "./Users";

interface Approval {
  id: string;
  kind: "role_grant" | "role_change" | string;
  userId?: string;
  roles?: string[];
  roleId?: string;
  subjectId?: string;
  permissions?: string[];
  status: string;
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}
interface Role {
  id: string;
  name: string;
  builtIn: boolean;
}
const STATUSES = ["submitted", "approved", "rejected", "cancelled"] as const;

export default function Approvals() {
  const t = useT();
  const { me } = useCurrent();
  const can = usePermissions();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "all">("submitted");
  const list = useApi(
    () =>
      answer<{ approvals: Approval[] }>(
        api.GET("/api/v1/approvals", { params: { query: status === "all" ? {} : { status } } } as never),
      ).then((r) => r.approvals),
    [status],
  );
  const users = useApi(() => answer<{ users: UserView[] }>(api.GET("/api/v1/users")).then((r) => r.users), []);
  const roles = useApi(
    () =>
      can.has("role:view")
        ? answer<{ roles: Role[] }>(api.GET("/api/v1/roles")).then((r) => r.roles)
        : Promise.resolve([] as Role[]),
    [],
  );
  const { run, busy } = useAction();
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  const person = (id: string | null) => {
    if (!id) return "—";
    const u = users.data?.find((x) => x.id === id);
    return `${u?.name ?? id}${id === me.id ? t("common.me") : ""}`;
  };
  const decide = (a: Approval, verb: "approve" | "reject" | "cancel") =>
    run(
      `${verb}-${a.id}`,
      () =>
        answer(
          api.POST(
            `/api/v1/approvals/{id}/${verb}` as "/api/v1/approvals/{id}/approve",
            {
              params: { path: { id: a.id } },
              body: {},
            } as never,
          ),
        ),
      t(
        verb === "approve"
          ? "approvals.done.approved"
          : verb === "reject"
            ? "approvals.done.rejected"
            : "approvals.done.cancelled",
      ),
    ).then(list.reload);

  if (list.error) return <LoadError state={list} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          { value: "all", label: t("common.all") },
        ]}
      />
      <Table<Approval>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("approvals.empty")} /> }}
        data-testid="approvals-table"
        columns={[
          {
            title: t("approvals.kind"),
            dataIndex: "kind",
            render: (k: string) => (
              <Tag color={k === "role_change" ? "purple" : "blue"}>
                {hasMessage(`approvals.kind.${k}`) ? t(`approvals.kind.${k}` as never) : k}
              </Tag>
            ),
          },
          {
            title: t("approvals.what"),
            key: "what",
            render: (_: unknown, a) =>
              a.kind === "role_grant"
                ? t("approvals.grant", {
                    user: person(a.userId ?? null),
                    roles: (a.roles ?? []).map((r) => roleName(roles.data as never, r, lang)).join("、"),
                  })
                : a.kind === "role_change"
                  ? t("approvals.change", {
                      role: roleName(roles.data as never, a.roleId ?? "", lang),
                      perms: (a.permissions ?? []).join(", "),
                    })
                  : a.kind === "company_onboarding"
                    ? t("approvals.onboarding", { id: a.subjectId ?? "" })
                    : "—",
          },
          { title: t("approvals.submittedBy"), dataIndex: "submittedBy", render: (id: string) => person(id) },
          { title: t("approvals.submittedAt"), dataIndex: "submittedAt", render: (at: string) => <DateTime at={at} /> },
          { title: t("users.requestRoles.reason"), dataIndex: "reason", render: (r: string | null) => r ?? "—" },
          { title: t("common.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
          { title: t("approvals.decidedBy"), dataIndex: "decidedBy", render: (id: string | null) => person(id) },
          {
            title: t("common.actions"),
            key: "a",
            render: (_: unknown, a) => {
              if (a.status !== "submitted") return null;
              if (a.submittedBy === me.id)
                return (
                  <Space wrap>
                    <Typography.Text type="secondary">{t("approvals.ownHint")}</Typography.Text>
                    <Can perm="user:cancel">
                      <Button size="small" loading={busy === `cancel-${a.id}`} onClick={() => void decide(a, "cancel")}>
                        {t("approvals.withdraw")}
                      </Button>
                    </Can>
                  </Space>
                );
              return (
                <Space wrap>
                  <Can perm="user:approve">
                    <Button
                      size="small"
                      type="primary"
                      loading={busy === `approve-${a.id}`}
                      onClick={() => void decide(a, "approve")}
                    >
                      {t("approvals.approve")}
                    </Button>
                  </Can>
                  <Can perm="user:reject">
                    <Popconfirm
                      title={t("approvals.reject")}
                      okText={t("common.ok")}
                      cancelText={t("common.cancel")}
                      onConfirm={() => decide(a, "reject")}
                    >
                      <Button size="small" danger loading={busy === `reject-${a.id}`}>
                        {t("approvals.reject")}
                      </Button>
                    </Popconfirm>
                  </Can>
                </Space>
              );
            },
          },
        ]}
      />
    </Space>
  );
}
