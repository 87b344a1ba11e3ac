import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { distanceMetres } from "../../shared/geo.js";
import { macroRegion, provinceOf } from "../../shared/regions.js";
import { partTypes } from "../catalog/data/categories.js";
import { CatalogSkus } from "../catalog/skus.service.js";
import type { InventoryService } from "../inventory/inventory.service.js";
import type { TransfersService } from "../inventory/transfers.service.js";
import type { UsersService } from "../users/users.service.js";
import { forecastRepository as repo, type ForecastRow, type SettingsRow } from "./forecast.repository.js";
import { totalQuantile } from "./engine-adapter.js";
import { PLAN } from "./forecast.service.js";
import { expectedShortage, normalQuantile } from "./normal.js";
import { monthOf, shift, window } from "./periods.js";
import { SeasonalCalendar } from "./seasonal.js";
import { compoundFillRateLevel } from "./replenishment.js";

export type PartClass = "critical" | "normal" | "slow";

/** What replenishment asks the catalogue (it never reads the catalogue's tables). */
const catalog = new CatalogSkus();

export const DEFAULT_SETTINGS: SettingsRow = {
  criticalLevel: 0.98,
  normalLevel: 0.95,
  slowLevel: 0.85,
  leadDays: 3,
  reviewDays: 1,
};

/** How much a unit short costs relative to its value, per class (an urgent-critical part stops a car on a lift). */
const CLASS_WEIGHT: Record<PartClass, number> = { critical: 3, normal: 1, slow: 0.5 };
/** A seasonal rise worth stocking ahead for: next month's factor over this month's. */
const PRESTOCK_RATIO = 1.3;
const Z_10_90 = 2 * 1.2815515655446004;

export interface Proposal {
  id: string;
  kind: "transfer" | "buy" | "prestock";
  quantity: number;
  fromLocation: string | null;
  distanceM: number | null;
  supplierId: string | null;
  reasonZh: string;
  reasonEn: string;
}

/**
 * Replenishment per SKU × warehouse from the stored daily forecasts: a periodic-review (s, S) policy at a service
 * level per part class — s the demand quantile over the lead time, S over lead time + review period — and proposals
 * ranked by the expected cost of a stock-out: a transfer from the company's nearest warehouse with surplus, a purchase
 * from the manufacturer for the rest, and pre-stocking before a seasonal rise. Nothing moves stock here: a transfer
 * is proposed into the transfer flow (another person approves it), a purchase is an approval request (two-person
 * rule), and a computed reorder point reaches `stock.reorder_point` only when someone applies it.
 */
export class ReplenishmentService {
  constructor(
    private readonly db: Sql,
    private readonly transfers: TransfersService,
    private readonly inventory: InventoryService,
    private readonly users: UsersService,
    private readonly now: () => Date = () => new Date(),
  ) {
    users.registerApprovalKind("replenishment_buy", async (tx, ctx, approver, request) => {
      const p = request.payload as { locationId: string; skuId: number; quantity: number };
      await auditTrail.append(tx, {
        ...ctx,
        companyId: request.companyId,
        action: "replenishment.purchase_approved",
        resource: "stock",
        resourceId: `${p.locationId}/${p.skuId}`,
        changes: { purchase: { after: { quantity: p.quantity, approvedBy: approver.person ?? approver.id } } },
      });
    });
  }

  async settings(companyId: string): Promise<SettingsRow> {
    return (await repo.settings(this.db, companyId)) ?? DEFAULT_SETTINGS;
  }

