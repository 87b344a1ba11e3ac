import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { keccak256 as ethersKeccak } from "ethers";
import { MerkleTree } from "merkletreejs";
import { toHex } from "../../ledger-service/src/events/bytes.js";
import { buildTree, merkleRoot, proofFromFlat, verifyProof } from "../../ledger-service/src/merkle/tree.js";
import { deploy, send, wallets } from "../helpers/contracts.js";

/** A small seeded PRNG (mulberry32) so that a failing size replays from the printed seed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keccakBuf = (data: Buffer) => Buffer.from(ethersKeccak(data).slice(2), "hex");

describe("Merkle trees and proofs", () => {
  const seed = Number(process.env.MERKLE_SEED ?? Date.now() % 1_000_000);
  const random = rng(seed);
  before(() => console.log(`      (seed ${seed}; replay with MERKLE_SEED=${seed})`));

  const sizes = [
    ...Array.from({ length: 300 }, (_, i) => i + 1),
    511,
    512,
    513,
    1023,
    1024,
    1025,
    ...Array.from({ length: 8 }, () => 1 + Math.floor(random() * 4000)),
  ];

  it("agrees with merkletreejs (sorted pairs) on the root for every size from 1 to 300 and random sizes up to 4,000", () => {
    for (const n of sizes) {
      const leaves = Array.from({ length: n }, () => randomBytes(32));
      const ours = toHex(merkleRoot(leaves));
      const reference = "0x" + new MerkleTree(leaves, keccakBuf, { sortPairs: true }).getRoot().toString("hex");
      expect(ours, `n=${n} seed=${seed}`).to.equal(reference);
      expect(toHex(buildTree(leaves).root), `n=${n}`).to.equal(ours);
    }
  });

  it("builds every tree size from 1 to 2,048 and proves its first, last and random leaves", function () {
    // 2.1 million hashes, CPU-bound: 24-40 s on a shared 2-core machine. A correctness check, not a timing one.
    this.timeout(900_000);
    const pool = new Uint8Array(randomBytes(32 * 2048));
    for (let n = 1; n <= 2048; n++) {
      const leaves = Array.from({ length: n }, (_, i) =>
        pool.subarray(((i + n) % 2048) * 32, ((i + n) % 2048) * 32 + 32),
      );
      const { root, flat } = buildTree(leaves);
      for (const i of new Set([0, n - 1, Math.floor(random() * n)])) {
        const proof = proofFromFlat(flat, n, i);
        expect(proof.length, `n=${n} i=${i}`).to.be.at.most(Math.ceil(Math.log2(n)));
        expect(verifyProof(leaves[i]!, proof, root), `n=${n} i=${i} seed=${seed}`).to.equal(true);
      }
    }
  });

  it("proves every leaf with at most ⌈log2 n⌉ hashes, and rejects a wrong leaf", () => {
    for (const n of sizes) {
      const leaves = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
      const { root, flat } = buildTree(leaves);
      const indices = n <= 300 ? leaves.map((_, i) => i) : Array.from({ length: 50 }, () => Math.floor(random() * n));
      for (const i of indices) {
        const proof = proofFromFlat(flat, n, i);
        expect(proof.length, `n=${n} i=${i}`).to.be.at.most(Math.ceil(Math.log2(n)));
        expect(verifyProof(leaves[i]!, proof, root), `n=${n} i=${i} seed=${seed}`).to.equal(true);
        if (n > 1) expect(verifyProof(leaves[(i + 1) % n]!, proof, root)).to.equal(false);
      }
    }
  });

  it("hands out proofs that OpenZeppelin's MerkleProof accepts on chain", async () => {
    const { provider, accounts } = wallets();
    const [admin] = accounts as [(typeof accounts)[0]];
    const reg = await deploy("AnchorRegistry", admin);
    await send(reg, admin, "grantRole", [await reg.getFunction("ANCHORER_ROLE")(), admin.address]);
    let id = 0;
    for (const n of [1, 2, 3, 7, 64, 1000, 2999]) {
      const leaves = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
      const { root, flat } = buildTree(leaves);
      await send(reg, admin, "anchor", [++id, toHex(root), n]);
      for (const i of [0, n - 1, Math.floor(random() * n)]) {
        expect(
          await reg.getFunction("verifyLeaf")(id, toHex(leaves[i]!), proofFromFlat(flat, n, i).map(toHex)),
          `n=${n} i=${i}`,
        ).to.equal(true);
      }
    }
    provider.destroy();
  });
});
