import { expect } from "chai";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";
import { addDays } from "../../api/src/modules/finance/loan-book.js";

/**
 * Order loans before delivery and repayment schedules (issue 15, DECISIONS 116), through the API on the database:
 * a seller's loan on a confirmed order (60 %) repaid first from the invoice issued later at delivery; a buyer's
 * purchase-order loan (70 %) that pays the seller, booked on the seller's invoice when it is issued; a cancelled order
 * withdrawing and calling its loans; instalment plans with overdue instalments, arrears paid, early repayment
 * re-spreading the rest, and the schedule in the monthly statement.
 */
describe("finance: order loans on confirmed and purchase orders, repaid in instalments", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let sku = 0;
  let treasurer: string; // the dealer's finance person (seller)
  let officer: string;
  let approver: string;
  let approver2: string;
  const db = () => stack.svc.db.sql;
  const loans = "/api/v1/finance/loans";
  const today = async () =>
    (await db().query<{ d: string }>("SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') d"))
      .rows[0]!.d;
  type Res = { status: number; json: Record<string, any> };
  const act = (token: string, id: string, verb: string, body: unknown = {}): Promise<Res> =>
    api.call("POST", `${loans}/${id}/${verb}`, token, body);
  const get = async (token: string, id: string) => (await api.call("GET", `${loans}/${id}`, token)).json;

  /** A confirmed (allocated) order of `qty` units at ¥100 from the dealer to the shop. */
  const order = async (qty = 10) => {
    const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, { lines: [{ skuId: sku, quantity: qty }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    expect(placed.json.status).to.equal("allocated");
    return placed.json.id as string;
  };
  const deliver = async (orderId: string) => {
    const step = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${orderId}/status`, token, body);
    expect((await step(api.keys.dealer!, { to: "picking" })).status).to.equal(200);
    expect(
      (await step(api.keys.dealer!, { to: "shipped", carrier: "顺丰", trackingNo: "SF0000000002" })).status,
    ).to.equal(200);
    expect((await step(api.keys.shop!, { to: "delivered" })).status).to.equal(200);
  };
  const invoice = async (orderId: string) => {
    const inv = await api.call("POST", "/api/v1/finance/invoices", treasurer, { orderId });
    expect(inv.status, JSON.stringify(inv.json)).to.equal(201);
    return inv.json as { id: string; totalFen: number; paidFen: number; payments: Array<{ bankRef: string }> };
  };
  const terms = { rateBp: 730, overdueBp: 365, termDays: 90 };
  /** Applied by `token` on `orderId`, proposed with `plan`, approved and paid out on `on`. */
  const financed = async (
    token: string,
    orderId: string,
    amountFen: number,
    plan: Record<string, unknown> = {},
    on?: string,
  ) => {
    const a = await api.call("POST", loans, token, {
      orderId,
      lenderId: api.ids.lenderA,
      requestedFen: amountFen,
      termDays: 90,
    });
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    const id = a.json.id as string;
    const p = await act(officer, id, "propose", { amountFen, ...terms, ...plan });
    expect(p.status, JSON.stringify(p.json)).to.equal(200);
    expect((await act(approver, id, "approve")).status).to.equal(200);
    const d = await act(approver2, id, "disburse", { bankRef: `D-${id}`, ...(on ? { on } : {}) });
    expect(d.status, JSON.stringify(d.json)).to.equal(200);
    return d.json;
  };
  /** Every loan's columns against its entries, and the fen CHECK (by the database itself). */
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
  const sumOf = (xs: Array<Record<string, number>>, k: string) => xs.reduce((t, x) => t + x[k]!, 0);

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    [sku] = (await importSkus(api, ["bosch,0 986 494 211,前刹车片,brake_pad,aftermarket,前"])) as [number];
    const wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "LO-1",
      name: "仓库LO-1",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId: sku, quantity: 2000, price: 100 });
    await registerLenders(api, [["lenderA", "杭州联合农村商业银行股份有限公司", "91330100MA2B00021"]]);
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
    officer = await api.keyWithRoles("lenderA", ["credit_officer"]);
    approver = await api.keyWithRoles("lenderA", ["credit_approver"]);
    approver2 = await api.keyWithRoles("lenderA", ["credit_approver"]);
    for (const [key, company] of [
      [treasurer, api.ids.dealer],
      [api.keys.shop!, api.ids.shop],
    ] as const) {
      expect((await api.call("POST", "/api/v1/finance/consents", key, { lenderId: api.ids.lenderA })).status).to.equal(
        201,
      );
      expect(
        (await api.call("PUT", `/api/v1/finance/credit-limits/${company}`, approver, { limitFen: 10_000_000 })).status,
      ).to.equal(200);
    }
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("a seller borrows 60 % of a confirmed order; the invoice issued at delivery repays the lender first", async () => {
    const orderId = await order(); // ¥1,000 = 100,000 fen, allocated
    const apply = (body: Record<string, unknown>) =>
      api.call("POST", loans, treasurer, { lenderId: api.ids.lenderA, termDays: 90, ...body });
    expect((await apply({ orderId, requestedFen: 60_001 })).json).to.deep.include({
      code: "LOAN.OVER_ADVANCE",
      maxFen: 60_000,
    });
    expect((await apply({ requestedFen: 1 })).status).to.equal(400); // neither invoice nor order
    expect(
      (
        await api.call("POST", loans, api.keys.farShop!, {
          orderId,
          lenderId: api.ids.lenderA,
          requestedFen: 1,
          termDays: 9,
        })
      ).status,
    ).to.equal(404);
    const a = await apply({ orderId, requestedFen: 60_000 });
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    expect(a.json).to.deep.include({
      basis: "order",
      side: "receivable",
      invoiceId: null,
      orderId,
      counterpartyId: api.ids.shop,
      invoice: null,
      order: { status: "allocated", valueFen: 100_000 },
      schedule: [],
    });
    expect((await apply({ orderId, requestedFen: 1_000 })).json.code).to.equal("LOAN.ALREADY_FINANCED");
    const id = a.json.id as string;
    // Terms in three equal-principal instalments: the borrower sees the schedule before the money moves.
    expect((await act(officer, id, "propose", { amountFen: 60_001, ...terms })).json.code).to.equal(
      "LOAN.OVER_ADVANCE",
    );
    expect((await act(officer, id, "propose", { amountFen: 60_000, ...terms, instalments: 91 })).status).to.equal(400);
    const p = await act(officer, id, "propose", {
      amountFen: 60_000,
      ...terms,
      plan: "equal_principal",
      instalments: 3,
    });
    expect(p.json).to.deep.include({ plan: { kind: "equal_principal", instalments: 3 }, schedulePreview: true });
    const t = await today();
    expect(p.json.schedule.map((i: Record<string, unknown>) => [i.dueDate, i.principalFen])).to.deep.equal([
      [addDays(t, 30), 20_000],
      [addDays(t, 60), 20_000],
      [addDays(t, 90), 20_000],
    ]);
    const seen = (await get(treasurer, id)).schedule;
    expect(seen).to.deep.equal(p.json.schedule);
    expect((await act(approver, id, "approve")).status).to.equal(200);
    const d = await act(approver2, id, "disburse", { bankRef: `D-${id}` });
    expect(d.json).to.deep.include({ status: "disbursed", nextDueDate: addDays(t, 30), schedulePreview: false });
    // 30 days on ¥600 at 7.3 % = 360 fen; then 30 days on ¥400 = 240; then 30 on ¥200 = 120.
    expect(
      d.json.schedule.map((i: Record<string, unknown>) => [i.principalFen, i.interestFen, i.status]),
    ).to.deep.equal([
      [20_000, 360, "scheduled"],
      [20_000, 240, "scheduled"],
      [20_000, 120, "scheduled"],
    ]);
    // An invoice exists only after delivery; applying on an invoiced order points at the invoice.
    await deliver(orderId);
    const inv = await invoice(orderId);
    const linked = await get(treasurer, id);
    expect(linked).to.deep.include({ invoiceId: inv.id, basis: "order" });
    expect(linked.invoice).to.deep.include({ totalFen: 100_000, paidFen: 0 });
    expect((await apply({ orderId, requestedFen: 1 })).json.code).to.equal("LOAN.INVOICED");
    // The buyer pays ¥300: all of it to the lender (interest first, then the instalments in order); then the rest.
    const pay = (amountFen: number, bankRef: string) =>
      api.call("POST", `/api/v1/finance/invoices/${inv.id}/payments`, treasurer, { amountFen, bankRef });
    expect((await pay(30_000, "B-1")).status).to.equal(201);
    let l = await get(treasurer, id);
    expect(l).to.deep.include({ repaidFen: 30_000, principalFen: 30_000, status: "disbursed" });
    // Paid early (nothing due yet): the 30,000 left re-spread over the three instalments to come, the term unchanged.
    expect(
      l.schedule.map((i: Record<string, unknown>) => [i.principalFen, i.paidPrincipalFen, i.status]),
    ).to.deep.equal([
      [10_000, 0, "scheduled"],
      [10_000, 0, "scheduled"],
      [10_000, 0, "scheduled"],
    ]);
    expect(
      sumOf(
        l.schedule.filter((i: { status: string }) => i.status !== "paid"),
        "principalFen",
      ),
    ).to.equal(l.principalFen);
    expect((await pay(70_000, "B-2")).status).to.equal(201);
    l = await get(treasurer, id);
    expect(l).to.deep.include({ status: "closed", principalFen: 0, repaidFen: 60_000, nextDueDate: null });
    expect(l.entries.map((e: { kind: string; amountFen: number }) => [e.kind, e.amountFen])).to.deep.equal([
      ["disbursement", 60_000],
      ["waterfall", 30_000],
      ["waterfall", 30_000],
    ]);
    expect(await books()).to.equal(0);
  });

  it("a buyer's purchase-order loan pays the seller: booked on the seller's invoice, whose lender is paid first", async () => {
    const orderId = await order(20); // ¥2,000
    // The seller finances its side too (another trade side): it must be repaid first from whatever pays the order.
    const seller = await financed(treasurer, orderId, 50_000);
    const shopApply = (requestedFen: number) =>
      api.call("POST", loans, api.keys.shop!, { orderId, lenderId: api.ids.lenderA, requestedFen, termDays: 90 });
    expect((await shopApply(140_001)).json).to.deep.include({ code: "LOAN.OVER_ADVANCE", maxFen: 140_000 });
    const po = await financed(api.keys.shop!, orderId, 140_000, { plan: "equal_principal", instalments: 2 });
    expect(po).to.deep.include({
      basis: "purchase_order",
      side: "payable",
      counterpartyId: api.ids.dealer,
      invoiceId: null,
    });
    // Delivered and invoiced: the lender's payment lands on the invoice, and the seller's lender takes its share first.
    await deliver(orderId);
    const inv = await invoice(orderId);
    expect(inv.paidFen).to.equal(140_000);
    expect(inv.payments.map((x) => x.bankRef)).to.deep.equal([`loan:${po.id}`]);
    expect((await get(api.keys.shop!, po.id)).invoiceId).to.equal(inv.id);
    const s = await get(treasurer, seller.id);
    expect(s).to.deep.include({ status: "closed", repaidFen: 50_000, invoiceId: inv.id });
    // The buyer repays its own loan on schedule: the first instalment with its interest, then the rest.
    const l = await get(api.keys.shop!, po.id);
    expect(l.schedule).to.have.length(2);
    expect(sumOf(l.schedule, "principalFen")).to.equal(140_000);
    const first = l.schedule[0];
    const r = await act(api.keys.shop!, po.id, "repayments", { amountFen: l.today.payoffFen, bankRef: "PO-1" });
    expect(r.json, JSON.stringify(r.json)).to.deep.include({ status: "closed", repaidFen: 140_000 });
    expect(first.principalFen).to.equal(70_000);
    // Invoiced now: a purchase-order loan on it is refused; the open ¥600 can be financed as the invoice.
    expect((await shopApply(1)).json.code).to.equal("LOAN.INVOICED");
    expect(await books()).to.equal(0);
  });

  it("a purchase-order loan approved before the invoice and paid out after it pays the invoice at once", async () => {
    const orderId = await order(10);
    const a = await api.call("POST", loans, api.keys.shop!, {
      orderId,
      lenderId: api.ids.lenderA,
      requestedFen: 70_000,
      termDays: 60,
    });
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    const id = a.json.id as string;
    expect((await act(officer, id, "propose", { amountFen: 70_000, ...terms })).status).to.equal(200);
    expect((await act(approver, id, "approve")).status).to.equal(200);
    await deliver(orderId);
    const inv = await invoice(orderId);
    expect(inv.paidFen).to.equal(0); // nothing paid out yet
    expect((await get(api.keys.shop!, id)).invoiceId).to.equal(inv.id);
    const d = await act(approver2, id, "disburse", { bankRef: `D-${id}` });
    expect(d.json, JSON.stringify(d.json)).to.deep.include({ status: "disbursed", invoiceId: inv.id });
    expect(d.json.invoice).to.deep.include({ totalFen: 100_000, paidFen: 70_000 });
    expect(await books()).to.equal(0);
  });

  it("a cancelled order withdraws its loans not yet paid out and calls the others: due today, overdue tomorrow", async () => {
    const o1 = await order(5);
    const pending = await api.call("POST", loans, treasurer, {
      orderId: o1,
      lenderId: api.ids.lenderA,
      requestedFen: 10_000,
      termDays: 60,
    });
    expect(pending.status).to.equal(201);
    const o2 = await order(5);
    const t = await today();
    const out = await financed(treasurer, o2, 30_000, { plan: "equal_principal", instalments: 3 }, addDays(t, -10));
    const po = await financed(api.keys.shop!, o1, 20_000);
    for (const o of [o1, o2])
      expect((await api.call("POST", `/api/v1/orders/${o}/cancel`, api.keys.shop!, {})).json.status).to.equal(
        "cancelled",
      );
    expect(await get(treasurer, pending.json.id)).to.deep.include({
      status: "withdrawn",
      endedBy: "system",
      endedReason: "order cancelled",
    });
    for (const [token, id] of [
      [treasurer, out.id],
      [api.keys.shop!, po.id],
    ] as const) {
      const l = await get(token, id);
      expect(l).to.deep.include({ calledOn: t, calledReason: "order_cancelled", dueDate: t, nextDueDate: t });
      expect(
        l.schedule.every((i: { dueDate: string; status: string }) => i.dueDate === t && i.status === "due"),
      ).to.equal(true);
      expect(sumOf(l.schedule, "totalFen")).to.equal(l.today.payoffFen);
    }
    // Nothing new on a cancelled order; the called loan is repaid by its borrower (recourse: no invoice will).
    expect(
      (
        await api.call("POST", loans, treasurer, {
          orderId: o2,
          lenderId: api.ids.lenderA,
          requestedFen: 1,
          termDays: 9,
        })
      ).json.code,
    ).to.equal("LOAN.ORDER_CANCELLED");
    const payoff = (await get(treasurer, out.id)).today.payoffFen;
    // 10 days on ¥300 at 7.3 % = 60 fen of interest.
    expect(payoff).to.equal(30_060);
    const r = await act(treasurer, out.id, "repayments", { amountFen: payoff, bankRef: "CALL-1" });
    expect(r.json.status).to.equal("closed");
    await stack.svc.checkpointAuditTrail();
    const called = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'loan.called' AND resource_id = $1",
      [out.id],
    );
    expect(called.rows[0]!.n).to.equal(2); // on the lender's trail and the borrower's
    expect(await books()).to.equal(0);
  });

  it("races applications against cancellation and invoicing: no live order loan is left on a cancelled or unlinked trade", async () => {
    const rounds = Number(process.env.LOAN_RACE_ROUNDS ?? 8);
    const tally = { applied: 0, refused: 0 };
    for (let round = 0; round < rounds; round++) {
      const o1 = await order(2);
      const o2 = await order(2);
      await deliver(o2);
      const apply = (orderId: string) =>
        api.call("POST", loans, treasurer, { orderId, lenderId: api.ids.lenderA, requestedFen: 100, termDays: 30 });
      const [a1, , a2] = await Promise.all([
        apply(o1),
        api.call("POST", `/api/v1/orders/${o1}/cancel`, api.keys.shop!, {}),
        apply(o2),
        api.call("POST", "/api/v1/finance/invoices", treasurer, { orderId: o2 }),
      ]);
      for (const a of [a1, a2]) {
        if (a.status === 201) tally.applied++;
        else {
          expect(a.json.code, `round ${round}`).to.be.oneOf(["LOAN.ORDER_CANCELLED", "LOAN.INVOICED"]);
          tally.refused++;
        }
      }
    }
    console.log(`      ${rounds} rounds: ${tally.applied} applications won the race, ${tally.refused} lost it`);
    // Whatever the order: an order loan on a cancelled order is withdrawn; on an invoiced one, it is linked.
    const bad = await db().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM loans l JOIN orders o ON o.id = l.order_id
        WHERE l.basis = 'order' AND l.status IN ('applied', 'proposed', 'approved', 'disbursed', 'overdue')
          AND (o.status = 'cancelled'
               OR (l.invoice_id IS NULL AND EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = l.order_id
                                                       AND i.seller_id = l.borrower_id)))`,
    );
    expect(bad.rows[0]!.n).to.equal(0);
  });

  it("an unpaid instalment makes the loan overdue (margin on it alone); paying the arrears puts it back on schedule", async () => {
    const orderId = await order(10);
    const t = await today();
    // Paid out 40 days ago, three instalments of ¥200 every 30 days: the first is 10 days late.
    const l0 = await financed(treasurer, orderId, 60_000, { plan: "equal_principal", instalments: 3 }, addDays(t, -40));
    const listed = (await api.call("GET", loans, treasurer)).json.loans as Array<{ id: string; status: string }>;
    expect(listed.find((x) => x.id === l0.id)?.status).to.equal("overdue");
    const l = await get(treasurer, l0.id);
    // 40 days on ¥600 at 7.3 % = 480 fen, plus 3.65 % on the ¥200 overdue for 9 days (the 31st … the 39th) = 18 fen.
    expect(l.today.interestFen).to.equal(480 + 18);
    expect(l.schedule[0]).to.deep.include({ status: "overdue", principalFen: 20_000, overdueInterestFen: 18 });
    expect(l.schedule[0].totalFen).to.equal(20_000 + 498);
    const arrears = await act(treasurer, l0.id, "repayments", { amountFen: l.schedule[0].totalFen, bankRef: "ARR-1" });
    expect(arrears.json, JSON.stringify(arrears.json)).to.deep.include({
      status: "disbursed",
      principalFen: 40_000,
      nextDueDate: addDays(t, 20),
    });
    expect(arrears.json.schedule.map((i: { status: string }) => i.status)).to.deep.equal([
      "paid",
      "scheduled",
      "scheduled",
    ]);
    // The month's statement lists the instalments dated in it, with what was repaid on each.
    const month = t.slice(0, 7);
    const st = (await api.call("GET", `/api/v1/finance/loan-statement?month=${month}`, treasurer)).json;
    const line = st.loans.find((x: { loanId: string }) => x.loanId === l0.id);
    const inMonth = arrears.json.schedule.filter((i: { dueDate: string }) => i.dueDate.startsWith(month));
    expect(line.instalments.map((i: { no: number }) => i.no)).to.deep.equal(inMonth.map((i: { no: number }) => i.no));
    expect(await books()).to.equal(0);
  });
});
