import { expect } from "chai";
import type { LedgerService } from "../../ledger-service/src/index.js";
import { LOCAL_ADMIN_KEY, makeProvider, startLocalChain, verifyBundle } from "../../ledger-service/src/index.js";
import { injectedFault, type FaultPoint } from "../../ledger-service/src/anchoring/anchor-worker.js";
import { sendAndWait } from "../../ledger-service/src/chain/tx-sender.js";
import { freePort } from "../../scripts/lib/free-port.js";
import { Wallet } from "ethers";
import { openStack, restart, walkParts } from "../helpers/stack.js";

/** How many times each batch id was anchored on the current contracts (must be exactly once each). */
async function anchorCounts(svc: LedgerService): Promise<Map<number, number>> {
  const chain = await svc.chain.get();
  const logs = await chain.anchorRegistry.queryFilter(chain.anchorRegistry.filters.BatchAnchored!(), 0, "latest");
  const counts = new Map<number, number>();
  for (const log of logs) {
    const id = Number((log as unknown as { args: { batchId: bigint } }).args.batchId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function expectAllFinalOnce(svc: LedgerService) {
  const { rows } = await svc.db.sql.query<{ id: number; status: string }>(
    "SELECT id, status FROM ledger_batches ORDER BY id",
  );
  expect(rows.length).to.be.greaterThan(0);
  expect(
    rows.every((r) => r.status === "final"),
    JSON.stringify(rows),
  ).to.equal(true);
  const counts = await anchorCounts(svc);
  expect([...counts.keys()].sort((a, b) => a - b)).to.deep.equal(rows.map((r) => r.id));
  expect(
    [...counts.values()].every((n) => n === 1),
    `anchored more than once: ${JSON.stringify([...counts])}`,
  ).to.equal(true);
}

describe("AnchorWorker: killed anywhere, it resumes without losing or doubling a batch", () => {
  const points: FaultPoint[] = ["after-seal", "after-store-tx", "after-broadcast", "after-confirm", "after-final"];
  for (const point of points) {
    it(`killed ${point}`, async () => {
      let armed = true;
      const stack = await openStack({
        env: { BATCH_MAX_EVENTS: "40" },
        fault: (p) => {
          if (p === point && armed) {
            armed = false;
            throw injectedFault(p);
          }
        },
      });
      try {
        await walkParts(stack, 60, 3); // 189 events → 5 batches of ≤ 40
        let killed: unknown;
        try {
          await stack.svc.worker.runUntilFinal(30_000);
        } catch (e) {
          killed = e;
        }
        expect(String((killed as Error)?.message)).to.contain(`injected fault at ${point}`);
        const after = await restart(stack);
        await walkParts(stack, 5); // work goes on after the restart
        await after.worker.runUntilFinal(30_000);
        await expectAllFinalOnce(after);
        await after.close();
      } finally {
        await stack.close();
      }
    });
  }

  it("re-signs a stored transaction whose nonce another transaction took, and still anchors once", async () => {
    let armed = true;
    const stack = await openStack({
      fault: (p) => {
        if (p === "after-store-tx" && armed) {
          armed = false;
          throw injectedFault(p);
        }
      },
    });
    try {
      await walkParts(stack, 10);
      await stack.svc.worker.runUntilFinal(10_000).catch(() => undefined);
      const { rows } = await stack.svc.db.sql.query<{ status: string; tx_nonce: number }>(
        "SELECT status, tx_nonce FROM ledger_batches WHERE id = 1",
      );
      expect(rows[0]!.status).to.equal("submitted");
      const chain = await stack.svc.chain.get();
      await sendAndWait(new Wallet(LOCAL_ADMIN_KEY, chain.provider), { to: chain.admin.address, value: 1n }); // takes the stored nonce
      const after = await restart(stack);
      await after.worker.runUntilFinal(30_000);
      await expectAllFinalOnce(after);
      const { rows: b } = await after.db.sql.query<{ last_error: string | null; attempts: number }>(
        "SELECT last_error, attempts FROM ledger_batches WHERE id = 1",
      );
      expect(b[0]!.attempts).to.equal(2);
      await after.close();
    } finally {
      await stack.close();
    }
  });
});

describe("AnchorWorker: the chain goes away and comes back empty", () => {
  it("keeps accepting events as 'anchoring pending', then redeploys and re-anchors every batch", async () => {
    const port = await freePort();
    let chain = await startLocalChain({ port, blockMs: 200 });
    const stack = await openStack({ chainUrl: chain.url });
    try {
      const first = await walkParts(stack, 20, 1);
      await stack.svc.worker.runUntilFinal(30_000);
      await chain.stop();

      const during = await walkParts(stack, 10); // accepted while the chain is down
      const report = await stack.svc.worker.tick();
      expect(report.chainError).to.match(/chain unavailable|ECONNREFUSED|connect/i);
      const { rows } = await stack.svc.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ledger_batches WHERE status <> 'final'",
      );
      expect(rows[0]!.n).to.be.greaterThan(0);

      chain = await startLocalChain({ port, blockMs: 200 }); // a fresh, empty chain on the same URL
      await stack.svc.worker.runUntilFinal(60_000);
      const deployments = (
        await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_deployments")
      ).rows[0]!.n;
      expect(deployments).to.equal(2);
      await expectAllFinalOnce(stack.svc);
      const provider = makeProvider(chain.url);
      for (const p of [first[0]!, during[0]!]) {
        const bundle = await stack.svc.bundleForPart(p.gtin, p.serial);
        const r = await verifyBundle(bundle, provider, await stack.svc.trustAnchor());
        expect(r.failure).to.equal(null);
      }
      provider.destroy();
    } finally {
      await stack.close();
      await chain.stop();
    }
  });
});
