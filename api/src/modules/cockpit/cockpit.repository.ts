import type { Sql } from "../../../../ledger-service/src/index.js";

/** A scope: '*' for the platform, or a company id. */
export type Scope = string;
/** Inclusive Asia/Shanghai dates. */
export interface Period {
  from: string;
  to: string;
}

/**
 * The SKUs a scope's demand is read for, as the last refresh saw them (`cockpit_scope_sku`): all for the platform; a
 * manufacturer's own (owned in the catalogue or named by its GTINs); another company's, those it holds stock of.
 */
const skuFilter = (col: string, scope: string) =>
  `(${scope}::text = '*' OR ${col} IN (SELECT k.sku_id FROM cockpit_scope_sku k WHERE k.scope = ${scope}))`;

/** Reads of the rollups only (drill-down rows are in drill.repository.ts). */
export const cockpitRepository = {
  /** Σnum and Σden of each ratio KPI over the period, summed in day order (the same floats whatever the plan). */
  async kpis(db: Sql, scope: Scope, p: Period) {
    const { rows } = await db.query<{ metric: string; num: number; den: number }>(
      `SELECT metric, sum(num ORDER BY day)::float8 AS num, sum(den ORDER BY day)::float8 AS den FROM cockpit_kpi_day
        WHERE scope = $1 AND day BETWEEN $2::date AND $3::date GROUP BY metric`,
      [scope, p.from, p.to],
    );
    return new Map(rows.map((r) => [r.metric, r]));
  },

  /** Buyers active in the period, and those active on at least two days. */
  async repurchase(db: Sql, scope: Scope, p: Period) {
    const { rows } = await db.query<{ num: number; den: number }>(
      `SELECT count(*) FILTER (WHERE days >= 2)::float8 AS num, count(*)::float8 AS den
         FROM (SELECT buyer_id, count(*) AS days FROM cockpit_buyer_day WHERE scope = $1 AND day BETWEEN $2::date AND $3::date GROUP BY buyer_id) b`,
      [scope, p.from, p.to],
    );
    return rows[0]!;
  },

  /**
   * For each of two periods, from the stock figures of the last refresh (DECISIONS 102): units on hand at its end
   * (positive balances), units sold in it, and units on hand in lines whose latest sale is before its start. A day
   * before the first computed one has the first one's balances (nothing moved or sold before it); a day after the last
   * one (today, when the refresh ran) has the last one's.
   */
  async stock(db: Sql, scope: Scope, a: Period, b: Period) {
    const { rows } = await db.query<{ k: number; onHand: number; sold: number; slow: number }>(
      `WITH span AS (SELECT first_day AS lo, last_day AS hi FROM cockpit_stock_span WHERE id = 1),
            p (k, f, t) AS (VALUES (1, $2::date, $3::date), (2, $4::date, $5::date))
       SELECT p.k,
              COALESCE((SELECT sum(i.units) FROM cockpit_stock_idle_day i
                         WHERE i.scope = $1 AND i.day = least(greatest(p.t, span.lo), span.hi)), 0)::float8 AS "onHand",
              COALESCE((SELECT sum(s.units) FROM cockpit_sold_day s
                         WHERE s.scope = $1 AND s.day BETWEEN p.f AND p.t), 0)::float8 AS sold,
              COALESCE((SELECT sum(i.units) FROM cockpit_stock_idle_day i
                         WHERE i.scope = $1 AND i.day = least(greatest(p.t, span.lo), span.hi) AND i.last_sale <
                           p.f), 0)::float8 AS slow
         FROM p LEFT JOIN span ON true`,
      [scope, a.from, a.to, b.from, b.to],
    );
    return [rows.find((r) => r.k === 1)!, rows.find((r) => r.k === 2)!] as const;
  },

  /**
   * Units per SKU in the period and the previous one: ordered (the platform, a manufacturer's own SKUs) or sold (a
   * distributor). The top `limit` by units now, and the top `limit` by gain.
   */
  async skus(db: Sql, scope: Scope, kind: string, cur: Period, prev: Period, limit: number) {
    const source =
      scope !== "*" && kind !== "manufacturer"
        ? `SELECT day, sku_id, units AS q FROM cockpit_sales_day WHERE seller_id = $2 AND day BETWEEN $3::date AND
          $5::date`
        : `SELECT day, sku_id, ordered AS q FROM cockpit_demand_day
            WHERE day BETWEEN $3::date AND $5::date AND ${skuFilter("sku_id", "$2")}`;
    const { rows } = await db.query<{
      list: "hot" | "riser";
      skuId: number;
      current: number;
      previous: number;
      name: string | null;
      brand: string | null;
      partNo: string | null;
    }>(
      `WITH t AS (SELECT sku_id, COALESCE(sum(q) FILTER (WHERE day >= $4::date), 0)::int AS cur,
                         COALESCE(sum(q) FILTER (WHERE day < $4::date), 0)::int AS prev
                    FROM (${source}) x GROUP BY sku_id),
            pick AS ((SELECT 'hot' AS list, * FROM t WHERE cur > 0 ORDER BY cur DESC, sku_id LIMIT $1)
                     UNION ALL (SELECT 'riser', * FROM t WHERE cur > prev ORDER BY cur - prev DESC, sku_id LIMIT $1))
       SELECT p.list, p.sku_id::int AS "skuId", p.cur AS current, p.prev AS previous, s.name, s.brand, s.part_no AS "partNo"
         FROM pick p LEFT JOIN catalog_skus s ON s.id = p.sku_id`,
      [limit, scope, prev.from, cur.from, cur.to],
    );
    return rows;
  },

  /** Per region code: units ordered and unfilled (SKUs of the scope), searches, and stock (the scope's) now. */
  async regions(db: Sql, scope: Scope, p: Period) {
    const demand = await db.query<{ code: string; ordered: number; unfilled: number }>(
      `SELECT region_code AS code, sum(ordered)::int AS ordered, sum(unfilled)::int AS unfilled FROM cockpit_demand_day
        WHERE day BETWEEN $2::date AND $3::date AND ${skuFilter("sku_id", "$1")} GROUP BY 1`,
      [scope, p.from, p.to],
    );
    const searches = await db.query<{ code: string; searches: number; empty: number }>(
      `SELECT region_code AS code, sum(searches)::int AS searches, sum(empty)::int AS empty FROM cockpit_search_day
        WHERE day BETWEEN $1::date AND $2::date GROUP BY 1`,
      [p.from, p.to],
    );
    // A manufacturer sees its own SKUs' stock wherever it is pooled; a distributor its own warehouses' (at the
    // last refresh).
    const stock = await db.query<{ code: string; onHand: number; available: number }>(
      `SELECT region_code AS code, on_hand::int AS "onHand", available::int AS available FROM cockpit_stock_region
        WHERE scope = $1`,
      [scope],
    );
    return { demand: demand.rows, searches: searches.rows, stock: stock.rows };
  },

  /** Channel health: the ratio KPIs of each distributor (or the one asked for) over the period. */
  async channels(db: Sql, only: string | null, p: Period) {
    const { rows } = await db.query<{ companyId: string; name: string; metric: string; num: number; den: number }>(
      `SELECT k.scope AS "companyId", c.name, k.metric,
              sum(k.num ORDER BY k.day)::float8 AS num, sum(k.den ORDER BY k.day)::float8 AS den
         FROM cockpit_kpi_day k JOIN companies c ON c.id = k.scope
        WHERE c.kind = 'distributor' AND ($1::text IS NULL OR k.scope = $1) AND k.day BETWEEN $2::date AND $3::date
          AND k.metric IN ('fill_rate', 'on_time', 'cancel_rate', 'counterfeit_rate', 'fulfilment_hours')
        GROUP BY 1, 2, 3 ORDER BY 1`,
      [only, p.from, p.to],
    );
    return rows;
  },
};
