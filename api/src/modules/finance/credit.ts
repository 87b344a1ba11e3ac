/**
 * The credit score (DECISIONS 78): five factors, each scored 0–100 from evidence others signed or confirmed, weighted
 * by fixed integer percentages that sum to 100. Every factor is shown with its value, its score, its weight and what
 * it contributed, so a lender can recompute the total by hand. Pure: the evidence is read elsewhere.
 */
export interface CreditEvidence {
  /** Orders this company sold in that their buyers confirmed delivered, last 365 days, and their value. */
  deliveredOrders: number;
  deliveredValueFen: number;
  /** Parts received on the ledger (receiving events it signed), last 365 days. */
  receivedParts: number;
  /** Of the fen it owed that fell due, how much was paid by the due date; null without any invoice due. */
  dueFen: number;
  paidOnTimeFen: number;
  /** Parts it handled on the ledger that brand owners confirmed counterfeit. */
  counterfeitConfirmed: number;
  /** Days since it was registered on the platform. */
  tenureDays: number;
}

export const WEIGHTS = { deliveries: 30, receipts: 15, punctuality: 30, counterfeit: 15, tenure: 10 } as const;
export type FactorKey = keyof typeof WEIGHTS;

const clamp = (x: number) => Math.max(0, Math.min(100, Math.round(x)));

export function creditScore(e: CreditEvidence) {
  const scores: Record<FactorKey, { value: number; score: number; basis: string }> = {
    deliveries: {
      value: e.deliveredOrders,
      score: clamp((e.deliveredOrders * 100) / 50),
      basis: "orders its buyers confirmed delivered in the last 365 days; 50 or more score 100",
    },
    receipts: {
      value: e.receivedParts,
      score: clamp((e.receivedParts * 100) / 500),
      basis: "parts it received on the ledger (signed receiving events) in the last 365 days; 500 or more score 100",
    },
    punctuality: {
      value: e.dueFen === 0 ? 0 : Math.round((e.paidOnTimeFen * 10_000) / e.dueFen),
      score: e.dueFen === 0 ? 50 : clamp((e.paidOnTimeFen * 100) / e.dueFen),
      basis:
        "basis points of the fen it owed that fell due which it paid by the due date; no invoice due yet scores 50",
    },
    counterfeit: {
      value: e.counterfeitConfirmed,
      score: clamp(100 - 50 * e.counterfeitConfirmed),
      basis: "parts it handled that brand owners confirmed counterfeit; each one takes 50 off 100",
    },
    tenure: {
      value: e.tenureDays,
      score: clamp((e.tenureDays * 100) / 730),
      basis: "days on the platform; two years or more score 100",
    },
  };
  const factors = (Object.keys(WEIGHTS) as FactorKey[]).map((key) => ({
    key,
    ...scores[key],
    weight: WEIGHTS[key],
    /** score × weight / 100, to two decimals; the score is the rounded sum of these. */
    contribution: Math.round(scores[key].score * WEIGHTS[key]) / 100,
  }));
  const score = Math.round(factors.reduce((s, f) => s + f.score * f.weight, 0) / 100);
  return { score, factors, deliveredValueFen: e.deliveredValueFen };
}
