/**
 * Collateral arithmetic (DECISIONS 110): the units a pledged warehouse receipt still locks, valued at the shared pool's
 * price, against the amount the lender secured with it. Integer fen and basis points throughout.
 */

export interface CollateralLine {
  skuId: number;
  /** Units the receipt still locks. */
  quantity: number;
  /** The pool's price of one unit (fen), or null when no shared stock of the SKU is priced: it then counts 0. */
  unitPriceFen: number | null;
}

export interface CollateralTerms {
  securedFen: number;
  maxLtvBp: number;
}

export interface CollateralValue {
  valueFen: number;
  /** Units with no pool price (valued at 0). */
  unpricedUnits: number;
  /** secured ÷ value in basis points, rounded up (never understates the risk); null when nothing could be valued. */
  ltvBp: number | null;
  /** The value the loan needs to stay within its agreed ratio: secured ÷ maxLtv, rounded up. */
  requiredFen: number | null;
  /** Whether a margin call is due: the loan-to-value is above the agreed ratio, or nothing can be valued. */
  marginCall: boolean;
}

export function valueCollateral(lines: readonly CollateralLine[], terms: CollateralTerms | null): CollateralValue {
  let valueFen = 0;
  let unpricedUnits = 0;
  for (const l of lines) {
    if (l.unitPriceFen === null) unpricedUnits += l.quantity;
    else valueFen += l.quantity * l.unitPriceFen;
  }
  if (!terms) return { valueFen, unpricedUnits, ltvBp: null, requiredFen: null, marginCall: false };
  const ltvBp = valueFen > 0 ? ceilDiv(terms.securedFen * 10_000, valueFen) : null;
  return {
    valueFen,
    unpricedUnits,
    ltvBp,
    requiredFen: ceilDiv(terms.securedFen * 10_000, terms.maxLtvBp),
    marginCall: ltvBp === null || ltvBp > terms.maxLtvBp,
  };
}

/** ⌈a ÷ b⌉ for non-negative integers (exact in doubles below 2^53: amounts here are far below). */
function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
