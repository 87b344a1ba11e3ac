import type { JsonRpcProvider } from "ethers";
import { toHex, type Hex } from "../events/bytes.js";
import { batchLeafOf, structHashOf } from "../events/canonical.js";
import { canonicalOf, epcisMismatch } from "../events/epcis.js";
import { epcisDocumentMismatch } from "../events/epcis-document.js";
import { shipToHashOf } from "../events/ship-to.js";
import { recoverSubmitter } from "../events/signing.js";
import { Stage, isLegalTransition } from "../lifecycle/transitions.js";
import { merkleRoot, processProof } from "../merkle/tree.js";
import { BUNDLE_FORMAT, type Bundle, type BundleEvent } from "../proofs/bundle.js";
import { readChainFacts, roleKey, type ChainFacts } from "./chain-facts.js";

export interface AuditFailure {
  seq: number | null;
  batchId: number | null;
  reason: string;
}

export interface AuditReport {
  ok: boolean;
  eventsChecked: number;
  parts: number;
  batches: number;
  lines: string[];
  failure: AuditFailure | null;
}

const ZERO = "0x" + "00".repeat(32);
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

class Failed extends Error {
  constructor(readonly failure: AuditFailure) {
    super(failure.reason);
  }
}

function fail(e: BundleEvent | null, reason: string, batchId?: number | null): never {
  throw new Failed({ seq: e?.seq ?? null, batchId: batchId ?? e?.batchId ?? null, reason });
}

/** Checks a bundle against the chain alone: reads the chain facts, then runs every check offline. */
export async function verifyBundle(bundle: Bundle, provider: JsonRpcProvider): Promise<AuditReport> {
  if (bundle?.format !== BUNDLE_FORMAT) {
    return { ok: false, eventsChecked: 0, parts: 0, batches: 0, lines: [], failure: { seq: null, batchId: null, reason: `not a ${BUNDLE_FORMAT} bundle` } };
  }
  const partKeys = [...new Set(bundle.events.map((e) => canonicalOf(e.event["partledger:ledger"]).partKey))];
  const facts = await readChainFacts(provider, bundle, partKeys);
  return checkBundle(bundle, facts);
}

/**
 * Every check of a bundle given the chain's facts: each event's EPCIS fields agree with its signed fields; its
 * leaf is in a batch whose root the chain holds; its submission is signed by the company it names, which holds
 * the role for the step on chain; each part's events form an unbroken hash chain through legal stages. Stops at
 * the first failing event and names it.
 */
