import { expect } from "chai";
import type { Page } from "playwright-core";
import { checkA11y, counted, login, shot, startConsole, type ConsoleHarness, type ViewportName } from "./harness.js";

const PASSWORD = "correct horse battery";

describe("the console shell in Chromium: login, home, my company, language, deep links @e2e", function () {
  this.timeout(300_000);
  let h: ConsoleHarness;
  let mobile: string;

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    // A user of the demo repair shop registered through the API (the company itself was registered by startApi).
    ({ mobile } = await h.api.userWithRoles("shop", ["company_admin"]));
  });
  after(async () => {
    await h?.close();
  });

  for (const viewport of ["desktop", "phone"] as ViewportName[]) {
    it(`logs in in Chinese, shows home and my company, switches to English (${viewport})`, async () => {
      const page = await h.page(viewport);
      const n = await page.goto(h.url("/")).then(() => counted(page));
      await expect(page.locator("h1")).to.exist;
      expect(await page.locator("h1").textContent()).to.equal("登录 PartLedger");
      await checkA11y(page, `login (${viewport})`);
      await shot(page, `console-login-${viewport}`);
      await login(page, mobile, PASSWORD);
      expect(await n.read()).to.deep.include({ clicks: 1, fills: 2 });

      await page.getByTestId("welcome").waitFor();
      // The user's own name, unmasked to themselves; roles in words, not ids.
      expect(await page.getByTestId("welcome").textContent()).to.equal("欢迎，测试用户");
      expect(await page.locator("body").textContent()).to.include("企业管理员");
      expect(await page.locator("body").textContent()).not.to.include("company_admin");
      expect(await page.getByTestId("home-company").textContent()).to.equal("杭州西湖汽车修理厂");
      expect(await page.locator("body").textContent()).to.include("维修厂");
      await checkA11y(page, `home (${viewport})`);
      await shot(page, `console-home-${viewport}`);

      // My company through the menu (on a phone the menu is a drawer behind the collapse button).
      await openMenu(page, viewport);
      await page.getByRole("menuitem", { name: "我的公司" }).click();
      await page.getByTestId("my-company").waitFor();
      await closeMenu(page, viewport);
      expect(page.url()).to.equal(h.url("/company"));
      const company = (await page.getByTestId("my-company").textContent()) ?? "";
      expect(company).to.include("杭州西湖汽车修理厂").and.include("92330106MA2C00002");
      await checkA11y(page, `my company (${viewport})`);
      await shot(page, `console-company-${viewport}`);

      // English, remembered across a reload.
      await page.locator(".ant-segmented-item", { hasText: "EN" }).first().click();
      await page.getByText("Unified social credit code").waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).to.equal("en");
      await page.reload();
      await page.getByTestId("my-company").waitFor();
      expect(await page.getByTestId("my-company").textContent()).to.include("Repair shop");
      await checkA11y(page, `my company, English (${viewport})`);
      await shot(page, `console-company-en-${viewport}`);

      // Logout through the user menu back to the (English) login page.
      await page.getByRole("button", { name: "User menu" }).click();
      await page.getByRole("menuitem", { name: "Log out" }).click();
      await page.locator("form#login").waitFor();
      expect(await page.locator("h1").textContent()).to.equal("Log in to PartLedger");
      await page.context().close();
    });
  }

  it("opens an unknown deep link: login first, then the app's own not-found page (no server 404)", async () => {
    const page = await h.page("desktop");
    // A path no screen has (the shop's /shop/search exists now), with a query kept through the login.
    const res = await page.goto(h.url("/shop/no-such-screen?q=帕萨特"));
    expect(res?.status()).to.equal(200);
    await login(page, mobile, PASSWORD);
    await page.getByText("找不到这个页面").waitFor();
    expect(page.url()).to.equal(h.url("/shop/no-such-screen?q=%E5%B8%95%E8%90%A8%E7%89%B9"));
    await shot(page, "console-not-found");
    await page.getByRole("button", { name: "返回首页" }).click();
    await page.getByTestId("welcome").waitFor();
    await page.context().close();
  });

  it("signs in from a bookmarked /console/login and lands on home, not a not-found page", async () => {
    const page = await h.page("desktop");
    await page.goto(h.url("/login"));
    await login(page, mobile, PASSWORD);
    await page.getByTestId("welcome").waitFor();
    expect(new URL(page.url()).pathname).to.match(/^\/console\/?$/);
    await page.context().close();
  });

  it("shows the translated error on a wrong password, and no menu entry the user may not use", async () => {
    const page = await h.page("phone");
    await page.goto(h.url("/"));
    await page.locator("#login_identifier").fill(mobile);
    await page.locator("#login_password").fill("wrong password");
    await page.locator("form#login button[type=submit]").click();
    await page.getByTestId("login-error").waitFor();
    expect(await page.getByTestId("login-error").textContent()).to.include("账号或密码错误");
    await checkA11y(page, "login error (phone)");
    await shot(page, "console-login-error-phone");
    await page.context().close();

    // A user holding no role (so without company:view) sees no "my company" in the menu (and the home page no quick link to it).
    const tech = await h.api.userWithRoles("shop", []);
    const me = await h.api.call("GET", "/api/v1/auth/me", tech.token);
    expect(me.json.permissions).to.not.include("company:view");
    const desk = await h.page("desktop");
    await login(desk, tech.mobile, PASSWORD, h.origin);
    await desk.getByTestId("welcome").waitFor();
    expect(await desk.getByRole("menuitem", { name: "首页" }).count()).to.equal(1);
    expect(await desk.getByRole("menuitem", { name: "我的公司" }).count()).to.equal(0);
    await desk.context().close();
  });

  it("ran without page errors or content-security-policy violations", () => {
    expect(h.problems).to.deep.equal([]);
  });
});

async function openMenu(page: Page, viewport: ViewportName) {
  if (viewport !== "phone") return;
  await page.locator(".ant-pro-global-header-collapsed-button").click();
  await page.locator(".ant-drawer-open").waitFor();
}

/** On a phone the menu drawer may stay open after navigating: close it. */
async function closeMenu(page: Page, viewport: ViewportName) {
  if (viewport !== "phone") return;
  if (await page.locator(".ant-drawer-open").count()) {
    await page.keyboard.press("Escape");
    await page
      .locator(".ant-drawer-open")
      .waitFor({ state: "detached" })
      .catch(() => {});
  }
}
