/**
 * Services arithmetic (DECISIONS 101), pure and in integer fen; every division rounds half up, once, with BigInt.
 *
 * - Time billing: usage is whole minutes, started minutes counted (ceil of the elapsed time, at least 1); the charge
 *   is round-half-up(minutes × hourly rate / 60) — one rounding per rental, never per hour.
 * - Meter billing: usage is the meter's difference in its units; the charge is units × rate, exact.
 * - Commission: round-half-up(gross × rate_bp / 10 000) on the service charge only (never on damage claims, which
 *   compensate the provider and are no sale); the provider's net is gross − commission, so net + commission = gross.
 * - Deposit: claims may take at most what the charge leaves of the deposit; then
 *   deposit + due = charge + claims + refund, with refund ≥ 0, due ≥ 0 and at most one of them non-zero.
 */

const halfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);

function fen(name: string, v: number) {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name}: ${v} is not a non-negative integer of fen`);
}

/** The platform's commission on `grossFen` at `rateBp` basis points, rounded half up to the fen. */
export function commissionOf(grossFen: number, rateBp: number): number {
  fen("grossFen", grossFen);
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > 10_000) throw new RangeError(`rateBp: ${rateBp}`);
  return Number(halfUp(BigInt(grossFen) * BigInt(rateBp), 10_000n));
}

/** Whole minutes of a rental from `startMs` to `stopMs`: every started minute counts, at least one. */
export function usageMinutes(startMs: number, stopMs: number): number {
  if (stopMs < startMs) throw new RangeError(`stop ${stopMs} before start ${startMs}`);
  return Math.max(1, Math.ceil((stopMs - startMs) / 60_000));
}

/** The charge for `usage` (minutes for time billing, meter units for meter billing) at `rateFen` (per hour / unit). */
export function chargeOf(billing: "time" | "meter", usage: number, rateFen: number): number {
  fen("rateFen", rateFen);
  if (!Number.isSafeInteger(usage) || usage < 0) throw new RangeError(`usage: ${usage}`);
  return billing === "meter"
    ? Number(BigInt(usage) * BigInt(rateFen))
    : Number(halfUp(BigInt(usage) * BigInt(rateFen), 60n));
}

/** The most that damage claims may take from the deposit once the charge is paid from it. */
export const claimableOf = (depositFen: number, chargeFen: number) => Math.max(0, depositFen - chargeFen);

export interface DepositOutcome {
  /** Paid back to the shop from the deposit. */
  refundFen: number;
  /** Still owed by the shop: the charge beyond the deposit. */
  dueFen: number;
}

/** What becomes of the deposit: the charge and the claims are taken from it, the rest refunded, any shortfall due. */
export function settleDeposit(depositFen: number, chargeFen: number, claimsFen: number): DepositOutcome {
  fen("depositFen", depositFen);
  fen("chargeFen", chargeFen);
  fen("claimsFen", claimsFen);
  if (claimsFen > claimableOf(depositFen, chargeFen))
    throw new RangeError(`claims ${claimsFen} exceed what the deposit leaves (${claimableOf(depositFen, chargeFen)})`);
  return {
    refundFen: Math.max(0, depositFen - chargeFen - claimsFen),
    dueFen: Math.max(0, chargeFen - depositFen),
  };
}

/**
 * A delivery's charge from its tariff (DECISIONS 115): base + round-half-up((metres × per-km + grams × per-kg) / 1000),
 * one rounding for the whole distance-and-weight part.
 */
export function deliveryChargeOf(
  t: { baseFen: number; perKmFen: number; perKgFen: number },
  distanceM: number,
  weightG: number,
): number {
  fen("baseFen", t.baseFen);
  fen("perKmFen", t.perKmFen);
  fen("perKgFen", t.perKgFen);
  fen("distanceM", distanceM);
  fen("weightG", weightG);
  const variable = BigInt(distanceM) * BigInt(t.perKmFen) + BigInt(weightG) * BigInt(t.perKgFen);
  return t.baseFen + Number(halfUp(variable, 1000n));
}

/** Whether a GB/T 2260 region code lies in a service area of province (xx0000), city (xxxx00) or district codes. */
export function inArea(areaCodes: readonly string[], regionCode: string): boolean {
  return areaCodes.some((a) =>
    a.endsWith("0000")
      ? regionCode.slice(0, 2) === a.slice(0, 2)
      : a.endsWith("00")
        ? regionCode.slice(0, 4) === a.slice(0, 4)
        : regionCode === a,
  );
}
