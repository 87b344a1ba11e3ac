/**
 * The common and platform story (issue 12), driven in Chromium through the real server and database:
 *   1. a platform operator registers a distributor (its first API key shown once) and verifies a manufacturer's GS1
 *      prefix, looks at anchoring and chain health, and rotates the encryption key behind a confirm;
 *   2. a distributor's admin creates a user, creates a custom role and makes it more privileged (waits for a second
 *      person), requests a privileged role for the user — and sees no approve button on their own request;
 *   3. a second admin approves it in the inbox;
 *   4. the first admin creates an API key (shown once, works), then revokes it (stops working);
 *   5. the new user, now an auditor, finds those entries in the audit trail, exports it and verifies its chain.
 * Returns the measured figures (interactions and ms per part) for `npm run bench:console`.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import { OPERATOR, randomMobile, uscc } from "../../helpers/app.js";
import { walkParts } from "../../helpers/stack.js";
import { counted, login, type ConsoleHarness } from "../harness.js";

export const PASSWORD = "correct horse battery";

export interface CommonStoryFigures {
  operatorInteractions: number;
  operatorMs: number;
  approvalInteractions: number;
  approvalMs: number;
  apiKeyInteractions: number;
  auditVerifyMs: number;
  totalMs: number;
}

export interface CommonStoryOptions {
  /** Called on each screen once it shows its data (the e2e test runs axe and takes a screenshot here). */
  inspect?: (page: Page, name: string) => Promise<void>;
}

/** A button label as antd renders it (two CJK characters get a space between them). */
export const label = (text: string) => new RegExp(`^\\s*${[...text].map(esc).join("\\s*")}\\s*$`);
const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const dialog = (page: Page, title: string) => page.getByRole("dialog", { name: title });
export const okOf = (d: Locator) => d.locator(".ant-modal-footer .ant-btn-primary");
/**
 * Clicks a dialog's OK and waits for it to close. When it stays open, fails with what the page says (a form
 * error, a message toast), not with a timeout on whatever the test waited for next.
 */
export async function submitDialog(page: Page, d: Locator) {
  await okOf(d).click();
  try {
    await d.waitFor({ state: "hidden" });
  } catch (e) {
    const said = await page
      .locator(".ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, .ant-alert-message")
      .allTextContents();
    throw new Error(`the dialog stayed open; the page says: ${JSON.stringify(said)}`, { cause: e });
  }
}
/** The open Popconfirm's OK button. */
export const popOk = (page: Page) =>
  page.locator(".ant-popover:not(.ant-popover-hidden) .ant-popconfirm-buttons .ant-btn-primary");
/**
 * Picks an option (by its exact label) in an antd Select whose input has `id`, and leaves the list closed, as a
 * person does before moving on: a multiple Select keeps its list open after a pick (showing every option again),
 * and that list lies over the dialog's footer, so a click on OK would land on an option instead.
 */
export async function pick(page: Page, scope: Locator, id: string, option: string) {
  const input = scope.locator(`#${id}`);
  await input.click();
  // The list is virtual (only the first options are in the DOM): type to filter it first.
  await page.keyboard.type(option);
  await page
    .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option")
    .filter({ hasText: new RegExp(`^${esc(option)}$`) })
    .first()
    .click();
  // Escape closes only the list (the Select stops the key there; the dialog stays open).
  if ((await input.getAttribute("aria-expanded")) === "true") await page.keyboard.press("Escape");
  await scope.locator(`#${id}[aria-expanded="false"]`).waitFor();
}

/** Clicks a side-menu entry (desktop). */
async function menu(page: Page, name: string) {
  await page.getByRole("menuitem", { name }).click();
}

/** A platform user holding platform_operator (the demo seed bootstraps its operator the same way). */
export async function platformOperator(h: ConsoleHarness) {
  const email = `ops-${Date.now()}@partledger.test`;
  const r = await h.api.call("POST", "/api/v1/users", OPERATOR, { name: "平台运营 王敏", email, password: PASSWORD });
  expect(r.status, JSON.stringify(r.json)).to.equal(201);
  await h.stack.svc.db.sql.query("UPDATE users SET roles = ARRAY['platform_operator']::text[] WHERE id = $1", [
    r.json.id,
  ]);
  return { id: r.json.id as string, email };
}

