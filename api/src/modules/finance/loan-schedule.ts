import { DENOMINATOR, type LoanState } from "./loan-math.js";

/**
 * Repayment schedules of order loans (DECISIONS 116), pure and in integer fen.
 *
 * A plan is `bullet` (all principal on the last date) or `equal_principal` (等额本金): principal split into `n`
 * instalments of `floor(P / n)` fen, the first `P mod n` instalments one fen more — so the instalments sum to the
 * principal exactly. Instalment k (1 … n) falls due `round(termDays × k / n)` days after the disbursement; the last on
 * the loan's due date. Interest is not part of the plan: it accrues daily on what is outstanding (loan-math.ts) and is
 * due with each instalment — what a payment on the instalment's date would pay (days before it).
 *
 * Principal repaid is allocated to the instalments due on or before the payment's date, oldest first; what is left
 * (an early repayment) is re-spread over the instalments still to come by the plan's own rule (equal shares,
 * remainder first; bullet: all on the last) — the term stays, each later instalment shrinks. So at every moment the
 * unpaid principal of the instalments equals the loan's principal outstanding.
 *
 * Overdue: from the day after an instalment's date, its unpaid principal accrues the overdue margin on top of the
 * contract rate (the rest of the principal the contract rate only). Unpaid interest is not charged interest.
 */
export const PLAN_KINDS = ["bullet", "equal_principal"] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

export interface Instalment {
  no: number;
  dueDate: string;
  /** Scheduled principal (changed by re-spreads). */
  principalFen: number;
  /** Principal repaid against it. */
  paidFen: number;
}

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** `total` fen in `n` shares by the plan's rule. */
export function split(kind: PlanKind, total: number, n: number): number[] {
  if (n <= 0) return [];
  if (kind === "bullet") return Array.from({ length: n }, (_, i) => (i === n - 1 ? total : 0));
  const base = Math.floor(total / n);
  const rest = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < rest ? 1 : 0));
}

/** The instalments of a loan of `principalFen` paid out on `from` for `termDays` days, in `n` instalments. */
export function plan(kind: PlanKind, principalFen: number, from: string, termDays: number, n: number): Instalment[] {
  if (!Number.isSafeInteger(n) || n < 1 || n > termDays)
    throw new RangeError(`instalments: ${n} must be 1 … termDays (${termDays})`);
  const shares = split(kind, principalFen, n);
  return shares.map((principal, i) => ({
    no: i + 1,
    dueDate: addDays(from, Math.round((termDays * (i + 1)) / n)),
    principalFen: principal,
    paidFen: 0,
  }));
}

/** The instalments with every date after `on` brought forward to `on` (the loan called: due at once). */
export const call = (inst: readonly Instalment[], on: string): Instalment[] =>
  inst.map((i) => (i.dueDate > on ? { ...i, dueDate: on } : i));

export const unpaid = (i: Instalment) => i.principalFen - i.paidFen;

/** Principal past due on `day`: unpaid principal of instalments whose date is before it. */
export const overdueOn = (inst: readonly Instalment[], day: string) =>
  inst.reduce((s, i) => s + (i.dueDate < day ? unpaid(i) : 0), 0);

/** The earliest date with unpaid principal, or null. */
export const nextDue = (inst: readonly Instalment[]) => inst.find((i) => unpaid(i) > 0)?.dueDate ?? null;

/**
 * Principal of `amountFen` repaid on `on`: to the instalments due by then, oldest first; the rest re-spread over the
 * later ones by the plan's rule.
 */
export function allocate(kind: PlanKind, inst: readonly Instalment[], amountFen: number, on: string): Instalment[] {
  let left = amountFen;
  const out = inst.map((i) => ({ ...i }));
  for (const i of out) {
    if (i.dueDate > on || left === 0) continue;
    const take = Math.min(left, unpaid(i));
    i.paidFen += take;
    left -= take;
  }
  if (left === 0) return out;
  const later = out.filter((i) => i.dueDate > on);
  const remaining = later.reduce((s, i) => s + unpaid(i), 0);
  if (left > remaining) throw new RangeError(`principal ${amountFen} is more than the ${remaining} fen outstanding`);
  const shares = split(kind, remaining - left, later.length);
  later.forEach((i, k) => (i.principalFen = i.paidFen + shares[k]!));
  return out;
}

