import { expect } from "chai";
import { rng } from "../../scripts/lib/catalog-generator.js";
import { heldOut, uplift } from "../../api/src/modules/promotions/holdout.js";
import { measure } from "../../api/src/modules/promotions/promotions.service.js";

/**
 * A simulated population of shops with a known true uplift: each shop that searched converts with the base rate, plus
 * the true uplift when it saw the promotion (not held out by the real hash). The measured interval must contain the
 * truth, and the hold-out must be the share asked for.
 */
describe("promotions: the measured uplift against the hold-out (simulated shops, seeded)", () => {
  const SEED = 20261224;
  const RUNS = 120;
  const simulate = (
    seed: number,
    shops: number,
    base: number,
    trueUplift: number,
    promotionId: string,
    pct: number,
  ) => {
    const r = rng(seed);
    return Array.from({ length: shops }, (_, i) => {
      const shopId = `c_${(i * 2654435761).toString(16).padStart(16, "0").slice(-16)}`;
      const sees = !heldOut(shopId, promotionId, pct);
      return { shopId, converted: r() < base + (sees ? trueUplift : 0) };
    });
  };

  it(`contains the true uplift (+4 points on 12 %) and excludes zero; the hold-out is 20 % (seed ${SEED})`, () => {
    const promo = { id: "pr_00000000000000aa", holdoutPct: 20 };
    const m = measure(promo, simulate(SEED, 20_000, 0.12, 0.04, promo.id, 20));
    const share = m.heldOut.shops / (m.heldOut.shops + m.treated.shops);
    expect(share).to.be.within(0.19, 0.21);
    expect(m.low!).to.be.below(0.04);
    expect(m.high!).to.be.above(0.04);
    expect(m.low!).to.be.above(0); // with 20,000 shops a 4-point uplift is detected
    expect(m.high! - m.low!).to.be.below(0.04);
  });

  it("covers the truth in about 95 % of 120 seeded populations, with and without an effect", () => {
    for (const truth of [0, 0.05]) {
      let covered = 0;
      for (let k = 0; k < RUNS; k++) {
        const promo = { id: `pr_${k.toString(16).padStart(16, "0")}`, holdoutPct: 20 };
        const m = measure(promo, simulate(SEED + k, 2_000, 0.1, truth, promo.id, 20));
        if (m.low! <= truth && truth <= m.high!) covered++;
      }
      expect(covered / RUNS, `truth ${truth}`).to.be.within(0.88, 0.99);
    }
  });

  it("assigns shops by a stable hash of shop and promotion, independently per promotion", () => {
    expect(heldOut("c_0123456789abcdef", "pr_0000000000000001", 20)).to.equal(
      heldOut("c_0123456789abcdef", "pr_0000000000000001", 20),
    );
    const ids = Array.from({ length: 2_000 }, (_, i) => `c_${i}`);
    const a = ids.filter((s) => heldOut(s, "pr_a", 20));
    const b = new Set(ids.filter((s) => heldOut(s, "pr_b", 20)));
    const both = a.filter((s) => b.has(s)).length;
    expect(both / 2_000).to.be.within(0.02, 0.06); // ≈ 0.2 × 0.2: not the same shops every time
  });

  it("answers no interval when a group is empty, and a small-sample interval inside [-1, 1]", () => {
    expect(uplift({ treated: { shops: 5, converted: 1 }, heldOut: { shops: 0, converted: 0 } }).uplift).to.equal(null);
    const u = uplift({ treated: { shops: 8, converted: 8 }, heldOut: { shops: 2, converted: 0 } });
    expect(u.uplift).to.equal(1);
    expect(u.low!).to.be.within(-1, 1);
    expect(u.high!).to.be.within(-1, 1.0000001);
  });
});
