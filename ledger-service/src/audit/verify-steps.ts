import { Stage } from "../lifecycle/transitions.js";
import type { Bundle, BundleEvent } from "../proofs/bundle-format.js";
import type { ChainFacts } from "./chain-facts.js";
import type { TrustAnchor } from "./trust.js";
import type { PinMismatch } from "./trust-checks.js";
import type { AuditFailure } from "./verify-bundle.js";

/**
 * The checks of a bundle audit, in the order they run, with their stable names (docs/verification.md, "Checks the
 * auditor performs") and a short English title; a console translates by `check`.
 */
export const VERIFY_CHECKS = [
  ["bundle.format", "The document is a PartLedger bundle of this version"],
  ["bundle.schema", "The bundle validates against bundle.schema.json"],
  ["trust.chain-id", "The bundle names the pinned chain"],
  ["trust.anchor-registry", "The pinned AnchorRegistry (named by the bundle, holding code on chain)"],
  ["trust.part-registry", "The pinned PartRegistry (named by the bundle, holding code on chain)"],
  ["chain.read", "The chain's facts are read from the RPC endpoint"],
  ["trust.rpc-chain-id", "The RPC endpoint serves the pinned chain"],
  ["trust.deployment-block", "The chain's deployment block has the pinned hash"],
  ["batch.anchored", "The batch is anchored in the pinned AnchorRegistry"],
  ["batch.root", "The batch's root is the anchored root"],
  ["batch.transaction", "The cited transaction anchored this batch"],
  ["event.fields", "The event carries its ledger fields"],
  ["event.order", "Events come in increasing sequence"],
  ["event.version", "The encoding version is known"],
  ["event.rendering", "The event is exactly the rendering of its signed fields"],
  ["event.encoding", "The signed fields encode canonically"],
  ["batch.leaf", "The batch leaf can be built"],
  ["batch.inclusion", "The event is in an anchored batch"],
  ["batch.completeness", "Every event of the batch is present, in order"],
  ["submission.signature", "The submission is signed by the company the event names"],
  ["submission.inclusion", "The event is among the events the company signed"],
  ["event.struct-hash", "The bundle's struct hash is the fields' hash"],
  ["actor.role", "The company holds the role for the step on chain"],
  ["part.hash-chain", "The part's events form an unbroken hash chain"],
  ["part.transition", "The part moves through legal stages"],
  ["part.custody", "Only the holder acts; custody passes by a named shipment"],
  ["bundle.parts", "The parts list names exactly the events' parts"],
  ["part.registry-stage", "PartRegistry's stage is the part's last event"],
  ["bundle.epcis-document", "The EPCISDocument holds exactly the proved events"],
  ["label.signature", "The link's label signature is the manufacturer's"],
] as const satisfies ReadonlyArray<readonly [string, string]>;

export type VerifyCheck = (typeof VERIFY_CHECKS)[number][0];
const TITLES = new Map<string, string>(VERIFY_CHECKS);

/** What a step is about. `text` reads like the CLI's failure lines: `event 3 (06901234567892/ABC, shipping) in batch 2`. */
export interface StepSubject {
  kind: "bundle" | "chain" | "batch" | "event" | "part";
  text: string;
  seq: number | null;
  batchId: number | null;
  part: { gtin: string; serial: string } | null;
  /** The event's EPCIS bizStep (e.g. `shipping`), for event steps. */
  bizStep: string | null;
}

/**
 * One check as it runs. A step reported `running` (only `chain.read`, the one that waits on the network) is
 * reported again with the same `index` and its verdict. `skipped` says in `detail` why the check was not made
 * (not applicable, nothing pinned for it, or not reached after a failure).
 */
export interface VerifyStep {
  index: number;
  check: string;
  title: string;
  status: "running" | "ok" | "failed" | "skipped";
  subject: StepSubject;
  detail: string;
  /** Milliseconds since the verification started. */
  ms: number;
}

export type StepListener = (step: VerifyStep) => void;

/** Where a step is: an event, a batch, or the bundle/chain as a whole (null). */
export type StepAt = BundleEvent | { batchId: number } | null | undefined;

const CHAIN_CHECKS = new Set(["chain.read", "trust.rpc-chain-id", "trust.deployment-block"]);

/** Hands each check to the listener as it passes, fails or is skipped; used by verifyBundle when given a listener. */
export class StepRecorder {
  private readonly started = performance.now();
  private next = 0;
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, number>();
  /** Set once the RPC endpoint's checks ran: a trust.* failure after it is about the chain, not the bundle. */
  private chainPhase = false;
  constructor(private readonly listener: StepListener) {}

  private emit(check: string, status: VerifyStep["status"], at: StepAt, detail: string, chain = false): void {
    this.seen.add(check);
    const key = `${check}@${chain}`;
    const index = this.pending.get(key) ?? this.next++;
    if (status === "running") this.pending.set(key, index);
    else this.pending.delete(key);
    this.listener({
      index,
      check,
      title: TITLES.get(check) ?? check,
      status,
      subject: subjectOf(at, chain || CHAIN_CHECKS.has(check)),
      detail,
      ms: Math.round(performance.now() - this.started),
    });
  }
  ok(check: string, at: StepAt, detail: string): void {
    this.emit(check, "ok", at, detail);
  }
  skipped(check: string, at: StepAt, reason: string): void {
    this.emit(check, "skipped", at, reason);
  }
  failed(check: string, at: StepAt, reason: string): void {
    this.emit(check, "failed", at, reason);
  }
  running(check: string, at: StepAt, detail: string): void {
    this.emit(check, "running", at, detail);
  }

