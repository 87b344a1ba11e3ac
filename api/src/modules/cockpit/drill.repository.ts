import type { Sql } from "../../../../ledger-service/src/index.js";
import type { MetricKey } from "./definitions.js";
import type { Period, Scope } from "./cockpit.repository.js";

/** The period's first and last instant ($2, $3 are inclusive Shanghai dates). */
const T0 = `($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const T1 = `(($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const SELLS = `($1::text = '*' OR EXISTS (SELECT 1 FROM order_allocations a WHERE a.order_id = o.id AND a.seller_id = $1))`;
const OWNS = (col: string) =>
  `${col} IN (SELECT c.id FROM catalog_skus c WHERE c.owner_company_id = $1 UNION SELECT p.sku_id FROM products p WHERE p.company_id = $1 AND p.sku_id IS NOT NULL)`;

const orderRows = (where: string, order = `"placedAt", "orderId"`) => ({
  sql: `SELECT o.id AS "orderId", o.created_at AS "placedAt", b.name AS buyer, o.status, o.urgent,
          (SELECT sum(l.quantity) FROM order_lines l WHERE l.order_id = o.id)::int AS ordered,
          (SELECT sum(l.allocated) FROM order_lines l WHERE l.order_id = o.id)::int AS allocated,
          COALESCE((SELECT sum(a.quantity) FROM order_allocations a WHERE a.order_id = o.id AND ($1::text = '*' OR a.seller_id = $1)), 0)::int AS "scopeUnits",
          (SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'shipped') AS "shippedAt",
          (SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'delivered') AS "deliveredAt"
        FROM orders o JOIN companies b ON b.id = o.buyer_id WHERE ${where}`,
  order,
});

const PLACED = `o.created_at >= ${T0} AND o.created_at < ${T1} AND ${SELLS}`;

/**
 * The rows behind each number, from the event tables themselves (not the rollups), under the same definition and
 * scope: $1 scope, $2/$3 the period, $4 the kind of the scope's company.
 */
const ROWS: Record<MetricKey, { sql: string; order: string }> = {
  fill_rate: orderRows(`${PLACED} AND EXISTS (SELECT 1 FROM order_allocations a WHERE a.order_id = o.id)`),
  on_time: orderRows(
    `${PLACED} AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'shipped')`,
  ),
  cancel_rate: orderRows(PLACED),
  urgent_fill: orderRows(
    `o.urgent AND o.created_at >= ${T0} AND o.created_at < ${T1}
     AND ($1::text = '*' OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND ${OWNS("l.sku_id")}))`,
  ),
  fulfilment_hours: {
    sql: `SELECT o.id AS "orderId", o.created_at AS "placedAt", b.name AS buyer, o.urgent, e.at AS "deliveredAt",
            round((extract(epoch FROM e.at - o.created_at) / 3600)::numeric, 2)::float8 AS hours
          FROM order_events e JOIN orders o ON o.id = e.order_id JOIN companies b ON b.id = o.buyer_id
         WHERE e.to_status = 'delivered' AND e.at >= ${T0} AND e.at < ${T1} AND ${SELLS}`,
    order: `"deliveredAt", "orderId"`,
  },
  repurchase_rate: {
    sql: `SELECT o.buyer_id AS "buyerId", b.name AS buyer, count(*)::int AS orders,
            count(DISTINCT (o.created_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days
          FROM orders o JOIN companies b ON b.id = o.buyer_id
         WHERE o.status <> 'cancelled' AND ${PLACED} GROUP BY 1, 2`,
    order: `days DESC, "buyerId"`,
  },
  counterfeit_rate: {
    sql: `SELECT r.id AS "reportId", r.created_at AS "reportedAt", r.gtin, r.serial, r.verdict, r.status
          FROM counterfeit_reports r
         WHERE r.created_at >= ${T0} AND r.created_at < ${T1}
           AND ($1::text = '*' OR r.brand_owner_id = $1
                OR EXISTS (SELECT 1 FROM order_parts op WHERE op.gtin = r.gtin AND op.serial = r.serial AND op.shipped_by = $1))`,
    order: `"reportedAt", "reportId"`,
  },
  verification_minutes: {
    sql: `SELECT lp.gtin, lp.serial, r.actor AS "receivedBy", r.recorded_at AS "receivedAt", s.scanned_at AS "scannedAt",
            round((extract(epoch FROM s.scanned_at - r.recorded_at) / 60)::numeric, 2)::float8 AS minutes
          FROM scans s LEFT JOIN ledger_parts lp ON lp.part_key = s.part_key
          JOIN LATERAL (SELECT e.step, a.id AS actor, e.recorded_at FROM ledger_events e JOIN ledger_actors a ON a.address = e.actor
                         WHERE e.part_key = s.part_key AND e.recorded_at <= s.scanned_at ORDER BY e.seq DESC LIMIT 1) r ON r.step = 2
         WHERE s.scanned_at >= ${T0} AND s.scanned_at < ${T1} AND ($1::text = '*' OR r.actor = $1)
           AND NOT EXISTS (SELECT 1 FROM scans s2 WHERE s2.part_key = s.part_key AND s2.scanned_at >= r.recorded_at
                             AND (s2.scanned_at, s2.id) < (s.scanned_at, s.id))`,
    order: `"scannedAt", gtin, serial`,
  },
  chain_levels: {
    sql: `SELECT lp.gtin, lp.serial, e.recorded_at AS "installedAt", e.seq::text AS seq,
            (SELECT array_agg(DISTINCT a.id) FROM ledger_events e2 JOIN ledger_actors a ON a.address = e2.actor WHERE e2.part_key = e.part_key AND e2.seq <= e.seq) AS companies,
            (SELECT count(DISTINCT e2.actor) FROM ledger_events e2 WHERE e2.part_key = e.part_key AND e2.seq <= e.seq)::int AS levels
          FROM ledger_events e JOIN ledger_parts lp ON lp.part_key = e.part_key
         WHERE e.step = 3 AND e.recorded_at >= ${T0} AND e.recorded_at < ${T1}
           AND ($1::text = '*' OR EXISTS (SELECT 1 FROM ledger_events e3 JOIN ledger_actors a3 ON a3.address = e3.actor
                                          WHERE e3.part_key = e.part_key AND e3.seq <= e.seq AND a3.id = $1))`,
    order: `"installedAt", seq`,
  },
  stock_turnover_days: stockRows(),
  slow_mover_share: stockRows(),
  hot_skus: {
    sql: `SELECT x.sku_id::int AS "skuId", s.brand, s.part_no AS "partNo", s.name, sum(x.q)::int AS units
          FROM (SELECT l.sku_id, a.quantity AS q FROM orders o JOIN order_allocations a ON a.order_id = o.id
                  JOIN order_lines l ON l.order_id = a.order_id AND l.line_no = a.line_no
                 WHERE $1::text <> '*' AND $4::text <> 'manufacturer' AND a.seller_id = $1
                   AND o.status <> 'cancelled' AND o.created_at >= ${T0} AND o.created_at < ${T1}
                UNION ALL
                SELECT l.sku_id, l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id
                 WHERE ($1::text = '*' OR ($4::text = 'manufacturer' AND ${OWNS("l.sku_id")}))
                   AND o.status <> 'cancelled' AND o.created_at >= ${T0} AND o.created_at < ${T1}) x
          LEFT JOIN catalog_skus s ON s.id = x.sku_id GROUP BY 1, 2, 3, 4`,
    order: `units DESC, "skuId"`,
  },
  regions: {
    sql: `SELECT c.region_code AS "regionCode", l.sku_id::int AS "skuId", s.name, sum(l.quantity)::int AS ordered,
            sum(l.quantity - l.allocated)::int AS unfilled
          FROM orders o JOIN companies c ON c.id = o.buyer_id JOIN order_lines l ON l.order_id = o.id LEFT JOIN catalog_skus s ON s.id = l.sku_id
         WHERE o.status <> 'cancelled' AND o.created_at >= ${T0} AND o.created_at < ${T1}
           AND ($1::text = '*' OR ($4::text = 'manufacturer' AND ${OWNS("l.sku_id")})
                OR ($4::text <> 'manufacturer' AND l.sku_id IN (SELECT st.sku_id FROM stock st JOIN supplier_locations sl ON sl.id = st.location_id WHERE sl.company_id = $1)))
         GROUP BY 1, 2, 3`,
    order: `unfilled DESC, ordered DESC, "regionCode", "skuId"`,
  },
};

function stockRows() {
  return {
    sql: `SELECT st.location_id AS "locationId", sl.name AS warehouse, st.sku_id::int AS "skuId", cs.name,
            (st.on_hand - COALESCE((SELECT sum(d.delta) FROM cockpit_stock_day d WHERE d.location_id = st.location_id AND d.sku_id = st.sku_id AND d.day > $3::date), 0))::int AS "onHandEnd",
            COALESCE((SELECT sum(a.quantity) FROM order_allocations a JOIN order_lines l ON l.order_id = a.order_id AND l.line_no = a.line_no
                       JOIN orders o ON o.id = a.order_id
                      WHERE a.location_id = st.location_id AND l.sku_id = st.sku_id AND o.status <> 'cancelled'
                        AND o.created_at >= ${T0} AND o.created_at < ${T1}), 0)::int AS sold
          FROM stock st JOIN supplier_locations sl ON sl.id = st.location_id LEFT JOIN catalog_skus cs ON cs.id = st.sku_id
         WHERE $1::text = '*' OR sl.company_id = $1`,
    order: `sold, "onHandEnd" DESC, "locationId", "skuId"`,
  };
}

/** The rows behind a metric, a page at a time, with their total count. */
export async function drillRows(
  db: Sql,
  metric: MetricKey,
  scope: Scope,
  kind: string,
  p: Period,
  limit: number,
  offset: number,
): Promise<{ total: number; rows: Array<Record<string, unknown>> }> {
  const q = ROWS[metric];
  const filter = metric === "stock_turnover_days" || metric === "slow_mover_share" ? `AND "onHandEnd" > 0` : "";
  const params = [scope, p.from, p.to, kind];
  // The page and the count apart: a count needs none of the per-row subqueries, a page computes them for its rows.
  const [page, count] = await Promise.all([
    db.query<Record<string, unknown>>(
      `SELECT * FROM (${q.sql}) x WHERE $4::text IS NOT NULL ${filter} ORDER BY ${q.order} LIMIT $5 OFFSET $6`,
      [...params, limit, offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${q.sql}) x WHERE $4::text IS NOT NULL ${filter}`, params),
  ]);
  const rows = page.rows;
  const total = count.rows[0]?.n ?? 0;
  return {
    total,
    rows: rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
    ),
  };
}
