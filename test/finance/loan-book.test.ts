import { expect } from "chai";
import { accrueBetween, addDays, applyRepayment, replay, type Entry } from "../../api/src/modules/finance/loan-book.js";
import { NEW_LOAN, disburse, type LoanState } from "../../api/src/modules/finance/loan-math.js";

/**
 * The loan book's bookkeeping (DECISIONS 105), seeded: booking entry by entry — as the service does, accruing to each
 * entry's date across the due date — and replaying the entries for a statement give the same state, and every fen is
 * accounted for at every cut-off.
 */
describe("order-loan book: booking and replay agree; disbursed + interest = repaid + outstanding at every date", () => {
  const seed = Number(process.env.LOAN_SEED ?? Date.now() % 1_000_000);
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  before(() => console.log(`      seed ${seed}`));

  it("charges the overdue margin only for days after the due date", () => {
    const terms = { rateBp: 365, overdueBp: 365, dueDate: "2026-01-10" };
    const p = disburse(NEW_LOAN, 10_000_000); // 1,000 fen a day at 3.65 %, 2,000 overdue
    expect(accrueBetween(p, "2026-01-01", "2026-01-11", terms).interestFen).to.equal(10_000); // 1st … 10th
    expect(accrueBetween(p, "2026-01-01", "2026-01-13", terms).interestFen).to.equal(14_000); // + 11th, 12th overdue
    expect(accrueBetween(p, "2026-01-12", "2026-01-13", terms).interestFen).to.equal(2_000);
    expect(accrueBetween(p, "2026-01-05", "2026-01-05", terms).interestFen).to.equal(0);
  });

  it("books entry by entry exactly as a replay does, over random schedules", () => {
    for (let round = 0; round < 400; round++) {
      const start = addDays("2025-06-01", rand(400));
      const terms = { rateBp: rand(2_500), overdueBp: rand(1_500), dueDate: addDays(start, 1 + rand(200)) };
      const entries: Entry[] = [{ kind: "disbursement", amountFen: 1 + rand(50_000_000), onDate: start }];
      let st: LoanState = disburse(NEW_LOAN, entries[0]!.amountFen);
      let at = start;
      let interest = 0;
      let repaid = 0;
      for (let k = 0; k < 12 && (st.principalFen > 0 || st.interestFen > 0); k++) {
        const on = addDays(at, rand(60));
        const a = accrueBetween(st, at, on, terms);
        const owed = a.state.principalFen + a.state.interestFen + 1;
        const amount = 1 + rand(rand(4) === 0 ? owed : Math.ceil(owed / 3));
        const r = applyRepayment(a.state, amount);
        const paid = Math.min(amount, r.payoff);
        interest += a.interestFen + r.roundedIn;
        repaid += paid;
        st = r.state;
        at = on;
        entries.push({ kind: rand(2) ? "repayment" : "waterfall", amountFen: paid, onDate: on });
        expect(entries[0]!.amountFen + interest, `seed ${seed} round ${round}`).to.equal(
          repaid + st.principalFen + st.interestFen,
        );
        if (r.done) break;
      }
      // Replayed to the day after the last entry's date, against the booked state accrued as far.
      const end = addDays(at, 1);
      const booked = accrueBetween(st, at, end, terms);
      const re = replay(entries, terms, end);
      expect(re.state, `seed ${seed} round ${round}`).to.deep.equal(booked.state);
      expect(re.totals).to.deep.equal({
        disbursedFen: entries[0]!.amountFen,
        interestFen: interest + booked.interestFen,
        repaidFen: repaid,
      });
      // Any cut-off: the totals balance, and a later cut-off never un-books anything.
      const cut = addDays(start, rand(500));
      const c = replay(entries, terms, cut);
      expect(c.totals.disbursedFen + c.totals.interestFen, `seed ${seed}`).to.equal(
        c.totals.repaidFen + c.outstandingFen,
      );
      expect(c.totals.repaidFen).to.be.at.most(re.totals.repaidFen);
    }
  });
});
