import { expect } from "chai";
import { keccak256, toUtf8Bytes, type Contract, type JsonRpcProvider, type Wallet } from "ethers";
import { buildTree, proofFromFlat } from "../../ledger-service/src/merkle/tree.js";
import { toHex } from "../../ledger-service/src/events/bytes.js";
import { MAX_PLEDGE_STEPS_PER_BATCH } from "../../ledger-service/src/batching/sealer.js";
import { deploy, expectRevert, send, wallets } from "../helpers/contracts.js";

describe("AnchorRegistry", () => {
  let provider: JsonRpcProvider;
  let admin: Wallet, anchorer: Wallet, stranger: Wallet;
  let reg: Contract;
  const root = (s: string) => keccak256(toUtf8Bytes(s));

  before(async () => {
    const w = wallets();
    provider = w.provider;
    [admin, anchorer, , , stranger] = w.accounts as [Wallet, Wallet, Wallet, Wallet, Wallet];
    reg = await deploy("AnchorRegistry", admin);
    await send(reg, admin, "grantRole", [await reg.getFunction("ANCHORER_ROLE")(), anchorer.address]);
  });
  after(() => provider.destroy());

  it("stores batches under sequential ids with their root and count, emitting BatchAnchored", async () => {
    expect(Number(await reg.getFunction("lastBatchId")())).to.equal(0);
    for (const id of [1, 2, 3]) {
      const receipt = await send(reg, anchorer, "anchor", [id, root(`batch-${id}`), id * 10]);
      const log = reg.interface.parseLog(receipt.logs[0]!);
      expect(log?.name).to.equal("BatchAnchored");
      expect(Number(log?.args.batchId)).to.equal(id);
      const a = await reg.getFunction("anchorOf")(id);
      expect(a.root).to.equal(root(`batch-${id}`));
      expect(Number(a.eventCount)).to.equal(id * 10);
    }
    expect(Number(await reg.getFunction("lastBatchId")())).to.equal(3);
  });

  it("never overwrites a root: anchoring an existing id reverts", async () => {
    await expectRevert(
      send(reg, anchorer, "anchor", [2, root("forged"), 5]),
      reg.interface,
      "AnchorRegistryUnexpectedBatchId",
      [2, 4],
    );
    expect((await reg.getFunction("anchorOf")(2)).root).to.equal(root("batch-2"));
  });

  it("never skips an id", async () => {
    await expectRevert(
      send(reg, anchorer, "anchor", [6, root("skip"), 5]),
      reg.interface,
      "AnchorRegistryUnexpectedBatchId",
      [6, 4],
    );
  });

  it("refuses an empty batch", async () => {
    await expectRevert(
      send(reg, anchorer, "anchor", [4, root("x"), 0]),
      reg.interface,
      "AnchorRegistryEmptyBatch",
      [4],
    );
    await expectRevert(
      send(reg, anchorer, "anchor", [4, "0x" + "00".repeat(32), 3]),
      reg.interface,
      "AnchorRegistryEmptyBatch",
      [4],
    );
  });

  it("lets only the anchorer anchor — not even the admin", async () => {
    const role = await reg.getFunction("ANCHORER_ROLE")();
    await expectRevert(
      send(reg, stranger, "anchor", [4, root("x"), 1]),
      reg.interface,
      "AccessControlUnauthorizedAccount",
      [stranger.address, role],
    );
    await expectRevert(
      send(reg, admin, "anchor", [4, root("x"), 1]),
      reg.interface,
      "AccessControlUnauthorizedAccount",
      [admin.address, role],
    );
  });

  it("reverts for an unknown batch", async () => {
    await expectRevert(reg.getFunction("anchorOf")(99), reg.interface, "AnchorRegistryUnknownBatch", [99]);
  });

  it("verifies a leaf and its proof against a stored root with OpenZeppelin's MerkleProof", async () => {
    const leaves = Array.from({ length: 37 }, (_, i) => keccak256(toUtf8Bytes(`leaf-${i}`))).map((h) =>
      Uint8Array.from(Buffer.from(h.slice(2), "hex")),
    );
    const tree = buildTree(leaves);
    const id = Number(await reg.getFunction("lastBatchId")()) + 1;
    await send(reg, anchorer, "anchor", [id, toHex(tree.root), leaves.length]);
    for (const i of [0, 1, 17, 35, 36]) {
      const proof = proofFromFlat(tree.flat, leaves.length, i).map(toHex);
      expect(await reg.getFunction("verifyLeaf")(id, toHex(leaves[i]!), proof), `leaf ${i}`).to.equal(true);
      expect(await reg.getFunction("verifyLeaf")(id, toHex(leaves[(i + 1) % 37]!), proof), `wrong leaf ${i}`).to.equal(
        false,
      );
    }
    expect(await reg.getFunction("verifyLeaf")(999, toHex(leaves[0]!), [])).to.equal(false);
  });

  describe("pledge heads (DECISIONS 117)", () => {
    const key = (s: string) => keccak256(toUtf8Bytes(`/01/06901234567892/21/${s}`));
    const next = async () => Number(await reg.getFunction("lastBatchId")()) + 1;
    const heads = async (...keys: string[]) =>
      ((await reg.getFunction("pledgeHeadsOf")(keys)) as Array<{ seq: bigint; batchId: bigint; step: bigint }>).map(
        (h) => [Number(h.seq), Number(h.batchId), Number(h.step)],
      );

    it("anchors the batch and moves each part's head to its pledge step, emitting PledgeHeadMoved", async () => {
      expect(await heads(key("P1"), key("P2"))).to.deep.equal([
        [0, 0, 0],
        [0, 0, 0],
      ]);
      const id = await next();
      const receipt = await send(reg, anchorer, "anchorWithPledgeHeads", [
        id,
        root(`pledges-${id}`),
        10,
        [key("P1"), key("P2")],
        [101, 104],
        [5, 5],
      ]);
      const names = receipt.logs.map((l) => reg.interface.parseLog(l)?.name);
      expect(names).to.deep.equal(["BatchAnchored", "PledgeHeadMoved", "PledgeHeadMoved"]);
      expect((await reg.getFunction("anchorOf")(id)).root).to.equal(root(`pledges-${id}`));
      expect(await heads(key("P1"), key("P2"))).to.deep.equal([
        [101, id, 5],
        [104, id, 5],
      ]);
      // A later batch releases P1: its head moves, P2's stays.
      await send(reg, anchorer, "anchorWithPledgeHeads", [
        id + 1,
        root(`pledges-${id + 1}`),
        3,
        [key("P1")],
        [130],
        [6],
      ]);
      expect(await heads(key("P1"), key("P2"))).to.deep.equal([
        [130, id + 1, 6],
        [104, id, 5],
      ]);
    });

    it("a batch with the sealer's most pledge steps moves all their heads in one transaction, well within a block", async () => {
      const id = await next();
      const n = MAX_PLEDGE_STEPS_PER_BATCH;
      const keys = Array.from({ length: n }, (_, i) => key(`GAS-${i}`));
      const receipt = await send(reg, anchorer, "anchorWithPledgeHeads", [
        id,
        root(`gas-${id}`),
        n,
        keys,
        keys.map((_, i) => 1000 + i),
        keys.map(() => 5),
      ]);
      const gas = Number(receipt.gasUsed);
      console.log(`      anchorWithPledgeHeads with ${n} new heads: ${gas} gas (${Math.round(gas / n)} a head)`);
      expect(gas).to.be.below(15_000_000);
      expect((await heads(keys[n - 1]!))[0]).to.deep.equal([1000 + n - 1, id, 5]);
    });

    it("never moves a head back, never takes a physical step, and refuses arrays of different lengths", async () => {
      const id = await next();
      const args = (keys: string[], seqs: number[], steps: number[]) => [id, root(`bad-${id}`), 5, keys, seqs, steps];
      await expectRevert(
        send(reg, anchorer, "anchorWithPledgeHeads", args([key("P1")], [130], [5])),
        reg.interface,
        "AnchorRegistryStalePledgeHead",
        [key("P1"), 130, 130],
      );
      await expectRevert(
        send(reg, anchorer, "anchorWithPledgeHeads", args([key("P3")], [140], [4])),
        reg.interface,
        "AnchorRegistryNotPledgeStep",
        [key("P3"), 4],
      );
      await expectRevert(
        send(reg, anchorer, "anchorWithPledgeHeads", args([key("P3")], [140, 141], [5])),
        reg.interface,
        "AnchorRegistryPledgeHeadsMismatch",
        [1, 2, 1],
      );
      // A reverted call anchors nothing, and only the anchorer may call it.
      expect(Number(await reg.getFunction("lastBatchId")())).to.equal(id - 1);
      await expectRevert(
        send(reg, stranger, "anchorWithPledgeHeads", args([key("P3")], [140], [5])),
        reg.interface,
        "AccessControlUnauthorizedAccount",
        [stranger.address, await reg.getFunction("ANCHORER_ROLE")()],
      );
    });
  });
});
