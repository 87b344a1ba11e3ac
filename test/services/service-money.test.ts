import { expect } from "chai";
import {
  chargeOf,
  claimableOf,
  commissionOf,
  deliveryChargeOf,
  inArea,
  settleDeposit,
  usageMinutes,
} from "../../api/src/modules/services/service-money.js";
import { serviceBill } from "../../api/src/modules/services/service-billing.js";

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

  it("a delivery's charge is base + (m × per km + g × per kg) / 1000 rounded half up once", () => {
    const r = rng(SEED + 1);
    for (let i = 0; i < 20_000; i++) {
      const t = {
        baseFen: Math.floor(r() * 10_000),
        perKmFen: Math.floor(r() * 1_000),
        perKgFen: Math.floor(r() * 1_000),
      };
      const m = Math.floor(r() * 200_000);
      const g = Math.floor(r() * 5_000_000);
      const c = deliveryChargeOf(t, m, g);
      const exact2000 = 2n * (BigInt(m) * BigInt(t.perKmFen) + BigInt(g) * BigInt(t.perKgFen)); // × 2 000 of the fen
      const v = BigInt(c - t.baseFen);
      expect(v * 2_000n - exact2000 <= 1_000n, JSON.stringify({ t, m, g })).to.equal(true);
      expect(exact2000 - v * 2_000n < 1_000n, JSON.stringify({ t, m, g })).to.equal(true);
    }
    expect(deliveryChargeOf({ baseFen: 1_500, perKmFen: 200, perKgFen: 50 }, 7_502, 12_345)).to.equal(
      1_500 + 2_118, // 1 500 400 + 617 250 = 2 117 650 → 2 117.65 → 2 118
    );
    expect(deliveryChargeOf({ baseFen: 0, perKmFen: 1, perKgFen: 0 }, 500, 1)).to.equal(1); // a half rounds up
  });

  it("an area of province, city or district codes holds the regions under it and no others", () => {
    expect(inArea(["330000"], "330106")).to.equal(true);
    expect(inArea(["330100"], "330106")).to.equal(true);
    expect(inArea(["330100"], "330203")).to.equal(false);
    expect(inArea(["330106"], "330106")).to.equal(true);
    expect(inArea(["330106"], "330104")).to.equal(false);
    expect(inArea(["440100", "330100"], "330104")).to.equal(true);
    expect(inArea(["440000"], "330104")).to.equal(false);
  });

  it("a settlement's bill: lines sum to charge + claims, the deposit pays deposit − refund, the fee is the commission", () => {
    const r = rng(SEED + 2);
    for (let i = 0; i < 5_000; i++) {
      const deposit = Math.floor(r() * 100_000);
      const gross = Math.floor(r() * 100_000);
      const claimable = claimableOf(deposit, gross);
      const claims = Array.from({ length: Math.floor(r() * 3) }, () => Math.floor((r() * claimable) / 3) + 1).filter(
        () => claimable >= 3,
      );
      const claimsFen = claims.reduce((a, b) => a + b, 0);
      const rate = Math.floor(r() * 2_000);
      const commissionFen = commissionOf(gross, rate);
      const { refundFen, dueFen } = settleDeposit(deposit, gross, claimsFen);
      const s = {
        id: "stl_0000000000000001",
        providerId: "c_p",
        shopId: "c_s",
        category: "equipment_rental" as const,
        grossFen: gross,
        commissionFen,
        commissionRateBp: rate,
        claimsFen,
        depositFen: deposit,
        refundFen,
      };
      const b = serviceBill(
        s,
        { service: "设备", claims: claims.map((amountFen) => ({ reason: "损坏", amountFen })) },
        "u",
      );
      const billed = b.lines.reduce((t, l) => t + l.amountFen, 0);
      expect(billed).to.equal(gross + claimsFen);
      expect(b.lines.every((l) => l.amountFen > 0)).to.equal(true);
      expect(billed - b.depositAppliedFen).to.equal(dueFen);
      expect(b.commission.amountFen + (gross - commissionFen)).to.equal(gross);
    }
    expect(() =>
      serviceBill(
        {
          id: "stl_1",
          providerId: "p",
          shopId: "s",
          category: "training",
          grossFen: 1,
          commissionFen: 0,
          commissionRateBp: 500,
          claimsFen: 5,
          depositFen: 0,
          refundFen: 0,
        },
        { service: "x" },
        "u",
      ),
    ).to.throw(RangeError);
  });
});
