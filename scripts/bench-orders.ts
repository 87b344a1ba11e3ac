/**
 * `npm run bench:orders` — placing orders with allocation and reservation under load, on the PostgreSQL server at
 * DATABASE_URL (databases of its own, dropped at the end):
 *  - fixtures: 1,000 SKUs; 20 distributors with 200 shared warehouses at real Hangzhou-area district centroids
 *    (data/regions), 100 SKUs each with deep stock; 32 repair shops;
 *  - order history first: BENCH_HISTORY_SECONDS (10) of the same load, not measured, then ANALYZE (a live database);
 *  - BENCH_ROUNDS (3) rounds, each: 32 concurrent clients from a separate process POST /api/v1/orders (1-3 lines,
 *    Idempotency-Key each) for BENCH_SECONDS (15, after 2 s of warm-up not counted), then pgbench's built-in TPC-B-like run (scale 10, 32 clients, same
 *    duration) on the same server. ordersPerSec and pgbenchTps are the rounds' medians, ordersVsPgbench the median of
 *    the rounds' ratios (neighbours in time: the machine's speed drifts), p50/p99 over every order of every round;
 *  - allocation quality: the allocator against HiGHS's exact optimum over 1,000 scenarios (allocCostRatio).
 * BENCH_PROFILE=FILE also writes a CPU profile of the server's process during the load (open it in Chrome DevTools).
 * Last line: one JSON object with ordersPerSec, pgbenchTps, p50Ms, p99Ms, allocCostRatio.
 */
import { execFile } from "node:child_process";
import { Session } from "node:inspector/promises";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createApp } from "../api/src/app.js";
import { usccCheckCharacter } from "../api/src/modules/orgs/uscc.js";
import { keepConnections } from "../api/src/server.js";
import { LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, loadConfig, openDatabase, startLocalChain } from "../ledger-service/src/index.js";
import { allocationQuality } from "./lib/allocation-quality.js";
import { benchDatabase } from "./lib/bench-database.js";
import { rng } from "./lib/catalog-generator.js";
import { freePort } from "./lib/free-port.js";
import { districts } from "./lib/regions.js";
import { median, percentile } from "./lib/stats.js";

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const HISTORY_SECONDS = Number(process.env.BENCH_HISTORY_SECONDS ?? 10);
const say = (s: string) => console.log(s);
const figures: Record<string, number> = {};

