import { AppError, type Sql } from "../../../../ledger-service/src/index.js";
import type { Principal } from "../../security/principal.js";
import { notFound } from "../../security/tenant.js";
import { regionName, regions } from "../../shared/regions.js";
import { cockpitRepository as repo, type Period } from "./cockpit.repository.js";
import { DEFINITIONS, KPI_KEYS, type KpiKey, type MetricKey } from "./definitions.js";
import { allDrillRows, decodeCursor, drillRows, encodeCursor, keyed } from "./drill.repository.js";
import { BULK_DAYS, rollupRepository as rollups, SOURCE_NAMES, type Source } from "./rollup.repository.js";

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;
/** The Asia/Shanghai calendar date of an instant. */
export const shanghaiDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
export const addDays = (date: string, k: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + k * DAY_MS).toISOString().slice(0, 10);
const daysIn = (p: Period) => Math.round((Date.parse(p.to) - Date.parse(p.from)) / DAY_MS) + 1;

/** Longest period one view reads. */
export const MAX_DAYS = 400;

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  companyId?: string | undefined;
}

/** Whose business a view reads: '*' (the platform) or one company, and that company's kind. */
export interface CockpitScope {
  scope: string;
  kind: string;
  name: string | null;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : null);

/**
 * The management cockpit (issue 17, DECISIONS 88): numbers read from day rollups that a refresh brings up to date from
 * the event tables past their watermarks; each number with its definition, the previous period's value, and the rows
 * behind it. The platform reads everything (or one company's view); a company reads its own business only.
 */
