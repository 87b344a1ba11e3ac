import type { Sql } from "../../../../ledger-service/src/index.js";

/** An instant's Asia/Shanghai calendar date, in SQL. */
export const DAY = (expr: string) => `(${expr} AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * The dirty days as `d (day, t0, t1)`, the instants each begins and ends: `JOIN d ON x >= d.t0 AND x < d.t1` reads
 * an index range. Many days (a first or large refresh): one statement over the array $1, where hashing whole tables is
 * the right plan. A few days (the usual incremental refresh): one statement a day with the bounds inlined as
 * constants ($1-$3), so that one day's rows join the next table by index rather than by hashing all of it.
 */
const MANY_DAYS = `d AS (SELECT day, (day::timestamp AT TIME ZONE 'Asia/Shanghai') AS t0, ((day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AS t1
  FROM unnest($1::date[]) AS day)`;
const ONE_DAY = `d AS NOT MATERIALIZED (SELECT $1::date AS day, $2::timestamptz AS t0, $3::timestamptz AS t1)`;
const DAYS = "__DAYS__";
/** Above this many dirty days a refresh recomputes them in one statement per table. */
export const BULK_DAYS = 14;

/** The companies an order's seller side counts for: the platform ('*') and every seller with stock allocated to it. */
const ORDER_SCOPES = `CROSS JOIN LATERAL (SELECT '*'::text UNION SELECT a.seller_id FROM order_allocations a WHERE a.order_id = o.id) sc(scope)`;

/**
 * How many orders the fill-rate and urgent-fill drill-downs list per day and scope (num = den = the count), under
 * the drill-down's own definition: the other drill-downs' counts are already a KPI's part. Reads `placed` (the
 * day's orders as `day, o.*`); the migration that added them ran the same SQL over every order.
 */
export const DRILL_COUNTS = `SELECT o.day, sc.scope, 'fill_rate:rows', count(*), count(*)
          FROM placed o CROSS JOIN LATERAL (
            SELECT '*'::text FROM order_allocations a WHERE a.order_id = o.id
            UNION SELECT a.seller_id FROM order_allocations a WHERE a.order_id = o.id) sc(scope)
         GROUP BY 1, 2
        UNION ALL
        SELECT o.day, sc.scope, 'urgent_fill:rows', count(*), count(*)
          FROM placed o CROSS JOIN LATERAL (
            SELECT '*'::text
            UNION SELECT c.owner_company_id FROM order_lines l JOIN catalog_skus c ON c.id = l.sku_id
                   WHERE l.order_id = o.id
            UNION SELECT p.company_id FROM order_lines l JOIN products p ON p.sku_id = l.sku_id
                   WHERE l.order_id = o.id) sc(scope)
         WHERE o.urgent AND sc.scope IS NOT NULL
         GROUP BY 1, 2`;

/**
 * Each source a refresh reads past its watermark, and the days its new rows touch. Order events touch the day the
 * event happened (deliveries) and the day its order was placed (fill, shipping, cancellation are bucketed there).
 */
const SOURCES = {
  order_events: {
    max: "SELECT COALESCE(max(id), 0)::text AS id FROM order_events",
    days: `SELECT ${DAY("e.at")} AS day FROM order_events e WHERE e.id > $1 AND e.id <= $2
           UNION SELECT ${DAY("o.created_at")} FROM order_events e JOIN orders o ON o.id = e.order_id WHERE e.id > $1 AND e.id <= $2`,
  },
  stock_movements: {
    max: "SELECT COALESCE(max(id), 0)::text AS id FROM stock_movements",
    days: `SELECT DISTINCT ${DAY("at")} AS day FROM stock_movements WHERE id > $1 AND id <= $2`,
  },
  catalog_searches: {
    max: "SELECT COALESCE(max(id), 0)::text AS id FROM catalog_searches",
    days: `SELECT DISTINCT ${DAY("at")} AS day FROM catalog_searches WHERE id > $1 AND id <= $2`,
  },
  scans: {
    max: "SELECT COALESCE(max(id), 0)::text AS id FROM scans",
    days: `SELECT DISTINCT ${DAY("scanned_at")} AS day FROM scans WHERE id > $1 AND id <= $2`,
  },
  // Installations are bucketed by their day; receipts only matter to scans after them (new scans mark their days).
  ledger_events: {
    max: "SELECT last_seq::text AS id FROM ledger_head WHERE id = 1",
    days: `SELECT DISTINCT ${DAY("recorded_at")} AS day FROM ledger_events WHERE seq > $1 AND seq <= $2 AND step = 3`,
  },
  // Reports carry no serial id: their watermark is the latest created_at read.
  counterfeit_reports: {
    max: "SELECT COALESCE(extract(epoch FROM max(created_at)) * 1e6, 0)::bigint::text AS id FROM counterfeit_reports",
    days: `SELECT DISTINCT ${DAY("created_at")} AS day FROM counterfeit_reports
            WHERE created_at > to_timestamp($1::float8 / 1e6) AND created_at <= to_timestamp($2::float8 / 1e6)`,
  },
} as const;
export type Source = keyof typeof SOURCES;
export const SOURCE_NAMES = Object.keys(SOURCES) as Source[];

/**
 * The rollups: one DELETE per table for the dirty days, then INSERTs over them (see MANY_DAYS / ONE_DAY). Every statement reads only rows of those days
 * (through the day-range join), so a refresh costs what changed, not the history.
 */
const ROLLUPS: Array<{ table: string; insert: string }> = [
  {
    table: "cockpit_demand_day",
    insert: `WITH ${DAYS}
      INSERT INTO cockpit_demand_day (day, region_code, sku_id, orders, ordered, unfilled)
      SELECT d.day, c.region_code, l.sku_id, count(DISTINCT o.id), sum(l.quantity), sum(l.quantity - l.allocated)
        FROM d JOIN orders o ON o.created_at >= d.t0 AND o.created_at < d.t1 AND o.status <> 'cancelled'
        JOIN companies c ON c.id = o.buyer_id JOIN order_lines l ON l.order_id = o.id
       GROUP BY 1, 2, 3`,
  },
  {
    table: "cockpit_sales_day",
    insert: `WITH ${DAYS}
      INSERT INTO cockpit_sales_day (day, seller_id, location_id, sku_id, units, lines)
      SELECT d.day, min(a.seller_id), a.location_id, l.sku_id, sum(a.quantity), count(*)
        FROM d JOIN orders o ON o.created_at >= d.t0 AND o.created_at < d.t1 AND o.status <> 'cancelled'
        JOIN order_allocations a ON a.order_id = o.id JOIN order_lines l ON l.order_id = a.order_id AND l.line_no = a.line_no
       GROUP BY d.day, a.location_id, l.sku_id`,
  },
  {
    table: "cockpit_search_day",
    insert: `WITH ${DAYS}
      INSERT INTO cockpit_search_day (day, region_code, searches, empty)
      SELECT d.day, s.region_code, count(*), count(*) FILTER (WHERE s.result_count = 0)
        FROM d JOIN catalog_searches s ON s.at >= d.t0 AND s.at < d.t1 WHERE s.region_code IS NOT NULL
       GROUP BY 1, 2`,
  },
  {
    table: "cockpit_stock_day",
    insert: `WITH ${DAYS}
      INSERT INTO cockpit_stock_day (day, location_id, sku_id, delta)
      SELECT d.day, m.location_id, m.sku_id, sum(m.on_hand_delta)
        FROM d JOIN stock_movements m ON m.at >= d.t0 AND m.at < d.t1 WHERE m.on_hand_delta <> 0
       GROUP BY 1, 2, 3`,
  },
  {
    table: "cockpit_buyer_day",
    insert: `WITH ${DAYS}
      INSERT INTO cockpit_buyer_day (day, scope, buyer_id, orders)
      SELECT d.day, sc.scope, o.buyer_id, count(*)
        FROM d JOIN orders o ON o.created_at >= d.t0 AND o.created_at < d.t1 AND o.status <> 'cancelled' ${ORDER_SCOPES}
       GROUP BY 1, 2, 3`,
  },
  {
    table: "cockpit_kpi_day",
    insert: `WITH ${DAYS},
      placed AS (SELECT d.day, o.* FROM d JOIN orders o ON o.created_at >= d.t0 AND o.created_at < d.t1),
      parts AS (
        -- fill_rate: units allocated to the scope on orders placed that day, and those on orders that shipped since
        SELECT p.day, sc.scope, 'fill_rate' AS metric,
               COALESCE(sum(a.quantity) FILTER (WHERE p.status IN ('shipped', 'delivered', 'completed')), 0)::float8 AS num,
               sum(a.quantity)::float8 AS den
          FROM placed p JOIN order_allocations a ON a.order_id = p.id CROSS JOIN LATERAL (VALUES ('*'), (a.seller_id)) sc(scope)
         GROUP BY 1, 2
        UNION ALL
        -- on_time: orders placed that day that shipped, and those shipped within 24 h (4 h when urgent)
        SELECT o.day, sc.scope, 'on_time',
               count(*) FILTER (WHERE sh.at <= o.created_at + CASE WHEN o.urgent THEN interval '4 hours' ELSE interval '24 hours' END),
               count(*)
          FROM placed o JOIN LATERAL (SELECT min(e.at) AS at FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'shipped') sh ON sh.at IS NOT NULL
          ${ORDER_SCOPES}
         GROUP BY 1, 2
        UNION ALL
        -- cancel_rate: orders placed that day, and those cancelled since
        SELECT o.day, sc.scope, 'cancel_rate', count(*) FILTER (WHERE o.status = 'cancelled'), count(*)
          FROM placed o ${ORDER_SCOPES} GROUP BY 1, 2
        UNION ALL
        -- urgent_fill: urgent orders placed that day, units ordered and allocated; for the platform and each SKU's owner
        SELECT o.day, sc.scope, 'urgent_fill', sum(l.allocated), sum(l.quantity)
          FROM placed o JOIN order_lines l ON l.order_id = o.id LEFT JOIN catalog_skus s ON s.id = l.sku_id
         CROSS JOIN LATERAL (VALUES ('*'), (s.owner_company_id)) sc(scope)
         WHERE o.urgent AND sc.scope IS NOT NULL GROUP BY 1, 2
        UNION ALL
        ${DRILL_COUNTS}
        UNION ALL
        -- fulfilment_hours: orders delivered that day, hours from placement to delivery
        SELECT d.day, sc.scope, 'fulfilment_hours', sum(extract(epoch FROM e.at - o.created_at) / 3600), count(*)
          FROM d JOIN order_events e ON e.to_status = 'delivered' AND e.at >= d.t0 AND e.at < d.t1 JOIN orders o ON o.id = e.order_id
          ${ORDER_SCOPES}
         GROUP BY 1, 2
        UNION ALL
        -- counterfeit_rate: reports filed that day (num) and verification scans that day (den); for the platform, the
        -- part's brand owner and every company that shipped it on an order
        SELECT x.day, x.scope, 'counterfeit_rate', sum(x.num), sum(x.den) FROM (
          SELECT d.day, sc.scope, 1 AS num, 0 AS den
            FROM d JOIN counterfeit_reports r ON r.created_at >= d.t0 AND r.created_at < d.t1
           CROSS JOIN LATERAL (SELECT '*'::text UNION SELECT r.brand_owner_id UNION
                               SELECT op.shipped_by FROM order_parts op WHERE op.gtin = r.gtin AND op.serial = r.serial) sc(scope)
           WHERE sc.scope IS NOT NULL
          UNION ALL
          SELECT d.day, sc.scope, 0, 1
            FROM d JOIN scans s ON s.scanned_at >= d.t0 AND s.scanned_at < d.t1 LEFT JOIN ledger_parts lp ON lp.part_key = s.part_key
           CROSS JOIN LATERAL (SELECT '*'::text UNION SELECT pr.company_id FROM products pr WHERE pr.gtin = lp.gtin UNION
                               SELECT op.shipped_by FROM order_parts op WHERE op.gtin = lp.gtin AND op.serial = lp.serial) sc(scope)
           WHERE sc.scope IS NOT NULL
        ) x GROUP BY 1, 2
        UNION ALL
        -- verification_minutes: scans that day that are the first since the part was last received (a ledger event),
        -- minutes from that receipt; for the platform and the receiving company
        SELECT d.day, sc.scope, 'verification_minutes', sum(extract(epoch FROM s.scanned_at - r.recorded_at) / 60), count(*)
          FROM d JOIN scans s ON s.scanned_at >= d.t0 AND s.scanned_at < d.t1
          JOIN LATERAL (SELECT e.step, a.id AS actor, e.recorded_at FROM ledger_events e JOIN ledger_actors a ON a.address = e.actor
                         WHERE e.part_key = s.part_key AND e.recorded_at <= s.scanned_at ORDER BY e.seq DESC LIMIT 1) r ON r.step = 2
         CROSS JOIN LATERAL (VALUES ('*'), (r.actor)) sc(scope)
         WHERE NOT EXISTS (SELECT 1 FROM scans s2 WHERE s2.part_key = s.part_key AND s2.scanned_at >= r.recorded_at
                             AND (s2.scanned_at, s2.id) < (s.scanned_at, s.id))
         GROUP BY 1, 2
        UNION ALL
        -- chain_levels: parts installed that day (a ledger event), companies on the ledger from commissioning to the
        -- installation; for the platform and every company on the way
        SELECT i.day, sc.scope, 'chain_levels', sum(i.levels), count(*) FROM (
          SELECT d.day, e.part_key, (SELECT count(DISTINCT e2.actor) FROM ledger_events e2 WHERE e2.part_key = e.part_key AND e2.seq <= e.seq) AS levels,
                 (SELECT array_agg(DISTINCT a.id) FROM ledger_events e2 JOIN ledger_actors a ON a.address = e2.actor WHERE e2.part_key = e.part_key AND e2.seq <= e.seq) AS actors
            FROM d JOIN ledger_events e ON e.step = 3 AND e.recorded_at >= d.t0 AND e.recorded_at < d.t1
        ) i CROSS JOIN LATERAL (SELECT '*'::text UNION SELECT unnest(i.actors)) sc(scope)
         GROUP BY 1, 2
      )
      -- A part with nothing counted is not stored; one with a numerator alone is (counterfeit reports on a day without
      -- scans: the rate's period sums must hold them).
      INSERT INTO cockpit_kpi_day (day, scope, metric, num, den)
      SELECT day, scope, metric, num, den FROM parts WHERE den > 0 OR num <> 0`,
  },
];
export const ROLLUP_TABLES = ROLLUPS.map((r) => r.table);

/**
 * On hand at each day's end in [$3, $2] per scope, split by each stock line's latest sale on or before that day
 * (DECISIONS 102). A line's state on day $1 = $3 − 1 is read once (on hand now less the later changes of
 * `cockpit_stock_day`; its latest sale by index); it then changes only on the days it moved or sold, so each line is a
 * few segments of constant (balance, last sale). A segment adds its positive balance to its (scope, last sale) bucket
 * on its first day and takes it away after its last; a running sum per bucket gives every day's histogram.
 * `full`: every stock line from scratch. Otherwise only the lines that moved or sold in ($1, $2], on top of day $1's
 * stored histogram less those lines' own balances on day $1 (the other lines did not change after it).
 */
const stockIdle = (full: boolean) => `WITH lines AS (
    SELECT s.location_id, s.sku_id, l.company_id AS owner, s.on_hand FROM stock s JOIN supplier_locations l ON l.id =
      s.location_id
    ${
      full
        ? ""
        : `WHERE (s.location_id, s.sku_id) IN (
             SELECT location_id, sku_id FROM cockpit_stock_day WHERE day > $1::date AND day <= $2::date
             UNION SELECT location_id, sku_id FROM cockpit_sales_day WHERE day > $1::date AND day <= $2::date)`
    }),
  later AS (SELECT m.location_id, m.sku_id, sum(m.delta) AS d FROM cockpit_stock_day m JOIN lines USING (location_id,
    sku_id)
             WHERE m.day > $1::date GROUP BY 1, 2),
  base AS (
    SELECT li.location_id, li.sku_id, li.owner, li.on_hand - COALESCE(la.d, 0) AS w0, ls.day AS l0
      FROM lines li LEFT JOIN later la USING (location_id, sku_id)
      LEFT JOIN LATERAL (SELECT max(sd.day) AS day FROM cockpit_sales_day sd
                          WHERE sd.location_id = li.location_id AND sd.sku_id = li.sku_id AND sd.day <= $1::date) ls
                            ON true),
  chg AS (
    SELECT location_id, sku_id, day, sum(delta) AS delta, bool_or(sold) AS sold FROM (
      SELECT location_id, sku_id, day, delta, false AS sold FROM cockpit_stock_day WHERE day > $1::date AND day <=
        $2::date
      UNION ALL
      SELECT location_id, sku_id, day, 0, true FROM cockpit_sales_day WHERE day > $1::date AND day <= $2::date AND
        units > 0) x
    GROUP BY 1, 2, 3),
  pts AS (
    SELECT location_id, sku_id, owner, $1::date AS day, w0 AS delta, l0 AS sale FROM base
    UNION ALL
    SELECT c.location_id, c.sku_id, b.owner, c.day, c.delta, CASE WHEN c.sold THEN c.day END
      FROM chg c JOIN base b USING (location_id, sku_id)),
  seg AS (
    SELECT owner, day AS s, lead(day, 1, $2::date + 1) OVER w AS e, sum(delta) OVER w AS w, max(sale) OVER w AS l
      FROM pts WINDOW w AS (PARTITION BY location_id, sku_id ORDER BY day ROWS UNBOUNDED PRECEDING)),
  steps AS (
    SELECT sc.scope, COALESCE(g.l, '-infinity'::date) AS l, x.day, x.v
      FROM seg g CROSS JOIN LATERAL (VALUES (greatest(g.s, $3::date), g.w), (g.e, -g.w)) x(day, v)
     CROSS JOIN LATERAL (VALUES ('*'), (g.owner)) sc(scope)
     WHERE g.w > 0 AND g.e > $3::date AND x.day <= $2::date
    ${
      full
        ? ""
        : `UNION ALL SELECT scope, last_sale, $3::date, units FROM cockpit_stock_idle_day WHERE day = $1::date
           UNION ALL SELECT sc.scope, COALESCE(b.l0, '-infinity'::date), $3::date, -b.w0
             FROM base b CROSS JOIN LATERAL (VALUES ('*'), (b.owner)) sc(scope) WHERE b.w0 > 0`
    }),
  dd AS (SELECT scope, l, day, sum(v) AS v FROM steps GROUP BY 1, 2, 3),
  run AS (
    SELECT scope, l, day, sum(v) OVER b AS units, lead(day, 1, $2::date + 1) OVER b AS next
      FROM dd WINDOW b AS (PARTITION BY scope, l ORDER BY day))
  INSERT INTO cockpit_stock_idle_day (scope, day, last_sale, units)
  SELECT r.scope, r.day + k, r.l, r.units FROM run r CROSS JOIN LATERAL generate_series(0, r.next - r.day - 1) k
   WHERE r.units <> 0`;

/** Units sold per day in [$1, ∞) and scope (the platform and the seller). */
const SOLD = `INSERT INTO cockpit_sold_day (scope, day, units)
  SELECT sc.scope, s.day, sum(s.units) FROM cockpit_sales_day s CROSS JOIN LATERAL (VALUES ('*'), (s.seller_id))
    sc(scope)
   WHERE s.day >= $1::date GROUP BY 1, 2`;

/** Manufacturers' SKUs: owned in the catalogue or named by their products. */
const MAKER_SKUS = `SELECT c.id AS sku_id, c.owner_company_id AS company FROM catalog_skus c
      JOIN companies m ON m.id = c.owner_company_id AND m.kind = 'manufacturer'
    UNION SELECT p.sku_id, p.company_id FROM products p JOIN companies m ON m.id = p.company_id AND m.kind =
      'manufacturer'
     WHERE p.sku_id IS NOT NULL`;

/** Stock now per scope and region: the platform, the warehouse's company, a manufacturer's SKUs in shared pools. */
const STOCK_REGION = `WITH mk AS (${MAKER_SKUS}),
  li AS (SELECT s.sku_id, s.on_hand, greatest(s.on_hand - s.reserved, 0) AS avail, s.shared, l.company_id, l.region_code
           FROM stock s JOIN supplier_locations l ON l.id = s.location_id)
  INSERT INTO cockpit_stock_region (scope, region_code, on_hand, available)
  SELECT scope, region_code, sum(on_hand), sum(avail) FROM (
    SELECT '*' AS scope, region_code, on_hand, avail FROM li
    UNION ALL SELECT company_id, region_code, on_hand, avail FROM li
    UNION ALL SELECT mk.company, li.region_code, li.on_hand, li.avail FROM li JOIN mk ON mk.sku_id = li.sku_id
     WHERE li.shared AND mk.company <> li.company_id) x
  GROUP BY 1, 2`;

/**
 * The SKUs each company's demand is read for: a manufacturer's own, another company's those it holds stock of. Written
 * as a difference in one statement (rows no longer wanted deleted, new ones added, each side a hashed EXCEPT), so an
 * unchanged set costs its read, not a rewrite.
 */
const SCOPE_SKUS_WANT = `SELECT company AS scope, sku_id FROM (${MAKER_SKUS}) mk
    UNION SELECT l.company_id, s.sku_id FROM stock s JOIN supplier_locations l ON l.id = s.location_id
     JOIN companies c ON c.id = l.company_id WHERE c.kind <> 'manufacturer'`;
const SCOPE_SKUS = `WITH want AS MATERIALIZED (${SCOPE_SKUS_WANT}),
  gone AS (DELETE FROM cockpit_scope_sku WHERE (scope, sku_id) IN (
             SELECT scope, sku_id FROM cockpit_scope_sku EXCEPT SELECT scope, sku_id FROM want))
  INSERT INTO cockpit_scope_sku (scope, sku_id)
  SELECT scope, sku_id FROM want EXCEPT SELECT scope, sku_id FROM cockpit_scope_sku`;

export interface Watermark {
  source: Source;
  lastId: string;
  refreshedAt: string;
}

/** The only SQL that writes the cockpit's rollups. */
export const rollupRepository = {
  /** Serialises refreshes across processes (the transaction's advisory lock). */
  async lock(tx: Sql) {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('partledger.cockpit.refresh'))");
  },

  async watermarks(db: Sql): Promise<Watermark[]> {
    const { rows } = await db.query<Watermark>(
      `SELECT source, last_id::text AS "lastId", refreshed_at AS "refreshedAt" FROM cockpit_watermarks ORDER BY source`,
    );
    return rows;
  },

  async high(tx: Sql, source: Source): Promise<string> {
    const { rows } = await tx.query<{ id: string | null }>(SOURCES[source].max);
    return rows[0]?.id ?? "0";
  },

  /** Days (YYYY-MM-DD) touched by the source's rows in (from, to]. */
  async dirtyDays(tx: Sql, source: Source, from: string, to: string): Promise<string[]> {
    if (from === to) return [];
    const { rows } = await tx.query<{ day: string }>(
      `SELECT DISTINCT day::text AS day FROM (${SOURCES[source].days}) x`,
      [from, to],
    );
    return rows.map((r) => r.day);
  },

  /** Recomputes the days in every rollup, a day at a time; answers the milliseconds each table took. */
  async recompute(tx: Sql, days: readonly string[]): Promise<Record<string, number>> {
    const ms: Record<string, number> = Object.fromEntries(ROLLUPS.map((r) => [r.table, 0]));
    for (const r of ROLLUPS) await tx.query(`DELETE FROM ${r.table} WHERE day = ANY($1::date[])`, [days]);
    if (days.length > BULK_DAYS) {
      for (const r of ROLLUPS) {
        const t0 = performance.now();
        await tx.query(r.insert.replace(DAYS, MANY_DAYS), [days]);
        ms[r.table]! += performance.now() - t0;
      }
      return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)]));
    }
    for (const day of days) {
      const start = Date.parse(`${day}T00:00:00+08:00`);
      const bounds = [day, new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
      for (const r of ROLLUPS) {
        const t0 = performance.now();
        await tx.query(r.insert.replace(DAYS, ONE_DAY), bounds);
        ms[r.table]! += performance.now() - t0;
      }
    }
    return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)]));
  },

  /**
   * The stock figures from the first dirty day `from` (every later day's balances and latest sales may have changed,
   * none before it) to `to`, and the snapshots of stock now; answers the milliseconds each took. Rolls the stored
   * histogram forward from the day before (only the lines that moved or sold since), or computes every line from
   * scratch when that day is not stored (the first refresh, or a change dated before the first stored day).
   */
  async recomputeStock(tx: Sql, from: string, to: string): Promise<Record<string, number>> {
    const ms: Record<string, number> = {};
    const step = async (name: string, ...statements: Array<[string, unknown[]]>) => {
      const t0 = performance.now();
      for (const [text, params] of statements) await tx.query(text, params);
      ms[name] = Math.round(performance.now() - t0);
    };
    const { rows } = await tx.query<{ first: string; last: string }>(
      `SELECT first_day::text AS first, last_day::text AS last FROM cockpit_stock_span WHERE id = 1`,
    );
    const span = rows[0];
    const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const full = !span || dayBefore(from) < span.first;
    // Incremental: from the first dirty day, or the day after the last one stored when days passed without a refresh.
    const start = full ? dayBefore(from) : [from, dayAfter(span.last)].sort()[0]!;
    const last = span && span.last > to ? span.last : to;
    await step(
      "cockpit_stock_idle_day",
      ["DELETE FROM cockpit_stock_idle_day WHERE day >= $1::date", [start]],
      [stockIdle(full), [dayBefore(start), last, start]],
      [
        `INSERT INTO cockpit_stock_span (id, first_day, last_day) VALUES (1, $1::date, $2::date)
         ON CONFLICT (id) DO UPDATE SET first_day = least(cockpit_stock_span.first_day, EXCLUDED.first_day), last_day
           = EXCLUDED.last_day`,
        [start, last],
      ],
    );
    await step("cockpit_sold_day", ["DELETE FROM cockpit_sold_day WHERE day >= $1::date", [start]], [SOLD, [start]]);
    await step("cockpit_stock_region", ["DELETE FROM cockpit_stock_region", []], [STOCK_REGION, []]);
    await step("cockpit_scope_sku", [SCOPE_SKUS, []]);
    return ms;
  },

  async advance(tx: Sql, marks: ReadonlyArray<{ source: Source; lastId: string }>) {
    await tx.query(
      `INSERT INTO cockpit_watermarks (source, last_id, refreshed_at)
       SELECT source, last_id::bigint, now() FROM jsonb_to_recordset($1::jsonb) AS r (source text, last_id text)
       ON CONFLICT (source) DO UPDATE SET last_id = EXCLUDED.last_id, refreshed_at = now()`,
      [JSON.stringify(marks.map((m) => ({ source: m.source, last_id: m.lastId })))],
    );
  },
};
