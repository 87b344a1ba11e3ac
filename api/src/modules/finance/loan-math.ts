/**
 * Order-loan arithmetic (issue 15), pure and in integer fen. Not yet behind a route: the accrual and settlement rules
 * that loans will be booked with, written down and property-tested first.
 *
 * Interest: simple daily interest, ACT/365 — each calendar day (Asia/Shanghai dates, leap days included) accrues
 * `principal × rateBp / (10000 × 365)` fen on the principal outstanding that day, where `rateBp` is the annual rate
 * in basis points plus, from the day after the due date, the overdue margin. The exact amount is kept: whole fen move
 * into `interestFen` and the fraction is carried (`carry`, in units of 1/3,650,000 fen) into the next day, so
 * accruing day by day or over a whole period gives the same fen — rounding never creates or loses one. At payoff the
 * carried fraction is rounded half up into the interest owed (so a borrower pays at most half a fen for it).
 *
 * Repayment: to interest first, then principal; never more than is owed (the rest is returned as change).
 * Settlement waterfall: when the financed order is paid, the lender is paid first — up to everything owed on the
 * loan — and the rest goes to the seller.
 */
export interface LoanState {
  principalFen: number;
  interestFen: number;
  /** The fraction of a fen accrued but not yet whole, in 1/DENOMINATOR fen. */
  carry: bigint;
}

export const DENOMINATOR = 10_000n * 365n;
export const NEW_LOAN: LoanState = { principalFen: 0, interestFen: 0, carry: 0n };

const assertFen = (n: number, what: string) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what}: ${n} is not a non-negative integer of fen`);
};

export function disburse(s: LoanState, amountFen: number): LoanState {
  assertFen(amountFen, "amountFen");
  return { ...s, principalFen: s.principalFen + amountFen };
}

/** `days` days of interest at `rateBp` a year on the principal as it stands. */
export function accrue(s: LoanState, days: number, rateBp: number): LoanState {
  assertFen(days, "days");
  assertFen(rateBp, "rateBp");
  const num = BigInt(s.principalFen) * BigInt(rateBp) * BigInt(days) + s.carry;
  return { ...s, interestFen: s.interestFen + Number(num / DENOMINATOR), carry: num % DENOMINATOR };
}

/** Days from `from` to `to` (YYYY-MM-DD calendar dates): ACT, the actual count. */
export function actualDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Everything owed to settle now: principal, whole interest, and the carried fraction rounded half up. */
export function payoffFen(s: LoanState): number {
  return s.principalFen + s.interestFen + (s.carry * 2n >= DENOMINATOR ? 1 : 0);
}

/** Applies a payment: interest, then principal; paying the payoff in full also settles the carried fraction. */
export function repay(s: LoanState, amountFen: number) {
  assertFen(amountFen, "amountFen");
  const payoff = payoffFen(s);
  if (amountFen >= payoff)
    return {
      state: NEW_LOAN,
      toInterest: payoff - s.principalFen,
      toPrincipal: s.principalFen,
      changeFen: amountFen - payoff,
    };
  const toInterest = Math.min(amountFen, s.interestFen);
  const toPrincipal = amountFen - toInterest;
  return {
    state: { principalFen: s.principalFen - toPrincipal, interestFen: s.interestFen - toInterest, carry: s.carry },
    toInterest,
    toPrincipal,
    changeFen: 0,
  };
}

/** The order's payment split: the lender first, up to the loan's payoff; the seller the rest. */
export function waterfall(s: LoanState, paymentFen: number) {
  const r = repay(s, paymentFen);
  return { toLenderFen: paymentFen - r.changeFen, toSellerFen: r.changeFen, ...r };
}
