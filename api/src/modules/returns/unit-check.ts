import type { SwapKind } from "./return-states.js";

/** A serial's custody as the ledger and the orders record it: what the check below reads. */
export interface UnitCustody {
  /** The ledger's head for the serial; null when the ledger has never seen it (unknown: a counterfeit label). */
  head: { holderId: string | null; stage: number } | null;
  /** The ledger's events for it, oldest first, with the acting company. */
  events: Array<{ seq: number; step: number; companyId: string | null; at: string }>;
  /** Every order the serial was shipped on (order_parts). */
  sales: Array<{ orderId: string; buyerId: string; shippedBy: string }>;
}

export type UnitVerdict =
  | { ok: true; as: "buyer" | "later_holder"; evidence: Record<string, unknown> }
  | { ok: false; kind: Exclude<SwapKind, "different_serial">; evidence: Record<string, unknown> };

const SHIPPED = 4;
const RECEIVED = 2;
const STAGE_NAMES: Record<number, string> = {
  1: "commissioned",
  2: "received",
  3: "installed",
  4: "shipped",
  5: "pledged", // DECISIONS 107: an encumbrance, not a move
  6: "released",
};

/**
 * Whether a serial is the unit `sellerId` sold to `buyerId` on `orderId`, returned by `requesterId` (the buyer, or a
 * later holder). Accepted when the order's shipping of it by the seller is recorded, the ledger shows the seller's
 * shipment followed by the buyer's receipt, and the requester holds it now (held or installed), having it from the
 * buyer. Anything else names the kind of swap and the evidence that shows it.
 */
export function checkUnit(
  u: UnitCustody,
  sale: { orderId: string; buyerId: string; sellerId: string; requesterId: string },
): UnitVerdict {
  const trail = u.events.map((e) => ({
    seq: e.seq,
    step: STAGE_NAMES[e.step] ?? String(e.step),
    by: e.companyId,
    at: e.at,
  }));
  if (!u.head)
    return { ok: false, kind: "unknown_serial", evidence: { ledger: "no event has ever named this serial" } };
  const onThisOrder = u.sales.find((s) => s.orderId === sale.orderId && s.shippedBy === sale.sellerId);
  if (!onThisOrder) {
    const other = u.sales.filter((s) => s.orderId !== sale.orderId && s.buyerId === sale.buyerId);
    return other.length
      ? { ok: false, kind: "other_order", evidence: { shippedOn: other.map((s) => s.orderId), trail } }
      : { ok: false, kind: "never_sold", evidence: { shippedOn: [], trail } };
  }
  const shipped = u.events.findLastIndex((e) => e.step === SHIPPED && e.companyId === sale.sellerId);
  const received =
    shipped < 0 ? -1 : u.events.findIndex((e, i) => i > shipped && e.step === RECEIVED && e.companyId === sale.buyerId);
  if (received < 0) return { ok: false, kind: "not_received", evidence: { trail } };
  const holder = u.head.holderId;
  const heldSinceBuyer = u.events.slice(received).some((e) => e.companyId === sale.requesterId);
  if (holder !== sale.requesterId || !heldSinceBuyer)
    return { ok: false, kind: "not_held", evidence: { holder, stage: STAGE_NAMES[u.head.stage], trail } };
  return {
    ok: true,
    as: sale.requesterId === sale.buyerId ? "buyer" : "later_holder",
    evidence: {
      shippedBySellerSeq: u.events[shipped]!.seq,
      receivedByBuyerSeq: u.events[received]!.seq,
      holder,
      stage: STAGE_NAMES[u.head.stage],
    },
  };
}
