/**
 * The auditor's page (issue 12, DECISIONS 62): a part link or a dropped bundle file, verified IN THIS BROWSER by the
 * published verifier (@partledger/verifier = ledger-service/src/verify-browser.ts) against the chain's JSON-RPC
 * endpoint, trusting only the pinned trust anchor. Our server hands out the bundle, the published trust anchor and a
 * suggested RPC URL — data the verifier checks byte by byte — and computes nothing. Every check is listed as it runs.
 * This module and the verifier are one lazy chunk (≈210 kB gzip): nothing of it is in the first screen.
 */
import {
  CheckCircleFilled,
  CloseCircleFilled,
  InboxOutlined,
  LoadingOutlined,
  MinusCircleOutlined,
  SafetyCertificateOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import {
  fetchPartBundle,
  fetchTrust,
  partOfLink,
  pinTrust,
  verifyInBrowser,
  type BrowserVerdict,
  type PinnedTrust,
  type VerifyStep,
} from "@partledger/verifier";
import { Alert, Button, Card, Form, Input, Segmented, Space, Table, Tag, Typography, Upload } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { answer, api, type Answer, type Typed } from "../../api/client";
import { errorText } from "../../app/errors";
import { hasMessage, useT, type Translate } from "../../i18n";
import ReceiptVerify from "./ReceiptVerify";

type VerifyConfig = Typed<
  Answer<"/api/v1/verify/config", "get">,
  { rpcUrl: string | null; rpcSource: "PUBLIC_CHAIN_RPC_URL" | "local-chain" | null; trust: string; partBundle: string }
>;

type Source = "link" | "file" | "receipt";
type Failure = NonNullable<NonNullable<BrowserVerdict["report"]>["failure"]>;

/** A check's title in the page's language (VERIFY_CHECKS' English title when the message files lack it). */
function checkTitle(t: Translate, check: string, fallback: string): string {
  const key = `verify.check.${check}`;
  return hasMessage(key) ? t(key) : fallback;
}

/** Where a failure is: `#3 · 06901234567892/ABC · shipping · batch 2` (the CLI's words, without its English). */
function whereOf(f: Failure): string {
  return [
    f.seq !== null ? `#${f.seq}` : null,
    f.part ? `${f.part.gtin}/${f.part.serial}` : null,
    f.step ?? null,
    f.batchId !== null ? `batch ${f.batchId}` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

const STATUS_ICON: Record<VerifyStep["status"], React.ReactNode> = {
  running: <LoadingOutlined style={{ color: "#1660d9" }} />,
  ok: <CheckCircleFilled style={{ color: "#237804" }} />,
  failed: <CloseCircleFilled style={{ color: "#a8071a" }} />,
  skipped: <MinusCircleOutlined style={{ color: "rgba(0, 0, 0, 0.55)" }} />,
};
/** Tag colours with WCAG AA contrast (antd's preset success/error text colours on their tints do not reach 4.5:1). */
const STATUS_STYLE: Record<VerifyStep["status"], React.CSSProperties> = {
  running: { color: "#003eb3", background: "#e6f4ff", borderColor: "#91caff" },
  ok: { color: "#135200", background: "#f6ffed", borderColor: "#b7eb8f" },
  failed: { color: "#820014", background: "#fff1f0", borderColor: "#ffa39e" },
  skipped: { color: "rgba(0, 0, 0, 0.75)", background: "#fafafa", borderColor: "#d9d9d9" },
};

/** Reads a dropped file as JSON; throws naming the file. */
async function readJson(file: File): Promise<unknown> {
  return JSON.parse(await file.text()) as unknown;
}

export default function Verify() {
  const t = useT();
  const [cfg, setCfg] = useState<VerifyConfig | null>(null);
  const [cfgError, setCfgError] = useState<string | null>(null);
  const [platformTrust, setPlatformTrust] = useState<PinnedTrust | null>(null);
  const [ownTrust, setOwnTrust] = useState<PinnedTrust | null>(null);
  const [trustError, setTrustError] = useState<string | null>(null);
  const [rpcUrl, setRpcUrl] = useState("");
  const [source, setSource] = useState<Source>("link");
  const [link, setLink] = useState("");
  const [linkError, setLinkError] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; bundle: unknown } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [steps, setSteps] = useState<Map<number, VerifyStep>>(new Map());
  const [result, setResult] = useState<BrowserVerdict | null>(null);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const run = useRef(0);
  const pending = useRef<VerifyStep[]>([]);
  const frame = useRef<number | null>(null);
  const flush = useCallback(() => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
    const batch = pending.current;
    pending.current = [];
    if (batch.length)
      setSteps((m) => {
        const next = new Map(m);
        for (const s of batch) next.set(s.index, s);
        return next;
      });
  }, []);

  useEffect(() => {
    answer<VerifyConfig>(api.GET("/api/v1/verify/config")).then(
      (c) => {
        setCfg(c);
        setRpcUrl((typed) => typed || c.rpcUrl || "");
      },
      (e: unknown) => setCfgError(errorText(t, e)),
    );
    fetchTrust(location.origin).then(setPlatformTrust, (e: Error) => setTrustError(e.message));
    // Once, on mount: the language switch must not refetch.
  }, []);

  const pinned = ownTrust ?? platformTrust;

  const verify = useCallback(async () => {
    const n = ++run.current;
    setFetchError(null);
    setResult(null);
    pending.current = [];
    setSteps(new Map());
    if (!pinned) return;
    let bundle: unknown;
    if (source === "link") {
      if (!partOfLink(link.trim())) return setLinkError(t("verify.link.invalid"));
      setLinkError(null);
    } else if (!file) return setFileError(t("verify.file.drop"));
    if (!rpcUrl.trim()) return setFetchError(t("verify.rpc.required"));
    setRunning(true);
    try {
      bundle = source === "link" ? await fetchPartBundle(link.trim(), location.origin) : file!.bundle;
    } catch (e) {
      if (n === run.current) {
        setFetchError((e as Error).message);
        setRunning(false);
      }
      return;
    }
    const verdict = await verifyInBrowser({
      bundle,
      trust: pinned.trust,
      rpcUrl: rpcUrl.trim(),
      timeoutMs: 5000,
      // The pasted link's label signature (s=) is checked too (DECISIONS 74); a dropped bundle has no link.
      link: source === "link" ? link.trim() : undefined,
      onStep: (s) => {
        if (n !== run.current) return;
        // Steps arrive in bursts (dozens within a millisecond): one render per frame, not one per step.
        pending.current.push(s);
        if (frame.current === null) frame.current = requestAnimationFrame(flush);
      },
    });
    if (n !== run.current) return;
    flush();
    setResult(verdict);
    setRunning(false);
  }, [pinned, source, link, file, rpcUrl, t, flush]);

  /** The steps grouped by what they are about (the bundle, the chain, a batch, an event, a part), in order. */
  const groups = useMemo(() => {
    const byText = new Map<string, VerifyStep[]>();
    for (const s of [...steps.values()].sort((a, b) => a.index - b.index)) {
      const g = byText.get(s.subject.text);
      if (g) g.push(s);
      else byText.set(s.subject.text, [s]);
    }
    return [...byText.entries()];
  }, [steps]);
  const finished = [...steps.values()].filter((s) => s.status !== "running").length;

  const report = result?.report ?? null;
  const failure = report?.failure ?? null;
  const rpcHint = cfg ? (cfg.rpcSource ? t(`verify.rpc.hint.${cfg.rpcSource}`) : t("verify.rpc.hint.none")) : undefined;

  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="auditor-verify">
      <Typography.Paragraph style={{ marginBottom: 0 }}>{t("verify.intro")}</Typography.Paragraph>
      {cfgError && <Alert type="warning" showIcon title={cfgError} />}

      <Card size="small" title={t("verify.source")}>
        <Space direction="vertical" style={{ width: "100%" }}>
          <Segmented<Source>
            aria-label={t("verify.source")}
            value={source}
            onChange={(s) => {
              setSource(s);
              setResult(null);
              setSteps(new Map());
            }}
            options={[
              { value: "link", label: t("verify.source.link") },
              { value: "file", label: t("verify.source.file") },
              { value: "receipt", label: t("verify.source.receipt") },
            ]}
          />
          {source === "receipt" ? (
            <Typography.Text type="secondary">{t("verify.receipt.intro")}</Typography.Text>
          ) : source === "link" ? (
            <Form layout="vertical" component="div">
              <Form.Item
                label={t("verify.link.label")}
                htmlFor="verify-link"
                validateStatus={linkError ? "error" : undefined}
                help={linkError ?? undefined}
                style={{ marginBottom: 0 }}
              >
                <Input
                  id="verify-link"
                  data-testid="verify-link"
                  value={link}
                  allowClear
                  inputMode="url"
                  placeholder={t("verify.link.placeholder")}
                  onChange={(e) => setLink(e.target.value)}
                  onPressEnter={() => void verify()}
                />
              </Form.Item>
            </Form>
          ) : (
            <div data-testid="verify-bundle-drop">
              <Upload.Dragger
                accept=".json,application/json"
                multiple={false}
                showUploadList={false}
                beforeUpload={(f) => {
                  readJson(f).then(
                    (bundle) => {
                      setFile({ name: f.name, bundle });
                      setFileError(null);
                    },
                    (e: Error) => {
                      setFile(null);
                      setFileError(t("verify.file.bad", { name: f.name, reason: e.message }));
                    },
                  );
                  return false;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t("verify.file.drop")}</p>
                <p className="ant-upload-hint">{t("verify.file.hint")}</p>
              </Upload.Dragger>
              {file && (
                <Typography.Text data-testid="verify-file-name">
                  {t("verify.file.loaded", { name: file.name })}
                </Typography.Text>
              )}
              {fileError && <Alert type="error" showIcon title={fileError} />}
            </div>
          )}
        </Space>
      </Card>

      <Card size="small" title={t("verify.trust")}>
        <Space direction="vertical" style={{ width: "100%" }}>
          {pinned ? (
            <>
              <Typography.Text strong>
                {ownTrust ? t("verify.trust.dropped", { name: ownTrust.source }) : t("verify.trust.platform")}
              </Typography.Text>
              <div>
                {t("verify.trust.fingerprint")}:{" "}
                <Typography.Text code copyable data-testid="trust-fingerprint" style={{ wordBreak: "break-all" }}>
                  {pinned.fingerprint}
                </Typography.Text>
              </div>
              <Typography.Text type="secondary">{t("verify.trust.compare")}</Typography.Text>
            </>
          ) : (
            !trustError && <Typography.Text>{t("verify.trust.loading")}</Typography.Text>
          )}
          {trustError && <Alert type="error" showIcon title={t("verify.trust.bad", { reason: trustError })} />}
          <Space wrap>
            <span data-testid="verify-trust-drop">
              <Upload
                accept=".json,application/json"
                multiple={false}
                showUploadList={false}
                beforeUpload={(f) => {
                  readJson(f)
                    .then((doc) => pinTrust(doc, f.name))
                    .then(
                      (p) => {
                        setOwnTrust(p);
                        setTrustError(null);
                      },
                      (e: Error) => setTrustError(e.message),
                    );
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />}>{t("verify.trust.drop")}</Button>
              </Upload>
            </span>
            {ownTrust && platformTrust && <Button onClick={() => setOwnTrust(null)}>{t("verify.trust.reset")}</Button>}
          </Space>
        </Space>
      </Card>

      <Card size="small" title={t("verify.rpc")}>
        <Form layout="vertical" component="div">
          <Form.Item label={t("verify.rpc")} htmlFor="verify-rpc" extra={rpcHint} style={{ marginBottom: 0 }}>
            <Input
              id="verify-rpc"
              data-testid="verify-rpc"
              value={rpcUrl}
              inputMode="url"
              placeholder={t("verify.rpc.placeholder")}
              onChange={(e) => setRpcUrl(e.target.value)}
            />
          </Form.Item>
        </Form>
      </Card>

      {source === "receipt" ? (
        // The receipt mode runs the CLI's receipt check (verifyReceiptBundle) in this browser (DECISIONS 117).
        <ReceiptVerify pinned={pinned} rpcUrl={rpcUrl} />
      ) : (
        <Button
          type="primary"
          size="large"
          icon={<SafetyCertificateOutlined />}
          loading={running}
          disabled={!pinned}
          onClick={() => void verify()}
          data-testid="verify-run"
          block
        >
          {running ? t("verify.running") : t("verify.run")}
        </Button>
      )}

      {fetchError && <Alert type="error" showIcon title={fetchError} data-testid="verify-fetch-error" />}

      {result && (
        <div
          data-testid="verdict"
          data-verdict={result.verdict}
          data-failed-check={failure?.check ?? ""}
          data-verify-ms={result.ms}
        >
          {result.verdict === "verified" && (
            <Alert
              type="success"
              showIcon
              title={t("verify.verdict.verified", { n: steps.size })}
              description={t("verify.verdict.verified.sub", { ms: result.ms })}
            />
          )}
          {result.verdict === "failed" && failure && (
            <Alert
              type="error"
              showIcon
              title={t("verify.verdict.failed", {
                title: checkTitle(t, failure.check ?? "", failure.check ?? failure.reason),
              })}
              description={t("verify.verdict.failed.sub", {
                check: failure.check ?? "?",
                where: whereOf(failure) || "—",
                reason: failure.reason,
              })}
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

      {steps.size > 0 && (
        <Card size="small" title={t("verify.steps", { done: finished, total: steps.size })} data-testid="steps">
          {groups.map(([subject, list]) => (
            <section key={subject} style={{ marginBottom: 12 }} aria-label={subject}>
              <Typography.Text strong>{subject}</Typography.Text>
              <ul style={{ listStyle: "none", margin: "4px 0 0", padding: 0 }}>
                {list.map((s) => (
                  <li
                    key={s.index}
                    data-check={s.check}
                    data-status={s.status}
                    style={{ display: "flex", gap: 8, alignItems: "flex-start", padding: "3px 0" }}
                  >
                    <span aria-hidden style={{ paddingTop: 2 }}>
                      {STATUS_ICON[s.status]}
                    </span>
                    <span style={{ flex: 1, minWidth: 0, overflowWrap: "anywhere" }}>
                      {checkTitle(t, s.check, s.title)}{" "}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {s.check}
                      </Typography.Text>
                      {s.detail && <div style={{ fontSize: 12, color: "rgba(0, 0, 0, 0.65)" }}>{s.detail}</div>}
                    </span>
                    <Tag style={{ ...STATUS_STYLE[s.status], marginInlineEnd: 0 }}>
                      {t(`verify.status.${s.status}`)}
                    </Tag>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </Card>
      )}

      {report && report.anchoring.length > 0 && (
        <Card size="small" title={t("verify.anchoring")}>
          <Table
            size="small"
            pagination={false}
            rowKey="batchId"
            scroll={{ x: true }}
            dataSource={report.anchoring}
            columns={[
              { title: t("verify.anchoring.batch"), dataIndex: "batchId" },
              {
                title: t("verify.anchoring.tx"),
                dataIndex: "txHash",
                render: (v: string) => (
                  <Typography.Text code copyable={{ text: v }}>
                    {`${v.slice(0, 10)}…${v.slice(-6)}`}
                  </Typography.Text>
                ),
              },
              { title: t("verify.anchoring.block"), dataIndex: "blockNumber" },
              { title: t("verify.anchoring.confirmations"), dataIndex: "confirmations" },
            ]}
          />
        </Card>
      )}

      {report && report.actors.length > 0 && (
        <Card size="small" title={t("verify.actors")}>
          <Typography.Paragraph type="secondary">{t("verify.actors.note")}</Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="address"
            scroll={{ x: true }}
            dataSource={report.actors}
            columns={[
              { title: t("verify.actors.name"), dataIndex: "name" },
              { title: t("verify.actors.uscc"), dataIndex: "uscc", render: (v: string | null) => v ?? "—" },
              {
                title: t("verify.actors.address"),
                dataIndex: "address",
                render: (v: string) => (
                  <Typography.Text code copyable={{ text: v }}>
                    {`${v.slice(0, 8)}…${v.slice(-6)}`}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Card>
      )}

      {result && (
        <Card size="small" title={t("verify.unproven")} data-testid="unproven">
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {report && report.unchecked.length > 0 && (
              <li>{t("verify.unproven.unchecked", { what: report.unchecked.join("; ") })}</li>
            )}
            <li>{t("verify.unproven.physical")}</li>
            <li>{t("verify.unproven.actors")}</li>
            <li>{t("verify.unproven.events")}</li>
            <li>{t("verify.unproven.trust")}</li>
          </ul>
        </Card>
      )}
    </Space>
  );
}
