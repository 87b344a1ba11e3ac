/**
 * `npm run bench:ledger` — the provenance ledger's figures, each beside a baseline measured in the same run.
 * Runs against DATABASE_URL (a fresh database it creates and drops) and a local chain it starts and stops.
 * BENCH_EVENTS sets the stored-event count for the proof figure (default 1,000,000). BENCH_SIZE=small (or --small)
 * runs every phase at 15,000 events in seconds (scripts/lib/bench-size.ts).
 * Last line: one JSON object with every figure.
 */
import { randomBytes } from "node:crypto";
import { Contract, ContractFactory, Wallet } from "ethers";
import pg from "pg";
import { Sealer } from "../ledger-service/src/batching/sealer.js";
import { loadArtifact } from "../ledger-service/src/chain/artifacts.js";
import { sendAndWait } from "../ledger-service/src/chain/tx-sender.js";
import { readChainFacts } from "../ledger-service/src/audit/chain-facts.js";
import { canonicalOf } from "../ledger-service/src/events/epcis.js";
import {
  LOCAL_ADMIN_KEY,
  LOCAL_CHAIN_ID,
  LedgerService,
  Stage,
  checkBundle,
  loadConfig,
  newSerial,
  openDatabase,
  startLocalChain,
} from "../ledger-service/src/index.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { freePort } from "./lib/free-port.js";
import { gtin14 } from "./lib/identifiers.js";

const server = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TOTAL = sized("BENCH_EVENTS", 1_000_000, 15_000);
const BASELINE_ROWS = sized("BENCH_BASELINE_ROWS", 50_000, 4_000);
const PROOFS = sized("BENCH_PROOFS", 2_000, 200);
const SUB = 1000; // parts per submission (a pallet)
const say = (s: string) => console.log(s);
const figures: Record<string, number> = {};
const record = (name: string, value: number, line: string) => {
  figures[name] = Number(value.toFixed(value < 10 ? 4 : 1));
  say(line);
};

