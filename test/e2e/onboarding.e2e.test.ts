import { expect } from "chai";
import type { Page } from "playwright-core";
import { randomMobile } from "../helpers/app.js";
import { PDF, PNG, apply, freshUscc, platformPerson } from "../onboarding/world.js";
import { checkA11y, login, settleAnimations, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, label } from "./stories/common.js";

/**
 * Dealer onboarding (入驻审核) in Chromium through the real server: a distributor applies on the public page (licence
 * upload, USCC checked while typing), logs in to a pending console that cannot trade, two platform reviewers approve it
 * in the review queue (the first cannot give the second approval), and it trades; another applicant is refused with a
 * reason, reads it, corrects and resubmits. Every screen is checked with axe (test-output/onboarding-*.png).
 */
const TITLE = "dealer onboarding in the console: apply → two approvals → trades; refuse → resubmit";
describe(`${TITLE} @e2e`, function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let one: { token: string; mobile: string };
  let two: { token: string; mobile: string };
  const company = "杭州钱塘汽配贸易有限公司";
  const mobile = randomMobile("136");
  const inspect = async (page: Page, name: string) => {
    await settleAnimations(page);
    await checkA11y(page, `onboarding ${name}`);
    await shot(page, `onboarding-${name}`);
  };
  /** What the API answers this page's session for a trading route (the console's own token). */
  const tradeStatus = (page: Page) =>
    page.evaluate(async () => {
      const token = sessionStorage.getItem("partledger.session");
      const r = await fetch("/api/v1/orders", { headers: { authorization: `Bearer ${token}` } });
      return { status: r.status, code: ((await r.json()) as { code?: string }).code ?? null };
    });
  const reviewer = async (who: { mobile: string }) => {
    const page = await h.page("desktop");
    await login(page, who.mobile, PASSWORD, h.origin);
    await page.getByRole("menuitem", { name: "入驻审核" }).click();
    await page.locator("[data-testid=onboarding-table]").waitFor();
    return page;
  };
  const row = (page: Page, name: string) => page.locator("[data-testid=onboarding-table] tr", { hasText: name });

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    one = await platformPerson(h.api, h.stack, ["onboarding_reviewer"]);
    two = await platformPerson(h.api, h.stack, ["onboarding_reviewer"]);
  });
  after(async () => {
    await h?.close();
  });

  it("applies on the public page without a login: the USCC checked while typing, the licence uploaded", async () => {
    const page = await h.page("desktop");
    await page.goto(h.url("/"));
    await page.getByRole("link", { name: "还没有账号？申请企业入驻" }).click();
    await page.getByRole("heading", { name: "企业入驻申请" }).waitFor();
    await inspect(page, "register");
    const form = page.locator("form#register");
    const code = freshUscc();
    await form.locator("#register_name").fill(company);
    // A typo in the check character is pointed at before anything is sent.
    await form.locator("#register_uscc").fill(code.slice(0, 17) + (code[17] === "0" ? "1" : "0"));
    await form.locator("#register_regionCode").click();
    await page.getByText("校验位不正确，请核对是否输错").waitFor();
    await form.locator("#register_uscc").fill(code);
    await form.locator("#register_regionCode").fill("330106");
    await page.getByText("校验位不正确，请核对是否输错").waitFor({ state: "detached" });
    // A text file is refused in the browser; the PNG is uploaded.
    const file = form.locator("input[type=file]");
    await file.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await page.getByText("营业执照须为 JPG、PNG 或 PDF 文件").waitFor();
    await file.setInputFiles({ name: "营业执照.png", mimeType: "image/png", buffer: PNG });
    await page.locator("[data-testid=licence-name]").waitFor();
    await form.locator("#register_adminName").fill("陈经理");
    await form.locator("#register_mobile").fill(mobile);
    await form.locator("#register_password").fill(PASSWORD);
    await form.locator("#register_confirm").fill(PASSWORD);
    await form.getByRole("button", { name: "提交申请" }).click();
    await page.locator("[data-testid=register-done]").waitFor();
    expect(await page.locator("[data-testid=register-done]").innerText()).to.contain(mobile);
    await inspect(page, "register-done");
  });

  it("shows the registration page in English too", async () => {
    const page = await h.page("desktop");
    await page.addInitScript(() => localStorage.setItem("partledger.locale", "en"));
    await page.goto(h.url("/register"));
    await page.getByRole("heading", { name: "Apply to join as a company" }).waitFor();
    expect(await page.getByText("Unified social credit code").count()).to.be.greaterThan(0);
    await inspect(page, "register-en");
  });

  it("lets the pending applicant log in and see its application, while trading answers 403", async () => {
    const page = await h.page("desktop");
    await login(page, mobile, PASSWORD, h.origin);
    await page.locator("[data-testid=onboarding-pending]").waitFor();
    await page.locator("[data-testid=welcome]").waitFor();
    await inspect(page, "applicant-home");
    // The menu offers only what a pending company may use: no orders, stock or quotes.
    expect(await page.getByRole("menuitem", { name: "入驻申请" }).count()).to.equal(1);
    for (const name of ["订单", "库存", "询价"])
      expect(await page.getByRole("menuitem", { name, exact: false }).count(), name).to.equal(0);
    expect(await page.locator(".ant-alert-error, .ant-result-error").count()).to.equal(0);
    await page.getByRole("button", { name: "查看申请进度" }).click();
    await page.locator("[data-testid=application-status]", { hasText: "申请已提交，等待平台审核" }).waitFor();
    await inspect(page, "applicant-submitted");
    expect(await tradeStatus(page)).to.deep.equal({ status: 403, code: "COMPANY.NOT_APPROVED" });
  });

  it("is approved by two different reviewers (the first cannot give the second approval), then trades", async () => {
    const p1 = await reviewer(one);
    await inspect(p1, "queue");
    await row(p1, company)
      .getByRole("button", { name: label("初审通过") })
      .click();
    await p1.getByText(`${company} 初审通过，等待复核`).waitFor();
    // In the first reviewer's queue the application now waits for someone else: no approve button for them.
    await p1.getByText("待复核", { exact: true }).first().click();
    await row(p1, company).getByText("等待另一位审核员复核").waitFor();
    expect(
      await row(p1, company)
        .getByRole("button", { name: label("复核通过") })
        .count(),
    ).to.equal(0);
    await inspect(p1, "queue-first-approved");

    const p2 = await reviewer(two);
    await p2.getByText("待复核", { exact: true }).first().click();
    await row(p2, company)
      .getByRole("button", { name: label("复核通过") })
      .click();
    await p2.getByText(`${company} 已准予入驻`).waitFor();

    const page = await h.page("desktop");
    await login(page, mobile, PASSWORD, h.origin);
    await page.goto(h.url("/onboarding/application"));
    await page.locator("[data-testid=application-status]", { hasText: "审核通过" }).waitFor();
    expect(await page.locator("[data-testid=onboarding-pending]").count()).to.equal(0);
    await page.locator("[data-testid=application-steps]", { hasText: "复核通过，准予入驻" }).waitFor();
    await inspect(page, "applicant-approved");
    expect((await tradeStatus(page)).status).to.equal(200);
  });

  it("is refused with a reason the applicant reads, corrected and resubmitted", async () => {
    const a = await apply(h.api, { name: "宁波北仑汽修配件有限公司" });
    const p1 = await reviewer(one);
    await row(p1, "宁波北仑汽修配件有限公司")
      .getByRole("button", { name: label("驳回") })
      .click();
    const dialog = p1.getByRole("dialog", { name: "驳回" });
    await dialog.locator("#onboarding-refuse_reason").fill("营业执照与企业名称不一致");
    await inspect(p1, "refuse-dialog");
    await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
    await p1.getByText("已驳回 宁波北仑汽修配件有限公司").waitFor();

    const page = await h.page("desktop");
    await login(page, a.mobile, PASSWORD, h.origin);
    await page.goto(h.url("/onboarding/application"));
    const status = page.locator("[data-testid=application-status]");
    await status.filter({ hasText: "申请被驳回" }).waitFor();
    expect(await status.innerText()).to.contain("营业执照与企业名称不一致");
    await inspect(page, "applicant-refused");
    const form = page.locator("form#resubmit");
    await form.locator("#resubmit_name").fill("宁波北仑汽配有限公司");
    await form.locator("input[type=file]").setInputFiles({
      name: "营业执照.pdf",
      mimeType: "application/pdf",
      buffer: PDF,
    });
    await form.locator("[data-testid=licence-name]").waitFor();
    await form.getByRole("button", { name: "修改并重新提交" }).click();
    await status.filter({ hasText: "申请已提交，等待平台审核" }).waitFor();
    await page.locator("[data-testid=application-steps]", { hasText: "第 2 次提交" }).waitFor();
    const app = await h.api.call("GET", `/api/v1/onboarding/applications/${a.id}`, one.token);
    expect([app.json.status, app.json.round, app.json.company.name, app.json.licence.type]).to.deep.equal([
      "submitted",
      2,
      "宁波北仑汽配有限公司",
      "application/pdf",
    ]);
    expect(h.problems).to.deep.equal([]);
  });
});
