import { readFileSync } from "node:fs";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { processProof as ozProcessProof } from "@openzeppelin/merkle-tree/dist/core.js";
import { expect } from "chai";
import { SigningKey, TypedDataEncoder, keccak256, recoverAddress, toUtf8Bytes } from "ethers";
import { fromHex, toHex, type Hex } from "../../ledger-service/src/events/bytes.js";
import {
  PART_EVENT_TYPE,
  batchLeafOf,
  encodeStruct,
  leafOfStructHash,
  lotHashOf,
  partKeyOf,
  placeHashOf,
  privateHashOf,
  structHashOf,
  type CanonicalEvent,
} from "../../ledger-service/src/events/canonical.js";
import { toEpcis, type LedgerFields } from "../../ledger-service/src/events/epcis.js";
import { recoverSubmitter, submissionDigest } from "../../ledger-service/src/events/signing.js";
import { AUDIT_TRAIL_PART } from "../../ledger-service/src/lifecycle/transitions.js";
import { buildTree, merkleRoot, processProof, proofFromFlat } from "../../ledger-service/src/merkle/tree.js";
import { ref } from "../helpers/reference-hashing.js";

const V = JSON.parse(readFileSync(new URL("../fixtures/verification-vectors.json", import.meta.url), "utf8")) as any;
const DOC = readFileSync(new URL("../../docs/verification.md", import.meta.url), "utf8");
const bytes = (h: string) => fromHex(h);

