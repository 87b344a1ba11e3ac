/**
 * The auditor.
 *   npm run audit -- --bundle FILE [--rpc URL]   check an exported bundle against the chain alone (no database, no API)
 *   npm run audit -- --all [--rpc URL]           recompute every batch root from the ledger database and compare with the chain
 * Exits 0 when everything verifies, 1 naming the first failing event, 2 on bad usage.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Contract } from "ethers";
import { loadArtifact } from "../ledger-service/src/chain/artifacts.js";
import { auditLedger, loadConfig, makeProvider, openDatabase, verifyBundle, type AuditReport, type Bundle } from "../ledger-service/src/index.js";

function usage(msg: string): never {
  console.error(`audit: ${msg}\nusage: npm run audit -- --bundle FILE [--rpc URL] | --all [--rpc URL]`);
  process.exit(2);
}

function print(report: AuditReport, what: string, elapsedMs: number): never {
  for (const line of report.lines) console.log(line);
  if (report.ok) {
    console.log(`OK: ${what} — ${report.eventsChecked} events of ${report.parts} parts in ${report.batches} batches verified against the chain (${elapsedMs.toFixed(0)} ms)`);
    process.exit(0);
  }
  const f = report.failure!;
  console.log(`FAILED at event ${f.seq ?? "?"}${f.batchId !== null ? ` (batch ${f.batchId})` : ""}: ${f.reason}`);
  console.log(`${report.eventsChecked} events verified before the failure.`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({ options: { bundle: { type: "string" }, all: { type: "boolean" }, rpc: { type: "string" } }, strict: true }).values;
} catch (e) {
  usage((e as Error).message);
}
if (!args.bundle === !args.all) usage("give exactly one of --bundle FILE or --all");
const rpc = args.rpc ?? process.env.CHAIN_RPC_URL ?? `http://127.0.0.1:${process.env.LOCAL_CHAIN_PORT ?? 8545}`;
const provider = makeProvider(rpc);
const started = performance.now();
try {
  await provider.getBlockNumber();
} catch {
  console.error(`audit: cannot reach the chain at ${rpc} (set --rpc or CHAIN_RPC_URL)`);
  process.exit(2);
}

if (args.bundle) {
  let bundle: Bundle;
  try {
    bundle = JSON.parse(readFileSync(args.bundle, "utf8")) as Bundle;
  } catch (e) {
    usage(`cannot read bundle ${args.bundle}: ${(e as Error).message}`);
  }
  console.log(`Auditing ${args.bundle} against chain ${bundle.chain?.chainId} at ${rpc}`);
  const report = await verifyBundle(bundle, provider);
  provider.destroy();
  print(report, `bundle ${args.bundle}`, performance.now() - started);
} else {
  let config;
  let db;
  try {
    config = loadConfig();
    db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  } catch (e) {
    console.error(`audit: ${(e as Error).message}`);
    if ((e as { code?: string }).code === "DATABASE.IN_USE") console.error("audit: while npm start runs, ask it instead: GET /api/v1/ledger/audit with the operator token");
    process.exit(2);
  }
  const { rows } = await db.sql.query<{ anchor_registry: string; chain_id: number }>("SELECT anchor_registry, chain_id FROM ledger_deployments ORDER BY id DESC LIMIT 1");
  const anchorAddress = config.ANCHOR_REGISTRY_ADDRESS ?? rows[0]?.anchor_registry;
  if (!anchorAddress) usage("the ledger has no deployment recorded and ANCHOR_REGISTRY_ADDRESS is not set");
  const chainId = Number((await provider.getNetwork()).chainId);
  const anchorRegistry = new Contract(anchorAddress, loadArtifact("AnchorRegistry").abi as never, provider);
  console.log(`Auditing the whole ledger (${config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`}) against AnchorRegistry ${anchorAddress} on chain ${chainId}`);
  const report = await auditLedger({ db: db.sql, anchorRegistry, chainId });
  await db.close();
  provider.destroy();
  print(report, "ledger", performance.now() - started);
}
