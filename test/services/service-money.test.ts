import { expect } from "chai";
import {
  chargeOf,
  claimableOf,
  commissionOf,
  settleDeposit,
  usageMinutes,
} from "../../api/src/modules/services/service-money.js";

/** A small seeded generator (mulberry32) so a failing case replays: the seed is printed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = Number(process.env.SEED ?? Date.now() % 1_000_000);

describe("services arithmetic: deposits, claims, charges and commission in integer fen", () => {
  before(() => console.log(`      seed ${SEED} (SEED=${SEED} replays)`));

  it("commission is gross × rate / 10 000 rounded half up to the fen, and net + commission = gross", () => {
    const r = rng(SEED);
    for (let i = 0; i < 20_000; i++) {
      const gross = Math.floor(r() * 10 ** (1 + Math.floor(r() * 9)));
      const rate = Math.floor(r() * 10_001);
      const c = commissionOf(gross, rate);
      // exact rational check: c is the nearest integer to gross·rate/10000, halves up
      const twice = 2n * BigInt(gross) * BigInt(rate);
      expect(BigInt(c) * 20_000n - twice <= 10_000n, `${gross} @ ${rate}`).to.equal(true);
      expect(twice - BigInt(c) * 20_000n < 10_000n, `${gross} @ ${rate}`).to.equal(true);
      expect(gross - c + c).to.equal(gross);
      expect(c).to.be.within(0, gross);
    }
  });

  it("rounds the halves up and the rest to nearest (worked examples of DECISIONS 101)", () => {
    expect(commissionOf(10, 500)).to.equal(1); // 0.5 fen → 1
    expect(commissionOf(9, 500)).to.equal(0); // 0.45 fen → 0
    expect(commissionOf(12_345, 500)).to.equal(617); // 617.25 → 617
    expect(commissionOf(12_350, 500)).to.equal(618); // 617.5 → 618
    expect(commissionOf(120_000, 800)).to.equal(9_600);
    expect(chargeOf("time", 95, 6_000)).to.equal(9_500); // 95 min at 60 元/h
    expect(chargeOf("time", 1, 100)).to.equal(2); // 1.666… → 2
    expect(chargeOf("time", 1, 90)).to.equal(2); // 1.5 → 2
    expect(chargeOf("time", 1, 89)).to.equal(1); // 1.48… → 1
    expect(chargeOf("meter", 37, 1_250)).to.equal(46_250);
    expect(usageMinutes(0, 1)).to.equal(1);
    expect(usageMinutes(0, 60_000)).to.equal(1);
    expect(usageMinutes(0, 60_001)).to.equal(2);
    expect(usageMinutes(5, 5)).to.equal(1);
  });

  it("deposit + due = charge + claims + refund, neither refund nor due negative, never both", () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < 20_000; i++) {
      const deposit = Math.floor(r() * 500_000);
      const charge = Math.floor(r() * 600_000);
      const claimable = claimableOf(deposit, charge);
      const claims = Math.floor(r() * (claimable + 1));
      const { refundFen, dueFen } = settleDeposit(deposit, charge, claims);
      const c = `deposit ${deposit} charge ${charge} claims ${claims}`;
      expect(deposit + dueFen, c).to.equal(charge + claims + refundFen);
      expect(refundFen, c).to.be.at.least(0);
      expect(dueFen, c).to.be.at.least(0);
      expect(refundFen === 0 || dueFen === 0, c).to.equal(true);
      if (charge > deposit) expect(claims, c).to.equal(0);
      expect(() => settleDeposit(deposit, charge, claimable + 1), c).to.throw(RangeError);
    }
  });

  it("refuses fractions, negatives and rates out of range", () => {
    expect(() => commissionOf(1.5, 500)).to.throw(RangeError);
    expect(() => commissionOf(-1, 500)).to.throw(RangeError);
    expect(() => commissionOf(100, 10_001)).to.throw(RangeError);
    expect(() => chargeOf("time", 1.2, 100)).to.throw(RangeError);
    expect(() => usageMinutes(10, 5)).to.throw(RangeError);
  });
});
