/**
 * `npm run bench:cockpit` — the management cockpit at scale (issue 17, DECISIONS 88), on the PostgreSQL server at
 * DATABASE_URL (a database of its own, dropped afterwards): BENCH_ORDERS orders over a year (default 1M; 1.5 lines,
 * ~0.9 allocations and 2.4 status events each), as many searches, half as many stock movements, BENCH_LEDGER_EVENTS
 * custody events (default 10M: parts commissioned, shipped, received, a third installed) and a scan per ten events.
 * The history is written with SQL (generate_series), not through the API: the cockpit reads tables, and the
 * events' signatures are not what is measured. Prints the full refresh's time, an incremental refresh's after 1,000
 * new orders, and p50/p95 of every cockpit query (BENCH_ROUNDS each, platform and a distributor) beside a baseline
 * measured in the same run on the same connection pool (a `SELECT 1` round trip), then one JSON line.
 * BENCH_SIZE=small (CI) runs every phase at a size of seconds. BENCH_EVENTS is read as BENCH_LEDGER_EVENTS.
 * The database is dropped at the end, also when a phase fails or the run is interrupted (SIGINT/SIGTERM).
 * BENCH_KEEP=1 keeps it; BENCH_REUSE=<database url> then measures the queries again on that kept history (pending
 * migrations applied, an incremental refresh, ANALYZE) without generating it anew — a before/after on one history.
 */
import { loadavg } from "node:os";
import { CockpitService } from "../api/src/modules/cockpit/cockpit.service.js";
import type { Principal } from "../api/src/security/principal.js";
import { openDatabase } from "../ledger-service/src/index.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { percentile } from "./lib/stats.js";

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const ORDERS = sized("BENCH_ORDERS", 1_000_000, 3_000);
if (process.env.BENCH_LEDGER_EVENTS === undefined && process.env.BENCH_EVENTS !== undefined)
  process.env.BENCH_LEDGER_EVENTS = process.env.BENCH_EVENTS;
const EVENTS = sized("BENCH_LEDGER_EVENTS", 10_000_000, 20_000);
const ROUNDS = sized("BENCH_ROUNDS", 40, 5);
const BUYERS = 2_000;
const DISTRIBUTORS = 200;
const MAKERS = 20;
const SKUS = 20_000;
const KEEP = process.env.BENCH_KEEP === "1";
const REUSE = process.env.BENCH_REUSE ?? "";
const say = (s: string) => console.log(`${s} [load ${loadavg()[0]!.toFixed(2)}]`);

const benchDb = REUSE
  ? { name: new URL(REUSE).pathname.slice(1), url: REUSE, drop: async () => undefined, keep: async () => undefined }
  : await benchDatabase(serverUrl, "partledger_benchk");
// An interrupted run (Ctrl-C, a timeout's SIGTERM) drops its database too.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    console.error(`${signal}: dropping ${benchDb.name}`);
    void benchDb.drop().finally(() => process.exit(130));
  });
const db = await openDatabase({ url: benchDb.url });
const sql = db.sql;
const figures: Record<string, number> = {};
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
};

try {
  if (REUSE) say(`▶ reusing the history in ${benchDb.name}`);
  else await generate();
  const cockpit = new CockpitService(sql);
  if (REUSE) {
    const [inc, incMs] = await timed(() => cockpit.refresh());
    figures.incrementalRefreshMs = Math.round(incMs);
    say(`  refresh: ${inc.days} days in ${incMs.toFixed(0)} ms`);
    await sql.exec("ANALYZE");
  } else await fullAndIncremental(cockpit);
  await measure(cockpit);
} finally {
  await db.close();
  if (KEEP || REUSE) {
    console.error(`kept ${benchDb.url}`);
    await benchDb.keep();
  } else await benchDb.drop();
}
console.log(JSON.stringify(figures));

