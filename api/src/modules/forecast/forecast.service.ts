import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { nearestCity, provinceOf, regionName } from "../../shared/regions.js";
import { fitSeries } from "./engine-adapter.js";
import {
  forecastRepository as repo,
  type ForecastRow,
  type Granularity,
  type Scope,
  type SeasonalRow,
} from "./forecast.repository.js";
import { between, monthOf, shift, startOf, window, type Window } from "./periods.js";
import { SeasonalCalendar } from "./seasonal.js";

/** Quantile levels stored with every forecast (replenishment reads service levels up to 0.99 from them). */
export const LEVELS = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.98, 0.99] as const;

/** Per granularity: periods of history read, periods forecast, the season's length. */
export const PLAN = {
  day: { history: 182, horizon: 7, season: 7 },
  month: { history: 36, horizon: 12, season: 12 },
} as const satisfies Record<Granularity, { history: number; horizon: number; season: number }>;

/** Months of history after which a series' own seasonality is trusted over the calendar. */
const OWN_SEASON_MONTHS = 24;

export interface RefitRequest {
  scopes: readonly Scope[];
  granularities: readonly Granularity[];
  /** Warehouses to fit (scope warehouse); null: every warehouse. */
  locations: readonly string[] | null;
  /** SKUs to fit; null: every SKU with demand. */
  skuIds: readonly number[] | null;
  /** Limit regional fits to one city or province. */
  scopeId?: string | undefined;
}

interface Series {
  scope: Scope;
  scopeId: string;
  skuId: number;
  /** Province for the seasonal calendar. */
  province: string;
  values: number[];
}

const key = (scopeId: string, skuId: number) => `${scopeId}|${skuId}`;

/**
 * Demand history from the platform's own orders, forecasts fitted by the engine and stored, and each forecast's track
 * record. A warehouse's demand is what was allocated from it; a city's or province's is what its buyers ordered
 * (allocated or not: unfilled demand is demand too), each order placed at the city nearest its delivery point.
 */