export function checkBundle(bundle: Bundle, facts: ChainFacts): AuditReport {
  const lines: string[] = [];
  const partScope = bundle.events.some((e) => e.proof !== undefined);
  const heads = new Map<string, { hash: Hex; stage: Stage; holder: string; shipTo: string }>();
  let checked = 0;
  try {
    if (facts.chainId !== bundle.chain.chainId) fail(null, `bundle is for chain ${bundle.chain.chainId}, the RPC endpoint serves chain ${facts.chainId}`);
    const bundleBatches = new Map(bundle.batches.map((b) => [b.id, b]));
    for (const b of bundle.batches) {
      const anchored = facts.anchors.get(b.id);
      if (!anchored) fail(null, `batch ${b.id} is not anchored on chain ${facts.chainId}`, b.id);
      if (!eq(anchored.root, b.root)) fail(null, `wrong root for batch ${b.id}: bundle says ${b.root}, chain holds ${anchored.root}`, b.id);
    }
    const subs = new Map(bundle.submissions.map((s) => [s.id, s]));
    const signerOk = new Map<number, string | null>();
    const batchLeaves = new Map<number, { next: number; leaves: Uint8Array[] }>();
    const subHashes = new Map<number, Uint8Array[]>();
    let lastSeq = 0;

    for (const e of bundle.events) {
      const f = e.event?.["partledger:ledger"];
      if (!f) fail(e, "event has no partledger:ledger fields");
      if (e.seq <= lastSeq) fail(e, `event ${e.seq} is out of order (after ${lastSeq})`);
      lastSeq = e.seq;
      const mismatch = epcisMismatch(e.event);
      if (mismatch) fail(e, `event ${e.seq} was altered: ${mismatch}`);
      const { canonical, structHash } = encode(e);

      // In an anchored batch?
      if (e.batchId === null || e.leafIndex === null) fail(e, `event ${e.seq} is not anchored yet (anchoring pending)`);
      const anchored = facts.anchors.get(e.batchId);
      if (!anchored) fail(e, `event ${e.seq}: batch ${e.batchId} is not anchored on chain`);
      if (!bundleBatches.has(e.batchId)) fail(e, `event ${e.seq}: batch ${e.batchId} is missing from the bundle`);
      const leaf = leafOf(e, bundleBatches.get(e.batchId)!.leafVersion, structHash);
      if (e.proof) {
        if (!eq(toHex(processProof(leaf, e.proof.map(hexBytes))), anchored.root)) {
          fail(e, `event ${e.seq} does not verify against batch ${e.batchId}'s anchored root ${anchored.root}: it was changed or its proof is wrong`);
        }
      } else {
        const acc = batchLeaves.get(e.batchId) ?? { next: 0, leaves: [] };
        if (e.leafIndex !== acc.next) fail(e, `batch ${e.batchId}: expected leaf ${acc.next} next, found event ${e.seq} at leaf ${e.leafIndex} (events removed or reordered)`);
        acc.next++;
        acc.leaves.push(leaf);
        batchLeaves.set(e.batchId, acc);
      }

      // Signed by the company it names?
      const sub = subs.get(e.submissionId);
      if (!sub) fail(e, `event ${e.seq}: submission ${e.submissionId} is missing from the bundle`);
      if (!eq(sub.actor, f.actor)) fail(e, `event ${e.seq} names actor ${f.actor} but its submission was made by ${sub.actor}`);
      if (!signerOk.has(sub.id)) signerOk.set(sub.id, recoverSubmitter(bundle.chain.chainId, { actor: sub.actor, eventsRoot: sub.eventsRoot, eventCount: sub.eventCount }, sub.signature));
      const signer = signerOk.get(sub.id);
      if (!signer || !eq(signer, sub.actor)) fail(e, `event ${e.seq}: forged signature — submission ${sub.id} recovers to ${signer ?? "nothing"}, not ${sub.actor}`);
      if (e.submissionProof) {
        if (!eq(toHex(processProof(structHash, e.submissionProof.map(hexBytes))), sub.eventsRoot)) fail(e, `event ${e.seq} is not among the events ${sub.actor} signed in submission ${sub.id}`);
      } else {
        const list = subHashes.get(sub.id) ?? [];
        if (e.submissionIndex !== list.length) fail(e, `submission ${sub.id}: event ${e.seq} sits at index ${e.submissionIndex}, expected ${list.length}`);
        list.push(structHash);
        subHashes.set(sub.id, list);
      }
      if (!facts.mayAct.get(roleKey(f.actor, f.step))) fail(e, `event ${e.seq}: ${f.actor} holds no role on chain for ${Stage[f.step]}`);

      // Hash chain and stage order of the part.
      const head = heads.get(canonical.partKey);
      if (head || partScope) {
        const prev = head?.hash ?? ZERO;
        if (!eq(f.prevHash, prev)) fail(e, `event ${e.seq} breaks ${f.gtin}/${f.serial}'s hash chain: it points back to ${f.prevHash}, the previous event is ${prev}`);
        const from = head?.stage ?? Stage.None;
        if (!isLegalTransition(from, f.step)) fail(e, `event ${e.seq}: ${f.gtin}/${f.serial} cannot move from ${Stage[from]} to ${Stage[f.step]}`);
        if (head && f.step === Stage.Received && eq(head.holder, f.actor) && head.stage !== Stage.Shipped) fail(e, `event ${e.seq}: ${f.actor} already holds ${f.gtin}/${f.serial}`);
        // Custody passes only through a shipment that names the receiver (its signed privateHash).
        if (head && f.step === Stage.Received && head.stage === Stage.Shipped && !eq(head.shipTo, shipToHashOf(f.actor))) {
          fail(e, `event ${e.seq}: ${f.actor} receives ${f.gtin}/${f.serial}, which was shipped to another company`);
        }
        if (head && f.step === Stage.Received && head.stage !== Stage.Shipped && !eq(head.holder, f.actor)) {
          fail(e, `event ${e.seq}: ${f.actor} receives ${f.gtin}/${f.serial} from ${head.holder} without a shipment to it`);
        }
        if (head && f.step === Stage.Shipped && !eq(head.holder, f.actor)) fail(e, `event ${e.seq}: ${f.actor} ships ${f.gtin}/${f.serial}, which ${head.holder} holds`);
        if (head && f.step === Stage.Installed && !eq(head.holder, f.actor)) fail(e, `event ${e.seq}: ${f.actor} installs ${f.gtin}/${f.serial}, which ${head.holder} received`);
      }
      heads.set(canonical.partKey, { hash: toHex(structHash), stage: f.step, holder: f.actor, shipTo: f.privateHash });
      checked++;
      if (partScope) {
        const b = bundleBatches.get(e.batchId)!;
        lines.push(`  ✔ #${e.seq} ${e.event.bizStep.padEnd(13)} ${e.event.eventTime}  by ${f.actor}  batch ${e.batchId}${b.txHash ? ` (tx ${b.txHash.slice(0, 12)}…)` : ""}`);
      }
    }

    for (const [id, acc] of batchLeaves) {
      const anchored = facts.anchors.get(id)!;
      if (acc.leaves.length !== anchored.eventCount) fail(null, `batch ${id}: bundle holds ${acc.leaves.length} events, chain anchored ${anchored.eventCount} (events removed)`, id);
      if (!eq(toHex(merkleRoot(acc.leaves)), anchored.root)) {
        const first = bundle.events.find((e) => e.batchId === id) ?? null;
        fail(first, `batch ${id}: recomputed root ${toHex(merkleRoot(acc.leaves))} differs from the anchored root ${anchored.root} (an event was changed)`, id);
      }
    }
    for (const [id, hashes] of subHashes) {
      const sub = subs.get(id)!;
      if (hashes.length !== sub.eventCount || !eq(toHex(merkleRoot(hashes)), sub.eventsRoot)) {
        fail(null, `submission ${id}: its events do not rebuild the root ${sub.actor} signed`);
      }
    }
    for (const [key, head] of heads) {
      const onChain = facts.stages.get(key) ?? 0;
      if (onChain !== Stage.None && onChain !== head.stage) fail(null, `part ${key}: PartRegistry says ${Stage[onChain]}, the bundle ends at ${Stage[head.stage]} (events missing)`);
    }
    // Last, so that a changed event fails the check that names what changed; this catches the document alone.
    const docMismatch = epcisDocumentMismatch(bundle.epcisDocument, bundle.events);
    if (docMismatch) fail(docMismatch.at === null ? null : bundle.events[docMismatch.at]!, docMismatch.reason);
  } catch (e) {
    if (e instanceof Failed) return { ok: false, eventsChecked: checked, parts: heads.size, batches: bundle.batches.length, lines, failure: e.failure };
    throw e;
  }
  return { ok: true, eventsChecked: checked, parts: heads.size, batches: bundle.batches.length, lines, failure: null };
}

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), "hex"));
}

function leafOf(e: BundleEvent, leafVersion: number | undefined, structHash: Uint8Array): Uint8Array {
  try {
    return batchLeafOf(leafVersion, structHash, e.seq, e.batchId!);
  } catch (err) {
    return fail(e, `event ${e.seq}, batch ${e.batchId}: ${(err as Error).message}`);
  }
}

function encode(e: BundleEvent) {
  try {
    const canonical = canonicalOf(e.event["partledger:ledger"]);
    return { canonical, structHash: structHashOf(canonical) };
  } catch (err) {
    return fail(e, `event ${e.seq} cannot be encoded: ${(err as Error).message}`);
  }
}
