import { expect } from "chai";
import { rng } from "../../scripts/lib/catalog-generator.js";
import { decide, type CompensationFacts, type CompensationRule } from "../../api/src/modules/returns/compensation.js";
import { RETURN_REASONS } from "../../api/src/modules/returns/return-states.js";

/**
 * Compensation in seconds: a labelled set generated from attributes. Each case draws the facts of a return and the two
 * rule sets (the platform's, the seller's) at random — around and on every limit — and is labelled by the policy as the
 * issue states it, written here once over the stricter of the two rule sets: auto-approve only when the reason is
 * covered, the unit is within warranty and proven the one sold, not installed (or installed recently enough), the
 * buyer's history is clean and the seller stays under its limits; everything else goes to a person.
 */
const SEED = Number(process.env.COMPENSATION_SEED ?? 20261221);
const CASES = 240;

function label(p: CompensationRule | null, s: CompensationRule | null, f: CompensationFacts): "auto" | "person" {
  if (!p?.enabled || !s?.enabled) return "person";
  const min = (k: "warrantyDays" | "maxBuyerSwaps" | "maxBuyerRefunds30d" | "maxRefundFen" | "monthlyLimitFen") =>
    Math.min(p[k], s[k]);
  const installedOk =
    f.installedDaysAgo === null ||
    (p.maxInstalledDays !== null &&
      s.maxInstalledDays !== null &&
      f.installedDaysAgo <= Math.min(p.maxInstalledDays, s.maxInstalledDays));
  const covered = p.reasons.includes(f.reason) && s.reasons.includes(f.reason);
  const proven = f.provenUnit || (!p.requireProvenUnit && !s.requireProvenUnit);
  return covered &&
    f.daysSinceDelivery <= min("warrantyDays") &&
    proven &&
    installedOk &&
    f.buyerSwaps <= min("maxBuyerSwaps") &&
    f.buyerRefunds30d < min("maxBuyerRefunds30d") &&
    f.refundFen <= min("maxRefundFen") &&
    f.sellerMonthFen + f.refundFen <= min("monthlyLimitFen")
    ? "auto"
    : "person";
}

describe("compensation rules: a labelled set of generated cases decided correctly", () => {
  it(`decides ${CASES} generated cases as the policy labels them (seed ${SEED})`, () => {
    const r = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    /** A value on, just under or just over `limit`, or far from it: the cases that decide. */
    const near = (limit: number) => Math.max(0, pick([limit - 1, limit, limit + 1, Math.floor(limit / 2), limit * 3]));
    const rule = (ownerId: string): CompensationRule | null =>
      r() < 0.05
        ? null
        : {
            ownerId,
            enabled: r() > 0.05,
            reasons: r() < 0.7 ? ["defective"] : ["defective", "damaged_in_transit"],
            warrantyDays: pick([90, 180, 365]),
            requireProvenUnit: r() < 0.8,
            maxInstalledDays: pick([null, 7, 30]),
            maxBuyerSwaps: pick([0, 1, 2]),
            maxBuyerRefunds30d: pick([3, 5, 10]),
            maxRefundFen: pick([50_000, 200_000]),
            monthlyLimitFen: pick([500_000, 2_000_000]),
          };
    const tally = { auto: 0, person: 0 };
    for (let i = 0; i < CASES; i++) {
      const platform = rule("platform");
      const seller = rule("co_seller");
      const ref = seller ?? platform;
      // Facts drawn around the limits of one of the rule sets, so both outcomes occur often.
      const facts: CompensationFacts = {
        reason: r() < 0.85 ? "defective" : pick(RETURN_REASONS),
        daysSinceDelivery: r() < 0.6 ? pick([0, 3, 30]) : near(ref?.warrantyDays ?? 180),
        provenUnit: r() < 0.9,
        installedDaysAgo: r() < 0.65 ? null : near(ref?.maxInstalledDays ?? 30),
        buyerSwaps: r() < 0.8 ? 0 : near(ref?.maxBuyerSwaps ?? 1),
        buyerRefunds30d: r() < 0.75 ? 0 : near(ref?.maxBuyerRefunds30d ?? 5),
        refundFen: r() < 0.8 ? pick([2_500, 25_000, 49_900]) : near(ref?.maxRefundFen ?? 50_000),
        sellerMonthFen: r() < 0.7 ? 0 : near(ref?.monthlyLimitFen ?? 500_000),
      };
      const want = label(platform, seller, facts);
      const got = decide(platform, seller, facts);
      tally[want]++;
      expect(
        got.auto ? "auto" : "person",
        `case ${i} (seed ${SEED}): ${JSON.stringify({ platform, seller, facts })}`,
      ).to.equal(want);
      // Every decision carries its evidence: a check per rule of both sets, and why a person decides.
      if (got.auto) expect(got.checks).to.have.length(14);
      else expect(got.reason).to.be.a("string").and.not.equal("");
    }
    // The set is balanced enough to mean something both ways.
    expect(tally.auto, JSON.stringify(tally)).to.be.greaterThan(CASES / 8);
    expect(tally.person, JSON.stringify(tally)).to.be.greaterThan(CASES / 8);
  });
});
