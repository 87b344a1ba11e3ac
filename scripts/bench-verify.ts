/**
 * `npm run bench:verify` — the repair shop's scan under load, with ≥ 1,000,000 events stored (BENCH_EVENTS),
 * beside a baseline of the same server answering a static JSON document (its OpenAPI description).
 * The load comes from a separate process (scripts/lib/load.ts); latencies are server-side (Server-Timing).
 * Runs against DATABASE_URL (a fresh database, dropped afterwards) and its own local chain. BENCH_SIZE=small (or
 * --small): 10,000 events and 3 s loads, every phase, in seconds (scripts/lib/bench-size.ts).
 * Last line: one JSON object with eventsStored, verifyPerSec, baselinePerSec, p50Ms, p95Ms, p99Ms.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createApp } from "../api/src/app.js";
import { usccCheckCharacter } from "../api/src/modules/orgs/uscc.js";
import { signLabel } from "../ledger-service/src/events/label-signature.js";
import { digitalLinkUri } from "../ledger-service/src/gs1/digital-link.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  Stage,
  loadConfig,
  newSerial,
  openDatabase,
  startLocalChain,
} from "../ledger-service/src/index.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { freePort } from "./lib/free-port.js";
import { gtin14 } from "./lib/identifiers.js";

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TOTAL = sized("BENCH_EVENTS", 1_000_000, 10_000);
const CONCURRENCY = sized("BENCH_CONCURRENCY", 16, 8);
const SECONDS = sized("BENCH_SECONDS", 15, 3);
const WARMUP_SECONDS = sized("BENCH_WARMUP_SECONDS", 2, 1);
const say = (s: string) => console.log(s);

const benchDb = await benchDatabase(serverUrl, "partledger_benchv");
const dbName = benchDb.name;
const url = new URL(benchDb.url);
const chain = await startLocalChain({ port: await freePort(), blockMs: 1000 });
const config = loadConfig({
  DATABASE_URL: url.toString(),
  LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
  BATCH_MAX_EVENTS: "10000",
  BATCH_MAX_AGE_MS: "3600000",
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
const server: Server = createApp({
  ledger: svc,
  chainUrl: chain.url,
  operatorToken,
  publicBaseUrl: "https://pl.example.cn",
  scanRatePerMinute: 1e9,
}).listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const dir = mkdtempSync(join(tmpdir(), "bench-verify-"));
const figures: Record<string, number> = {};

try {
  const register = async (body: object) => {
    const res = await fetch(`${origin}/api/v1/companies`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { id: string };
  };
  const maker = await register({
    name: "博世汽车部件(苏州)有限公司",
    uscc: "91320505MA1MXXX0A" + usccCheckCharacter("91320505MA1MXXX0A"),
    kind: "manufacturer",
    regionCode: "320505",
    location: { lng: 120.57, lat: 31.3 },
  });
  const dealer = await register({
    name: "杭州汽配城经销商有限公司",
    uscc: "91330104MA2B00001" + usccCheckCharacter("91330104MA2B00001"),
    kind: "distributor",
    regionCode: "330104",
    location: { lng: 120.18, lat: 30.27 },
  });
  const gtin = gtin14("0690123456789");
  say(
    `bench:verify — PostgreSQL ${dbName}, ${TOTAL.toLocaleString()} events, ${CONCURRENCY} clients for ${SECONDS} s each`,
  );

  // 1. Store the events: pallets of 1,000 commissioned, shipped to the dealer and received.
  let t = performance.now();
  const sample: string[] = [];
  let stored = 0;
  while (stored < TOTAL) {
    const parts = Array.from({ length: 1000 }, () => ({ gtin, serial: newSerial(), lot: "L2026-11" }));
    await svc.ledger.append({
      actorId: maker.id,
      step: Stage.Commissioned,
      parts,
      place: { regionCode: "320505", locationId: "PLANT-1" },
    });
    const refs = parts.map(({ gtin, serial }) => ({ gtin, serial }));
    await svc.ledger.append({
      actorId: maker.id,
      step: Stage.Shipped,
      parts: refs,
      place: { regionCode: "320505", locationId: "PLANT-1" },
      shipTo: dealer.id,
    });
    await svc.ledger.append({
      actorId: dealer.id,
      step: Stage.Received,
      parts: parts.map(({ gtin, serial }) => ({ gtin, serial })),
      place: { regionCode: "330104", locationId: "WH-3" },
    });
    stored += 3000;
    if (sample.length < 5000) sample.push(...parts.slice(0, 10).map((p) => p.serial));
    if (stored % 201_000 === 0)
      say(`  … ${stored.toLocaleString()} events stored (${((stored / (performance.now() - t)) * 1000).toFixed(0)}/s)`);
  }
  say(
    `stored ${stored.toLocaleString()} events in ${((performance.now() - t) / 1000).toFixed(0)} s; sealing and anchoring…`,
  );
  await svc.worker.runUntilFinal(900_000, 20);
  await svc.worker.tick();
  // Measure the steady state, not the autovacuum that a bulk load of a million rows sets off on a 2-core machine.
  t = performance.now();
  for (const table of ["ledger_events", "ledger_parts", "ledger_batches"]) await db.sql.exec(`VACUUM ANALYZE ${table}`);
  say(`VACUUM ANALYZE after the bulk load: ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // 2. Signed label URIs of 5,000 random parts, pointed at this server.
  const makerKey = (await svc.actors.labelKeysOf(maker.id))!;
  const uris: string[] = [];
  for (const serial of sample)
    uris.push(
      digitalLinkUri(origin, {
        gtin,
        serial,
        lot: "L2026-11",
        signature: signLabel(makerKey, { gtin, serial, lot: "L2026-11" }),
      }),
    );
  const check = (await (await fetch(uris[0]!, { headers: { accept: "application/json" } })).json()) as {
    verdict: string;
  };
  if (check.verdict !== "GENUINE") throw new Error(`expected GENUINE, got ${check.verdict}`);
  writeFileSync(join(dir, "verify.txt"), uris.join("\n"));
  writeFileSync(join(dir, "static.txt"), `${origin}/api/v1/openapi.json`);

  const load = async (file: string, seconds: number) => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/lib/load.ts", join(dir, file), String(CONCURRENCY), String(seconds)],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout.trim().split("\n").pop()!) as {
      requests: number;
      perSec: number;
      errors: number;
      p50Ms: number;
      p95Ms: number;
      p99Ms: number;
      clientP95Ms: number;
    };
  };
  await load("verify.txt", WARMUP_SECONDS);
  const verify = await load("verify.txt", SECONDS);
  const baseline = await load("static.txt", SECONDS);
  if (verify.errors > 0 || baseline.errors > 0 || !verify.requests || !baseline.requests) {
    const scans = `${verify.requests} scans (${verify.errors} failed)`;
    throw new Error(`${scans}, ${baseline.requests} baseline requests (${baseline.errors} failed)`);
  }
  say(
    `scan (JSON verdict, full custody timeline, scan recorded): ${verify.perSec.toFixed(0)}/s; server-side p50 ${verify.p50Ms.toFixed(2)} ms, p95 ${verify.p95Ms.toFixed(2)} ms, p99 ${verify.p99Ms.toFixed(2)} ms (client p95 ${verify.clientP95Ms.toFixed(1)} ms)`,
  );
  say(
    `baseline: the same server answering a static JSON document: ${baseline.perSec.toFixed(0)}/s (p95 ${baseline.p95Ms.toFixed(2)} ms) → scan at ${(verify.perSec / baseline.perSec).toFixed(2)}× (target ≥ 0.3×; p95 target ≤ 50 ms)`,
  );
  Object.assign(figures, {
    eventsStored: stored,
    verifyPerSec: Math.round(verify.perSec),
    baselinePerSec: Math.round(baseline.perSec),
    verifyVsBaseline: Number((verify.perSec / baseline.perSec).toFixed(3)),
    p50Ms: Number(verify.p50Ms.toFixed(2)),
    p95Ms: Number(verify.p95Ms.toFixed(2)),
    p99Ms: Number(verify.p99Ms.toFixed(2)),
  });
} catch (e) {
  console.error(`bench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  server.close();
  await svc.close();
  await db.close();
  await chain.stop();
  await benchDb.drop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
