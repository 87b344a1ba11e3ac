import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { BUILT_IN_ROLES } from "../../api/src/security/permissions.js";
import { OPERATOR, uscc } from "../helpers/app.js";
import { checkA11y, login, settleAnimations, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, platformOperator } from "./stories/common.js";

/**
 * Every screen of the console opens for the people it is for: each company kind's user holding every built-in role
 * of that kind (and the platform's operator and support agent) visits every screen of the registries in
 * api/web/src/pages/<kind>/routes.tsx that its kind and permissions allow — read from the files, so a screen added
 * tomorrow is visited too — and each one settles without an error shown, a page error, a CSP violation or a serious
 * accessibility violation. The stories test what the screens do; this tests that none is broken on arrival.
 */
interface Screen {
  path: string;
  permission?: string;
  kinds?: string[];
}

const PAGES = new URL("../../api/web/src/pages/", import.meta.url).pathname;

/** The registries' entries, by their literal fields (each entry is an object literal with `path:`). */
function screens(): Screen[] {
  const out: Screen[] = [];
  for (const dir of readdirSync(PAGES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    let text: string;
    try {
      text = readFileSync(join(PAGES, dir.name, "routes.tsx"), "utf8");
    } catch {
      continue;
    }
    // Kind lists named once per file (`const M: TenantKind[] = ["manufacturer"]`, then `kinds: M`).
    const named = new Map(
      [...text.matchAll(/const (\w+)(?::[^=]+)? = \[([^\]]*)\]/g)].map((m) => [m[1]!, m[2]!] as const),
    );
    for (const chunk of text.split(/\n\s*\{\n/).slice(1)) {
      const path = /path:\s*"([^"]+)"/.exec(chunk)?.[1];
      if (!path || path.includes(":")) continue; // detail pages need an id: reached from their lists
      const permission = /permission:\s*"([^"]+)"/.exec(chunk)?.[1];
      const kinds = /kinds:\s*\[([^\]]*)\]/.exec(chunk)?.[1] ?? named.get(/kinds:\s*(\w+)/.exec(chunk)?.[1] ?? "");
      out.push({
        path,
        ...(permission ? { permission } : {}),
        ...(kinds ? { kinds: [...kinds.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) } : {}),
      });
    }
  }
  return out;
}

const rolesOf = (kind: string) =>
  Object.entries(BUILT_IN_ROLES)
    .filter(([, r]) => (r.kinds as readonly string[]).includes(kind))
    .map(([id]) => id);

const TITLE = "every screen opens for its users: no error shown, no page error, no serious accessibility violation";
describe(`${TITLE} @e2e`, function () {
  this.timeout(900_000);
  let h: ConsoleHarness;
  const visited: string[] = [];

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
  });
  after(async () => {
    await h?.close();
  });

  it("reads the screen registries (the test would pass vacuously without them)", () => {
    const all = screens();
    expect(all.length).to.be.greaterThan(25);
    expect(all.map((s) => s.path)).to.include.members(["/users", "/audit"]);
  });

  for (const kind of [
    "manufacturer",
    "distributor",
    "repair_shop",
    "lender",
    "service_provider",
    "platform",
  ] as const) {
    it(`${kind}: every screen its kind and roles allow`, async () => {
      const page = await h.page("desktop");
      const identifier = await userOf(kind);
      await login(page, identifier, PASSWORD, h.origin);
      const me = await page.evaluate(async () => {
        const token = sessionStorage.getItem("partledger.session");
        const r = await fetch("/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });
        return (await r.json()) as { permissions: string[] };
      });
      const held = new Set(me.permissions);
      const mine = screens().filter(
        (s) => (!s.kinds || s.kinds.includes(kind)) && (!s.permission || held.has(s.permission)),
      );
      expect(mine.length, "screens for this user").to.be.greaterThan(2);
      const failed: string[] = [];
      for (const s of mine) await open(page, s.path, `${kind} ${s.path}`).catch((e: Error) => failed.push(e.message));
      await page.context().close();
      expect(failed, failed.join("\n")).to.deep.equal([]);
    });
  }

  it("ran without page errors or content-security-policy violations", () => {
    console.log(`      visited ${visited.length} screens`);
    expect(h.problems).to.deep.equal([]);
  });

  /** A user of that kind holding every built-in role of it (the platform: operator and support agent). */
  async function userOf(kind: string): Promise<string> {
    if (kind === "platform") {
      const ops = await platformOperator(h);
      await h.stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [
        ops.id,
        rolesOf("platform"),
      ]);
      return ops.email;
    }
    const company =
      kind === "manufacturer" ? "maker" : kind === "distributor" ? "dealer" : kind === "repair_shop" ? "shop" : kind;
    // The kinds the test world has no company of are registered on first use.
    const extra: Record<string, { name: string; first17: string; mobile: string }> = {
      lender: { name: "杭州联合农村商业银行股份有限公司", first17: "91330100MA2H00009", mobile: "13500000077" },
      service_provider: { name: "杭州汽修培训与设备租赁有限公司", first17: "91330100MA2H00017", mobile: "13500000078" },
    };
    const fresh = extra[company];
    if (fresh && !h.api.keys[company]) {
      const r = await h.api.call("POST", "/api/v1/companies", OPERATOR, {
        name: fresh.name,
        uscc: uscc(fresh.first17),
        kind,
        regionCode: "330102",
        location: { lng: 120.17, lat: 30.25 },
        admin: { name: "首任管理员", mobile: fresh.mobile, password: "correct horse battery" },
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      h.api.keys[company] = r.json.apiKey;
    }
    const u = await h.api.userWithRoles(company, rolesOf(kind));
    return u.mobile;
  }

  async function open(page: Page, path: string, label: string) {
    await page.goto(h.url(path));
    await page.locator(".ant-pro-layout").waitFor({ timeout: 15_000 });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page
      .locator(".ant-spin-spinning")
      .first()
      .waitFor({ state: "detached", timeout: 15_000 })
      .catch(() => undefined);
    await settleAnimations(page);
    const shown = await page.locator(".ant-alert-error, .ant-result-error, .ant-result-403, .ant-result-404").count();
    const text = shown
      ? await page.locator(".ant-alert-error, .ant-result-error, .ant-result-403, .ant-result-404").first().innerText()
      : "";
    expect(shown, `${label}: an error on arrival: ${text}`).to.equal(0);
    await checkA11y(page, label);
    visited.push(label);
  }
});
