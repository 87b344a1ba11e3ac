import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, label } from "./stories/common.js";

/**
 * Recall progress in Chromium (issue 16): a repair shop holding a recalled unit sees it under 影响我的召回; the
 * manufacturer opens the recall's units, records one as returned, and closes the recall. axe on every view;
 * screenshots in test-output/recalls-*.png.
 */
describe("recall screens: units, progress and closing for the maker; 影响我的召回 for a holder @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let recallId = "";
  let held = "";
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

  it("checked every view with axe and ran without page errors or CSP violations", () => {
    expect(seen).to.include.members(["shop-affecting", "maker-units", "maker-closed"]);
    expect(h.problems).to.deep.equal([]);
  });
});
