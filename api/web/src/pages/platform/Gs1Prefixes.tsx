/** GS1 company prefix registrations (platform): verify against the licence reference, or reject with a reason. */
import { Button, Form, Input, Modal, Segmented, Space, Table, Typography } from "antd";
import { useState } from "react";
import { answer, api, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, useAction } from "../common/kit";

interface Prefix {
  id: string;
  companyId: string;
  prefix: string;
  licenceRef: string;
  status: "submitted" | "verified" | "rejected";
  submittedAt: string;
  decidedAt: string | null;
  reason: string | null;
}
const STATUSES = ["submitted", "verified", "rejected"] as const;

export default function Gs1Prefixes() {
  const t = useT();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "all">("submitted");
  const list = useApi(
    () =>
      answer<{ prefixes: Prefix[] }>(
        api.GET("/api/v1/gs1-prefixes", { params: { query: status === "all" ? {} : { status } } } as never),
      ).then((r) => r.prefixes),
    [status],
  );
  const companies = useApi(
    () =>
      answer<{ companies: { id: string; name: string }[] }>(
        api.GET("/api/v1/companies", { params: { query: { limit: 200 } } } as never),
      )
        .then((r) => new Map(r.companies.map((c) => [c.id, c.name])))
        .catch(() => new Map<string, string>()),
    [],
  );
  const { run, busy } = useAction();
  const [deciding, setDeciding] = useState<{ p: Prefix; verb: "verify" | "reject" } | null>(null);
  const [form] = Form.useForm();

  const decide = async () => {
    if (!deciding) return;
    const v = (await form.validateFields()) as { licenceRef?: string; reason?: string };
    const { p, verb } = deciding;
    const body = verb === "verify" ? { licenceRef: v.licenceRef } : { reason: v.reason };
    const ok = await run(
      "decide",
      () =>
        answer(
          api.POST(
            `/api/v1/gs1-prefixes/{id}/${verb}` as "/api/v1/gs1-prefixes/{id}/verify",
            {
              params: { path: { id: p.id } },
              body,
            } as never,
          ),
        ),
      t(verb === "verify" ? "gs1.verified" : "gs1.rejected", { prefix: p.prefix }),
    );
    if (ok) {
      setDeciding(null);
      list.reload();
    }
  };
  const open = (p: Prefix, verb: "verify" | "reject") => {
    setDeciding({ p, verb });
    form.setFieldsValue({ licenceRef: p.licenceRef, reason: "" });
  };

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
      {list.error ? (
        <LoadError state={list} />
      ) : (
        <Table<Prefix>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="gs1-table"
          columns={[
            {
              title: t("gs1.prefix"),
              dataIndex: "prefix",
              render: (p: string) => <Typography.Text code>{p}</Typography.Text>,
            },
            { title: t("gs1.company"), dataIndex: "companyId", render: (id: string) => companies.data?.get(id) ?? id },
            { title: t("gs1.licenceRef"), dataIndex: "licenceRef" },
            {
              title: t("approvals.submittedAt"),
              dataIndex: "submittedAt",
              render: (at: string) => <DateTime at={at} />,
            },
            { title: t("common.status"), dataIndex: "status", render: (s: string) => <StatusTag status={s} /> },
            { title: t("users.requestRoles.reason"), dataIndex: "reason", render: (r: string | null) => r ?? "—" },
            {
              title: t("common.actions"),
              key: "a",
              render: (_: unknown, p) =>
                p.status !== "submitted" ? null : (
                  <Space wrap>
                    <Can perm="gs1_prefix:approve">
                      <Button size="small" type="primary" onClick={() => open(p, "verify")}>
                        {t("gs1.verify")}
                      </Button>
                    </Can>
                    <Can perm="gs1_prefix:reject">
                      <Button size="small" danger onClick={() => open(p, "reject")}>
                        {t("gs1.reject")}
                      </Button>
                    </Can>
                  </Space>
                ),
            },
          ]}
        />
      )}
      <Modal
        open={deciding !== null}
        title={
          deciding
            ? deciding.verb === "verify"
              ? t("gs1.verify.title", { prefix: deciding.p.prefix })
              : t("gs1.reject")
            : ""
        }
        okText={deciding?.verb === "reject" ? t("gs1.reject") : t("gs1.verify")}
        okButtonProps={{ danger: deciding?.verb === "reject" }}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "decide"}
        onOk={() => void decide()}
        onCancel={() => setDeciding(null)}
        forceRender
      >
        <Form form={form} layout="vertical" name="gs1-decide">
          {deciding?.verb === "reject" ? (
            <Form.Item
              name="reason"
              label={t("gs1.reject.reason")}
              rules={[{ required: true, whitespace: true, max: 200 }]}
            >
              <Input />
            </Form.Item>
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t("gs1.verify.hint")}</Typography.Paragraph>
              <Form.Item name="licenceRef" label={t("gs1.licenceRef")} rules={[{ required: true, min: 3, max: 80 }]}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
