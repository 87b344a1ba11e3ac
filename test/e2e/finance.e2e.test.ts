import { expect } from "chai";
import type { Page } from "playwright-core";
import { OPERATOR, randomMobile, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, dialog, label, okOf, pick } from "./stories/common.js";

/**
 * Order loans in Chromium (DECISIONS 105/106): a distributor's finance person applies against its invoice of a
 * delivered order; the bank's credit officer proposes terms; an approver (another person) approves; a second
 * approver records the disbursement (the approver may not); the borrower repays in full and reads its statement.
 * axe on every screen on the way; screenshots in test-output/finance-*.png.
 */
describe("order loans: borrower applies → officer proposes → approver approves → disbursed → repaid @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let invoiceId = "";
  let confirmedId = ""; // an order confirmed (allocated), not yet delivered: the seller may borrow 60 % of it
  const people: Record<string, { id: string; mobile: string }> = {};

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    const api = h.api;
    const [sku] = (await importSkus(api, ["bosch,0 986 494 220,后刹车片,brake_pad,aftermarket,后"])) as [number];
    const wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "FIN-1",
      name: "仓库FIN-1",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId: sku, quantity: 50, price: 100 });
    const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, { lines: [{ skuId: sku, quantity: 10 }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const step = (token: string, body: unknown) =>
      api.call("POST", `/api/v1/orders/${placed.json.id}/status`, token, body);
    expect((await step(api.keys.dealer!, { to: "picking" })).status).to.equal(200);
    expect(
      (await step(api.keys.dealer!, { to: "shipped", carrier: "顺丰", trackingNo: "SF0000000002" })).status,
    ).to.equal(200);
    expect((await step(api.keys.shop!, { to: "delivered" })).status).to.equal(200);
    const confirmed = await api.call("POST", "/api/v1/orders", api.keys.shop!, {
      lines: [{ skuId: sku, quantity: 10 }],
    });
    expect(confirmed.json.status).to.equal("allocated");
    confirmedId = confirmed.json.id;
    const bank = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州联合农村商业银行股份有限公司",
      uscc: uscc("91330100MA2B00031"),
      kind: "lender",
      regionCode: "330102",
      location: { lng: 120.17, lat: 30.25 },
      admin: { name: "首任管理员", mobile: randomMobile("135"), password: PASSWORD },
    });
    expect(bank.status, JSON.stringify(bank.json)).to.equal(201);
    api.keys.bank = bank.json.apiKey;
    api.ids.bank = bank.json.id;
    people.borrower = await api.userWithRoles("dealer", ["finance"]);
    people.officer = await api.userWithRoles("bank", ["credit_officer"]);
    people.approver = await api.userWithRoles("bank", ["credit_approver"]);
    people.approver2 = await api.userWithRoles("bank", ["credit_approver"]);
    const inv = await api.call("POST", "/api/v1/finance/invoices", api.keys.dealer!, { orderId: placed.json.id });
    expect(inv.status, JSON.stringify(inv.json)).to.equal(201);
    invoiceId = inv.json.id;
    const consent = await api.call("POST", "/api/v1/finance/consents", api.keys.dealer!, { lenderId: api.ids.bank });
    expect(consent.status, JSON.stringify(consent.json)).to.equal(201);
    const limit = await api.call("PUT", `/api/v1/finance/credit-limits/${api.ids.dealer}`, api.keys.bank!, {
      limitFen: 1_000_000,
    });
    expect(limit.status, JSON.stringify(limit.json)).to.equal(200);
  });
  after(async () => {
    expect(h?.problems ?? []).to.deep.equal([]);
    await h?.close();
  });

  const as = async (who: string, path: string) => {
    const page = await h.page();
    await page.goto(h.url(path));
    await login(page, people[who]!.mobile, PASSWORD);
    return page;
  };
  const row = (page: Page, text: string) => page.locator("tbody tr.ant-table-row").filter({ hasText: text });
  const status = (page: Page, text: string) => row(page, text).locator(".ant-tag").first();

  it("walks the loan through both sides' screens", async () => {
    // The borrower applies for ¥500 against its ¥1,000 invoice.
    const b = await as("borrower", "/borrower/loans");
    await b.getByRole("button", { name: label("申请融资") }).click();
    const apply = dialog(b, "申请融资");
    await pick(b, apply, "invoiceId", `${invoiceId} · ¥1,000.00`);
    await pick(b, apply, "lenderId", h.api.ids.bank!);
    await apply.locator("#yuan").fill("500");
    await checkA11y(b, "borrower: apply dialog");
    await okOf(apply).click();
    await status(b, invoiceId).filter({ hasText: "已申请" }).waitFor();
    const loanId = (await h.api.call("GET", "/api/v1/finance/loans", h.api.keys.dealer!)).json.loans[0].id as string;
    await checkA11y(b, "borrower: my loans");
    await shot(b, "finance-borrower-applied");

    // The officer proposes 7.3 % for 90 days; the officer has no approve button.
    const o = await as("officer", "/lender/applications");
    await row(o, loanId)
      .getByRole("button", { name: label("报价") })
      .click();
    const terms = dialog(o, "报价");
    await checkA11y(o, "lender: propose dialog");
    await okOf(terms).click();
    await o.getByText("已报价", { exact: true }).first().click(); // the segment
    await status(o, loanId).filter({ hasText: "已报价" }).waitFor();
    expect(
      await row(o, loanId)
        .getByRole("button", { name: label("审批通过") })
        .count(),
    ).to.equal(0);
    await checkA11y(o, "lender: applications");

    // The approver approves.
    const a = await as("approver", "/lender/applications");
    await a.getByText("已报价", { exact: true }).first().click();
    await row(a, loanId)
      .getByRole("button", { name: label("审批通过") })
      .click();
    await a.getByText("已审批", { exact: true }).first().click();
    await status(a, loanId).filter({ hasText: "已审批" }).waitFor();
    // The approver is not offered the disbursement; the second approver records it.
    expect(
      await row(a, loanId)
        .getByRole("button", { name: label("放款") })
        .count(),
    ).to.equal(0);
    const a2 = await as("approver2", "/lender/applications");
    await a2.getByText("已审批", { exact: true }).first().click();
    await row(a2, loanId)
      .getByRole("button", { name: label("放款") })
      .click();
    const out = dialog(a2, "放款");
    await out.locator("#bankRef").fill("HZRCB-20261202-0001");
    await okOf(out).click();
    await out.waitFor({ state: "hidden" });
    const disbursed = (await h.api.call("GET", `/api/v1/finance/loans/${loanId}`, h.api.keys.dealer!)).json;
    expect(disbursed).to.deep.include({ status: "disbursed", amountFen: 50_000, rateBp: 730 });
    await a2.goto(h.url("/lender/portfolio"));
    await status(a2, loanId).filter({ hasText: "已放款" }).waitFor();
    // The schedule on the loan's row (DECISIONS 116): one bullet instalment of ¥500 and 90 days' interest (¥9.00).
    await row(a2, loanId).locator(".ant-table-row-expand-icon").click();
    const schedule = a2.locator("tr.ant-table-expanded-row").filter({ hasText: "到期还本" });
    await schedule.waitFor();
    expect(await schedule.innerText())
      .to.contain("¥509.00")
      .and.contain("未到期");
    await checkA11y(a2, "lender: portfolio");
    await shot(a2, "finance-lender-portfolio");

    // The borrower repays what is owed today (prefilled) and reads its statement.
    await b.reload();
    await row(b, loanId)
      .getByRole("button", { name: label("还款") })
      .click();
    const repay = dialog(b, "还款");
    await repay.locator("#bankRef").fill("DEALER-PAY-0001");
    await checkA11y(b, "borrower: repay dialog");
    await okOf(repay).click();
    await status(b, loanId).filter({ hasText: "已结清" }).waitFor();
    await b.goto(h.url("/borrower/loan-statement"));
    const total = b.locator("tbody tr.ant-table-row").filter({ hasText: "合计" });
    await total.waitFor();
    expect(await total.innerText()).to.contain("¥500.00"); // disbursed and repaid this month
    await checkA11y(b, "borrower: statement");
    await shot(b, "finance-borrower-statement");
    const closed = (await h.api.call("GET", `/api/v1/finance/loans/${loanId}`, h.api.keys.dealer!)).json;
    expect(closed).to.deep.include({ status: "closed", repaidFen: 50_000, principalFen: 0 });
  });

  it("applies on a confirmed order; terms in three instalments; the borrower previews the schedule (DECISIONS 116)", async () => {
    const b = await as("borrower", "/borrower/loans");
    await b.getByRole("button", { name: label("申请融资") }).click();
    const apply = dialog(b, "申请融资");
    await apply.getByText("按订单", { exact: true }).click();
    await pick(b, apply, "orderId", `${confirmedId} · 已确认订单（卖方） · ¥1,000.00`);
    await pick(b, apply, "lenderId", h.api.ids.bank!);
    await apply.locator("#yuan").fill("600");
    await checkA11y(b, "borrower: apply on an order");
    await okOf(apply).click();
    await status(b, confirmedId).filter({ hasText: "已申请" }).waitFor();
    const loan = (await h.api.call("GET", "/api/v1/finance/loans", h.api.keys.dealer!)).json.loans.find(
      (l: { orderId: string }) => l.orderId === confirmedId,
    );
    expect(loan).to.deep.include({ basis: "order", invoiceId: null, requestedFen: 60_000 });

    const o = await as("officer", "/lender/applications");
    await row(o, loan.id)
      .getByRole("button", { name: label("报价") })
      .click();
    const terms = dialog(o, "报价");
    await pick(o, terms, "plan", "等额本金");
    await terms.locator("#instalments").fill("3");
    await okOf(terms).click();
    await terms.waitFor({ state: "hidden" });
    expect((await h.api.call("GET", `/api/v1/finance/loans/${loan.id}`, h.api.keys.dealer!)).json.plan).to.deep.equal({
      kind: "equal_principal",
      instalments: 3,
    });

    await b.reload();
    await row(b, loan.id).locator(".ant-table-row-expand-icon").click();
    const schedule = b.locator("tr.ant-table-expanded-row").filter({ hasText: "等额本金" });
    await schedule.waitFor();
    const text = await schedule.innerText();
    expect(text).to.contain("共 3 期").and.contain("预览").and.contain("¥200.00");
    await checkA11y(b, "borrower: schedule preview");
    await shot(b, "finance-borrower-schedule");
  });
});
