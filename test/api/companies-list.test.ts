import { expect } from "chai";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, walkParts, type TestStack } from "../helpers/stack.js";

/** GET /api/v1/companies (the console's companies screen) and the lag and gas of /api/v1/ledger/batches. */
describe("HTTP API: the platform's list of companies; batches with lag and gas", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("lists every company for the platform, filtered by kind and name, a page at a time", async () => {
    const all = await api.call("GET", "/api/v1/companies", OPERATOR);
    expect(all.status, JSON.stringify(all.json)).to.equal(200);
    const known = Object.values(api.ids);
    expect(all.json.total).to.equal(known.length);
    expect(all.json.companies.map((c: { id: string }) => c.id)).to.have.members(known);
    for (const c of all.json.companies) expect(c).to.include.keys("name", "uscc", "kind", "regionCode", "users");

    const shops = await api.call("GET", "/api/v1/companies?kind=repair_shop", OPERATOR);
    expect(shops.json.companies.length).to.be.greaterThan(0);
    expect(shops.json.companies.every((c: { kind: string }) => c.kind === "repair_shop")).to.equal(true);
    expect(shops.json.total).to.equal(shops.json.companies.length);

    const one = all.json.companies[0] as { name: string; id: string };
    const byName = await api.call(
      "GET",
      `/api/v1/companies?name=${encodeURIComponent(one.name.slice(0, 4))}`,
      OPERATOR,
    );
    expect(byName.json.companies.map((c: { id: string }) => c.id)).to.include(one.id);

    const page = await api.call("GET", "/api/v1/companies?limit=1&offset=1", OPERATOR);
    expect(page.json).to.deep.include({ total: known.length, limit: 1, offset: 1 });
    expect(page.json.companies).to.have.length(1);
    expect(page.json.companies[0].id).to.equal(all.json.companies[1].id);
  });

  it("refuses a company's admin (403) and bad filters (400 naming the field)", async () => {
    const admin = await api.call("GET", "/api/v1/companies", api.keys.maker!);
    expect(admin.status).to.equal(403);
    expect(admin.json.needs).to.equal("company:administer");
    const bad = await api.call("GET", "/api/v1/companies?kind=bank", OPERATOR);
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal("REQUEST.INVALID");
    expect(bad.json.field).to.equal("kind");
    const extra = await api.call("GET", "/api/v1/companies?companyId=x", OPERATOR);
    expect(extra.status).to.equal(400);
  });

  it("gives each batch its lag in seconds and, once mined, the gas of its anchoring", async () => {
    await walkParts(stack, 3);
    await stack.svc.worker.runUntilFinal();
    const r = await api.call("GET", "/api/v1/ledger/batches", null);
    expect(r.status).to.equal(200);
    expect(r.json.batches.length).to.be.greaterThan(0);
    const final = r.json.batches.filter((b: { status: string }) => b.status === "final");
    expect(final.length).to.be.greaterThan(0);
    for (const b of final) expect(Number(b.gasUsed)).to.be.greaterThan(20_000);
    for (const b of r.json.batches) {
      expect(b.lagSeconds).to.be.a("number").and.to.be.at.least(0);
      if (b.txHash && b.blockNumber) expect(Number(b.gasUsed)).to.be.greaterThan(20_000);
    }
  });
});
