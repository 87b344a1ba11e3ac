import type { Sql } from "../../../../ledger-service/src/index.js";

/** A scope: '*' for the platform, or a company id. */
export type Scope = string;
/** Inclusive Asia/Shanghai dates. */
export interface Period {
  from: string;
  to: string;
}

/**
 * The SKUs a scope's demand is read for: null for the platform (all); a manufacturer's own (owned in the catalogue or
 * named by its GTINs); a distributor's, those it holds stock of.
 */
const skuFilter = (col: string, scope: string, kind: string) => `(${scope}::text = '*'
  OR (${kind}::text = 'manufacturer' AND ${col} IN (SELECT c.id FROM catalog_skus c WHERE c.owner_company_id = ${scope}
        UNION SELECT p.sku_id FROM products p WHERE p.company_id = ${scope} AND p.sku_id IS NOT NULL))
  OR (${kind}::text <> 'manufacturer' AND ${col} IN (SELECT s.sku_id FROM stock s JOIN supplier_locations l ON l.id = s.location_id WHERE l.company_id = ${scope})))`;

/** Reads of the rollups only (drill-down rows are in drill.repository.ts). */
export const cockpitRepository = {
  /** Σnum and Σden of each ratio KPI over the period. */
  async kpis(db: Sql, scope: Scope, p: Period) {
    const { rows } = await db.query<{ metric: string; num: number; den: number }>(
      `SELECT metric, sum(num)::float8 AS num, sum(den)::float8 AS den FROM cockpit_kpi_day
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
   * For each of two periods (the current and the previous, read in one pass over the stock lines): units on hand at
   * its end, units sold in it, and units on hand in lines that sold nothing in it.
   */
  async stock(db: Sql, scope: Scope, a: Period, b: Period) {
    const { rows } = await db.query<{ k: number; onHand: number; sold: number; slow: number }>(
      `WITH lines AS (
         SELECT s.location_id, s.sku_id, s.on_hand FROM stock s JOIN supplier_locations l ON l.id = s.location_id
          WHERE $1::text = '*' OR l.company_id = $1),
       later AS (SELECT location_id, sku_id, sum(delta) FILTER (WHERE day > $3::date) AS da, sum(delta) FILTER (WHERE day > $5::date) AS db
                   FROM cockpit_stock_day WHERE day > least($3::date, $5::date)
                    AND ($1::text = '*' OR location_id IN (SELECT id FROM supplier_locations WHERE company_id = $1)) GROUP BY 1, 2),
       sold AS (SELECT location_id, sku_id, sum(units) FILTER (WHERE day BETWEEN $2::date AND $3::date) AS ua,
                       sum(units) FILTER (WHERE day BETWEEN $4::date AND $5::date) AS ub
                  FROM cockpit_sales_day WHERE day BETWEEN least($2::date, $4::date) AND greatest($3::date, $5::date)
                   AND ($1::text = '*' OR seller_id = $1) GROUP BY 1, 2),
       ends AS (SELECT l.on_hand - COALESCE(x.da, 0) AS ea, COALESCE(y.ua, 0) AS sa, l.on_hand - COALESCE(x.db, 0) AS eb, COALESCE(y.ub, 0) AS sb
                  FROM lines l LEFT JOIN later x USING (location_id, sku_id) LEFT JOIN sold y USING (location_id, sku_id))
       SELECT 1 AS k, COALESCE(sum(ea) FILTER (WHERE ea > 0), 0)::float8 AS "onHand", COALESCE((SELECT sum(ua) FROM sold), 0)::float8 AS sold,
              COALESCE(sum(ea) FILTER (WHERE ea > 0 AND sa = 0), 0)::float8 AS slow FROM ends
       UNION ALL
       SELECT 2, COALESCE(sum(eb) FILTER (WHERE eb > 0), 0)::float8, COALESCE((SELECT sum(ub) FROM sold), 0)::float8,
              COALESCE(sum(eb) FILTER (WHERE eb > 0 AND sb = 0), 0)::float8 FROM ends`,
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
        ? `SELECT day, sku_id, units AS q FROM cockpit_sales_day WHERE seller_id = $2 AND $3::text IS NOT NULL AND day BETWEEN $4::date AND $6::date`
        : `SELECT day, sku_id, ordered AS q FROM cockpit_demand_day WHERE day BETWEEN $4::date AND $6::date AND ${skuFilter("sku_id", "$2", "$3")}`;
    const { rows } = await db.query<{
      list: "hot" | "riser";
      skuId: number;
      current: number;
      previous: number;
      name: string | null;
      brand: string | null;
      partNo: string | null;
    }>(
      `WITH t AS (SELECT sku_id, COALESCE(sum(q) FILTER (WHERE day >= $5::date), 0)::int AS cur,
                         COALESCE(sum(q) FILTER (WHERE day < $5::date), 0)::int AS prev
                    FROM (${source}) x GROUP BY sku_id),
            pick AS ((SELECT 'hot' AS list, * FROM t WHERE cur > 0 ORDER BY cur DESC, sku_id LIMIT $1)
                     UNION ALL (SELECT 'riser', * FROM t WHERE cur > prev ORDER BY cur - prev DESC, sku_id LIMIT $1))
       SELECT p.list, p.sku_id::int AS "skuId", p.cur AS current, p.prev AS previous, s.name, s.brand, s.part_no AS "partNo"
         FROM pick p LEFT JOIN catalog_skus s ON s.id = p.sku_id`,
      [limit, scope, kind, prev.from, cur.from, cur.to],
    );
    return rows;
  },

  /** Per region code: units ordered and unfilled (SKUs of the scope), searches, and stock (the scope's) now. */
  async regions(db: Sql, scope: Scope, kind: string, p: Period) {
    const demand = await db.query<{ code: string; ordered: number; unfilled: number }>(
      `SELECT region_code AS code, sum(ordered)::int AS ordered, sum(unfilled)::int AS unfilled FROM cockpit_demand_day
        WHERE day BETWEEN $3::date AND $4::date AND ${skuFilter("sku_id", "$1", "$2")} GROUP BY 1`,
      [scope, kind, p.from, p.to],
    );
    const searches = await db.query<{ code: string; searches: number; empty: number }>(
      `SELECT region_code AS code, sum(searches)::int AS searches, sum(empty)::int AS empty FROM cockpit_search_day
        WHERE day BETWEEN $1::date AND $2::date GROUP BY 1`,
      [p.from, p.to],
    );
    // A manufacturer sees its own SKUs' stock wherever it is pooled; a distributor its own warehouses'.
    const stock = await db.query<{ code: string; onHand: number; available: number }>(
      `SELECT l.region_code AS code, sum(s.on_hand)::int AS "onHand", sum(greatest(s.on_hand - s.reserved, 0))::int AS available
         FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE $1::text = '*' OR l.company_id = $1
           OR ($2::text = 'manufacturer' AND s.shared AND s.sku_id IN (SELECT id FROM catalog_skus WHERE owner_company_id = $1
                UNION SELECT sku_id FROM products WHERE company_id = $1 AND sku_id IS NOT NULL))
        GROUP BY 1`,
      [scope, kind],
    );
    return { demand: demand.rows, searches: searches.rows, stock: stock.rows };
  },

  /** Channel health: the ratio KPIs of each distributor (or the one asked for) over the period. */
  async channels(db: Sql, only: string | null, p: Period) {
    const { rows } = await db.query<{ companyId: string; name: string; metric: string; num: number; den: number }>(
      `SELECT k.scope AS "companyId", c.name, k.metric, sum(k.num)::float8 AS num, sum(k.den)::float8 AS den
         FROM cockpit_kpi_day k JOIN companies c ON c.id = k.scope
        WHERE c.kind = 'distributor' AND ($1::text IS NULL OR k.scope = $1) AND k.day BETWEEN $2::date AND $3::date
          AND k.metric IN ('fill_rate', 'on_time', 'cancel_rate', 'counterfeit_rate', 'fulfilment_hours')
        GROUP BY 1, 2, 3 ORDER BY 1`,
      [only, p.from, p.to],
    );
    return rows;
  },
};