  async putSettings(ctx: AuditContext, p: Principal, s: SettingsRow): Promise<SettingsRow> {
    const companyId = p.companyId!;
    const before = await this.settings(companyId);
    await this.db.transaction(async (tx) => {
      await repo.putSettings(tx, companyId, s, p.person ?? p.id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "replenishment.settings",
        resource: "replenishment_settings",
        resourceId: companyId,
        changes: Object.fromEntries(
          (Object.keys(s) as Array<keyof SettingsRow>).map((k) => [k, { before: before[k], after: s[k] }]),
        ),
      });
    });
    return this.settings(companyId);
  }

  /**
   * Sets a SKU's part class for my company's replenishment (null: back to the inferred class), audited. Any SKU of
   * the catalogue: the class is my judgement of the part, not of my stock.
   */
  async putPartClass(ctx: AuditContext, p: Principal, skuId: number, partClass: PartClass | null) {
    const companyId = p.companyId!;
    const before = await this.db.transaction(async (tx) => {
      if (!(await catalog.exists(tx, skuId))) throw notFound("SKU", String(skuId));
      const old = await repo.putPartClass(tx, companyId, skuId, partClass, p.person ?? p.id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "replenishment.part_class",
        resource: "sku",
        resourceId: String(skuId),
        changes: { partClass: { before: old, after: partClass } },
      });
      return old;
    });
    return { skuId, partClass, before };
  }

  /** The replenishment list of my warehouses (or one), most costly stock-out first. */
  async list(ctx: AuditContext, p: Principal, locationId?: string) {
    const companyId = p.companyId ?? "";
    const whs = await repo.warehouses(this.db, [companyId]);
    if (locationId && !whs.some((w) => w.id === locationId)) {
      const wh = await repo.warehouse(this.db, locationId);
      if (!wh) throw notFound("warehouse", locationId);
      await crossTenant(this.db, ctx, p, "warehouse", locationId, wh.companyId);
    }
    if (!whs.length) return { settings: await this.settings(companyId), items: [] };
    const ids = whs.map((w) => w.id);
    const settings = await this.settings(companyId);
    const [fits, stockRows, setClasses] = await Promise.all([
      repo.latestWarehouseFits(this.db, ids),
      repo.stock(this.db, ids),
      repo.partClasses(this.db, companyId),
    ]);
    const w = window("day", PLAN.day.history, PLAN.day.horizon, this.now());
    const demand = new Map<string, { total: number; urgent: number; days: number; sizes: number[] }>();
    for (const c of await repo.warehouseDemand(this.db, "day", ids, null, w.from, w.to)) {
      const k = `${c.locationId}|${c.skuId}`;
      const d = demand.get(k) ?? { total: 0, urgent: 0, days: 0, sizes: [] };
      d.total += c.quantity;
      d.urgent += c.urgent;
      d.days += c.quantity > 0 ? 1 : 0;
      if (c.quantity > 0) d.sizes.push(c.quantity);
      demand.set(k, d);
    }
    const stock = new Map(stockRows.map((s) => [`${s.locationId}|${s.skuId}`, s]));
    const meta = await repo.skuMeta(this.db, [...new Set(fits.map((f) => f.skuId))]);
    const calendar = new SeasonalCalendar(
      await repo.seasonalFor(this.db, [...new Set([...meta.values()].map((m) => m.partType))]),
    );
    const names = new Map(partTypes().map((t) => [t.id, t.name]));
    const byId = new Map(whs.map((x) => [x.id, x]));
    const thisMonth = `${w.origin.slice(0, 7)}-01`;
    const nextMonth = shift(thisMonth, 1, "month");

    const levels = (f: ForecastRow, cls: PartClass, sizes: readonly number[]) => {
      const sl = settings[`${cls}Level`];
      const z = normalQuantile(sl);
      const over = (days: number) => {
        let mu = 0;
        let v = 0;
        for (let t = 0; t < Math.min(days, f.mean.length); t++) {
          mu += f.mean[t]!;
          const lo = f.quantiles["0.1"]?.[t];
          const hi = f.quantiles["0.9"]?.[t];
          const sd = lo !== undefined && hi !== undefined ? (hi - lo) / Z_10_90 : Math.sqrt(f.mean[t]!);
          v += sd * sd;
        }
        // The engine's distribution sums the days exactly; a forecast stored without one, as independent normals.
        const q = totalQuantile(f, days, sl) ?? mu + z * Math.sqrt(v);
        return { mu, sigma: Math.sqrt(v), q: Math.max(0, Math.ceil(q - 1e-9)) };
      };
      const lead = over(settings.leadDays);
      const cover = over(settings.leadDays + settings.reviewDays);
      // Where the history shows the sizes orders come in, the level is the compound one (DECISIONS 93): a fill rate
      // of `sl` over the lead time (s) and lead time + review (S); else the forecast's quantiles.
      const compound = (days: number) =>
        sizes.length
          ? compoundFillRateLevel(sizes, f.mean.slice(0, days), Math.min(settings.reviewDays, days), sl)
          : null;
      const s = compound(settings.leadDays) ?? lead.q;
      const S = compound(settings.leadDays + settings.reviewDays) ?? cover.q;
      return { sl, lead, cover, reorderPoint: s, orderUpTo: Math.max(s, S) };
    };

    // First the policy of every series (a source's surplus is judged against its own computed reorder point).
    const rows = fits.map((f) => {
      const k = `${f.scopeId}|${f.skuId}`;
      const d = demand.get(k) ?? { total: 0, urgent: 0, days: 0, sizes: [] };
      const cls: PartClass =
        setClasses.get(f.skuId) ??
        (d.total > 0 && d.urgent / d.total >= 0.25 ? "critical" : d.days * 14 < w.history.length ? "slow" : "normal");
      const s = stock.get(k);
      const available = s ? s.onHand - s.reserved - s.locked : 0;
      const position = available + (s?.inTransit ?? 0);
      return { f, k, cls, s, available, position, ...levels(f, cls, d.sizes) };
    });
    const policy = new Map(rows.map((r) => [r.k, r]));

    const items = rows.map((r) => {
      const { f, s, cls } = r;
      const wh = byId.get(f.scopeId)!;
      const m = meta.get(f.skuId);
      const need = r.position <= r.reorderPoint ? Math.max(0, r.orderUpTo - r.position) : 0;
      const short = expectedShortage(r.cover.mu, r.cover.sigma, r.position);
      const proposals: Proposal[] = [];
      let left = need;
      if (left > 0) {
        const sources = whs
          .filter((o) => o.id !== wh.id)
          .map((o) => {
            const os = stock.get(`${o.id}|${f.skuId}`);
            const keep = policy.get(`${o.id}|${f.skuId}`)?.orderUpTo ?? os?.reorderPoint ?? 0;
            return { o, surplus: os ? os.onHand - os.reserved - os.locked - keep : 0, d: distanceMetres(wh, o) };
          })
          .filter((x) => x.surplus > 0)
          .sort((a, b) => a.d - b.d);
        const src = sources[0];
        if (src) {
          const q = Math.min(left, src.surplus);
          proposals.push({
            id: `transfer:${wh.id}:${f.skuId}`,
            kind: "transfer",
            quantity: q,
            fromLocation: src.o.id,
            distanceM: Math.round(src.d),
            supplierId: null,
            reasonZh: `调拨补至 ${r.orderUpTo} 件（服务水平 ${pct(r.sl)}）`,
            reasonEn: `transfer up to ${r.orderUpTo} (service level ${pct(r.sl)})`,
          });
          left -= q;
        }
      }
      if (left > 0)
        proposals.push({
          id: `buy:${wh.id}:${f.skuId}`,
          kind: "buy",
          quantity: left,
          fromLocation: null,
          distanceM: null,
          supplierId: m?.ownerId ?? null,
          reasonZh: `向厂家采购补至 ${r.orderUpTo} 件（服务水平 ${pct(r.sl)}）`,
          reasonEn: `buy from the manufacturer up to ${r.orderUpTo} (service level ${pct(r.sl)})`,
        });
      if (m) {
        const province = provinceOf(wh.regionCode);
        const cur = calendar.at(m.partType, province, monthOf(thisMonth));
        const next = calendar.at(m.partType, province, monthOf(nextMonth));
        const ratio = next.factor / cur.factor;
        const daily = f.mean.reduce((a, b) => a + b, 0) / Math.max(1, f.mean.length);
        const q = Math.ceil(daily * 30 * (ratio - 1));
        if (ratio >= PRESTOCK_RATIO && q > 0) {
          const region = macroRegion(province);
          const type = names.get(m.partType) ?? m.partType;
          const x = ratio.toFixed(1);
          proposals.push({
            id: `prestock:${wh.id}:${f.skuId}`,
            kind: "prestock",
            quantity: q,
            fromLocation: null,
            distanceM: null,
            supplierId: m.ownerId,
            reasonZh: `${next.row?.reasonZh || "季节"}: ${region.zh}区域${type}需求预计上升 ${x} 倍`,
            reasonEn: `${next.row?.reasonEn || "season"}: ${m.partType} demand in ${region.en} expected to rise ${x}×`,
          });
        }
      }
      return {
        locationId: wh.id,
        skuId: f.skuId,
        skuName: m?.name ?? null,
        partType: m?.partType ?? null,
        partClass: cls,
        partClassSet: setClasses.has(f.skuId),
        serviceLevel: r.sl,
        forecast: {
          origin: f.origin,
          fittedAt: new Date(f.fittedAt).toISOString(),
          model: f.model,
          leadTimeDemand: round2(r.lead.mu),
          coverDemand: round2(r.cover.mu),
        },
        onHand: s?.onHand ?? 0,
        available: r.available,
        inTransit: s?.inTransit ?? 0,
        position: r.position,
        currentReorderPoint: s?.reorderPoint ?? 0,
        reorderPoint: r.reorderPoint,
        orderUpTo: r.orderUpTo,
        need,
        expectedShortUnits: round2(short),
        stockoutCostFen: Math.round(short * CLASS_WEIGHT[cls] * (s?.priceFen ?? 0)),
        proposals,
      };
    });
    items.sort(
      (a, b) =>
        b.stockoutCostFen - a.stockoutCostFen ||
        b.expectedShortUnits * CLASS_WEIGHT[b.partClass] - a.expectedShortUnits * CLASS_WEIGHT[a.partClass] ||
        b.proposals.length - a.proposals.length ||
        a.locationId.localeCompare(b.locationId) ||
        a.skuId - b.skuId,
    );
    return { settings, items: locationId ? items.filter((i) => i.locationId === locationId) : items };
  }

  /**
   * Acts on a proposal: `transfer` proposes it in the transfer flow, `buy`/`prestock` files a purchase for a second
   * person's approval, `apply_reorder_point` writes the computed reorder point to the stock row. `quantity` overrides
   * the proposed quantity.
   */
  async act(
    ctx: AuditContext,
    p: Principal,
    a: {
      locationId: string;
      skuId: number;
      action: "transfer" | "buy" | "prestock" | "apply_reorder_point";
      quantity?: number | undefined;
    },
  ) {
    const { items } = await this.list(ctx, p, a.locationId);
    const item = items.find((i) => i.skuId === a.skuId);
    if (!item)
      throw new AppError(
        "REPLENISHMENT.NO_FORECAST",
        `skuId: SKU ${a.skuId} has no forecast at ${a.locationId} yet (POST /api/v1/forecasts/refit)`,
        404,
        { field: "skuId" },
      );
    if (a.action === "apply_reorder_point") {
      const stock = await this.inventory.configure(ctx, p, {
        locationId: a.locationId,
        skuId: a.skuId,
        reorderPoint: item.reorderPoint,
      });
      return { action: a.action, stock };
    }
    const proposal = item.proposals.find((x) => x.kind === a.action);
    if (!proposal)
      throw new AppError(
        "REPLENISHMENT.NO_PROPOSAL",
        `action: no ${a.action} proposal for SKU ${a.skuId} at ${a.locationId} now (position ${item.position}, reorder point ${item.reorderPoint})`,
        409,
        { field: "action" },
      );
    const quantity = a.quantity ?? proposal.quantity;
    const by = personOf(p, "propose replenishment (another person approves it)");
    if (proposal.kind === "transfer") {
      const transfer = await this.transfers.proposeOne(ctx, {
        companyId: p.companyId!,
        skuId: a.skuId,
        fromLocation: proposal.fromLocation!,
        toLocation: a.locationId,
        quantity,
        by,
      });
      return { action: a.action, transfer };
    }
    const id = await this.db.transaction((tx) =>
      this.users.submitApproval(
        tx,
        ctx,
        p,
        "replenishment_buy",
        `${a.locationId}/${a.skuId}`,
        {
          locationId: a.locationId,
          skuId: a.skuId,
          quantity,
          supplierId: proposal.supplierId,
          kind: proposal.kind,
          reason: proposal.reasonZh,
        },
        { purchase: { after: { quantity, kind: proposal.kind } } },
      ),
    );
    return { action: a.action, approval: await this.users.approval(ctx, p, id) };
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;
