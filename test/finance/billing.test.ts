import { expect } from "chai";
import { AGING_BUCKETS, aging, bucketOf, taxIncluded } from "../../api/src/modules/finance/billing.js";

/** Billing arithmetic (DECISIONS 77): seeded property tests, the seed printed so a failure replays. */
describe("billing arithmetic: every fen accounted for", () => {
  const seed = Number(process.env.BILLING_SEED ?? Date.now() % 1_000_000);
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  before(() => console.log(`      seed ${seed}`));

  it("VAT inside a total is round-half-up of total × rate / (10000 + rate), exactly, and net + tax = total", () => {
    expect(taxIncluded(9999, 1300)).to.equal(1150); // 1150.3
    expect(taxIncluded(11300, 1300)).to.equal(1300);
    expect(taxIncluded(565, 1300)).to.equal(65); // 65.0
    expect(taxIncluded(1, 1300)).to.equal(0); // 0.115
    expect(taxIncluded(113, 600)).to.equal(6); // 6.396 → 6
    expect(taxIncluded(53, 600)).to.equal(3); // 3.0 exactly
    for (let i = 0; i < 5000; i++) {
      const total = rand(2) ? rand(1_000_000) : rand(2 ** 31) * 1000 + rand(1000); // up to ~2×10^12 fen
      const rate = [0, 100, 300, 600, 900, 1300, rand(10_001)][rand(7)]!;
      const tax = taxIncluded(total, rate);
      const exact = (BigInt(total) * BigInt(rate) * 1000n) / BigInt(10_000 + rate); // ×1000, truncated
      const frac = Number(exact % 1000n);
      expect(tax, `seed ${seed} total ${total} rate ${rate}`).to.equal(Number(exact / 1000n) + (frac >= 500 ? 1 : 0));
      expect(tax).to.be.within(0, total);
      expect(total - tax + tax).to.equal(total);
    }
  });

  it("aging puts every open fen in exactly one bucket, per counterparty and in total", () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).to.deep.equal([
      "current",
      "current",
      "1-30",
      "1-30",
      "31-60",
      "31-60",
      "61-90",
      "61-90",
      "90+",
      "90+",
    ]);
    for (let round = 0; round < 200; round++) {
      const rows = Array.from({ length: rand(40) }, () => ({
        counterparty: `c${rand(5)}`,
        outstandingFen: rand(3) ? rand(10_000_000) : 0,
        daysPastDue: rand(300) - 60,
      }));
      const a = aging(rows);
      const open = rows.reduce((t, r) => t + r.outstandingFen, 0);
      expect(a.outstandingFen, `seed ${seed}`).to.equal(open);
      expect(AGING_BUCKETS.reduce((t, b) => t + a.buckets[b], 0)).to.equal(open);
      expect(a.counterparties.reduce((t, c) => t + c.outstandingFen, 0)).to.equal(open);
      for (const b of AGING_BUCKETS)
        expect(a.counterparties.reduce((t, c) => t + c.buckets[b], 0)).to.equal(a.buckets[b]);
    }
  });
});
