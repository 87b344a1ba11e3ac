import { UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Space, Table, Typography, Upload } from "antd";
import { useState } from "react";
import { answer, api, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";

type ImportResult = Answer<"/api/v1/catalog/synonyms/import", "post">;
type RowError = ImportResult["errors"][number];

/**
 * A synonym CSV (`term,partTypes,position,kind`, part types separated by `;`) sent as it is to
 * POST /api/v1/catalog/synonyms/import; the answer shown as rows added / updated / rejected, each rejected row with
 * its line, field and reason.
 */
export function SynonymImport({ onDone }: { onDone(): void }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ file: string; data?: ImportResult; error?: string } | null>(null);

  const send = async (file: File) => {
    setBusy(true);
    try {
      const text = await file.text();
      // The route reads the raw CSV body (no JSON): the text is sent as it is.
      const data = await answer<ImportResult>(
        api.POST("/api/v1/catalog/synonyms/import", {
          body: text,
          bodySerializer: (b: string) => b,
          headers: { "content-type": "text/csv; charset=utf-8" },
        } as never),
      );
      setResult({ file: file.name, data });
      onDone();
    } catch (e) {
      setResult({ file: file.name, error: errorText(t, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="small" style={{ width: "100%" }}>
      <Space wrap align="center">
        <Upload
          accept=".csv,text/csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy}>
            {t("vocab.import.button")}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t("vocab.import.hint")}</Typography.Text>
      </Space>
      {result?.error && <Alert type="error" showIcon title={result.error} data-testid="import-result" />}
      {result?.data && (
        <div data-testid="import-result">
          <Alert
            type={result.data.rowsBad ? "warning" : "success"}
            showIcon
            title={t("vocab.import.summary", {
              file: result.file,
              added: result.data.rowsAdded,
              updated: result.data.rowsUpdated,
              rejected: result.data.rowsBad,
            })}
          />
          {result.data.errors.length > 0 && (
            <Table<RowError>
              data-testid="import-errors"
              style={{ marginTop: 8 }}
              rowKey={(e) => `${e.line}:${e.field}`}
              size="small"
              pagination={false}
              dataSource={result.data.errors}
              columns={[
                { title: t("vocab.import.line"), dataIndex: "line", width: 80 },
                { title: t("vocab.import.field"), dataIndex: "field", width: 120 },
                { title: t("vocab.import.reason"), dataIndex: "reason" },
              ]}
            />
          )}
        </div>
      )}
    </Space>
  );
}
