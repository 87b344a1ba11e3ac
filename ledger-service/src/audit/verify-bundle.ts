import type { JsonRpcProvider } from "ethers";
import { hexPrefixBytes, toHex, type Hex } from "../events/bytes.js";
import { ENCODING_VERSION, batchLeafOf, structHashOf } from "../events/canonical.js";
import { canonicalOf } from "../events/epcis.js";
import { epcisDocumentMismatch } from "../events/epcis-document.js";
import { shipToHashOf } from "../events/ship-to.js";
import { recoverSubmitter } from "../events/signing.js";
import { Stage, isLegalTransition, isPledgeStep } from "../lifecycle/transitions.js";
import { merkleRoot, processProof } from "../merkle/tree.js";
import { BUNDLE_FORMAT, type Bundle, type BundleActor, type BundleEvent } from "../proofs/bundle-format.js";
import { bundleShapeError } from "./bundle-schema.js";
import { readChainFacts, roleKey, type ChainFacts } from "./chain-facts.js";
import { describeDifference, firstDifference, rerender } from "./rerender.js";
import type { TrustAnchor } from "./trust.js";
import { chainMismatch, pinMismatch } from "./trust-checks.js";
import { StepRecorder, type StepListener } from "./verify-steps.js";
import { labelEvidence, type LabelEvidence } from "./label-check.js";

export interface AuditFailure {
  seq: number | null;
  batchId: number | null;
  reason: string;
  /** The check that failed: its stable name in docs/verification.md ("Checks the auditor performs"). */
  check?: string;
  /** The part the failing event (or part-level check) is about. */
  part?: { gtin: string; serial: string } | null;
  /** The failing event's business step (EPCIS bizStep). */
  step?: string | null;
}

export interface AuditReport {
  ok: boolean;
  eventsChecked: number;
  parts: number;
  batches: number;
  lines: string[];
  failure: AuditFailure | null;
}

/** A bundle's audit: besides the verdict, what the auditor saw on chain and what it took on the platform's word. */
export interface BundleAuditReport extends AuditReport {
  trust: TrustAnchor | null;
  /** Each batch's anchoring transaction as the chain shows it. */
  anchoring: Array<{ batchId: number; txHash: Hex; blockNumber: number; confirmations: number }>;
  /** Companies as the platform registered them: attested by the platform, not proven by the chain. */
  actors: BundleActor[];
  /** Parts whose latest event the bundle claims to hold (their PartRegistry stage was compared), and the others. */
  partsComplete: number;
  partsPartial: number;
  /** Checks not made, and why (e.g. no PartRegistry pinned). Empty when every check ran. */
  unchecked: string[];
}

const ZERO = "0x" + "00".repeat(32);
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

class Failed extends Error {
  constructor(readonly failure: AuditFailure) {
    super(failure.reason);
  }
}

/** A failure at event `e` (or at the bundle level when null), naming the event, its part and step, and the check. */
function failureAt(
  e: BundleEvent | null | undefined,
  check: string,
  reason: string,
  batchId?: number | null,
): AuditFailure {
  const f = e?.event?.["partledger:ledger"];
  return {
    check,
    seq: e?.seq ?? null,
    batchId: batchId ?? e?.batchId ?? null,
    reason,
    part: f ? { gtin: String(f.gtin), serial: String(f.serial) } : null,
    step: e ? (typeof e.event?.bizStep === "string" ? e.event.bizStep : (Stage[f?.step as Stage] ?? null)) : null,
  };
}

/** Stops the audit at `e`, naming the check that failed. */
function fail(e: BundleEvent | null | undefined, check: string, reason: string, batchId?: number | null): never {
  throw new Failed(failureAt(e, check, reason, batchId));
}

/** Where a failure is, in words: `event 12 (06901234567892/ABC, receiving) in batch 3`, never `event ?`. */
export function whereOf(f: AuditFailure): string {
  const part = f.part ? `${f.part.gtin}/${f.part.serial}` : null;
  if (f.seq !== null) {
    const what = [part, f.step].filter(Boolean).join(", ");
    return `event ${f.seq}${what ? ` (${what})` : ""}${f.batchId !== null ? ` in batch ${f.batchId}` : ""}`;
  }
  if (part) return `part ${part}`;
  if (f.batchId !== null) return `batch ${f.batchId}`;
  return "the bundle itself";
}

