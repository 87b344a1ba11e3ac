/**
 * 补货建议 (issue 14, DECISIONS 72): per SKU × warehouse the reorder point now vs computed, the order-up-to level and
 * the proposals (transfer / buy / pre-stock, with their reason in words), most costly stock-out first. Acting goes
 * through the API's flows only: a transfer waits in 调拨 for a second person, a purchase is an approval request, a
 * computed reorder point is applied to the stock row. A row opens the forecast chart of that SKU × warehouse.
 */
import { LineChartOutlined, ReloadOutlined, SettingOutlined } from "@ant-design/icons";
import { Alert, App, Button, Drawer, Grid, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useMemo, useState } from "react";
import { answer, api, useApi, type Answer } from "../../api/client";
import { errorText } from "../../app/errors";
import { Can, usePermissions } from "../../app/session";
import { useLocale, useT } from "../../i18n";
import { ForecastChart } from "../../widgets/ForecastChart";
import { Money } from "../../widgets/Money";
import { ServiceLevels } from "./ServiceLevels";
import type { Warehouses } from "./types";

type Replenishment = Answer<"/api/v1/replenishment", "get">;
type Item = Replenishment["items"][number];
type Proposal = Item["proposals"][number];
type Action = "transfer" | "buy" | "prestock" | "apply_reorder_point";

const CLASS_COLOR = { critical: "#820014", normal: "#003eb3", slow: "#434343" } as const;
const KIND_COLOR = { transfer: "#00474f", buy: "#873800", prestock: "#391085" } as const;
/** antd's link blue fails WCAG AA on white: a darker one (as on the vocabulary screen). */
const LINK = { color: "#1660d9" };

