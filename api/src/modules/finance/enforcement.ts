/**
 * The declared state table of a warehouse receipt's enforcement (DECISIONS 112): who may move it from which state to
 * which. Every move is an `UPDATE … WHERE status = ANY(from)` built from this table, so a race loses with a 409.
 */
export type EnforcementStatus = "proposed" | "confirmed" | "transferring" | "completed" | "cancelled";
export const ENFORCEMENT_STATUSES: readonly EnforcementStatus[] = [
  "proposed",
  "confirmed",
  "transferring",
  "completed",
  "cancelled",
];

/** start → proposed; confirm (a second person); undo while the window runs; complete once it has passed. */
export type EnforcementAct = "confirm" | "cancel" | "transfer" | "complete";

export const ENFORCEMENT_MOVES: Readonly<
  Record<EnforcementStatus, Readonly<Partial<Record<EnforcementStatus, EnforcementAct>>>>
> = {
  proposed: { confirmed: "confirm", cancelled: "cancel" },
  // A receipt without serials completes in one transaction; with serials the ledger's release comes first.
  confirmed: { cancelled: "cancel", transferring: "transfer", completed: "complete" },
  transferring: { completed: "complete" },
  completed: {},
  cancelled: {},
};

/** The states `to` may be reached from by `act`. */
export function fromStates(to: EnforcementStatus, act: EnforcementAct): EnforcementStatus[] {
  return ENFORCEMENT_STATUSES.filter((s) => ENFORCEMENT_MOVES[s][to] === act);
}

export const LIVE_ENFORCEMENT: readonly EnforcementStatus[] = ["proposed", "confirmed", "transferring"];
