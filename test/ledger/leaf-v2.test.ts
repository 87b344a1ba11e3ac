import { readFileSync } from "node:fs";
import { expect } from "chai";
import { AbiCoder, keccak256, type Contract, type JsonRpcProvider, type Wallet } from "ethers";
import { Sealer } from "../../ledger-service/src/batching/sealer.js";
import { fromHex, toHex } from "../../ledger-service/src/events/bytes.js";
import {
  LEAF_V2,
  batchLeafOf,
  leafV2OfStructHash,
  type CanonicalEvent,
} from "../../ledger-service/src/events/canonical.js";
import { buildTree, proofFromFlat } from "../../ledger-service/src/merkle/tree.js";
import { Stage, auditLedger, makeProvider, verifyBundle, type Bundle } from "../../ledger-service/src/index.js";
import type { BundleEvent } from "../../ledger-service/src/proofs/bundle.js";
import { deploy, send, wallets } from "../helpers/contracts.js";
import { shared } from "../helpers/shared.js";
import { PLACE, newParts, openStack, type TestStack } from "../helpers/stack.js";

interface V2Vector {
  name: string;
  event: CanonicalEvent;
  structHash: string;
  seq: number;
  batchId: number;
  leafV1: string;
  encoded: string;
  leaf: string;
}
const v2 = JSON.parse(readFileSync(new URL("../fixtures/leaf-v2-vectors.json", import.meta.url), "utf8")) as {
  vectors: V2Vector[];
};
const v1 = JSON.parse(readFileSync(new URL("../fixtures/leaf-vectors.json", import.meta.url), "utf8")) as {
  vectors: Array<{ structHash: string; leaf: string }>;
};
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("Merkle leaf v2: the leaf binds seq and batch id @smoke", () => {
  let provider: JsonRpcProvider;
  let admin: Wallet;
  let registry: Contract;
  before(async () => {
    const w = wallets();
    provider = w.provider;
    admin = w.accounts[0]!;
    registry = await deploy("AnchorRegistry", admin);
  });
  after(() => provider.destroy());

  describe("fixed vectors", () => {
    for (const v of v2.vectors) {
      it(`${v.name}: TypeScript, ethers' ABI coder and Solidity agree`, async () => {
        expect(v.structHash).to.equal(v1.vectors.find((x) => x.structHash === v.structHash)!.structHash);
        expect(toHex(leafV2OfStructHash(fromHex(v.structHash), v.seq, v.batchId))).to.equal(v.leaf);
        expect(toHex(batchLeafOf(2, fromHex(v.structHash), v.seq, v.batchId))).to.equal(v.leaf);
        // The v1 leaf of the same event is unchanged and different.
        expect(toHex(batchLeafOf(1, fromHex(v.structHash), v.seq, v.batchId))).to.equal(v.leafV1);
        expect(v.leaf).to.not.equal(v.leafV1);
        const encoded = AbiCoder.defaultAbiCoder().encode(
          ["uint8", "bytes32", "uint64", "uint64"],
          [2, v.structHash, v.seq, v.batchId],
        );
        expect(encoded).to.equal(v.encoded);
        expect(keccak256(keccak256(encoded))).to.equal(v.leaf);
        const [structHash, leaf] = await registry.getFunction("hashEventV2")(v.event, v.seq, v.batchId);
        expect(structHash).to.equal(v.structHash);
        expect(leaf).to.equal(v.leaf);
      });
    }

    it("changes the leaf when only seq or only batch id changes", () => {
      const h = fromHex(v2.vectors[0]!.structHash);
      const leaves = new Set(
        [
          [1, 1],
          [2, 1],
          [1, 2],
          [2, 2],
        ].map(([s, b]) => toHex(leafV2OfStructHash(h, s!, b!))),
      );
      expect(leaves.size).to.equal(4);
    });

    it("refuses an unknown leaf version and a non-uint64 position", () => {
      const h = fromHex(v2.vectors[0]!.structHash);
      expect(() => batchLeafOf(3, h, 1, 1)).to.throw(RangeError, "unknown leaf version 3");
      expect(() => leafV2OfStructHash(h, 0, 1)).to.throw(RangeError, "seq 0");
      expect(() => leafV2OfStructHash(h, 1, 1.5)).to.throw(RangeError, "batchId 1.5");
    });

    it("AnchorRegistry.verifyEventV2 accepts an event only at its own seq and batch", async () => {
      const anchorer = admin;
      await send(registry, admin, "grantRole", [await registry.getFunction("ANCHORER_ROLE")(), anchorer.address]);
      const batchId = Number(await registry.getFunction("lastBatchId")()) + 1;
      const events = v2.vectors.slice(0, 3);
      const seqs = [100, 101, 102];
      const leaves = events.map((v, i) => leafV2OfStructHash(fromHex(v.structHash), seqs[i]!, batchId));
      const tree = buildTree(leaves);
      await send(registry, anchorer, "anchor", [batchId, toHex(tree.root), leaves.length]);
      for (let i = 0; i < events.length; i++) {
        const proof = proofFromFlat(tree.flat, leaves.length, i).map(toHex);
        const verify = registry.getFunction("verifyEventV2");
        expect(await verify(batchId, events[i]!.event, seqs[i]!, proof), `event ${i}`).to.equal(true);
        expect(await verify(batchId, events[i]!.event, seqs[(i + 1) % 3]!, proof), `event ${i} renumbered`).to.equal(
          false,
        );
        // The v1 check of the same event fails too: the batch is v2.
        expect(await registry.getFunction("verifyEvent")(batchId, events[i]!.event, proof)).to.equal(false);
      }
    });
  });

  describe("bundles: v1 batches keep verifying, v2 batches refuse moved events", () => {
    let stack: TestStack;
    let bundleProvider: JsonRpcProvider;
    let range: Bundle;
    let part: Bundle;
    const N = 4;

    before(async () => {
      stack = await openStack({ env: { BATCH_MAX_EVENTS: String(N), AUDIT_CHECKPOINT_MS: "3600000" } });
      bundleProvider = makeProvider(shared.chainUrl);
      // Batch 1: sealed as a ledger from before leaf v2 would have sealed it. One submission per event, so that
      // swapping two events moves nothing the submission checks could see.
      const old = newParts(N);
      for (const p of old)
        await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: [p], place: PLACE });
      const v1Batches = await new Sealer({ db: stack.svc.db.sql, maxEvents: N, maxAgeMs: 0, leafVersion: 1 }).sealDue();
      expect(v1Batches.map((b) => b.leafVersion)).to.deep.equal([1]);
      // Batches 2 (commissionings) and 3 (shipments of the same parts to the dealer): sealed by the service, leaf v2.
      const fresh = newParts(N);
      for (const p of fresh)
        await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: [p], place: PLACE });
      for (const p of fresh) {
        await stack.svc.ledger.append({
          actorId: "maker",
          step: Stage.Shipped,
          parts: [{ gtin: p.gtin, serial: p.serial }],
          place: PLACE,
          shipTo: "dealer",
        });
      }
      await stack.svc.worker.runUntilFinal();
      range = await stack.svc.bundleForBatches(1, 3);
      part = await stack.svc.bundleForPart(fresh[0]!.gtin, fresh[0]!.serial);
    });
    after(async () => {
      bundleProvider.destroy();
      await stack.close();
    });

    const inBatch = (b: Bundle, id: number) => b.events.filter((e) => e.batchId === id);
    /** Moves an event's content (payload, struct hash, submission) to another position, keeping the position's seq. */
    function swapContent(a: BundleEvent, b: BundleEvent) {
      const keys = ["structHash", "event", "submissionId", "submissionIndex", "submissionProof"] as const;
      for (const k of keys)
        [(a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k]] = [b[k], a[k]];
    }
    /** A careful forger keeps the bundle's EPCISDocument in step with the events it moved. */
    function consistent(b: Bundle): Bundle {
      b.epcisDocument!.epcisBody.eventList = b.events.map((e) => e.event);
      return b;
    }

    it("records the leaf version per batch; the untouched bundles and the whole ledger verify", async () => {
      expect(range.batches.map((b) => [b.id, b.leafVersion])).to.deep.equal([
        [1, 1],
        [2, 2],
        [3, 2],
      ]);
      expect((await stack.svc.proof(inBatch(range, 2)[0]!.seq)).leafVersion).to.equal(LEAF_V2);
      const r = await verifyBundle(range, bundleProvider, await stack.svc.trustAnchor());
      expect(r.failure).to.equal(null);
      expect(r.eventsChecked).to.equal(3 * N);
      expect((await verifyBundle(part, bundleProvider, await stack.svc.trustAnchor())).failure).to.equal(null);
      const chain = await stack.svc.chain.get();
      const all = await auditLedger({
        db: stack.svc.db.sql,
        anchorRegistry: chain.anchorRegistry,
        chainId: chain.chainId,
      });
      expect(all.failure).to.equal(null);
      expect(all.eventsChecked).to.equal(3 * N);
    });

    it("v1 batch: sibling order stays free (the weakness leaf v2 removes) — the swap is well-formed", async () => {
      const b = clone(range);
      const [x, y] = inBatch(b, 1);
      swapContent(x!, y!);
      expect((await verifyBundle(consistent(b), bundleProvider, await stack.svc.trustAnchor())).failure).to.equal(null);
    });

    it("v2 batch: two sibling events swapped (payload and struct hash) fail", async () => {
      const b = clone(range);
      const [x, y] = inBatch(b, 2);
      swapContent(x!, y!);
      const r = await verifyBundle(consistent(b), bundleProvider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.batchId).to.equal(2);
      expect(r.failure!.reason).to.contain("differs from the anchored root");
    });

    it("v2 batch: events reordered (one pair of siblings moved past the other) fail", async () => {
      const b = clone(range);
      const [p, q, r, s] = inBatch(b, 2);
      swapContent(p!, r!);
      swapContent(q!, s!);
      const report = await verifyBundle(consistent(b), bundleProvider, await stack.svc.trustAnchor());
      expect(report.ok).to.equal(false);
      expect(report.failure!.batchId).to.equal(2);
    });

    it("v2 batch: an event renumbered in a part bundle fails at that event", async () => {
      const b = clone(part);
      const [commissioning, receipt] = b.events;
      expect(receipt!.seq - commissioning!.seq).to.be.greaterThan(1);
      const original = receipt!.seq;
      receipt!.seq = original - 1;
      const r = await verifyBundle(b, bundleProvider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(original - 1);
      expect(r.failure!.reason).to.contain("does not verify against batch");
    });

    it("v2 batch: an event renumbered in a range bundle fails", async () => {
      const b = clone(range);
      const last = b.events[b.events.length - 1]!;
      last.seq += 1;
      const r = await verifyBundle(b, bundleProvider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.batchId).to.equal(3);
    });

    it("a batch claiming an unknown leaf version fails naming the event", async () => {
      const b = clone(range);
      b.batches[1]!.leafVersion = 7;
      const r = await verifyBundle(b, bundleProvider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(inBatch(b, 2)[0]!.seq);
      expect(r.failure!.reason).to.contain("unknown leaf version 7");
    });

    it("a v2 batch passed off as v1 fails", async () => {
      const b = clone(range);
      b.batches[1]!.leafVersion = 1;
      expect((await verifyBundle(b, bundleProvider, await stack.svc.trustAnchor())).failure!.batchId).to.equal(2);
    });
  });
});
