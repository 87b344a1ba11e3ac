import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { OPERATOR, randomMobile, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

const PASSWORD = "correct horse battery";

/** Issue 19, access control: role edits, keys as people, keys of disabled people. Each case is an attack through HTTP. */
describe("access control: role edits, two distinct people, keys of disabled people @smoke", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  /** A fresh company with a first admin whose login we know: its registration key acts for that admin. */
  const company = async (first17: string, kind = "distributor") => {
    const mobile = randomMobile("133");
    const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: `测试公司${first17.slice(-4)}`,
      uscc: uscc(first17),
      kind,
      regionCode: "330104",
      location: { lng: 120.18, lat: 30.27 },
      admin: { name: "周杰", mobile, password: PASSWORD },
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    const login = await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: PASSWORD });
    expect(login.status).to.equal(200);
    return {
      id: r.json.id as string,
      key: r.json.apiKey as string,
      adminId: r.json.admin.id as string,
      admin: login.json.token as string,
    };
  };
  /** A user of the company holding `roles` (through the approval flow's back door: fixtures write roles directly). */
  const person = async (key: string, roles: string[]) => {
    const mobile = randomMobile("134");
    const u = await api.call("POST", "/api/v1/users", key, { name: "李四", mobile, password: PASSWORD });
    expect(u.status, JSON.stringify(u.json)).to.equal(201);
    await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [u.json.id, roles]);
    const login = await api.call("POST", "/api/v1/auth/login", null, { login: mobile, password: PASSWORD });
    return { id: u.json.id as string, token: login.json.token as string };
  };
  const me = async (token: string) => (await api.call("GET", "/api/v1/auth/me", token)).json;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, { loginRatePerMinute: 1000 });
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("a role edit adding privileged permissions waits for a second person; nobody puts into a role what they do not hold", async () => {
    const c = await company("91330104MA2B10001");
    const role = await api.call("POST", "/api/v1/roles", c.admin, { name: "查看", permissions: ["company:view"] });
    expect(role.status, JSON.stringify(role.json)).to.equal(201);
    const key = await api.call("POST", "/api/v1/api-keys", c.admin, { name: "看板", roles: [role.json.id] });
    expect(key.status).to.equal(201);
    // personal_data:view is not the company admin's: it cannot be put into a role, created or edited
    const reveal = await api.call("PATCH", `/api/v1/roles/${role.json.id}`, c.admin, {
      permissions: ["company:view", "personal_data:view", "audit_log:audit"],
    });
    expect([reveal.status, reveal.json.code]).to.deep.equal([403, "ROLE.PERMISSION_NOT_HELD"]);
    expect(reveal.json.detail).to.include("personal_data:view").and.include("audit_log:audit");
    const created = await api.call("POST", "/api/v1/roles", c.admin, {
      name: "揭示",
      permissions: ["personal_data:view"],
    });
    expect([created.status, created.json.code]).to.deep.equal([403, "ROLE.PERMISSION_NOT_HELD"]);
    expect((await api.call("GET", "/api/v1/users?reveal=true", key.json.apiKey)).status).to.equal(403);
    // user:approve is the admin's, but privileged: pending until another person approves; the rest applies now
    const edit = await api.call("PATCH", `/api/v1/roles/${role.json.id}`, c.admin, {
      permissions: ["company:view", "user:view", "user:approve"],
    });
    expect(edit.status, JSON.stringify(edit.json)).to.equal(202);
    expect(edit.json.permissions).to.deep.equal(["company:view", "user:view"]);
    expect(edit.json.pendingApproval).to.include({
      kind: "role_change",
      roleId: role.json.id,
      status: "submitted",
      submittedBy: c.adminId,
    });
    expect(edit.json.pendingApproval.permissions).to.deep.equal(["user:approve"]);
    expect((await me(key.json.apiKey)).permissions).to.deep.equal(["company:view", "user:view"]);
    const listed = (await api.call("GET", "/api/v1/approvals?status=submitted", c.admin)).json.approvals;
    expect(listed.map((a: { id: string }) => a.id)).to.include(edit.json.pendingApproval.id);
    // a user holding the role cannot approve the admin's pending grant: the role does not approve yet
    const holder = await person(c.key, [role.json.id]);
    const clerk = await person(c.key, ["warehouse_clerk"]);
    const grant = await api.call("POST", `/api/v1/users/${clerk.id}/role-grants`, c.admin, {
      roles: ["company_admin"],
    });
    expect(grant.status).to.equal(202);
    expect((await api.call("POST", `/api/v1/approvals/${grant.json.id}/approve`, holder.token, {})).status).to.equal(
      403,
    );
    // the editor cannot approve their own edit, nor through their key; another admin can
    const self = await api.call("POST", `/api/v1/approvals/${edit.json.pendingApproval.id}/approve`, c.key, {});
    expect([self.status, self.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const second = await person(c.key, ["company_admin"]);
    const ok = await api.call("POST", `/api/v1/approvals/${edit.json.pendingApproval.id}/approve`, second.token, {});
    expect(ok.json.status, JSON.stringify(ok.json)).to.equal("approved");
    expect((await me(key.json.apiKey)).permissions).to.deep.equal(["company:view", "user:approve", "user:view"]);
    // removing is at once
    const cut = await api.call("PATCH", `/api/v1/roles/${role.json.id}`, c.admin, { permissions: ["company:view"] });
    expect(cut.status).to.equal(200);
    expect((await me(key.json.apiKey)).permissions).to.deep.equal(["company:view"]);
    const log = await auditTrail.query(stack.svc.db.sql, { companyId: c.id, action: "role.update", limit: 10 });
    expect(log.length).to.equal(3);
  });

  it("an API key is not a second person: it acts for its creator; a registration key for the first admin", async () => {
    const c = await company("91330104MA2B10002");
    const clerk = await person(c.key, ["warehouse_clerk"]);
    const grant = await api.call("POST", `/api/v1/users/${clerk.id}/role-grants`, c.admin, {
      roles: ["company_admin"],
    });
    expect(grant.status).to.equal(202);
    const byRegistrationKey = await api.call("POST", `/api/v1/approvals/${grant.json.id}/approve`, c.key, {});
    expect([byRegistrationKey.status, byRegistrationKey.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const own = await api.call("POST", "/api/v1/api-keys", c.admin, { name: "自动化", roles: ["company_admin"] });
    const byOwnKey = await api.call("POST", `/api/v1/approvals/${grant.json.id}/approve`, own.json.apiKey, {});
    expect([byOwnKey.status, byOwnKey.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    expect((await api.call("GET", `/api/v1/approvals/${grant.json.id}`, c.admin)).json.status).to.equal("submitted");
    // and the other way round: what the key submits, its creator cannot approve with a session
    const viaKey = await api.call("POST", `/api/v1/users/${clerk.id}/role-grants`, own.json.apiKey, {
      roles: ["auditor"],
    });
    expect(viaKey.json.submittedBy).to.equal(c.adminId);
    expect((await api.call("POST", `/api/v1/approvals/${viaKey.json.id}/approve`, c.admin, {})).json.code).to.equal(
      "APPROVAL.SAME_PERSON",
    );
    // a company registered without an admin: its key acts for nobody and takes no part in the two-person rule
    const bare = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "无管理员公司",
      uscc: uscc("91330104MA2B10003"),
      kind: "distributor",
      regionCode: "330104",
      location: { lng: 120.18, lat: 30.27 },
    });
    const u = await api.call("POST", "/api/v1/users", bare.json.apiKey, {
      name: "王五",
      mobile: randomMobile("134"),
      password: PASSWORD,
    });
    const submit = await api.call("POST", `/api/v1/users/${u.json.id}/role-grants`, bare.json.apiKey, {
      roles: ["company_admin"],
    });
    expect([submit.status, submit.json.code]).to.deep.equal([403, "AUTH.NO_PERSON"]);
    expect((await api.call("POST", "/api/v1/inventory/transfers/propose", bare.json.apiKey, {})).json.code).to.equal(
      "AUTH.NO_PERSON",
    );
  });

  it("a key stops working when its creator is disabled, until an admin adopts it (audited)", async () => {
    const c = await company("91330104MA2B10004");
    const ops = await person(c.key, ["company_admin"]);
    const key = await api.call("POST", "/api/v1/api-keys", ops.token, { name: "ERP 对接", roles: ["warehouse_clerk"] });
    expect(key.status).to.equal(201);
    expect((await me(key.json.apiKey)).type).to.equal("api_key"); // cached now
    expect((await api.call("DELETE", `/api/v1/users/${ops.id}`, c.admin)).status).to.equal(204);
    const after = await api.call("GET", "/api/v1/auth/me", key.json.apiKey);
    expect([after.status, after.json.code]).to.deep.equal([401, "AUTH.KEY_OWNER_DISABLED"]);
    const admin2 = await api.call("POST", "/api/v1/api-keys", ops.token, { name: "x", roles: ["buyer"] });
    expect(admin2.status).to.equal(401); // the session ended too
    // adoption is a person's act, within what that person holds
    const byKey = await api.call("POST", `/api/v1/api-keys/${key.json.id}/adopt`, c.key, {});
    expect([byKey.status, byKey.json.code]).to.deep.equal([403, "API_KEY.ADOPT_NEEDS_PERSON"]);
    const buyer = await person(c.key, ["buyer"]);
    const tooMuch = await api.call("POST", `/api/v1/api-keys/${key.json.id}/adopt`, buyer.token, {});
    expect(tooMuch.status).to.equal(403); // a buyer holds no api_key:create, and not the key's warehouse permissions
    const adopted = await api.call("POST", `/api/v1/api-keys/${key.json.id}/adopt`, c.admin, {});
    expect(adopted.status, JSON.stringify(adopted.json)).to.equal(200);
    expect(adopted.json.createdBy).to.equal(c.adminId);
    expect((await me(key.json.apiKey)).type).to.equal("api_key");
    const again = await api.call("POST", `/api/v1/api-keys/${key.json.id}/adopt`, c.admin, {});
    expect(again.json.code).to.equal("API_KEY.OWNER_ACTIVE");
    const log = await auditTrail.query(stack.svc.db.sql, { companyId: c.id, action: "api_key.adopt", limit: 10 });
    expect(log.map((e) => e.resourceId)).to.deep.equal([key.json.id]);
  });
});