const benchDb = await benchDatabase(server, "partledger_bench");
const dbName = benchDb.name;
const url = new URL(benchDb.url);
const chain = await startLocalChain({ port: await freePort(), blockMs: 1000 });
const config = loadConfig({
  DATABASE_URL: url.toString(),
  LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
  BATCH_MAX_EVENTS: "10000",
  BATCH_MAX_AGE_MS: String(3_600_000),
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

try {
  say(
    `bench:ledger — PostgreSQL ${server.replace(/\/[^/]*$/, "/" + dbName)}, local chain ${chain.url}, ${TOTAL.toLocaleString()} events`,
  );
  await svc.registerCompany({ id: "maker", name: "maker", kind: "manufacturer" });
  await svc.registerCompany({ id: "dealer", name: "dealer", kind: "distributor" });
  const ctx = await svc.chain.get();
  const gtin = gtin14("0690123456789");
  const place = { regionCode: "320505", locationId: "PLANT-1" };
  const pallet = () => Array.from({ length: SUB }, () => ({ gtin, serial: newSerial(), lot: "L1" }));

  // 1. Seal + anchor 10,000 events (until the anchoring transaction is mined), and gas per event at 10,000.
  const first: Array<{ gtin: string; serial: string; lot: string }> = [];
  for (let i = 0; i < 10; i++) {
    const p = pallet();
    first.push(...p);
    await svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: p, place });
  }
  let t = performance.now();
  await svc.worker.runUntilFinal(120_000, 20);
  record(
    "sealAnchor10kMs",
    performance.now() - t,
    `seal + anchor 10,000 events: ${(performance.now() - t).toFixed(0)} ms (sealed, sent, mined, final at depth 1)`,
  );
  const gasOf = async (batchId: number) => {
    const { rows } = await db.sql.query<{ tx_hash: string; event_count: number }>(
      "SELECT tx_hash, event_count FROM ledger_batches WHERE id = $1",
      [batchId],
    );
    const receipt = await ctx.provider.getTransactionReceipt(rows[0]!.tx_hash);
    return Number(receipt!.gasUsed) / rows[0]!.event_count;
  };
  const gas10k = await gasOf(1);

  // 2. Anchoring gas per event at batch size 1,000.
  await svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: pallet(), place });
  const small = new Sealer({ db: db.sql, maxEvents: 1000, maxAgeMs: 0 });
  await small.sealDue();
  await svc.worker.runUntilFinal(60_000, 20);
  const gas1k = await gasOf(2);

  // 3. Gas baselines: an OpenZeppelin ERC-721 mint, and the on-chain lifecycle per part (cartons of 100).
  const ercArt = loadArtifact("BenchErc721");
  const erc = await sendAndWait(
    ctx.admin,
    await new ContractFactory(ercArt.abi as never, ercArt.bytecode, ctx.admin).getDeployTransaction(),
  );
  const ercC = new Contract(erc.contractAddress!, ercArt.abi as never, ctx.provider);
  const mint = await sendAndWait(ctx.admin, {
    to: erc.contractAddress!,
    data: ercC.interface.encodeFunctionData("mint", [Wallet.createRandom().address, 1]),
  });
  const mintGas = Number(mint.gasUsed);
  const partArt = loadArtifact("PartRegistry");
  const reg = await sendAndWait(
    ctx.admin,
    await new ContractFactory(partArt.abi as never, partArt.bytecode, ctx.admin).getDeployTransaction(
      ctx.admin.address,
    ),
  );
  const regC = new Contract(reg.contractAddress!, partArt.abi as never, ctx.provider);
  // Three companies, one per role: Hardhat's development accounts #1–#3 (funded on the local chain).
  const actors = [
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  ].map((k) => new Wallet(k, ctx.provider));
  const roles = ["MANUFACTURER_ROLE", "DISTRIBUTOR_ROLE", "INSTALLER_ROLE"];
  for (let i = 0; i < 3; i++) {
    await sendAndWait(ctx.admin, {
      to: reg.contractAddress!,
      data: regC.interface.encodeFunctionData("grantRole", [await regC.getFunction(roles[i]!)(), actors[i]!.address]),
    });
  }
  // A carton's whole path under the holder rules (DECISIONS 27, 31): the manufacturer commissions and ships it, the
  // distributor receives and ships it on, the repair shop receives and installs it. Only the holder ships or installs.
  const keys = Array.from({ length: 100 }, () => "0x" + randomBytes(32).toString("hex"));
  const [maker, dealer, shop] = actors as [Wallet, Wallet, Wallet];
  const path: Array<[Wallet, Stage, string]> = [
    [maker, Stage.Commissioned, "commission"],
    [maker, Stage.Shipped, "ship"],
    [dealer, Stage.Received, "receive"],
    [dealer, Stage.Shipped, "ship"],
    [shop, Stage.Received, "receive"],
    [shop, Stage.Installed, "install"],
  ];
  let lifecycleGas = 0;
  let commissionGas = 0;
  const stepGas: string[] = [];
  for (const [actor, stage, name] of path) {
    const data = regC.interface.encodeFunctionData("advance", [keys, stage]);
    const r = await sendAndWait(actor, { to: reg.contractAddress!, data });
    lifecycleGas += Number(r.gasUsed);
    if (stage === Stage.Commissioned) commissionGas = Number(r.gasUsed);
    stepGas.push(`${name} ${(Number(r.gasUsed) / 100).toFixed(0)}`);
  }
  const finalStages = (await regC.getFunction("stagesOf")(keys)) as bigint[];
  if (finalStages.some((s) => Number(s) !== Stage.Installed)) {
    throw new Error(`on-chain lifecycle: stages ${finalStages.join(",")} after the path, want all ${Stage.Installed}`);
  }
  record("gasErc721Mint", mintGas, `baseline: OpenZeppelin ERC-721 mint: ${mintGas.toLocaleString()} gas`);
  record(
    "gasPerEvent1k",
    gas1k,
    `anchored gas per event, batch 1,000: ${gas1k.toFixed(1)} (${(gas1k / mintGas).toFixed(5)}× the mint)`,
  );
  record(
    "gasPerEvent10k",
    gas10k,
    `anchored gas per event, batch 10,000: ${gas10k.toFixed(2)} (${(gas10k / mintGas).toFixed(6)}× the mint; target ≤ 0.001×)`,
  );
  record(
    "gasPerPartOnChain",
    commissionGas / 100,
    `on-chain lifecycle, commissioning, per part (cartons of 100): ${(commissionGas / 100).toFixed(0)} gas (${(commissionGas / 100 / mintGas).toFixed(3)}× the mint)`,
  );
  const pathLine = `${(lifecycleGas / 100).toFixed(0)} gas (${stepGas.join(", ")})`;
  record(
    "gasPerPartOnChainLifecycle",
    lifecycleGas / 100,
    `on-chain lifecycle, maker → distributor → shop, per part: ${pathLine}`,
  );

  // 4. Sustained append rate up to TOTAL stored events: pallets are commissioned, then received by a distributor.
  //    Measured with one client, and with STREAMS concurrent clients (companies append independently; each
  //    append hashes and signs outside the ledger lock, so one client's CPU work overlaps another's insert).
  const STREAMS = sized("BENCH_STREAMS", 2, 2);
  let appended = 0;
  let lastReport = performance.now();
  async function load(streams: number, events: number): Promise<number> {
    // Each pallet is commissioned, shipped to the dealer and received: three events per part.
    const pallets = Math.max(1, Math.ceil(events / SUB / 3));
    const t0 = performance.now();
    const from = appended;
    const progress = (t0: number) => {
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        say(
          `  … ${appended.toLocaleString()} events appended, ${(((appended - from) / (lastReport - t0)) * 1000).toFixed(0)}/s with ${streams} client(s)`,
        );
      }
    };
    const made: Array<Array<{ gtin: string; serial: string }>> = [];
    let next = 0;
    const commission = async () => {
      while (next < pallets) {
        next++;
        const p = pallet();
        await svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: p, place });
        made.push(p.map(({ gtin, serial }) => ({ gtin, serial })));
        appended += SUB;
        progress(t0);
      }
    };
    await Promise.all(Array.from({ length: streams }, commission));
    const receive = async () => {
      for (let p = made.pop(); p; p = made.pop()) {
        await svc.ledger.append({ actorId: "maker", step: Stage.Shipped, parts: p, place, shipTo: "dealer" });
        appended += SUB;
        progress(t0);
        await svc.ledger.append({ actorId: "dealer", step: Stage.Received, parts: p, place });
        appended += SUB;
        progress(t0);
      }
    };
    await Promise.all(Array.from({ length: streams }, receive));
    return ((pallets * 3 * SUB) / (performance.now() - t0)) * 1000;
  }
  const remaining = TOTAL - 11_000;
  const single = await load(1, Math.min(100_000, Math.ceil(remaining / 4)));
  const concurrent = await load(STREAMS, Math.max(2 * SUB, remaining - appended));
  const eventsPerSec = concurrent;

  // Baseline: the last BASELINE_ROWS (50,000) rows, inserted raw with pg in multi-row INSERTs of 1,000 rows into a table
  // holding every earlier row with the same indexes — the same rows into the same state the ledger appended them to.
  const sample = await db.sql.query<Record<string, unknown>>(
    "SELECT seq, struct_hash, part_key, step, actor, submission_id, submission_index, fields FROM ledger_events ORDER BY seq DESC LIMIT $1",
    [BASELINE_ROWS],
  );
  sample.rows.reverse();
  const raw = new pg.Client({ connectionString: url.toString() });
  raw.on("error", () => undefined);
  await raw.connect();
  await raw.query("CREATE TABLE bench_raw (LIKE ledger_events INCLUDING DEFAULTS INCLUDING INDEXES)");
  await raw.query("INSERT INTO bench_raw SELECT * FROM ledger_events WHERE seq < $1", [sample.rows[0]!.seq]);
  await raw.query("VACUUM ANALYZE bench_raw");
  t = performance.now();
  for (let i = 0; i < sample.rows.length; i += SUB) {
    const chunk = sample.rows.slice(i, i + SUB);
    const params: unknown[] = [];
    const values = chunk.map((r, j) => {
      params.push(r.seq, r.struct_hash, r.part_key, r.step, r.actor, r.submission_id, r.submission_index, r.fields);
      return `(${Array.from({ length: 8 }, (_, k) => `$${j * 8 + k + 1}`).join(", ")})`;
    });
    await raw.query(
      `INSERT INTO bench_raw (seq, struct_hash, part_key, step, actor, submission_id, submission_index, fields) VALUES ${values.join(", ")}`,
      params,
    );
  }
  const baseline = (sample.rows.length / (performance.now() - t)) * 1000;
  await raw.query("DROP TABLE bench_raw");
  await raw.end();
  record(
    "eventsPerSecSingleClient",
    single,
    `events appended per second, one client (validated, hash-chained, signed per pallet of ${SUB}): ${single.toFixed(0)}/s`,
  );
  record(
    "eventsPerSec",
    eventsPerSec,
    `events appended per second, ${STREAMS} concurrent clients, sustained over ${appended.toLocaleString()} events: ${eventsPerSec.toFixed(0)}/s`,
  );
  record(
    "baselineInsertPerSec",
    baseline,
    `baseline: raw multi-row INSERT of the same ${sample.rows.length.toLocaleString()} rows with pg into a table as full as the ledger's: ${baseline.toFixed(0)}/s → ledger at ${(eventsPerSec / baseline).toFixed(2)}× (target ≥ 0.3×)`,
  );
  figures.appendVsBaseline = Number((eventsPerSec / baseline).toFixed(3));

  // 5. Seal everything (batches of 10,000) and time proof generation at the stored-event count.
  t = performance.now();
  const sealed = await new Sealer({ db: db.sql, maxEvents: 10_000, maxAgeMs: 0 }).sealDue();
  say(`sealed ${sealed.length} more batches in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const stored = (await db.sql.query<{ n: number }>("SELECT last_seq AS n FROM ledger_head")).rows[0]!.n;
  const seqs = Array.from({ length: PROOFS }, () => 1 + Math.floor(Math.random() * stored));
  for (const s of seqs.slice(0, PROOFS / 20)) await svc.proof(s); // warm the connection pool
  t = performance.now();
  let proofBytes = 0;
  for (const s of seqs) proofBytes = Math.max(proofBytes, (await svc.proof(s)).proof.length * 32);
  const proofMs = (performance.now() - t) / seqs.length;
  record("eventsStored", stored, `events stored: ${stored.toLocaleString()}`);
  record(
    "proofMs",
    proofMs,
    `inclusion proof generation at ${stored.toLocaleString()} events: ${proofMs.toFixed(3)} ms each (mean of ${seqs.length}; target ≤ 1 ms)`,
  );
  record(
    "proofBytes",
    proofBytes,
    `proof size: ${proofBytes} bytes (${proofBytes / 32} hashes for a batch of 10,000 = ⌈log2 10,000⌉)`,
  );

  // 6. The auditor: a batch-range bundle of 100,000 events; chain facts read first (RPC), then verification timed.
  await svc.worker.runUntilFinal(600_000, 50);
  const bundle = await svc.bundleForBatches(3, 12);
  const keysInBundle = [...new Set(bundle.events.map((e) => canonicalOf(e.event["partledger:ledger"]).partKey))];
  t = performance.now();
  const facts = await readChainFacts(ctx.provider, bundle, keysInBundle, await svc.trustAnchor());
  const rpcMs = performance.now() - t;
  t = performance.now();
  const report = checkBundle(bundle, facts);
  const auditMs = performance.now() - t;
  if (!report.ok) throw new Error(`auditor failed on an untouched bundle: ${report.failure?.reason}`);
  if (report.eventsChecked === 0) throw new Error("auditor: the batch-range bundle of batches 3-12 holds no events");
  const auditorEventsPerSec = (report.eventsChecked / auditMs) * 1000;
  record(
    "auditorEventsPerSec",
    auditorEventsPerSec,
    `auditor: ${report.eventsChecked.toLocaleString()} events verified in ${auditMs.toFixed(0)} ms = ${auditorEventsPerSec.toFixed(0)}/s excluding ${rpcMs.toFixed(0)} ms of RPC (target ≥ 20,000/s)`,
  );
} catch (e) {
  console.error(`bench failed: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await svc.close();
  await db.close();
  await chain.stop();
  await benchDb.drop();
}
console.log(JSON.stringify(figures));
