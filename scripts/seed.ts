/**
 * `npm run seed [-- --force]`: loads the demo world (scripts/lib/demo-world.ts, DECISIONS 61) into the embedded
 * install — PGlite in DATA_DIR and the local chain — while `npm start` is not running (it seeds on its own first
 * start). With DATABASE_URL or CHAIN_RPC_URL set it refuses unless `--force` or SEED_DEMO=1 asks. A second run seeds
 * nothing; a run stopped halfway resumes. The logins are printed once and written to DATA_DIR/demo-logins.txt (0600).
 */
import type { Server } from "node:http";
import { createApp } from "../api/src/app.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  loadConfig,
  startLocalChain,
  type LocalChain,
} from "../ledger-service/src/index.js";
import { loginsBox, writeLogins } from "./lib/demo-logins.js";
import { demoSeedPolicy } from "./lib/demo-policy.js";
import { seedDemoWorld } from "./lib/demo-world.js";

const say = (line: string) => console.log(line);
let config;
try {
  config = loadConfig();
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const policy = demoSeedPolicy(config, { force: process.argv.includes("--force"), env: process.env.SEED_DEMO });
if (!policy.allowed) {
  console.error(`seed: ${policy.why}`);
  process.exit(2);
}
say(`seed: ${policy.why}`);
let local: LocalChain | undefined;
let chainUrl = config.CHAIN_RPC_URL;
if (!chainUrl) {
  local = await startLocalChain({ port: config.LOCAL_CHAIN_PORT });
  chainUrl = local.url;
}
let ledger: LedgerService;
try {
  ledger = await LedgerService.open({
    config,
    chainUrl,
    adminKey: config.CHAIN_RPC_URL ? config.CHAIN_SIGNER_KEY! : LOCAL_ADMIN_KEY,
    localChain: !config.CHAIN_RPC_URL,
    chainId: config.CHAIN_ID ?? LOCAL_CHAIN_ID,
  });
} catch (e) {
  console.error(`seed: cannot open the ledger (is \`npm start\` holding DATA_DIR?): ${(e as Error).message}`);
  await local?.stop();
  process.exit(1);
}
const operatorToken = `seed-${crypto.randomUUID()}`;
const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.PORT}`;
const app = createApp({
  ledger,
  chainUrl,
  operatorToken,
  publicBaseUrl,
  webhooks: { intervalMs: 0 },
  transferCheckMs: 0,
});
const server: Server = app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
let code = 0;
try {
  const t0 = performance.now();
  const world = await seedDemoWorld({
    ledger,
    services: app.locals.services,
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    operatorToken,
    log: say,
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (!world.created) {
    say(
      `seed: the demo world is already here (seeded ${world.seededAt}); nothing added. Logins: DATA_DIR/demo-logins.txt`,
    );
  } else {
    const box = loginsBox(world, publicBaseUrl);
    say(box);
    say(`seed: demo world seeded in ${seconds} s; logins written to ${writeLogins(config.DATA_DIR, box)} (mode 0600)`);
    say("seed: its ledger events are anchored on the chain by the worker of `npm start`");
  }
} catch (e) {
  console.error(`${(e as Error).message}\nseed: stopped; run it again to resume where it stopped`);
  code = 1;
} finally {
  server.close();
  await (app.locals.shutdown as () => Promise<void>)();
  await ledger.close();
  await local?.stop();
}
process.exit(code);
