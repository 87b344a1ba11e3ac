/**
 * `npm run bench:auth` — what security costs per request: authentication (session token → principal), the
 * permission check, tenant scoping and masking of personal data, against the same route with them disabled, in the
 * same run, on the same database and data. The route: GET /api/v1/users (a company's 50 users: names, mobiles and
 * e-mails decrypted; masked when enabled). The disabled variant mounts the same service with a fixed principal, no
 * guard and no masking — everything else (headers, CORS, body parser) the same. Load from a separate process (scripts/lib/load.ts); alternating rounds, medians reported.
 * argon2id login is measured on its own (it is paid once per session, not per request).
 * BENCH_SIZE=small (or --small): 10 users, one round of 2 s per route, in seconds (scripts/lib/bench-size.ts).
 * Last line: one JSON object with overheadRatio (enabled ÷ disabled mean latency at equal concurrency; target ≤ 1.15).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import express from "express";
import { buildServices, createApp } from "../api/src/app.js";
import { usersRepository } from "../api/src/modules/users/users.repository.js";
import { usccCheckCharacter } from "../api/src/modules/orgs/uscc.js";
import { requestId, serverTiming } from "../api/src/http/problem.js";
import { cors, securityHeaders } from "../api/src/http/edges.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  loadConfig,
  openDatabase,
  startLocalChain,
} from "../ledger-service/src/index.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { freePort } from "./lib/free-port.js";
import { median } from "./lib/stats.js";

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const CONCURRENCY = sized("BENCH_CONCURRENCY", 16, 8);
const SECONDS = sized("BENCH_SECONDS", 6, 2);
const ROUNDS = sized("BENCH_ROUNDS", 3, 1);
const USERS = sized("BENCH_USERS", 50, 10);
const LOGINS = sized("BENCH_LOGINS", 10, 3);
const say = (s: string) => console.log(s);

const benchDb = await benchDatabase(serverUrl, "partledger_bencha");
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
const opts = {
  ledger: svc,
  chainUrl: chain.url,
  operatorToken,
  publicBaseUrl: "https://pl.example.cn",
  security: { apiRatePerMinute: 1e9, loginRatePerMinute: 1e9 },
};
const listen = async (app: express.Express) => {
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
};
const enabled = await listen(createApp(opts));
const dir = mkdtempSync(join(tmpdir(), "bench-auth-"));
const figures: Record<string, number> = {};

try {
  const call = async (path: string, token: string | null, body?: unknown) => {
    const res = await fetch(enabled.origin + path, {
      method: body ? "POST" : "GET",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, any>;
  };
  const shop = await call("/api/v1/companies", operatorToken, {
    name: "杭州西湖汽车修理厂",
    uscc: "92330106MA2C00002" + usccCheckCharacter("92330106MA2C00002"),
    kind: "repair_shop",
    regionCode: "330106",
    location: { lng: 120.13, lat: 30.26 },
    admin: { name: "周管理", mobile: "13800000000", password: "bench password 1" },
  });
  for (let i = 1; i < USERS; i++) {
    await call("/api/v1/users", shop.apiKey, {
      name: `员工${i}号`,
      mobile: `1380000${String(i).padStart(4, "0")}`,
      email: `staff${i}@shop.cn`,
      password: "bench password 1",
      roles: ["buyer"],
    });
  }
  // argon2id login, on its own
  const logins: number[] = [];
  let token = "";
  for (let i = 0; i < LOGINS; i++) {
    const t = performance.now();
    token = (await call("/api/v1/auth/login", null, { login: "13800000000", password: "bench password 1" })).token;
    logins.push(performance.now() - t);
  }
  if (!token) throw new Error("login answered no token");
  figures.loginMs = Number(median(logins).toFixed(1));
  say(
    `bench:auth — PostgreSQL ${benchDb.name}, ${USERS} users, ${CONCURRENCY} clients, ${ROUNDS} alternating rounds of ${SECONDS} s; argon2id login ${figures.loginMs} ms (median of ${LOGINS})`,
  );

  // The same route with security disabled: same services and data, a fixed principal, no guard, no masking.
  const services = buildServices(opts);
  const bare = express();
  bare.disable("x-powered-by");
  bare.use(requestId);
  bare.use(serverTiming);
  bare.use(securityHeaders);
  bare.use(cors([]));
  bare.use(express.json({ limit: "2mb" }));
  bare.get("/api/v1/users", async (_req, res) => {
    res.json({ users: (await usersRepository.list(svc.db.sql, shop.id)).map((r) => services.users.view(r, true)) });
  });
  bare.get("/api/v1/companies/me", async (_req, res) => {
    res.json(await services.orgs.get(shop.id));
  });
  const disabled = await listen(bare);

  const load = async (origin: string, path: string, auth: boolean) => {
    const file = join(dir, `${origin.split(":").pop()}-${path.replace(/\W/g, "")}.txt`);
    writeFileSync(file, `${origin}${path}\n`);
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/lib/load.ts", file, String(CONCURRENCY), String(SECONDS)],
      {
        env: { ...process.env, ...(auth ? { LOAD_AUTHORIZATION: `Bearer ${token}` } : {}) },
      },
    );
    const r = JSON.parse(stdout.trim().split("\n").pop()!) as {
      perSec: number;
      errors: number;
      p50Ms: number;
      clientP50Ms: number;
      statuses: Record<string, number>;
    };
    if (r.errors > 0 || !r.perSec) {
      throw new Error(`load on ${path}: ${r.perSec}/s, ${r.errors} errors: ${JSON.stringify(r.statuses)}`);
    }
    return r;
  };
  for (const [name, path] of [
    ["users", "/api/v1/users"],
    ["me", "/api/v1/companies/me"],
  ] as const) {
    const on: number[] = [];
    const off: number[] = [];
    const onP50: number[] = [];
    const offP50: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await load(disabled.origin, path, false);
      const b = await load(enabled.origin, path, true);
      off.push(a.perSec);
      on.push(b.perSec);
      offP50.push(a.p50Ms);
      onP50.push(b.p50Ms);
      say(
        `  ${path} round ${round + 1}: disabled ${a.perSec.toFixed(0)}/s (p50 ${a.p50Ms} ms), enabled ${b.perSec.toFixed(0)}/s (p50 ${b.p50Ms} ms)`,
      );
    }
    const ratio = median(off) / median(on); // equal concurrency: mean latency ratio = inverse throughput ratio
    figures[`${name}PerSecDisabled`] = Number(median(off).toFixed(0));
    figures[`${name}PerSecEnabled`] = Number(median(on).toFixed(0));
    figures[`${name}ServerP50MsDisabled`] = median(offP50);
    figures[`${name}ServerP50MsEnabled`] = median(onP50);
    figures[name === "users" ? "overheadRatio" : "overheadRatioLightRoute"] = Number(ratio.toFixed(3));
    say(
      `  ${path}: enabled ${median(on).toFixed(0)}/s vs disabled ${median(off).toFixed(0)}/s → overhead ${ratio.toFixed(3)}×`,
    );
  }
  disabled.server.close();
} finally {
  enabled.server.close();
  await svc.close();
  await db.close();
  await chain.stop();
  await benchDb.drop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(figures));
