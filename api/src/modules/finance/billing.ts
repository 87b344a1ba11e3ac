/**
 * Billing arithmetic (DECISIONS 77), pure and in integer fen. Prices are tax-inclusive (含税价): an invoice's total is
 * the sum of its lines (quantity × unit price, exact); the VAT inside it is computed once, on the total, rounded half
 * up to the fen; the net amount is the rest, so net + tax = total always holds and no line carries a rounded tax.
 */

/** The VAT inside a tax-inclusive total: round-half-up(total × rate / (10000 + rate)), rate in basis points. */
export function taxIncluded(totalFen: number, rateBp: number): number {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0) throw new RangeError(`totalFen: ${totalFen}`);
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > 10_000) throw new RangeError(`rateBp: ${rateBp}`);
  const d = BigInt(10_000 + rateBp);
  return Number((2n * BigInt(totalFen) * BigInt(rateBp) + d) / (2n * d));
}

export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The bucket of an amount `daysPastDue` days after its due date (0 or less: not yet due, "current"). */
export function bucketOf(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return "current";
  if (daysPastDue <= 30) return "1-30";
  if (daysPastDue <= 60) return "31-60";
  if (daysPastDue <= 90) return "61-90";
  return "90+";
}

/** Outstanding amounts summed per bucket and per counterparty; every open fen is in exactly one bucket. */
export function aging(rows: ReadonlyArray<{ counterparty: string; outstandingFen: number; daysPastDue: number }>) {
  const zero = () => Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<AgingBucket, number>;
  const total = zero();
  const by = new Map<string, Record<AgingBucket, number>>();
  for (const r of rows) {
    if (r.outstandingFen <= 0) continue;
    const b = bucketOf(r.daysPastDue);
    total[b] += r.outstandingFen;
    const c = by.get(r.counterparty) ?? zero();
    c[b] += r.outstandingFen;
    by.set(r.counterparty, c);
  }
  return {
    buckets: total,
    outstandingFen: AGING_BUCKETS.reduce((s, b) => s + total[b], 0),
    counterparties: [...by].map(([counterparty, buckets]) => ({
      counterparty,
      buckets,
      outstandingFen: AGING_BUCKETS.reduce((s, b) => s + buckets[b], 0),
    })),
  };
}
