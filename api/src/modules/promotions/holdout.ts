import { createHash } from "node:crypto";

/**
 * Whether a shop is in a promotion's hold-out group (it does not see the promotion): the first four bytes of
 * SHA-256("<shop id>:<promotion id>") taken modulo 10,000 fall below `holdoutPct` × 100. Deterministic, independent
 * per promotion, and computable by anyone re-measuring the uplift (DECISIONS 95).
 */
export function heldOut(shopId: string, promotionId: string, holdoutPct: number): boolean {
  const h = createHash("sha256").update(`${shopId}:${promotionId}`).digest();
  return h.readUInt32BE(0) % 10_000 < Math.round(holdoutPct * 100);
}

export interface GroupCounts {
  /** Shops that searched for the SKU while the promotion ran, and how many of them then ordered it. */
  treated: { shops: number; converted: number };
  heldOut: { shops: number; converted: number };
}

/**
 * Conversion uplift (treated rate − hold-out rate, in absolute points) with a Newcombe hybrid score interval
 * (Wilson intervals of each rate combined; method 10 of Newcombe 1998), which keeps its coverage for small groups and
 * rates near 0 where the Wald interval does not. null rates and interval when a group is empty.
 */
export function uplift(c: GroupCounts, z = 1.959964) {
  const rate = (g: { shops: number; converted: number }) => (g.shops ? g.converted / g.shops : null);
  const pt = rate(c.treated);
  const pc = rate(c.heldOut);
  if (pt === null || pc === null) return { treatedRate: pt, heldOutRate: pc, uplift: null, low: null, high: null };
  const [lt, ut] = wilson(c.treated.converted, c.treated.shops, z);
  const [lc, uc] = wilson(c.heldOut.converted, c.heldOut.shops, z);
  const d = pt - pc;
  return {
    treatedRate: pt,
    heldOutRate: pc,
    uplift: d,
    low: d - Math.sqrt((pt - lt) ** 2 + (uc - pc) ** 2),
    high: d + Math.sqrt((ut - pt) ** 2 + (pc - lc) ** 2),
  };
}

/** The Wilson score interval of x successes in n trials. */
export function wilson(x: number, n: number, z = 1.959964): [number, number] {
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [centre - half, centre + half];
}