const benchDb = await benchDatabase(serverUrl, "partledger_bencho");
const pgbenchDb = await benchDatabase(serverUrl, "partledger_pgbench");
const chain = await startLocalChain({ port: await freePort(), blockMs: 1000 });
const config = loadConfig({ DATABASE_URL: benchDb.url, LEDGER_MASTER_KEY: randomBytes(32).toString("hex"), CONFIRMATION_DEPTH: "1" });
const db = await openDatabase({ url: config.DATABASE_URL });
const svc = await LedgerService.open({ config, database: db, chainUrl: chain.url, adminKey: LOCAL_ADMIN_KEY, localChain: true, chainId: LOCAL_CHAIN_ID });
const operatorToken = randomBytes(24).toString("base64url");
const app = createApp({ ledger: svc, chainUrl: chain.url, operatorToken, publicBaseUrl: "https://pl.example.cn", security: { apiRatePerMinute: 1e9, loginRatePerMinute: 1e9 } });
const server: Server = keepConnections(app.listen(0, "127.0.0.1"));
await new Promise((r) => server.once("listening", r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const dir = mkdtempSync(join(tmpdir(), "bench-orders-"));
const r = rng(17);

try {
  const call = async (method: string, path: string, token: string, body?: unknown, type = "application/json") => {
    const res = await fetch(origin + path, { method, headers: { "content-type": type, authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
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
    return call("POST", "/api/v1/companies", operatorToken, { name: `${kind === "repair_shop" ? "修理厂" : "经销商"}${i}号`, uscc: uscc(i, kind), kind, regionCode: d.code, location: { lng: d.lng, lat: d.lat } });
  };
  const maker = await company(0, "manufacturer");
  const csv = ["brand,partNo,name,partType,kind", ...Array.from({ length: 1000 }, (_, i) => `bosch,0 986 4${String(i).padStart(5, "0")},前刹车片,brake_pad,aftermarket`)].join("\n");
  await call("POST", "/api/v1/catalog/imports/skus", maker.apiKey, csv, "text/csv");
  const skuIds = (await db.sql.query<{ id: number }>("SELECT id::int AS id FROM catalog_skus ORDER BY id")).rows.map((x) => x.id);
  const dealers = [];
  for (let i = 1; i <= 20; i++) dealers.push(await company(i, "distributor"));
  let warehouses = 0;
  for (const [k, d] of dealers.entries()) {
    for (let w = 0; w < 10; w++) {
      const at = hz[(k * 10 + w) % hz.length]!;
      const loc = await call("POST", "/api/v1/suppliers/locations", d.apiKey, { code: `WH-${w}`, name: `仓库${w}`, regionCode: at.code, location: { lng: at.lng + (r() - 0.5) * 0.05, lat: at.lat + (r() - 0.5) * 0.05 } });
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
  for (let i = 100; i < 132; i++) shops.push((await company(i, "repair_shop")).apiKey);
  await db.sql.exec("ANALYZE");
  say(`bench:orders — PostgreSQL ${benchDb.name}: ${skuIds.length} SKUs, ${dealers.length} distributors with ${warehouses} shared warehouses in Hangzhou's districts, ${shops.length} repair shops`);

  // Rounds: the order load (a separate process), then pgbench on the same server with the same clients and duration,
  // alternating, so both see the machine in the same state; each round's ratio pairs neighbours in time.
  const cfgFile = join(dir, "load.json");
  writeFileSync(cfgFile, JSON.stringify({ origin, keys: shops, skus: skuIds, concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: 2 }));
  await run("pgbench", ["-i", "-q", "-s", "10", pgbenchDb.url], { maxBuffer: 1 << 24 });
  // A platform in use, not an empty one: BENCH_HISTORY_SECONDS (10) of orders through the API, not measured, then
  // ANALYZE — what autovacuum does to a live database within its first minute. Without it, plans made while the order
  // tables were empty (the foreign-key checks' among them, cached per connection) scan them whole until the first
  // autoanalyze, and the measured rounds time that start-up instead of the service (pgbench's tables, likewise, are
  // filled and analysed before it runs).
  const historyFile = join(dir, "history.json");
  writeFileSync(historyFile, JSON.stringify({ origin, keys: shops, skus: skuIds, concurrency: CONCURRENCY, seconds: HISTORY_SECONDS }));
  const history = JSON.parse((await run(process.execPath, ["--import", "tsx", "scripts/lib/load-orders.ts", historyFile], { maxBuffer: 1 << 26 })).stdout.trim().split("\n").pop()!) as { orders: number };
  await db.sql.exec("ANALYZE");
  say(`  order history: ${history.orders.toLocaleString()} orders placed in ${HISTORY_SECONDS} s (not measured), then ANALYZE`);
  type Load = { orders: number; perSec: number; errors: number; statuses: Record<string, number>; serverMs: number[]; clientMs: number[] };
  const rounds: Array<{ perSec: number; tps: number }> = [];
  const serverMs: number[] = [];
  const clientMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // BENCH_PROFILE=FILE: a CPU profile of this (the server's) process during the first round's load.
    const profiler = process.env.BENCH_PROFILE && round === 1 ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
    }
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/lib/load-orders.ts", cfgFile], { maxBuffer: 1 << 26 });
    if (profiler) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
      profiler.disconnect();
      say(`CPU profile of the server during round 1's load: ${process.env.BENCH_PROFILE}`);
    }
    const load = JSON.parse(stdout.trim().split("\n").pop()!) as Load;
    if (load.errors) throw new Error(`order load had ${load.errors} errors: ${JSON.stringify(load.statuses)}`);
    serverMs.push(...load.serverMs);
    clientMs.push(...load.clientMs);
    const pg = await run("pgbench", ["-n", "-c", String(CONCURRENCY), "-j", "2", "-T", String(SECONDS), pgbenchDb.url], { maxBuffer: 1 << 24 });
    const tps = Number(/tps = ([\d.]+)/.exec(pg.stdout)![1]);
    rounds.push({ perSec: load.perSec, tps });
    say(`  round ${round}/${ROUNDS}: ${load.orders.toLocaleString()} orders in ${SECONDS} s = ${load.perSec.toFixed(1)}/s (server p50 ${percentile(load.serverMs, 50)} ms, p99 ${percentile(load.serverMs, 99)} ms; statuses ${JSON.stringify(load.statuses)}) · pgbench ${tps.toFixed(1)} tps → ${(load.perSec / tps).toFixed(3)}×`);
  }
  const over = await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM stock WHERE reserved > on_hand");
  const hot = await db.sql.query<{ upd: number; hot: number }>("SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'stock'");
  say(`  stock row updates: ${hot.rows[0]!.upd.toLocaleString()}, of which HOT (same page, no index entry): ${hot.rows[0]!.hot.toLocaleString()}`);
  figures.ordersPerSec = Number(median(rounds.map((x) => x.perSec)).toFixed(1));
  figures.p50Ms = percentile(serverMs, 50);
  figures.p99Ms = percentile(serverMs, 99);
  figures.clientP99Ms = percentile(clientMs, 99);
  figures.pgbenchTps = Number(median(rounds.map((x) => x.tps)).toFixed(1));
  figures.ordersVsPgbench = Number(median(rounds.map((x) => x.perSec / x.tps)).toFixed(3));
  say(`▶ orders (median of ${ROUNDS} rounds): ${figures.ordersPerSec}/s by ${CONCURRENCY} clients; server p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms over all ${serverMs.length.toLocaleString()} orders (client p99 ${figures.clientP99Ms} ms; target ≤ 100); rows reserved beyond on hand: ${over.rows[0]!.n}`);
  say(`▶ baseline: pgbench TPC-B-like, scale 10, ${CONCURRENCY} clients, ${SECONDS} s a round: median ${figures.pgbenchTps} tps → orders ÷ pgbench, median of the rounds' ratios = ${figures.ordersVsPgbench}× (target ≥ 0.3×)`);

  const q = await allocationQuality({ scenarios: 1000, seed: 23 });
  figures.allocCostRatio = q.ratio;
  figures.allocWorstRatio = q.worstRatio;
  say(`▶ allocation vs HiGHS's exact optimum, ${q.scenarios} scenarios over real districts: total cost ${q.ratio}× (worst ${q.worstRatio}×; target ≤ 1.05×), splits ${q.allocatorSplits} vs ${q.optimalSplits}, parcel km ${q.allocatorKm} vs ${q.optimalKm}`);
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
