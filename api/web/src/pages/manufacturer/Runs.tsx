/** My mint runs and where their events are on the way to the chain, in a clerk's words; refreshed while any is not final. */
import { PrinterOutlined } from "@ant-design/icons";
import { Alert, Button, Skeleton, Space, Table, Typography } from "antd";
import { useEffect } from "react";
import { useNavigate } from "react-router";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { AnchoringTag, EmptyText, type Runs as RunList, type RunSummary } from "./shared";

const POLL_MS = 3_000;

export default function Runs() {
  const t = useT();
  const navigate = useNavigate();
  const runs = useApi(() => answer<RunList>(api.GET("/api/v1/mint")), []);
  const pending = runs.data?.runs.some((r) => r.anchoring.state !== "final") ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(runs.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [pending, runs.reload]);

  if (runs.error && !runs.data)
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, runs.error)}
        action={<Button onClick={runs.reload}>{t("app.retry")}</Button>}
      />
    );
  if (!runs.data) return <Skeleton active />;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Alert type="info" showIcon title={t("mfr.runs.explain")} />
      {pending && (
        <Typography.Text type="secondary" data-testid="runs-refreshing">
          {t("mfr.runs.refreshing", { seconds: POLL_MS / 1000 })}
        </Typography.Text>
      )}
      <Table<RunSummary>
        data-testid="runs"
        rowKey="runId"
        size="small"
        scroll={runs.data.runs.length ? { x: "max-content" } : undefined}
        dataSource={runs.data.runs}
        locale={{ emptyText: <EmptyText text={t("mfr.runs.empty")} /> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t("mfr.run"),
            dataIndex: "runId",
            render: (id: string, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Text>{r.brand ? `${r.brand} ${r.name ?? ""}` : t("mfr.unnamed")}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  GTIN {r.gtin} · {t("mfr.mint.lot")} {r.lot}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: id }}>
                  {id}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("mfr.mint.count"), dataIndex: "count", align: "right" },
          { title: t("mfr.run.createdAt"), dataIndex: "createdAt", render: (d: string) => <DateTime at={d} /> },
          {
            title: t("mfr.run.anchoring"),
            key: "anchoring",
            render: (_: unknown, r) => (
              <Space direction="vertical" size={0} data-testid={`run-${r.runId}`}>
                <AnchoringTag state={r.anchoring.state} />
                {r.anchoring.state !== "final" && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("mfr.run.progress", { final: r.anchoring.final, count: r.count })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t("mfr.run.labels"),
            key: "labels",
            render: (_: unknown, r) => (
              <Can perm="label:view">
                <Button
                  size="small"
                  icon={<PrinterOutlined />}
                  aria-label={`${t("mfr.run.labels")} ${r.runId}`}
                  onClick={() => void navigate(`/manufacturer/labels?run=${r.runId}`)}
                >
                  {t("mfr.run.labels")}
                </Button>
              </Can>
            ),
          },
        ]}
      />
    </Space>
  );
}
