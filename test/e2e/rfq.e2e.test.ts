import { expect } from "chai";
import type { Page } from "playwright-core";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, settleAnimations, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, label } from "./stories/common.js";

/**
 * Requests for quotes (询价/报价) in Chromium over the existing screens: a repair shop's buyer asks for a brake-pad
 * set by part number; the distributor nearby that pools it sees the request and quotes a price; the shop compares the
 * quote and accepts it, which places the order at the quoted price. Each screen is checked with axe.
 */
describe("requests for quotes in the console: shop asks → supplier quotes → shop accepts → order @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let shop: { mobile: string };
  let sales: { mobile: string };
  let rfqId: string;
  const inspect = async (page: Page, name: string) => {
    await settleAnimations(page);
    await checkA11y(page, `rfq ${name}`);
    await shot(page, `rfq-${name}`);
  };

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    const [sku] = await importSkus(h.api, ["bosch,0 986 494 100,前刹车片,brake_pad,aftermarket,前"]);
    // The distributor's warehouse 2 km from the shop (杭州西湖, 120.13 / 30.26) pools 50 sets at 120 yuan.
    const loc = await sharedWarehouse(h.api, h.api.keys.dealer!, {
      code: "WH-HZ",
      name: "杭州一号仓",
      regionCode: "330106",
      location: { lng: 120.15, lat: 30.27 },
    });
    await stockShared(h.api, h.api.keys.dealer!, { locationId: loc, skuId: sku!, quantity: 50, price: 120 });
    shop = await h.api.userWithRoles("shop", ["buyer"]);
    sales = await h.api.userWithRoles("dealer", ["sales"]);
  });
  after(async () => {
    await h?.close();
  });

  it("the shop's buyer asks by part number; one supplier in range is notified", async () => {
    const page = await h.page("desktop");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/shop/rfqs"));
    const form = page.locator("[data-testid=shop-rfqs] form");
    await form.getByPlaceholder("配件名称或零件号，如 帕萨特 前大灯").fill("0 986 494 100");
    await form.locator("input[id=quantity]").fill("2");
    await form.getByRole("button", { name: "发送询价" }).click();
    await page.getByText("询价已发送给附近有货的供应商").waitFor();
    await page.getByText("已通知 1 家供应商", { exact: false }).waitFor();
    await inspect(page, "shop-asked");
    const list = await h.api.call("GET", "/api/v1/rfqs", h.api.keys.shop!);
    expect(list.json.rfqs).to.have.length(1);
    rfqId = list.json.rfqs[0].id;
    expect(list.json.rfqs[0]).to.include({ status: "open", recipients: 1 });
  });

  it("the distributor's sales sees it and quotes 108.50 yuan a set", async () => {
    const page = await h.page("desktop");
    await login(page, sales.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/distributor/rfqs"));
    const card = page.locator("[data-testid=distributor-rfqs] .ant-card", { hasText: "杭州西湖汽车修理厂" });
    await card.waitFor();
    await inspect(page, "incoming");
    await card
      .locator(".ant-card-extra")
      .getByRole("button", { name: label("报价") })
      .click();
    const form = card.locator("form");
    await form.locator(".ant-input-number-input").fill("108.50");
    await inspect(page, "quote-form");
    await form.getByRole("button", { name: label("报价") }).click();
    await page.getByText("报价已提交").waitFor();
    const r = await h.api.call("GET", `/api/v1/rfqs/${rfqId}`, h.api.keys.shop!);
    expect(r.json.status).to.equal("quoted");
    expect(r.json.quoteList.map((q: { totalFen: number }) => q.totalFen)).to.deep.equal([21_700]);
  });

  it("the shop compares the quote and accepts it: the order is placed at the quoted price", async () => {
    const page = await h.page("desktop");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/shop/rfqs"));
    await page.getByRole("button", { name: "比较报价（1）" }).click();
    const row = page.locator("tr", { hasText: "杭州汽配城经销商有限公司" });
    await row.waitFor();
    await inspect(page, "compare");
    await row.getByRole("button", { name: "接受并下单" }).click();
    await page.getByText("已接受报价并下单").waitFor();
    await page.locator(".ant-tag", { hasText: "已成交" }).first().waitFor();
    await inspect(page, "accepted");
    const r = await h.api.call("GET", `/api/v1/rfqs/${rfqId}`, h.api.keys.shop!);
    expect(r.json.status).to.equal("accepted");
    expect(r.json.orderId).to.match(/^ord_[0-9a-f]{16}$/);
    const order = await h.api.call("GET", `/api/v1/orders/${r.json.orderId}`, h.api.keys.shop!);
    expect(order.status, JSON.stringify(order.json)).to.equal(200);
    expect(order.json.totalFen).to.equal(21_700);
    expect(h.problems).to.deep.equal([]);
  });
});