/**
 * Checks a bundle against the chain alone, trusting only `trust` (the pinned trust anchor, never the bundle's own
 * addresses): checks the bundle's shape, reads the chain facts from the pinned contracts, then runs every check
 * offline.
 */
export async function verifyBundle(
  bundle: Bundle,
  provider: JsonRpcProvider,
  trust: TrustAnchor,
  onStep?: StepListener,
  /** The part link the auditor pasted: its label signature (`s=`) is checked against the bundle's label key. */
  link?: string,
): Promise<BundleAuditReport> {
  const steps = onStep ? new StepRecorder(onStep) : undefined;
  const early = (check: string, reason: string, e?: BundleEvent): BundleAuditReport => {
    const r = earlyReport(check, reason, e);
    steps?.finish(r.failure);
    return r;
  };
  const earlyReport = (check: string, reason: string, e?: BundleEvent): BundleAuditReport => ({
    ok: false,
    eventsChecked: 0,
    parts: 0,
    batches: 0,
    lines: [],
    failure: failureAt(e, check, reason),
    trust,
    anchoring: [],
    actors: [],
    partsComplete: 0,
    partsPartial: 0,
    unchecked: [],
  });
  if ((bundle as { format?: unknown })?.format !== BUNDLE_FORMAT) {
    return early(
      "bundle.format",
      `not a ${BUNDLE_FORMAT} bundle (format is ${JSON.stringify((bundle as { format?: unknown })?.format ?? null)})`,
    );
  }
  const shape = bundleShapeError(bundle);
  if (shape) {
    const m = /^\/events\/(\d+)(\/.*)?$/.exec(shape.pointer);
    const e = m ? bundle.events[Number(m[1])] : undefined;
    return early("bundle.schema", `${shape.pointer} ${shape.message} (docs/bundle.schema.json)`, e);
  }
  steps?.ok("bundle.format", null, BUNDLE_FORMAT);
  steps?.ok("bundle.schema", null, `${bundle.events.length} events, ${bundle.batches.length} batches`);
  const pinned = pinMismatch(bundle, trust);
  steps?.pin(bundle, trust, pinned);
  if (pinned) return early(pinned.check, pinned.reason);
  const partKeys = [...new Set(bundle.events.map((e) => canonicalOf(e.event["partledger:ledger"]).partKey))];
  steps?.running("chain.read", null, `asking the RPC endpoint about ${bundle.batches.length} batches`);
  let facts: ChainFacts;
  try {
    facts = await readChainFacts(provider, bundle, partKeys, trust);
  } catch (err) {
    steps?.failed("chain.read", null, `cannot read the chain: ${(err as Error).message}`);
    throw err;
  }
  steps?.ok("chain.read", null, `chain ${facts.chainId}, head block ${facts.head}`);
  return checkBundle(bundle, facts, steps, await labelEvidence(link, bundle.labelKey));
}

/** Where a part stands after the bundle's events so far: its last struct hash, stage, holder and shipment's receiver. */
interface PartHead {
  hash: Hex;
  stage: Stage;
  holder: string;
  /** The last event's privateHash: for a shipment, the hash of the company it was shipped to. */
  shipTo: string;
  /** Pledged or Released when the last event is a pledge or a release (the part has not moved since), else 0. */
  pledge: Stage | 0;
  /** While pledged: the lender the pledge names (shipToHashOf its address). */
  pledgee: string | null;
  last: BundleEvent;
}

/**
 * Every check of a bundle given the chain's facts: each event equals the rendering of its signed fields; its leaf
 * is in a batch whose root the pinned AnchorRegistry holds and whose cited transaction anchored it; its submission is
 * signed by the company it names, which holds the role for the step on chain; each part's events form an unbroken
 * hash chain through legal stages; where the bundle claims a part's latest event, PartRegistry agrees. Stops at the
 * first failing check and names it and its event.
 */