async function generate(): Promise<void> {
  say(`▶ history: ${ORDERS} orders, ${EVENTS} ledger events`);
  const [, genMs] = await timed(async () => {
    await sql.exec(`
      INSERT INTO companies (id, name, uscc, kind, region_code, lng, lat)
      SELECT 'co_' || i, '公司' || i, lpad(i::text, 18, '0'),
             CASE WHEN i <= ${MAKERS} THEN 'manufacturer' WHEN i <= ${MAKERS + DISTRIBUTORS} THEN 'distributor' ELSE 'repair_shop' END,
             (ARRAY['330106','440106','110101','320505','510104','420102','370102','210102'])[1 + i % 8], 120, 30
        FROM generate_series(1, ${MAKERS + DISTRIBUTORS + BUYERS}) i;
      INSERT INTO ledger_actors (id, name, kind, address)
      SELECT id, name, kind, '0x' || lpad(substr(id, 4), 40, '0') FROM companies;
      INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat)
      SELECT 'loc_' || lpad(to_hex(i), 16, '0'), 'co_' || (${MAKERS} + 1 + i % ${DISTRIBUTORS}), 'W' || i, '仓' || i,
             (ARRAY['330106','440106','110101','320505','510104','420102','370102','210102'])[1 + i % 8], 120, 30
        FROM generate_series(1, ${DISTRIBUTORS * 2}) i;
      INSERT INTO catalog_skus (id, brand, part_no, part_no_norm, name, part_type, kind, terms, owner_company_id)
      SELECT i, 'b' || (i % 50), 'P' || i, 'P' || i, '零件' || i, 'brake_pad', 'aftermarket', ''::tsvector, 'co_' || (1 + i % ${MAKERS})
        FROM generate_series(1, ${SKUS}) i;
      INSERT INTO stock (location_id, sku_id, on_hand, reserved, shared, price_fen)
      SELECT 'loc_' || lpad(to_hex(l), 16, '0'), s, (l * 7 + s) % 60, least((l + s) % 5, (l * 7 + s) % 60), true, 1000
        FROM generate_series(1, ${DISTRIBUTORS * 2}) l, generate_series(1, 250) k, LATERAL (SELECT 1 + (l * 97 + k * 31) % ${SKUS} AS s) x
      ON CONFLICT DO NOTHING;
      INSERT INTO orders (id, buyer_id, status, urgent, policy, ship_lng, ship_lat, created_at, updated_at)
      SELECT 'ord_' || lpad(to_hex(i), 16, '0'), 'co_' || (${MAKERS + DISTRIBUTORS} + 1 + i % ${BUYERS}),
             (ARRAY['allocated','picking','shipped','delivered','completed','completed','cancelled'])
               [1 + abs(hashtext(i::text)) % 7],
             i % 5 = 0, 'partial', 120, 30, t, t
        FROM generate_series(1, ${ORDERS}) i, LATERAL (SELECT now() - (((i::bigint * 7919) % (365 * 86400)) ||
          ' seconds')::interval AS t) x;
      INSERT INTO order_lines (order_id, line_no, sku_id, quantity, allocated)
      SELECT 'ord_' || lpad(to_hex(i), 16, '0'), n, 1 + (i * 13 + n * 101) % ${SKUS}, 1 + i % 4, (1 + i % 4) - (i % 3 = 0)::int
        FROM generate_series(1, ${ORDERS}) i, generate_series(1, 1 + (i % 2)) n;
      INSERT INTO order_allocations (order_id, line_no, location_id, seller_id, quantity, price_fen, distance_m)
      SELECT l.order_id, l.line_no, 'loc_' || lpad(to_hex(1 + h % ${DISTRIBUTORS * 2}), 16, '0'),
             'co_' || (${MAKERS} + 1 + (1 + h % ${DISTRIBUTORS * 2}) % ${DISTRIBUTORS}), l.allocated, 1000, 100
        FROM order_lines l, LATERAL (SELECT abs(hashtext(l.order_id)) AS h) x WHERE l.allocated > 0;
      INSERT INTO order_events (order_id, to_status, actor, at)
      SELECT id, 'placed', 'b', created_at FROM orders
      UNION ALL SELECT id, 'shipped', 's', created_at + interval '20 hours' FROM orders WHERE status IN ('shipped', 'delivered', 'completed')
      UNION ALL SELECT id, 'delivered', 'b', created_at + interval '40 hours' FROM orders WHERE status IN ('delivered', 'completed')
      UNION ALL SELECT id, 'cancelled', 'b', created_at + interval '1 hour' FROM orders WHERE status = 'cancelled';
      INSERT INTO catalog_searches (at, region_code, query, result_count, took_ms)
      SELECT now() - (((i::bigint * 6007) % (365 * 86400)) || ' seconds')::interval,
             (ARRAY['330106','440106','110101','320505','510104','420102','370102','210102'])[1 + i % 8], 'q', i % 4, 1
        FROM generate_series(1, ${ORDERS}) i;
      INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reason, at)
      SELECT location_id, sku_id, 3, 'adjustment', now() - (((n * 4099) % (365 * 86400)) || ' seconds')::interval
        FROM (SELECT location_id, sku_id, row_number() OVER () AS n FROM stock) s WHERE n <= ${Math.floor(ORDERS / 2)};
      INSERT INTO ledger_submissions (id, actor, events_root, event_count, signature) VALUES (1, '0x0', '\\x00', 1, '\\x00');
    `);
    // Parts of five events: commissioned by a maker, shipped, received by a distributor, shipped, received by a shop;
    // every third part then installed instead of its last receipt. Written in slices (memory).
    const parts = Math.ceil(EVENTS / 5);
    const slice = 200_000;
    for (let p0 = 0; p0 < parts; p0 += slice) {
      const p1 = Math.min(parts, p0 + slice);
      await sql.query(
        `INSERT INTO ledger_events (seq, struct_hash, part_key, step, actor, submission_id, submission_index, fields, recorded_at)
         SELECT p * 5 + k + 1, decode(md5((p * 5 + k)::text), 'hex') || int8send(p * 5 + k), decode(md5('p' || p), 'hex'),
                (ARRAY[1, 4, 2, 4, CASE WHEN p % 3 = 0 THEN 3 ELSE 2 END])[k + 1],
                '0x' || lpad((CASE WHEN k < 2 THEN 1 + p % ${MAKERS} WHEN k < 4 THEN ${MAKERS} + 1 + p % ${DISTRIBUTORS} ELSE ${MAKERS + DISTRIBUTORS} + 1 + p % ${BUYERS} END)::text, 40, '0'),
                1, 0, '{}'::jsonb, now() - (((p * 3001) % (365 * 86400)) || ' seconds')::interval + (k || ' hours')::interval
           FROM generate_series($1::bigint, $2::bigint - 1) p, generate_series(0, 4) k
          WHERE p * 5 + k < $3`,
        [p0, p1, EVENTS],
      );
      await sql.query(
        `INSERT INTO ledger_parts (part_key, gtin, serial, lot, stage, holder, head_hash, head_seq, lifecycle_mode)
         SELECT decode(md5('p' || p), 'hex'), '06901234567892', 'S' || p, 'L', 2, 'x', '\\x00', 0, 'anchored' FROM generate_series($1::bigint, $2::bigint - 1) p`,
        [p0, p1],
      );
      await sql.query(
        `INSERT INTO scans (part_key, scanned_at, verdict)
         SELECT decode(md5('p' || p), 'hex'), now() - (((p * 3001) % (365 * 86400)) || ' seconds')::interval + interval '5 hours', 'GENUINE'
           FROM generate_series($1::bigint, $2::bigint - 1) p WHERE p % 2 = 0`,
        [p0, p1],
      );
    }
    await sql.query("UPDATE ledger_head SET last_seq = $1 WHERE id = 1", [EVENTS]);
    await sql.exec("ANALYZE");
  });
  figures.ordersStored = ORDERS;
  figures.ledgerEvents = EVENTS;
  figures.generateMs = Math.round(genMs);
  say(`  generated in ${(genMs / 1000).toFixed(1)} s`);
}

