/**
 * Allocation of one order line to warehouses: pure, so tests and the allocation-quality benchmark can call it.
 * A normal order takes the lowest landed cost (price + delivery), an urgent one the fastest delivery. One warehouse
 * that can serve the whole line is preferred (one parcel); otherwise the line is split, best first.
 */
export interface Candidate {
  locationId: string;
  sellerId: string;
  skuId: number;
  available: number;
  priceFen: number;
  distanceM: number;
  prepMinutes: number;
}

export interface Allocation {
  candidate: Candidate;
  quantity: number;
}

/** Delivery cost of one parcel: a fixed hand-over plus a per-kilometre rate (¥5 + ¥1.5/km), in fen. */
export const shipmentFen = (distanceM: number) => 500 + Math.round((distanceM / 1000) * 150);
/** Urban delivery: picking and hand-over, then 25 km/h through traffic. */
export const deliveryMinutes = (c: Pick<Candidate, "prepMinutes" | "distanceM">) =>
  c.prepMinutes + (c.distanceM / 1000 / 25) * 60;

export function allocateLine(quantity: number, candidates: readonly Candidate[], urgent: boolean): Allocation[] {
  const usable = candidates.filter((c) => c.available > 0);
  const whole = (c: Candidate) =>
    urgent ? deliveryMinutes(c) * 1e6 + c.priceFen * quantity : c.priceFen * quantity + shipmentFen(c.distanceM);
  const single = usable
    .filter((c) => c.available >= quantity)
    .sort((a, b) => whole(a) - whole(b) || a.locationId.localeCompare(b.locationId))[0];
  // A split pays a parcel per warehouse; take the single warehouse unless splitting is clearly cheaper (normal orders).
  const split = greedy(quantity, usable, urgent);
  if (single && (urgent || cost([{ candidate: single, quantity }]) <= cost(split)))
    return [{ candidate: single, quantity }];
  return split;
}

function greedy(quantity: number, usable: readonly Candidate[], urgent: boolean): Allocation[] {
  const perUnit = (c: Candidate) => {
    const q = Math.min(c.available, quantity);
    return urgent ? deliveryMinutes(c) * 1e6 + c.priceFen : c.priceFen + shipmentFen(c.distanceM) / q;
  };
  const out: Allocation[] = [];
  let left = quantity;
  for (const c of [...usable].sort((a, b) => perUnit(a) - perUnit(b) || a.locationId.localeCompare(b.locationId))) {
    if (left === 0) break;
    const q = Math.min(left, c.available);
    out.push({ candidate: c, quantity: q });
    left -= q;
  }
  return out;
}

/** Landed cost of a set of allocations: goods plus one parcel per warehouse. */
export const cost = (a: readonly Allocation[]) =>
  a.reduce((s, x) => s + x.candidate.priceFen * x.quantity + shipmentFen(x.candidate.distanceM), 0);