export class CockpitService {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Sql) {}

  start(intervalMs: number) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Brings the rollups up to date: for each source, the days its rows past the watermark touch, plus today and
   * yesterday (rows whose ids were taken before a concurrent commit of a lower id), are recomputed from the sources;
   * then the stock figures from the first of those days on, and the snapshots of stock now (DECISIONS 102).
   */
  async refresh(now = new Date()) {
    const done = await this.db.transaction(async (tx) => {
      await rollups.lock(tx);
      const marks = new Map((await rollups.watermarks(tx)).map((w) => [w.source, w.lastId]));
      const days = new Set<string>();
      const next: Array<{ source: Source; lastId: string }> = [];
      const read: Record<string, number> = {};
      for (const source of SOURCE_NAMES) {
        const from = marks.get(source) ?? "0";
        const to = await rollups.high(tx, source);
        const touched = await rollups.dirtyDays(tx, source, from, to);
        read[source] = touched.length;
        for (const d of touched) days.add(d);
        next.push({ source, lastId: to });
      }
      const today = shanghaiDate(now);
      days.add(today).add(addDays(today, -1));
      const sorted = [...days].sort();
      const msByTable = {
        ...(await rollups.recompute(tx, sorted)),
        ...(await rollups.recomputeStock(tx, addDays(sorted[0]!, -1), sorted.at(-1)!)),
      };
      await rollups.advance(tx, next);
      return {
        days: sorted.length,
        first: sorted[0]!,
        last: sorted.at(-1)!,
        daysBySource: read,
        msByTable,
        refreshedAt: now.toISOString(),
      };
    });
    // A large fill (the first refresh, a backfill) leaves the rollups' pages not yet all-visible: until autovacuum
    // comes by, the period reads could not use their covering indexes alone (DECISIONS 121). VACUUM runs outside
    // the transaction; the few days of a usual refresh are left to autovacuum.
    if (done.days > BULK_DAYS) {
      const t0 = performance.now();
      for (const table of Object.keys(done.msByTable)) await this.db.exec(`VACUUM (ANALYZE) ${table}`);
      done.msByTable.vacuum = Math.round(performance.now() - t0);
    }
    return done;
  }

  async status() {
    const marks = await rollups.watermarks(this.db);
    const at = marks.map((m) => new Date(m.refreshedAt).getTime());
    return {
      refreshedAt: at.length ? new Date(Math.min(...at)).toISOString() : null,
      watermarks: marks.map((m) => ({ source: m.source, lastId: m.lastId })),
    };
  }

  /** The scope a principal reads: its own company, or (the platform) everything or the company it names. */
  async scopeOf(p: Principal, companyId?: string): Promise<CockpitScope> {
    const own = p.companyId;
    const target = own ?? companyId ?? null;
    if (own && companyId && companyId !== own) throw notFound("company", companyId);
    if (!target) return { scope: "*", kind: "platform", name: null };
    const { rows } = await this.db.query<{ kind: string; name: string }>(
      "SELECT kind, name FROM companies WHERE id = $1",
      [target],
    );
    if (!rows[0]) throw notFound("company", target);
    return { scope: target, kind: rows[0].kind, name: rows[0].name };
  }

  /** The period asked for (default: the 30 days ending today) and the one of the same length just before it. */
  period(q: PeriodQuery, now = new Date()): { current: Period; previous: Period; days: number } {
    const to = q.to ?? shanghaiDate(now);
    const from = q.from ?? addDays(to, -29);
    if (from > to)
      throw new AppError("REQUEST.INVALID", `query.from: ${from} is after query.to ${to}`, 400, { field: "from" });
    const current = { from, to };
    const days = daysIn(current);
    if (days > MAX_DAYS)
      throw new AppError("REQUEST.INVALID", `query.from: a period of ${days} days; at most ${MAX_DAYS}`, 400, {
        field: "from",
      });
    return { current, previous: { from: addDays(from, -days), to: addDays(from, -1) }, days };
  }

  /** Every KPI's Σnum / Σden (or derived value) for the period and the previous one. */
  private async values(s: CockpitScope, cur: Period, prev: Period) {
    const [kc, kp, rc, rp, [sc, sp]] = await Promise.all([
      repo.kpis(this.db, s.scope, cur),
      repo.kpis(this.db, s.scope, prev),
      repo.repurchase(this.db, s.scope, cur),
      repo.repurchase(this.db, s.scope, prev),
      repo.stock(this.db, s.scope, cur, prev),
    ]);
    return [this.derive(cur, kc, rc, sc), this.derive(prev, kp, rp, sp)] as const;
  }

  private derive(
    p: Period,
    kpis: Awaited<ReturnType<typeof repo.kpis>>,
    rep: { num: number; den: number },
    stock: { onHand: number; sold: number; slow: number },
  ) {
    const perDay = stock.sold / daysIn(p);
    const out = new Map<KpiKey, { value: number | null; num: number; den: number }>();
    for (const key of KPI_KEYS) {
      if (key === "repurchase_rate") out.set(key, { value: ratio(rep.num, rep.den), ...rep });
      else if (key === "stock_turnover_days")
        out.set(key, { value: ratio(stock.onHand, perDay), num: stock.onHand, den: perDay });
      else if (key === "slow_mover_share")
        out.set(key, { value: ratio(stock.slow, stock.onHand), num: stock.slow, den: stock.onHand });
      else {
        const k = kpis.get(key);
        out.set(key, { value: k ? ratio(k.num, k.den) : null, num: k?.num ?? 0, den: k?.den ?? 0 });
      }
    }
    return out;
  }

  async summary(p: Principal, q: PeriodQuery) {
    const s = await this.scopeOf(p, q.companyId);
    const { current, previous } = this.period(q);
    const [[cur, prev], st] = await Promise.all([this.values(s, current, previous), this.status()]);
    return {
      scope: s,
      period: current,
      previousPeriod: previous,
      refreshedAt: st.refreshedAt,
      kpis: KPI_KEYS.map((key) => {
        const c = cur.get(key)!;
        const v = prev.get(key)!.value;
        const d = DEFINITIONS[key];
        return {
          key,
          value: c.value,
          previous: v,
          change: c.value !== null && v !== null ? c.value - v : null,
          num: c.num,
          den: c.den,
          unit: d.unit,
          verified: d.verified,
          lowerIsBetter: d.lowerIsBetter,
          definition: { zh: d.zh, en: d.en },
        };
      }),
    };
  }

  async skus(p: Principal, q: PeriodQuery & { limit: number }) {
    const s = await this.scopeOf(p, q.companyId);
    const { current, previous } = this.period(q);
    const rows = await repo.skus(this.db, s.scope, s.kind, current, previous, q.limit);
    const pick = (list: "hot" | "riser") =>
      rows
        .filter((r) => r.list === list)
        .map(({ list: _l, ...r }) => ({ ...r, change: r.current - r.previous }))
        .sort((a, b) => (list === "hot" ? b.current - a.current : b.change - a.change) || a.skuId - b.skuId);
    const d = DEFINITIONS.hot_skus;
    return {
      scope: s,
      period: current,
      previousPeriod: previous,
      hot: pick("hot"),
      risers: pick("riser"),
      definition: { zh: d.zh, en: d.en },
    };
  }

  async regions(p: Principal, q: PeriodQuery & { level: "province" | "city" }) {
    const s = await this.scopeOf(p, q.companyId);
    const { current } = this.period(q);
    const r = await repo.regions(this.db, s.scope, current);
    const up = areaOf(q.level);
    const acc = new Map<
      string,
      {
        code: string;
        name: string;
        searches: number;
        emptySearches: number;
        ordered: number;
        unfilled: number;
        onHand: number;
        available: number;
      }
    >();
    const at = (code: string) => {
      const c = up(code);
      let a = acc.get(c);
      if (!a) {
        a = {
          code: c,
          name: regionName(c) ?? c,
          searches: 0,
          emptySearches: 0,
          ordered: 0,
          unfilled: 0,
          onHand: 0,
          available: 0,
        };
        acc.set(c, a);
      }
      return a;
    };
    for (const x of r.demand) {
      const a = at(x.code);
      a.ordered += x.ordered;
      a.unfilled += x.unfilled;
    }
    for (const x of r.searches) {
      const a = at(x.code);
      a.searches += x.searches;
      a.emptySearches += x.empty;
    }
    for (const x of r.stock) {
      const a = at(x.code);
      a.onHand += x.onHand;
      a.available += x.available;
    }
    const d = DEFINITIONS.regions;
    return {
      scope: s,
      period: current,
      level: q.level,
      regions: [...acc.values()]
        .map((a) => ({ ...a, shortfall: Math.max(0, a.unfilled - a.available) }))
        .sort(
          (a, b) =>
            b.shortfall - a.shortfall ||
            b.unfilled - a.unfilled ||
            b.emptySearches - a.emptySearches ||
            a.code.localeCompare(b.code),
        ),
      definition: { zh: d.zh, en: d.en },
    };
  }

  /** Channel health per distributor: every distributor for the platform, itself for a distributor. */
  async channels(p: Principal, q: PeriodQuery) {
    const s = await this.scopeOf(p, q.companyId);
    const { current, previous } = this.period(q);
    const only = s.scope === "*" ? null : s.scope;
    const [cur, prev] = await Promise.all([
      repo.channels(this.db, only, current),
      repo.channels(this.db, only, previous),
    ]);
    const byCompany = new Map<
      string,
      {
        companyId: string;
        name: string;
        metrics: Record<string, { value: number | null; previous: number | null; count: number }>;
      }
    >();
    const put = (rows: typeof cur, which: "value" | "previous") => {
      for (const r of rows) {
        let c = byCompany.get(r.companyId);
        if (!c) byCompany.set(r.companyId, (c = { companyId: r.companyId, name: r.name, metrics: {} }));
        const m = (c.metrics[r.metric] ??= { value: null, previous: null, count: 0 });
        m[which] = ratio(r.num, r.den);
        if (which === "value") m.count = r.metric === "counterfeit_rate" ? r.num : r.den;
      }
    };
    put(cur, "value");
    put(prev, "previous");
    return {
      scope: s,
      period: current,
      previousPeriod: previous,
      channels: [...byCompany.values()].sort((a, b) => a.companyId.localeCompare(b.companyId)),
      definitions: Object.fromEntries(
        (["fill_rate", "on_time", "cancel_rate", "counterfeit_rate", "fulfilment_hours"] as const).map((k) => [
          k,
          { zh: DEFINITIONS[k].zh, en: DEFINITIONS[k].en },
        ]),
      ),
    };
  }

  /**
   * One page of the rows behind a metric. Event rows (orders, deliveries, scans, reports, installations) are newest
   * first and continue from `cursor` (the previous page's `nextCursor`), reading one page of rows however large the
   * period; `page` without a cursor jumps by offset. `total` is the rollup's count as of the last refresh.
   */
  async rows(p: Principal, q: PeriodQuery & { metric: MetricKey; page: number; pageSize: number; cursor?: string }) {
    const s = await this.scopeOf(p, q.companyId);
    const { current } = this.period(q);
    let cursor = null;
    if (q.cursor !== undefined) {
      cursor = decodeCursor(q.metric, q.cursor);
      if (!cursor)
        throw new AppError(
          "REQUEST.INVALID",
          keyed(q.metric)
            ? "query.cursor: not a cursor this API gave (pass a page's nextCursor back unchanged)"
            : `query.cursor: the ${q.metric} rows are groups, paged by page number`,
          400,
          { field: "cursor" },
        );
    }
    const r = await drillRows(this.db, q.metric, s.scope, s.kind, current, q.pageSize, {
      cursor,
      offset: (q.page - 1) * q.pageSize,
    });
    const d = DEFINITIONS[q.metric];
    return {
      metric: q.metric,
      scope: s,
      period: current,
      page: q.page,
      pageSize: q.pageSize,
      total: r.total,
      rows: r.rows,
      nextCursor: r.next ? encodeCursor(r.next) : null,
      verified: d.verified,
      definition: { zh: d.zh, en: d.en },
    };
  }

  /**
   * Every row behind a metric as CSV, streamed: the header, then a batch of lines at a time (keyset batches for event
   * rows), never the whole set in memory. `total` is the rollup's count (the audit records it and the filter).
   */
  async csv(p: Principal, q: PeriodQuery & { metric: MetricKey }) {
    const s = await this.scopeOf(p, q.companyId);
    const { current } = this.period(q);
    const { total } = await drillRows(this.db, q.metric, s.scope, s.kind, current, 1, {});
    const cell = (v: unknown) => {
      const t = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(" ") : String(v);
      // A leading = + - @ would be a formula in a spreadsheet (CSV injection): quoted with a leading apostrophe.
      const safe = /^[=+\-@]/.test(t) && !/^-?\d/.test(t) ? `'${t}` : t;
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const db = this.db;
    async function* lines(): AsyncGenerator<string> {
      yield "\ufeff";
      let cols: string[] | null = null;
      for await (const batch of allDrillRows(db, q.metric, s.scope, s.kind, current)) {
        let out = "";
        if (!cols) {
          cols = Object.keys(batch[0]!);
          out = `${cols.join(",")}\r\n`;
        }
        const c = cols;
        yield out + batch.map((row) => `${c.map((k) => cell(row[k])).join(",")}\r\n`).join("");
      }
      if (!cols) yield "\r\n";
    }
    return { total, lines: lines(), filename: `partledger-${q.metric}-${current.from}-${current.to}.csv` };
  }
}

/** A district's (or city's) code → the code of its city or province. */
function areaOf(level: "province" | "city"): (code: string) => string {
  if (level === "province") return (code) => `${code.slice(0, 2)}0000`;
  const city = new Map(regions().map((r) => [r.code, r.cityCode]));
  return (code) => city.get(code) ?? `${code.slice(0, 4)}00`;
}