export async function runCommonStory(h: ConsoleHarness, opts: CommonStoryOptions = {}): Promise<CommonStoryFigures> {
  const inspect = opts.inspect ?? (async () => {});
  const t0 = Date.now();

  // Fixtures through the API: something anchored, a GS1 prefix the maker filed, the platform's operator, two admins.
  await walkParts(h.stack, 2);
  await h.stack.svc.worker.runUntilFinal();
  // A prefix no other prefix in the database overlaps (a long run shares one database; verifying an overlapping
  // prefix is refused, and the row would stay in the queue).
  const overlapped = async (p: string) =>
    (
      await h.stack.svc.db.sql.query(
        "SELECT 1 FROM gs1_prefixes WHERE prefix LIKE $1 || '%' OR $1 LIKE prefix || '%' LIMIT 1",
        [p],
      )
    ).rows.length > 0;
  const randomPrefix = () => `699${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}`;
  let prefix = randomPrefix();
  while (await overlapped(prefix)) prefix = randomPrefix();
  const filed = await h.api.call("POST", "/api/v1/gs1-prefixes", h.api.keys.maker!, {
    prefix,
    licenceRef: `GS1CN-${prefix}`,
  });
  expect(filed.status, JSON.stringify(filed.json)).to.equal(201);
  const ops = await platformOperator(h);
  const adminA = await h.api.userWithRoles("dealer", ["company_admin"]);
  const adminB = await h.api.userWithRoles("dealer", ["company_admin"]);

  // 1. The operator: register a distributor, verify the prefix, chain health, encryption keys.
  let t = Date.now();
  const op = await h.page("desktop");
  await login(op, ops.email, PASSWORD, h.origin);
  const nOp = await counted(op);
  await menu(op, "企业与入驻");
  await op.getByTestId("companies-table").waitFor();
  await op.getByTestId("company-register").click();
  const reg = dialog(op, "登记企业");
  const newName = `宁波北仑汽配经销有限公司${Date.now() % 10000}`;
  const newUscc = uscc(`91330206MA2E${String(Date.now() % 100000).padStart(5, "0")}`);
  await reg.locator("#company_name").fill(newName);
  await reg.locator("#company_uscc").fill(newUscc);
  await reg.locator("#company_regionCode").fill("330206");
  await reg.locator("#company_lng").fill("121.8447");
  await reg.locator("#company_lat").fill("29.8996");
  await reg.locator("#company_adminName").fill("李经理");
  const newAdminMobile = randomMobile("137");
  await reg.locator("#company_adminMobile").fill(newAdminMobile);
  await reg.locator("#company_adminPassword").fill(PASSWORD);
  await inspect(op, "common-platform-register-desktop");
  await okOf(reg).click();
  const once = op.getByTestId("company-key-once");
  await once.waitFor();
  expect(await once.textContent()).to.match(/pl_[A-Za-z0-9_-]{20,}/);
  await inspect(op, "common-platform-key-once-desktop");
  await op.getByRole("button", { name: label("完成") }).click();
  await op.getByTestId("companies-table").getByText(newName).waitFor();
  const listed = await h.api.call("GET", `/api/v1/companies?name=${encodeURIComponent(newName)}`, OPERATOR);
  expect(listed.json.companies).to.have.length(1);
  expect(listed.json.companies[0]).to.deep.include({ kind: "distributor", uscc: newUscc, users: 1 });
  await inspect(op, "common-platform-companies-desktop");

  await menu(op, "GS1 厂商识别代码");
  // The row by its id: text would also match another prefix holding these digits (a long run shares one database).
  const row = op.getByTestId("gs1-table").locator(`tr[data-row-key="${filed.json.id as string}"]`);
  await row.waitFor();
  await inspect(op, "common-platform-gs1-desktop");
  await row.getByRole("button", { name: "核验通过" }).click();
  const ver = dialog(op, `核验 ${prefix}`);
  expect(await ver.locator("#gs1-decide_licenceRef").inputValue()).to.equal(`GS1CN-${prefix}`);
  await submitDialog(op, ver);
  await row.waitFor({ state: "detached" });
  const decided = await h.api.call("GET", `/api/v1/gs1-prefixes/${filed.json.id}`, OPERATOR);
  expect(decided.json).to.deep.include({ status: "verified", licenceRef: `GS1CN-${prefix}` });
  const operatorInteractions = (await nOp.read()).total;
  const operatorMs = Date.now() - t;

  await menu(op, "上链与链状态");
  await op.getByTestId("chain-health").waitFor();
  // The page lists the latest 50 batches as they are when it loads. On a database a long run shares, those can all
  // still be anchoring (under load, batches of other tests' apps queue ahead): look again until one is final.
  for (let tries = 0; ; tries++) {
    try {
      await op.getByTestId("batches-table").getByText("已确认").first().waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (tries >= 24) throw e;
      await op.reload();
      await op.getByTestId("chain-health").waitFor();
    }
  }
  const finalRow = op.getByTestId("batches-table").locator("tbody tr", { hasText: "已确认" }).first();
  const gas = await finalRow.locator("td").nth(4).textContent();
  expect(Number((gas ?? "").replace(/,/g, ""))).to.be.greaterThan(20_000);
  await inspect(op, "common-platform-chain-desktop");

  await menu(op, "加密密钥");
  await op.getByTestId("enc-table").locator("tbody tr").first().waitFor();
  await op.getByTestId("enc-rotate").click();
  await op.locator(".ant-modal-confirm .ant-btn-primary").click();
  await op.getByText(/已重新加密 \d+ 个字段/).waitFor();
  await inspect(op, "common-platform-encryption-desktop");
  await op.context().close();

  // 2. Admin A: create a user, a custom role made more privileged, and a privileged role request.
  t = Date.now();
  const a = await h.page("desktop");
  await login(a, adminA.mobile, PASSWORD, h.origin);
  const nA = await counted(a);
  await menu(a, "用户");
  await a.getByTestId("users-table").waitFor();
  await a.getByTestId("user-create").click();
  const uc = dialog(a, "新建用户");
  const newMobile = randomMobile("138");
  await uc.locator("#user-create_name").fill("赵审计");
  await uc.locator("#user-create_mobile").fill(newMobile);
  await uc.locator("#user-create_password").fill(PASSWORD);
  await okOf(uc).click();
  const masked = `${newMobile.slice(0, 3)}****${newMobile.slice(-4)}`;
  // Names and mobiles are personal data: the list shows them masked (赵**, 138****1234).
  const userRow = a.getByTestId("users-table").locator("tr", { hasText: masked });
  await userRow.getByText("赵**").waitFor();
  expect(await a.getByTestId("users-table").textContent()).to.not.include(newMobile);
  await inspect(a, "common-users-desktop");

  await menu(a, "角色");
  await a.getByTestId("roles-table").waitFor();
  await a.getByTestId("role-create").click();
  const rc = dialog(a, "新建自定义角色");
  await rc.locator("#role_name").fill("质检员");
  await pick(a, rc, "role_permissions", "part:view");
  await okOf(rc).click();
  const roleRow = a.getByTestId("roles-table").locator("tr", { hasText: "质检员" });
  await roleRow.waitFor();
  await roleRow.getByRole("button", { name: label("编辑") }).click();
  const re = dialog(a, "编辑角色 质检员");
  await pick(a, re, "role_permissions", "inventory:approve");
  await okOf(re).click();
  await a.getByTestId("role-pending").waitFor();
  await roleRow.getByText(/待第二人批准.*inventory:approve/).waitFor();
  expect(await roleRow.textContent()).to.not.include("inventory:approve,"); // only pending, not granted
  await inspect(a, "common-roles-desktop");

  await menu(a, "用户");
  await userRow.getByRole("button", { name: "申请角色" }).click();
  const rg = dialog(a, "为 赵** 申请角色");
  await pick(a, rg, "role-grant_roles", "审计员");
  await rg.locator("#role-grant_reason").fill("年度审计");
  await okOf(rg).click();
  await a.getByText("申请已提交，等待另一位管理员批准").waitFor();
  await menu(a, "审批");
  const ownRow = a.getByTestId("approvals-table").locator("tr", { hasText: "赵**" });
  await ownRow.getByText("自己的申请需由另一位管理员处理").waitFor();
  expect(await ownRow.getByRole("button", { name: label("批准") }).count()).to.equal(0);
  expect(await ownRow.getByRole("button", { name: label("驳回") }).count()).to.equal(0);
  expect(await ownRow.getByRole("button", { name: label("撤回") }).count()).to.equal(1);
  await inspect(a, "common-approvals-own-desktop");
  let approvalInteractions = (await nA.read()).total;

  // 3. Admin B approves it in the inbox.
  const b = await h.page("desktop");
  await login(b, adminB.mobile, PASSWORD, h.origin);
  const nB = await counted(b);
  await menu(b, "审批");
  const bRow = b.getByTestId("approvals-table").locator("tr", { hasText: "赵**" });
  await bRow.waitFor();
  expect(await bRow.textContent())
    .to.include("年度审计")
    .and.include("审计员");
  await inspect(b, "common-approvals-inbox-desktop");
  await bRow.getByRole("button", { name: label("批准") }).click();
  await bRow.waitFor({ state: "detached" });
  approvalInteractions += (await nB.read()).total;
  const approvalMs = Date.now() - t;
  const users = await h.api.call("GET", "/api/v1/users", adminA.token);
  const auditorUser = (users.json.users as { mobile: string; roles: string[]; id: string }[]).find(
    (u) => u.mobile === masked,
  )!;
  expect(auditorUser.roles).to.deep.equal(["auditor"]);
  await b.context().close();

  // 4. Admin A: an API key shown once, working, then revoked.
  await menu(a, "API 密钥");
  await a.getByTestId("keys-table").waitFor();
  await nA.reset();
  await a.getByTestId("key-create").click();
  const kc = dialog(a, "新建 API 密钥");
  await kc.locator("#key-create_name").fill("ERP 同步");
  await pick(a, kc, "key-create_roles", "采购");
  await okOf(kc).click();
  const keyText = (await a.getByTestId("key-once").textContent())!.trim();
  expect(keyText).to.match(/^pl_/);
  await inspect(a, "common-apikey-once-desktop");
  expect((await h.api.call("GET", "/api/v1/auth/me", keyText)).status).to.equal(200);
  await a.getByRole("button", { name: label("完成") }).click();
  const keyRow = a.getByTestId("keys-table").locator("tr", { hasText: "ERP 同步" });
  await keyRow.getByRole("button", { name: label("吊销") }).click();
  await popOk(a).click();
  await keyRow.getByText("已吊销").waitFor();
  const apiKeyInteractions = (await nA.read()).total;
  expect((await h.api.call("GET", "/api/v1/auth/me", keyText)).status).to.equal(401);
  await inspect(a, "common-apikeys-desktop");
  await a.context().close();

  // 5. The new auditor: the audit trail shows those entries, exports and verifies.
  const au = await h.page("desktop");
  await login(au, newMobile, PASSWORD, h.origin);
  await menu(au, "审计日志");
  const table = au.getByTestId("audit-table");
  // A data row, not the placeholder row the table shows while it loads.
  await table.locator("tbody tr.ant-table-row").first().waitFor();
  const all = (await table.textContent()) ?? "";
  for (const action of [
    "api_key.revoke",
    "api_key.create",
    "approval.approve",
    "approval.submit",
    "user.create",
    "role.create",
  ])
    expect(all, action).to.include(action);
  await au.locator("#audit-filter_action").fill("api_key.revoke");
  await au.getByRole("button", { name: label("查询") }).click();
  await table.getByText("api_key.create").waitFor({ state: "detached" });
  expect(await table.locator("tbody tr.ant-table-row").count()).to.equal(1);
  const [download] = await Promise.all([au.waitForEvent("download"), au.getByTestId("audit-export").click()]);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).to.match(/^seq,at,companyId/);
  expect(csv).to.include("api_key.revoke");
  const tv = Date.now();
  await au.getByTestId("audit-verify").click();
  const report = au.getByTestId("audit-report");
  await report.waitFor();
  const auditVerifyMs = Date.now() - tv;
  expect(await report.textContent()).to.match(/日志完整：已校验 \d+ 条记录的哈希链/);
  await inspect(au, "common-audit-desktop");
  await au.context().close();

  return {
    operatorInteractions,
    operatorMs,
    approvalInteractions,
    approvalMs,
    apiKeyInteractions,
    auditVerifyMs,
    totalMs: Date.now() - t0,
  };
}
