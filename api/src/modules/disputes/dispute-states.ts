/**
 * The dispute lifecycle as a declared table, like returns' (return-states.ts): each allowed change and the sides that
 * may make it. A requester disputes a refused (or partly authorised) return; a platform person takes it and proposes
 * an outcome; a second platform person approves that proposal in the approvals inbox, and the approval settles it
 * (`system`). A rejected or withdrawn proposal goes back to review. The seller may concede before a proposal is
 * filed (DECISIONS 119): it settles at once, refunding the requester's claim or part of it, without arbitration.
 */
export const DISPUTE_STATUSES = ["open", "under_review", "proposed", "settled", "withdrawn"] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
export type DisputeSide = "requester" | "seller" | "platform" | "system";

export const DISPUTE_TRANSITIONS: Record<DisputeStatus, Partial<Record<DisputeStatus, readonly DisputeSide[]>>> = {
  open: { under_review: ["platform"], withdrawn: ["requester"], settled: ["seller"] },
  under_review: { proposed: ["platform"], withdrawn: ["requester"], settled: ["seller"] },
  proposed: { under_review: ["platform"], settled: ["system"] },
  settled: {},
  withdrawn: {},
};

export const sidesFor = (from: DisputeStatus, to: DisputeStatus): readonly DisputeSide[] =>
  DISPUTE_TRANSITIONS[from][to] ?? [];

/** How a dispute ends: all or part of the money back to the requester, or the seller's refusal upheld. */
export const OUTCOMES = ["refund_full", "refund_part", "refusal_upheld"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The approval kind a proposal files (approval_requests.kind). */
export const APPROVAL_KIND = "dispute_outcome";
