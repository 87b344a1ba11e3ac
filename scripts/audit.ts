/**
 * The auditor.
 *   npm run audit -- --bundle FILE --trust TRUST.json [--rpc URL]
 *   npm run audit -- --bundle FILE --anchor-registry 0x… --chain-id N [--part-registry 0x…] [--rpc URL]
 *       check an exported bundle against the chain alone (no database, no API), trusting only the pinned trust anchor
 *       (the platform's /.well-known/partledger-trust.json, or addresses given here) — never the bundle's addresses
 *   … --link URL   also check the label signature (s=) of the part's Digital Link against the bundle's bound label key
 *   npm run audit -- --receipt ID --bundle RECEIPT-BUNDLE --trust TRUST.json [--lender 0x…] [--rpc URL]
 *       a warehouse receipt's pledge (DECISIONS 108): every serial's part bundle verifies against the chain, and each
 *       unit the receipt locks is pledged under this receipt to the lender (--lender, else the one the receipt names)
 *       by a signed, anchored pledge with no release after it, and no other live pledge covers it; that pledge must be
 *       the unit's pledge head on chain (AnchorRegistry.pledgeHeadsOf), so a stale bundle fails (DECISIONS 117)
 *   npm run audit -- --all [--rpc URL]   recompute every batch root from the ledger database and compare with the chain
 * Exits 0 when everything verifies, 1 naming the first failing event and check, 2 on bad usage or without a pin.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Contract } from "ethers";
import { loadArtifact } from "../ledger-service/src/chain/artifacts.js";
import {
  TRUST_FORMAT,
  TRUST_PATH,
  auditLedger,
  loadConfig,
  makeProvider,
  openDatabase,
  parseTrustAnchor,
  describeReceiptVerdict,
  verifyBundle,
  verifyReceiptBundle,
  whereOf,
  type AuditReport,
  type Bundle,
  type BundleAuditReport,
  type ReceiptBundle,
  type TrustAnchor,
} from "../ledger-service/src/index.js";

const USAGE = `usage: npm run audit -- --bundle FILE --trust TRUST.json [--rpc URL] [--link URL]
       npm run audit -- --bundle FILE --anchor-registry 0x… --chain-id N [--part-registry 0x…] [--rpc URL] [--link URL]
       npm run audit -- --receipt ID --bundle RECEIPT-BUNDLE --trust TRUST.json [--lender 0x…] [--rpc URL]
       npm run audit -- --all [--rpc URL]`;

function usage(msg: string): never {
  console.error(`audit: ${msg}\n${USAGE}`);
  process.exit(2);
}

function print(report: AuditReport, what: string, elapsedMs: number): never {
  for (const line of report.lines) console.log(line);
  const b = report as Partial<BundleAuditReport>;
  for (const a of b.actors ?? []) {
    const who = `${a.name}, USCC ${a.uscc ?? "—"}, ${a.kind}`;
    console.log(`  company ${a.address}: ${who} (attested by the platform, not by the chain)`);
  }
  for (const t of b.anchoring ?? []) {
    console.log(
      `  batch ${t.batchId}: anchored by tx ${t.txHash} in block ${t.blockNumber}, ` +
        `${t.confirmations} confirmations`,
    );
  }
  if (b.partsPartial) {
    console.log(`  ${b.partsPartial} parts continue after this bundle: their PartRegistry stage was not compared`);
  }
  for (const u of b.unchecked ?? []) console.log(`  NOT CHECKED: ${u}`);
  if (report.ok) {
    const partial = b.unchecked?.length ? " (partial: see NOT CHECKED)" : "";
    console.log(
      `OK: ${what} — ${report.eventsChecked} events of ${report.parts} parts in ${report.batches} batches ` +
        `verified against the chain (${elapsedMs.toFixed(0)} ms)${partial}`,
    );
    process.exit(0);
  }
  const f = report.failure!;
  console.log(`FAILED at ${whereOf(f)}${f.check ? ` [check ${f.check}]` : ""}: ${f.reason}`);
  console.log(`${report.eventsChecked} events verified before the failure.`);
  process.exit(1);
}

const OPTIONS = {
  bundle: { type: "string" },
  all: { type: "boolean" },
  rpc: { type: "string" },
  trust: { type: "string" },
  "anchor-registry": { type: "string" },
  "chain-id": { type: "string" },
  "part-registry": { type: "string" },
  link: { type: "string" },
  receipt: { type: "string" },
  lender: { type: "string" },
} as const;
function parse() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
}
const args = parse();
if (!args.bundle === !args.all) usage("give exactly one of --bundle FILE or --all");
if (args.receipt !== undefined && !/^wr_[0-9a-f]{16}$/.test(args.receipt))
  usage(`--receipt must be a warehouse receipt id (wr_ and 16 hex digits), got ${JSON.stringify(args.receipt)}`);
if (args.lender !== undefined && !args.receipt) usage("--lender goes with --receipt");
if (args.lender !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(args.lender))
  usage(`--lender must be a 0x address, got ${JSON.stringify(args.lender)}`);

/** The pinned trust anchor: from --trust FILE or from --anchor-registry/--chain-id; never from the bundle. */
function pinnedTrust(): TrustAnchor {
  const flags = [args["anchor-registry"], args["chain-id"], args["part-registry"]];
  const byFlags = flags.some((v) => v !== undefined);
  if (args.trust && byFlags) usage("give --trust FILE or --anchor-registry/--chain-id, not both");
  try {
    if (args.trust) return parseTrustAnchor(JSON.parse(readFileSync(args.trust, "utf8")), args.trust);
    if (byFlags) {
      if (!args["anchor-registry"] || !args["chain-id"]) usage("--anchor-registry and --chain-id go together");
      const id = args["chain-id"];
      if (!/^\d+$/.test(id)) usage(`--chain-id must be a positive integer, got ${JSON.stringify(id)}`);
      return parseTrustAnchor(
        {
          format: TRUST_FORMAT,
          chainId: Number(args["chain-id"]),
          anchorRegistry: args["anchor-registry"],
          ...(args["part-registry"] ? { partRegistry: args["part-registry"] } : {}),
        },
        "command line",
      );
    }
  } catch (e) {
    usage((e as Error).message);
  }
  usage(
    "no trust anchor pinned: a bundle cannot vouch for its own contracts. Pin the platform's with --trust FILE " +
      `(download https://<platform>${TRUST_PATH}) or --anchor-registry 0x… --chain-id N [--part-registry 0x…]`,
  );
}
const trust = args.bundle ? pinnedTrust() : undefined;
const rpc = args.rpc ?? process.env.CHAIN_RPC_URL ?? `http://127.0.0.1:${process.env.LOCAL_CHAIN_PORT ?? 8545}`;
const provider = makeProvider(rpc);
const started = performance.now();
try {
  await provider.getBlockNumber();
} catch {
  console.error(`audit: cannot reach the chain at ${rpc} (set --rpc or CHAIN_RPC_URL)`);
  process.exit(2);
}

