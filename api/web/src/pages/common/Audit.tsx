/** The audit trail: a filterable table, CSV export (itself audited), and "verify the trail" in words. */
import { Alert, Button, Form, Input, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { answer, api, session, useApi } from "../../api/client";
import { Can } from "../../app/session";
import { useLocale, useT } from "../../i18n";
import { auditActionWords } from "./audit-words";
import { DateTime } from "../../widgets/DateTime";
import { download, LoadError, useAction } from "./kit";

interface Entry {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  resource: string;
  resourceId: string | null;
  outcome: string;
  changes: unknown;
}
interface Report {
  ok: boolean;
  entries: number;
  checkpoints?: number;
  failure: { seq?: number | null; reason: string } | null;
}
type Filter = { action?: string; actorId?: string; resourceId?: string };

const clean = (f: Filter) =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Filter;

export default function Audit() {
  const t = useT();
  const { locale } = useLocale();
  const [filter, setFilter] = useState<Filter>({});
  const entries = useApi(
    () =>
      answer<{ entries: Entry[] }>(
        api.GET("/api/v1/audit/entries", { params: { query: { ...filter, limit: 1000 } } } as never),
      ).then((r) => [...r.entries].reverse()),
    [JSON.stringify(filter)],
  );
  const { run, busy } = useAction();
  const [report, setReport] = useState<Report | null>(null);

  const exportCsv = () =>
    run("export", () =>
      download(
        `${location.origin}/api/v1/audit/entries.csv?${new URLSearchParams({ ...filter, limit: "1000" })}`,
        session.token(),
        "partledger-audit.csv",
      ),
    );
  const verify = async () => {
    const r = await run("verify", () => answer<Report>(api.GET("/api/v1/audit/verify")));
    if (r) setReport(r);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Form<Filter> layout="inline" name="audit-filter" onFinish={(v) => setFilter(clean(v))} style={{ rowGap: 8 }}>
        <Form.Item name="action" label={t("audit.action")}>
          <Input placeholder={t("audit.filter.action")} allowClear />
        </Form.Item>
        <Form.Item name="actorId" label={t("audit.actor")}>
          <Input placeholder={t("audit.filter.actor")} allowClear />
        </Form.Item>
        <Form.Item name="resourceId" label={t("audit.resource")}>
          <Input placeholder={t("audit.filter.resource")} allowClear />
        </Form.Item>
        <Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">
              {t("common.search")}
            </Button>
            <Can perm="audit_log:export">
              <Button onClick={() => void exportCsv()} loading={busy === "export"} data-testid="audit-export">
                {t("audit.export")}
              </Button>
            </Can>
            <Can perm="audit_log:audit">
              <Button onClick={() => void verify()} loading={busy === "verify"} data-testid="audit-verify">
                {t("audit.verify")}
              </Button>
            </Can>
          </Space>
        </Form.Item>
      </Form>
      {report && (
        <Alert
          type={report.ok ? "success" : "error"}
          showIcon
          data-testid="audit-report"
          title={
            report.ok
              ? t("audit.verify.ok", {
                  entries: report.entries,
                  checkpoints: report.checkpoints ? t("audit.verify.checkpoints", { n: report.checkpoints }) : "",
                })
              : report.failure?.seq
                ? t("audit.verify.badAt", { seq: report.failure.seq, reason: report.failure.reason })
                : t("audit.verify.bad", { reason: report.failure?.reason ?? "" })
          }
        />
      )}
      {entries.error ? (
        <LoadError state={entries} />
      ) : (
        <Table<Entry>
          rowKey="seq"
          size="small"
          loading={entries.loading}
          dataSource={entries.data}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          data-testid="audit-table"
          columns={[
            { title: t("audit.seq"), dataIndex: "seq" },
            { title: t("audit.at"), dataIndex: "at", render: (at: string) => <DateTime at={at} /> },
            {
              title: t("audit.actor"),
              key: "actor",
              render: (_: unknown, e) => (
                <Typography.Text>
                  {e.actorType}
                  {e.actorId ? ` ${e.actorId}` : ""}
                </Typography.Text>
              ),
            },
            {
              title: t("audit.action"),
              dataIndex: "action",
              render: (a: string) => {
                const words = auditActionWords(a, locale);
                return (
                  <Space size={4} wrap>
                    {words && <Typography.Text>{words}</Typography.Text>}
                    <Typography.Text code type={words ? "secondary" : undefined}>
                      {a}
                    </Typography.Text>
                  </Space>
                );
              },
            },
            {
              title: t("audit.resource"),
              key: "res",
              render: (_: unknown, e) => `${e.resource}${e.resourceId ? ` ${e.resourceId}` : ""}`,
            },
            {
              title: t("audit.outcome"),
              dataIndex: "outcome",
              render: (o: string) => <Tag color={o === "success" || o === "ok" ? "green" : "red"}>{o}</Tag>,
            },
          ]}
        />
      )}
    </Space>
  );
}
