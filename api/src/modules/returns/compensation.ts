import type { ReturnReason } from "./return-states.js";

/** A compensation rule set: the platform's, or one seller's (compensation_rules). */
export interface CompensationRule {
  ownerId: string;
  enabled: boolean;
  reasons: ReturnReason[];
  warrantyDays: number;
  requireProvenUnit: boolean;
  /** null: an installed unit never qualifies; else it qualifies installed at most this many days ago. */
  maxInstalledDays: number | null;
  maxBuyerSwaps: number;
  maxBuyerRefunds30d: number;
  maxRefundFen: number;
  monthlyLimitFen: number;
}

/** What is known about a return when it is requested (gathered from the ledger, the order and past returns). */
export interface CompensationFacts {
  reason: ReturnReason;
  /** Days since delivery (or since the buyer's receipt on the ledger). */
  daysSinceDelivery: number;
  /** The ledger proves the serial is the unit sold (unit-check.ts); false for returns without serial. */
  provenUnit: boolean;
  /** Days since it was installed; null when it never was. */
  installedDaysAgo: number | null;
  /** Swap attempts by the requester in the last year. */
  buyerSwaps: number;
  /** Refunds credited to the requester in the last 30 days. */
  buyerRefunds30d: number;
  refundFen: number;
  /** Refunds the seller already credited this calendar month (Asia/Shanghai). */
  sellerMonthFen: number;
}

export interface RuleCheck {
  owner: string;
  rule: string;
  passed: boolean;
  evidence: string;
}

export interface Decision {
  auto: boolean;
  checks: RuleCheck[];
  /** Why it goes to a person, when it does. */
  reason?: string;
}

/**
 * Decides whether a return is approved and refunded by itself: both the platform's rules and the seller's must exist,
 * be enabled and pass every check. Each check carries the evidence that satisfied (or failed) it, for the audit entry.
 */
export function decide(
  platform: CompensationRule | null,
  seller: CompensationRule | null,
  f: CompensationFacts,
): Decision {
  if (!platform?.enabled) return { auto: false, checks: [], reason: "the platform has not enabled compensation" };
  if (!seller?.enabled) return { auto: false, checks: [], reason: "the seller has not enabled compensation" };
  const checks = [platform, seller].flatMap((r) => checksOf(r, f));
  const failed = checks.filter((c) => !c.passed);
  return failed.length
    ? { auto: false, checks, reason: failed.map((c) => `${c.owner}: ${c.rule}`).join("; ") }
    : { auto: true, checks };
}

function checksOf(r: CompensationRule, f: CompensationFacts): RuleCheck[] {
  const owner = r.ownerId;
  const installed =
    f.installedDaysAgo === null
      ? { passed: true, evidence: "the ledger has no installation of this unit" }
      : {
          passed: r.maxInstalledDays !== null && f.installedDaysAgo <= r.maxInstalledDays,
          evidence: `installed ${f.installedDaysAgo} days ago; limit ${r.maxInstalledDays ?? "not installed"}`,
        };
  return [
    {
      owner,
      rule: "reason",
      passed: r.reasons.includes(f.reason),
      evidence: `${f.reason} in [${r.reasons.join(", ")}]`,
    },
    {
      owner,
      rule: "within_warranty",
      passed: f.daysSinceDelivery <= r.warrantyDays,
      evidence: `delivered ${f.daysSinceDelivery} days ago; warranty ${r.warrantyDays} days`,
    },
    {
      owner,
      rule: "proven_unit",
      passed: !r.requireProvenUnit || f.provenUnit,
      evidence: f.provenUnit
        ? "the ledger shows this serial shipped on the order and received by the buyer"
        : "not proven",
    },
    { owner, rule: "installation", ...installed },
    {
      owner,
      rule: "buyer_history",
      passed: f.buyerSwaps <= r.maxBuyerSwaps && f.buyerRefunds30d < r.maxBuyerRefunds30d,
      evidence: `${f.buyerSwaps} swap attempts (≤ ${r.maxBuyerSwaps}); ${f.buyerRefunds30d} refunds in 30 days (< ${r.maxBuyerRefunds30d})`,
    },
    {
      owner,
      rule: "refund_amount",
      passed: f.refundFen <= r.maxRefundFen,
      evidence: `${f.refundFen} fen ≤ ${r.maxRefundFen} fen`,
    },
    {
      owner,
      rule: "seller_monthly_limit",
      passed: f.sellerMonthFen + f.refundFen <= r.monthlyLimitFen,
      evidence: `${f.sellerMonthFen} + ${f.refundFen} fen this month ≤ ${r.monthlyLimitFen} fen`,
    },
  ];
}
