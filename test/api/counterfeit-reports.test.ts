import type { Server } from "node:http";
import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { createApp } from "../../api/src/app.js";
import { OPERATOR, PUBLIC_BASE, startApi, uscc } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/**
 * Counterfeit reports from the scan page: a forged label is reported once however often its page's form is sent, and
 * reaches the brand owner (the GTIN's verified GS1 prefix owner) and the platform — not another manufacturer.
 */
describe("counterfeit reports: POST /api/v1/counterfeit-reports from the scan page, read by the brand owner and the platform", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let forgedUri: string;
  let maker2: string;
  const count = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM counterfeit_reports")).rows[0]!.n;
  /** What the label said, as the form's hidden fields carry it. */
  const scanned = () => {
    const u = new URL(forgedUri);
    return {
      gtin: GTIN,
      serial: decodeURIComponent(u.pathname.split("/")[4]!),
      lot: u.searchParams.get("10")!,
      signature: u.searchParams.get("s")!,
      verdict: "UNKNOWN",
    };
  };
  const form = (fields: Record<string, string>, accept = "text/html") =>
    fetch(`${api.origin}/api/v1/counterfeit-reports?lang=zh`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
      body: new URLSearchParams(fields).toString(),
    });

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { reportRatePerMinute: 1000 });
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-CF",
      productionDate: "2026-11-20",
      count: 1,
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    const { LabelsService } = await import("../../api/src/modules/labels/labels.service.js");
    const me = (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json;
    const genuine = await new LabelsService(stack.svc, PUBLIC_BASE).uriFor(me as never, GTIN, mint.json.serials[0]);
    // A forger copies a real label's signature onto a serial of its own.
    const sig = new URL(genuine).searchParams.get("s");
    forgedUri = `${api.origin}/01/${GTIN}/21/FAKE0000000000001?10=L-CF&s=${sig}`;
    const m2 = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "第二制造商有限公司",
      uscc: uscc("91310115MA1K00003"),
      kind: "manufacturer",
      regionCode: "310115",
      location: { lng: 121.5, lat: 31.2 },
    });
    maker2 = m2.json.apiKey;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("a forged label: the page says what to do and carries the report form; its form sent twice records one report", async () => {
    const page = await fetch(forgedUri, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect(html).to.contain('data-verdict="UNKNOWN"');
    expect(html).to.contain("不要安装这个配件");
    expect(page.headers.get("content-security-policy")).to.contain("form-action 'self'");
    // The report form's fields, exactly as a browser without script would send them (the page also carries the
    // support assistant's form: its fields are not the report's).
    const reportForm = /<form id="report"[\s\S]*?<\/form>/.exec(html)![0];
    const fields: Record<string, string> = {};
    for (const [, name, value] of reportForm.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g))
      fields[name!] = value!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    expect(fields).to.include(scanned());
    expect(fields.submission).to.match(/^[0-9a-f]{32}$/);
    // The page is never cached, so going back renders it again: with the same token for the same label and client.
    const reloaded = await (await fetch(forgedUri, { headers: { accept: "text/html" } })).text();
    expect(reloaded).to.contain(`name="submission" value="${fields.submission}"`);
    const sent = { ...fields, note: "在路边店买的，包装印刷模糊", contact: "138 0013 1234" };
    const before = await count();
    const first = await form(sent);
    expect(first.status).to.equal(201);
    const firstHtml = await first.text();
    const id = /id="report-id">(cr_[0-9a-f]{16})</.exec(firstHtml)?.[1];
    expect(id, firstHtml).to.be.a("string");
    expect(firstHtml).to.contain("品牌方、平台");
    const again = await form(sent); // back button, submit again
    expect(again.status).to.equal(200);
    const againHtml = await again.text();
    expect(againHtml).to.contain(`id="report-id">${id}<`);
    expect(againHtml).to.contain('data-duplicate="true"');
    expect(await count()).to.equal(before + 1);
    // JSON with the same page token: the same report.
    const json = await api.call("POST", "/api/v1/counterfeit-reports", null, { ...sent, contact: "13800131234" });
    expect(json.status).to.equal(200);
    expect(json.json).to.include({ id, duplicate: true, status: "new" });
    expect(json.json.routedTo).to.deep.equal(["brand_owner", "platform"]);
    expect(await count()).to.equal(before + 1);
  });

  it("without a page token: Idempotency-Key, or else the same request from the same client, is one report", async () => {
    const before = await count();
    const body = { ...scanned(), verdict: "SUSPECT_CLONE", loc: "120.1234,30.2789" };
    const a = await api.call("POST", "/api/v1/counterfeit-reports", null, body, {
      "idempotency-key": "report-key-0001",
    });
    const b = await api.call("POST", "/api/v1/counterfeit-reports", null, body, {
      "idempotency-key": "report-key-0001",
    });
    expect([a.status, b.status]).to.deep.equal([201, 200]);
    expect(b.json.id).to.equal(a.json.id);
    const c = await api.call("POST", "/api/v1/counterfeit-reports", null, { ...body, note: "第二次" });
    const d = await api.call("POST", "/api/v1/counterfeit-reports", null, { ...body, note: "第二次" });
    expect([c.status, d.status]).to.deep.equal([201, 200]);
    expect(d.json.id).to.equal(c.json.id);
    expect(await count()).to.equal(before + 2);
    const row = (
      await stack.svc.db.sql.query<{ lng: number; lat: number }>(
        "SELECT lng, lat FROM counterfeit_reports WHERE id = $1",
        [a.json.id],
      )
    ).rows[0]!;
    expect(row).to.deep.equal({ lng: 120.12, lat: 30.28 }); // kept coarse, like the scan log
  });

  it("is visible to the brand owner and the platform, not to another manufacturer; contacts encrypted and masked", async () => {
    const mine = await api.call("GET", "/api/v1/counterfeit-reports", api.keys.maker!);
    expect(mine.status).to.equal(200);
    const report = mine.json.reports.find((r: { note: string | null }) => r.note === "在路边店买的，包装印刷模糊");
    expect(report).to.include({ gtin: GTIN, serial: scanned().serial, verdict: "UNKNOWN", status: "new" });
    expect(report.brandOwnerId).to.equal(api.ids.maker);
    expect(report.contact).to.equal("138****1234");
    expect(report.masked).to.equal(true);
    const platform = await api.call("GET", "/api/v1/counterfeit-reports", OPERATOR);
    expect(platform.json.reports.map((r: { id: string }) => r.id)).to.include(report.id);
    const other = await api.call("GET", "/api/v1/counterfeit-reports", maker2);
    expect(other.status).to.equal(200);
    expect(other.json.reports).to.deep.equal([]);
    expect((await api.call("GET", `/api/v1/counterfeit-reports/${report.id}`, maker2)).status).to.equal(404);
    expect((await api.call("GET", "/api/v1/counterfeit-reports", api.keys.dealer!)).status).to.equal(403);
    // At rest: ciphertext, not the number.
    const { rows } = await stack.svc.db.sql.query<{ contact_ct: Uint8Array }>(
      "SELECT contact_ct FROM counterfeit_reports WHERE id = $1",
      [report.id],
    );
    expect(Buffer.from(rows[0]!.contact_ct).toString("latin1")).not.to.contain("13800131234");
    // Revealing needs personal_data:view (the admin does not hold it) and is audited.
    const refused = await api.call("GET", `/api/v1/counterfeit-reports/${report.id}?reveal=true`, api.keys.maker!);
    expect(refused.status).to.equal(403);
    await stack.svc.db.sql.query(
      "INSERT INTO roles (id, company_id, name, permissions) VALUES ('r_00000000000000cf', $1, '打假专员', $2::text[])",
      [api.ids.maker, ["counterfeit_report:view", "personal_data:view"]],
    );
    const investigator = await api.keyWithRoles("maker", ["r_00000000000000cf"]);
    const revealed = await api.call("GET", `/api/v1/counterfeit-reports/${report.id}?reveal=true`, investigator);
    expect(revealed.status, JSON.stringify(revealed.json)).to.equal(200);
    expect(revealed.json.contact).to.equal("13800131234");
    const log = await auditTrail.query(stack.svc.db.sql, {
      companyId: api.ids.maker!,
      action: "personal_data.reveal",
      limit: 100,
    });
    expect(log.map((e) => e.resourceId)).to.include(report.id);
  });

  it("moves new → reviewing → confirmed, refusing other steps, each step in the brand owner's audit trail", async () => {
    const [report] = (await api.call("GET", "/api/v1/counterfeit-reports?status=new&limit=1", api.keys.maker!)).json
      .reports;
    const path = `/api/v1/counterfeit-reports/${report.id}`;
    const skip = await api.call("PATCH", path, api.keys.maker!, { status: "confirmed" });
    expect(skip.status).to.equal(409);
    expect(skip.json.code).to.equal("REPORT.INVALID_TRANSITION");
    expect((await api.call("PATCH", path, maker2, { status: "reviewing" })).status).to.equal(404);
    expect((await api.call("PATCH", path, api.keys.maker!, { status: "reviewing" })).json.status).to.equal("reviewing");
    const done = await api.call("PATCH", path, OPERATOR, {
      status: "confirmed",
      resolution: "非本公司生产，已移交市场监管",
    });
    expect(done.status, JSON.stringify(done.json)).to.equal(200);
    expect(done.json).to.include({ status: "confirmed", resolution: "非本公司生产，已移交市场监管" });
    expect((await api.call("PATCH", path, api.keys.maker!, { status: "dismissed" })).status).to.equal(409);
    const trail = await auditTrail.query(stack.svc.db.sql, { companyId: api.ids.maker!, limit: 1000 });
    const mine = trail.filter((e) => e.resourceId === report.id);
    expect(mine.map((e) => e.action)).to.include.members(["counterfeit_report.create", "counterfeit_report.status"]);
    expect(
      mine.filter((e) => e.action === "counterfeit_report.status").map((e) => (e.changes as any).status.after),
    ).to.have.members(["reviewing", "confirmed"]);
  });

  it("bad input: 400 naming the field — form posts answer a page, JSON a problem; a NUL in the note is refused", async () => {
    const base = scanned();
    const bad = async (body: Record<string, unknown>) => api.call("POST", "/api/v1/counterfeit-reports", null, body);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...base, verdict: undefined }, "REQUEST.INVALID", "verdict"],
      [{ ...base, verdict: "FAKE" }, "REQUEST.INVALID", "verdict"],
      [{ ...base, gtin: "06901234567891" }, "REQUEST.INVALID", "gtin"],
      [{ ...base, serial: "X".repeat(21) }, "REQUEST.INVALID", "serial"],
      [{ ...base, signature: "short" }, "REQUEST.INVALID", "signature"],
      [{ ...base, note: "字".repeat(501) }, "REQUEST.INVALID", "note"],
      [{ ...base, contact: "call me maybe" }, "REQUEST.INVALID", "contact"],
      [{ ...base, loc: "north" }, "REQUEST.INVALID", "loc"],
      [{ ...base, brandOwnerId: "c_1" }, "REQUEST.UNKNOWN_FIELD", "brandOwnerId"],
      [{ ...base, note: "包装\u0000异常" }, "REQUEST.INVALID_TEXT", "note"],
    ];
    const before = await count();
    for (const [body, code, field] of cases) {
      const r = await bad(body);
      expect(r.status, `${field}: ${JSON.stringify(r.json)}`).to.equal(400);
      expect(r.json.code, field).to.equal(code);
      expect(r.json.field ?? r.json.detail, field).to.contain(field);
    }
    // The same through a plain form post (%00 in the note): a page naming the field, nothing stored.
    const nul = await form({ ...base, note: "包装\u0000异常" });
    expect(nul.status).to.equal(400);
    const page = await nul.text();
    expect(page).to.contain('data-field="note"');
    expect(page).to.contain("补充说明");
    const contact = await form({ ...base, contact: "call me maybe" }, "application/json");
    expect(contact.status).to.equal(400);
    expect(((await contact.json()) as { field: string }).field).to.equal("contact");
    expect(await count()).to.equal(before);
  });

  it("is rate-limited per client like scans", async () => {
    const app = createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: OPERATOR,
      publicBaseUrl: PUBLIC_BASE,
      reportRatePerMinute: 2,
      webhooks: { intervalMs: 0 },
      transferCheckMs: 0,
    });
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/counterfeit-reports`;
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json", accept: "application/json" },
              body: JSON.stringify({ ...scanned(), note: `limit ${i}` }),
            })
          ).status,
        );
      expect(statuses).to.deep.equal([201, 201, 429]);
    } finally {
      server.close();
      await (app.locals.shutdown as () => Promise<void>)();
    }
  });
});
