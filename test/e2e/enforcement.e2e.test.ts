import { expect } from "chai";
import type { Page } from "playwright-core";
import { OPERATOR, randomMobile, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, dialog, label, okOf } from "./stories/common.js";

/**
 * Enforcing a pledged receipt in Chromium (DECISIONS 112), in the lender's 押品监控: one approver starts it naming the
 * nominee, the other confirms (the starter is not offered 确认), the starter undoes it inside the window; started and
 * confirmed again, once the window is over 执行转移 sends the goods to the nominee. axe on every step.
 */
describe("receipt enforcement: start → confirm by another approver → undo; again → transfer to the nominee @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let receiptId = "";
  let nominee = { id: "", wh: "" };
  const people: Record<string, { id: string; mobile: string }> = {};

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    const api = h.api;
    const [sku] = (await importSkus(api, ["bosch,0 986 494 230,前刹车片,brake_pad,aftermarket,前"])) as [number];
    const wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "ENF-E2E",
      name: "质押仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId: sku, quantity: 20, price: 100 });
    const bank = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州处置银行股份有限公司",
      uscc: uscc("91330100MA2B00051"),
      kind: "lender",
      regionCode: "330102",
      location: { lng: 120.17, lat: 30.25 },
      admin: { name: "首任管理员", mobile: randomMobile("135"), password: PASSWORD },
    });
    expect(bank.status, JSON.stringify(bank.json)).to.equal(201);
    api.keys.bank = bank.json.apiKey;
    api.ids.bank = bank.json.id;
    const n = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "嘉兴处置接收经销有限公司",
      uscc: uscc("91330402MA2B00052"),
      kind: "distributor",
      regionCode: "330402",
      location: { lng: 120.75, lat: 30.75 },
    });
    expect(n.status, JSON.stringify(n.json)).to.equal(201);
    const nwh = await api.call("POST", "/api/v1/suppliers/locations", n.json.apiKey, {
      code: "NOM-E2E",
      name: "处置仓",
      regionCode: "330402",
      location: { lng: 120.75, lat: 30.75 },
    });
    expect(nwh.status, JSON.stringify(nwh.json)).to.equal(201);
    nominee = { id: n.json.id, wh: nwh.json.id };
    const clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    const treasurer = await api.keyWithRoles("dealer", ["finance"]);
    const issued = await api.call("POST", "/api/v1/finance/warehouse-receipts", clerk, {
      locationId: wh,
      lines: [{ skuId: sku, quantity: 6 }],
    });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    receiptId = issued.json.id;
    const pledged = await api.call("POST", `/api/v1/finance/warehouse-receipts/${receiptId}/pledge`, treasurer, {
      lenderId: api.ids.bank,
    });
    expect(pledged.status, JSON.stringify(pledged.json)).to.equal(200);
    people.approver = await api.userWithRoles("bank", ["credit_approver"]);
    people.approver2 = await api.userWithRoles("bank", ["credit_approver"]);
  });
  after(async () => {
    expect(h?.problems ?? []).to.deep.equal([]);
    await h?.close();
  });

  const as = async (who: string) => {
    const page = await h.page();
    await page.goto(h.url("/lender/collateral"));
    await login(page, people[who]!.mobile, PASSWORD);
    return page;
  };
  const row = (page: Page, text: string) => page.locator("tbody tr.ant-table-row").filter({ hasText: text });
  const enforcement = (page: Page) => row(page, nominee.id);
  const start = async (page: Page) => {
    await row(page, receiptId)
      .first()
      .getByRole("button", { name: label("发起处置") })
      .click();
    const d = dialog(page, "发起处置");
    await d.locator("#nomineeId").fill(nominee.id);
    await d.locator("#nomineeLocationId").fill(nominee.wh);
    await d.locator("#reason").fill("贷款逾期 30 天, 追加保证金未到");
    await checkA11y(page, "lender: enforce dialog");
    await okOf(d).click();
    await d.waitFor({ state: "hidden" });
  };

  it("is started, confirmed by another approver, undone; then transferred after the window", async () => {
    const a = await as("approver");
    await start(a);
    await enforcement(a).filter({ hasText: "待确认" }).waitFor();
    // The starter is offered 撤销, not 确认.
    expect(
      await enforcement(a)
        .getByRole("button", { name: label("确认") })
        .count(),
    ).to.equal(0);
    await checkA11y(a, "lender: enforcement proposed");

    const b = await as("approver2");
    await enforcement(b)
      .getByRole("button", { name: label("确认") })
      .click();
    await enforcement(b).filter({ hasText: "撤销期中" }).waitFor();
    await shot(b, "enforcement-confirmed");

    await a.reload();
    await enforcement(a)
      .getByRole("button", { name: label("撤销") })
      .click();
    await enforcement(a).filter({ hasText: "已撤销" }).waitFor();
    expect(
      (await h.api.call("GET", `/api/v1/finance/warehouse-receipts/${receiptId}`, h.api.keys.bank!)).json.status,
    ).to.equal("pledged");

    // Again; the window is moved into the past (the clock, not the rule); 执行转移 sends the goods.
    await start(a);
    await b.reload();
    await enforcement(b)
      .filter({ hasText: "待确认" })
      .getByRole("button", { name: label("确认") })
      .click();
    await enforcement(b).filter({ hasText: "撤销期中" }).waitFor();
    await h.stack.svc.db.sql.query(
      "UPDATE receipt_enforcements SET undo_until = now() - interval '1 second' WHERE receipt_id = $1 AND status = 'confirmed'",
      [receiptId],
    );
    await b.reload();
    await enforcement(b)
      .filter({ hasText: "撤销期中" })
      .getByRole("button", { name: label("执行转移") })
      .click();
    await enforcement(b).filter({ hasText: "已处置" }).waitFor();
    await checkA11y(b, "lender: enforcement completed");
    await shot(b, "enforcement-completed");
    const r = (await h.api.call("GET", `/api/v1/finance/warehouse-receipts/${receiptId}`, h.api.keys.bank!)).json;
    expect(r.status).to.equal("enforced");
  });
});