async function fullAndIncremental(cockpit: CockpitService): Promise<void> {
  say("▶ full refresh (every day bucket)");
  const [full, fullMs] = await timed(() => cockpit.refresh());
  figures.fullRefreshMs = Math.round(fullMs);
  say(`  ${full.days} days in ${(fullMs / 1000).toFixed(1)} s (ms by table: ${JSON.stringify(full.msByTable)})`);
  // What autovacuum would do after the first fill of the rollups.
  await sql.exec("ANALYZE");

  await sql.exec(`
    INSERT INTO orders (id, buyer_id, status, urgent, policy, ship_lng, ship_lat, created_at, updated_at)
    SELECT 'ord_new' || i, 'co_${MAKERS + DISTRIBUTORS + 1}', 'allocated', false, 'partial', 120, 30, now(), now() FROM generate_series(1, 1000) i;
    INSERT INTO order_lines (order_id, line_no, sku_id, quantity, allocated) SELECT 'ord_new' || i, 1, 1 + i, 2, 2 FROM generate_series(1, 1000) i;
    INSERT INTO order_events (order_id, to_status, actor, at) SELECT 'ord_new' || i, 'placed', 'b', now() FROM generate_series(1, 1000) i;`);
  say("▶ incremental refresh (1,000 new orders today)");
  const [inc, incMs] = await timed(() => cockpit.refresh());
  figures.incrementalRefreshMs = Math.round(incMs);
  say(`  ${inc.days} days in ${incMs.toFixed(0)} ms (ms by table: ${JSON.stringify(inc.msByTable)})`);
}

