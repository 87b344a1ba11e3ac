/**
 * An independent implementation of docs/verification.md, written from the document with ethers and
 * @openzeppelin/merkle-tree only — it imports nothing from ledger-service/. test/ledger/verification-spec.test.ts
 * checks the vectors with it and with our code, so the document, the vectors and the code cannot drift apart.
 */
import { standardLeafHash, standardNodeHash } from "@openzeppelin/merkle-tree/dist/hashes.js";
import { AbiCoder, TypedDataEncoder, concat, getBytes, keccak256, toUtf8Bytes, type TypedDataDomain } from "ethers";

const abi = AbiCoder.defaultAbiCoder();

export const ref = {
  partKey: (gtin: string, serial: string) => keccak256(toUtf8Bytes(`/01/${gtin}/21/${serial}`)),
  lotHash: (lot: string) => keccak256(toUtf8Bytes(lot)),
  place: (regionCode: string, locationId: string) => `${regionCode}:${locationId}`,
  placeHash: (regionCode: string, locationId: string) => keccak256(toUtf8Bytes(`${regionCode}:${locationId}`)),
  privateHash(fields: Record<string, string>, salt: string) {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(fields).sort()) sorted[k] = fields[k]!;
    return keccak256(concat([salt, keccak256(toUtf8Bytes(JSON.stringify(sorted)))]));
  },

  PART_EVENT_TYPES: {
    PartEvent: [
      { name: "version", type: "uint8" },
      { name: "partKey", type: "bytes32" },
      { name: "step", type: "uint8" },
      { name: "actor", type: "address" },
      { name: "eventTime", type: "uint64" },
      { name: "lotHash", type: "bytes32" },
      { name: "placeHash", type: "bytes32" },
      { name: "privateHash", type: "bytes32" },
      { name: "prevHash", type: "bytes32" },
    ],
  },
  structHash: (e: Record<string, unknown>) => TypedDataEncoder.hashStruct("PartEvent", ref.PART_EVENT_TYPES, e),
  encodeStruct: (e: Record<string, unknown>) => TypedDataEncoder.from(ref.PART_EVENT_TYPES).encodeData("PartEvent", e),

  SUBMISSION_TYPES: {
    EventSubmission: [
      { name: "actor", type: "address" },
      { name: "eventsRoot", type: "bytes32" },
      { name: "eventCount", type: "uint32" },
    ],
  },
  domain: (chainId: number): TypedDataDomain => ({ name: "PartLedger", version: "1", chainId }),
  submissionDigest: (chainId: number, s: { actor: string; eventsRoot: string; eventCount: number }) =>
    TypedDataEncoder.hash(ref.domain(chainId), ref.SUBMISSION_TYPES, s),

  leafV1: (structHash: string) => standardLeafHash(["uint8", "bytes32"], [1, structHash]),
  leafV2: (structHash: string, seq: number, batchId: number) =>
    standardLeafHash(["uint8", "bytes32", "uint64", "uint64"], [2, structHash, seq, batchId]),
  encodeLeafV2: (structHash: string, seq: number, batchId: number) =>
    abi.encode(["uint8", "bytes32", "uint64", "uint64"], [2, structHash, seq, batchId]),

  /** keccak256 of the two 32-byte nodes, smaller first (bytewise, as unsigned big-endian numbers). */
  hashPair(a: string, b: string) {
    const ours = BigInt(a) <= BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
    if (ours !== standardNodeHash(a, b)) throw new Error("hashPair disagrees with OpenZeppelin's standardNodeHash");
    return ours;
  },
  /** Every level, leaves first: pairs (0,1), (2,3) …; a last node without a partner moves up unchanged. */
  levels(leaves: string[]): string[][] {
    const levels = [leaves.map((l) => l.toLowerCase())];
    while (levels[levels.length - 1]!.length > 1) {
      const cur = levels[levels.length - 1]!;
      const next: string[] = [];
      for (let i = 0; i < cur.length; i += 2)
        next.push(i + 1 < cur.length ? ref.hashPair(cur[i]!, cur[i + 1]!) : cur[i]!);
      levels.push(next);
    }
    return levels;
  },
  root: (leaves: string[]) => ref.levels(leaves).at(-1)![0]!,
  /** Siblings of leaf `index`, bottom up; a level where the node has no sibling contributes nothing. */
  proof(leaves: string[], index: number): string[] {
    const out: string[] = [];
    const levels = ref.levels(leaves);
    for (let l = 0, i = index; l < levels.length - 1; l++, i >>= 1) {
      const sibling = i ^ 1;
      if (sibling < levels[l]!.length) out.push(levels[l]![sibling]!);
    }
    return out;
  },
  bytes: getBytes,

  BIZ_STEP: {
    1: "commissioning",
    2: "receiving",
    3: "installing",
    4: "shipping",
    16: "urn:partledger:bizstep:audit_checkpoint",
  } as Record<number, string>,
  DISPOSITION: {
    1: "active",
    2: "in_progress",
    3: "in_progress",
    4: "in_transit",
    16: "urn:partledger:disp:recorded",
  } as Record<number, string>,
  /** The EPCIS 2.0 ObjectEvent rendered from the signed ledger fields (docs/verification.md, "EPCIS rendering"). */
  epcisEvent(f: { gtin: string; serial: string; lot: string; step: number; eventTimeMs: number; place: string }) {
    return {
      type: "ObjectEvent",
      eventTime: new Date(f.eventTimeMs).toISOString(),
      eventTimeZoneOffset: "+08:00",
      epcList: [`https://id.gs1.org/01/${f.gtin}/21/${encodeURIComponent(f.serial)}`],
      action: f.step === 1 ? "ADD" : "OBSERVE",
      bizStep: ref.BIZ_STEP[f.step],
      disposition: ref.DISPOSITION[f.step],
      readPoint: { id: `urn:partledger:place:${f.place}` },
      ...(f.step === 1 ? { ilmd: { "cbvmda:lotNumber": f.lot } } : {}),
      "partledger:ledger": f,
    };
  },
};