/**
 * Interest for the days `from` … `to − 1` on `s.principalFen`, the contract rate on all of it and the overdue margin
 * on the part past due that day (constant between instalment dates, so the period is cut at each date + 1).
 */
export function accrueScheduled(
  s: LoanState,
  inst: readonly Instalment[],
  from: string,
  to: string,
  rateBp: number,
  overdueBp: number,
): LoanState {
  if (to <= from) return s;
  const cuts = [...new Set(inst.map((i) => addDays(i.dueDate, 1)))].filter((d) => d > from && d < to).sort();
  let num = s.carry;
  let at = from;
  for (const end of [...cuts, to]) {
    const days = BigInt(daysBetween(at, end));
    num += (BigInt(s.principalFen) * BigInt(rateBp) + BigInt(overdueOn(inst, at)) * BigInt(overdueBp)) * days;
    at = end;
  }
  return { ...s, interestFen: s.interestFen + Number(num / DENOMINATOR), carry: num % DENOMINATOR };
}

export interface ProjectedInstalment {
  no: number;
  dueDate: string;
  principalFen: number;
  interestFen: number;
  totalFen: number;
  /** Principal repaid against it so far. */
  paidPrincipalFen: number;
  /** `paid` (nothing unpaid), `overdue` (date passed, principal unpaid), `due` (today), or `scheduled`. */
  status: "paid" | "overdue" | "due" | "scheduled";
  /** For an overdue instalment: the margin its unpaid principal has accrued since its date, to today (floored). */
  overdueInterestFen: number;
}

/**
 * The schedule as it stands on `today`, if every instalment still to come is paid on its date: each one's principal,
 * and the interest a payment on that date would pay — accrued from today (with the whole interest already owed in
 * the first one still open), whole fen, the fraction carried on, the last rounding it half up as a payoff does. Past,
 * unpaid instalments show as due now, with the overdue margin accrued on them (informative, floored per instalment).
 */
export function project(
  s: LoanState,
  inst: readonly Instalment[],
  today: string,
  rateBp: number,
  overdueBp: number,
): ProjectedInstalment[] {
  const out: ProjectedInstalment[] = [];
  let state: LoanState = s;
  let at = today;
  let carryInterest = s.interestFen;
  const lastOpen = [...inst].reverse().find((i) => unpaid(i) > 0)?.no ?? 0;
  for (const i of inst) {
    const owed = unpaid(i);
    const base = { no: i.no, dueDate: i.dueDate, paidPrincipalFen: i.paidFen };
    if (owed === 0) {
      out.push({
        ...base,
        principalFen: i.principalFen,
        interestFen: 0,
        totalFen: 0,
        status: "paid",
        overdueInterestFen: 0,
      });
      continue;
    }
    let interest = 0;
    if (i.dueDate > at) {
      // Accrued to the instalment's date at the contract rate on what will be outstanding then (on-time payer).
      const next = accrueScheduled({ ...state, interestFen: 0 }, [], at, i.dueDate, rateBp, 0);
      interest = next.interestFen;
      state = { ...state, carry: next.carry };
      at = i.dueDate;
    }
    interest += carryInterest;
    carryInterest = 0;
    if (i.no === lastOpen && state.carry * 2n >= DENOMINATOR) interest += 1;
    const overdueInterestFen =
      i.dueDate < today
        ? Number((BigInt(owed) * BigInt(overdueBp) * BigInt(daysBetween(addDays(i.dueDate, 1), today))) / DENOMINATOR)
        : 0;
    out.push({
      ...base,
      principalFen: owed,
      interestFen: interest,
      totalFen: owed + interest,
      status: i.dueDate < today ? "overdue" : i.dueDate === today ? "due" : "scheduled",
      overdueInterestFen,
    });
    state = { ...state, principalFen: state.principalFen - owed };
  }
  return out;
}
