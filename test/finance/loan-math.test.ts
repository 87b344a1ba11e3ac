import { expect } from "chai";
import {
  DENOMINATOR,
  NEW_LOAN,
  accrue,
  actualDays,
  disburse,
  payoffFen,
  repay,
  waterfall,
  type LoanState,
} from "../../api/src/modules/finance/loan-math.js";

/** Order-loan arithmetic: seeded property tests (the seed printed so a failure replays). */
describe("order-loan arithmetic: ACT/365 daily interest and the settlement waterfall account for every fen", () => {
  const seed = Number(process.env.LOAN_SEED ?? Date.now() % 1_000_000);
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  before(() => console.log(`      seed ${seed}`));

  it("accrues ACT/365 exactly: ¥100,000 at 7.3 % for 1 day is 2,000 fen; 2024 (leap) has 366 days", () => {
    expect(accrue(disburse(NEW_LOAN, 10_000_000), 1, 730).interestFen).to.equal(2000);
    expect(actualDays("2024-01-01", "2025-01-01")).to.equal(366);
    expect(actualDays("2026-01-31", "2026-03-01")).to.equal(29);
    const year = accrue(disburse(NEW_LOAN, 10_000_000), 366, 365); // 3.65 %: 1,000 fen a day
    expect(year.interestFen).to.equal(366_000);
    // ¥1 at 5 % for a day is 0.0137 fen: nothing whole yet, all of it carried.
    const tiny = accrue(disburse(NEW_LOAN, 100), 1, 500);
    expect(tiny).to.deep.include({ interestFen: 0, carry: 50_000n });
  });

  it("accrues the same fen day by day as over the whole period (the fraction is carried, never rounded away)", () => {
    for (let round = 0; round < 300; round++) {
      const start = disburse(NEW_LOAN, rand(100_000_000));
      const rate = rand(3_000);
      const days = 1 + rand(400);
      let daily: LoanState = start;
      for (let d = 0; d < days; d++) daily = accrue(daily, 1, rate);
      const once = accrue(start, days, rate);
      expect(daily, `seed ${seed}`).to.deep.equal(once);
      // And equal to the exact value: whole fen plus carry/DENOMINATOR.
      const exact = BigInt(start.principalFen) * BigInt(rate) * BigInt(days);
      expect(BigInt(once.interestFen) * DENOMINATOR + once.carry).to.equal(exact);
    }
  });

  it("every fen is accounted for: disbursed + interest = repaid + outstanding; nothing negative; lender first", () => {
    for (let round = 0; round < 300; round++) {
      let st: LoanState = NEW_LOAN;
      let disbursed = 0;
      let repaid = 0;
      let interest = 0; // whole fen accrued, plus what payoffs rounded in
      let toSeller = 0;
      let paidByBuyers = 0;
      for (let step = 0; step < 30; step++) {
        const op = rand(4);
        if (op === 0) {
          const a = rand(5_000_000);
          st = disburse(st, a);
          disbursed += a;
        } else if (op === 1) {
          const before = st.interestFen;
          st = accrue(st, 1 + rand(60), rand(2_000) + (rand(2) ? rand(1_000) : 0)); // with or without an overdue margin
          interest += st.interestFen - before;
        } else if (op === 2) {
          const amount = rand(payoffFen(st) + 10_000);
          const r = repay(st, amount);
          interest += r.toInterest - Math.min(r.toInterest, st.interestFen); // the payoff's rounded fraction, if any
          repaid += amount - r.changeFen;
          expect(r.toInterest + r.toPrincipal + r.changeFen, `seed ${seed}`).to.equal(amount);
          st = r.state;
        } else {
          const payment = rand(20_000_000);
          const owed = payoffFen(st);
          const w = waterfall(st, payment);
          expect(w.toLenderFen + w.toSellerFen, `seed ${seed}`).to.equal(payment);
          expect(w.toLenderFen).to.equal(Math.min(payment, owed)); // lender first, never more than owed
          interest += w.toInterest - Math.min(w.toInterest, st.interestFen);
          repaid += w.toLenderFen;
          toSeller += w.toSellerFen;
          paidByBuyers += payment;
          st = w.state;
        }
        expect(st.principalFen).to.be.at.least(0);
        expect(st.interestFen).to.be.at.least(0);
        expect(st.carry >= 0n && st.carry < DENOMINATOR).to.equal(true);
        expect(disbursed + interest, `seed ${seed} round ${round} step ${step}`).to.equal(
          repaid + st.principalFen + st.interestFen,
        );
      }
      expect(toSeller).to.be.at.most(paidByBuyers);
    }
  });
});