export function checkBundle(
  bundle: Bundle,
  facts: ChainFacts,
  steps?: StepRecorder,
  label?: LabelEvidence | null,
): BundleAuditReport {
  const lines: string[] = [];
  const partScope = bundle.scope?.kind === "part";
  const heads = new Map<string, PartHead>();
  const anchoring: BundleAuditReport["anchoring"] = [];
  const unchecked: string[] = [];
  const rolesPinned = Boolean(facts.trust.partRegistry);
  if (!rolesPinned) unchecked.push("companies' roles and PartRegistry stages (no PartRegistry pinned)");
  let checked = 0;
  let partsComplete = 0;
  const report = (failure: AuditFailure | null): BundleAuditReport => ({
    ok: failure === null,
    eventsChecked: checked,
    parts: heads.size,
    batches: bundle.batches.length,
    lines,
    failure,
    trust: facts.trust,
    anchoring,
    actors: bundle.actors ?? [],
    partsComplete,
    partsPartial: (bundle.parts?.length ?? 0) - partsComplete,
    unchecked,
  });
  try {
    const chainBad = chainMismatch(facts);
    steps?.chain(facts, chainBad);
    if (chainBad) fail(null, chainBad.check, chainBad.reason);
    const firstOfBatch = new Map<number, BundleEvent>();
    for (const e of bundle.events)
      if (e.batchId !== null && !firstOfBatch.has(e.batchId)) firstOfBatch.set(e.batchId, e);
    const bundleBatches = new Map(bundle.batches.map((b) => [b.id, b]));
    for (const b of bundle.batches) {
      const at = firstOfBatch.get(b.id) ?? null;
      const anchored = facts.anchors.get(b.id);
      if (!anchored)
        fail(
          at,
          "batch.anchored",
          `batch ${b.id} is not anchored in the pinned AnchorRegistry on chain ${facts.chainId}`,
          b.id,
        );
      if (!eq(anchored.root, b.root))
        fail(
          at,
          "batch.root",
          `wrong root for batch ${b.id}: bundle says ${b.root}, chain holds ${anchored.root}`,
          b.id,
        );
      if (!b.txHash) fail(at, "batch.transaction", `batch ${b.id} cites no anchoring transaction`, b.id);
      const tx = facts.receipts.get(b.id);
      if (!tx?.found)
        fail(
          at,
          "batch.transaction",
          `batch ${b.id} cites transaction ${b.txHash}, which chain ${facts.chainId} does not have`,
          b.id,
        );
      if (!tx.succeeded) fail(at, "batch.transaction", `batch ${b.id}'s transaction ${b.txHash} reverted`, b.id);
      const log = tx.anchored.find((l) => l.batchId === b.id);
      if (!log)
        fail(
          at,
          "batch.transaction",
          `transaction ${b.txHash} emitted no BatchAnchored for batch ${b.id} from the pinned AnchorRegistry ` +
            `${facts.trust.anchorRegistry}`,
          b.id,
        );
      if (!eq(log.root, b.root) || log.eventCount !== anchored.eventCount) {
        fail(
          at,
          "batch.transaction",
          `transaction ${b.txHash} anchored batch ${b.id} with root ${log.root} (${log.eventCount} events), not ` +
            `${b.root}`,
          b.id,
        );
      }
      if (b.blockNumber !== null && b.blockNumber !== tx.blockNumber) {
        fail(
          at,
          "batch.transaction",
          `batch ${b.id}: the bundle says block ${b.blockNumber}, its transaction is in block ${tx.blockNumber}`,
          b.id,
        );
      }
      anchoring.push({
        batchId: b.id,
        txHash: b.txHash,
        blockNumber: tx.blockNumber,
        confirmations: Math.max(0, facts.head - tx.blockNumber + 1),
      });
      if (steps) {
        const at = { batchId: b.id };
        steps.ok("batch.anchored", at, `batch ${b.id} is anchored in the pinned AnchorRegistry`);
        steps.ok("batch.root", at, `the chain holds root ${anchored.root}`);
        steps.ok(
          "batch.transaction",
          at,
          `tx ${b.txHash} in block ${tx.blockNumber}, ${Math.max(0, facts.head - tx.blockNumber + 1)} confirmations`,
        );
      }
    }
    const subs = new Map(bundle.submissions.map((s) => [s.id, s]));
    const signerOk = new Map<number, string | null>();
    const batchLeaves = new Map<number, { next: number; leaves: Uint8Array[] }>();
    const subHashes = new Map<number, { list: Uint8Array[]; first: BundleEvent }>();
    let lastSeq = 0;

    for (const e of bundle.events) {
      const f = e.event?.["partledger:ledger"];
      if (!f) fail(e, "event.fields", `event ${e.seq} has no partledger:ledger fields`);
      if (e.seq <= lastSeq) fail(e, "event.order", `event ${e.seq} is out of order (after ${lastSeq})`);
      steps?.ok("event.order", e, lastSeq ? `after event ${lastSeq}` : "the first event");
      lastSeq = e.seq;
      if (f.version !== ENCODING_VERSION)
        fail(e, "event.version", `unknown encoding version ${JSON.stringify(f.version)}`);
      steps?.ok("event.version", e, `encoding version ${f.version}`);
      const diff = firstDifference(e.event, rerender(e.event));
      if (diff)
        fail(
          e,
          "event.rendering",
          `event ${e.seq} differs from the rendering of its signed fields: ${describeDifference(diff)}`,
        );
      steps?.ok("event.rendering", e, "the event is exactly the rendering of its signed fields");
      const { canonical, structHash } = encode(e);
      steps?.ok("event.encoding", e, "the signed fields encode canonically");

      // In an anchored batch?
      if (e.batchId === null || e.leafIndex === null)
        fail(e, "batch.inclusion", `event ${e.seq} is not anchored yet (anchoring pending)`);
      const anchored = facts.anchors.get(e.batchId);
      if (!bundleBatches.has(e.batchId))
        fail(e, "batch.inclusion", `event ${e.seq}: batch ${e.batchId} is missing from the bundle`);
      if (!anchored) fail(e, "batch.inclusion", `event ${e.seq}: batch ${e.batchId} is not anchored on chain`);
      const leaf = leafOf(e, bundleBatches.get(e.batchId)!.leafVersion, structHash);
      if (e.proof) {
        if (!eq(toHex(processProof(leaf, e.proof.map(hexBytes))), anchored.root)) {
          fail(
            e,
            "batch.inclusion",
            `event ${e.seq} does not verify against batch ${e.batchId}'s anchored root ${anchored.root}: it was ` +
              `changed or its proof is wrong`,
          );
        }
        steps?.ok("batch.inclusion", e, `leaf ${e.leafIndex} hashes up to batch ${e.batchId}'s anchored root`);
      } else {
        const acc = batchLeaves.get(e.batchId) ?? { next: 0, leaves: [] };
        if (e.leafIndex !== acc.next)
          fail(
            e,
            "batch.completeness",
            `batch ${e.batchId}: expected leaf ${acc.next} next, found event ${e.seq} at leaf ${e.leafIndex} (events ` +
              `removed or reordered)`,
          );
        acc.next++;
        acc.leaves.push(leaf);
        batchLeaves.set(e.batchId, acc);
        steps?.ok(
          "batch.inclusion",
          e,
          `leaf ${e.leafIndex} of anchored batch ${e.batchId} (its root is rebuilt below)`,
        );
      }

      // Signed by the company it names?
      const sub = subs.get(e.submissionId);
      if (!sub)
        fail(e, "submission.signature", `event ${e.seq}: submission ${e.submissionId} is missing from the bundle`);
      if (!eq(sub.actor, f.actor))
        fail(
          e,
          "submission.signature",
          `event ${e.seq} names actor ${f.actor} but its submission was made by ${sub.actor}`,
        );
      if (!signerOk.has(sub.id))
        signerOk.set(
          sub.id,
          recoverSubmitter(
            bundle.chain.chainId,
            { actor: sub.actor, eventsRoot: sub.eventsRoot, eventCount: sub.eventCount },
            sub.signature,
          ),
        );
      const signer = signerOk.get(sub.id);
      if (!signer || !eq(signer, sub.actor))
        fail(
          e,
          "submission.signature",
          `event ${e.seq}: forged signature — submission ${sub.id} recovers to ${signer ?? "nothing"}, not ` +
            `${sub.actor}`,
        );
      steps?.ok("submission.signature", e, `submission ${sub.id} is signed by ${sub.actor}`);
      if (e.submissionProof) {
        if (!eq(toHex(processProof(structHash, e.submissionProof.map(hexBytes))), sub.eventsRoot)) {
          fail(
            e,
            "submission.inclusion",
            `event ${e.seq} is not among the events ${sub.actor} signed in submission ${sub.id}`,
          );
        }
        steps?.ok("submission.inclusion", e, `the event hashes up to the root ${sub.actor} signed`);
      } else {
        const acc = subHashes.get(sub.id) ?? { list: [], first: e };
        if (e.submissionIndex !== acc.list.length)
          fail(
            e,
            "submission.inclusion",
            `submission ${sub.id}: event ${e.seq} sits at index ${e.submissionIndex}, expected ${acc.list.length}`,
          );
        acc.list.push(structHash);
        subHashes.set(sub.id, acc);
      }
      const structHex = toHex(structHash);
      if (!eq(structHex, e.structHash))
        fail(e, "event.struct-hash", `event ${e.seq}'s fields hash to ${structHex}, the bundle says ${e.structHash}`);
      steps?.ok("event.struct-hash", e, structHex);
      const role = facts.mayAct.get(roleKey(f.actor, f.step));
      // A lender's release holds no chain role: it is checked against the pledge it ends (part.custody).
      const lenderRelease = f.step === Stage.Released && role !== true;
      if (
        !lenderRelease &&
        (role === false || (role === undefined && (rolesPinned || f.step === Stage.AuditCheckpoint)))
      ) {
        fail(e, "actor.role", `event ${e.seq}: ${f.actor} holds no role on chain for ${Stage[f.step]}`);
      }
      if (role) steps?.ok("actor.role", e, `${f.actor} holds the role for ${Stage[f.step]} on chain`);
      else if (lenderRelease) steps?.ok("actor.role", e, `${f.actor} releases as the pledge's lender (part.custody)`);
      else steps?.skipped("actor.role", e, "no PartRegistry pinned: the company's role is not checked");

      // Hash chain and stage order of the part.
      const head = heads.get(canonical.partKey);
      if (head || partScope) {
        const prev = head?.hash ?? ZERO;
        if (!eq(f.prevHash, prev))
          fail(
            e,
            "part.hash-chain",
            `event ${e.seq} breaks ${f.gtin}/${f.serial}'s hash chain: it points back to ${f.prevHash}, the previous ` +
              `event is ${prev}`,
          );
        const from = head?.pledge || (head?.stage ?? Stage.None);
        if (!isLegalTransition(from, f.step))
          fail(
            e,
            "part.transition",
            `event ${e.seq}: ${f.gtin}/${f.serial} cannot move from ${Stage[from]} to ${Stage[f.step]}`,
          );
        if (head && f.step === Stage.Received && eq(head.holder, f.actor) && head.stage !== Stage.Shipped)
          fail(e, "part.custody", `event ${e.seq}: ${f.actor} already holds ${f.gtin}/${f.serial}`);
        // Custody passes only through a shipment that names the receiver (its signed privateHash).
        if (
          head &&
          f.step === Stage.Received &&
          head.stage === Stage.Shipped &&
          !eq(head.shipTo, shipToHashOf(f.actor))
        )
          fail(
            e,
            "part.custody",
            `event ${e.seq}: ${f.actor} receives ${f.gtin}/${f.serial}, which was shipped to another company`,
          );
        if (head && f.step === Stage.Received && head.stage !== Stage.Shipped && !eq(head.holder, f.actor))
          fail(
            e,
            "part.custody",
            `event ${e.seq}: ${f.actor} receives ${f.gtin}/${f.serial} from ${head.holder} without a shipment to it`,
          );
        if (head && f.step === Stage.Shipped && !eq(head.holder, f.actor))
          fail(e, "part.custody", `event ${e.seq}: ${f.actor} ships ${f.gtin}/${f.serial}, which ${head.holder} holds`);
        if (head && f.step === Stage.Installed && !eq(head.holder, f.actor))
          fail(
            e,
            "part.custody",
            `event ${e.seq}: ${f.actor} installs ${f.gtin}/${f.serial}, which ${head.holder} received`,
          );
        if (head) checkPledge(e, f, head, role === true);
        if (steps) {
          steps.ok("part.hash-chain", e, head ? `points back to event ${head.last.seq}` : "the part's first event");
          steps.ok("part.transition", e, `${Stage[from]} → ${Stage[f.step]}`);
          steps.ok("part.custody", e, custodyOf(f.step, f.actor, head));
        }
      } else if (steps) {
        const why = "the part's first event in a range bundle: its earlier events are outside the range";
        for (const c of ["part.hash-chain", "part.transition", "part.custody"]) steps.skipped(c, e, why);
      }
      const pledging = isPledgeStep(f.step);
      heads.set(canonical.partKey, {
        hash: structHex,
        // A pledge or a release leaves the part where it was (in a range bundle's first event: held, Received).
        stage: pledging ? (head?.stage ?? Stage.Received) : f.step,
        holder: pledging ? (head?.holder ?? f.actor) : f.actor,
        shipTo: pledging ? (head?.shipTo ?? ZERO) : f.privateHash,
        pledge: pledging ? f.step : 0,
        pledgee: f.step === Stage.Pledged ? f.privateHash : null,
        last: e,
      });
      checked++;
      if (partScope) {
        const b = bundleBatches.get(e.batchId)!;
        lines.push(
          `  ✔ #${e.seq} ${e.event.bizStep.padEnd(13)} ${e.event.eventTime}  by ${f.actor}  batch ` +
            `${e.batchId}${b.txHash ? ` (tx ${b.txHash.slice(0, 12)}…)` : ""}`,
        );
      }
    }

    for (const [id, acc] of batchLeaves) {
      const anchored = facts.anchors.get(id)!;
      const first = firstOfBatch.get(id) ?? null;
      if (acc.leaves.length !== anchored.eventCount)
        fail(
          first,
          "batch.completeness",
          `batch ${id}: bundle holds ${acc.leaves.length} events, chain anchored ${anchored.eventCount} (events ` +
            `removed)`,
          id,
        );
      if (!eq(toHex(merkleRoot(acc.leaves)), anchored.root)) {
        fail(
          first,
          "batch.root",
          `batch ${id}: recomputed root ${toHex(merkleRoot(acc.leaves))} differs from the anchored root ` +
            `${anchored.root} (an event was changed)`,
          id,
        );
      }
      if (steps) {
        const at = { batchId: id };
        steps.ok("batch.completeness", at, `all ${acc.leaves.length} events of batch ${id}, in leaf order`);
        steps.ok("batch.root", at, `the events rebuild the anchored root ${anchored.root}`);
      }
    }
    for (const [id, { list, first }] of subHashes) {
      const sub = subs.get(id)!;
      if (list.length !== sub.eventCount || !eq(toHex(merkleRoot(list)), sub.eventsRoot)) {
        fail(first, "submission.inclusion", `submission ${id}: its events do not rebuild the root ${sub.actor} signed`);
      }
      steps?.ok("submission.inclusion", first, `submission ${id}'s ${list.length} events rebuild the signed root`);
    }
    partsComplete = checkParts(bundle, facts, heads, partScope, steps);
    // Last, so that a changed event fails the check that names what changed; this catches the document alone.
    const docMismatch = epcisDocumentMismatch(bundle.epcisDocument, bundle.events);
    if (docMismatch)
      fail(
        docMismatch.at === null ? null : bundle.events[docMismatch.at]!,
        "bundle.epcis-document",
        docMismatch.reason,
      );
    if (bundle.epcisDocument === undefined)
      steps?.skipped("bundle.epcis-document", null, "the bundle carries no EPCISDocument");
    else steps?.ok("bundle.epcis-document", null, "the EPCISDocument holds exactly the proved events");
    checkLabel(bundle, label ?? null, steps);
  } catch (e) {
    if (e instanceof Failed) {
      steps?.finish(e.failure);
      return report(e.failure);
    }
    throw e;
  }
  steps?.finish(null);
  return report(null);
}

