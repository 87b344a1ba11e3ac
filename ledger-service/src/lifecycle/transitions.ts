import { AppError } from "../errors.js";

/** Lifecycle stages; the numbers are PartLifecycle.Stage in contracts/lib/PartLifecycle.sol. */
export enum Stage {
  None = 0,
  Commissioned = 1,
  Received = 2,
  Installed = 3,
  /** Handed to a carrier by the part's holder, on its way to the next company (EPCIS shipping). */
  Shipped = 4,
  /**
   * Not a physical stage: the part's holder pledges it to a lender under a warehouse receipt (issue 15, DECISIONS 107).
   * Signed by the holder; the privateHash names the lender (shipToHashOf its address), the place names the receipt.
   * The part stays where it is (ledger_parts.stage and PartRegistry keep Received); until a Released event it cannot
   * move, be installed or be pledged again. Never written to PartRegistry.
   */
  Pledged = 5,
  /** Ends a pledge: signed by the lender the pledge names (or the platform); the privateHash names the same lender. */
  Released = 6,
  /**
   * Not a part stage: the platform records the audit trail's head hash as a ledger event of a reserved identity
   * (AUDIT_TRAIL_PART), so it is signed, batched and anchored like any other event. Never written to PartRegistry.
   */
  AuditCheckpoint = 16,
}

/** Steps that encumber a part without moving it: never written to PartRegistry, holder and stage unchanged. */
export const PLEDGE_STEPS: readonly Stage[] = [Stage.Pledged, Stage.Released];
export const isPledgeStep = (s: Stage): boolean => s === Stage.Pledged || s === Stage.Released;

/** The reserved identity whose "lifecycle" is the chain of audit checkpoints (GTIN 0…0 is never a product). */
export const AUDIT_TRAIL_PART = { gtin: "00000000000000", serial: "PLATFORM-AUDIT" } as const;

export const STAGES = [Stage.None, Stage.Commissioned, Stage.Received, Stage.Installed, Stage.Shipped] as const;

/** A lender (bank, factoring company; issue 15) is registered like any company but never moves parts: no transition names it.
 * Nor does a service provider (training, equipment rental, logistics; issue 17). */
export type ActorKind = "manufacturer" | "distributor" | "repair_shop" | "lender" | "service_provider" | "platform";

/** GS1 Core Business Vocabulary bizStep of the event that moves a part into each stage. */
export const BIZ_STEP: Record<Exclude<Stage, Stage.None>, string> = {
  [Stage.Commissioned]: "commissioning",
  [Stage.Received]: "receiving",
  [Stage.Installed]: "installing",
  [Stage.Shipped]: "shipping",
  [Stage.Pledged]: "urn:partledger:bizstep:pledging",
  [Stage.Released]: "urn:partledger:bizstep:releasing",
  [Stage.AuditCheckpoint]: "urn:partledger:bizstep:audit_checkpoint",
};

/**
 * The declared transition table: for each legal move, which kinds of company may make it. The Solidity side
 * (PartLifecycle.isLegal + PartRegistry.mayActFor) declares the same table; both test suites walk every pair.
 */
export const TRANSITIONS: ReadonlyArray<{ from: Stage; to: Stage; by: readonly ActorKind[] }> = [
  { from: Stage.None, to: Stage.Commissioned, by: ["manufacturer"] },
  { from: Stage.Commissioned, to: Stage.Received, by: ["distributor", "repair_shop"] },
  { from: Stage.Received, to: Stage.Received, by: ["distributor", "repair_shop"] },
  { from: Stage.Received, to: Stage.Installed, by: ["repair_shop"] },
  { from: Stage.Commissioned, to: Stage.Shipped, by: ["manufacturer"] },
  // A repair shop ships only what it holds unfitted: a part it returns to its seller (issue 16; DECISIONS 109).
  { from: Stage.Received, to: Stage.Shipped, by: ["distributor", "repair_shop"] },
  { from: Stage.Shipped, to: Stage.Received, by: ["distributor", "repair_shop"] },
  // Pledges (DECISIONS 107): only from a holding state, by the holder; while pledged nothing but a release.
  { from: Stage.Received, to: Stage.Pledged, by: ["distributor", "repair_shop"] },
  { from: Stage.Released, to: Stage.Pledged, by: ["distributor", "repair_shop"] },
  { from: Stage.Pledged, to: Stage.Released, by: ["lender", "platform"] },
  { from: Stage.Released, to: Stage.Shipped, by: ["distributor", "repair_shop"] },
  { from: Stage.Released, to: Stage.Installed, by: ["repair_shop"] },
  { from: Stage.None, to: Stage.AuditCheckpoint, by: ["platform"] },
  { from: Stage.AuditCheckpoint, to: Stage.AuditCheckpoint, by: ["platform"] },
];

export function isLegalTransition(from: Stage, to: Stage): boolean {
  return TRANSITIONS.some((t) => t.from === from && t.to === to);
}

/** The kinds of company that may move a part into `to` (empty for None). */
export function kindsFor(to: Stage): readonly ActorKind[] {
  return [...new Set(TRANSITIONS.filter((t) => t.to === to).flatMap((t) => t.by))];
}

export function assertTransition(from: Stage, to: Stage, part: string): void {
  if (!isLegalTransition(from, to)) {
    throw new AppError(
      "LEDGER.STAGE_OUT_OF_ORDER",
      `part ${part} is ${Stage[from]}; it cannot move to ${Stage[to]}` +
        (from === Stage.None ? " before it is commissioned" : ""),
      409,
      { part, from: Stage[from], to: Stage[to] },
    );
  }
}

export function assertActorMay(kind: ActorKind, to: Stage, actorId: string): void {
  if (!kindsFor(to).includes(kind)) {
    throw new AppError(
      "LEDGER.ROLE_FORBIDDEN",
      `company ${actorId} is a ${kind}; moving parts to ${Stage[to]} needs a ${kindsFor(to).join(" or ")}`,
      403,
      { actor: actorId, kind, to: Stage[to] },
    );
  }
}
