/**
 * `npm start`: the whole product. With no settings: PGlite in ./var, a local Hardhat chain on
 * 127.0.0.1:8545 with the contracts deployed (and redeployed, with every batch re-anchored, when that chain
 * starts empty again), the anchoring worker, and the HTTP API on PORT (3000).
 * DATABASE_URL switches to a PostgreSQL server; CHAIN_RPC_URL + CHAIN_SIGNER_KEY + contract addresses to a real chain.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Registry } from "prom-client";
import { join } from "node:path";
import { createApp } from "../api/src/app.js";
import { publicBaseUrlWarning } from "../api/src/modules/labels/public-base-url.js";
import { photoStoreOf } from "../api/src/modules/returns/photo-stores.js";
import { serveMetrics } from "../api/src/ops/metrics.js";
import { listen } from "../api/src/server.js";
import { loginsBox, writeLogins } from "./lib/demo-logins.js";
import { demoSeedPolicy } from "./lib/demo-policy.js";
import { demoSeeded, seedDemoWorld } from "./lib/demo-world.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  configureLogging,
  lineLog,
  loadConfig,
  makeProvider,
  startLocalChain,
  type LocalChain,
  type Logger,
} from "../ledger-service/src/index.js";

let config;
try {
  config = loadConfig();
} catch (e) {
  console.error((e as Error).message); // before the logger is configured: plain text
  process.exit(1);
}
/** JSON lines on stdout (pino) at LOG_LEVEL. */
const logger = configureLogging(config.LOG_LEVEL).child({ component: "start" });
const log = lineLog("start");
const fail = (line: string) => logger.fatal(line);

let local: LocalChain | undefined;
let chainUrl: string;
let chainId: number;
let adminKey: string;
if (config.CHAIN_RPC_URL) {
  chainUrl = config.CHAIN_RPC_URL;
  adminKey = config.CHAIN_SIGNER_KEY!;
  if (config.CHAIN_ID) chainId = config.CHAIN_ID;
  else {
    const provider = makeProvider(chainUrl);
    try {
      chainId = Number((await provider.getNetwork()).chainId);
    } catch {
      fail(`cannot reach CHAIN_RPC_URL ${chainUrl} to learn its chain id; set CHAIN_ID to start while it is down`);
      process.exit(1);
    } finally {
      provider.destroy();
    }
  }
} else {
  local = await startLocalChain({ port: config.LOCAL_CHAIN_PORT, log: lineLog("chain") });
  chainUrl = local.url;
  chainId = LOCAL_CHAIN_ID;
  adminKey = LOCAL_ADMIN_KEY;
}

let ledger: LedgerService;
try {
  ledger = await LedgerService.open({ config, chainUrl, adminKey, localChain: !config.CHAIN_RPC_URL, chainId });
} catch (e) {
  fail(`cannot start: ${(e as Error).message}`);
  await local?.stop();
  process.exit(1);
}
log(`database: ${config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`}`);
try {
  const ref = await ledger.chainRef();
  log(
    `chain ${ref.chainId} at ${chainUrl}: AnchorRegistry ${ref.addresses.anchorRegistry}, PartRegistry ${ref.addresses.partRegistry}`,
  );
  // The trust anchor auditors pin (also served at /.well-known/partledger-trust.json).
  const trustFile = join(config.DATA_DIR, "partledger-trust.json");
  mkdirSync(config.DATA_DIR, { recursive: true });
  writeFileSync(trustFile, JSON.stringify(await ledger.trustAnchor(), null, 2) + "\n");
  log(`trust anchor for auditors: ${trustFile} (npm run audit -- --bundle FILE --trust ${trustFile})`);
} catch (e) {
  log(`chain not reachable yet (${(e as Error).message}); events are accepted and anchoring waits`);
}
ledger.worker.start(config.WORKER_INTERVAL_MS);

const operatorToken = config.PLATFORM_ADMIN_TOKEN ?? operatorTokenFile(config.DATA_DIR);
const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.PORT}`;
const baseUrlWarning = publicBaseUrlWarning(publicBaseUrl); // every printed label carries this address
if (baseUrlWarning) logger.warn({ code: baseUrlWarning.code, publicBaseUrl }, baseUrlWarning.message);
const corsOrigins = (config.CORS_ORIGINS ?? "")
  .split(",")
  .map((o) => o.trim())
  .filter(Boolean);
