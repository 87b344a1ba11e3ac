import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { PENDING_MAY_USE } from "../../api/src/modules/onboarding/onboarding-gate.js";
import {
  APPLICATION_STATUSES,
  APPLICATION_TRANSITIONS,
  type ApplicationStatus,
} from "../../api/src/modules/onboarding/onboarding-states.js";
import { LICENCE_MAX_BYTES } from "../../api/src/modules/onboarding/licence-store.js";
import type { RouteSpec } from "../../api/src/security/routes.js";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { PDF, PNG, apply, freshUscc, platformPerson, upload } from "./world.js";

/**
 * Dealer onboarding (入驻审核) through the real API: a company registers itself with its licence and USCC, is pending
 * (it logs in and sees its application, but every trading route answers 403 COMPANY.NOT_APPROVED), two different
 * platform reviewers approve it (the second through the two-person approvals mechanism), or one refuses with a reason
 * and the applicant corrects and resubmits.
 */
describe("dealer onboarding: self-registration, two-person approval, refusal and resubmission", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const r: Record<string, { id: string; token: string }> = {};
  const approve = (who: string, id: string) =>
    api.call("POST", `/api/v1/onboarding/applications/${id}/approve`, r[who]!.token, {});
  const refuse = (who: string, id: string, reason = "营业执照照片模糊，请重新上传清晰的扫描件") =>
    api.call("POST", `/api/v1/onboarding/applications/${id}/refuse`, r[who]!.token, { reason });
  const status = async (id: string) =>
    (await api.call("GET", `/api/v1/onboarding/applications/${id}`, r.one!.token)).json.status as ApplicationStatus;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { registrationRatePerMinute: 10_000 });
    r.one = await platformPerson(api, stack, ["onboarding_reviewer"]);
    r.two = await platformPerson(api, stack, ["onboarding_reviewer"]);
    r.support = await platformPerson(api, stack, ["support_agent"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  describe("licence uploads", () => {
    it("stores a PNG or a PDF under DATA_DIR/uploads/licences, named by its SHA-256", async () => {
      for (const [body, type] of [
        [PNG, "image/png"],
        [PDF, "application/pdf"],
      ] as const) {
        const u = await upload(api, body, type);
        expect(u.status, JSON.stringify(u.json)).to.equal(201);
        expect(u.json).to.include({ type, bytes: body.length });
        const ext = type === "image/png" ? "png" : "pdf";
        const file = join(resolve(stack.config.DATA_DIR), "uploads", "licences", `${u.json.sha256}.${ext}`);
        expect(existsSync(file), file).to.equal(true);
      }
    });

    it("refuses another type, an empty file, one over 5 MB and content that is not what it is declared", async () => {
      const cases: Array<[Uint8Array, string, number, string]> = [
        [Buffer.from("hello"), "text/plain", 415, "ONBOARDING.LICENCE_TYPE"],
        [Buffer.from("GIF89a......"), "image/gif", 415, "ONBOARDING.LICENCE_TYPE"],
        [new Uint8Array(), "image/png", 400, "ONBOARDING.LICENCE_EMPTY"],
        [Buffer.concat([PNG, Buffer.alloc(LICENCE_MAX_BYTES)]), "image/png", 413, "ONBOARDING.LICENCE_TOO_LARGE"],
        [PDF, "image/png", 415, "ONBOARDING.LICENCE_CONTENT"],
        [Buffer.from("<html>not a licence</html>"), "application/pdf", 415, "ONBOARDING.LICENCE_CONTENT"],
      ];
      for (const [body, type, code, problem] of cases) {
        const u = await upload(api, body, type);
        expect([u.status, u.json.code], `${type} ${body.length} bytes`).to.deep.equal([code, problem]);
      }
      const json = await api.call("POST", "/api/v1/onboarding/licences", null, {});
      expect([json.status, json.json.code]).to.deep.equal([415, "ONBOARDING.LICENCE_TYPE"]);
    });
  });

  describe("registration", () => {
    it("refuses a USCC with a typo, naming the expected check character, and writes nothing", async () => {
      const lic = await upload(api, PNG, "image/png");
      const good = freshUscc();
      const typo = good.slice(0, 10) + (good[10] === "1" ? "2" : "1") + good.slice(11);
      const before = (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM companies")).rows[0]!
        .n;
      const res = await api.call("POST", "/api/v1/onboarding/applications", null, {
        name: "错误代码汽配有限公司",
        uscc: typo,
        kind: "repair_shop",
        regionCode: "330106",
        licence: lic.json.sha256,
        admin: { name: "申请人", mobile: "13612345678", password: "correct horse battery" },
      });
      expect([res.status, res.json.code]).to.deep.equal([400, "ORG.INVALID_USCC"]);
      expect(res.json.field).to.equal("uscc");
      const after = (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM companies")).rows[0]!
        .n;
      expect(after).to.equal(before);
    });

    it("refuses a licence that was never uploaded, and a USCC registered already", async () => {
      const unknown = await api.call("POST", "/api/v1/onboarding/applications", null, {
        name: "无执照汽配有限公司",
        uscc: freshUscc(),
        kind: "distributor",
        regionCode: "330106",
        licence: "0".repeat(64),
        admin: { name: "申请人", mobile: "13612345679", password: "correct horse battery" },
      });
      expect([unknown.status, unknown.json.code]).to.deep.equal([400, "ONBOARDING.LICENCE_UNKNOWN"]);
      const first = await apply(api);
      const lic = await upload(api, PNG, "image/png");
      const again = await api.call("POST", "/api/v1/onboarding/applications", null, {
        name: "重复汽配有限公司",
        uscc: first.uscc,
        kind: "distributor",
        regionCode: "330106",
        licence: lic.json.sha256,
        admin: { name: "申请人", mobile: "13612345670", password: "correct horse battery" },
      });
      expect([again.status, again.json.code]).to.deep.equal([409, "ORG.EXISTS"]);
    });

    it("takes a service provider's application; pending, it may not offer services yet", async () => {
      const a = await apply(api, { kind: "service_provider", name: "杭州申请汽修培训有限公司" });
      const mine = await api.call("GET", "/api/v1/onboarding/application", a.token);
      expect(mine.status, JSON.stringify(mine.json)).to.equal(200);
      expect(mine.json.company).to.include({ kind: "service_provider", onboarding: "pending" });
      const course = await api.call("POST", "/api/v1/services/courses", a.token, { title: "钣金喷漆", priceFen: 100 });
      expect([course.status, course.json.code]).to.deep.equal([403, "COMPANY.NOT_APPROVED"]);
    });

    it("keeps the companies registered by the platform approved, with no application", async () => {
      const me = await api.call("GET", "/api/v1/companies/me", api.keys.dealer!);
      expect(me.json.onboarding).to.equal("approved");
      const app = await api.call("GET", "/api/v1/onboarding/application", api.keys.dealer!);
      expect([app.status, app.json.code]).to.deep.equal([404, "ONBOARDING.NO_APPLICATION"]);
    });
  });

  it("lets a pending company log in and read its application, and answers every trading route 403", async () => {
    const a = await apply(api);
    const me = await api.call("GET", "/api/v1/companies/me", a.token);
    expect([me.status, me.json.onboarding]).to.deep.equal([200, "pending"]);
    const app = await api.call("GET", "/api/v1/onboarding/application", a.token);
    expect([app.status, app.json.status, app.json.round]).to.deep.equal([200, "submitted", 1]);
    const licence = await fetch(`${api.origin}/api/v1/onboarding/application/licence`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(licence.headers.get("content-type")).to.match(/^image\/png/);
    expect(Buffer.from(await licence.arrayBuffer()).equals(PNG)).to.equal(true);
    // Every route of a resource a pending company may not use, that its admin's roles grant: 403 COMPANY.NOT_APPROVED.
    const perms = new Set((await api.call("GET", "/api/v1/auth/me", a.token)).json.permissions as string[]);
    const trading = (api.app.locals.routes as RouteSpec[]).filter(
      (x) =>
        "permission" in x.access &&
        perms.has(x.access.permission) &&
        !PENDING_MAY_USE.has(x.access.permission.split(":")[0] as never),
    );
    expect(trading.length).to.be.greaterThan(20);
    // Orders, quotes, stock into the pool, promotions are among them (a distributor's admin holds them all).
    expect(trading.map((x) => `${x.method} ${x.path}`)).to.include.members([
      "post /api/v1/orders",
      "post /api/v1/rfqs/:id/quotes",
      "post /api/v1/inventory/movements",
      "patch /api/v1/inventory/stock",
      "post /api/v1/promotions",
    ]);
    for (const x of trading) {
      const path = x.path.replace(/:(\w+)/g, "x0000000000000000");
      const res = await api.call(x.method.toUpperCase(), path, a.token, x.method === "get" ? undefined : {});
      expect([res.status, res.json.code], `${x.method} ${x.path}`).to.deep.equal([403, "COMPANY.NOT_APPROVED"]);
    }
    // What it may use: its people (and the platform's queue is not its own).
    expect((await api.call("GET", "/api/v1/users", a.token)).status).to.equal(200);
    expect((await api.call("GET", "/api/v1/onboarding/applications", a.token)).json.code).to.equal("AUTH.FORBIDDEN");
  });

  it("admits a company after two different reviewers approve it; the first cannot approve twice", async () => {
    const a = await apply(api);
    const queue = await api.call("GET", "/api/v1/onboarding/applications?status=submitted", r.one!.token);
    expect(queue.json.applications.map((x: { id: string }) => x.id)).to.include(a.id);
    const first = await approve("one", a.id);
    expect([first.status, first.json.status], JSON.stringify(first.json)).to.deep.equal([200, "first_approved"]);
    // The two-person request sits in the platform's approvals inbox.
    const inbox = await api.call("GET", "/api/v1/approvals?status=submitted", r.two!.token);
    expect(inbox.status, JSON.stringify(inbox.json)).to.equal(200);
    const request = inbox.json.approvals.find((x: { id: string }) => x.id === first.json.approvalId);
    expect(request).to.include({ kind: "company_onboarding", subjectId: a.id, submittedBy: r.one!.id });
    const same = await approve("one", a.id);
    expect([same.status, same.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    // Still pending: a trading route is refused.
    expect((await api.call("GET", "/api/v1/orders", a.token)).json.code).to.equal("COMPANY.NOT_APPROVED");
    const second = await approve("two", a.id);
    expect([second.status, second.json.status], JSON.stringify(second.json)).to.deep.equal([200, "approved"]);
    expect(second.json.company.onboarding).to.equal("approved");
    expect(second.json.steps.map((s: { step: string }) => s.step)).to.deep.equal([
      "submitted",
      "first_approved",
      "approved",
    ]);
    // Now it trades: the same route passes the gate.
    const orders = await api.call("GET", "/api/v1/orders", a.token);
    expect(orders.status, JSON.stringify(orders.json)).to.equal(200);
    const request2 = await api.call("GET", `/api/v1/approvals/${first.json.approvalId}`, r.one!.token);
    expect([request2.json.status, request2.json.decidedBy]).to.deep.equal(["approved", r.two!.id]);
    const trail = await auditTrail.query(stack.svc.db.sql, { companyId: a.companyId, limit: 100 });
    expect(trail.map((e) => e.action)).to.include.members([
      "company.self_register",
      "company_application.submit",
      "company_application.first_approve",
      "company_application.approve",
    ]);
  });

  it("refuses with a reason the applicant reads; the applicant corrects and resubmits (round 2)", async () => {
    const a = await apply(api);
    const noReason = await api.call("POST", `/api/v1/onboarding/applications/${a.id}/refuse`, r.one!.token, {});
    expect([noReason.status, noReason.json.field]).to.deep.equal([400, "reason"]);
    const refused = await refuse("one", a.id);
    expect([refused.status, refused.json.status]).to.deep.equal([200, "refused"]);
    const mine = (await api.call("GET", "/api/v1/onboarding/application", a.token)).json;
    expect([mine.status, mine.reason]).to.deep.equal(["refused", "营业执照照片模糊，请重新上传清晰的扫描件"]);
    const lic = await upload(api, PDF, "application/pdf");
    const code = freshUscc();
    const typo = await api.call("POST", "/api/v1/onboarding/application/resubmit", a.token, {
      name: "杭州申请汽配有限公司（更正）",
      uscc: code.slice(0, 17) + (code[17] === "A" ? "B" : "A"),
      regionCode: "330106",
      licence: lic.json.sha256,
    });
    expect([typo.status, typo.json.code]).to.deep.equal([400, "ORG.INVALID_USCC"]);
    const again = await api.call("POST", "/api/v1/onboarding/application/resubmit", a.token, {
      name: "杭州申请汽配有限公司（更正）",
      uscc: code,
      regionCode: "330106",
      licence: lic.json.sha256,
    });
    expect([again.status, again.json.status, again.json.round], JSON.stringify(again.json)).to.deep.equal([
      200,
      "submitted",
      2,
    ]);
    expect(again.json.reason).to.equal(null);
    expect(again.json.company).to.include({ name: "杭州申请汽配有限公司（更正）", uscc: code });
    expect(again.json.licence).to.include({ type: "application/pdf", sha256: lic.json.sha256 });
    // A second refusal after a first approval goes through the two-person request (rejected by the second reviewer).
    expect((await approve("one", a.id)).json.status).to.equal("first_approved");
    const ownRefusal = await refuse("one", a.id);
    expect([ownRefusal.status, ownRefusal.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const second = await refuse("two", a.id, "经营范围与申请类型不符");
    expect([second.json.status, second.json.reason, second.json.round]).to.deep.equal([
      "refused",
      "经营范围与申请类型不符",
      2,
    ]);
    const request = await api.call("GET", `/api/v1/approvals/${second.json.approvalId}`, r.one!.token);
    expect([request.json.status, request.json.decidedBy]).to.deep.equal(["rejected", r.two!.id]);
    expect(second.json.steps.map((s: { step: string; round: number }) => `${s.round}:${s.step}`)).to.deep.equal([
      "1:submitted",
      "1:refused",
      "2:submitted",
      "2:first_approved",
      "2:refused",
    ]);
  });

  it("refuses the review routes to platform people without the permission and to companies", async () => {
    const a = await apply(api);
    const denied = await api.call("POST", `/api/v1/onboarding/applications/${a.id}/approve`, r.support!.token, {});
    expect([denied.status, denied.json.code, denied.json.needs]).to.deep.equal([
      403,
      "AUTH.FORBIDDEN",
      "company_application:approve",
    ]);
    const company = await api.call("POST", `/api/v1/onboarding/applications/${a.id}/approve`, api.keys.dealer!, {});
    expect([company.status, company.json.code]).to.deep.equal([403, "AUTH.FORBIDDEN"]);
    expect(await status(a.id)).to.equal("submitted");
  });

  it("walks every from × to pair of the declared application table through the API", async () => {
    /** An application brought to `s`. */
    const reach = async (s: ApplicationStatus) => {
      const a = await apply(api);
      if (s === "submitted") return a;
      if (s === "refused") expect((await refuse("one", a.id)).status).to.equal(200);
      else expect((await approve("one", a.id)).status).to.equal(200);
      if (s === "approved") expect((await approve("two", a.id)).status).to.equal(200);
      expect(await status(a.id), `reach ${s}`).to.equal(s);
      return a;
    };
    /** The move to `to` by the side the table names for it (the first reviewer withdraws through the inbox). */
    const attempt = async (to: ApplicationStatus, a: Awaited<ReturnType<typeof apply>>) => {
      if (to === "first_approved") return approve("one", a.id);
      if (to === "approved") return approve("two", a.id);
      if (to === "refused") return refuse("two", a.id);
      const now = (await api.call("GET", `/api/v1/onboarding/applications/${a.id}`, r.one!.token)).json;
      if (now.status === "first_approved")
        return api.call("POST", `/api/v1/approvals/${now.approvalId}/cancel`, r.one!.token, {});
      const lic = await upload(api, PNG, "image/png");
      return api.call("POST", "/api/v1/onboarding/application/resubmit", a.token, {
        name: "杭州申请汽配有限公司",
        uscc: a.uscc,
        regionCode: "330106",
        licence: lic.json.sha256,
      });
    };
    let walked = 0;
    for (const from of APPLICATION_STATUSES)
      for (const to of APPLICATION_STATUSES) {
        if (from === to) continue;
        const a = await reach(from);
        const res = await attempt(to, a);
        const now = await status(a.id);
        const allowed = APPLICATION_TRANSITIONS[from][to] !== undefined;
        if (allowed) expect([res.status, now], `${from} → ${to}: ${JSON.stringify(res.json)}`).to.deep.equal([200, to]);
        else {
          expect(now, `${from} → ${to} must not happen`).to.not.equal(to);
          if (from === "approved" || from === "refused")
            expect(res.status, `${from} → ${to}: ${JSON.stringify(res.json)}`).to.be.oneOf([403, 409]);
        }
        walked++;
      }
    expect(walked).to.equal(APPLICATION_STATUSES.length * (APPLICATION_STATUSES.length - 1));
  });
});
