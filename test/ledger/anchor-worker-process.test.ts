import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, Stage, loadConfig } from "../../ledger-service/src/index.js";
import { batchStore, type BatchRow } from "../../ledger-service/src/anchoring/batch-store.js";
import { startAnvil, type Anvil } from "../helpers/anvil.js";
import { freshDatabase } from "../helpers/database.js";
import { PLACE, newParts } from "../helpers/stack.js";

const WORKER = fileURLToPath(new URL("../helpers/anchor-worker-process.ts", import.meta.url));

/** The worker as a real child process; `waitFor` reads its output, `kill` sends SIGKILL. */
function runWorker(env: Record<string, string>, hangAt?: string) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: { ...process.env, ...env, ...(hangAt ? { HANG_AT: hangAt } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    async waitFor(pattern: RegExp, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`worker exited before ${pattern}:\n${out.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`worker did not print ${pattern}:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A database both this process and the worker processes open in turn (PGlite in a directory, or PostgreSQL). */
async function sharedDatabase() {
  const key = randomBytes(32).toString("hex");
  const server = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const dir = server ? undefined : mkdtempSync(join(tmpdir(), "partledger-worker-"));
  const env: Record<string, string> = {
    LEDGER_MASTER_KEY: key,
    CONFIRMATION_DEPTH: "2",
    BATCH_MAX_EVENTS: "6",
    BATCH_MAX_AGE_MS: "0",
    ...(server ? { DATABASE_URL: server.url! } : { DATA_DIR: dir! }),
  };
  return {
    env,
    open: (chainUrl: string) =>
      LedgerService.open({
        config: loadConfig(env),
        chainUrl,
        adminKey: LOCAL_ADMIN_KEY,
        localChain: true,
        chainId: LOCAL_CHAIN_ID,
      }),
    async drop() {
      if (server) await server.drop().catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function rows(db: Awaited<ReturnType<typeof sharedDatabase>>, chainUrl: string): Promise<BatchRow[]> {
  const svc = await db.open(chainUrl);
  try {
    return await batchStore.all(svc.db.sql);
  } finally {
    await svc.close();
  }
}

/** The canonical chain's BatchAnchored events: [batch id, transaction hash, root]. */
async function anchors(anvil: Anvil, registry: string): Promise<Array<[number, string, string]>> {
  const { Contract } = await import("ethers");
  const { loadArtifact } = await import("../../ledger-service/src/chain/artifacts.js");
  const c = new Contract(registry, loadArtifact("AnchorRegistry").abi as never, anvil.provider);
  const logs = await c.queryFilter(c.filters.BatchAnchored!(), 0, "latest");
  return logs.map((l) => {
    const { batchId, root } = (l as unknown as { args: { batchId: bigint; root: string } }).args;
    return [Number(batchId), l.transactionHash, root];
  });
}

describe("The anchoring worker as a process killed with SIGKILL (chain kept alive)", function () {
  this.timeout(300_000);
  let anvil: Anvil;
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let miner: NodeJS.Timeout | undefined;
  const startMining = () => (miner = setInterval(() => void anvil.mine(1).catch(() => undefined), 150));
  const stopMining = () => clearInterval(miner);

  beforeEach(async () => {
    anvil = await startAnvil();
    db = await sharedDatabase();
    const svc = await db.open(anvil.url);
    await svc.registerCompany({
      id: "maker",
      name: "博世汽车部件(苏州)有限公司",
      kind: "manufacturer",
      lifecycleMode: "anchored",
    });
    await svc.registerCompany({ id: "dealer", name: "杭州汽配经销商", kind: "distributor", lifecycleMode: "anchored" });
    // 10 events (5 commissioned, then shipped to the dealer): batches of 6 and 4.
    const parts = newParts(5);
    await svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
    const refs = parts.map(({ gtin, serial }) => ({ gtin, serial }));
    await svc.ledger.append({ actorId: "maker", step: Stage.Shipped, parts: refs, place: PLACE, shipTo: "dealer" });
    await svc.close();
  });
  afterEach(async () => {
    stopMining();
    await anvil.stop();
    await db.drop();
  });

  /** Both batches final, each anchored once on the canonical chain by the transaction the ledger stored. */
  async function expectAnchoredOnce(before?: BatchRow[]) {
    const after = await rows(db, anvil.url);
    expect(after.map((b) => b.status)).to.deep.equal(["final", "final"]);
    const svc = await db.open(anvil.url);
    const sql = "SELECT anchor_registry FROM ledger_deployments";
    const { rows: dep } = await svc.db.sql.query<{ anchor_registry: string }>(sql);
    await svc.close();
    expect(await anchors(anvil, dep[0]!.anchor_registry)).to.deep.equal(after.map((b) => [b.id, b.txHash, b.root]));
    for (const b of after) {
      const canonical = (await anvil.provider.getBlock(b.blockNumber!))?.hash;
      expect(canonical, `batch ${b.id}'s block is canonical`).to.equal(b.blockHash);
      expect(b.attempts, `batch ${b.id} signed once`).to.equal(1);
      if (before) expect(b.txHash, `batch ${b.id}: the same transaction`).to.equal(before[b.id - 1]!.txHash);
    }
    return after;
  }

  for (const point of ["after-store-tx", "after-broadcast"]) {
    it(`killed ${point}: restarted, it sends the stored bytes or finds them mined, never signing again`, async () => {
      startMining();
      const first = runWorker({ ...db.env, CHAIN_URL: anvil.url }, point);
      await first.waitFor(new RegExp(`hanging at ${point} 1`));
      await first.kill();
      const stored = (await rows(db, anvil.url))[0]!;
      expect(stored.status).to.equal("submitted");
      expect(stored.rawTx).to.match(/^0x/);
      const receipt = await anvil.provider.getTransactionReceipt(stored.txHash!);
      expect(Boolean(receipt), "mined while the worker was dead").to.equal(point === "after-broadcast");

      const second = runWorker({ ...db.env, CHAIN_URL: anvil.url });
      await second.waitFor(/batch 2: confirmed → final/);
      await second.kill();
      stopMining();
      const after = await expectAnchoredOnce();
      expect(after[0]!.txHash).to.equal(stored.txHash);
    });
  }

  it("killed in a 12-block reorg (after reopening, after re-sending): nothing lost or doubled", async () => {
    startMining();
    const w = runWorker({ ...db.env, CHAIN_URL: anvil.url });
    await w.waitFor(/batch 2: confirmed → final/);
    await w.kill();
    stopMining();
    const before = await expectAnchoredOnce();
    const head = await anvil.head();
    const depth = Math.max(12, head - before[0]!.blockNumber! + 1);
    await anvil.mine(depth - 1 - (head - before[0]!.blockNumber!));
    await anvil.reorg(depth); // both anchors leave the chain
    expect(await anvil.provider.getTransactionReceipt(before[0]!.txHash!)).to.equal(null);

    for (const point of ["after-reopen", "after-resend"]) {
      const killed = runWorker({ ...db.env, CHAIN_URL: anvil.url }, point);
      await killed.waitFor(new RegExp(`hanging at ${point} 1`));
      await killed.kill();
    }
    const reopened = await rows(db, anvil.url);
    expect(reopened[0]!.lastError).to.match(/CHAIN\.REORG: batch 1 was final/);
    startMining();
    const last = runWorker({ ...db.env, CHAIN_URL: anvil.url });
    await last.waitFor(/batch 2: confirmed → final/);
    await last.kill();
    stopMining();
    await expectAnchoredOnce(before);
  });
});