const security = {
  sessionTtlMinutes: config.SESSION_TTL_MINUTES,
  loginMaxFailures: config.LOGIN_MAX_FAILURES,
  loginLockMinutes: config.LOGIN_LOCK_MINUTES,
  loginRatePerMinute: config.LOGIN_RATE_PER_MINUTE,
  apiRatePerMinute: config.API_RATE_PER_MINUTE,
};
const allowCidrs = (config.WEBHOOK_ALLOW_CIDRS ?? "")
  .split(",")
  .map((c) => c.trim())
  .filter(Boolean);
const photoStore = await photoStoreOf(config);
logger.info({ returnPhotos: photoStore.where }, `returns' photos in the ${photoStore.where}`);
const app = createApp({
  ledger,
  chainUrl,
  operatorToken,
  publicBaseUrl,
  scanRatePerMinute: config.SCAN_RATE_PER_MINUTE,
  reportRatePerMinute: config.REPORT_RATE_PER_MINUTE,
  supportRatePerMinute: config.SUPPORT_RATE_PER_MINUTE,
  corsOrigins,
  security,
  webhooks: { allowCidrs },
  returnPhotos: {
    store: photoStore,
    maxBytes: config.RETURN_PHOTO_MAX_BYTES,
  },
});
const tls =
  config.TLS_CERT_FILE && config.TLS_KEY_FILE
    ? { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE }
    : undefined;
let server: Server;
try {
  server = await listen(app, { port: config.PORT, tls });
} catch (e) {
  fail(`cannot listen on port ${config.PORT}: ${(e as Error).message}`);
  await ledger.close();
  await local?.stop();
  process.exit(1);
}
const port = (server.address() as { port: number }).port;
logger.info(
  { port, pid: process.pid },
  `PartLedger API on ${tls ? "https (TLS 1.3 only)" : "http"}://127.0.0.1:${port}/api/v1/health — pages at /01/{gtin}/21/{serial}, docs at /api/v1/docs`,
);
let metricsServer: Server | undefined;
if (config.METRICS_PORT !== undefined) {
  try {
    metricsServer = await serveMetrics(app.locals.metrics as Registry, config.METRICS_PORT, config.METRICS_HOST);
    const port = (metricsServer.address() as { port: number }).port;
    logger.info({ metricsPort: port }, `Prometheus metrics on http://${config.METRICS_HOST}:${port}/metrics`);
  } catch (e) {
    fail(`cannot listen for metrics on port ${config.METRICS_PORT}: ${(e as Error).message}`);
  }
}
if (!config.PLATFORM_ADMIN_TOKEN)
  log(`platform operator token (registers companies): in ${join(config.DATA_DIR, "operator.token")}`);

// The demo world on the first start of an embedded install (DECISIONS 61); never on a real deployment unless asked.
const seedPolicy = demoSeedPolicy(config, { env: process.env.SEED_DEMO });
if (await demoSeeded(ledger)) log("demo world: already seeded (logins in DATA_DIR/demo-logins.txt)");
else if (process.env.SEED_DEMO === "0") log("demo world: not seeded (SEED_DEMO=0)");
else if (!seedPolicy.allowed) log(`demo world: ${seedPolicy.why}`);
else {
  log(`demo world: seeding (${seedPolicy.why}; SEED_DEMO=0 skips it) …`);
  const t0 = performance.now();
  // The seed's own requests would bury its summary under request lines: only warnings and errors while it runs.
  const httpLogger = app.locals.httpLogger as Logger;
  const httpLevel = httpLogger.level;
  if (["trace", "debug", "info"].includes(httpLevel)) httpLogger.level = "warn";
  try {
    const world = await seedDemoWorld({
      ledger,
      services: app.locals.services as never,
      origin: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
      operatorToken,
      log,
    });
    // The cockpit reads rollups refreshed every 5 minutes: bring them up to date now, so its first view has numbers.
    await (app.locals.services as { cockpit: { refresh(): Promise<unknown> } }).cockpit.refresh();
    const box = loginsBox(world, publicBaseUrl);
    console.log(box);
    log(
      `demo world: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; logins written to ${writeLogins(config.DATA_DIR, box)} (mode 0600) and not shown again`,
    );
  } catch (e) {
    log(`demo world: seeding stopped (${(e as Error).message}); it resumes on the next start or with npm run seed`);
  } finally {
    httpLogger.level = httpLevel;
  }
}

/** The embedded setup keeps a generated operator token in DATA_DIR/operator.token (mode 0600). */
function operatorTokenFile(dataDir: string): string {
  const file = join(dataDir, "operator.token");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(24).toString("base64url") + "\n", { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  server.close();
  metricsServer?.close();
  await (app.locals.shutdown as () => Promise<void>)();
  await ledger.close();
  await local?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
