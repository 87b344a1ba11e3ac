/**
 * 管理驾驶舱 (issue 17): the KPIs of a period against the previous one, each with its definition and a ledger-verified
 * mark; regional gaps on the China map; hot SKUs and risers; channel health; the rows behind a KPI (paged), CSV and
 * the printable PDF. One data hook per panel, all from GET /cockpit/* (the API decides whose business is shown).
 */
import { FilePdfOutlined, DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Grid,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useRef, useState } from "react";
import { answer, api, session, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can } from "../../app/session";
import { hasMessage, useLocale, useT, type MessageKey } from "../../i18n";
import { chinaMap } from "../../widgets/chinaMap";
import { DateTime } from "../../widgets/DateTime";
import { EChart, type ChartOption } from "../../widgets/EChart";
import { Money } from "../../widgets/Money";
import { download } from "./kit";

type Summary = Answer<"/api/v1/cockpit/summary", "get">;
type Kpi = Summary["kpis"][number];
type Skus = Answer<"/api/v1/cockpit/skus", "get">;
type Regions = Answer<"/api/v1/cockpit/regions", "get">;
type Channels = Answer<"/api/v1/cockpit/channels", "get">;
type Rows = Answer<"/api/v1/cockpit/rows", "get">;
type Level = "province" | "city";

const fmt = (v: number | null | undefined, unit: string) =>
  v === null || v === undefined ? "—" : unit === "ratio" ? `${(v * 100).toFixed(1)}%` : v.toFixed(1);
/** Drill-down columns holding an instant (ISO 8601 from the API): placedAt, shippedAt, scannedAt … */
const AT_COLUMN = /At$/;
const nameOf = (d: { zh: string; en: string }, zh: boolean) => (zh ? d.zh.split("：")[0]! : d.en.split(":")[0]!);

