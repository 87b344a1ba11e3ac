/**
 * The auditor page's receipt mode (issue 15, DECISIONS 117): a warehouse receipt's pledge checked IN THIS BROWSER by
 * the same `verifyReceiptBundle` that `npm run audit -- --receipt` runs (@partledger/verifier), against the chain's
 * JSON-RPC endpoint and the pinned trust anchor. The receipt bundle comes from the platform (the signed-in lender,
 * holder or platform may fetch it) or from a file the lender kept; each unit's verdict is listed, a stale bundle's
 * too (the chain's pledge head is later than the bundle's pledge).
 */
import { InboxOutlined } from "@ant-design/icons";
import {
  verifyReceiptInBrowser,
  type BrowserReceiptVerdict,
  type PinnedTrust,
  type UnitVerdict,
} from "@partledger/verifier";
import { Alert, Button, Form, Input, Space, Table, Tag, Typography, Upload } from "antd";
import { useCallback, useRef, useState } from "react";
import { answer, api } from "../../api/client";
import { errorText } from "../../app/errors";
import { useT } from "../../i18n";

const RECEIPT_ID = /^wr_[0-9a-f]{16}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Tag colours with WCAG AA contrast, as on the part mode's steps. */
const OK_STYLE: React.CSSProperties = { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" };
const BAD_STYLE: React.CSSProperties = { color: "#820014", background: "#fff1f0", borderColor: "#ffa39e" };

export default function ReceiptVerify({ pinned, rpcUrl }: { pinned: PinnedTrust | null; rpcUrl: string }) {
  const t = useT();
  const [receiptId, setReceiptId] = useState("");
  const [lender, setLender] = useState("");
  const [file, setFile] = useState<{ name: string; bundle: unknown } | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BrowserReceiptVerdict | null>(null);
  const run = useRef(0);

  const verify = useCallback(async () => {
    const n = ++run.current;
    setResult(null);
    setInputError(null);
    const id = receiptId.trim();
    if (!pinned) return;
    if (!RECEIPT_ID.test(id)) return setInputError(t("verify.receipt.id.invalid"));
    if (lender.trim() && !ADDRESS.test(lender.trim())) return setInputError(t("verify.receipt.lender.invalid"));
    if (!rpcUrl.trim()) return setInputError(t("verify.rpc.required"));
    setRunning(true);
    let bundle: unknown = file?.bundle;
    try {
      bundle ??= await answer<unknown>(
        api.GET("/api/v1/finance/warehouse-receipts/{id}/bundle", { params: { path: { id } } }),
      );
    } catch (e) {
      if (n === run.current) {
        setInputError(t("verify.receipt.fetch", { reason: errorText(t, e) }));
        setRunning(false);
      }
      return;
    }
    const verdict = await verifyReceiptInBrowser({
      bundle,
      receiptId: id,
      trust: pinned.trust,
      rpcUrl: rpcUrl.trim(),
      lender: (lender.trim() || undefined) as `0x${string}` | undefined,
      timeoutMs: 5000,
    });
    if (n !== run.current) return;
    setResult(verdict);
    setRunning(false);
  }, [pinned, receiptId, lender, file, rpcUrl, t]);

  const v = result?.receipt ?? null;
  const failure = v?.bundleFailure?.report.failure ?? null;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="receipt-verify">
      <Form layout="vertical" component="div">
        <Form.Item label={t("verify.receipt.id")} htmlFor="verify-receipt-id" style={{ marginBottom: 8 }}>
          <Input
            id="verify-receipt-id"
            data-testid="verify-receipt-id"
            value={receiptId}
            placeholder="wr_0123456789abcdef"
            onChange={(e) => setReceiptId(e.target.value)}
          />
        </Form.Item>
        <Form.Item
          label={t("verify.receipt.lender")}
          htmlFor="verify-receipt-lender"
          extra={t("verify.receipt.lender.hint")}
          style={{ marginBottom: 8 }}
        >
          <Input
            id="verify-receipt-lender"
            data-testid="verify-receipt-lender"
            value={lender}
            placeholder="0x…"
            onChange={(e) => setLender(e.target.value)}
          />
        </Form.Item>
      </Form>
      <div data-testid="verify-receipt-drop">
        <Upload.Dragger
          accept=".json,application/json"
          multiple={false}
          showUploadList={false}
          beforeUpload={(f) => {
            f.text()
              .then((text) => setFile({ name: f.name, bundle: JSON.parse(text) as unknown }))
              .catch((e: Error) => {
                setFile(null);
                setInputError(t("verify.file.bad", { name: f.name, reason: e.message }));
              });
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t("verify.receipt.drop")}</p>
          <p className="ant-upload-hint">{t("verify.receipt.drop.hint")}</p>
        </Upload.Dragger>
        {file && (
          <Space>
            <Typography.Text data-testid="verify-receipt-file">
              {t("verify.file.loaded", { name: file.name })}
            </Typography.Text>
            <Button size="small" onClick={() => setFile(null)}>
              {t("verify.receipt.drop.clear")}
            </Button>
          </Space>
        )}
      </div>
      {inputError && <Alert type="error" showIcon title={inputError} data-testid="verify-receipt-error" />}
      <Button
        type="primary"
        loading={running}
        disabled={!pinned}
        onClick={() => void verify()}
        data-testid="verify-receipt-run"
        block
      >
        {running ? t("verify.running") : t("verify.receipt.run")}
      </Button>
      {result && (
        <div data-testid="receipt-verdict" data-verdict={result.verdict} data-verify-ms={result.ms}>
          {result.verdict === "verified" && v && (
            <Alert
              type="success"
              showIcon
              title={t("verify.receipt.verified", { n: v.units.length, lender: v.lender ?? "" })}
            />
          )}
          {result.verdict === "failed" && v && (
            <Alert
              type="error"
              showIcon
              title={
                failure
                  ? t("verify.receipt.bundleFailed", {
                      part: `${v.bundleFailure!.gtin}/${v.bundleFailure!.serial}`,
                      reason: failure.reason,
                    })
                  : t("verify.receipt.failed", {
                      n: v.units.filter((u) => u.status !== "pledged").length,
                      total: v.units.length,
                    })
              }
            />
          )}
          {result.verdict === "error" && (
            <Alert
              type="warning"
              showIcon
              title={t("verify.verdict.error")}
              description={t("verify.verdict.error.sub", { error: result.error ?? "" })}
            />
          )}
        </div>
      )}
      {v && v.units.length > 0 && (
        <Table<UnitVerdict>
          size="small"
          pagination={false}
          rowKey={(u) => `${u.gtin}/${u.serial}`}
          data-testid="receipt-units"
          scroll={{ x: true }}
          dataSource={v.units}
          columns={[
            { title: t("verify.receipt.unit"), render: (_, u) => `${u.gtin}/${u.serial}` },
            {
              title: t("verify.receipt.status"),
              dataIndex: "status",
              render: (s: UnitVerdict["status"]) => (
                <Tag data-status={s} style={s === "pledged" ? OK_STYLE : BAD_STYLE}>
                  {t(`verify.receipt.status.${s}`)}
                </Tag>
              ),
            },
            { title: t("verify.receipt.reason"), dataIndex: "reason" },
          ]}
        />
      )}
    </Space>
  );
}
