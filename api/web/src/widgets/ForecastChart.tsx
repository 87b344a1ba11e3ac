/**
 * One series' demand as a planner reads it (issue 14): the history, the forecast's mean and its 10–90 % band
 * (ECharts line + stacked area), and beside it how earlier forecasts of the same series fared, in words, with the
 * model's name. Reads GET /api/v1/forecasts; the chart is labelled for screen readers and the numbers are in words.
 */
import { Alert, Descriptions, Skeleton, Space, Typography } from "antd";
import { useMemo } from "react";
import { answer, api, useApi, type Answer } from "../api/client";
import { errorText } from "../app/errors";
import { useT, type MessageKey, type Translate } from "../i18n";
import { EChart, type ChartOption } from "./EChart";

export type ForecastView = Answer<"/api/v1/forecasts", "get">;
export type ForecastScope = "warehouse" | "city" | "province";

const MODELS = [
  "combo",
  "naive",
  "seasonalNaive",
  "mean",
  "ses",
  "croston",
  "sba",
  "tsb",
  "adida",
  "imapa",
  "holtDamped",
  "holtWinters",
  "theta",
] as const;

/** The model's name in words ("组合模型 …"); an unknown code as it is. */
export function modelName(t: Translate, model: string): string {
  return (MODELS as readonly string[]).includes(model) ? t(`forecast.model.${model}` as MessageKey) : model;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The forecast's track record in words, one sentence per figure. */
export function accuracyWords(t: Translate, a: ForecastView["accuracy"]): string[] {
  if (!a || a.forecastsEvaluated === 0) return [t("forecast.accuracy.none")];
  const out = [t("forecast.accuracy.count", { n: a.forecastsEvaluated })];
  if (a.medianTotalApe !== null) out.push(t("forecast.accuracy.ape", { pct: pct(a.medianTotalApe) }));
  if (a.coverage80 !== null) out.push(t("forecast.accuracy.coverage", { pct: pct(a.coverage80) }));
  if (a.mase !== null)
    out.push(t(a.mase < 1 ? "forecast.accuracy.maseGood" : "forecast.accuracy.maseWeak", { mase: a.mase.toFixed(2) }));
  return out;
}

/** History (the last `days` periods), mean and 10–90 % band. */
function chartOption(t: Translate, v: ForecastView, show: number): ChartOption {
  const hp = v.history.periods.slice(-show);
  const hq = v.history.quantity.slice(-show);
  const f = v.forecast;
  const fp = f?.periods ?? [];
  const pad = (n: number) => Array<number | null>(n).fill(null);
  const lo = f?.quantiles["0.1"] ?? [];
  const hi = f?.quantiles["0.9"] ?? [];
  const last = hq.at(-1) ?? null;
  return {
    animation: false,
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("forecast.series.history"), t("forecast.series.mean"), t("forecast.series.band")] },
    xAxis: { type: "category", data: [...hp, ...fp], boundaryGap: false },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: t("forecast.series.history"),
        type: "line",
        data: [...hq, ...pad(fp.length)],
        showSymbol: false,
        lineStyle: { color: "#1660d9" },
        itemStyle: { color: "#1660d9" },
      },
      {
        name: t("forecast.series.mean"),
        type: "line",
        // Joined to the last observed day so the two lines meet.
        data: [...pad(hp.length - 1), last, ...(f?.mean ?? [])],
        showSymbol: true,
        lineStyle: { color: "#ad4e00", type: "dashed" },
        itemStyle: { color: "#ad4e00" },
      },
      {
        name: "lo",
        type: "line",
        stack: "band",
        data: [...pad(hp.length), ...lo],
        lineStyle: { opacity: 0 },
        showSymbol: false,
        tooltip: { show: false },
      },
      {
        name: t("forecast.series.band"),
        type: "line",
        stack: "band",
        data: [...pad(hp.length), ...hi.map((h, i) => h - (lo[i] ?? 0))],
        lineStyle: { opacity: 0 },
        showSymbol: false,
        areaStyle: { color: "rgba(250, 140, 22, 0.25)" },
        itemStyle: { color: "rgba(250, 140, 22, 0.45)" },
      },
    ],
  };
}

/** The chart with the forecast's accuracy and model beside it, for one SKU in one scope. */
export function ForecastChart({
  scope,
  scopeId,
  skuId,
  granularity = "day",
  reloadKey = 0,
}: {
  scope: ForecastScope;
  scopeId: string;
  skuId: number;
  granularity?: "day" | "month";
  reloadKey?: number;
}) {
  const t = useT();
  const view = useApi(
    () =>
      answer<ForecastView>(
        api.GET("/api/v1/forecasts", { params: { query: { scope, scopeId, skuId, granularity } } } as never),
      ),
    [scope, scopeId, skuId, granularity, reloadKey],
  );
  const v = view.data;
  const option = useMemo(() => (v ? chartOption(t, v, granularity === "day" ? 56 : 36) : null), [t, v, granularity]);
  if (view.error) return <Alert type="error" showIcon title={errorText(t, view.error)} />;
  if (!v || !option) return <Skeleton active />;
  const f = v.forecast;
  const total = f ? f.mean.reduce((a, b) => a + b, 0) : 0;
  const lo = f?.quantiles["0.1"]?.reduce((a, b) => a + b, 0);
  const hi = f?.quantiles["0.9"]?.reduce((a, b) => a + b, 0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="forecast-chart">
      <EChart
        option={option}
        height={300}
        testId="forecast-echart"
        label={t("forecast.chartLabel", { sku: skuId, scope: v.scopeName ?? scopeId })}
      />
      {!f && <Alert type="info" showIcon title={t("forecast.noForecast")} />}
      {f && (
        <Descriptions size="small" column={1} bordered data-testid="forecast-facts">
          <Descriptions.Item label={t("forecast.model")}>{modelName(t, f.model)}</Descriptions.Item>
          <Descriptions.Item label={t(granularity === "day" ? "forecast.next7" : "forecast.next12")}>
            {t("forecast.totalWords", {
              mean: total.toFixed(1),
              lo: lo === undefined ? "—" : String(Math.round(lo)),
              hi: hi === undefined ? "—" : String(Math.round(hi)),
            })}
          </Descriptions.Item>
          <Descriptions.Item label={t("forecast.accuracy")}>
            <div data-testid="forecast-accuracy">
              {accuracyWords(t, v.accuracy).map((s) => (
                <Typography.Paragraph key={s} style={{ marginBottom: 4 }}>
                  {s}
                </Typography.Paragraph>
              ))}
            </div>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Space>
  );
}