export default function Cockpit() {
  const t = useT();
  const { locale } = useLocale();
  const zh = locale === "zh-CN";
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, "day"), dayjs()]);
  const [level, setLevel] = useState<Level>("province");
  const [metric, setMetric] = useState<string>("fill_rate");
  const [page, setPage] = useState(1);
  const [refreshes, setRefreshes] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const period = { from: range[0].format("YYYY-MM-DD"), to: range[1].format("YYYY-MM-DD") };
  const key = `${period.from}|${period.to}|${refreshes}`;
  const get = <T,>(path: string, query: Record<string, unknown>) =>
    answer<T>(api.GET(path as never, { params: { query: { ...period, ...query } } } as never));

  const summary = useApi(() => get<Summary>("/api/v1/cockpit/summary", {}), [key]);
  const skus = useApi(() => get<Skus>("/api/v1/cockpit/skus", { limit: 10 }), [key]);
  const regions = useApi(() => get<Regions>("/api/v1/cockpit/regions", { level }), [key, level]);
  const channels = useApi(() => get<Channels>("/api/v1/cockpit/channels", {}), [key]);
  // Each page's cursor once the page before it was read (keyset: a page reads its own rows); a page jumped to
  // without one is asked by number.
  const cursors = useRef(new Map<string, string>());
  const rows = useApi(() => {
    const cursor = cursors.current.get(`${key}|${metric}|${page}`);
    return get<Rows>(
      "/api/v1/cockpit/rows",
      cursor ? { metric, cursor, pageSize: 20 } : { metric, page, pageSize: 20 },
    );
  }, [key, metric, page]);
  useEffect(() => {
    const next = rows.data?.nextCursor;
    if (next) cursors.current.set(`${key}|${metric}|${page + 1}`, next);
  }, [rows.data, key, metric, page]);

  const names = useMemo(() => chinaMap(), []);
  const mapOption = useMemo((): ChartOption => {
    const data = (regions.data?.level === "province" ? regions.data.regions : []).map((r) => ({
      name: names.get(r.code) ?? r.name,
      value: r.unfilled,
    }));
    return {
      animation: false,
      tooltip: { trigger: "item" },
      visualMap: {
        min: 0,
        max: Math.max(1, ...data.map((d) => d.value)),
        left: 8,
        bottom: 8,
        calculable: true,
        inRange: { color: ["#fff7e6", "#ffc069", "#fa8c16", "#ad4e00"] },
      },
      series: [
        {
          type: "map",
          map: "china",
          name: t("cockpit.unfilled"),
          data,
          itemStyle: { areaColor: "#f5f5f5", borderColor: "#8c8c8c" },
        },
      ],
    };
  }, [regions.data, names, t]);
  const hotOption = useMemo((): ChartOption => {
    const hot = [...(skus.data?.hot ?? [])].reverse();
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: hot.map((s) => s.name ?? `SKU ${s.skuId}`) },
      series: [{ type: "bar", name: t("cockpit.current"), data: hot.map((s) => s.current) }],
    } as ChartOption;
  }, [skus.data, t]);

  const refresh = async () => {
    setBusy("refresh");
    try {
      const r = await answer<{ days: number }>(api.POST("/api/v1/cockpit/refresh" as never, {} as never));
      message.success(t("cockpit.refreshed", { days: r.days }));
      setRefreshes((n) => n + 1);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  const file = async (kind: "csv" | "pdf") => {
    setBusy(kind);
    try {
      const q = new URLSearchParams(kind === "csv" ? { ...period, metric } : period);
      const path = kind === "csv" ? "rows.csv" : "report.pdf";
      await download(
        `${location.origin}/api/v1/cockpit/${path}?${q}`,
        session.token(),
        `partledger-${kind === "csv" ? metric : "cockpit"}-${period.from}-${period.to}.${kind}`,
      );
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const err = summary.error ?? skus.error ?? regions.error ?? channels.error ?? rows.error;
  const kpi = (k: Kpi) => {
    const better = k.change === null || k.change === 0 ? null : k.change < 0 === k.lowerIsBetter;
    return (
      <Col xs={24} sm={12} lg={6} key={k.key}>
        <Card
          size="small"
          hoverable
          data-testid={`kpi-${k.key}`}
          onClick={() => {
            setMetric(k.key);
            setPage(1);
          }}
          style={metric === k.key ? { borderColor: "#1677ff" } : undefined}
          title={
            <Tooltip title={zh ? k.definition.zh : k.definition.en}>
              <span>{nameOf(k.definition, zh)}</span>
            </Tooltip>
          }
          extra={
            k.verified ? (
              <Tooltip title={t("cockpit.verifiedHint")}>
                <Tag color="green" icon={<SafetyCertificateOutlined />}>
                  {t("cockpit.verified")}
                </Tag>
              </Tooltip>
            ) : null
          }
        >
          <Statistic value={fmt(k.value, k.unit)} />
          <Typography.Text type={better === null ? "secondary" : better ? "success" : "danger"}>
            {t("cockpit.previous")} {fmt(k.previous, k.unit)}
          </Typography.Text>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
            {zh ? k.definition.zh : k.definition.en}
          </Typography.Paragraph>
        </Card>
      </Col>
    );
  };
  /** A drill-down cell: instants in Beijing time, fen in yuan, flags and lists in words. */
  const cell = (col: string, v: unknown) => {
    if (v === null || v === undefined) return "—";
    if (AT_COLUMN.test(col) && typeof v === "string") return <DateTime at={v} />;
    if (col.endsWith("Fen")) return <Money fen={v as number | string} />;
    if (typeof v === "boolean") return t(v ? "cockpit.yes" : "cockpit.no");
    if (typeof v === "string")
      for (const k of [`order.status.${v}`, `status.${v}`, `shop.verdict.${v}`])
        if ((col === "status" || col === "verdict") && hasMessage(k)) return t(k);
    return Array.isArray(v) ? v.join(" → ") : String(v);
  };
  const columns = Object.keys(rows.data?.rows[0] ?? {}).map((c) => ({
    title: hasMessage(`cockpit.col.${c}`) ? t(`cockpit.col.${c}` as MessageKey) : c,
    dataIndex: c,
    render: (v: unknown) => cell(c, v),
  }));
  const metricName = rows.data ? nameOf(rows.data.definition, zh) : metric;
  // antd renders each wide table's horizontal scrolling box itself: each gets a tab stop and its card's title as
  // name, so that keyboard users can scroll the rows (axe: scrollable-region-focusable). The tables may replace their
  // boxes after measuring them: applied again on every change of the page's subtree.
  const pageBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = pageBox.current;
    if (!root) return;
    const apply = () => {
      for (const box of root.querySelectorAll(".ant-table-content:not([tabindex])")) {
        box.setAttribute("tabindex", "0");
        const title = box.closest(".ant-card")?.querySelector(".ant-card-head-title")?.textContent;
        if (title) box.setAttribute("aria-label", title);
      }
    };
    apply();
    const seen = new MutationObserver(apply);
    seen.observe(root, { childList: true, subtree: true });
    return () => seen.disconnect();
  }, []);

  return (
    <div ref={pageBox}>
      <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{t("cockpit.hint")}</Typography.Text>
        <Space wrap>
          <DatePicker.RangePicker
            aria-label={t("cockpit.period")}
            allowClear={false}
            value={range}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            presets={[7, 30, 90, 365].map((n) => ({
              label: t(`cockpit.preset.${n}` as "cockpit.preset.7"),
              value: [dayjs().subtract(n - 1, "day"), dayjs()] as [Dayjs, Dayjs],
            }))}
          />
          <Can perm="cockpit:edit">
            <Button icon={<ReloadOutlined />} loading={busy === "refresh"} onClick={refresh}>
              {t("cockpit.refresh")}
            </Button>
          </Can>
          <Can perm="cockpit:export">
            <Button icon={<FilePdfOutlined />} loading={busy === "pdf"} onClick={() => file("pdf")}>
              {t("cockpit.pdf")}
            </Button>
          </Can>
          {summary.data?.refreshedAt && (
            <Typography.Text type="secondary">
              {t("cockpit.refreshedAt")} <DateTime at={summary.data.refreshedAt} />
            </Typography.Text>
          )}
        </Space>
        {err && <Alert type="error" showIcon title={errorText(t, err)} />}
        <Row gutter={[12, 12]} data-testid="cockpit-kpis">
          {(summary.data?.kpis ?? []).map(kpi)}
        </Row>
        <Card
          size="small"
          title={t("cockpit.rows", { metric: metricName })}
          extra={
            <Can perm="cockpit:export">
              <Button size="small" icon={<DownloadOutlined />} loading={busy === "csv"} onClick={() => file("csv")}>
                {t("cockpit.csv")}
              </Button>
            </Can>
          }
        >
          <Table<Record<string, unknown>>
            data-testid="cockpit-rows"
            size="small"
            rowKey={(r) => JSON.stringify(r)}
            loading={rows.loading}
            dataSource={rows.data?.rows ?? []}
            columns={columns}
            scroll={{ x: true }}
            locale={{ emptyText: t("cockpit.empty") }}
            pagination={{
              current: page,
              pageSize: 20,
              total: rows.data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
            }}
          />
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card
              size="small"
              title={t("cockpit.map")}
              extra={
                <Segmented<Level>
                  size="small"
                  value={level}
                  onChange={setLevel}
                  options={[
                    { value: "province", label: t("cockpit.level.province") },
                    { value: "city", label: t("cockpit.level.city") },
                  ]}
                />
              }
            >
              {level === "province" && (
                <EChart option={mapOption} height={screens.md ? 380 : 280} label={t("cockpit.mapLabel")} describe />
              )}
              <Table
                data-testid="cockpit-regions"
                rowKey="code"
                size="small"
                loading={regions.loading}
                dataSource={regions.data?.regions ?? []}
                pagination={{ pageSize: 8, showSizeChanger: false }}
                scroll={{ x: true }}
                columns={[
                  { title: t("cockpit.region"), dataIndex: "name" },
                  { title: t("cockpit.searches"), dataIndex: "searches", align: "right" },
                  { title: t("cockpit.emptySearches"), dataIndex: "emptySearches", align: "right" },
                  { title: t("cockpit.ordered"), dataIndex: "ordered", align: "right" },
                  { title: t("cockpit.unfilled"), dataIndex: "unfilled", align: "right" },
                  { title: t("cockpit.available"), dataIndex: "available", align: "right" },
                  { title: t("cockpit.shortfall"), dataIndex: "shortfall", align: "right" },
                ]}
              />
              {regions.data && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {zh ? regions.data.definition.zh : regions.data.definition.en}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={t("cockpit.hot")}>
              <EChart option={hotOption} height={260} label={t("cockpit.hotLabel")} describe />
              <Typography.Title level={5}>{t("cockpit.risers")}</Typography.Title>
              <Table
                data-testid="cockpit-risers"
                rowKey="skuId"
                size="small"
                pagination={false}
                dataSource={skus.data?.risers ?? []}
                columns={[
                  {
                    title: t("cockpit.sku"),
                    key: "sku",
                    render: (_, s) => [s.brand, s.partNo, s.name].filter(Boolean).join(" ") || `SKU ${s.skuId}`,
                  },
                  { title: t("cockpit.previous"), dataIndex: "previous", align: "right" },
                  { title: t("cockpit.current"), dataIndex: "current", align: "right" },
                  { title: t("cockpit.change"), dataIndex: "change", align: "right", render: (v: number) => `+${v}` },
                ]}
              />
              {skus.data && (
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {zh ? skus.data.definition.zh : skus.data.definition.en}
                </Typography.Paragraph>
              )}
            </Card>
          </Col>
        </Row>
        <Card size="small" title={t("cockpit.channels")}>
          <Table
            data-testid="cockpit-channels"
            rowKey="companyId"
            size="small"
            pagination={false}
            scroll={{ x: true }}
            dataSource={channels.data?.channels ?? []}
            locale={{ emptyText: t("cockpit.empty") }}
            columns={[
              { title: t("cockpit.company"), dataIndex: "name" },
              ...(["fill_rate", "on_time", "cancel_rate", "counterfeit_rate", "fulfilment_hours"] as const).map(
                (m) => ({
                  title: (
                    <Tooltip title={zh ? channels.data?.definitions[m]?.zh : channels.data?.definitions[m]?.en}>
                      {channels.data?.definitions[m] ? nameOf(channels.data.definitions[m], zh) : m}
                    </Tooltip>
                  ),
                  key: m,
                  align: "right" as const,
                  render: (_: unknown, c: Channels["channels"][number]) => {
                    const x = c.metrics[m];
                    const unit = m === "fulfilment_hours" ? "hours" : "ratio";
                    return x ? `${fmt(x.value, unit)} (${fmt(x.previous, unit)})` : "—";
                  },
                }),
              ),
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}
