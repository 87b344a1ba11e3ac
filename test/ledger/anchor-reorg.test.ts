import { expect } from "chai";
import { verifyBundle, type LedgerService } from "../../ledger-service/src/index.js";
import { batchStore, type BatchRow } from "../../ledger-service/src/anchoring/batch-store.js";
import { startAnvil, type Anvil } from "../helpers/anvil.js";
import { openStack, walkParts, type TestStack } from "../helpers/stack.js";

/** The BatchAnchored events of the canonical chain, by batch id: [transaction hash, root] of each. */
async function anchorsOnChain(svc: LedgerService): Promise<Map<number, Array<{ tx: string; root: string }>>> {
  const chain = await svc.chain.get();
  const logs = await chain.anchorRegistry.queryFilter(chain.anchorRegistry.filters.BatchAnchored!(), 0, "latest");
  const out = new Map<number, Array<{ tx: string; root: string }>>();
  for (const log of logs) {
    const { batchId, root } = (log as unknown as { args: { batchId: bigint; root: string } }).args;
    out.set(Number(batchId), [...(out.get(Number(batchId)) ?? []), { tx: log.transactionHash, root }]);
  }
  return out;
}

/** Every batch final, anchored exactly once on the canonical chain, in the block (by hash) the ledger names. */
async function expectFinalOnCanonicalChain(stack: TestStack, anvil: Anvil): Promise<BatchRow[]> {
  const batches = await batchStore.all(stack.svc.db.sql);
  const anchors = await anchorsOnChain(stack.svc);
  for (const b of batches) {
    expect(b.status, `batch ${b.id}`).to.equal("final");
    expect(anchors.get(b.id), `anchors of batch ${b.id}`).to.deep.equal([{ tx: b.txHash, root: b.root }]);
    const receipt = await anvil.provider.getTransactionReceipt(b.txHash!);
    expect(receipt?.blockHash, `receipt block of batch ${b.id}`).to.equal(b.blockHash);
    const canonical = (await anvil.provider.getBlock(b.blockNumber!))?.hash;
    expect(canonical, `block ${b.blockNumber} is canonical`).to.equal(b.blockHash);
  }
  return batches;
}

async function tickUntil(stack: TestStack, anvil: Anvil, done: (b: BatchRow[]) => boolean, mineEach = 0) {
  for (let i = 0; i < 200; i++) {
    await stack.svc.worker.tick();
    const rows = await batchStore.all(stack.svc.db.sql);
    if (done(rows)) return rows;
    await anvil.mine(mineEach);
  }
  throw new Error(`condition not reached: ${JSON.stringify(await batchStore.all(stack.svc.db.sql))}`);
}

const DEPTHS = [1, 12, 64];
const BURY = 80; // blocks mined over the deployment so that no test reorg reaches the contracts