async function measure(cockpit: CockpitService): Promise<void> {
  const platform: Principal = {
    type: "operator",
    id: "bench",
    person: null,
    companyId: null,
    kind: "platform",
    roles: [],
    permissions: new Set(),
  };
  const dealer: Principal = { ...platform, type: "api_key", companyId: `co_${MAKERS + 1}`, kind: "distributor" };
  const today = new Date();
  const to = new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  const q = { from, to };
  const queries: Array<[string, () => Promise<unknown>]> = [
    ["summaryPlatform", () => cockpit.summary(platform, q)],
    ["summaryDistributor", () => cockpit.summary(dealer, q)],
    ["skusPlatform", () => cockpit.skus(platform, { ...q, limit: 10 })],
    ["skusDistributor", () => cockpit.skus(dealer, { ...q, limit: 10 })],
    ["regionsPlatform", () => cockpit.regions(platform, { ...q, level: "city" })],
    ["regionsDistributor", () => cockpit.regions(dealer, { ...q, level: "city" })],
    ["channelsPlatform", () => cockpit.channels(platform, q)],
    ["rowsPlatform", () => cockpit.rows(platform, { ...q, metric: "fill_rate", page: 1, pageSize: 50 })],
    ["rowsDistributor", () => cockpit.rows(dealer, { ...q, metric: "fill_rate", page: 1, pageSize: 50 })],
  ];
  // The next pages by cursor (keyset, DECISIONS 113): from the middle of the period, and a page asked by number.
  const mid = await cockpit.rows(platform, { ...q, metric: "fill_rate", page: 800, pageSize: 50 });
  const midDealer = await cockpit.rows(dealer, { ...q, metric: "fill_rate", page: 5, pageSize: 50 });
  const next = (r: { nextCursor: string | null }) => r.nextCursor ?? undefined;
  queries.push(
    [
      "rowsPlatformCursor",
      () => cockpit.rows(platform, { ...q, metric: "fill_rate", page: 1, pageSize: 50, cursor: next(mid) }),
    ],
    [
      "rowsDistributorCursor",
      () => cockpit.rows(dealer, { ...q, metric: "fill_rate", page: 1, pageSize: 50, cursor: next(midDealer) }),
    ],
    ["rowsPlatformPage800", () => cockpit.rows(platform, { ...q, metric: "fill_rate", page: 800, pageSize: 50 })],
    [
      "rowsPlatformDelivered",
      () => cockpit.rows(platform, { ...q, metric: "fulfilment_hours", page: 1, pageSize: 50 }),
    ],
    [
      "rowsPlatformScans",
      () => cockpit.rows(platform, { ...q, metric: "verification_minutes", page: 1, pageSize: 50 }),
    ],
  );
  // The same-run baseline: a round trip through the same pool that reads nothing.
  const base: number[] = [];
  for (let i = 0; i < Math.max(ROUNDS, 50); i++) base.push((await timed(() => sql.query("SELECT 1")))[1]);
  figures.baselineSelect1P50Ms = percentile(base, 50);
  figures.baselineSelect1P95Ms = percentile(base, 95);
  say(
    `  ${"baseline SELECT 1".padEnd(22)} p50 ${percentile(base, 50).toFixed(1)} ms` +
      `  p95 ${percentile(base, 95).toFixed(1)} ms`,
  );
  const { rows: sizes } = await sql.query<{ idle: string; bytes: string }>(
    `SELECT (SELECT count(*) FROM cockpit_stock_idle_day)::text AS idle,
            pg_total_relation_size('cockpit_stock_idle_day')::text AS bytes`,
  );
  figures.stockIdleRows = Number(sizes[0]!.idle);
  say(`  stock snapshot: ${figures.stockIdleRows} rows, ${(Number(sizes[0]!.bytes) / 2 ** 20).toFixed(1)} MiB`);
  let worst = 0;
  for (const [name, run] of queries) {
    await run(); // warm
    const ms: number[] = [];
    for (let i = 0; i < ROUNDS; i++) ms.push((await timed(run))[1]);
    const p95 = percentile(ms, 95);
    figures[`${name}P50Ms`] = percentile(ms, 50);
    figures[`${name}P95Ms`] = p95;
    worst = Math.max(worst, p95);
    say(`  ${name.padEnd(22)} p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${p95.toFixed(1)} ms`);
  }
  figures.maxP95Ms = worst;
  say(
    `  slowest query p95 ${worst.toFixed(1)} ms against a SELECT 1 round trip's ` +
      `${figures.baselineSelect1P95Ms.toFixed(1)} ms`,
  );
}
