import { expect } from "chai";
import {
  accrueBetween,
  applyRepayment,
  replay,
  type Entry,
  type Terms,
} from "../../api/src/modules/finance/loan-book.js";
import { DENOMINATOR, NEW_LOAN, disburse, payoffFen, type LoanState } from "../../api/src/modules/finance/loan-math.js";
import {
  addDays,
  allocate,
  call,
  nextDue,
  overdueOn,
  plan,
  project,
  split,
  unpaid,
  type Instalment,
  type PlanKind,
} from "../../api/src/modules/finance/loan-schedule.js";

/**
 * Repayment schedules (DECISIONS 116), seeded like the interest tests (the seed printed; LOAN_SEED replays): a plan
 * sums to its principal exactly; booking random repayments (late, early, partial) keeps every fen accounted for and
 * the instalments' unpaid principal equal to the principal outstanding; paying each instalment as the schedule shows
 * closes the loan to the fen; a replay for statements books the same.
 */
describe("order-loan schedules: instalments sum to the principal, every fen accounted for, the schedule is what is charged", () => {
  const seed = Number(process.env.LOAN_SEED ?? Date.now() % 1_000_000);
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const kinds: PlanKind[] = ["bullet", "equal_principal"];
  before(() => console.log(`      seed ${seed}`));

  it("splits equal principal as floor(P / n), the first P mod n one fen more; dates spread evenly to the due date", () => {
    expect(split("equal_principal", 1_000, 3)).to.deep.equal([334, 333, 333]);
    expect(split("bullet", 1_000, 3)).to.deep.equal([0, 0, 1_000]);
    const p = plan("equal_principal", 100_000, "2026-01-01", 90, 3);
    expect(p.map((i) => [i.dueDate, i.principalFen])).to.deep.equal([
      ["2026-01-31", 33_334],
      ["2026-03-02", 33_333],
      ["2026-04-01", 33_333],
    ]);
    expect(() => plan("bullet", 1, "2026-01-01", 2, 3)).to.throw(RangeError);
    for (let round = 0; round < 500; round++) {
      const P = 1 + rand(100_000_000);
      const term = 1 + rand(366);
      const n = 1 + rand(Math.min(36, term));
      const kind = kinds[rand(2)]!;
      const pl = plan(kind, P, "2026-03-01", term, n);
      expect(
        pl.reduce((t, i) => t + i.principalFen, 0),
        `seed ${seed}`,
      ).to.equal(P);
      expect(pl.at(-1)!.dueDate).to.equal(addDays("2026-03-01", term));
      for (let k = 1; k < n; k++) expect(pl[k]!.dueDate > pl[k - 1]!.dueDate, `seed ${seed}`).to.equal(true);
      const shares = pl.map((i) => i.principalFen);
      if (kind === "equal_principal") expect(Math.max(...shares) - Math.min(...shares)).to.be.at.most(1);
    }
  });

  it("charges the overdue margin on an instalment's unpaid principal only, from the day after its date", () => {
    // ¥300,000 in three instalments at 3.65 %: 3,000 fen a day on all; +3.65 % on one overdue ¥100,000: +1,000 a day.
    const inst = plan("equal_principal", 30_000_000, "2026-01-01", 90, 3); // 01-31, 03-02, 04-01
    const t: Terms = { rateBp: 365, overdueBp: 365, dueDate: "2026-04-01", kind: "equal_principal", plan: inst };
    const st = disburse(NEW_LOAN, 30_000_000);
    expect(accrueBetween(st, "2026-01-01", "2026-02-01", t, inst).interestFen).to.equal(31 * 3_000); // through 01-31
    expect(accrueBetween(st, "2026-01-01", "2026-02-11", t, inst).interestFen).to.equal(41 * 3_000 + 10 * 1_000);
    expect(overdueOn(inst, "2026-01-31")).to.equal(0);
    expect(overdueOn(inst, "2026-02-01")).to.equal(10_000_000);
    const proj = project(st, inst, "2026-02-11", 365, 365);
    expect(proj[0]).to.deep.include({ status: "overdue", principalFen: 10_000_000, overdueInterestFen: 10_000 });
    // Called on 02-11 (the order cancelled): everything still to come is due that day, overdue from the next.
    const called = call(inst, "2026-02-11");
    expect(called.map((i) => i.dueDate)).to.deep.equal(["2026-01-31", "2026-02-11", "2026-02-11"]);
    expect(overdueOn(called, "2026-02-12")).to.equal(30_000_000);
  });

  it("paying each instalment as the schedule shows, on its date, closes the loan to the fen", () => {
    for (let round = 0; round < 300; round++) {
      const P = 1 + rand(50_000_000);
      const term = 1 + rand(366);
      const n = 1 + rand(Math.min(12, term));
      const kind = kinds[rand(2)]!;
      const from = addDays("2025-01-01", rand(700));
      const inst0 = plan(kind, P, from, term, n);
      const t: Terms = { rateBp: rand(3_000), overdueBp: rand(2_000), dueDate: addDays(from, term), kind, plan: inst0 };
      const shown = project(disburse(NEW_LOAN, P), inst0, from, t.rateBp, t.overdueBp);
      expect(
        shown.reduce((x, i) => x + i.principalFen, 0),
        `seed ${seed}`,
      ).to.equal(P);
      let st: LoanState = disburse(NEW_LOAN, P);
      let inst = inst0;
      let at = from;
      for (const due of shown) {
        const a = accrueBetween(st, at, due.dueDate, t, inst);
        expect(payoffFen(a.state) >= due.totalFen, `seed ${seed} round ${round}`).to.equal(true);
        const r = applyRepayment(a.state, due.totalFen);
        expect([r.toPrincipal, r.toInterest], `seed ${seed} round ${round} #${due.no}`).to.deep.equal([
          due.principalFen,
          due.interestFen,
        ]);
        inst = allocate(kind, inst, r.toPrincipal, due.dueDate);
        st = r.state;
        at = due.dueDate;
      }
      expect(st.principalFen + st.interestFen + Number(st.carry), `seed ${seed} round ${round}`).to.equal(0);
      expect(nextDue(inst)).to.equal(null);
    }
  });

  it("random repayments (late, early, partial): disbursed + interest = repaid + outstanding, nothing negative", () => {
    let early = 0;
    let late = 0;
    for (let round = 0; round < 400; round++) {
      const P = 1 + rand(80_000_000);
      const term = 7 + rand(360);
      const n = 1 + rand(Math.min(12, term));
      const kind = kinds[rand(2)]!;
      const from = addDays("2025-01-01", rand(700));
      const inst0 = plan(kind, P, from, term, n);
      const t: Terms = { rateBp: rand(3_000), overdueBp: rand(2_000), dueDate: addDays(from, term), kind, plan: inst0 };
      const entries: Entry[] = [{ kind: "disbursement", amountFen: P, onDate: from }];
      let st: LoanState = disburse(NEW_LOAN, P);
      let inst: Instalment[] = inst0;
      let at = from;
      let interest = 0;
      let repaid = 0;
      for (let k = 0; k < 15; k++) {
        const on = addDays(at, rand(rand(3) === 0 ? 120 : 40));
        const a = accrueBetween(st, at, on, t, inst);
        const owed = payoffFen(a.state);
        const amount = 1 + rand(rand(5) === 0 ? owed : Math.ceil(owed / 4));
        const r = applyRepayment(a.state, amount);
        const paid = Math.min(amount, r.payoff);
        const dueBy = inst.reduce((x, i) => x + (i.dueDate <= on ? unpaid(i) : 0), 0);
        if (r.toPrincipal > dueBy) early++;
        if (overdueOn(inst, on) > 0) late++;
        inst = allocate(kind, inst, r.toPrincipal, on);
        interest += a.interestFen + r.roundedIn;
        repaid += paid;
        st = r.state;
        at = on;
        entries.push({ kind: rand(2) ? "repayment" : "waterfall", amountFen: paid, onDate: on });
        const ctx = `seed ${seed} round ${round} step ${k}`;
        expect(P + interest, ctx).to.equal(repaid + st.principalFen + st.interestFen);
        expect(
          inst.reduce((x, i) => x + unpaid(i), 0),
          ctx,
        ).to.equal(st.principalFen);
        for (const i of inst) expect(i.paidFen >= 0 && unpaid(i) >= 0, ctx).to.equal(true);
        expect(st.principalFen >= 0 && st.interestFen >= 0 && st.carry >= 0n && st.carry < DENOMINATOR).to.equal(true);
        // What is still to come after an early repayment is re-spread: equal shares (±1 fen), or all on the last.
        const later = inst.filter((i) => i.dueDate > on).map(unpaid);
        if (kind === "equal_principal" && later.length)
          expect(Math.max(...later) - Math.min(...later)).to.be.at.most(1);
        if (kind === "bullet")
          expect(
            later.slice(0, -1).every((x) => x === 0),
            ctx,
          ).to.equal(true);
        if (r.done) break;
      }
      // The statement's replay books the same, to the day after the last entry.
      const end = addDays(at, 1);
      const booked = accrueBetween(st, at, end, t, inst);
      const re = replay(entries, t, end);
      expect(re.state, `seed ${seed} round ${round}`).to.deep.equal(booked.state);
      expect(re.instalments).to.deep.equal(inst);
      expect(re.totals).to.deep.equal({
        disbursedFen: P,
        interestFen: interest + booked.interestFen,
        repaidFen: repaid,
      });
    }
    console.log(`      ${early} early and ${late} late repayments among the rounds`);
    expect(early).to.be.above(0);
    expect(late).to.be.above(0);
  });
});