  /** The bundle against the pin, in pinMismatch's order: those before the mismatch passed. */
  pin(bundle: Bundle, trust: TrustAnchor, bad: PinMismatch | null): void {
    const order: Array<[string, string | null]> = [
      ["trust.chain-id", `chain ${trust.chainId}`],
      ["trust.anchor-registry", `AnchorRegistry ${trust.anchorRegistry}`],
      ["trust.part-registry", trust.partRegistry ? `PartRegistry ${trust.partRegistry}` : null],
    ];
    for (const [check, detail] of order) {
      if (bad?.check === check) return;
      if (detail === null) this.skipped(check, null, "no PartRegistry pinned: the bundle's is not compared");
      else this.ok(check, null, `the bundle names the pinned ${detail}`);
    }
    void bundle;
  }

  /** The RPC endpoint against the pin, in chainMismatch's order: those before the mismatch passed. */
  chain(facts: ChainFacts, bad: PinMismatch | null): void {
    this.chainPhase = true;
    const t = facts.trust;
    const order: Array<[string, string | null, string]> = [
      ["trust.rpc-chain-id", `the RPC endpoint serves chain ${facts.chainId}`, ""],
      ["trust.anchor-registry", `AnchorRegistry ${t.anchorRegistry} holds code`, ""],
      [
        "trust.part-registry",
        t.partRegistry ? `PartRegistry ${t.partRegistry} holds code` : null,
        "no PartRegistry pinned: roles and stages are not checked",
      ],
      [
        "trust.deployment-block",
        t.deploymentBlockHash ? `block ${t.deploymentBlock} is ${t.deploymentBlockHash}` : null,
        "no deployment block pinned: a reset chain with the same id would not be noticed",
      ],
    ];
    for (const [check, detail, why] of order) {
      if (bad?.check === check) return;
      if (detail === null) this.emit(check, "skipped", null, why, true);
      else this.emit(check, "ok", null, detail, true);
    }
  }

  /** The verdict: the failed check, then every check that never ran, skipped with the reason. */
  finish(failure: AuditFailure | null): void {
    if (failure) {
      const check = failure.check ?? "bundle";
      if (failure.seq === null && failure.batchId === null && failure.part) {
        this.seen.add(check);
        const part = failure.part;
        this.listener({
          index: this.next++,
          check,
          title: TITLES.get(check) ?? check,
          status: "failed",
          subject: { kind: "part", text: `part ${part.gtin}/${part.serial}`, ...NONE, part },
          detail: failure.reason,
          ms: Math.round(performance.now() - this.started),
        });
      } else {
        const at: StepAt =
          failure.seq !== null
            ? ({ seq: failure.seq, batchId: failure.batchId, failure } as unknown as BundleEvent)
            : failure.batchId !== null
              ? { batchId: failure.batchId }
              : null;
        this.emit(check, "failed", at, failure.reason, this.chainPhase && check.startsWith("trust."));
      }
    }
    for (const [check] of VERIFY_CHECKS) {
      if (this.seen.has(check)) continue;
      if (failure) this.skipped(check, null, `not reached: the verification stops at the first failure`);
      else if (check === "batch.completeness")
        this.skipped(check, null, "every event carries its own Merkle proof: no whole batch to rebuild");
      else if (check !== "event.fields" && check !== "batch.leaf")
        this.skipped(check, null, "did not apply to this bundle");
    }
  }
}

const NONE = { seq: null, batchId: null, part: null, bizStep: null };

function subjectOf(at: StepAt, chain: boolean): StepSubject {
  if (!at)
    return chain ? { kind: "chain", text: "the chain", ...NONE } : { kind: "bundle", text: "the bundle", ...NONE };
  if (!("seq" in at)) return { kind: "batch", text: `batch ${at.batchId}`, ...NONE, batchId: at.batchId };
  // A failure carries its part and step; an event, its ledger fields.
  const failure = (at as unknown as { failure?: AuditFailure }).failure;
  const f = at.event?.["partledger:ledger"];
  const part = failure ? (failure.part ?? null) : f ? { gtin: String(f.gtin), serial: String(f.serial) } : null;
  const bizStep = failure
    ? (failure.step ?? null)
    : typeof at.event?.bizStep === "string"
      ? at.event.bizStep
      : (Stage[f?.step as Stage] ?? null);
  const what = [part ? `${part.gtin}/${part.serial}` : null, bizStep].filter(Boolean).join(", ");
  const batchId = at.batchId ?? null;
  return {
    kind: "event",
    text: `event ${at.seq}${what ? ` (${what})` : ""}${batchId !== null ? ` in batch ${batchId}` : ""}`,
    seq: at.seq,
    batchId,
    part,
    bizStep,
  };
}