describe("docs/verification.md: every vector, recomputed independently and by our code @smoke", () => {
  describe("identifiers and field encodings", () => {
    it("partKey", () => {
      const { gtin, serial, preimage, hash } = V.identifiers.partKey;
      expect(`/01/${gtin}/21/${serial}`).to.equal(preimage);
      expect(ref.partKey(gtin, serial)).to.equal(hash);
      expect(partKeyOf(gtin, serial)).to.equal(hash);
      const audit = V.identifiers.auditTrailPartKey;
      expect([audit.gtin, audit.serial]).to.deep.equal([AUDIT_TRAIL_PART.gtin, AUDIT_TRAIL_PART.serial]);
      expect(ref.partKey(audit.gtin, audit.serial)).to.equal(audit.hash);
      expect(partKeyOf(audit.gtin, audit.serial)).to.equal(audit.hash);
    });

    it("lotHash and placeHash (region:LOCATION)", () => {
      const { lot, hash } = V.identifiers.lotHash;
      expect(ref.lotHash(lot)).to.equal(hash);
      expect(lotHashOf(lot)).to.equal(hash);
      const p = V.identifiers.placeHash;
      expect(ref.place(p.regionCode, p.locationId)).to.equal(p.preimage);
      expect(ref.placeHash(p.regionCode, p.locationId)).to.equal(p.hash);
      expect(placeHashOf(p.preimage)).to.equal(p.hash);
      expect(placeHashOf(`${p.regionCode}|${p.locationId}`)).to.not.equal(p.hash);
    });

    it("privateHash", () => {
      const p = V.identifiers.privateHash;
      expect(JSON.stringify(p.fields)).to.equal(p.json);
      expect(keccak256(toUtf8Bytes(p.json))).to.equal(p.fieldsHash);
      expect(ref.privateHash(p.fields, p.salt)).to.equal(p.hash);
      expect(privateHashOf(p.fields, bytes(p.salt))).to.equal(p.hash);
    });
  });

  describe("event signatures (EIP-712)", () => {
    it("PartEvent: type string, type hash, 320-byte encoding and struct hash", () => {
      const pe = V.partEvent;
      expect(pe.typeString).to.equal(PART_EVENT_TYPE);
      expect(TypedDataEncoder.from(ref.PART_EVENT_TYPES).encodeType("PartEvent")).to.equal(pe.typeString);
      expect(keccak256(toUtf8Bytes(pe.typeString))).to.equal(pe.typeHash);
      expect(ref.encodeStruct(pe.event)).to.equal(pe.encoded);
      expect(toHex(encodeStruct(pe.event as CanonicalEvent))).to.equal(pe.encoded);
      expect(bytes(pe.encoded).length).to.equal(320);
      expect(ref.structHash(pe.event)).to.equal(pe.structHash);
      expect(toHex(structHashOf(pe.event as CanonicalEvent))).to.equal(pe.structHash);
      expect(keccak256(pe.encoded)).to.equal(pe.structHash);
    });

    it("EventSubmission: eventsRoot over the struct hashes, domain, digest, signature (eventCount is uint32)", () => {
      const s = V.submission;
      expect(
        s.structHashes.map((_: string, i: number) =>
          ref.structHash({
            ...V.partEvent.event,
            partKey: ref.partKey(V.identifiers.partKey.gtin, `7QK3M9XR2TB5VN8${"CDEFG"[i]}`),
          }),
        ),
      ).to.deep.equal(s.structHashes);
      expect(ref.root(s.structHashes)).to.equal(s.submission.eventsRoot);
      expect(toHex(merkleRoot(s.structHashes.map(bytes)))).to.equal(s.submission.eventsRoot);
      expect(TypedDataEncoder.hashDomain(ref.domain(s.chainId))).to.equal(s.domainSeparator);
      expect(keccak256(toUtf8Bytes(s.typeString))).to.equal(s.typeHash);
      expect(TypedDataEncoder.from(ref.SUBMISSION_TYPES).encodeType("EventSubmission")).to.equal(s.typeString);
      expect(TypedDataEncoder.hashStruct("EventSubmission", ref.SUBMISSION_TYPES, s.submission)).to.equal(s.structHash);
      // digest = keccak256(0x1901 ‖ domainSeparator ‖ structHash)
      expect(keccak256("0x1901" + s.domainSeparator.slice(2) + s.structHash.slice(2))).to.equal(s.digest);
      expect(ref.submissionDigest(s.chainId, s.submission)).to.equal(s.digest);
      expect(submissionDigest(s.chainId, s.submission)).to.equal(s.digest);
      expect(new SigningKey(s.privateKey).sign(s.digest).serialized).to.equal(s.signature);
      expect(recoverAddress(s.digest, s.signature)).to.equal(s.submission.actor);
      expect(recoverSubmitter(s.chainId, s.submission, s.signature)).to.equal(s.submission.actor);
      // eventCount as uint256 (a guess an outside verifier made) recovers someone else.
      const wrongTypes = {
        EventSubmission: [...ref.SUBMISSION_TYPES.EventSubmission.slice(0, 2), { name: "eventCount", type: "uint256" }],
      };
      expect(
        recoverAddress(TypedDataEncoder.hash(ref.domain(s.chainId), wrongTypes, s.submission), s.signature),
      ).to.not.equal(s.submission.actor);
    });
  });

  describe("leaves (v1 and v2)", () => {
    it("leaf v1", () => {
      const l = V.leafV1;
      expect(keccak256(keccak256(l.encoded))).to.equal(l.leaf);
      expect(ref.leafV1(l.structHash)).to.equal(l.leaf);
      expect(toHex(leafOfStructHash(bytes(l.structHash)))).to.equal(l.leaf);
      expect(toHex(batchLeafOf(1, bytes(l.structHash), 1, 1))).to.equal(l.leaf);
    });

    it("leaf v2", () => {
      const l = V.leafV2;
      expect(ref.encodeLeafV2(l.structHash, l.seq, l.batchId)).to.equal(l.encoded);
      expect(keccak256(keccak256(l.encoded))).to.equal(l.leaf);
      expect(ref.leafV2(l.structHash, l.seq, l.batchId)).to.equal(l.leaf);
      expect(toHex(batchLeafOf(2, bytes(l.structHash), l.seq, l.batchId))).to.equal(l.leaf);
    });
  });

  describe("batch trees and proofs", () => {
    const t = V.batchTree;
    it("the 5-leaf tree: leaves, every level and the root", () => {
      const leaves = V.submission.structHashes.map((h: string, i: number) => ref.leafV2(h, t.firstSeq + i, t.batchId));
      expect(leaves).to.deep.equal(t.leaves);
      expect(ref.levels(t.leaves)).to.deep.equal(t.levels);
      expect(t.levels.map((l: string[]) => l.length)).to.deep.equal([5, 3, 2, 1]);
      expect(t.levels[1][2]).to.equal(t.leaves[4]); // the odd node moves up unchanged
      const ours = V.submission.structHashes.map((h: string, i: number) =>
        batchLeafOf(2, bytes(h), t.firstSeq + i, t.batchId),
      );
      expect(toHex(buildTree(ours).root)).to.equal(t.root);
      expect(toHex(merkleRoot(ours))).to.equal(t.root);
    });

    it("proofs: siblings bottom up, a level without a sibling contributes nothing", () => {
      const ours = t.leaves.map(bytes);
      const flat = buildTree(ours).flat;
      for (const p of t.proofs) {
        expect(ref.proof(t.leaves, p.leafIndex)).to.deep.equal(p.proof);
        expect(proofFromFlat(flat, 5, p.leafIndex).map(toHex)).to.deep.equal(p.proof);
        expect(ozProcessProof(t.leaves[p.leafIndex], p.proof)).to.equal(t.root);
        expect(toHex(processProof(ours[p.leafIndex]!, p.proof.map(bytes)))).to.equal(t.root);
      }
    });

    it("OpenZeppelin's StandardMerkleTree.of() builds a different root over the same leaves", () => {
      const oz = StandardMerkleTree.of(
        V.submission.structHashes.map((h: string, i: number) => [2, h, t.firstSeq + i, t.batchId]),
        ["uint8", "bytes32", "uint64", "uint64"],
        { sortLeaves: false },
      );
      expect(oz.root).to.equal(t.openZeppelinStandardMerkleTreeRoot);
      expect(oz.root).to.not.equal(t.root);
      // Same leaf hashes — only the shape differs.
      expect([...oz.entries()].map(([i]) => oz.leafHash(oz.at(i)!))).to.deep.equal(t.leaves);
    });
  });

  it("EPCIS rendering", () => {
    const { fields, event } = V.epcis;
    expect(ref.epcisEvent(fields)).to.deep.equal(event);
    expect(toEpcis(fields as LedgerFields)).to.deep.equal(event);
  });

  it("the document shows every vector value it explains (so document and vectors cannot drift)", () => {
    const shown: Hex[] = [
      V.identifiers.partKey.hash,
      V.identifiers.lotHash.hash,
      V.identifiers.placeHash.hash,
      V.identifiers.privateHash.hash,
      V.partEvent.typeHash,
      V.partEvent.structHash,
      V.submission.domainSeparator,
      V.submission.typeHash,
      V.submission.submission.eventsRoot,
      V.submission.structHash,
      V.submission.digest,
      V.leafV1.leaf,
      V.leafV2.leaf,
      V.batchTree.root,
      V.batchTree.openZeppelinStandardMerkleTreeRoot,
      ...V.batchTree.proofs[2].proof,
    ];
    for (const h of shown) expect(DOC, h).to.contain(h);
    expect(DOC).to.contain(V.partEvent.typeString);
    expect(DOC).to.contain(V.submission.typeString);
  });
});
