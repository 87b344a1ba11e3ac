import { DENOMINATOR, NEW_LOAN, disburse, payoffFen, repay, type LoanState } from "./loan-math.js";
import { accrueScheduled, addDays, allocate, type Instalment, type PlanKind } from "./loan-schedule.js";

/**
 * Order loans as records (DECISIONS 105): the declared state table and the pure bookkeeping the service and the
 * statements share — accrual between two dates across the due date, and a replay of a loan's entries.
 */
export const LOAN_STATUSES = [
  "applied",
  "proposed",
  "approved",
  "declined",
  "withdrawn",
  "disbursed",
  "overdue",
  "closed",
] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** Every move a loan may make; anything else is `409 LOAN.INVALID_TRANSITION`. */
export const LOAN_TRANSITIONS: Readonly<Record<LoanStatus, readonly LoanStatus[]>> = {
  applied: ["proposed", "declined", "withdrawn"],
  proposed: ["approved", "declined", "withdrawn"],
  approved: ["disbursed", "declined", "withdrawn"],
  disbursed: ["overdue", "closed"],
  overdue: ["disbursed", "closed"],
  declined: [],
  withdrawn: [],
  closed: [],
};

export const canMove = (from: LoanStatus, to: LoanStatus) => LOAN_TRANSITIONS[from].includes(to);
/** The states a loan must be in to move to `to`. */
export const fromStates = (to: LoanStatus) => LOAN_STATUSES.filter((s) => canMove(s, to));

/** `date` plus `days` (YYYY-MM-DD). */
export { addDays };

export interface Terms {
  rateBp: number;
  overdueBp: number;
  /** The last day at the contract rate; from the next day the overdue margin is added. */
  dueDate: string;
  /** The repayment plan (DECISIONS 116); without one, a single bullet instalment on the due date. */
  kind?: PlanKind;
  /** The plan's instalments as disbursed (dates as called, nothing paid). */
  plan?: readonly Instalment[];
}

/** One bullet instalment of everything outstanding, on the due date: the plan of a loan without one. */
const bulletOf = (s: LoanState, t: Terms): Instalment[] => [
  { no: 1, dueDate: t.dueDate, principalFen: s.principalFen, paidFen: 0 },
];

/**
 * Interest for the days `from` … `to − 1` (each day on the principal as it stands): at the contract rate, plus the
 * overdue margin on the principal of instalments past their date (`inst`; by default one instalment of all of it on
 * the due date). Returns the state and the whole fen it added.
 */
export function accrueBetween(s: LoanState, from: string, to: string, t: Terms, inst?: readonly Instalment[]) {
  const next = accrueScheduled(s, inst ?? bulletOf(s, t), from, to, t.rateBp, t.overdueBp);
  return { state: next, interestFen: next.interestFen - s.interestFen };
}

export interface Entry {
  kind: "disbursement" | "repayment" | "waterfall";
  amountFen: number;
  onDate: string;
}

export interface Totals {
  disbursedFen: number;
  interestFen: number;
  repaidFen: number;
}

/**
 * Replays entries (in booking order) up to the start of `until` — interest accrued for the days before it, entries
 * dated before it — and returns the state and what was disbursed, accrued (whole fen, and the fraction a payoff
 * rounded in) and repaid. `disbursed + interest = repaid + principal + interest outstanding`, always.
 */
export function replay(entries: readonly Entry[], terms: Terms, until: string) {
  let s: LoanState = NEW_LOAN;
  let inst: Instalment[] | null = terms.plan ? [...terms.plan] : null;
  let at = null as string | null;
  const totals: Totals = { disbursedFen: 0, interestFen: 0, repaidFen: 0 };
  for (const e of entries) {
    if (e.onDate >= until) break;
    if (at !== null && e.onDate > at) {
      const a = accrueBetween(s, at, e.onDate, terms, inst ?? undefined);
      s = a.state;
      totals.interestFen += a.interestFen;
    }
    at = at === null || e.onDate > at ? e.onDate : at;
    if (e.kind === "disbursement") {
      s = disburse(s, e.amountFen);
      inst ??= bulletOf(s, terms);
      totals.disbursedFen += e.amountFen;
    } else {
      const r = repay(s, e.amountFen);
      totals.interestFen += r.toInterest - Math.min(r.toInterest, s.interestFen);
      totals.repaidFen += e.amountFen - r.changeFen;
      if (inst && r.toPrincipal > 0) inst = allocate(terms.kind ?? "bullet", inst, r.toPrincipal, e.onDate);
      s = r.state;
    }
  }
  if (at !== null && until > at) {
    const a = accrueBetween(s, at, until, terms, inst ?? undefined);
    s = a.state;
    totals.interestFen += a.interestFen;
  }
  return { state: s, totals, outstandingFen: s.principalFen + s.interestFen, instalments: inst ?? [] };
}

/** What a repayment of `amountFen` on a loan in state `s` books, refusing more than the payoff. */
export function applyRepayment(s: LoanState, amountFen: number) {
  const payoff = payoffFen(s);
  const r = repay(s, Math.min(amountFen, payoff));
  const roundedIn = r.toInterest - Math.min(r.toInterest, s.interestFen);
  const done = r.state.principalFen === 0 && payoffFen(r.state) === 0;
  return { ...r, payoff, roundedIn, done };
}

export const carryOk = (c: bigint) => c >= 0n && c < DENOMINATOR;
