/**
 * `npm run demo`: the whole provenance story on a fresh, temporary embedded stack (its own PGlite data directory
 * and its own local chain): register three companies, commission 1,000 parts, receive them, install 10, anchor,
 * export one part's bundle and audit it against the chain, then tamper with a stored event and catch it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, Stage, auditLedger, loadConfig, makeProvider, newSerial, startLocalChain, verifyBundle,
} from "../ledger-service/src/index.js";
import { freePort } from "./lib/free-port.js";
import { gtin14, vinWithCheck } from "./lib/identifiers.js";

const say = (line: string) => console.log(line);
const dataDir = mkdtempSync(join(tmpdir(), "partledger-demo-"));
const chain = await startLocalChain({ port: await freePort(), blockMs: 500 });
const config = loadConfig({ DATA_DIR: dataDir, BATCH_MAX_EVENTS: "1000", BATCH_MAX_AGE_MS: "0", CONFIRMATION_DEPTH: "2" });
const svc = await LedgerService.open({ config, chainUrl: chain.url, adminKey: LOCAL_ADMIN_KEY, localChain: true, chainId: LOCAL_CHAIN_ID });
let exitCode = 1;
try {
  say(`▶ fresh embedded stack: PGlite in ${dataDir}, local chain at ${chain.url}`);
  const maker = await svc.registerCompany({ id: "bosch-suzhou", name: "博世汽车部件(苏州)有限公司", kind: "manufacturer" });
  const dealer = await svc.registerCompany({ id: "hz-parts", name: "杭州汽配城经销商", kind: "distributor" });
  const shop = await svc.registerCompany({ id: "xh-repair", name: "西湖汽车修理厂", kind: "repair_shop" });
  for (const a of [maker, dealer, shop]) say(`  company ${a.id} (${a.kind}) → chain identity ${a.address}`);
  const { addresses } = await svc.chainRef();
  say(`  contracts: AnchorRegistry ${addresses.anchorRegistry}, PartRegistry ${addresses.partRegistry}`);

  const gtin = gtin14("0690123456789".slice(0, 13));
  const parts = Array.from({ length: 1000 }, () => ({ gtin, serial: newSerial(), lot: "L2026-11" }));
  const t0 = performance.now();
  const commissioned = await svc.ledger.append({ actorId: maker.id, step: Stage.Commissioned, parts, place: { regionCode: "320505", locationId: "SZ-PLANT-1" } });
  say(`▶ commissioned ${commissioned.events.length} brake pads (GTIN ${gtin}, lot L2026-11) in ${(performance.now() - t0).toFixed(0)} ms — one signed submission`);
  const received = await svc.ledger.append({ actorId: dealer.id, step: Stage.Received, parts: parts.map(({ gtin, serial }) => ({ gtin, serial })), place: { regionCode: "330104", locationId: "HZ-WH-3" } });
  say(`▶ ${dealer.id} received ${received.events.length} parts (one carton scan)`);
  const vin = vinWithCheck("LFV2A21K0M4000001");
  let installed = 0;
  for (const p of parts.slice(0, 10)) {
    await svc.ledger.append({ actorId: shop.id, step: Stage.Installed, parts: [{ gtin: p.gtin, serial: p.serial }], place: { regionCode: "330106", locationId: "BAY-2" }, vin });
    installed++;
  }
  say(`▶ ${shop.id} installed ${installed} parts into VIN ${vin} (the VIN enters the ledger only as a salted hash)`);
  try {
    await svc.ledger.append({ actorId: shop.id, step: Stage.Installed, parts: [{ gtin, serial: parts[0]!.serial }], place: { regionCode: "330106", locationId: "BAY-2" }, vin });
  } catch (e) {
    say(`  second install of the same part refused: ${(e as Error).message}`);
  }

  await svc.worker.runUntilFinal(120_000);
  const { rows: batches } = await svc.db.sql.query<{ id: number; event_count: number; tx_hash: string; status: string }>("SELECT id, event_count, tx_hash, status FROM ledger_batches ORDER BY id");
  for (const b of batches) say(`▶ batch ${b.id}: ${b.event_count} events anchored in tx ${b.tx_hash} (${b.status})`);

  const part = parts[0]!;
  const bundle = await svc.bundleForPart(part.gtin, part.serial);
  const bundleFile = join(dataDir, "bundle.json");
  writeFileSync(bundleFile, JSON.stringify(bundle, null, 2));
  say(`▶ exported the bundle of ${part.gtin}/${part.serial} to ${bundleFile} (${bundle.events.length} events)`);
  const provider = makeProvider(chain.url);
  const report = await verifyBundle(bundle, provider);
  say(`▶ auditor (bundle + chain only): ${report.ok ? "OK" : "FAILED"}`);
  for (const line of report.lines) say(line);

  say("▶ tampering: rewriting the lot of one stored commissioning event directly in the database (triggers bypassed)");
  await svc.db.sql.exec("ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only");
  await svc.db.sql.query(
    `UPDATE ledger_events SET fields = jsonb_set(fields, '{lot}', '"L2026-12"') WHERE seq = $1`,
    [commissioned.events[500]!.seq],
  );
  await svc.db.sql.exec("ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_append_only");
  const ctx = await svc.chain.get();
  const audit = await auditLedger({ db: svc.db.sql, anchorRegistry: ctx.anchorRegistry, chainId: ctx.chainId });
  const tamperDetected = !audit.ok && audit.failure?.seq === commissioned.events[500]!.seq;
  say(`▶ npm run audit -- --all: ${audit.ok ? "no problem found" : `caught it — ${audit.failure!.reason}`}`);
  provider.destroy();
  exitCode = report.ok && tamperDetected ? 0 : 1;
  console.log(JSON.stringify({
    commissioned: commissioned.events.length, received: received.events.length, installed, batches: batches.length,
    auditOk: report.ok, tamperDetected,
  }));
} finally {
  await svc.close();
  await chain.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
