import { expect } from "chai";
import { countLevelForShortage, countQuantiles } from "../../api/src/modules/forecast/distribution.js";
import { croston, sba, seasonalNaive, tsb } from "../../api/src/modules/forecast/methods.js";
import { mase, seasonalScale, WqlAccumulator } from "../../api/src/modules/forecast/metrics.js";

const run = (f: (y: Float64Array, out: Float64Array) => void, y: number[], h = 3) => {
  const out = new Float64Array(h);
  f(Float64Array.from(y), out);
  return Array.from(out);
};

describe("forecast methods (known answers)", () => {
  it("Croston: sizes and intervals smoothed from the first demand (alpha 0.1), forecast size / interval", () => {
    // First demand 3 at t=1 → size 3, interval 2; next demand 6 after 3 periods → size 3.3, interval 2.1.
    const f = run((y, o) => croston(y, o), [0, 3, 0, 0, 6, 0]);
    for (const v of f) expect(v).to.be.closeTo(3.3 / 2.1, 1e-12);
    for (const v of run((y, o) => sba(y, o), [0, 3, 0, 0, 6, 0])) expect(v).to.be.closeTo((0.95 * 3.3) / 2.1, 1e-12);
  });

  it("Croston-family methods forecast 0 for a history without demand", () => {
    expect(run((y, o) => croston(y, o), [0, 0, 0, 0])).to.deep.equal([0, 0, 0]);
    expect(run(tsb, [0, 0, 0, 0])).to.deep.equal([0, 0, 0]);
  });

  it("SeasonalNaive repeats the last full season", () => {
    const y = Array.from({ length: 24 }, (_, i) => i + 1);
    expect(run((s, o) => seasonalNaive(s, 12, o), y, 14)).to.deep.equal([
      13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 13, 14,
    ]);
  });

  it("MASE on a tiny example: in-sample seasonal naive scale, lag 1 when the history is not longer than a season", () => {
    expect(seasonalScale([1, 2, 3, 4, 5], 12)).to.equal(1);
    const y14 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2];
    expect(seasonalScale(y14, 12)).to.equal(2.5); // (|4−1| + |2−0|) / 2
    expect(mase([6, 7], [5, 5], seasonalScale([1, 2, 3, 4, 5], 1))).to.equal(1.5);
    expect(mase([1], [0], seasonalScale([2, 2, 2], 1))).to.equal(Infinity);
  });

  it("WQL: 2 Σ pinball / Σ |y|, averaged over levels", () => {
    const w = new WqlAccumulator([0.5]);
    w.add([2, 4], [[1, 4]]);
    expect(w.value()).to.be.closeTo((2 * 0.5 * 1) / 6, 1e-12);
  });

  it("count quantiles: Poisson(1) has 0.1→0, 0.5→1, 0.9→2, 0.95→3; a zero mean has all-zero quantiles", () => {
    const out = new Float64Array(4);
    countQuantiles(1, 1, [0.1, 0.5, 0.9, 0.95], out);
    expect(Array.from(out)).to.deep.equal([0, 1, 2, 3]);
    countQuantiles(0, 3, [0.1, 0.5, 0.9, 0.95], out);
    expect(Array.from(out)).to.deep.equal([0, 0, 0, 0]);
  });

  it("fill-rate stock level: the smallest S with E[(D − S)⁺] within the allowance (Poisson(1): 1, .368, .104, .023)", () => {
    expect(countLevelForShortage(1, 1, 0.05)).to.equal(3);
    expect(countLevelForShortage(1, 1, 0.2)).to.equal(2);
    expect(countLevelForShortage(1, 1, 0.5)).to.equal(1);
  });
});
