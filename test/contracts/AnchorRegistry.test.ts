import { expect } from "chai";
import { keccak256, toUtf8Bytes, type Contract, type JsonRpcProvider, type Wallet } from "ethers";
import { buildTree, proofFromFlat } from "../../ledger-service/src/merkle/tree.js";
import { toHex } from "../../ledger-service/src/events/bytes.js";
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
});