/**
 * The pasted link's label signature (DECISIONS 74): made by the label key the bundle carries, which the binding ties
 * to the company that signed the part's commissioning event (already proved above). Skipped, in words, when no link
 * was given, the link has no `s=`, or the bundle carries no label key.
 */
function checkLabel(bundle: Bundle, label: LabelEvidence | null, steps?: StepRecorder): void {
  const CHECK = "label.signature";
  if (!label) return steps?.skipped(CHECK, null, "no part link was given (a dropped bundle): no label to check");
  const { link } = label;
  const id = `${link.gtin}/${link.serial}`;
  const part = { gtin: link.gtin, serial: link.serial };
  const failLabel = (reason: string): never => {
    throw new Failed({ check: CHECK, seq: null, batchId: null, reason, part, step: null });
  };
  if (!link.signature) return steps?.skipped(CHECK, null, `the link carries no label signature (s=): not applicable`);
  if (bundle.scope.kind !== "part" || bundle.scope.gtin !== link.gtin || bundle.scope.serial !== link.serial)
    failLabel(`the link names part ${id}, the bundle is not that part's`);
  const key = bundle.labelKey;
  if (!key)
    return steps?.skipped(CHECK, null, "the bundle carries no label key (exported before bundles did): s= not checked");
  const commissioning = bundle.events.find((e) => {
    const f = e.event["partledger:ledger"];
    return f.step === Stage.Commissioned && f.gtin === link.gtin && f.serial === link.serial;
  });
  if (!commissioning)
    return failLabel(`the bundle holds no commissioning event of ${id}: no manufacturer to check s= against`);
  const maker = commissioning.event["partledger:ledger"].actor;
  if (!label.signer || !eq(label.signer, key.actor) || !eq(key.actor, maker))
    failLabel(
      `the bundle's label key is bound by ${label.signer ?? "no valid signature"}, not by ${maker}, the company ` +
        `that commissioned ${id}`,
    );
  if (label.signatureValid !== true)
    failLabel(`the link's label signature (s=) is not ${maker}'s signature of ${id}: the label was not issued by it`);
  steps?.ok(CHECK, null, `s= is ${maker}'s label signature of ${id} (its label key, bound by its chain key)`);
}

