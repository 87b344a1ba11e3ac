import { expect } from "chai";
import { forecastBatch, forecastBatchParallel } from "../../api/src/modules/forecast/forecast.batch.js";
import { forecast, MODELS, WQL_LEVELS } from "../../api/src/modules/forecast/forecast.engine.js";
import {
  compoundFillRateLevel,
  compoundOrderUpTo,
  forecastOrderUpTo,
  recentAverageOrderUpTo,
  simulateReplenishment,
} from "../../api/src/modules/forecast/replenishment.js";

/** A seeded generator, so that a failure replays (the seed is printed in the test name). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const SEED = 20261201;
const CROSTON_FAMILY = ["croston", "sba", "tsb", "adida", "imapa"];

describe(`forecast engine (seed ${SEED})`, () => {
  const rand = rng(SEED);
  const seasonal = Array.from({ length: 48 }, (_, t) =>
    Math.round(100 + 40 * Math.sin((2 * Math.PI * t) / 12) + 4 * (rand() - 0.5)),
  );
  // Demand in about 1 month in 10, then (a new fitment) 1 in 3 with larger orders.
  const intermittent = Array.from({ length: 48 }, (_, t) =>
    rand() < (t < 24 ? 0.1 : 0.3) ? 1 + Math.floor(rand() * (t < 24 ? 2 : 4)) : 0,
  );

  it("chooses a seasonal model for a clearly seasonal series, and its forecast follows the season", () => {
    const r = forecast(seasonal, { horizon: 12, seasonPeriod: 12 });
    expect(["seasonalNaive", "holtWinters"]).to.include(r.model);
    const peak = r.mean.indexOf(Math.max(...r.mean));
    expect(peak).to.be.within(1, 4); // sin peaks at t ≡ 3 (mod 12); 48 is a multiple of 12
    expect(r.cvMase).to.be.lessThan(1.5);
  });

  it("chooses an intermittent-demand method for an intermittent series (Croston family among single methods)", () => {
    const r = forecast(intermittent, { horizon: 12, seasonPeriod: 12 });
    expect(["combo", ...CROSTON_FAMILY]).to.include(r.model);
    // Against the continuous-demand methods alone (no combination, no long-run mean), a Croston-family method wins.
    const single = MODELS.filter((m) => m !== "combo" && m !== "mean");
    expect(CROSTON_FAMILY).to.include(forecast(intermittent, { horizon: 12, seasonPeriod: 12, models: single }).model);
    expect(r.distribution.kind).to.equal("count");
    expect(
      r.quantiles["0.5"]!.every((v) => v === 0),
      "the median of a slow mover is 0",
    ).to.equal(true);
  });

  it("quantiles are non-negative and non-decreasing in the level, for counts and for fractional series", () => {
    const r2 = rng(SEED + 1);
    for (let k = 0; k < 40; k++) {
      const fractional = k % 2 === 1;
      const y = Array.from({ length: 12 + Math.floor(r2() * 40) }, () => {
        const v = r2() < 0.5 ? 0 : r2() * 20;
        return fractional ? v : Math.round(v);
      });
      const r = forecast(y, { horizon: 6, seasonPeriod: 12, quantiles: [0.05, ...WQL_LEVELS, 0.99] });
      const levels = Object.keys(r.quantiles)
        .map(Number)
        .sort((a, b) => a - b);
      expect(levels).to.include(0.5);
      for (let i = 0; i < 6; i++) {
        let prev = 0;
        for (const l of levels) {
          const v = r.quantiles[String(l)]![i]!;
          expect(v, `series ${k} step ${i} level ${l}`).to.be.at.least(prev);
          prev = v;
        }
        expect(r.mean[i]).to.be.at.least(0);
        expect(r.median[i]).to.equal(r.quantiles["0.5"]![i]);
      }
    }
  });

  it("the batch form, in this thread and in worker threads, gives the single-series answers", async () => {
    const all = [seasonal, intermittent, [0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0]];
    const values = Float64Array.from(all.flat());
    const offsets = Int32Array.from([0, ...all.map((_, i) => all.slice(0, i + 1).flat().length)]);
    const opts = { horizon: 12, seasonPeriod: 12 };
    const serial = forecastBatch({ values, offsets }, opts);
    const parallel = await forecastBatchParallel({ values, offsets }, opts, 2, 1);
    all.forEach((y, i) => {
      const r = forecast(y, opts);
      expect(MODELS[serial.model[i]!]).to.equal(r.model);
      expect(Array.from(serial.mean.subarray(i * 12, i * 12 + 12))).to.deep.equal(r.mean);
      const j = serial.levels.indexOf(0.9);
      const L = serial.levels.length;
      expect(Array.from(serial.quantiles.subarray((i * L + j) * 12, (i * L + j + 1) * 12))).to.deep.equal(
        r.quantiles["0.9"],
      );
    });
    expect(Array.from(parallel.model)).to.deep.equal(Array.from(serial.model));
    expect(Array.from(parallel.quantiles)).to.deep.equal(Array.from(serial.quantiles));
  });

  it("replenishment: receipts after the lead time, lost sales counted, stock averaged over each period", () => {
    const o = simulateReplenishment([2, 2, 2], [2, 2, 2], () => 5);
    expect(o).to.deep.include({ demand: 6, sold: 6, stockPeriods: 8, periods: 3 });
    const short = simulateReplenishment([1, 1, 1], [0, 3, 0], recentAverageOrderUpTo());
    expect(short.demand).to.equal(3);
    expect(short.sold).to.equal(1); // S = 1; the month with 3 sells the one unit on hand
  });

  it("the forecast policy stocks a steady seller above its mean demand and never beyond its largest 2-month demand", () => {
    const steady = Array.from({ length: 36 }, (_, t) => 5 + (t % 3));
    const s = forecastOrderUpTo(0.95, 2)(steady);
    expect(s).to.be.above(12).and.at.most(14);
    expect(forecastOrderUpTo(0.95, 2)([0, 0, 0, 0, 0, 0])).to.equal(0);
  });

  it("the compound level: an order comes or not, its size one the history shows; exact expected shortage", () => {
    // One period, sizes {2}, mean 0.5: D = 0 (p .75) or 2 (p .25), E[D] = 0.5.
    expect(compoundFillRateLevel([2], [0.5], 1, 0)).to.equal(0); // any shortage allowed
    expect(compoundFillRateLevel([2], [0.5], 1, 0.5)).to.equal(1); // E[(D−1)+] = 0.25 ≤ 0.5 × 0.5
    expect(compoundFillRateLevel([2], [0.5], 1, 0.9)).to.equal(2); // E[(D−1)+] = 0.25 > 0.05
    // Two periods of sizes {1, 3} at mean 1 (p = .5 each): D reaches 6; a 99 % fill needs more than one order's worth.
    const s = compoundFillRateLevel([1, 3], [1, 1], 1, 0.99)!;
    expect(s).to.be.within(4, 6);
    // A mean above the mean size scales the sizes (a steady seller is not capped at its usual order).
    expect(compoundFillRateLevel([2, 2, 2], [10], 1, 0.95)).to.equal(10);
    expect(compoundFillRateLevel([501], [1], 1, 0.95)).to.equal(null); // too wide to convolve: the caller's fallback
  });

  it("the compound policy stocks lumpy demand in its own sizes, and nothing for a part never sold", () => {
    const lumpy = Array.from({ length: 36 }, (_, t) => (t % 4 === 0 ? 6 : 0)); // a box of six every fourth month
    const s = compoundOrderUpTo(0.95, 2)(lumpy);
    expect(s).to.be.at.least(6).and.at.most(12); // at least one box, at most the two that can come in two months
    expect(compoundOrderUpTo(0.95, 2)([0, 0, 0, 0, 0, 0])).to.equal(0);
  });
});
