/**
 * The request-for-quotes lifecycle as a declared table: each allowed change and which side makes it. A supplier's
 * first quote makes an open request quoted (later quotes leave it quoted); the buyer accepts one quote or cancels;
 * `system` expires a request whose window closed with no quote, or whose quotes all lapsed unaccepted.
 */
export const RFQ_STATUSES = ["open", "quoted", "accepted", "expired", "cancelled"] as const;
export type RfqStatus = (typeof RFQ_STATUSES)[number];
export type RfqSide = "system" | "buyer" | "supplier";

export const RFQ_TRANSITIONS: Record<RfqStatus, Partial<Record<RfqStatus, RfqSide>>> = {
  open: { quoted: "supplier", expired: "system", cancelled: "buyer" },
  quoted: { accepted: "buyer", expired: "system", cancelled: "buyer" },
  accepted: {},
  expired: {},
  cancelled: {},
};

/** Who may move a request from `from` to `to`, or null when the table has no such change. */
export const rfqSideFor = (from: RfqStatus, to: RfqStatus): RfqSide | null => RFQ_TRANSITIONS[from][to] ?? null;
