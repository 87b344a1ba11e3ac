import { expect } from "chai";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";
import { LOAN_STATUSES, LOAN_TRANSITIONS, addDays, type LoanStatus } from "../../api/src/modules/finance/loan-book.js";

/**
 * Order loans as records (issue 15, DECISIONS 105): apply → propose → approve (another person) → disburse (not the
 * approver) → repay / waterfall → closed; the state table pair by pair; idempotent, serialized money moves; credit
 * limits that concurrent draws cannot exceed; statements that balance to the fen; a lender without consent sees 404.
 * Seeded schedules print their seed (LOAN_SEED replays one).
 */
describe("finance: order loans — state table, two-person rule, limits, repayments, waterfall, statements", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let sku = 0;
  let treasurer: string; // the dealer's finance person (seller-side borrower)
  let officer: string; // lender A's credit officer
  let approver: string; // lender A's approver
  let approver2: string; // a second approver (disburses what the first approved)
  let officerB: string; // lender B's officer: no consent from the dealer
  const seed = Number(process.env.LOAN_SEED ?? Date.now() % 1_000_000);
  let s = seed;
  const rand = (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n);
  };
  const db = () => stack.svc.db.sql;
  const loans = "/api/v1/finance/loans";
  const today = async () =>
    (await db().query<{ d: string }>("SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') d"))
      .rows[0]!.d;

  /** A delivered order of `qty` units at ¥100 from the dealer to the shop, and the dealer's invoice for it. */
  const invoice = async (qty = 10) => {
    const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, { lines: [{ skuId: sku, quantity: qty }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const orderId = placed.json.id as string;
    const step = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${orderId}/status`, token, body);
    expect((await step(api.keys.dealer!, { to: "picking" })).status).to.equal(200);
    expect(
      (await step(api.keys.dealer!, { to: "shipped", carrier: "顺丰", trackingNo: "SF0000000001" })).status,
    ).to.equal(200);
    expect((await step(api.keys.shop!, { to: "delivered" })).status).to.equal(200);
    const inv = await api.call("POST", "/api/v1/finance/invoices", treasurer, { orderId });
    expect(inv.status, JSON.stringify(inv.json)).to.equal(201);
    return inv.json as { id: string; totalFen: number };
  };
  const apply = (invoiceId: string, requestedFen: number, headers: Record<string, string> = {}, lenderId = "") =>
    api.call(
      "POST",
      loans,
      treasurer,
      { invoiceId, lenderId: lenderId || api.ids.lenderA, requestedFen, termDays: 90 },
      headers,
    );
  const act = (token: string, id: string, verb: string, body: unknown = {}, headers: Record<string, string> = {}) =>
    api.call("POST", `${loans}/${id}/${verb}`, token, body, headers);
  const terms = { rateBp: 730, overdueBp: 365, termDays: 90 };
  /** An invoice financed up to disbursement: applied, proposed, approved and paid out on `on`. */
  const disbursed = async (amountFen: number, on?: string) => {
    const inv = await invoice();
    const a = await apply(inv.id, amountFen);
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    const id = a.json.id as string;
    expect((await act(officer, id, "propose", { amountFen, ...terms })).status).to.equal(200);
    const ok = await act(approver, id, "approve");
    expect(ok.status, JSON.stringify(ok.json)).to.equal(200);
    const d = await act(approver2, id, "disburse", { bankRef: `D-${id}`, ...(on ? { on } : {}) });
    expect(d.status, JSON.stringify(d.json)).to.equal(200);
    return { id, invoiceId: inv.id, invoiceTotal: inv.totalFen };
  };
  /** The database's own accounting of every loan: the CHECK holds, and the entries add up to the loan's columns. */
  const books = async () =>
    (
      await db().query<{ n: number }>(
        `SELECT count(*)::int AS n FROM loans l LEFT JOIN (
           SELECT loan_id, sum(amount_fen) FILTER (WHERE kind = 'disbursement') d,
                  sum(amount_fen) FILTER (WHERE kind <> 'disbursement') r,
                  sum(to_principal_fen) FILTER (WHERE kind <> 'disbursement') p
             FROM loan_entries GROUP BY 1) e ON e.loan_id = l.id
          WHERE COALESCE(e.r, 0) <> l.repaid_fen
             OR COALESCE(e.d, 0) <> CASE WHEN l.disbursed_on IS NULL THEN 0 ELSE l.amount_fen END
             OR COALESCE(e.d, 0) - COALESCE(e.p, 0) <> l.principal_fen`,
      )
    ).rows[0]!.n;

  before(async () => {
    console.log(`      seed ${seed}`);
    stack = await openStack();
    api = await startApi(stack);
    [sku] = (await importSkus(api, ["bosch,0 986 494 210,后刹车片,brake_pad,aftermarket,后"])) as [number];
    const wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "LN-1",
      name: "仓库LN-1",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId: sku, quantity: 2000, price: 100 });
    await registerLenders(api, [
      ["lenderA", "杭州联合农村商业银行股份有限公司", "91330100MA2B00021"],
      ["lenderB", "浙江商业保理有限公司", "91330100MA2B00022"],
    ]);
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
    officer = await api.keyWithRoles("lenderA", ["credit_officer"]);
    approver = await api.keyWithRoles("lenderA", ["credit_approver"]);
    approver2 = await api.keyWithRoles("lenderA", ["credit_approver"]);
    officerB = await api.keyWithRoles("lenderB", ["credit_officer"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("declares the state table: every from × to pair allowed exactly as listed, the routes enforce it", async () => {
    const allowed = new Set(Object.entries(LOAN_TRANSITIONS).flatMap(([f, ts]) => ts.map((t) => `${f}>${t}`)));
    expect([...allowed].sort()).to.deep.equal(
      [
        "applied>proposed",
        "applied>declined",
        "applied>withdrawn",
        "proposed>approved",
        "proposed>declined",
        "proposed>withdrawn",
        "approved>disbursed",
        "approved>declined",
        "approved>withdrawn",
        "disbursed>overdue",
        "disbursed>closed",
        "overdue>disbursed",
        "overdue>closed",
      ].sort(),
    );
    // The routes, pair by pair: a loan put in each state, then each move attempted.
    expect(
      (await api.call("POST", "/api/v1/finance/consents", treasurer, { lenderId: api.ids.lenderA })).status,
    ).to.equal(201);
    expect(
      (await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen: 10_000_000 }))
        .status,
    ).to.equal(200);
    const inv = await invoice();
    const a = await apply(inv.id, 1000);
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    const id = a.json.id as string;
    const moves: Record<string, () => Promise<{ status: number; json: Record<string, any> }>> = {
      proposed: () => act(officer, id, "propose", { amountFen: 1000, ...terms }),
      approved: () => act(approver, id, "approve"),
      declined: () => act(officer, id, "decline", { reason: "测试" }),
      withdrawn: () => act(treasurer, id, "withdraw", { reason: "测试" }),
      disbursed: () => act(approver2, id, "disburse", { bankRef: `P-${Math.random()}` }),
      closed: () => act(treasurer, id, "repayments", { amountFen: 1000, bankRef: `R-${Math.random()}` }),
    };
    // Each state written by hand, without the entries of the move before (the schedule is replayed from them).
    const put = async (from: LoanStatus) => {
      await db().query("DELETE FROM loan_entries WHERE loan_id = $1", [id]);
      return db().query(
        `UPDATE loans SET status = $2, amount_fen = 1000, rate_bp = 730, overdue_bp = 365, proposed_by = 'someone',
                approved_by = CASE WHEN $2 IN ('approved', 'disbursed', 'overdue', 'closed') THEN 'another' END,
                disbursed_on = CASE WHEN $2 IN ('disbursed', 'overdue', 'closed') THEN $3::date END,
                due_date = $3::date + 90, accrued_to = $3::date,
                next_due_date = CASE WHEN $2 IN ('disbursed', 'overdue') THEN $3::date + 90 END,
                principal_fen = CASE WHEN $2 IN ('disbursed', 'overdue') THEN 1000 ELSE 0 END,
                repaid_fen = CASE WHEN $2 = 'closed' THEN 1000 ELSE 0 END,
                interest_fen = 0, interest_total_fen = 0, carry = 0
          WHERE id = $1`,
        [id, from, t0],
      );
    };
    const t0 = await today();
    let tried = 0;
    for (const from of LOAN_STATUSES) {
      for (const [to, move] of Object.entries(moves)) {
        await put(from);
        const r = await move();
        // overdue → disbursed is the system's move (the arrears paid), not a route's: the disburse route refuses it.
        const ok = LOAN_TRANSITIONS[from].includes(to as LoanStatus) && !(from === "overdue" && to === "disbursed");
        tried++;
        if (ok) {
          expect(r.status, `${from} → ${to}: ${JSON.stringify(r.json)}`).to.be.oneOf([200, 201]);
          expect(r.json.status, `${from} → ${to}`).to.equal(to);
        } else {
          expect(r.status, `${from} → ${to}: ${JSON.stringify(r.json)}`).to.equal(409);
          expect(r.json.code, `${from} → ${to}`).to.be.oneOf(["LOAN.INVALID_TRANSITION", "LOAN.NOT_OUTSTANDING"]);
        }
      }
    }
    expect(tried).to.equal(LOAN_STATUSES.length * 6);
    // Overdue is the system's move: a disbursed loan past its due date is marked when listed.
    await put("disbursed");
    await db().query(
      `UPDATE loans SET due_date = due_date - 200, disbursed_on = disbursed_on - 200, accrued_to = accrued_to - 200,
              next_due_date = next_due_date - 200 WHERE id = $1`,
      [id],
    );
    const listed = (await api.call("GET", loans, treasurer)).json.loans as Array<{ id: string; status: string }>;
    expect(listed.find((l) => l.id === id)?.status).to.equal("overdue");
    // The fixture loan was written by hand: out of the books the other tests check.
    await db().query("DELETE FROM loan_entries WHERE loan_id = $1", [id]);
    await db().query("DELETE FROM loans WHERE id = $1", [id]);
  });

  it("walks apply → propose → approve → disburse → repay → close: two people, consent, idempotency", async () => {
    const inv = await invoice(); // ¥1,000 = 100,000 fen
    expect(inv.totalFen).to.equal(100_000);
    // A lender the dealer never consented to cannot be applied to, and sees nothing.
    expect((await apply(inv.id, 50_000, {}, api.ids.lenderB)).json.code).to.equal("LOAN.NO_CONSENT");
    expect((await apply(inv.id, 50_000, {}, api.ids.maker)).json.code).to.equal("LOAN.NOT_A_LENDER");
    expect((await apply(inv.id, 80_001)).json.code).to.equal("LOAN.OVER_ADVANCE");
    expect(
      (
        await api.call("POST", loans, api.keys.farShop!, {
          invoiceId: inv.id,
          lenderId: api.ids.lenderA,
          requestedFen: 1,
          termDays: 30,
        })
      ).status,
    ).to.equal(404);
    const key = { "Idempotency-Key": `apply-${inv.id}` };
    const a = await apply(inv.id, 60_000, key);
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    expect(a.json).to.deep.include({
      status: "applied",
      side: "receivable",
      requestedFen: 60_000,
      next: ["proposed", "declined", "withdrawn"],
    });
    const again = await apply(inv.id, 60_000, key);
    expect(again.json.id).to.equal(a.json.id); // the retry answers the first reply
    expect((await apply(inv.id, 60_000)).json.code).to.equal("LOAN.ALREADY_FINANCED");
    const id = a.json.id as string;
    expect((await api.call("GET", `${loans}/${id}`, officerB)).status).to.equal(404);
    expect((await api.call("GET", `${loans}/${id}`, api.keys.shop!)).status).to.equal(404);
    const queue = (await api.call("GET", `${loans}?status=applied`, officer)).json.loans as Array<{ id: string }>;
    expect(queue.map((l) => l.id)).to.include(id);

    // Roles: a borrower cannot propose, an officer cannot approve; the person who proposed cannot approve.
    expect((await act(treasurer, id, "propose", { amountFen: 50_000, ...terms })).json.code).to.equal("AUTH.FORBIDDEN");
    expect((await act(officer, id, "propose", { amountFen: 80_001, ...terms })).json.code).to.equal(
      "LOAN.OVER_ADVANCE",
    );
    const admin = api.keys.lenderA!; // the first admin holds every lender permission
    expect((await act(admin, id, "propose", { amountFen: 50_000, ...terms })).json.status).to.equal("proposed");
    expect((await act(officer, id, "approve")).json.code).to.equal("AUTH.FORBIDDEN");
    expect((await act(admin, id, "approve")).json.code).to.equal("LOAN.SAME_PERSON");
    // Approval draws on the credit limit (10,000,000 fen set in the first test).
    const ok = await act(approver, id, "approve");
    expect(ok.json).to.deep.include({ status: "approved", amountFen: 50_000 });
    // The approver does not also release the money; a retried disbursement moves it once.
    expect((await act(approver, id, "disburse", { bankRef: "FX-1" })).json.code).to.equal("LOAN.SAME_PERSON");
    const dKey = { "Idempotency-Key": `disburse-${id}` };
    const d1 = await act(approver2, id, "disburse", { bankRef: "FX-1" }, dKey);
    const d2 = await act(approver2, id, "disburse", { bankRef: "FX-1" }, dKey);
    expect(d1.status, JSON.stringify(d1.json)).to.equal(200);
    expect(d2.json).to.deep.equal(d1.json);
    expect((await act(approver2, id, "disburse", { bankRef: "FX-2" })).json.code).to.equal("LOAN.INVALID_TRANSITION");
    const t = await today();
    expect(d1.json).to.deep.include({
      status: "disbursed",
      disbursedOn: t,
      dueDate: addDays(t, 90),
      principalFen: 50_000,
    });
    expect(d1.json.entries).to.have.length(1);
    // One bullet repayment: paid on the due date, 90 days' interest at 7.3 % on ¥500 = 50,000 × 0.073 × 90 / 365.
    expect(d1.json.schedule).to.deep.equal([
      {
        no: 1,
        dueDate: addDays(t, 90),
        principalFen: 50_000,
        interestFen: 900,
        totalFen: 50_900,
        paidPrincipalFen: 0,
        status: "scheduled",
        overdueInterestFen: 0,
      },
    ]);

    // Repay in part (interest first), refuse more than owed and a bank reference twice; a retry with its key once.
    const rKey = { "Idempotency-Key": `repay-${id}-1` };
    const r1 = await act(treasurer, id, "repayments", { amountFen: 20_000, bankRef: "RP-1" }, rKey);
    expect(r1.status, JSON.stringify(r1.json)).to.equal(201);
    expect((await act(treasurer, id, "repayments", { amountFen: 20_000, bankRef: "RP-1" }, rKey)).json).to.deep.equal(
      r1.json,
    );
    expect(r1.json).to.deep.include({ principalFen: 30_000, repaidFen: 20_000 });
    expect((await act(treasurer, id, "repayments", { amountFen: 20_000, bankRef: "RP-1" })).json.code).to.equal(
      "LOAN.DUPLICATE_PAYMENT",
    );
    expect((await act(treasurer, id, "repayments", { amountFen: 30_001, bankRef: "RP-2" })).json.code).to.equal(
      "LOAN.OVERPAID",
    );
    expect(
      (await act(treasurer, id, "repayments", { amountFen: 1, bankRef: "RP-9", paidOn: addDays(t, 1) })).json.code,
    ).to.equal("LOAN.FUTURE_DATE");
    // The buyer pays the invoice: the lender first (30,000 owed today), the seller the rest.
    const pay = await api.call("POST", `/api/v1/finance/invoices/${inv.id}/payments`, treasurer, {
      amountFen: 100_000,
      bankRef: "BUYER-1",
    });
    expect(pay.status, JSON.stringify(pay.json)).to.equal(201);
    const closed = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
    expect(closed).to.deep.include({ status: "closed", principalFen: 0, interestFen: 0, repaidFen: 50_000 });
    expect(closed.entries.map((e: { kind: string; amountFen: number }) => [e.kind, e.amountFen])).to.deep.equal([
      ["disbursement", 50_000],
      ["repayment", 20_000],
      ["waterfall", 30_000],
    ]);
    // Closed loans stay visible to the lender; the audit trail has every step.
    expect((await api.call("GET", `${loans}/${id}`, officer)).status).to.equal(200);
    await stack.svc.checkpointAuditTrail(); // seals the accepted entries into audit_log
    const actions = (
      await db().query<{ action: string }>(
        "SELECT action FROM audit_log WHERE resource = 'loan' AND resource_id = $1 ORDER BY seq",
        [id],
      )
    ).rows.map((r) => r.action);
    expect(actions).to.include.members([
      "loan.apply",
      "loan.propose",
      "loan.approve",
      "loan.disburse",
      "loan.repay",
      "loan.waterfall",
    ]);
    expect(await books()).to.equal(0);
  });

  it("a shop finances its payable; revoking consent hides its application from the lender (404, audited)", async () => {
    const inv = await invoice(5); // the shop is the buyer: ¥500 payable
    const shopApply = (body: Record<string, unknown>) =>
      api.call("POST", loans, api.keys.shop!, { invoiceId: inv.id, lenderId: api.ids.lenderA, termDays: 30, ...body });
    expect((await shopApply({ requestedFen: 10_000 })).json.code).to.equal("LOAN.NO_CONSENT");
    const consent = await api.call("POST", "/api/v1/finance/consents", api.keys.shop!, { lenderId: api.ids.lenderA });
    expect(consent.status).to.equal(201);
    const a = await shopApply({ requestedFen: 10_000 });
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    expect(a.json).to.deep.include({ side: "payable", borrowerId: api.ids.shop });
    // The seller may finance the same invoice as its receivable: another borrower, another trade side.
    const seller = await apply(inv.id, 10_000);
    expect(seller.status, JSON.stringify(seller.json)).to.equal(201);
    expect((await api.call("GET", `${loans}/${a.json.id}`, officer)).status).to.equal(200);
    const revoked = await api.call("POST", `/api/v1/finance/consents/${consent.json.id}/revoke`, api.keys.shop!, {});
    expect(revoked.status).to.equal(200);
    expect((await api.call("GET", `${loans}/${a.json.id}`, officer)).status).to.equal(404);
    expect((await act(officer, a.json.id, "propose", { amountFen: 10_000, ...terms })).status).to.equal(404);
    const queue = (await api.call("GET", `${loans}?status=applied`, officer)).json.loans as Array<{ id: string }>;
    expect(queue.map((l) => l.id))
      .to.include(seller.json.id)
      .and.not.include(a.json.id);
    await stack.svc.checkpointAuditTrail();
    const denied = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'tenant.cross_access' AND resource = 'loan'
          AND resource_id = $1 AND company_id = $2`,
      [a.json.id, api.ids.shop],
    );
    expect(denied.rows[0]!.n).to.equal(2);
    // The shop still sees and withdraws its own application.
    expect((await act(api.keys.shop!, a.json.id, "withdraw", { reason: "撤回" })).json.status).to.equal("withdrawn");
    expect((await act(treasurer, seller.json.id, "withdraw", { reason: "撤回" })).json.status).to.equal("withdrawn");
  });

  it("the waterfall: a partial invoice payment goes all to the lender, a later one's rest to the seller", async () => {
    const { id, invoiceId } = await disbursed(40_000);
    const pay = (amountFen: number, bankRef: string) =>
      api.call("POST", `/api/v1/finance/invoices/${invoiceId}/payments`, treasurer, { amountFen, bankRef });
    expect((await pay(25_000, "W-1")).status).to.equal(201);
    let l = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
    expect(l).to.deep.include({ repaidFen: 25_000, principalFen: 15_000, status: "disbursed" });
    expect((await pay(75_000, "W-2")).status).to.equal(201); // 15,000 to the lender, 60,000 the seller's
    l = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
    expect(l).to.deep.include({ repaidFen: 40_000, principalFen: 0, status: "closed" });
    expect(
      l.entries.filter((e: { kind: string }) => e.kind === "waterfall").map((e: { amountFen: number }) => e.amountFen),
    ).to.deep.equal([25_000, 15_000]);
    expect(await books()).to.equal(0);
  });

  it("refuses a draw over the credit limit; concurrent approvals never exceed it together", async () => {
    expect(
      (await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.shop}`, approver, { limitFen: 1 })).status,
    ).to.equal(404); // no consent
    expect(
      (await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, officer, { limitFen: 1 })).json.code,
    ).to.equal("AUTH.FORBIDDEN");
    const N = 6;
    const amount = 30_000;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const inv = await invoice();
      const a = await apply(inv.id, amount);
      expect(a.status, JSON.stringify(a.json)).to.equal(201);
      expect((await act(officer, a.json.id, "propose", { amountFen: amount, ...terms })).status).to.equal(200);
      ids.push(a.json.id);
    }
    const limits = async () =>
      (
        (await api.call("GET", "/api/v1/finance/credit-limits", officer)).json.limits as Array<{
          borrowerId: string;
          usedFen: number;
        }>
      ).find((l) => l.borrowerId === api.ids.dealer)!;
    const used = (await limits()).usedFen;
    // Room for exactly two more of these.
    const limitFen = used + 2 * amount + amount / 2;
    expect(
      (await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen })).json,
    ).to.deep.include({
      limitFen,
      usedFen: used,
    });
    const results = await Promise.all(ids.map((id) => act(approver, id, "approve")));
    const approved = results.filter((r) => r.status === 200);
    expect(approved.length, JSON.stringify(results.map((r) => r.json.code))).to.equal(2);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.json.code).to.equal("LOAN.OVER_LIMIT");
    expect((await limits()).usedFen).to.equal(used + 2 * amount);
    // Lowered meanwhile below what was approved: the disbursement is the draw, checked again.
    await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen: used + amount });
    const [x, y] = approved.map((r) => r.json.id as string) as [string, string];
    expect((await act(approver2, x, "disburse", { bankRef: `C-${x}` })).json.code).to.equal("LOAN.OVER_LIMIT");
    expect((await act(treasurer, y, "withdraw", { reason: "不再需要" })).json.status).to.equal("withdrawn");
    expect((await act(approver2, x, "disburse", { bankRef: `C-${x}` })).json.status).to.equal("disbursed");
    expect((await limits()).usedFen).to.equal(used + amount);
    for (const id of ids) await act(treasurer, id, "withdraw", { reason: "清理" }).catch(() => undefined);
    await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen: 100_000_000 });
  });

  it("seeded rounds of concurrent approvals and disbursements: drawn never above the limit", async () => {
    const rounds = Number(process.env.LOAN_DRAW_ROUNDS ?? 2);
    const width = 8;
    const amount = 20_000;
    const invoices: string[] = [];
    for (let i = 0; i < width; i++) invoices.push((await invoice()).id);
    const drawn = async () =>
      (
        await db().query<{ n: number }>(
          `SELECT COALESCE(sum(CASE WHEN status = 'approved' THEN amount_fen ELSE principal_fen END), 0)::float8 AS n
             FROM loans WHERE lender_id = $1 AND borrower_id = $2 AND status IN ('approved', 'disbursed', 'overdue')`,
          [api.ids.lenderA, api.ids.dealer],
        )
      ).rows[0]!.n;
    const started = Date.now();
    for (let round = 0; round < rounds; round++) {
      const ids: string[] = [];
      for (const inv of invoices) {
        const a = await apply(inv, amount);
        expect(a.status, JSON.stringify(a.json)).to.equal(201);
        expect((await act(officer, a.json.id, "propose", { amountFen: amount, ...terms })).status).to.equal(200);
        ids.push(a.json.id);
      }
      const before = await drawn();
      const room = 1 + rand(width - 1);
      const limitFen = before + room * amount + rand(amount);
      await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen });
      const approvals = await Promise.all(ids.map((id) => act(approver, id, "approve")));
      const ok = approvals.filter((r) => r.status === 200).map((r) => r.json.id as string);
      expect(ok.length, `seed ${seed} round ${round}`).to.equal(room);
      expect(await drawn()).to.be.at.most(limitFen);
      // Disbursed at once, twice each (retries): each once, still within the limit.
      const outs = await Promise.all(
        [...ok, ...ok].map((id) => act(approver2, id, "disburse", { bankRef: `R${round}-${id}` })),
      );
      expect(outs.filter((o) => o.status === 200).length, `seed ${seed}`).to.equal(room);
      expect(await drawn()).to.be.at.most(limitFen);
      // Paid back in full (and the rest withdrawn), so the next round's invoices are free again.
      for (const id of ids) {
        const l = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
        if (l.status === "disbursed")
          expect(
            (await act(treasurer, id, "repayments", { amountFen: l.today.payoffFen, bankRef: `P${round}-${id}` })).json
              .status,
          ).to.equal("closed");
        else expect((await act(treasurer, id, "withdraw", { reason: "下一轮" })).json.status).to.equal("withdrawn");
      }
    }
    console.log(
      `      ${rounds} rounds × ${width} concurrent approvals + ${width * 2} disbursements: ${Date.now() - started} ms`,
    );
    await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, approver, { limitFen: 100_000_000 });
    expect(await books()).to.equal(0);
  });

  it("serializes concurrent repayments: never more repaid than owed, every fen booked once", async () => {
    const { id } = await disbursed(64_000);
    const tries = 12;
    const each = 6_000;
    const rs = await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        act(treasurer, id, "repayments", { amountFen: each, bankRef: `CC-${i}` }),
      ),
    );
    const ok = rs.filter((r) => r.status === 201).length;
    expect(ok, JSON.stringify(rs.map((r) => r.json.code))).to.equal(10); // 64,000 owed today: ten of 6,000, not eleven
    for (const r of rs.filter((x) => x.status !== 201)) expect(r.json.code).to.equal("LOAN.OVERPAID");
    const l = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
    expect(l).to.deep.include({ repaidFen: 60_000, principalFen: 4_000, status: "disbursed" });
    expect(await books()).to.equal(0);
  });

  it("random schedules: disbursed + interest = repaid + outstanding, per loan and in monthly statements", async () => {
    const t = await today();
    for (let round = 0; round < 4; round++) {
      const start = addDays(t, -(120 + rand(200)));
      const amount = 10_000 + rand(70_000);
      const { id } = await disbursed(amount, start);
      let on = start;
      for (let k = 0; k < 6; k++) {
        on = addDays(on, rand(40));
        if (on > t) break;
        const owed = (
          await db().query<{ n: number }>("SELECT principal_fen + interest_fen + 5000 AS n FROM loans WHERE id = $1", [
            id,
          ])
        ).rows[0]!.n;
        const r = await act(treasurer, id, "repayments", {
          amountFen: 1 + rand(Number(owed) / 2),
          bankRef: `S-${round}-${k}`,
          paidOn: on,
        });
        if (r.status !== 201)
          expect(r.json.code, `seed ${seed}`).to.be.oneOf(["LOAN.OVERPAID", "LOAN.NOT_OUTSTANDING"]);
      }
      const l = (await api.call("GET", `${loans}/${id}`, treasurer)).json;
      expect(amount + l.interestTotalFen, `seed ${seed}`).to.equal(l.repaidFen + l.principalFen + l.interestFen);
      if (l.status !== "closed") expect(l.status).to.equal(l.dueDate < t ? "overdue" : "disbursed");
      // Month by month from the disbursement: each statement balances, and closing carries into the next opening.
      let month = start.slice(0, 7);
      let carried = 0;
      let repaidSum = 0;
      let interestSum = 0;
      while (month <= t.slice(0, 7)) {
        const st = (
          await api.call(
            "GET",
            `/api/v1/finance/loan-statement?month=${month}&counterpartyId=${api.ids.lenderA}`,
            treasurer,
          )
        ).json;
        const line = (st.loans as Array<Record<string, number | string>>).find((x) => x.loanId === id);
        if (line) {
          expect(line.openingFen, `seed ${seed} ${month}`).to.equal(carried);
          expect(
            Number(line.openingFen) + Number(line.disbursedFen) + Number(line.interestFen) - Number(line.repaidFen),
          ).to.equal(line.closingFen);
          carried = Number(line.closingFen);
          repaidSum += Number(line.repaidFen);
          interestSum += Number(line.interestFen);
        }
        const [y, m] = month.split("-").map(Number) as [number, number];
        month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
      }
      expect(repaidSum, `seed ${seed}`).to.equal(l.repaidFen);
      // The statements run to the end of today: what they accrued beyond the booked interest is still owed.
      expect(carried - l.principalFen - l.interestFen, `seed ${seed}`).to.equal(interestSum - l.interestTotalFen);
      expect(interestSum - l.interestTotalFen).to.be.at.least(0);
      if (l.status === "closed") expect([carried, interestSum - l.interestTotalFen]).to.deep.equal([0, 0]);
    }
    expect(await books()).to.equal(0);
    const csv = await fetch(`${api.origin}/api/v1/finance/loan-statement?month=${t.slice(0, 7)}&format=csv`, {
      headers: { authorization: `Bearer ${treasurer}` },
    });
    expect(csv.headers.get("content-type")).to.match(/text\/csv/);
    const rows = (await csv.text())
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(rows[0]).to.equal("row,loan,counterparty,opening_fen,disbursed_fen,interest_fen,repaid_fen,closing_fen");
    const total = rows.at(-1)!.split(",");
    expect(total[0]).to.equal("total");
    const [o, d, i, r, c] = total.slice(3).map(Number) as [number, number, number, number, number];
    expect(o + d + i - r).to.equal(c);
    // The lender's statement of the same month has the same totals (it is the other side of the same loans).
    const lender = (await api.call("GET", `/api/v1/finance/loan-statement?month=${t.slice(0, 7)}`, officer)).json;
    expect(lender.as).to.equal("lender");
    expect(lender.totals.closingFen).to.equal(c);
  });
});