export class ForecastService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ── History ──

  /** Every non-empty series of the scope over the window, each `w.history.length` long. */
  async series(scope: Scope, w: Window, r: Omit<RefitRequest, "scopes" | "granularities">): Promise<Series[]> {
    const index = new Map(w.history.map((p, i) => [p, i]));
    const out = new Map<string, Series>();
    const add = (scopeId: string, province: string, skuId: number, period: string, q: number) => {
      const i = index.get(period);
      if (i === undefined || q === 0) return;
      const k = key(scopeId, skuId);
      let s = out.get(k);
      if (!s) out.set(k, (s = { scope, scopeId, skuId, province, values: Array(w.history.length).fill(0) }));
      s.values[i]! += q;
    };
    if (scope === "warehouse") {
      const whs = (await repo.warehouses(this.db, null)).filter((x) => !r.locations || r.locations.includes(x.id));
      if (!whs.length) return [];
      const prov = new Map(whs.map((x) => [x.id, provinceOf(x.regionCode)]));
      const cells = await repo.warehouseDemand(
        this.db,
        w.unit,
        whs.map((x) => x.id),
        r.skuIds,
        w.from,
        w.to,
      );
      for (const c of cells) add(c.locationId, prov.get(c.locationId)!, c.skuId, c.period, c.quantity);
    } else {
      const cities = new Map<string, string>();
      for (const c of await repo.orderedDemand(this.db, w.unit, r.skuIds, w.from, w.to)) {
        const at = `${c.lng},${c.lat}`;
        let city = cities.get(at);
        if (!city) cities.set(at, (city = nearestCity(c.lng, c.lat)));
        const id = scope === "city" ? city : provinceOf(city);
        if (r.scopeId && r.scopeId !== id) continue;
        add(id, provinceOf(city), c.skuId, c.period, c.quantity);
      }
    }
    return [...out.values()];
  }

  // ── Fitting ──

  /** Fits and stores forecasts for every series asked for; returns how many were stored. */
  async refit(r: RefitRequest): Promise<{ fitted: number; byScope: Record<string, number> }> {
    const byScope: Record<string, number> = {};
    let fitted = 0;
    for (const unit of r.granularities) {
      const plan = PLAN[unit];
      const w = window(unit, plan.history, plan.horizon, this.now());
      for (const scope of r.scopes) {
        const all = await this.series(scope, w, r);
        if (!all.length) continue;
        const meta = await repo.skuMeta(this.db, [...new Set(all.map((s) => s.skuId))]);
        const calendar =
          unit === "month"
            ? new SeasonalCalendar(
                await repo.seasonalFor(this.db, [...new Set([...meta.values()].map((m) => m.partType))]),
              )
            : null;
        // Fit from the first period with demand: leading zeros before a SKU was sold are not demand of zero.
        const trimmed = all.map((s) =>
          s.values.slice(
            Math.max(
              0,
              s.values.findIndex((v) => v > 0),
            ),
          ),
        );
        const results = await fitSeries(trimmed, {
          horizon: plan.horizon,
          seasonPeriod: plan.season,
          quantiles: LEVELS,
        });
        const rows: Array<Omit<ForecastRow, "id" | "fittedAt">> = all.map((s, i) => {
          const res = results[i]!;
          const h = trimmed[i]!;
          let seasonal: number[] = [];
          let mean = res.mean;
          let quantiles = res.quantiles;
          const partType = meta.get(s.skuId)?.partType;
          if (calendar && partType && h.length < OWN_SEASON_MONTHS) {
            // Short history: the calendar carries the season, relative to the months the level was learned from.
            const f = (p: string) => calendar.at(partType, s.province, monthOf(p)).factor;
            const base = w.history.slice(-12).reduce((a, p) => a + f(p), 0) / 12;
            seasonal = w.future.map((p) => Number((f(p) / base).toFixed(4)));
            mean = mean.map((v, t) => v * seasonal[t]!);
            quantiles = Object.fromEntries(
              Object.entries(quantiles).map(([q, vs]) => [q, vs.map((v, t) => Math.ceil(v * seasonal[t]! - 1e-9))]),
            );
          }
          return {
            scope: s.scope,
            scopeId: s.scopeId,
            skuId: s.skuId,
            granularity: unit,
            origin: w.origin,
            model: res.model,
            mean: mean.map((v) => Number(v.toFixed(4))),
            quantiles,
            cvMase: res.cvMase,
            maseScale: maseScale(h),
            historyLen: h.length,
            seasonal,
            // Scaled by the calendar, the stored distribution would no longer match the mean: kept for daily fits.
            distribution: seasonal.length ? null : res.distribution,
          };
        });
        for (let i = 0; i < rows.length; i += 500)
          await this.db.transaction((tx) => repo.insertForecasts(tx, rows.slice(i, i + 500)));
        byScope[`${scope}.${unit}`] = rows.length;
        fitted += rows.length;
      }
    }
    return { fitted, byScope };
  }

  /** Every scope, both granularities, and the learned calendar: the scheduled pass. */
  refitAll() {
    this.running ??= (async () => {
      await this.learnSeasonal();
      return this.refit({
        scopes: ["warehouse", "city", "province"],
        granularities: ["day", "month"],
        locations: null,
        skuIds: null,
      });
    })().finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs: number) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refitAll().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // ── Reading ──

  /** What a principal may see: its own warehouses; regions only for its own products (manufacturers) or all (platform). */
  async authorise(ctx: AuditContext, p: Principal, scope: Scope, scopeId: string, skuIds: readonly number[]) {
    if (scope === "warehouse") {
      const wh = await repo.warehouse(this.db, scopeId);
      if (!wh) throw notFound("warehouse", scopeId);
      if (p.companyId !== null && wh.companyId !== p.companyId)
        await crossTenant(this.db, ctx, p, "warehouse", scopeId, wh.companyId);
      return;
    }
    if (!p.permissions.has("regional_demand:view"))
      throw new AppError(
        "FORECAST.REGIONAL_FORBIDDEN",
        `scope: regional demand (${scope}) is for the products' manufacturers and the platform; a ${p.kind} sees its own warehouses (scope=warehouse)`,
        403,
        { field: "scope" },
      );
    await this.ownProducts(p, skuIds);
  }

  /** A manufacturer's own SKUs among `skuIds` (all of them, or 403 naming the first that is not). */
  async ownProducts(p: Principal, skuIds: readonly number[]) {
    if (p.companyId === null) return;
    const own = new Set(await repo.ownSkus(this.db, p.companyId));
    const other = skuIds.find((s) => !own.has(s));
    if (other !== undefined)
      throw new AppError(
        "FORECAST.NOT_YOUR_PRODUCT",
        `skuId: SKU ${other} is not one of your products (regional demand is shown to the SKU's manufacturer)`,
        403,
        { field: "skuId" },
      );
  }

  /** History, the latest forecast with its intervals, and how earlier forecasts of the series fared. */
  async view(
    ctx: AuditContext,
    p: Principal,
    q: { scope: Scope; scopeId: string; skuId: number; granularity: Granularity },
  ) {
    if (q.scope !== "warehouse" && !/^\d{6}$/.test(q.scopeId))
      throw new AppError("REQUEST.INVALID", `scopeId: a ${q.scope} is a 6-digit GB/T 2260 code`, 400, {
        field: "scopeId",
      });
    if (q.scope === "province" && q.scopeId !== provinceOf(q.scopeId))
      throw new AppError("REQUEST.INVALID", `scopeId: ${q.scopeId} is not a province code (…0000)`, 400, {
        field: "scopeId",
      });
    await this.authorise(ctx, p, q.scope, q.scopeId, [q.skuId]);
    const plan = PLAN[q.granularity];
    const w = window(q.granularity, plan.history, plan.horizon, this.now());
    const [found] = await this.series(q.scope, w, {
      locations: q.scope === "warehouse" ? [q.scopeId] : null,
      skuIds: [q.skuId],
      scopeId: q.scopeId,
    });
    const history = found?.values ?? Array<number>(w.history.length).fill(0);
    const fits = await repo.fits(this.db, q.scope, q.scopeId, q.skuId, q.granularity);
    const latest = fits[0] ?? null;
    return {
      scope: q.scope,
      scopeId: q.scopeId,
      scopeName: q.scope === "warehouse" ? null : regionName(q.scopeId),
      skuId: q.skuId,
      granularity: q.granularity,
      history: { periods: w.history, quantity: history },
      forecast: latest
        ? {
            origin: latest.origin,
            periods: latest.mean.map((_, t) => shift(latest.origin, t, q.granularity)),
            fittedAt: new Date(latest.fittedAt).toISOString(),
            model: latest.model,
            mean: latest.mean,
            quantiles: latest.quantiles,
            cvMase: latest.cvMase,
            seasonal: latest.seasonal,
          }
        : null,
      accuracy: accuracy(fits, w, history),
    };
  }

  /**
   * Demand by province for SKUs (a manufacturer: its own; the platform: any): monthly history of ordered units
   * (allocated and unfilled), the unfilled part, the latest province forecasts, and searches that found nothing there.
   */
  async regional(p: Principal, q: { skuIds?: number[] | undefined; gtins?: string[] | undefined; months: number }) {
    let skuIds = [...(q.skuIds ?? [])];
    if (q.gtins?.length) skuIds.push(...(await repo.skusOfGtins(this.db, q.gtins)));
    if (!q.skuIds?.length && !q.gtins?.length) {
      if (p.companyId === null)
        throw new AppError("REQUEST.INVALID", "skuIds: name the SKUs (or gtins) to show", 400, { field: "skuIds" });
      skuIds = await repo.ownSkus(this.db, p.companyId);
    }
    skuIds = [...new Set(skuIds)].sort((a, b) => a - b);
    await this.ownProducts(p, skuIds);
    // The last `months` months, this month so far the last of them.
    const now = this.now();
    const w0 = window("month", q.months - 1, PLAN.month.horizon, now);
    const periods = [...w0.history, w0.origin];
    const w = { history: periods, from: startOf(periods[0]!), to: now.toISOString() };
    const index = new Map(w.history.map((x, i) => [x, i]));
    const provinces = new Map<
      string,
      { quantity: number[]; unfilled: number; forecastNextMonth: number | null; forecast12: number | null }
    >();
    const of = (code: string) => {
      let v = provinces.get(code);
      if (!v)
        provinces.set(
          code,
          (v = { quantity: Array(w.history.length).fill(0), unfilled: 0, forecastNextMonth: null, forecast12: null }),
        );
      return v;
    };
    if (skuIds.length) {
      const cities = new Map<string, string>();
      for (const c of await repo.orderedDemand(this.db, "month", skuIds, w.from, w.to)) {
        const at = `${c.lng},${c.lat}`;
        let city = cities.get(at);
        if (!city) cities.set(at, (city = nearestCity(c.lng, c.lat)));
        const v = of(provinceOf(city));
        v.quantity[index.get(c.period)!]! += c.quantity;
        v.unfilled += c.unfilled;
      }
      for (const f of await repo.latestProvinceFits(this.db, skuIds)) {
        const v = of(f.scopeId);
        v.forecastNextMonth = (v.forecastNextMonth ?? 0) + f.mean[0]!;
        v.forecast12 = (v.forecast12 ?? 0) + f.mean.reduce((a, b) => a + b, 0);
      }
    }
    const searches = new Map(
      (await repo.emptySearches(this.db, w.from, w.to)).map((s) => [s.provinceCode, s.searches]),
    );
    return {
      skuIds,
      periods: w.history,
      provinces: [...provinces.entries()]
        .map(([code, v]) => ({
          provinceCode: code,
          name: regionName(code) ?? code,
          quantity: v.quantity,
          total: v.quantity.reduce((a, b) => a + b, 0),
          unfilled: v.unfilled,
          forecastNextMonth: v.forecastNextMonth === null ? null : round2(v.forecastNextMonth),
          forecast12Months: v.forecast12 === null ? null : round2(v.forecast12),
          emptySearches: searches.get(code) ?? 0,
        }))
        .sort((a, b) => b.total - a.total || a.provinceCode.localeCompare(b.provinceCode)),
    };
  }

  // ── The seasonal calendar ──

  listSeasonal(f: { partType?: string | undefined; provinceCode?: string | undefined }) {
    return repo.seasonal(this.db, f);
  }

  async putSeasonal(
    ctx: AuditContext,
    p: Principal,
    f: { partType: string; provinceCode: string; month: number; factor: number; reasonZh: string; reasonEn: string },
  ): Promise<SeasonalRow> {
    return this.db.transaction(async (tx) => {
      const { row, before } = await repo.upsertSeasonal(tx, { ...f, source: "manual", updatedBy: p.person ?? p.id });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "seasonal_factor.put",
        resource: "seasonal_factor",
        resourceId: `${f.partType}/${f.provinceCode}/${f.month}`,
        changes: { factor: { before: before?.factor ?? null, after: row.factor } },
      });
      return row;
    });
  }

  /**
   * Learned factors: per part type and province with ≥ 24 months of ordered demand (from its first month with
   * demand) and at least 48 units, each month's mean over the overall monthly mean, clamped to [0.2, 5].
   */
  async learnSeasonal(): Promise<number> {
    const w = window("month", 48, 1, this.now());
    const cells = await repo.orderedDemand(this.db, "month", null, w.from, w.to);
    if (!cells.length) return 0;
    const meta = await repo.skuMeta(this.db, [...new Set(cells.map((c) => c.skuId))]);
    const index = new Map(w.history.map((x, i) => [x, i]));
    const groups = new Map<string, number[]>();
    for (const c of cells) {
      const type = meta.get(c.skuId)?.partType;
      if (!type) continue;
      const k = `${type}|${provinceOf(nearestCity(c.lng, c.lat))}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = Array(w.history.length).fill(0)));
      g[index.get(c.period)!]! += c.quantity;
    }
    let written = 0;
    for (const [k, values] of groups) {
      const first = values.findIndex((v) => v > 0);
      const span = values.slice(first);
      const total = span.reduce((a, b) => a + b, 0);
      if (span.length < OWN_SEASON_MONTHS || total < 48) continue;
      const [partType, provinceCode] = k.split("|") as [string, string];
      const overall = total / span.length;
      for (let m = 1; m <= 12; m++) {
        const inMonth = span.filter((_, i) => monthOf(w.history[first + i]!) === m);
        if (!inMonth.length) continue;
        const factor = Math.min(5, Math.max(0.2, inMonth.reduce((a, b) => a + b, 0) / inMonth.length / overall));
        await this.db.transaction((tx) =>
          repo.upsertSeasonal(tx, {
            partType,
            provinceCode,
            month: m,
            factor: round2(factor),
            reasonZh: `根据 ${span.length} 个月的订单学得`,
            reasonEn: `learned from ${span.length} months of orders`,
            source: "learned",
            updatedBy: null,
          }),
        );
        written++;
      }
    }
    return written;
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** In-sample mean absolute one-step change: the MASE denominator (null for a flat history). */
function maseScale(h: readonly number[]): number | null {
  let s = 0;
  for (let i = 1; i < h.length; i++) s += Math.abs(h[i]! - h[i - 1]!);
  return h.length > 1 && s > 0 ? s / (h.length - 1) : null;
}

/**
 * Earlier forecasts of the series against the demand that then happened: for each earlier origin (its latest fit),
 * the periods that have passed since (all `horizon` of them for daily forecasts: the 7-day total), MASE of the mean
 * over the stored scale, the absolute % error of the forecast total, and how often demand fell inside the 10-90% band.
 */
export function accuracy(fits: readonly ForecastRow[], w: Window, history: readonly number[]) {
  let evaluated = 0;
  let maseSum = 0;
  let maseN = 0;
  const apes: number[] = [];
  let inside = 0;
  let points = 0;
  for (const f of fits) {
    const start = between(w.history[0]!, f.origin, w.unit);
    const elapsed = Math.min(f.mean.length, between(f.origin, w.origin, w.unit));
    if (start < 0 || elapsed < (w.unit === "day" ? f.mean.length : 1)) continue;
    evaluated++;
    let fs = 0;
    let as = 0;
    let ae = 0;
    for (let t = 0; t < elapsed; t++) {
      const a = history[start + t]!;
      const m = f.mean[t]!;
      fs += m;
      as += a;
      ae += Math.abs(a - m);
      const lo = f.quantiles["0.1"]?.[t];
      const hi = f.quantiles["0.9"]?.[t];
      if (lo !== undefined && hi !== undefined) {
        points++;
        if (a >= lo && a <= hi) inside++;
      }
    }
    if (f.maseScale) {
      maseSum += ae / elapsed / f.maseScale;
      maseN++;
    }
    if (as > 0) apes.push(Math.abs(fs - as) / as);
  }
  if (!evaluated) return null;
  apes.sort((a, b) => a - b);
  return {
    forecastsEvaluated: evaluated,
    mase: maseN ? round2(maseSum / maseN) : null,
    medianTotalApe: apes.length ? round2(apes[Math.floor(apes.length / 2)]!) : null,
    coverage80: points ? round2(inside / points) : null,
  };
}
