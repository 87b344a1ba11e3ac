import sha3 from "js-sha3";

/**
 * keccak256 of `data`. js-sha3 rather than @noble/hashes: on this project's 2-core machines it hashes the ledger's
 * 64- and 320-byte inputs ~1.4–2× faster, and hashing dominates sealing and auditing (DECISIONS.md).
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return new Uint8Array(sha3.keccak256.arrayBuffer(data));
}