export default function ReplenishmentPage() {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { has } = usePermissions();
  const screens = Grid.useBreakpoint();
  const [locationId, setLocationId] = useState<string | undefined>();
  const [open, setOpen] = useState<Item | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [refits, setRefits] = useState(0);
  const list = useApi(
    () =>
      answer<Replenishment>(
        api.GET("/api/v1/replenishment", { params: { query: locationId ? { locationId } : {} } } as never),
      ),
    [locationId, refits],
  );
  const warehouses = useApi(
    () =>
      has("offer:view")
        ? answer<Warehouses>(api.GET("/api/v1/suppliers/locations"))
        : Promise.resolve({ locations: [] } as unknown as Warehouses),
    [],
  );
  const names = useMemo(
    () => new Map((warehouses.data?.locations ?? []).map((w) => [w.id, w.name])),
    [warehouses.data],
  );
  const whName = (id: string | null) => (id ? (names.get(id) ?? id) : "—");

  const act = async (r: Item, action: Action, quantity?: number) => {
    const key = `${r.locationId}|${r.skuId}|${action}`;
    setBusy(key);
    try {
      await api.POST("/api/v1/replenishment/act", {
        body: { locationId: r.locationId, skuId: r.skuId, action, ...(quantity ? { quantity } : {}) },
      } as never);
      message.success(t(`replen.done.${action}`));
      list.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  /** My company's class for this SKU (null: inferred from demand again); the list reloads with its new levels. */
  const setClass = async (r: Item, partClass: Item["partClass"] | null) => {
    setBusy(`${r.locationId}|${r.skuId}|class`);
    try {
      await api.PUT("/api/v1/replenishment/part-classes", { body: { skuId: r.skuId, partClass } });
      message.success(t("replen.class.saved"));
      list.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  const refit = async () => {
    setBusy("refit");
    try {
      const r = await answer<{ fitted: number }>(api.POST("/api/v1/forecasts/refit", { body: {} } as never));
      message.success(t("replen.refitted", { n: r.fitted }));
      setRefits((n) => n + 1);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  const reason = (p: Proposal) => (locale === "en" && p.reasonEn ? p.reasonEn : p.reasonZh);
  const s = list.data?.settings;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Typography.Text type="secondary">{t("replen.hint")}</Typography.Text>
      <Space wrap>
        <Select
          aria-label={t("replen.warehouse")}
          style={{ minWidth: 200 }}
          allowClear
          placeholder={t("replen.allWarehouses")}
          value={locationId}
          onChange={(v?: string) => setLocationId(v)}
          options={(warehouses.data?.locations ?? []).map((w) => ({ value: w.id, label: w.name }))}
        />
        <Can perm="forecast:edit">
          <Button icon={<ReloadOutlined />} loading={busy === "refit"} onClick={refit}>
            {t("replen.refit")}
          </Button>
        </Can>
        <Can perm="replenishment:configure">
          <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)}>
            {t("replen.settings")}
          </Button>
        </Can>
      </Space>
      {s && (
        <Typography.Text type="secondary" data-testid="replen-settings-line">
          {t("replen.settingsLine", {
            critical: Math.round(s.criticalLevel * 100),
            normal: Math.round(s.normalLevel * 100),
            slow: Math.round(s.slowLevel * 100),
            lead: s.leadDays,
            review: s.reviewDays,
          })}
        </Typography.Text>
      )}
      {list.error && <Alert type="error" showIcon title={errorText(t, list.error)} />}
      <Table<Item>
        data-testid="replenishment-table"
        rowKey={(r) => `${r.locationId}|${r.skuId}`}
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t("replen.empty") }}
        scroll={{ x: true }}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: "pointer" } })}
        columns={[
          {
            title: t("replen.rank"),
            key: "rank",
            render: (_, __, i) => i + 1,
            width: 48,
            responsive: ["md"],
          },
          {
            title: t("replen.sku"),
            key: "sku",
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Button
                  type="link"
                  size="small"
                  style={{ ...LINK, padding: 0 }}
                  icon={<LineChartOutlined />}
                  aria-label={t("replen.openChart", { sku: r.skuName ?? r.skuId })}
                  onClick={(e) => {
                    e.stopPropagation();
                    setOpen(r);
                  }}
                >
                  {r.skuName ?? `SKU ${r.skuId}`}
                </Button>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  #{r.skuId} · {whName(r.locationId)}
                  {!screens.md && ` · ${t(`replen.class.${r.partClass}`)}`}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t("replen.class"),
            dataIndex: "partClass",
            responsive: ["md"],
            render: (c: Item["partClass"], r) =>
              has("replenishment:configure") ? (
                <Tooltip title={t("replen.serviceLevel", { pct: Math.round(r.serviceLevel * 100) })}>
                  <Select
                    size="small"
                    aria-label={t("replen.class.set")}
                    style={{ minWidth: 112 }}
                    value={r.partClassSet ? c : "auto"}
                    loading={busy === `${r.locationId}|${r.skuId}|class`}
                    onChange={(v: string) => void setClass(r, v === "auto" ? null : (v as Item["partClass"]))}
                    options={[
                      { value: "auto", label: t("replen.class.auto", { cls: t(`replen.class.${c}`) }) },
                      ...(["critical", "normal", "slow"] as const).map((k) => ({
                        value: k,
                        label: t(`replen.class.${k}`),
                      })),
                    ]}
                  />
                </Tooltip>
              ) : (
                <Tooltip title={t("replen.serviceLevel", { pct: Math.round(r.serviceLevel * 100) })}>
                  <Tag color={CLASS_COLOR[c]}>{t(`replen.class.${c}`)}</Tag>
                </Tooltip>
              ),
          },
          { title: t("replen.onHand"), dataIndex: "onHand", align: "right", responsive: ["md"] },
          { title: t("replen.position"), dataIndex: "position", align: "right" },
          {
            title: t("replen.reorderPoint"),
            key: "rop",
            align: "right",
            render: (_, r) =>
              r.currentReorderPoint === r.reorderPoint ? (
                r.reorderPoint
              ) : (
                <span>
                  {r.currentReorderPoint} → <b>{r.reorderPoint}</b>
                </span>
              ),
          },
          { title: t("replen.orderUpTo"), dataIndex: "orderUpTo", align: "right", responsive: ["md"] },
          {
            title: t("replen.proposals"),
            key: "proposals",
            render: (_, r) =>
              r.proposals.length ? (
                <Space orientation="vertical" size={2}>
                  {r.proposals.map((p) => (
                    <span key={p.id}>
                      <Tag color={KIND_COLOR[p.kind]}>
                        {t(`replen.kind.${p.kind}`)} {p.quantity}
                      </Tag>
                      {p.kind === "transfer" && p.fromLocation
                        ? t("replen.from", { from: whName(p.fromLocation) }) + " · "
                        : ""}
                      {reason(p)}
                    </span>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("replen.noProposal")}</Typography.Text>
              ),
          },
          {
            title: t("replen.stockoutCost"),
            dataIndex: "stockoutCostFen",
            align: "right",
            render: (f: number) => <Money fen={f} />,
          },
          {
            title: "",
            key: "act",
            render: (_, r) => (
              <Can perm="replenishment:edit">
                <Space wrap onClick={(e) => e.stopPropagation()}>
                  {r.proposals.map((p) => {
                    const action: Action = p.kind;
                    const k = `${r.locationId}|${r.skuId}|${action}`;
                    return (
                      <Button
                        key={p.id}
                        size="small"
                        type={p.kind === "transfer" ? "primary" : "default"}
                        loading={busy === k}
                        onClick={() => act(r, action, p.quantity)}
                      >
                        {t(`replen.act.${p.kind}`)}
                      </Button>
                    );
                  })}
                  {r.currentReorderPoint !== r.reorderPoint && (
                    <Button
                      size="small"
                      loading={busy === `${r.locationId}|${r.skuId}|apply_reorder_point`}
                      onClick={() => act(r, "apply_reorder_point")}
                    >
                      {t("replen.act.apply", { n: r.reorderPoint })}
                    </Button>
                  )}
                </Space>
              </Can>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={open ? `${open.skuName ?? `SKU ${open.skuId}`} · ${whName(open.locationId)}` : ""}
        destroyOnHidden
      >
        {open && <ForecastChart scope="warehouse" scopeId={open.locationId} skuId={open.skuId} reloadKey={refits} />}
      </Drawer>
      {s && (
        <ServiceLevels
          open={settingsOpen}
          settings={s}
          onClose={(saved) => {
            setSettingsOpen(false);
            if (saved) list.reload();
          }}
        />
      )}
    </Space>
  );
}
