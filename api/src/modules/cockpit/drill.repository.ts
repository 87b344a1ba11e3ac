import type { Sql } from "../../../../ledger-service/src/index.js";
import type { MetricKey } from "./definitions.js";
import type { Period, Scope } from "./cockpit.repository.js";

/** The period's first and last instant ($2, $3 are inclusive Shanghai dates). */
const T0 = `($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const T1 = `(($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const SELLS = `($1::text = '*' OR EXISTS (SELECT 1 FROM order_allocations a WHERE a.order_id = o.id AND a.seller_id = $1))`;
const OWNS = (col: string) =>
  `${col} IN (SELECT c.id FROM catalog_skus c WHERE c.owner_company_id = $1 UNION SELECT p.sku_id FROM products p WHERE p.company_id = $1 AND p.sku_id IS NOT NULL)`;

/**
 * A drill-down's rows: `sql` under the scope and period; `order` for the grouped ones (aggregates, paged by offset).
 * `key`: the event-row drill-downs are read newest first by a unique (time, id) key that an index serves, a page at
 * a time from a cursor (keyset), so a page reads its own rows whatever the period's size. `total`: the rollup's
 * part (DECISIONS 88) that counts exactly these rows, so the count reads days, not rows.
 */
interface Drill {
  sql: string;
  order?: string;
  key?: { time: string; id: string; idType: "text" | "bigint" };
  total?: { metric: string; part: "num" | "den" };
}

const ORDER_KEY = { time: "placedAt", id: "orderId", idType: "text" } as const;
const orderRows = (where: string, total: Drill["total"]): Drill => ({
  sql: `SELECT o.id AS "orderId", o.created_at AS "placedAt", b.name AS buyer, o.status, o.urgent,
          (SELECT sum(l.quantity) FROM order_lines l WHERE l.order_id = o.id)::int AS ordered,
          (SELECT sum(l.allocated) FROM order_lines l WHERE l.order_id = o.id)::int AS allocated,
          COALESCE((SELECT sum(a.quantity) FROM order_allocations a WHERE a.order_id = o.id AND ($1::text = '*' OR a.seller_id = $1)), 0)::int AS "scopeUnits",
          (SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'shipped') AS "shippedAt",
          (SELECT min(e.at) FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'delivered') AS "deliveredAt"
        FROM orders o JOIN companies b ON b.id = o.buyer_id WHERE ${where}`,
  key: ORDER_KEY,
  total,
});

const PLACED = `o.created_at >= ${T0} AND o.created_at < ${T1} AND ${SELLS}`;

/**
 * The rows behind each number, from the event tables themselves (not the rollups), under the same definition and
 * scope: $1 scope, $2/$3 the period, $4 the kind of the scope's company.
 */
const ROWS: Record<MetricKey, Drill> = {
  fill_rate: orderRows(`${PLACED} AND EXISTS (SELECT 1 FROM order_allocations a WHERE a.order_id = o.id)`, {
    metric: "fill_rate:rows",
    part: "den",
  }),
  on_time: orderRows(
    `${PLACED} AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'shipped')`,
    { metric: "on_time", part: "den" },
  ),
  cancel_rate: orderRows(PLACED, { metric: "cancel_rate", part: "den" }),
  urgent_fill: orderRows(
    `o.urgent AND o.created_at >= ${T0} AND o.created_at < ${T1}
     AND ($1::text = '*' OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND ${OWNS("l.sku_id")}))`,
    { metric: "urgent_fill:rows", part: "den" },
  ),
  fulfilment_hours: {
    sql: `SELECT e.id::text AS "eventId", o.id AS "orderId", o.created_at AS "placedAt", b.name AS buyer, o.urgent,
            e.at AS "deliveredAt",
            round((extract(epoch FROM e.at - o.created_at) / 3600)::numeric, 2)::float8 AS hours
          FROM order_events e JOIN orders o ON o.id = e.order_id JOIN companies b ON b.id = o.buyer_id
         WHERE e.to_status = 'delivered' AND e.at >= ${T0} AND e.at < ${T1} AND ${SELLS}`,
    key: { time: "deliveredAt", id: "eventId", idType: "bigint" },
    total: { metric: "fulfilment_hours", part: "den" },
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
    key: { time: "reportedAt", id: "reportId", idType: "text" },
    total: { metric: "counterfeit_rate", part: "num" },
  },
  verification_minutes: {
    sql: `SELECT s.id::text AS "scanId", lp.gtin, lp.serial, r.actor AS "receivedBy", r.recorded_at AS "receivedAt",
            s.scanned_at AS "scannedAt",
            round((extract(epoch FROM s.scanned_at - r.recorded_at) / 60)::numeric, 2)::float8 AS minutes
          FROM scans s LEFT JOIN ledger_parts lp ON lp.part_key = s.part_key
          JOIN LATERAL (SELECT e.step, a.id AS actor, e.recorded_at FROM ledger_events e JOIN ledger_actors a ON a.address = e.actor
                         WHERE e.part_key = s.part_key AND e.recorded_at <= s.scanned_at ORDER BY e.seq DESC LIMIT 1) r ON r.step = 2
         WHERE s.scanned_at >= ${T0} AND s.scanned_at < ${T1} AND ($1::text = '*' OR r.actor = $1)
           AND NOT EXISTS (SELECT 1 FROM scans s2 WHERE s2.part_key = s.part_key AND s2.scanned_at >= r.recorded_at
                             AND (s2.scanned_at, s2.id) < (s.scanned_at, s.id))`,
    key: { time: "scannedAt", id: "scanId", idType: "bigint" },
    total: { metric: "verification_minutes", part: "den" },
  },
  chain_levels: {
    sql: `SELECT lp.gtin, lp.serial, e.recorded_at AS "installedAt", e.seq::text AS seq,
            (SELECT array_agg(DISTINCT a.id) FROM ledger_events e2 JOIN ledger_actors a ON a.address = e2.actor WHERE e2.part_key = e.part_key AND e2.seq <= e.seq) AS companies,
            (SELECT count(DISTINCT e2.actor) FROM ledger_events e2 WHERE e2.part_key = e.part_key AND e2.seq <= e.seq)::int AS levels
          FROM ledger_events e JOIN ledger_parts lp ON lp.part_key = e.part_key
         WHERE e.step = 3 AND e.recorded_at >= ${T0} AND e.recorded_at < ${T1}
           AND ($1::text = '*' OR EXISTS (SELECT 1 FROM ledger_events e3 JOIN ledger_actors a3 ON a3.address = e3.actor
                                          WHERE e3.part_key = e.part_key AND e3.seq <= e.seq AND a3.id = $1))`,
    key: { time: "installedAt", id: "seq", idType: "bigint" },
    total: { metric: "chain_levels", part: "den" },
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

/** Where a keyset page resumes: the last row's (time, id), exactly as PostgreSQL wrote them (microseconds kept). */
export type Cursor = [string, string];

/** An opaque cursor for the API: base64url of the key's JSON. */
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
/** The cursor a client sent back for `metric`, or null when it is not one of ours (the route answers 400). */
export function decodeCursor(metric: MetricKey, raw: string): Cursor | null {
  const key = ROWS[metric].key;
  if (!key) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === "string" && x.length <= 64)) return null;
    const [time, id] = v as [string, string];
    // As PostgreSQL writes a timestamptz (`2026-11-30 16:39:08.481234+00`), and an id of the key's type.
    if (!pgTimestamp(time)) return null;
    return key.idType === "bigint" && !(/^\d{1,19}$/.test(id) && BigInt(id) <= 2n ** 63n - 1n) ? null : [time, id];
  } catch {
    return null;
  }
}

/**
 * Whether `s` is a timestamptz as PostgreSQL writes it (`2026-11-30 16:39:08.481234+00`) that it also reads back: a
 * day of its month, a time of day, a UTC offset within ±15:59 and a year from 1 — anything else would fail the query.
 */
function pgTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(
    s,
  );
  if (!m) return false;
  const [y, mo, d, h, mi, sec, , , oh, om = "0", os = "0"] = m.slice(1).map((x) => x ?? "0");
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    Number(y) >= 1 &&
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(sec) < 60 &&
    Number(oh) <= 15 &&
    Number(om) < 60 &&
    Number(os) < 60
  );
}

