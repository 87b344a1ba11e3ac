/**
 * Labels of a run: preview one label (GET /parts/{gtin}/{serial}/label.png) and download the run's sheet
 * (GET /mint/{runId}/labels.pdf) in a layout. The layouts and the base-URL warning come from the labels module's
 * GET /labels/settings when the server has it; the screen decides neither (without it: the A4 sheet, no banner).
 */
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Col, Empty, Image, Radio, Row, Select, Skeleton, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { answer, api, ApiError, useApi } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { hasMessage, useT } from "../../i18n";
import { AnchoringTag, getBlob, saveBlob, type LabelSettings, type RunDetail, type Runs as RunList } from "./shared";

type Layout = LabelSettings["layouts"][number]["layout"];

/** The settings, or null when this server has no /labels/settings (then: only the A4 sheet, and no warning). */
async function labelSettings(): Promise<LabelSettings | null> {
  try {
    return await answer<LabelSettings>(api.GET("/api/v1/labels/settings"));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export default function Labels() {
  const t = useT();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const runs = useApi(() => answer<RunList>(api.GET("/api/v1/mint")), []);
  const settings = useApi(labelSettings, []);
  const runId = params.get("run") ?? runs.data?.runs[0]?.runId ?? null;
  const run = useApi(
    () =>
      runId
        ? answer<RunDetail>(api.GET("/api/v1/mint/{runId}", { params: { path: { runId } } }))
        : Promise.resolve(null),
    [runId],
  );
  const [serial, setSerial] = useState<string>();
  const [layout, setLayout] = useState<Layout>();
  const [preview, setPreview] = useState<string>();
  const [previewError, setPreviewError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const shown = serial && run.data?.serials.includes(serial) ? serial : run.data?.serials[0];
  const layouts: Layout[] = settings.data?.layouts.map((l) => l.layout) ?? ["a4"];
  const chosen = layout && layouts.includes(layout) ? layout : layouts[0]!;

  useEffect(() => {
    if (!run.data || !shown) return;
    let url: string | undefined;
    let live = true;
    setPreviewError(undefined);
    getBlob("/api/v1/parts/{gtin}/{serial}/label.{format}", {
      path: { gtin: run.data.gtin, serial: shown, format: "png" },
    }).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        if (live) setPreview(url);
      },
      (e: unknown) => live && setPreviewError(errorText(t, e)),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [run.data, shown, t]);

  const download = async () => {
    if (!run.data) return;
    setBusy(true);
    try {
      // ?layout= only when the server lists layouts (an older server knows the A4 sheet alone and no parameter).
      const query = settings.data ? { layout: chosen } : undefined;
      const pdf = await getBlob("/api/v1/mint/{runId}/labels.pdf", {
        path: { runId: run.data.runId },
        ...(query ? { query } : {}),
      });
      saveBlob(pdf, `labels-${run.data.runId}${query ? `-${chosen}` : ""}.pdf`);
      void message.success(t("mfr.labels.downloaded", { count: run.data.count }));
    } catch (e) {
      void message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  if (runs.error || settings.error)
    return <Alert type="error" showIcon title={errorText(t, runs.error ?? settings.error)} />;
  if (!runs.data || settings.loading) return <Skeleton active />;
  if (!runs.data.runs.length) return <Empty description={t("mfr.labels.noRun")} />;
  const warning = settings.data?.publicBaseUrlWarning;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      {warning && (
        <Alert
          type="warning"
          showIcon
          data-testid="base-url-warning"
          title={t("mfr.labels.baseUrlWarning")}
          description={t("mfr.labels.baseUrlWarning.detail", { url: settings.data?.publicBaseUrl ?? "" })}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card size="small">
            <Space direction="vertical" style={{ width: "100%" }}>
              <label htmlFor="labels-run">{t("mfr.labels.chooseRun")}</label>
              <Select
                id="labels-run"
                style={{ width: "100%" }}
                value={runId ?? undefined}
                onChange={(v: string) => {
                  setSerial(undefined);
                  setParams({ run: v });
                }}
                options={runs.data.runs.map((r) => ({
                  value: r.runId,
                  label: `${r.brand ?? r.gtin} ${r.name ?? ""} · ${r.lot} · ${r.count}`,
                }))}
              />
              {run.data && (
                <>
                  <AnchoringTag state={run.data.anchoring.state} />
                  <label htmlFor="labels-serial">{t("mfr.labels.serial")}</label>
                  <Select
                    id="labels-serial"
                    showSearch
                    style={{ width: "100%" }}
                    value={shown}
                    onChange={(v: string) => setSerial(v)}
                    options={run.data.serials.map((s) => ({ value: s, label: s }))}
                  />
                  <Typography.Text id="labels-layout">{t("mfr.labels.layout")}</Typography.Text>
                  <Radio.Group
                    aria-labelledby="labels-layout"
                    data-testid="layouts"
                    value={chosen}
                    onChange={(e) => setLayout(e.target.value as Layout)}
                    options={layouts.map((l) => {
                      const key = `mfr.labels.layout.${l}`;
                      return { value: l, label: hasMessage(key) ? t(key) : l };
                    })}
                  />
                  <Can perm="label:export">
                    <Button
                      type="primary"
                      icon={<DownloadOutlined />}
                      loading={busy}
                      onClick={() => void download()}
                      block
                    >
                      {t("mfr.labels.download")}
                    </Button>
                  </Can>
                </>
              )}
              {run.error && <Alert type="error" showIcon title={errorText(t, run.error)} />}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t("mfr.labels.preview")}>
            {previewError ? (
              <Alert type="error" showIcon title={previewError} />
            ) : preview && shown ? (
              <Space direction="vertical" align="center" style={{ width: "100%" }}>
                <Image
                  src={preview}
                  alt={t("mfr.labels.previewAlt", { serial: shown })}
                  width={220}
                  preview={false}
                  data-testid="label-preview"
                />
                {run.data && (
                  <Typography.Text style={{ textAlign: "center" }}>
                    {run.data.brand} {run.data.name}
                    <br />
                    GTIN {run.data.gtin} · SN {shown} · {t("mfr.mint.lot")} {run.data.lot}
                  </Typography.Text>
                )}
              </Space>
            ) : (
              <Skeleton.Image active />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
