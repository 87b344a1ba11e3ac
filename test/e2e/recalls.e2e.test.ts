import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, dialog, label, okOf } from "./stories/common.js";

/**
 * Recall progress in Chromium (issue 16): a repair shop holding a recalled unit sees it under 影响我的召回; the
 * manufacturer opens the recall's units, records one as returned, and closes the recall. axe on every view;
 * screenshots in test-output/recalls-*.png. And 申请退货 on a delivered order line opens the return form prefilled.
 */
describe("recall screens: units, progress and closing for the maker; 影响我的召回 for a holder @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let recallId = "";
  let held = "";
  let orderId = "";
  const g = gtin14("0690123456802"); // under the maker's verified prefix 690 1234
  const seen: string[] = [];
  const check = async (page: Page, name: string) => {
    await checkA11y(page, `recalls ${name}`);
    await shot(page, `recalls-${name}`);
    seen.push(name);
  };
  const toast = (page: Page, text: string) =>
    page.locator(".ant-message-notice").filter({ hasText: text }).first().waitFor({ timeout: 15_000 });

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    const api = h.api;
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: g,
      lot: "L-RC2",
      productionDate: "2026-11-20",
      count: 3,
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    held = (mint.json.serials as string[])[0]!;
    const parts = [{ gtin: g, serial: held }];
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.shop, parts })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts })).status).to.be.oneOf([200, 201]);
    const recall = await api.call("POST", "/api/v1/recalls", api.keys.maker!, {
      gtin: g,
      lot: "L-RC2",
      reason: "摩擦材料批次不合格",
    });
    expect(recall.status, JSON.stringify(recall.json)).to.equal(201);
    recallId = recall.json.id;
    // a delivered order of the shop's, for 申请退货
    const [skuId] = (await importSkus(api, ["bosch,0 986 494 300,前刹车片,brake_pad,aftermarket,前"])) as [number];
    const loc = await sharedWarehouse(api, api.keys.dealer!, {
      code: "WH-RT",
      name: "退货仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: loc, skuId, quantity: 10, price: 260 });
    const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, { lines: [{ skuId, quantity: 2 }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    orderId = placed.json.id;
    const status = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${orderId}/status`, token, body);
    expect((await status(api.keys.dealer!, { to: "picking" })).status).to.equal(200);
    expect(
      (await status(api.keys.dealer!, { to: "shipped", carrier: "顺丰", trackingNo: "SF7000000002" })).status,
    ).to.equal(200);
    expect((await status(api.keys.shop!, { to: "delivered" })).status).to.equal(200);
  });
  after(async () => {
    await h?.close();
  });

  it("a repair shop holding a recalled unit sees the recall and its own unit under 影响我的召回", async () => {
    const shop = await h.api.userWithRoles("shop", ["company_admin"]);
    const page = await h.page("phone");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/recalls/affecting-me"));
    const card = page.getByTestId("affecting-recall").first();
    await card.waitFor();
    expect(await card.innerText())
      .to.include("涉及贵公司 1 件")
      .and.to.include("摩擦材料批次不合格");
    await card.getByText("贵公司的件").click();
    const units = card.getByTestId("recall-units");
    await units.getByText(held).waitFor();
    expect(await units.locator("tbody tr.ant-table-row").count()).to.equal(1); // only its own unit
    await check(page, "shop-affecting");
    await page.context().close();
  });

  it("the manufacturer records a unit as returned and closes the recall", async () => {
    const maker = await h.api.userWithRoles("maker", ["company_admin"]);
    const page = await h.page("desktop");
    await login(page, maker.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/recalls"));
    const card = page.getByTestId("recall-row").first();
    await card.waitFor();
    await card.getByText("召回明细（逐件）").click();
    const row = card.getByTestId("recall-units").locator("tr", { hasText: held });
    await row.waitFor();
    await row.locator("input[type=checkbox]").check();
    await check(page, "maker-units");
    await card.getByTestId("recall-record").click();
    await toast(page, "已记录 1 件的进度");
    await row.getByText("已退回").waitFor();
    const progress = await h.api.call("GET", `/api/v1/recalls/${recallId}`, h.api.keys.maker!);
    expect(progress.json.progress.returned).to.equal(1);
    await card.getByTestId("recall-close").click();
    await page
      .getByRole("button", { name: label("确定") })
      .or(page.getByRole("button", { name: "OK" }))
      .first()
      .click();
    await toast(page, "召回已关闭");
    const closed = await h.api.call("GET", `/api/v1/recalls/${recallId}`, h.api.keys.maker!);
    expect(closed.json.status).to.equal("closed");
    await check(page, "maker-closed");
    await page.context().close();
  });

  it("申请退货 on a delivered order line opens the return form with the order and line filled in", async () => {
    const buyer = await h.api.userWithRoles("shop", ["buyer"]);
    const page = await h.page("phone");
    await login(page, buyer.mobile, PASSWORD, h.origin);
    await page.goto(h.url(`/shop/orders/${orderId}`));
    await page.getByTestId("shop-order").waitFor();
    await page.getByTestId("return-line-1").click();
    const d = dialog(page, "申请退货");
    await d.waitFor();
    expect(page.url()).to.contain("/returns");
    expect(await d.locator("#return_lineNo").inputValue()).to.equal("1");
    expect(await d.locator("#return_quantity").inputValue()).to.equal("2");
    expect(await d.innerText()).to.contain(orderId);
    await d.locator("#return_reason").click();
    await page.locator(".ant-select-item-option").first().click();
    await check(page, "shop-return-prefilled");
    await okOf(d).click();
    await toast(page, "退货申请已提交");
    const returns = await h.api.call("GET", "/api/v1/returns", h.api.keys.shop!);
    expect(returns.json.returns.map((r: { orderId: string }) => r.orderId)).to.include(orderId);
    await page.context().close();
  });

  it("checked every view with axe and ran without page errors or CSP violations", () => {
    expect(seen).to.include.members(["shop-affecting", "maker-units", "maker-closed", "shop-return-prefilled"]);
    expect(h.problems).to.deep.equal([]);
  });
});