/** Whether a metric's drill-down pages by cursor (event rows, newest first) rather than by offset (groups). */
export const keyed = (metric: MetricKey) => ROWS[metric].key !== undefined;

const plain = (r: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(r)
      .filter(([k]) => !k.startsWith("__"))
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );

/**
 * One page of the rows behind a metric. Event rows: newest first, after `cursor` (keyset: the page reads `limit` rows
 * down an index on the time column), with the cursor of the next page when there may be one. Groups: by `offset`.
 */
async function page(
  db: Sql,
  metric: MetricKey,
  params: unknown[],
  limit: number,
  at: { cursor?: Cursor | null; offset?: number },
): Promise<{ rows: Array<Record<string, unknown>>; next: Cursor | null }> {
  const q = ROWS[metric];
  const filter = metric === "stock_turnover_days" || metric === "slow_mover_share" ? `AND "onHandEnd" > 0` : "";
  if (!q.key) {
    const r = await db.query<Record<string, unknown>>(
      `SELECT * FROM (${q.sql}) x WHERE $4::text IS NOT NULL ${filter} ORDER BY ${q.order} LIMIT $5 OFFSET $6`,
      [...params, limit, at.offset ?? 0],
    );
    return { rows: r.rows.map(plain), next: null };
  }
  const t = `x."${q.key.time}"`;
  const id = `x."${q.key.id}"::${q.key.idType}`;
  // The time bound alone is an index condition; the pair makes equal times continue by id.
  const after = at.cursor
    ? `AND ${t} <= $5::timestamptz AND (${t} < $5::timestamptz OR ${id} < $6::${q.key.idType})`
    : "";
  const r = await db.query<Record<string, unknown> & { __t: string; __id: string }>(
    `SELECT x.*, ${t}::text AS __t, ${id}::text AS __id FROM (${q.sql}) x
      WHERE $4::text IS NOT NULL ${after} ORDER BY ${t} DESC, ${id} DESC LIMIT ${at.cursor ? "$7" : "$5"}`,
    at.cursor ? [...params, at.cursor[0], at.cursor[1], limit] : [...params, limit],
  );
  const last = r.rows.at(-1);
  return { rows: r.rows.map(plain), next: last && r.rows.length === limit ? [last.__t, last.__id] : null };
}

