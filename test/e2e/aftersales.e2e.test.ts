import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { OPERATOR } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, dialog, label, okOf, pick } from "./stories/common.js";

/** A whole 1×1 PNG (the browser draws it). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * The after-sales story in Chromium (issue 16): a repair shop on a phone requests a return of an order line with a
 * photo → the seller (a distributor, desktop) refuses it → the shop disputes → one platform person takes the dispute
 * and proposes a full refund, and sees no approve button on their own proposal → a second platform person approves →
 * the refund is settled once; the seller concedes a second dispute itself (DECISIONS 119). The manufacturer's recall screen starts a lot recall and shows its progress. axe on
 * every view; screenshots in test-output/aftersales-*.png.
 */
describe("after-sales screens: return → refusal → dispute → two-person arbitration → refund @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let orderId = "";
  let returnId = "";
  let disputeId = "";
  const seen: string[] = [];
  const check = async (page: Page, name: string) => {
    await checkA11y(page, `aftersales ${name}`);
    await shot(page, `aftersales-${name}`);
    seen.push(name);
  };
  const toast = (page: Page, text: string) =>
    page.locator(".ant-message-notice").filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
  const button = (page: Page, text: string) => page.getByRole("button", { name: label(text) });
  const platformPerson = async (n: number) => {
    const email = `arbiter${n}-${Date.now()}@partledger.test`;
    const u = await h.api.call("POST", "/api/v1/users", OPERATOR, { name: `平台仲裁 ${n}`, email, password: PASSWORD });
    expect(u.status, JSON.stringify(u.json)).to.equal(201);
    await h.stack.svc.db.sql.query("UPDATE users SET roles = ARRAY['platform_operator']::text[] WHERE id = $1", [
      u.json.id,
    ]);
    return email;
  };

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    const api = h.api;
    const [skuId] = (await importSkus(api, ["bosch,0 986 494 300,前刹车片,brake_pad,aftermarket,前"])) as [number];
    const loc = await sharedWarehouse(api, api.keys.dealer!, {
      code: "WH-AS",
      name: "售后仓",
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
      (await status(api.keys.dealer!, { to: "shipped", carrier: "顺丰", trackingNo: "SF7000000001" })).status,
    ).to.equal(200);
    expect((await status(api.keys.shop!, { to: "delivered" })).status).to.equal(200);
  });
  after(async () => {
    await h?.close();
  });

  it("the shop requests a return with a photo on a phone", async () => {
    const shop = await h.api.userWithRoles("shop", ["buyer"]);
    const page = await h.page("phone");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/returns"));
    await page.getByTestId("returns").waitFor();
    await button(page, "申请退货").click();
    const d = dialog(page, "申请退货");
    await d.waitFor();
    await pick(page, d, "return_orderId", orderId);
    await pick(page, d, "return_reason", "质量问题");
    await d.locator("#return_note").fill("刹车片表面有裂纹");
    await d.locator("input[type=file]").setInputFiles({ name: "crack.png", mimeType: "image/png", buffer: PNG });
    await check(page, "shop-request-phone");
    await okOf(d).click();
    await toast(page, "退货申请已提交");
    const row = page.getByTestId("return-row").first();
    await row.waitFor();
    returnId = (await row.getAttribute("data-return"))!;
    expect(await row.innerText()).to.include("待审核");
    const r = await h.api.call("GET", `/api/v1/returns/${returnId}`, h.api.keys.shop!);
    expect(r.json).to.deep.include({ status: "requested", quantity: 1, reason: "defective" });
    expect(r.json.photos).to.have.length(1);
    await check(page, "shop-returns-phone");
    await page.context().close();
  });

  it("the seller sees the photo and refuses the return with a reason", async () => {
    const dealer = await h.api.userWithRoles("dealer", ["sales"]);
    const page = await h.page("desktop");
    await login(page, dealer.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/returns"));
    const row = page.locator(`[data-return="${returnId}"]`);
    await row.waitFor();
    await row.getByRole("button", { name: label("详情") }).click();
    await page.getByTestId("return-detail").locator(".ant-image img").first().waitFor({ timeout: 15_000 });
    await check(page, "seller-return-detail");
    await page.keyboard.press("Escape");
    await row.getByRole("button", { name: label("拒绝") }).click();
    const d = dialog(page, "拒绝");
    await d.locator("#step_note").fill("安装后损坏，不属质量问题");
    await okOf(d).click();
    await toast(page, "已完成");
    await row.getByText("已拒绝").waitFor();
    await check(page, "seller-refused");
    await page.context().close();
  });

  it("the shop disputes the refusal on a phone", async () => {
    const shop = await h.api.userWithRoles("shop", ["buyer"]);
    const page = await h.page("phone");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/returns"));
    const row = page.locator(`[data-return="${returnId}"]`);
    await row.getByRole("button", { name: label("发起争议") }).click();
    const d = dialog(page, "发起争议");
    await d.locator("#dispute_reason").fill("照片显示出厂裂纹，未安装");
    await okOf(d).click();
    await page.getByTestId("dispute-detail").waitFor();
    disputeId = page.url().split("/disputes/")[1]!;
    expect(disputeId).to.match(/^dsp_[0-9a-f]{16}$/);
    await page.locator('[data-kind="photo"] .ant-image img').first().waitFor({ timeout: 15_000 });
    await check(page, "shop-dispute-phone");
    await page.context().close();
  });

  it("two platform people arbitrate: the proposer cannot approve, the second settles the refund once", async () => {
    const first = await h.page("desktop");
    await login(first, await platformPerson(1), PASSWORD, h.origin);
    await first.goto(h.url("/disputes"));
    const row = first.locator(`[data-dispute="${disputeId}"]`);
    await row.waitFor();
    await check(first, "platform-queue");
    await row.getByRole("button", { name: label("详情") }).click();
    await button(first, "受理").click();
    await toast(first, "已完成");
    await button(first, "提出裁决").click();
    const d = dialog(first, "提出裁决");
    await pick(first, d, "propose_outcome", "全额退款");
    await d.locator("#propose_note").fill("出厂缺陷，全额退款");
    await okOf(d).click();
    await first.getByTestId("dispute-proposal").waitFor();
    expect(await first.getByTestId("dispute-proposal").innerText()).to.include("需另一名平台人员复核");
    expect(await button(first, "批准裁决").count()).to.equal(0);
    await check(first, "platform-proposed");
    await first.context().close();

    const second = await h.page("desktop");
    await login(second, await platformPerson(2), PASSWORD, h.origin);
    await second.goto(h.url(`/disputes/${disputeId}`));
    await button(second, "批准裁决").click();
    await toast(second, "裁决已生效");
    await second.getByTestId("dispute-outcome").waitFor();
    expect(await second.getByTestId("dispute-outcome").innerText()).to.include("全额退款");
    await check(second, "platform-settled");
    await second.context().close();

    const refunds = await h.stack.svc.db.sql.query<{ kind: string; fen: number }>(
      "SELECT kind, amount_fen::int AS fen FROM refunds WHERE return_id = $1",
      [returnId],
    );
    expect(refunds.rows).to.deep.equal([{ kind: "dispute", fen: 26_000 }]);
    const settled = await h.api.call("GET", `/api/v1/disputes/${disputeId}`, h.api.keys.shop!);
    expect(settled.json).to.include({ status: "settled", outcome: "refund_full", outcomeFen: 26_000 });
  });

  it("the seller concedes another dispute from its dispute view: part of the claim, refunded at once", async () => {
    const api = h.api;
    const rma = await api.call("POST", "/api/v1/returns", api.keys.shop!, {
      orderId,
      lineNo: 1,
      quantity: 1,
      reason: "wrong_part",
    });
    expect(rma.status, JSON.stringify(rma.json)).to.equal(201);
    const refused = await api.call("POST", `/api/v1/returns/${rma.json.id}/status`, api.keys.dealer!, {
      to: "refused",
      note: "型号无误",
    });
    expect(refused.status, JSON.stringify(refused.json)).to.equal(200);
    const opened = await api.call("POST", "/api/v1/disputes", api.keys.shop!, {
      returnId: rma.json.id,
      reason: "发错型号",
    });
    expect(opened.status, JSON.stringify(opened.json)).to.equal(201);
    const dealer = await api.userWithRoles("dealer", ["sales"]);
    const page = await h.page("desktop");
    await login(page, dealer.mobile, PASSWORD, h.origin);
    await page.goto(h.url(`/disputes/${opened.json.id}`));
    await button(page, "同意买家诉求").click();
    const d = dialog(page, "同意买家诉求");
    await pick(page, d, "concede_outcome", "部分退款");
    await d.locator("#concede_yuan").fill("100");
    await check(page, "seller-concede");
    await okOf(d).click();
    await toast(page, "已同意");
    await page.getByTestId("dispute-outcome").waitFor();
    expect(await page.getByTestId("dispute-outcome").innerText()).to.include("部分退款");
    await page.context().close();
    const refunds = await h.stack.svc.db.sql.query<{ kind: string; fen: number }>(
      "SELECT kind, amount_fen::int AS fen FROM refunds WHERE return_id = $1",
      [rma.json.id],
    );
    expect(refunds.rows).to.deep.equal([{ kind: "dispute", fen: 10_000 }]);
  });

  it("the brand owner starts a lot recall and sees its progress", async () => {
    const maker = await h.api.userWithRoles("maker", ["company_admin"]);
    const page = await h.page("desktop");
    await login(page, maker.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/returns"));
    await page.getByTestId("returns").waitFor();
    await check(page, "maker-returns");
    await page.goto(h.url("/recalls"));
    await page.getByTestId("recalls").waitFor();
    const g = gtin14("0690123456802"); // under the maker's verified prefix 690 1234
    const mint = await h.api.call("POST", "/api/v1/mint", h.api.keys.maker!, {
      gtin: g,
      lot: "L-RC1",
      productionDate: "2026-11-20",
      count: 3,
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    await button(page, "发起召回").click();
    const d = dialog(page, "发起召回");
    await d.locator("#recall_gtin").fill(g);
    await d.locator("#recall_lot").fill("L-RC1");
    await d.locator("#recall_reason").fill("摩擦材料批次不合格");
    await check(page, "maker-recall-start");
    await okOf(d).click();
    await toast(page, "召回已发起");
    const card = page.getByTestId("recall-row").first();
    await card.getByText("已定位").waitFor();
    expect(await card.innerText()).to.include("共 3 件");
    await check(page, "maker-recalls");
    await page.context().close();
  });

  it("checked every view with axe and ran without page errors or CSP violations", () => {
    expect(seen).to.include.members([
      "shop-request-phone",
      "seller-refused",
      "shop-dispute-phone",
      "platform-proposed",
      "platform-settled",
      "seller-concede",
      "maker-recalls",
    ]);
    expect(h.problems).to.deep.equal([]);
  });
});
