import { expect } from "chai";
import type { Page } from "playwright-core";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, platformOperator, runCommonStory } from "./stories/common.js";

describe("the console for everyone and the platform: onboarding, two-person approvals, API keys, audit trail @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
  });
  after(async () => {
    await h?.close();
  });

  it("runs the whole story on a desktop, every screen without serious accessibility violations", async () => {
    const figures = await runCommonStory(h, {
      inspect: async (page, name) => {
        await checkA11y(page, name);
        await shot(page, name);
      },
    });
    console.log(`      ${JSON.stringify(figures)}`);
    expect(figures.operatorInteractions).to.be.at.most(16);
    expect(figures.approvalInteractions).to.be.lessThan(40);
  });

  it("works on a phone: the inbox, users, API keys, audit trail and the platform's screens", async () => {
    const admin = await h.api.userWithRoles("shop", ["company_admin"]);
    const page = await h.page("phone");
    await login(page, admin.mobile, PASSWORD, h.origin);
    await visit(page, "/users", "users-table", "common-users-phone");
    await visit(page, "/roles", "roles-table", "common-roles-phone");
    await visit(page, "/api-keys", "keys-table", "common-apikeys-phone");
    await visit(page, "/approvals", "approvals-table", "common-approvals-phone");
    await visit(page, "/audit", "audit-table", "common-audit-phone");
    await page.context().close();

    const ops = await platformOperator(h);
    const op = await h.page("phone");
    await login(op, ops.email, PASSWORD, h.origin);
    await visit(op, "/platform/companies", "companies-table", "common-platform-companies-phone");
    await visit(op, "/platform/gs1-prefixes", "gs1-table", "common-platform-gs1-phone");
    await visit(op, "/platform/chain", "batches-table", "common-platform-chain-phone");
    await visit(op, "/platform/encryption-keys", "enc-table", "common-platform-encryption-phone");
    await op.context().close();
  });

  it("hides what a user may not use: a company's buyer sees no users, keys or audit entries; no platform screens", async () => {
    const buyer = await h.api.userWithRoles("dealer", ["buyer"]);
    const page = await h.page("desktop");
    await login(page, buyer.mobile, PASSWORD, h.origin);
    await page.getByTestId("welcome").waitFor();
    for (const name of ["用户", "角色", "API 密钥", "审批", "审计日志", "企业与入驻", "加密密钥"])
      expect(await page.getByRole("menuitem", { name }).count(), name).to.equal(0);
    await page.context().close();
  });

  it("ran without page errors or content-security-policy violations", () => {
    expect(h.problems).to.deep.equal([]);
  });

  async function visit(page: Page, path: string, testId: string, name: string) {
    await page.goto(h.url(path));
    await page.getByTestId(testId).waitFor();
    await page
      .locator(".ant-spin-spinning")
      .first()
      .waitFor({ state: "detached" })
      .catch(() => {});
    await checkA11y(page, name);
    await shot(page, name);
  }
});