/**
 * The pledge rules (DECISIONS 107): the holder pledges; a release names the pledge's lender and is signed by that
 * lender or by the platform (`platform`: the signer holds the anchorer's role on chain).
 */
function checkPledge(e: BundleEvent, f: BundleEvent["event"]["partledger:ledger"], head: PartHead, platform: boolean) {
  const part = `${f.gtin}/${f.serial}`;
  if (f.step === Stage.Pledged && !eq(head.holder, f.actor))
    fail(e, "part.custody", `event ${e.seq}: ${f.actor} pledges ${part}, which ${head.holder} holds`);
  if (f.step !== Stage.Released) return;
  if (!head.pledgee || !eq(f.privateHash, head.pledgee))
    fail(e, "part.custody", `event ${e.seq}: the release of ${part} names another lender than its pledge`);
  if (!platform && !eq(shipToHashOf(f.actor), head.pledgee))
    fail(e, "part.custody", `event ${e.seq}: ${f.actor} releases ${part}, which is pledged to another lender`);
}

/** The custody rule a passing event met, in words (for the step list). */
function custodyOf(step: Stage, actor: string, head: PartHead | undefined): string {
  if (!head) return `${actor} commissions the part`;
  if (step === Stage.Pledged) return `${actor} holds the part and pledges it`;
  if (step === Stage.Released) return `${actor} releases the pledge it holds`;
  if (step === Stage.Received && head.stage === Stage.Shipped) return `${actor} receives what was shipped to it`;
  if (step === Stage.Shipped || step === Stage.Installed) return `${actor} holds the part`;
  return `${actor} continues its custody`;
}

