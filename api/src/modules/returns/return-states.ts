/**
 * The return (RMA) lifecycle as a declared table, like orders' (order-states.ts): each allowed change and the sides
 * that may make it. `system` is the compensation rules approving a return by themselves (compensation.ts). The
 * requester is the order's buyer or the serial's later holder; the seller is the company whose warehouse served the line.
 */
export const RETURN_STATUSES = [
  "requested",
  "authorised",
  "partially_authorised",
  "refused",
  "shipped_back",
  "received",
  "inspected",
  "resolved",
  "closed",
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export type ReturnSide = "system" | "requester" | "seller";

export const RETURN_TRANSITIONS: Record<ReturnStatus, Partial<Record<ReturnStatus, readonly ReturnSide[]>>> = {
  requested: { authorised: ["seller", "system"], partially_authorised: ["seller"], refused: ["seller"] },
  authorised: { shipped_back: ["requester"] },
  partially_authorised: { shipped_back: ["requester"] },
  refused: { closed: ["requester", "seller"] },
  shipped_back: { received: ["seller"] },
  received: { inspected: ["seller"] },
  inspected: { resolved: ["seller"] },
  resolved: { closed: ["requester", "seller"] },
  closed: {},
};

/** Who may move a return from `from` to `to` (empty when the table has no such change). */
export const sidesFor = (from: ReturnStatus, to: ReturnStatus): readonly ReturnSide[] =>
  RETURN_TRANSITIONS[from][to] ?? [];

export const RETURN_REASONS = [
  "defective",
  "wrong_part",
  "damaged_in_transit",
  "not_as_described",
  "fitment_wrong",
  "ordered_by_mistake",
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const INSPECTIONS = ["sellable", "damaged", "defective_confirmed"] as const;
export const RESOLUTIONS = ["refund", "replacement", "repair", "refusal"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Why a serialised return is not the unit sold (return_swaps.kind). */
export const SWAP_KINDS = [
  "unknown_serial",
  "never_sold",
  "other_order",
  "not_received",
  "not_held",
  "different_serial",
] as const;
export type SwapKind = (typeof SWAP_KINDS)[number];