describe("AnchorWorker on a chain that reorganises (anvil_reorg)", function () {
  this.timeout(120_000);
  let anvil: Anvil;
  let stack: TestStack;
  beforeEach(async () => {
    anvil = await startAnvil();
  });
  afterEach(async () => {
    await stack?.close();
    await anvil.stop();
  });

  for (const depth of DEPTHS) {
    it(`a ${depth}-block reorg before finality: noticed, same bytes re-sent, final 70 blocks deep anew`, async () => {
      const confirmations = 70; // deeper than every reorg here: the reorg comes before finality
      stack = await openStack({ chainUrl: anvil.url, env: { CONFIRMATION_DEPTH: String(confirmations) } });
      const parts = await walkParts(stack, 5);
      await anvil.mine(BURY);
      const [first] = await tickUntil(stack, anvil, (r) => r[0]?.status === "confirmed");
      await anvil.mine(depth - 1); // the anchoring block is now exactly `depth` deep
      expect((await stack.svc.worker.tick()).reorged).to.deep.equal([]);
      expect((await batchStore.byId(stack.svc.db.sql, 1))!.status).to.equal("confirmed");

      await anvil.reorg(depth);
      const chain = await stack.svc.chain.get();
      expect(Number(await chain.anchorRegistry.getFunction("lastBatchId")())).to.equal(0); // the anchor is gone
      const report = await stack.svc.worker.tick();
      expect(report.reorged).to.deep.equal([1]);
      const reopened = (await batchStore.byId(stack.svc.db.sql, 1))!;
      expect(reopened.lastError).to.match(/CHAIN\.REORG: batch 1 was confirmed/);

      const [again] = await tickUntil(stack, anvil, (r) => r[0]?.status === "confirmed");
      expect(again!.txHash, "the same signed bytes were sent again").to.equal(first!.txHash);
      expect(again!.attempts, "nothing was signed twice").to.equal(first!.attempts);
      expect(again!.blockHash).to.not.equal(first!.blockHash);
      // Final after exactly `confirmations` blocks counted from the new block, not the old one.
      const head = await anvil.head();
      await anvil.mine(again!.blockNumber! + confirmations - 2 - head);
      await stack.svc.worker.tick();
      expect((await batchStore.byId(stack.svc.db.sql, 1))!.status, "one block short").to.equal("confirmed");
      await anvil.mine(1);
      await stack.svc.worker.tick();
      await expectFinalOnCanonicalChain(stack, anvil);
      const bundle = await stack.svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial);
      expect((await verifyBundle(bundle, anvil.provider, await stack.svc.trustAnchor())).failure).to.equal(null);
    });
  }

  for (const depth of [12, 64]) {
    it(`a ${depth}-block reorg of batches already final (depth 2): detected, re-anchored, reported`, async () => {
      const lines: string[] = [];
      stack = await openStack({ chainUrl: anvil.url, env: { CONFIRMATION_DEPTH: "2" } });
      await walkParts(stack, 5);
      await anvil.mine(BURY);
      await tickUntil(stack, anvil, (r) => r[0]?.status === "final", 1);
      await walkParts(stack, 3);
      const before = await tickUntil(stack, anvil, (r) => r.length === 2 && r.every((b) => b.status === "final"), 1);
      await anvil.mine(depth - 1 - ((await anvil.head()) - before[0]!.blockNumber!)); // batch 1's block: `depth` deep

      await anvil.reorg(depth);
      const report = await stack.svc.worker.tick();
      expect(report.reorged).to.deep.equal([1, 2]);
      for (const b of await batchStore.all(stack.svc.db.sql)) {
        const reported = `batch ${b.id} was final — a reorganisation deeper than CONFIRMATION_DEPTH 2`;
        expect(b.lastError).to.contain(reported);
        lines.push(b.lastError!);
      }
      const after = await tickUntil(stack, anvil, (r) => r.every((b) => b.status === "final"), 1);
      await expectFinalOnCanonicalChain(stack, anvil);
      for (const [i, b] of after.entries()) {
        expect(b.txHash, `batch ${b.id} re-sent as the same bytes`).to.equal(before[i]!.txHash);
        expect(b.attempts, `batch ${b.id} never signed twice`).to.equal(before[i]!.attempts);
      }
    });
  }

  it("a reorg that mines the same anchoring transaction elsewhere: final with the new block's hash", async () => {
    stack = await openStack({ chainUrl: anvil.url, env: { CONFIRMATION_DEPTH: "2" } });
    await walkParts(stack, 5);
    await anvil.mine(BURY);
    const [before] = await tickUntil(stack, anvil, (r) => r[0]?.status === "final", 1);
    await anvil.mine(depthOf(await anvil.head(), before!.blockNumber!, 3));
    await anvil.reorg(3, [[before!.rawTx!, 0]]); // the transaction is mined again, in a different block
    expect((await anvil.provider.getTransactionReceipt(before!.txHash!))?.blockHash).to.not.equal(before!.blockHash);
    const report = await stack.svc.worker.tick();
    expect(report.reorged).to.deep.equal([1]);
    const [after] = await tickUntil(stack, anvil, (r) => r[0]?.status === "final", 1);
    expect(after!.txHash).to.equal(before!.txHash);
    await expectFinalOnCanonicalChain(stack, anvil);
  });
});

/** Blocks to mine so that `block` ends up `depth` deep. */
const depthOf = (head: number, block: number, depth: number) => depth - 1 - (head - block);
