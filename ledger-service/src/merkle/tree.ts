import { keccak256 } from "../events/keccak.js";

/**
 * Merkle trees the way OpenZeppelin's MerkleProof reads them: each parent is keccak256 of its two children in
 * sorted order (commutative), so a proof is just the list of siblings. A node without a sibling (the last one on
 * an odd level) moves up unchanged, so a proof for n leaves holds at most ⌈log2 n⌉ hashes.
 */

export type Hash = Uint8Array;

const scratch = new Uint8Array(64);

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** keccak256 of the two hashes in ascending order (OpenZeppelin's commutative keccak256). */
export function hashPair(a: Hash, b: Hash): Hash {
  if (compareBytes(a, b) <= 0) {
    scratch.set(a, 0);
    scratch.set(b, 32);
  } else {
    scratch.set(b, 0);
    scratch.set(a, 32);
  }
  return keccak256(scratch);
}

/** Sizes of each level, leaves first, root last. */
export function levelSizes(leafCount: number): number[] {
  if (leafCount < 1) throw new RangeError("a Merkle tree needs at least one leaf");
  const sizes = [leafCount];
  while (sizes[sizes.length - 1]! > 1) sizes.push(Math.ceil(sizes[sizes.length - 1]! / 2));
  return sizes;
}

/** Index (in nodes) where each level starts in the flat serialisation. */
export function levelOffsets(leafCount: number): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const size of levelSizes(leafCount)) {
    offsets.push(at);
    at += size;
  }
  return offsets;
}

/** Builds every level and returns them flattened (leaves, then each level up to the root): 32 bytes a node. */
export function buildTree(leaves: readonly Hash[]): { root: Hash; flat: Uint8Array } {
  const sizes = levelSizes(leaves.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const flat = new Uint8Array(total * 32);
  let level: Hash[] = leaves.slice();
  let at = 0;
  for (;;) {
    for (let i = 0; i < level.length; i++) flat.set(level[i]!, (at + i) * 32);
    at += level.length;
    if (level.length === 1) break;
    const next: Hash[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = hashPair(level[i]!, level[i + 1]!);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    level = next;
  }
  return { root: level[0]!, flat };
}

/** Node positions (in the flat serialisation) of the siblings that prove leaf `index`. */
export function proofPositions(leafCount: number, index: number): number[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafCount)
    throw new RangeError(`leaf index ${index} outside 0..${leafCount - 1}`);
  const sizes = levelSizes(leafCount);
  const offsets = levelOffsets(leafCount);
  const positions: number[] = [];
  let i = index;
  for (let l = 0; l < sizes.length - 1; l++) {
    const sibling = i ^ 1;
    if (sibling < sizes[l]!) positions.push(offsets[l]! + sibling);
    i >>= 1;
  }
  return positions;
}

/** The proof for leaf `index` read from a flat tree. */
export function proofFromFlat(flat: Uint8Array, leafCount: number, index: number): Hash[] {
  return proofPositions(leafCount, index).map((p) => flat.slice(p * 32, p * 32 + 32));
}

/** The root reached from `leaf` through `proof` (what MerkleProof.processProof computes). */
export function processProof(leaf: Hash, proof: readonly Hash[]): Hash {
  let h = leaf;
  for (const p of proof) h = hashPair(h, p);
  return h;
}

export function verifyProof(leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  return compareBytes(processProof(leaf, proof), root) === 0;
}

/** The root of `leaves` without keeping the levels. */
export function merkleRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length < 1) throw new RangeError("a Merkle tree needs at least one leaf");
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Hash[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
