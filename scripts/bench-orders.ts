/**
 * `npm run bench:orders` — placing orders with allocation and reservation under load, on the PostgreSQL server at
 * DATABASE_URL (databases of its own, dropped at the end):
 *  - fixtures: 1,000 SKUs; 20 distributors with 200 shared warehouses at real Hangzhou-area district centroids
 *    (data/regions), 100 SKUs each with deep stock; 32 repair shops;
 *  - order history first: BENCH_HISTORY_SECONDS (10) of the same load, not measured, then ANALYZE (a live database);
 *  - BENCH_ROUNDS (3) rounds, each: 32 concurrent clients from a separate process POST /api/v1/orders (1-3 lines,
 *    Idempotency-Key each) for BENCH_SECONDS (15, after 2 s of warm-up not counted), then pgbench's built-in TPC-B-like run (scale 10, 32 clients, same
 *    duration) on the same server. ordersPerSec and pgbenchTps are the rounds' medians, ordersVsPgbench the median of
 *    the rounds' ratios (neighbours in time: the machine's speed drifts; context, not a target), p50/p99 over every
 *    order of every round;
 *  - open loop: BENCH_OPEN_SECONDS (30) of orders sent on a schedule (scripts/lib/load-orders-open.ts) at
 *    min(200/s, 60% of this run's ordersPerSec), latency from each order's scheduled send time: openLoopRate,
 *    openLoopP50Ms, openLoopP99Ms, openLoopErrors (targets p99 ≤ 100 ms, 0 errors);
 *  - allocation quality: the allocator against HiGHS's exact optimum over 1,000 scenarios (allocCostRatio).
 * BENCH_PROFILE=FILE also writes a CPU profile of the server's process during the load (open it in Chrome DevTools).
 * BENCH_PROBE=FILE writes FILE.<mode>.json: the open loop's slowest 1% of orders against typical ones, phase by phase,
 * and what ran while they waited (scripts/lib/stall-probe.ts); BENCH_OPEN_RATE=N sets the open loop's rate.
 * BENCH_DEFERRED_WRITES=separate sends each deferred write as its own statement (DECISIONS 30's combiner off);
 * =compare measures both in the same run (…Separate figures, separateVsCombined).
 * BENCH_SIZE=small (or --small): 200 SKUs, 4 distributors, 8 shops, one 3 s round, 5 s of open loop, 50 scenarios —
 * every phase, in seconds (scripts/lib/bench-size.ts).
 * Last line: one JSON object with ordersPerSec, pgbenchTps, p50Ms, p99Ms, the openLoop figures, allocCostRatio.
 */
import { execFile } from "node:child_process";
import { Session } from "node:inspector/promises";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Pool } from "pg";
import { createApp } from "../api/src/app.js";
import { usccCheckCharacter } from "../api/src/modules/orgs/uscc.js";
import { combineDeferredWrites } from "../ledger-service/src/db/deferred-writes.js";
import { keepConnections } from "../api/src/server.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  loadConfig,
  openDatabase,
  startLocalChain,
} from "../ledger-service/src/index.js";
import { allocationQuality } from "./lib/allocation-quality.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { stallProbe, summarise } from "./lib/stall-probe.js";
import { rng } from "./lib/catalog-generator.js";
import { freePort } from "./lib/free-port.js";
import { districts } from "./lib/regions.js";
import { median, percentile } from "./lib/stats.js";

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const SECONDS = sized("BENCH_SECONDS", 15, 3);
const WARMUP_SECONDS = sized("BENCH_WARMUP_SECONDS", 2, 1);
const ROUNDS = sized("BENCH_ROUNDS", 3, 1);
const CONCURRENCY = sized("BENCH_CONCURRENCY", 32, 8);
const HISTORY_SECONDS = sized("BENCH_HISTORY_SECONDS", 10, 2);
const OPEN_SECONDS = sized("BENCH_OPEN_SECONDS", 30, 5);
const OPEN_MAX_RATE = 200; // orders/s: well past the busiest day of a national platform (issue 19)
const SKUS = sized("BENCH_SKUS", 1000, 200);
const DISTRIBUTORS = sized("BENCH_DISTRIBUTORS", 20, 4);
const WAREHOUSES = sized("BENCH_WAREHOUSES", 10, 3); // per distributor
const SHOPS = sized("BENCH_SHOPS", 32, 8);
const PGBENCH_SCALE = sized("BENCH_PGBENCH_SCALE", 10, 1);
const SCENARIOS = sized("BENCH_SCENARIOS", 1000, 50);
// DECISIONS 30's statement combiner: "combined" (the default), "separate" (each deferred write its own statement), or
// "compare" (both, alternating within each round and at the same open-loop rate; the main figures are combined's).
type DeferredMode = "combined" | "separate";
const DEFERRED = process.env.BENCH_DEFERRED_WRITES ?? "combined";
if (!["combined", "separate", "compare"].includes(DEFERRED)) {
  throw new Error(`BENCH_DEFERRED_WRITES must be combined, separate or compare, got ${JSON.stringify(DEFERRED)}`);
}
const MODES: DeferredMode[] = DEFERRED === "compare" ? ["combined", "separate"] : [DEFERRED as DeferredMode];
const say = (s: string) => console.log(s);
const figures: Record<string, number> = {};

