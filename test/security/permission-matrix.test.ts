import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { rolesByKind, allowed, permissionTable } from "../../api/src/security/permission-table.js";
import type { RouteSpec } from "../../api/src/security/routes.js";
import { readFileSync } from "node:fs";
import { declaredRoutes } from "../../scripts/lib/declared-routes.js";
import { vinWithCheck } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/** A syntactically valid value for each path parameter (records that do not exist: the guard answers first). */
const PARAM: Record<string, string> = {
  gtin: GTIN,
  serial: "NOPE1",
  format: "png",
  runId: "run_0000000000000000",
  seq: "1",
  decision: "merge",
  vin: vinWithCheck("LSVAU2180N2183294"),
  term: "test-term",
  companyId: "c_0000000000000000",
  buyerId: "c_0000000000000000",
  photoId: "ph_0000000000000000",
  category: "training",
  borrowerId: "c_0000000000000000",
};
const ID: Array<[RegExp, string]> = [
  [/\/users\//, "u_0000000000000000"],
  [/\/roles\//, "r_0000000000000000"],
  [/\/api-keys\//, "k_0000000000000000"],
  [/\/approvals\//, "ap_0000000000000000"],
  [/\/installations\//, "in_0000000000000000"],
  [/\/catalog\/skus\//, "1"],
  [/\/catalog\/matches\//, "1"],
  [/\/catalog\/imports\//, "imp_0000000000000000"],
  [/\/orders\//, "ord_0000000000000000"],
  [/\/rfqs\//, "rfq_0000000000000000"],
  [/\/promotions\//, "pr_0000000000000000"],
  [/\/warehouses\//, "loc_0000000000000000"],
  [/\/webhooks\//, "wh_0000000000000000"],
  [/\/transfers\//, "tr_0000000000000000"],
  [/\/gs1-prefixes\//, "gp_0000000000000000"],
  [/\/counterfeit-reports\//, "cr_0000000000000000"],
  [/\/support\/(conversations|queue)\//, "sc_0000000000000000"],
  [/\/support\/articles\//, "kb_0000000000000000"],
  [/\/returns\//, "rma_0000000000000000"],
  [/\/disputes\//, "dsp_0000000000000000"],
  [/\/recalls\//, "rc_0000000000000000"],
  [/\/warehouse-receipts\//, "wr_0000000000000000"],
  [/\/finance\/collateral\//, "wr_0000000000000000"],
  [/\/finance\/enforcements\//, "enf_0000000000000000"],
  [/\/consents\//, "cc_0000000000000000"],
  [/\/finance\/invoices\//, "inv_0000000000000000"],
  [/\/services\/courses\//, "crs_0000000000000000"],
  [/\/services\/sessions\//, "ses_0000000000000000"],
  [/\/services\/enrolments\//, "enr_0000000000000000"],
  [/\/services\/equipment\//, "eq_0000000000000000"],
  [/\/services\/rentals\//, "rnt_0000000000000000"],
  [/\/services\/delivery-tariffs\//, "trf_0000000000000000"],
  [/\/services\/deliveries\//, "dlv_0000000000000000"],
  [/\/finance\/loans\//, "ln_0000000000000000"],
  [/\/onboarding\/applications\//, "oa_0000000000000000"],
];
const fill = (r: RouteSpec) =>
  r.path.replace(/:(\w+)/g, (_, p: string) => (p === "id" ? ID.find(([re]) => re.test(r.path))![1] : PARAM[p]!));

describe("permission matrix: every route × every built-in role of every company kind, and a foreign company @smoke", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 100_000, { loginRatePerMinute: 100_000 });
    const m2 = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "第二制造商有限公司",
      uscc: uscc("91310115MA1K00003"),
      kind: "manufacturer",
      regionCode: "310115",
      location: { lng: 121.5, lat: 31.2 },
    });
    api.keys.maker2 = m2.json.apiKey;
    api.ids.maker2 = m2.json.id;
    const bank = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州联合农村商业银行股份有限公司",
      uscc: uscc("91330100MA2B00011"),
      kind: "lender",
      regionCode: "330102",
      location: { lng: 120.17, lat: 30.25 },
    });
    expect(bank.status, JSON.stringify(bank.json)).to.equal(201);
    api.keys.lender = bank.json.apiKey;
    api.ids.lender = bank.json.id;
    const provider = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州匠心汽修培训与设备租赁有限公司",
      uscc: uscc("91330106MA2C00017"),
      kind: "service_provider",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.27 },
    });
    expect(provider.status, JSON.stringify(provider.json)).to.equal(201);
    api.keys.provider = provider.json.apiKey;
    api.ids.provider = provider.json.id;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("docs/permissions.md is the table the declarations produce", () => {
    expect(readFileSync(new URL("../../docs/permissions.md", import.meta.url), "utf8")).to.equal(
      permissionTable(declaredRoutes()),
      "run npm run docs:permissions",
    );
  });

  it("answers each route as declared: allowed roles pass the guard, the others get 403 naming the permission", async () => {
    const all = api.app.locals.routes as RouteSpec[];
    const routes = [
      ...all.filter((r) => !r.path.endsWith("/logout")),
      ...all.filter((r) => r.path.endsWith("/logout")),
    ]; // signing out last
    expect(all.length).to.equal(declaredRoutes().length);
    const company: Record<string, string> = {
      manufacturer: "maker",
      distributor: "dealer",
      repair_shop: "shop",
      lender: "lender",
      service_provider: "provider",
    };
    const mismatches: string[] = [];
    let calls = 0;
    for (const { kind, role } of rolesByKind()) {
      let token: string;
      if (kind === "platform") {
        const mobile = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
        const u = await api.call("POST", "/api/v1/users", OPERATOR, {
          name: "平台人员",
          mobile,
          password: "correct horse battery",
        });
        expect(u.status, JSON.stringify(u.json)).to.equal(201);
        await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [u.json.id, [role]]);
        token = (
          await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: "correct horse battery" })
        ).json.token;
      } else token = await api.keyWithRoles(company[kind]!, [role]);
      for (const r of routes) {
        const res = await api.call(
          r.method.toUpperCase(),
          fill(r),
          token,
          ["post", "patch", "put"].includes(r.method) ? {} : undefined,
          { accept: "application/json" },
        );
        calls++;
        const denied = res.status === 403 && res.json.code === "AUTH.FORBIDDEN";
        if (res.status === 401 || res.status >= 500)
          mismatches.push(`${kind}:${role} ${r.method} ${r.path} → ${res.status} ${res.json.code}`);
        else if (denied === allowed(r, kind, role))
          mismatches.push(
            `${kind}:${role} ${r.method} ${r.path}: declared ${allowed(r, kind, role) ? "allowed" : "refused"}, got ${res.status} ${res.json.code ?? ""}`,
          );
        if (denied) expect(res.json.needs).to.equal("permission" in r.access ? r.access.permission : undefined);
      }
    }
    expect(mismatches, mismatches.join("\n")).to.deep.equal([]);
    expect(calls).to.be.greaterThan(500);
  });

  it("answers a foreign company's records 404 — exactly like records that do not exist — and logs the attempt", async () => {
    const a = api.keys.shop!;
    const b = api.keys.farShop!;
    const user = (
      await api.call("POST", "/api/v1/users", a, {
        name: "李四",
        mobile: "13900001111",
        password: "correct horse battery",
      })
    ).json;
    const role = (await api.call("POST", "/api/v1/roles", a, { name: "前台", permissions: ["part:view"] })).json;
    const key = (await api.call("POST", "/api/v1/api-keys", a, { name: "ERP", roles: ["buyer"] })).json;
    const grant = (await api.call("POST", `/api/v1/users/${user.id}/role-grants`, a, { roles: ["technician"] })).json;
    const mint = (
      await api.call("POST", "/api/v1/mint", api.keys.maker!, {
        gtin: GTIN,
        lot: "L1",
        productionDate: "2026-11-20",
        count: 1,
      })
    ).json;
    const probes: Array<[string, string, unknown?]> = [
      ["GET", `/api/v1/users/${user.id}`],
      ["PATCH", `/api/v1/users/${user.id}`, { name: "王五" }],
      ["DELETE", `/api/v1/users/${user.id}`],
      ["POST", `/api/v1/users/${user.id}/role-grants`, { roles: ["buyer"] }],
      ["PATCH", `/api/v1/roles/${role.id}`, { name: "x" }],
      ["DELETE", `/api/v1/roles/${role.id}`],
      ["DELETE", `/api/v1/api-keys/${key.id}`],
      ["GET", `/api/v1/approvals/${grant.id}`],
      ["POST", `/api/v1/approvals/${grant.id}/approve`, {}],
    ];
    const before = (
      await auditTrail.query(stack.svc.db.sql, {
        companyId: api.ids.shop!,
        action: "tenant.cross_access",
        limit: 10_000,
      })
    ).length;
    for (const [method, path, body] of probes) {
      const foreign = await api.call(method, path, b, body);
      const missing = await api.call(method, path.replace(/_[0-9a-f]{16}/, "_0123456789abcdef"), b, body);
      expect(foreign.status, `${method} ${path}`).to.equal(404);
      expect(missing.status).to.equal(404);
      expect(foreign.json.code).to.equal(missing.json.code);
      expect(foreign.json.detail.replace(/_[0-9a-f]{16}/, "")).to.equal(
        missing.json.detail.replace(/_[0-9a-f]{16}/, ""),
      );
    }
    const pdf = await api.call("GET", `/api/v1/mint/${mint.runId}/labels.pdf`, api.keys.maker2!);
    expect(pdf.status).to.equal(404);
    const after = (
      await auditTrail.query(stack.svc.db.sql, {
        companyId: api.ids.shop!,
        action: "tenant.cross_access",
        limit: 10_000,
      })
    ).length;
    expect(after - before).to.equal(probes.length);
    // nothing changed: the user, role, key and request are as they were
    expect((await api.call("GET", `/api/v1/users/${user.id}`, a)).json.name).to.equal("李*");
    expect((await api.call("GET", `/api/v1/approvals/${grant.id}`, a)).json.status).to.equal("submitted");
    expect(
      (await api.call("GET", "/api/v1/api-keys", a)).json.apiKeys.find((k: { id: string }) => k.id === key.id)
        .revokedAt,
    ).to.equal(null);
    const log = await api.call(
      "GET",
      "/api/v1/audit/entries?action=tenant.cross_access",
      await api.keyWithRoles("shop", ["auditor"]),
    );
    expect(log.json.entries.length).to.be.greaterThanOrEqual(probes.length);
    expect(log.json.entries[0].outcome).to.equal("denied");
  });
});