if (args.bundle && args.receipt) {
  let rb: ReceiptBundle;
  try {
    rb = JSON.parse(readFileSync(args.bundle, "utf8")) as ReceiptBundle;
  } catch (e) {
    usage(`cannot read receipt bundle ${args.bundle}: ${(e as Error).message}`);
  }
  const t = trust!;
  console.log(
    `Auditing warehouse receipt ${args.receipt} from ${args.bundle} at ${rpc} against the pinned trust anchor: ` +
      `chain ${t.chainId}, AnchorRegistry ${t.anchorRegistry}` +
      (t.partRegistry ? `, PartRegistry ${t.partRegistry}` : ""),
  );
  const verdict = await verifyReceiptBundle(rb, args.receipt, provider, t, args.lender as `0x${string}` | undefined);
  provider.destroy();
  for (const line of describeReceiptVerdict(verdict)) console.log(line);
  console.log(`(${(performance.now() - started).toFixed(0)} ms)`);
  process.exit(verdict.ok ? 0 : 1);
} else if (args.bundle) {
  let bundle: Bundle;
  try {
    bundle = JSON.parse(readFileSync(args.bundle, "utf8")) as Bundle;
  } catch (e) {
    usage(`cannot read bundle ${args.bundle}: ${(e as Error).message}`);
  }
  const t = trust!;
  console.log(
    `Auditing ${args.bundle} at ${rpc} against the pinned trust anchor: chain ${t.chainId}, ` +
      `AnchorRegistry ${t.anchorRegistry}${t.partRegistry ? `, PartRegistry ${t.partRegistry}` : ""}` +
      `${t.deploymentBlock !== undefined ? `, deployed in block ${t.deploymentBlock}` : ""}`,
  );
  // The label check (DECISIONS 74) in words: passed, or not applicable and why (a failure is the verdict's line).
  let label = "";
  const report = await verifyBundle(
    bundle,
    provider,
    trust!,
    (s) => {
      if (s.check === "label.signature" && s.status !== "failed")
        label = `  label signature (s=): ${s.status} — ${s.detail}`;
    },
    args.link,
  );
  if (label && report.ok) console.log(label);
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
    if ((e as { code?: string }).code === "DATABASE.IN_USE")
      console.error("audit: while npm start runs, ask it instead: GET /api/v1/ledger/audit with the operator token");
    process.exit(2);
  }
  const { rows } = await db.sql.query<{ anchor_registry: string; chain_id: number }>(
    "SELECT anchor_registry, chain_id FROM ledger_deployments ORDER BY id DESC LIMIT 1",
  );
  const anchorAddress = config.ANCHOR_REGISTRY_ADDRESS ?? rows[0]?.anchor_registry;
  if (!anchorAddress) usage("the ledger has no deployment recorded and ANCHOR_REGISTRY_ADDRESS is not set");
  const chainId = Number((await provider.getNetwork()).chainId);
  const anchorRegistry = new Contract(anchorAddress, loadArtifact("AnchorRegistry").abi as never, provider);
  console.log(
    `Auditing the whole ledger (${config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`}) against AnchorRegistry ${anchorAddress} on chain ${chainId}`,
  );
  const report = await auditLedger({ db: db.sql, anchorRegistry, chainId });
  await db.close();
  provider.destroy();
  print(report, "ledger", performance.now() - started);
}