const benchDb = await benchDatabase(serverUrl, "partledger_bencho");
const pgbenchDb = await benchDatabase(serverUrl, "partledger_pgbench");
const chain = await startLocalChain({ port: await freePort(), blockMs: 1000 });
const config = loadConfig({
  DATABASE_URL: benchDb.url,
  LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
  CONFIRMATION_DEPTH: "1",
});
const db = await openDatabase({ url: config.DATABASE_URL });
const svc = await LedgerService.open({
  config,
  database: db,
  chainUrl: chain.url,
  adminKey: LOCAL_ADMIN_KEY,
  localChain: true,
  chainId: LOCAL_CHAIN_ID,
});
const operatorToken = randomBytes(24).toString("base64url");
const app = createApp({
  ledger: svc,
  chainUrl: chain.url,
  operatorToken,
  publicBaseUrl: "https://pl.example.cn",
  security: { apiRatePerMinute: 1e9, loginRatePerMinute: 1e9 },
});
// BENCH_PROBE=FILE: where the open loop's slow orders spent their time, and what ran meanwhile (scripts/lib/stall-probe.ts).
const probe = process.env.BENCH_PROBE ? stallProbe((db.sql as unknown as { pool: Pool }).pool, serverUrl) : undefined;
if (probe) {
  const services = app.locals.services as { transfers: object; webhooks: object };
  probe.wrap(services.transfers as { flush(): Promise<void> }, "flush", "transfer proposals");
  probe.wrap(services.webhooks as { tick(): Promise<number> }, "tick", "webhook dispatcher");
}
const server: Server = keepConnections(createServer(probe ? probe.handler(app) : app).listen(0, "127.0.0.1"));
await new Promise((r) => server.once("listening", r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const dir = mkdtempSync(join(tmpdir(), "bench-orders-"));
const r = rng(17);
/** Runs a load process (scripts/lib/NAME CONFIG_FILE) and returns the JSON of its last line. */
const loadProcess = async <T>(name: string, configFile: string): Promise<T> => {
  const { stdout } = await run(process.execPath, ["--import", "tsx", `scripts/lib/${name}`, configFile], {
    maxBuffer: 1 << 26,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as T;
};
type OpenLoad = {
  sent: number;
  sendRate: number;
  placed: number;
  errors: number;
  clientError4xx: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
};

try {
  const call = async (method: string, path: string, token: string, body?: unknown, type = "application/json") => {
    const res = await fetch(origin + path, {
      method,
      headers: { "content-type": type, authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, any>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const uscc = (n: number, kind: string) => {
    const body = `${kind === "repair_shop" ? "92" : "91"}330106MA${String(n).padStart(7, "0")}`;
    return body + usccCheckCharacter(body);
  };
  const hz = districts().filter((d) => d.city === "330100"); // 杭州市
  const company = async (i: number, kind: string) => {
    const d = hz[i % hz.length]!;
    return call("POST", "/api/v1/companies", operatorToken, {
      name: `${kind === "repair_shop" ? "修理厂" : "经销商"}${i}号`,
      uscc: uscc(i, kind),
      kind,
      regionCode: d.code,
      location: { lng: d.lng, lat: d.lat },
    });
  };
  const maker = await company(0, "manufacturer");
  const csv = [
    "brand,partNo,name,partType,kind",
    ...Array.from(
      { length: SKUS },
      (_, i) => `bosch,0 986 4${String(i).padStart(5, "0")},前刹车片,brake_pad,aftermarket`,
    ),
  ].join("\n");
  await call("POST", "/api/v1/catalog/imports/skus", maker.apiKey, csv, "text/csv");
  const skuIds = (await db.sql.query<{ id: number }>("SELECT id::int AS id FROM catalog_skus ORDER BY id")).rows.map(
    (x) => x.id,
  );
  const dealers = [];
  for (let i = 1; i <= DISTRIBUTORS; i++) dealers.push(await company(i, "distributor"));
  let warehouses = 0;
  for (const [k, d] of dealers.entries()) {
    for (let w = 0; w < WAREHOUSES; w++) {
      const at = hz[(k * WAREHOUSES + w) % hz.length]!;
      const loc = await call("POST", "/api/v1/suppliers/locations", d.apiKey, {
        code: `WH-${w}`,
        name: `仓库${w}`,
        regionCode: at.code,
        location: { lng: at.lng + (r() - 0.5) * 0.05, lat: at.lat + (r() - 0.5) * 0.05 },
      });
      await call("PATCH", `/api/v1/inventory/warehouses/${loc.id}`, d.apiKey, { shared: true });
      // 100 SKUs per warehouse, deep stock, written as movements in one statement per warehouse (fixtures).
      const stocked = [...new Set(Array.from({ length: 100 }, () => skuIds[Math.floor(r() * skuIds.length)]!))];
      await db.sql.query(
        `WITH s AS (INSERT INTO stock (location_id, sku_id, on_hand, shared, price_fen) SELECT $1, x, 100000, true, 20000 + (x % 97) * 100 FROM unnest($2::bigint[]) x RETURNING location_id, sku_id, on_hand)
         INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reason, ref) SELECT location_id, sku_id, on_hand, 'receipt', 'bench' FROM s`,
        [loc.id, stocked],
      );
      warehouses++;
    }
  }
  const shops: string[] = [];
  for (let i = 100; i < 100 + SHOPS; i++) shops.push((await company(i, "repair_shop")).apiKey);
  await db.sql.exec("ANALYZE");
  say(
    `bench:orders — PostgreSQL ${benchDb.name}: ${skuIds.length} SKUs, ${dealers.length} distributors with ${warehouses} shared warehouses in Hangzhou's districts, ${shops.length} repair shops`,
  );

  // Rounds: the order load (a separate process), then pgbench on the same server with the same clients and duration,
  // alternating, so both see the machine in the same state; each round's ratio pairs neighbours in time.
  const cfgFile = join(dir, "load.json");
  const loadCfg = { origin, keys: shops, skus: skuIds, concurrency: CONCURRENCY };
  writeFileSync(cfgFile, JSON.stringify({ ...loadCfg, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS }));
  await run("pgbench", ["-i", "-q", "-s", String(PGBENCH_SCALE), pgbenchDb.url], { maxBuffer: 1 << 24 });
  // A platform in use, not an empty one: BENCH_HISTORY_SECONDS (10) of orders through the API, not measured, then
  // ANALYZE — what autovacuum does to a live database within its first minute. Without it, plans made while the order
  // tables were empty (the foreign-key checks' among them, cached per connection) scan them whole until the first
  // autoanalyze, and the measured rounds time that start-up instead of the service (pgbench's tables, likewise, are
  // filled and analysed before it runs).
  const historyFile = join(dir, "history.json");
  writeFileSync(historyFile, JSON.stringify({ ...loadCfg, seconds: HISTORY_SECONDS }));
  const history = HISTORY_SECONDS
    ? await loadProcess<{ orders: number }>("load-orders.ts", historyFile)
    : { orders: 0 };
  await db.sql.exec("ANALYZE");
  say(
    `  order history: ${history.orders.toLocaleString()} orders placed in ${HISTORY_SECONDS} s (not measured), then ANALYZE`,
  );
  type Load = {
    orders: number;
    perSec: number;
    errors: number;
    statuses: Record<string, number>;
    serverMs: number[];
    clientMs: number[];
  };
  // Per mode of the deferred writes (BENCH_DEFERRED_WRITES; "compare" alternates both within each round).
  const series = () => ({ perSec: [] as number[], serverMs: [] as number[], clientMs: [] as number[] });
  const closed = new Map(MODES.map((m) => [m, series()]));
  const rounds: Array<{ perSec: number; tps: number; separate?: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const perSec = new Map<DeferredMode, number>();
    for (const mode of MODES) {
      combineDeferredWrites(mode === "combined");
      // BENCH_PROFILE=FILE: a CPU profile of this (the server's) process during the first round's load.
      const profiler = process.env.BENCH_PROFILE && round === 1 && mode === MODES[0] ? new Session() : undefined;
      if (profiler) {
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.start");
      }
      const load = await loadProcess<Load>("load-orders.ts", cfgFile);
      if (profiler) {
        const { profile } = await profiler.post("Profiler.stop");
        writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
        profiler.disconnect();
        say(`CPU profile of the server during round 1's load: ${process.env.BENCH_PROFILE}`);
      }
      if (load.errors || !load.orders) {
        throw new Error(`order load: ${load.errors} errors, ${load.orders} orders: ${JSON.stringify(load.statuses)}`);
      }
      const c = closed.get(mode)!;
      c.perSec.push(load.perSec);
      c.serverMs.push(...load.serverMs);
      c.clientMs.push(...load.clientMs);
      perSec.set(mode, load.perSec);
      say(
        `  round ${round}/${ROUNDS}${MODES.length > 1 ? `, deferred writes ${mode}` : ""}: ` +
          `${load.orders.toLocaleString()} orders in ${SECONDS} s = ${load.perSec.toFixed(1)}/s ` +
          `(server p50 ${percentile(load.serverMs, 50)} ms, p99 ${percentile(load.serverMs, 99)} ms; ` +
          `statuses ${JSON.stringify(load.statuses)})`,
      );
    }
    const pg = await run(
      "pgbench",
      ["-n", "-c", String(CONCURRENCY), "-j", "2", "-T", String(SECONDS), pgbenchDb.url],
      { maxBuffer: 1 << 24 },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(pg.stdout)![1]);
    rounds.push({ perSec: perSec.get(MODES[0]!)!, tps, separate: perSec.get("separate") });
    const ratio = (perSec.get(MODES[0]!)! / tps).toFixed(3);
    say(`  round ${round}/${ROUNDS}: pgbench ${tps.toFixed(1)} tps → orders ÷ pgbench ${ratio}×`);
  }
  combineDeferredWrites(MODES[0] === "combined");
  const over = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM stock WHERE reserved > on_hand");
  const hot = await db.sql.query<{ upd: number; hot: number }>(
    "SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'stock'",
  );
  say(
    `  stock row updates: ${hot.rows[0]!.upd.toLocaleString()}, of which HOT (same page, no index entry): ${hot.rows[0]!.hot.toLocaleString()}`,
  );
  const main = closed.get(MODES[0]!)!;
  figures.ordersPerSec = Number(median(main.perSec).toFixed(1));
  figures.p50Ms = percentile(main.serverMs, 50);
  figures.p99Ms = percentile(main.serverMs, 99);
  figures.clientP99Ms = percentile(main.clientMs, 99);
  figures.pgbenchTps = Number(median(rounds.map((x) => x.tps)).toFixed(1));
  figures.ordersVsPgbench = Number(median(rounds.map((x) => x.perSec / x.tps)).toFixed(3));
  say(
    `▶ orders (median of ${ROUNDS} rounds, deferred writes ${MODES[0]}): ${figures.ordersPerSec}/s by ${CONCURRENCY} ` +
      `clients; server p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms over all ` +
      `${main.serverMs.length.toLocaleString()} orders (client p99 ${figures.clientP99Ms} ms); rows reserved beyond on hand: ${over.rows[0]!.n}`,
  );
  say(
    `▶ context: pgbench TPC-B-like, scale ${PGBENCH_SCALE}, ${CONCURRENCY} clients, ${SECONDS} s a round: median ` +
      `${figures.pgbenchTps} tps → orders ÷ pgbench, median of the rounds' ratios = ${figures.ordersVsPgbench}× ` +
      `(no target: a whole HTTP order against five bare statements)`,
  );
  if (MODES.length > 1) {
    const sep = closed.get("separate")!;
    figures.ordersPerSecSeparate = Number(median(sep.perSec).toFixed(1));
    figures.p50MsSeparate = percentile(sep.serverMs, 50);
    figures.p99MsSeparate = percentile(sep.serverMs, 99);
    figures.separateVsCombined = Number(median(rounds.map((x) => x.separate! / x.perSec)).toFixed(3));
    say(
      `▶ deferred writes one by one: ${figures.ordersPerSecSeparate}/s, server p50 ${figures.p50MsSeparate} ms, ` +
        `p99 ${figures.p99MsSeparate} ms → ${figures.separateVsCombined}× the combined statement's throughput ` +
        `(median of the rounds' ratios)`,
    );
  }

  // Open loop: arrivals on a schedule at min(200/s, 60% of the closed-loop throughput just measured); in "compare",
  // each mode at that same rate.
  const openRate = process.env.BENCH_OPEN_RATE
    ? Number(process.env.BENCH_OPEN_RATE)
    : Math.min(OPEN_MAX_RATE, Math.round(0.6 * figures.ordersPerSec * 10) / 10);
  const openFile = join(dir, "open.json");
  writeFileSync(openFile, JSON.stringify({ origin, keys: shops, skus: skuIds, rate: openRate, seconds: OPEN_SECONDS }));
  figures.openLoopRate = openRate;
  for (const mode of MODES) {
    combineDeferredWrites(mode === "combined");
    await probe?.start();
    const open = await loadProcess<OpenLoad>("load-orders-open.ts", openFile);
    if (probe) {
      const report = summarise(await probe.stop(), benchDb.name);
      const file = `${process.env.BENCH_PROBE}.${mode}.json`;
      writeFileSync(file, JSON.stringify(report, null, 2));
      say(`  probe of the open loop (${mode}): ${file}`);
    }
    // A 4xx other than 409 means the bench's own request is wrong (the API changed under it): the phase is broken.
    if (open.clientError4xx || !open.placed) {
      const refused = `${open.clientError4xx} refused as bad requests: ${JSON.stringify(open.statuses)}`;
      throw new Error(`open loop: ${open.placed} orders placed, ${refused}`);
    }
    const suffix = mode === MODES[0] ? "" : "Separate";
    figures[`openLoopP50Ms${suffix}`] = open.p50Ms;
    figures[`openLoopP99Ms${suffix}`] = open.p99Ms;
    figures[`openLoopErrors${suffix}`] = open.errors;
    say(
      `▶ open loop${MODES.length > 1 ? `, deferred writes ${mode}` : ""}: ${open.sent.toLocaleString()} orders over ` +
        `${OPEN_SECONDS} s at ${openRate}/s (min of ${OPEN_MAX_RATE}/s and 60% of ${figures.ordersPerSec}/s; sent at ` +
        `${open.sendRate.toFixed(1)}/s), latency from the scheduled send: p50 ${open.p50Ms} ms, p99 ${open.p99Ms} ms ` +
        `(target ≤ 100), max ${open.maxMs} ms; errors ${open.errors} (target 0); ` +
        `statuses ${JSON.stringify(open.statuses)}`,
    );
  }
  combineDeferredWrites(true);

  const q = await allocationQuality({ scenarios: SCENARIOS, seed: 23 });
  figures.allocCostRatio = q.ratio;
  figures.allocWorstRatio = q.worstRatio;
  say(
    `▶ allocation vs HiGHS's exact optimum, ${q.scenarios} scenarios over real districts: total cost ${q.ratio}× (worst ${q.worstRatio}×; target ≤ 1.05×), splits ${q.allocatorSplits} vs ${q.optimalSplits}, parcel km ${q.allocatorKm} vs ${q.optimalKm}`,
  );
} finally {
  server.close();
  await (app.locals.shutdown as () => Promise<void>)();
  await svc.close();
  await db.close();
  await chain.stop();
  await benchDb.drop();
  await pgbenchDb.drop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
