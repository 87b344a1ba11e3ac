/**
 * `npm run demo`: the whole story on a fresh, temporary embedded stack (its own PGlite data directory, its own
 * local chain, the HTTP API on a free port): register three companies, mint 1,000 parts with QR labels, receive
 * them, install 10, anchor, export one part's bundle and audit it against the chain, scan a genuine, a forged
 * and a copied label, then tamper with a stored event and catch it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../api/src/app.js";
import { LabelsService } from "../api/src/modules/labels/labels.service.js";
import { usccCheckCharacter } from "../api/src/modules/orgs/uscc.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  TRUST_PATH,
  auditLedger,
  loadConfig,
  makeProvider,
  parseTrustAnchor,
  startLocalChain,
  verifyBundle,
} from "../ledger-service/src/index.js";
import { freePort } from "./lib/free-port.js";
import { gtin14, vinWithCheck } from "./lib/identifiers.js";

const say = (line: string) => console.log(line);
const dataDir = mkdtempSync(join(tmpdir(), "partledger-demo-"));
const chain = await startLocalChain({ port: await freePort(), blockMs: 500 });
const config = loadConfig({
  DATA_DIR: dataDir,
  BATCH_MAX_EVENTS: "1000",
  BATCH_MAX_AGE_MS: "0",
  CONFIRMATION_DEPTH: "2",
});
const svc = await LedgerService.open({
  config,
  chainUrl: chain.url,
  adminKey: LOCAL_ADMIN_KEY,
  localChain: true,
  chainId: LOCAL_CHAIN_ID,
});
const operator = randomBytes(24).toString("base64url");
const app = createApp({
  ledger: svc,
  chainUrl: chain.url,
  operatorToken: operator,
  publicBaseUrl: "https://pl.example.cn",
});
const server: Server = app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

async function api(method: string, path: string, token: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(origin + path, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, any>;
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${json.code}: ${json.detail}`);
  return json;
}
const scan = async (uri: string) =>
  (await (
    await fetch(uri.replace("https://pl.example.cn", origin), { headers: { accept: "application/json" } })
  ).json()) as { verdict: string; reason: string };

let exitCode: number;
try {
  say(`▶ fresh embedded stack: PGlite in ${dataDir}, local chain at ${chain.url}, API at ${origin}`);
  const register = (name: string, first17: string, kind: string, regionCode: string, lng: number, lat: number) =>
    api("POST", "/api/v1/companies", operator, {
      name,
      uscc: first17 + usccCheckCharacter(first17),
      kind,
      regionCode,
      location: { lng, lat },
    });
  const maker = await register(
    "博世汽车部件(苏州)有限公司",
    "91320505MA1MXXX0A",
    "manufacturer",
    "320505",
    120.57,
    31.3,
  );
  const dealer = await register(
    "杭州汽配城经销商有限公司",
    "91330104MA2B00001",
    "distributor",
    "330104",
    120.18,
    30.27,
  );
  const shop = await register("杭州西湖汽车修理厂", "92330106MA2C00002", "repair_shop", "330106", 120.13, 30.26);
  for (const c of [maker, dealer, shop])
    say(`  company ${c.name} (${c.kind}, USCC ${c.uscc}) → chain identity ${c.address}`);

  // A GTIN is its GS1 company prefix's owner's: the maker registers its prefix, the platform verifies the licence.
  const prefix = await api("POST", "/api/v1/gs1-prefixes", maker.apiKey, {
    prefix: "6901234",
    licenceRef: "GS1CN-物编证字 6901234",
  });
  await api("POST", `/api/v1/gs1-prefixes/${prefix.id}/verify`, operator, { licenceRef: prefix.licenceRef });
  say(`  GS1 company prefix ${prefix.prefix} verified for ${maker.name} (licence ${prefix.licenceRef})`);
  const gtin = gtin14("0690123456789");
  const t0 = performance.now();
  const mint = await api("POST", "/api/v1/mint", maker.apiKey, {
    gtin,
    lot: "L2026-11",
    productionDate: "2026-11-20",
    count: 1000,
    product: { brand: "BOSCH 博世", name: "前刹车片 (front brake pads)" },
  });
  say(
    `▶ minted ${mint.count} brake pads (GTIN ${gtin}, lot L2026-11) in ${(performance.now() - t0).toFixed(0)} ms — one signed submission, labels at /api/v1/mint/${mint.runId}/labels.pdf`,
  );
  const pdf = await fetch(`${origin}/api/v1/mint/${mint.runId}/labels.pdf`, {
    headers: { authorization: `Bearer ${maker.apiKey}` },
  });
  const pdfFile = join(dataDir, "labels.pdf");
  writeFileSync(pdfFile, Buffer.from(await pdf.arrayBuffer()));
  say(`  label sheet: ${pdfFile} (${Math.ceil(1000 / 24)} A4 pages)`);
  const parts = (mint.serials as string[]).map((serial) => ({ gtin, serial }));
  const shipped = await api("POST", "/api/v1/dispatches", maker.apiKey, {
    to: dealer.id,
    parts,
    locationId: "SZ-PLANT",
  });
  say(
    `▶ ${maker.name} dispatched ${shipped.dispatched} parts to ${dealer.name} (a shipping event that signs the receiver)`,
  );
  const received = await api("POST", "/api/v1/receipts", dealer.apiKey, { parts, locationId: "HZ-WH-3" });
  say(`▶ ${dealer.name} received ${received.received} parts (one carton scan; only the company a shipment names can)`);
  const installs = parts.slice(0, 10);
  await api("POST", "/api/v1/dispatches", dealer.apiKey, { to: shop.id, parts: installs, locationId: "HZ-WH-3" });
  await api("POST", "/api/v1/receipts", shop.apiKey, { parts: installs });
  const vin = vinWithCheck("LFV2A21K0M4000001");
  for (const p of installs) await api("POST", "/api/v1/installations", shop.apiKey, { ...p, vin });
  say(
    `▶ ${shop.name} was sent 10, received and installed them into VIN ${vin} (stored encrypted; the ledger holds a salted hash)`,
  );
  try {
    await api("POST", "/api/v1/installations", shop.apiKey, { ...installs[0], vin });
  } catch (e) {
    say(`  a second installation of the same part is refused: ${(e as Error).message}`);
  }

  await svc.worker.runUntilFinal(120_000);
  await svc.worker.tick();
  const { rows: batches } = await svc.db.sql.query<{
    id: number;
    event_count: number;
    tx_hash: string;
    status: string;
  }>("SELECT id, event_count, tx_hash, status FROM ledger_batches ORDER BY id");
  for (const b of batches) say(`▶ batch ${b.id}: ${b.event_count} events anchored in tx ${b.tx_hash} (${b.status})`);

  const part = installs[0]!;
  const bundle = await (await fetch(`${origin}/api/v1/parts/${part.gtin}/${part.serial}/bundle`)).json();
  const bundleFile = join(dataDir, "bundle.json");
  writeFileSync(bundleFile, JSON.stringify(bundle, null, 2));
  say(`▶ exported the bundle of ${part.gtin}/${part.serial} to ${bundleFile}`);
  const provider = makeProvider(chain.url);
  // The auditor pins the platform's published trust anchor, never the addresses the bundle names.
  const trust = parseTrustAnchor(await (await fetch(`${origin}${TRUST_PATH}`)).json(), TRUST_PATH);
  const report = await verifyBundle(bundle, provider, trust);
  provider.destroy();
  say(`▶ auditor (bundle + chain only): ${report.ok ? "OK" : `FAILED: ${report.failure?.reason}`}`);
  for (const line of report.lines) say(line);

  const labels = new LabelsService(svc, "https://pl.example.cn");
  const me = await api("GET", "/api/v1/companies/me", maker.apiKey);
  const genuineUri = await labels.uriFor(me as never, gtin, parts[500]!.serial);
  const copiedUri = await labels.uriFor(me as never, gtin, part.serial);
  const forgedUri = `https://pl.example.cn/01/${gtin}/21/FORGED0000000001?10=L2026-11&s=${new URL(genuineUri).searchParams.get("s")}`;
  const verdicts = {
    genuine: (await scan(genuineUri)).verdict,
    forged: (await scan(forgedUri)).verdict,
    copied: (await scan(copiedUri)).verdict,
  };
  say(
    `▶ scans: a genuine label → ${verdicts.genuine}; a forged code → ${verdicts.forged}; a copied label of an installed part → ${verdicts.copied}`,
  );
  say(`  the page a phone opens: ${genuineUri.replace("https://pl.example.cn", origin)}`);

  say("▶ tampering: rewriting the lot of one stored commissioning event directly in the database (triggers bypassed)");
  const victim = 501;
  await svc.db.sql.exec("ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only");
  await svc.db.sql.query(`UPDATE ledger_events SET fields = jsonb_set(fields, '{lot}', '"L2026-12"') WHERE seq = $1`, [
    victim,
  ]);
  await svc.db.sql.exec("ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_append_only");
  const ctx = await svc.chain.get();
  const audit = await auditLedger({ db: svc.db.sql, anchorRegistry: ctx.anchorRegistry, chainId: ctx.chainId });
  const tamperDetected = !audit.ok && audit.failure?.seq === victim;
  say(`▶ npm run audit -- --all: ${audit.ok ? "no problem found" : `caught it — ${audit.failure!.reason}`}`);
  exitCode = report.ok && tamperDetected && verdicts.genuine === "GENUINE" && verdicts.forged === "UNKNOWN" ? 0 : 1;
  console.log(
    JSON.stringify({
      commissioned: mint.count,
      received: received.received + installs.length,
      installed: installs.length,
      batches: batches.length,
      auditOk: report.ok,
      tamperDetected,
      verdicts,
    }),
  );
} finally {
  server.close();
  await (app.locals.shutdown as () => Promise<void>)();
  await svc.close();
  await chain.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
