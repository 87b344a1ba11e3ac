import { SigningKey, TypedDataEncoder, computeAddress, recoverAddress, type TypedDataDomain } from "ethers";
import type { Hex } from "./bytes.js";

/**
 * Companies sign submissions, not single events: an EIP-712 `EventSubmission` commits to the Merkle root of the
 * struct hashes of every event in one request (a carton of 1,000 receipts is one signature). Each event is still
 * covered by the company's signature through its inclusion proof in that root (DECISIONS.md, "Signed submissions").
 */
export const SUBMISSION_TYPES = {
  EventSubmission: [
    { name: "actor", type: "address" },
    { name: "eventsRoot", type: "bytes32" },
    { name: "eventCount", type: "uint32" },
  ],
};

export interface Submission {
  actor: Hex;
  eventsRoot: Hex;
  eventCount: number;
}

export function ledgerDomain(chainId: number | bigint): TypedDataDomain {
  return { name: "PartLedger", version: "1", chainId };
}

/** The EIP-712 digest a company signs for `s`. */
export function submissionDigest(chainId: number | bigint, s: Submission): Hex {
  return TypedDataEncoder.hash(ledgerDomain(chainId), SUBMISSION_TYPES, s) as Hex;
}

/** Signs a digest: a platform-kept key, or a company's own signer behind the same interface. */
export interface DigestSigner {
  readonly address: Hex;
  signDigest(digest: Hex): Promise<Hex>;
}

export function keySigner(privateKey: string): DigestSigner {
  const key = new SigningKey(privateKey);
  const address = computeAddress(key.publicKey) as Hex;
  return { address, signDigest: async (digest) => key.sign(digest).serialized as Hex };
}

/** The address that signed `s`, or null when the signature is malformed. */
export function recoverSubmitter(chainId: number | bigint, s: Submission, signature: string): Hex | null {
  try {
    return recoverAddress(submissionDigest(chainId, s), signature) as Hex;
  } catch {
    return null;
  }
}