/**
 * The bundle's `parts` list names exactly the parts of its events; where it claims a part's latest event, the
 * part's last event in the bundle is PartRegistry's stage (anchored-only parts, stage None, cannot be compared).
 * A part bundle must claim it. Returns how many parts were claimed complete.
 */
function checkParts(
  bundle: Bundle,
  facts: ChainFacts,
  heads: Map<string, { stage: Stage; last: BundleEvent }>,
  partScope: boolean,
  steps?: StepRecorder,
): number {
  // Keyed by GTIN and serial (the part key is their hash): no hashing per part here.
  const listed = new Map<string, Bundle["parts"][number]>();
  for (const p of bundle.parts) {
    const id = `${p.gtin}/${p.serial}`;
    if (listed.has(id)) fail(null, "bundle.parts", `part ${id} is listed twice in parts`);
    listed.set(id, p);
  }
  let complete = 0;
  for (const [key, head] of heads) {
    const f = head.last.event["partledger:ledger"];
    const id = `${f.gtin}/${f.serial}`;
    const p = listed.get(id);
    if (!p)
      fail(head.last, "bundle.parts", `part ${id} of event ${head.last.seq} is missing from the bundle's parts list`);
    listed.delete(id);
    if (partScope && !p.latestIncluded)
      fail(head.last, "bundle.parts", `a part bundle must hold the part's latest event, but claims it does not`);
    if (!p.latestIncluded) {
      steps?.skipped("part.registry-stage", head.last, `the bundle does not claim ${id}'s latest event`);
      continue;
    }
    complete++;
    const onChain = facts.stages?.get(key) ?? Stage.None;
    if (onChain !== Stage.None && onChain !== head.stage) {
      fail(
        head.last,
        "part.registry-stage",
        `PartRegistry says ${Stage[onChain]} for ${id}, the bundle claims its latest event and ends at ` +
          `${Stage[head.stage]} (events missing)`,
      );
    }
    if (!steps) continue;
    if (!facts.stages) steps.skipped("part.registry-stage", head.last, "no PartRegistry pinned");
    else if (onChain === Stage.None)
      steps.skipped(
        "part.registry-stage",
        head.last,
        `${id} is anchored-only: PartRegistry holds no stage for it (a cut-short history cannot be seen here)`,
      );
    else steps.ok("part.registry-stage", head.last, `PartRegistry says ${Stage[onChain]}, as the last event`);
  }
  for (const id of listed.keys())
    fail(null, "bundle.parts", `part ${id} is listed in parts but has no event in the bundle`);
  steps?.ok("bundle.parts", null, `${heads.size} parts, each listed once`);
  return complete;
}

function hexBytes(h: string): Uint8Array {
  return hexPrefixBytes(h.slice(2), h.length);
}

function leafOf(e: BundleEvent, leafVersion: number | undefined, structHash: Uint8Array): Uint8Array {
  try {
    return batchLeafOf(leafVersion, structHash, e.seq, e.batchId!);
  } catch (err) {
    return fail(e, "batch.leaf", `event ${e.seq}, batch ${e.batchId}: ${(err as Error).message}`);
  }
}

function encode(e: BundleEvent) {
  try {
    const canonical = canonicalOf(e.event["partledger:ledger"]);
    return { canonical, structHash: structHashOf(canonical) };
  } catch (err) {
    return fail(e, "event.encoding", `event ${e.seq} cannot be encoded: ${(err as Error).message}`);
  }
}
