/** Anchoring and chain health (platform): the health report in words, and the latest batches with state, lag and gas. */
import { Alert, Button, Descriptions, List, Space, Table, Tag, Typography } from "antd";
import { answer, api, useApi, type Answer } from "../../api/client";
import { hasMessage, useT, type MessageKey } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";
import { LoadError } from "../common/kit";

interface Health {
  status: "ok" | "degraded";
  reasons: { code: string; component: string; message: string; lagSeconds?: number }[];
  database: string;
  chain: { status: "up" | "down"; chainId?: number; since?: string; detail?: string };
  ledger: { pending?: number; anchoring?: string } & Record<string, unknown>;
}
/** A batch as GET /api/v1/ledger/batches declares it (the server's `Batch` schema). */
type Batch = Answer<"/api/v1/ledger/batches", "get">["batches"][number];
const BATCH_COLORS: Record<string, string> = {
  sealed: "default",
  submitted: "gold",
  confirmed: "blue",
  final: "green",
};
const batchWord = (s: string): MessageKey | null => {
  const k = s === "submitted" ? "status.submitted.batch" : `status.${s}`;
  return hasMessage(k) ? k : null;
};

export default function ChainHealth() {
  const t = useT();
  const health = useApi(() => answer<Health>(api.GET("/api/v1/health")), []);
  const batches = useApi(
    () =>
      answer<{ batches: Batch[] }>(api.GET("/api/v1/ledger/batches", { params: { query: { limit: 50 } } })).then(
        (r) => r.batches,
      ),
    [],
  );
  const reload = () => {
    health.reload();
    batches.reload();
  };
  const h = health.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Button onClick={reload}>{t("app.retry")}</Button>
      {health.error ? (
        <LoadError state={health} />
      ) : h ? (
        <>
          <Alert
            type={h.status === "ok" ? "success" : "warning"}
            showIcon
            data-testid="chain-health"
            title={h.status === "ok" ? t("chain.health.ok") : t("chain.health.degraded")}
            description={
              h.reasons.length ? (
                <List
                  size="small"
                  dataSource={h.reasons}
                  renderItem={(r) => (
                    <List.Item>
                      <Typography.Text>
                        {r.message}
                        {r.lagSeconds !== undefined ? ` (${r.lagSeconds} s)` : ""}
                      </Typography.Text>
                    </List.Item>
                  )}
                />
              ) : undefined
            }
          />
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t("chain.chain")}>
              {h.chain.status === "up" ? (
                <Tag color="green">{t("chain.chain.up", { id: h.chain.chainId ?? "?" })}</Tag>
              ) : (
                <Tag color="red">{t("chain.chain.down")}</Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t("chain.pending")}>{String(h.ledger.pending ?? 0)}</Descriptions.Item>
            <Descriptions.Item label="DB">{h.database}</Descriptions.Item>
          </Descriptions>
        </>
      ) : null}
      <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
        {t("chain.batches")}
      </Typography.Title>
      {batches.error ? (
        <LoadError state={batches} />
      ) : (
        <Table<Batch>
          rowKey="id"
          size="small"
          loading={batches.loading}
          dataSource={batches.data}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="batches-table"
          columns={[
            { title: t("chain.batch"), dataIndex: "id" },
            { title: t("chain.events"), dataIndex: "eventCount" },
            {
              title: t("common.status"),
              dataIndex: "status",
              render: (s: string) => {
                const k = batchWord(s);
                return <Tag color={BATCH_COLORS[s] ?? "default"}>{k ? t(k) : s}</Tag>;
              },
            },
            { title: t("chain.lag"), dataIndex: "lagSeconds", render: (n: number) => n.toFixed(1) },
            {
              title: t("chain.gas"),
              dataIndex: "gasUsed",
              render: (g: string | null) => (g ? Number(g).toLocaleString() : "—"),
            },
            { title: t("chain.block"), dataIndex: "blockNumber", render: (b: number | null) => b ?? "—" },
            {
              title: t("chain.tx"),
              dataIndex: "txHash",
              render: (h: string | null) =>
                h ? (
                  <Typography.Text code copyable={{ text: h }}>
                    {`${h.slice(0, 10)}…`}
                  </Typography.Text>
                ) : (
                  "—"
                ),
            },
            { title: t("chain.sealedAt"), dataIndex: "sealedAt", render: (at: string) => <DateTime at={at} seconds /> },
          ]}
        />
      )}
    </Space>
  );
}
