/**
 * The platform's review queue of companies applying to join (入驻审核): the licence, the USCC, the steps; a first
 * approval files a two-person request and a second reviewer's approval admits the company; a refusal needs a reason.
 */
import { Button, Form, Input, Modal, Segmented, Space, Table, Typography } from "antd";
import { useState } from "react";
import { answer, api, session, useApi } from "../../api/client";
import { Can, useCurrent } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { StatusTag } from "../../widgets/StatusTag";
import { LoadError, download, useAction } from "../common/kit";
import { ApplicationSteps } from "../onboarding/ApplicationSteps";
import type { Application } from "../onboarding/MyApplication";
import { extOf } from "../onboarding/shared";

type App = Application & { firstApprovedBy: string | null };
const STATUSES = ["submitted", "first_approved", "approved", "refused"] as const;

export default function Onboarding() {
  const t = useT();
  const { me } = useCurrent();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "all">("submitted");
  const list = useApi(
    () =>
      answer<{ applications: App[] }>(
        api.GET("/api/v1/onboarding/applications", {
          params: { query: status === "all" ? { limit: 200 } : { status, limit: 200 } },
        } as never),
      ).then((r) => r.applications),
    [status],
  );
  const { run, busy } = useAction();
  const [refusing, setRefusing] = useState<App | null>(null);
  const [form] = Form.useForm();

  const approve = async (a: App) => {
    const ok = await run(
      `approve-${a.id}`,
      () =>
        answer<App>(
          api.POST("/api/v1/onboarding/applications/{id}/approve", {
            params: { path: { id: a.id } },
            body: {},
          } as never),
        ),
      (r) =>
        t(r.status === "approved" ? "onboarding.review.admitted" : "onboarding.review.firstDone", {
          name: a.company.name,
        }),
    );
    if (ok) list.reload();
  };
  const refuse = async () => {
    if (!refusing) return;
    const v = (await form.validateFields()) as { reason: string };
    const ok = await run(
      "refuse",
      () =>
        answer(
          api.POST("/api/v1/onboarding/applications/{id}/refuse", {
            params: { path: { id: refusing.id } },
            body: { reason: v.reason.trim() },
          } as never),
        ),
      t("onboarding.review.refused", { name: refusing.company.name }),
      form,
    );
    if (ok) {
      setRefusing(null);
      list.reload();
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Paragraph type="secondary">{t("onboarding.review.intro")}</Typography.Paragraph>
      <Segmented
        value={status}
        onChange={(v) => setStatus(v as typeof status)}
        options={[
          ...STATUSES.map((s) => ({ value: s, label: t(`status.application.${s}`) })),
          { value: "all", label: t("common.all") },
        ]}
      />
      {list.error ? (
        <LoadError state={list} />
      ) : (
        <Table<App>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="onboarding-table"
          expandable={{ expandedRowRender: (a) => <ApplicationSteps steps={a.steps} /> }}
          scroll={{ x: true }}
          columns={[
            { title: t("onboarding.name"), key: "name", render: (_: unknown, a) => a.company.name },
            {
              title: t("onboarding.uscc"),
              key: "uscc",
              render: (_: unknown, a) => (
                <Typography.Text code style={{ whiteSpace: "nowrap" }}>
                  {a.company.uscc}
                </Typography.Text>
              ),
            },
            {
              title: t("onboarding.kind"),
              key: "kind",
              render: (_: unknown, a) => t(`onboarding.kind.${a.company.kind}` as never),
            },
            { title: t("onboarding.region"), key: "region", render: (_: unknown, a) => a.company.regionCode },
            { title: t("onboarding.roundCol"), dataIndex: "round" },
            {
              title: t("onboarding.submittedAt"),
              dataIndex: "submittedAt",
              render: (at: string) => <DateTime at={at} />,
            },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (s: string) => (
                <StatusTag status={`application.${s}`} color={s === "refused" ? "red" : undefined} />
              ),
            },
            { title: t("onboarding.reasonCol"), dataIndex: "reason", render: (r: string | null) => r ?? "—" },
            {
              title: t("common.actions"),
              key: "a",
              render: (_: unknown, a) => (
                <Space wrap>
                  <Button
                    size="small"
                    onClick={() =>
                      void download(
                        `/api/v1/onboarding/applications/${a.id}/licence`,
                        session.token(),
                        `${a.company.uscc}.${extOf(a.licence.type)}`,
                      )
                    }
                  >
                    {t("onboarding.licence.download")}
                  </Button>
                  {(a.status === "submitted" || (a.status === "first_approved" && a.firstApprovedBy !== me.id)) && (
                    <Can perm="company_application:approve">
                      <Button
                        size="small"
                        type="primary"
                        loading={busy === `approve-${a.id}`}
                        onClick={() => void approve(a)}
                      >
                        {t(
                          a.status === "submitted"
                            ? "onboarding.review.approveFirst"
                            : "onboarding.review.approveSecond",
                        )}
                      </Button>
                    </Can>
                  )}
                  {(a.status === "submitted" || (a.status === "first_approved" && a.firstApprovedBy !== me.id)) && (
                    <Can perm="company_application:reject">
                      <Button
                        size="small"
                        danger
                        onClick={() => {
                          setRefusing(a);
                          form.setFieldsValue({ reason: "" });
                        }}
                      >
                        {t("onboarding.review.refuse")}
                      </Button>
                    </Can>
                  )}
                  {a.status === "first_approved" && a.firstApprovedBy === me.id && (
                    <Typography.Text type="secondary">{t("onboarding.review.waitSecond")}</Typography.Text>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={refusing !== null}
        title={t("onboarding.review.refuse")}
        okText={t("onboarding.review.refuse")}
        okButtonProps={{ danger: true }}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "refuse"}
        onOk={() => void refuse()}
        onCancel={() => setRefusing(null)}
        forceRender
      >
        <Form form={form} layout="vertical" name="onboarding-refuse">
          <Form.Item
            name="reason"
            label={t("onboarding.review.reason")}
            extra={t("onboarding.review.reason.hint")}
            rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
