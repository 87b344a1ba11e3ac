import { Alert, Table, Tag } from "antd";
import { answer, api, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";
import { DateTime } from "../../widgets/DateTime";

interface SyncLine {
  line: number;
  status: "ok" | "error";
  message?: string;
  onHand?: number;
}
interface SyncDocument {
  documentId: string;
  mode: "set" | "adjust";
  ok: number;
  errors: number;
  lines: SyncLine[];
  receivedAt: string;
}

/** The ERP sync log (GET /inventory/sync): each document the ERP pushed, with what every line did. */
export default function SyncLog() {
  const t = useT();
  const log = useApi(() => answer<{ documents: SyncDocument[] }>(api.GET("/api/v1/inventory/sync")), []);
  return (
    <>
      {log.error && <Alert type="error" showIcon title={errorText(t, log.error)} />}
      <Table<SyncDocument>
        rowKey="documentId"
        size="small"
        loading={log.loading}
        dataSource={log.data?.documents ?? []}
        locale={{ emptyText: t("sync.empty") }}
        scroll={{ x: true }}
        expandable={{
          rowExpandable: (d) => d.lines.length > 0,
          expandedRowRender: (d) => (
            <Table<SyncLine>
              rowKey="line"
              size="small"
              pagination={false}
              dataSource={d.lines}
              columns={[
                { title: t("sync.line"), dataIndex: "line" },
                {
                  title: t("carton.status"),
                  dataIndex: "status",
                  render: (s: string) => <Tag color={s === "ok" ? "#135200" : "#820014"}>{s}</Tag>,
                },
                { title: t("stock.onHand"), dataIndex: "onHand", align: "right" },
                { title: t("sync.message"), dataIndex: "message" },
              ]}
            />
          ),
        }}
        columns={[
          { title: t("sync.document"), dataIndex: "documentId" },
          { title: t("sync.mode"), dataIndex: "mode", render: (m: "set" | "adjust") => t(`sync.mode.${m}`) },
          { title: t("sync.ok"), dataIndex: "ok", align: "right" },
          { title: t("sync.errors"), dataIndex: "errors", align: "right" },
          { title: t("sync.at"), dataIndex: "receivedAt", render: (at: string) => <DateTime at={at} /> },
        ]}
      />
    </>
  );
}