/**
 * How a keyed drill-down's rows are counted (DECISIONS 121): days before the last refresh's (`liveFrom`) from the
 * rollup's per-day counts, that day and later — where rows placed since the refresh land — by counting them. `live`:
 * the rows from `liveFrom` to the period's end; `rolled`: the rollup's count of the days before.
 */
interface Counts {
  liveFrom: string;
  live: number;
  rolled: number;
}

async function counts(db: Sql, metric: MetricKey, params: unknown[]): Promise<Counts> {
  const total = ROWS[metric].total!;
  const [scope, from, to, kind] = params as [string, string, string, string];
  // Ten minutes before the refresh began: rows of transactions it could not see yet are counted live.
  const { rows: r } = await db.query<{ d: string | null }>(
    `SELECT ((min(refreshed_at) - interval '10 minutes') AT TIME ZONE 'Asia/Shanghai')::date::text AS d
       FROM cockpit_watermarks`,
  );
  const liveFrom = r[0]?.d && r[0].d > from ? (r[0].d > to ? addDay(to) : r[0].d) : from;
  const [rolled, live] = await Promise.all([
    liveFrom > from
      ? db.query<{ n: number }>(
          `SELECT COALESCE(sum(${total.part}), 0)::int AS n FROM cockpit_kpi_day
            WHERE scope = $1 AND metric = $4 AND day >= $2::date AND day < $3::date`,
          [scope, from, liveFrom, total.metric],
        )
      : null,
    liveFrom <= to
      ? db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${ROWS[metric].sql}) x WHERE $4::text IS NOT NULL`, [
          scope,
          liveFrom,
          to,
          kind,
        ])
      : null,
  ]);
  return { liveFrom, live: live?.rows[0]?.n ?? 0, rolled: rolled?.rows[0]?.n ?? 0 };
}

const addDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * How many rows a metric's drill-down has: for event rows the rollup's count of the days before the last refresh plus
 * the rows since counted; a count of the groups otherwise.
 */
async function count(db: Sql, metric: MetricKey, params: unknown[], known?: Counts): Promise<number> {
  const filter = metric === "stock_turnover_days" || metric === "slow_mover_share" ? `AND "onHandEnd" > 0` : "";
  if (ROWS[metric].total) {
    const c = known ?? (await counts(db, metric, params));
    return c.rolled + c.live;
  }
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${ROWS[metric].sql}) x WHERE $4::text IS NOT NULL ${filter}`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/**
 * The rows behind a metric, a page at a time, with their total count and the next page's cursor. `cursor` continues
 * a keyed drill-down; `offset` pages the grouped ones (and a keyed one asked by page number without a cursor: the
 * console's jump to a page).
 */
export async function drillRows(
  db: Sql,
  metric: MetricKey,
  scope: Scope,
  kind: string,
  p: Period,
  limit: number,
  at: { cursor?: Cursor | null; offset?: number },
): Promise<{ total: number; rows: Array<Record<string, unknown>>; next: Cursor | null }> {
  const params = [scope, p.from, p.to, kind];
  const known = ROWS[metric].total ? await counts(db, metric, params) : undefined;
  let pos = at;
  const key = ROWS[metric].key;
  if (key && !at.cursor && (at.offset ?? 0) > 0) {
    // A page by number: the key of the row just before it, read down the same index.
    const before = await rowBefore(db, metric, key, params, (at.offset ?? 0) - 1, known);
    if (!before) return { total: await count(db, metric, params, known), rows: [], next: null };
    pos = { cursor: before };
  }
  const [pg, total] = await Promise.all([page(db, metric, params, limit, pos), count(db, metric, params, known)]);
  return { total, ...pg };
}

/**
 * The key of the row `skip` rows down a keyed drill-down (newest first). Rows since the last refresh are counted
 * (`known.live`): a row among them is skipped to directly. Further down, the day the row falls on is found from the
 * rollup's per-day counts and only that day's rows are skipped over. Should that day now hold fewer rows than the
 * refresh counted (rows gone or moved since), or the metric have no counts, the rows of the whole period are walked;
 * a page past every row counted is empty.
 */
async function rowBefore(
  db: Sql,
  metric: MetricKey,
  key: NonNullable<Drill["key"]>,
  params: unknown[],
  skip: number,
  known: Counts | undefined,
): Promise<Cursor | null> {
  const at = async (ps: unknown[], n: number): Promise<Cursor | null> => {
    const { rows } = await db.query<{ t: string; id: string }>(
      `SELECT x."${key.time}"::text AS t, x."${key.id}"::${key.idType}::text AS id FROM (${ROWS[metric].sql}) x
        WHERE $4::text IS NOT NULL ORDER BY x."${key.time}" DESC, x."${key.id}"::${key.idType} DESC LIMIT 1 OFFSET $5`,
      [...ps, n],
    );
    return rows[0] ? [rows[0].t, rows[0].id] : null;
  };
  const [scope, from, to, kind] = params as [string, string, string, string];
  const total = ROWS[metric].total;
  if (total && known) {
    if (skip < known.live) return at([scope, known.liveFrom, to, kind], skip);
    const rest = skip - known.live;
    const { rows } = await db.query<{ day: string; before: number }>(
      `SELECT day::text, (upto - n)::int AS before FROM (
         SELECT day, ${total.part} AS n, sum(${total.part}) OVER (ORDER BY day DESC) AS upto
           FROM cockpit_kpi_day WHERE scope = $1 AND metric = $4 AND day >= $2::date AND day < $3::date) c
        WHERE upto - n <= $5 AND upto > $5`,
      [scope, from, known.liveFrom, total.metric, rest],
    );
    const day = rows[0];
    // Past every row the counts hold: an empty page, as the total beside it says (not a walk of the whole period).
    if (!day) return null;
    const hit = await at([scope, day.day, day.day, kind], rest - day.before);
    if (hit) return hit;
  }
  return at(params, skip);
}

/**
 * Every row behind a metric, in the drill-down's order, a batch at a time (keyset for event rows, one statement for
 * the groups): the CSV export streams the whole set without holding it.
 */
export async function* allDrillRows(
  db: Sql,
  metric: MetricKey,
  scope: Scope,
  kind: string,
  p: Period,
  batch = 2_000,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const params = [scope, p.from, p.to, kind];
  if (!ROWS[metric].key) {
    for (let offset = 0; ; offset += batch) {
      const r = await page(db, metric, params, batch, { offset });
      if (r.rows.length) yield r.rows;
      if (r.rows.length < batch) return;
    }
  }
  let cursor: Cursor | null = null;
  for (;;) {
    const r = await page(db, metric, params, batch, { cursor });
    if (r.rows.length) yield r.rows;
    if (!r.next) return;
    cursor = r.next;
  }
}
