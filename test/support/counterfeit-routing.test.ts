import { expect } from "chai";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { GTIN, handOver, openStack, type TestStack } from "../helpers/stack.js";

describe("counterfeit reports: the scan's evidence, and where reports repeat, for the brand owner and the platform", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let maker2: string;
  let copied: string;
  let other: string;
  const ids: string[] = [];

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { reportRatePerMinute: 1000 });
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-REP",
      productionDate: "2026-11-20",
      count: 2,
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    [copied, other] = mint.json.serials as [string, string];
    // The copied serial's genuine unit went to the distributor: its last company of record.
    await handOver(stack, api.ids.maker!, api.ids.dealer!, [{ gtin: GTIN, serial: copied }]);
    const file = async (serial: string, loc: string, key: string) => {
      const r = await api.call(
        "POST",
        "/api/v1/counterfeit-reports",
        null,
        { gtin: GTIN, serial, lot: "L-REP", verdict: "SUSPECT_CLONE", loc },
        { "idempotency-key": key },
      );
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      ids.push(r.json.id);
    };
    // Three mechanics in one market report copies of the same serial; one elsewhere reports another serial.
    await file(copied, "113.2641,23.1291", "rep-000000000001");
    await file(copied, "113.2612,23.1302", "rep-000000000002");
    await file(copied, "113.2633,23.1288", "rep-000000000003");
    await file(other, "120.1500,30.2800", "rep-000000000004");
    maker2 = (
      await api.call("POST", "/api/v1/companies", OPERATOR, {
        name: "第二制造商有限公司",
        uscc: uscc("91310115MA1K00003"),
        kind: "manufacturer",
        regionCode: "310115",
        location: { lng: 121.5, lat: 31.2 },
      })
    ).json.apiKey;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("gives the brand owner a report's evidence: the custody on the ledger, the same serial's other reports, the last holder", async () => {
    const r = await api.call("GET", `/api/v1/counterfeit-reports/${ids[0]}/evidence`, api.keys.maker!);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.report).to.include({ id: ids[0], serial: copied, brandOwnerId: api.ids.maker });
    expect(r.json.custody.map((s: { step: string }) => s.step)).to.deep.equal([
      "commissioning",
      "shipping",
      "receiving",
    ]);
    expect(r.json.reportsOfSameSerial).to.equal(3);
    expect(r.json.lastHolder).to.include({ companyId: api.ids.dealer, kind: "distributor" });
    expect((await api.call("GET", `/api/v1/counterfeit-reports/${ids[0]}/evidence`, OPERATOR)).status).to.equal(200);
    expect((await api.call("GET", `/api/v1/counterfeit-reports/${ids[0]}/evidence`, maker2)).status).to.equal(404);
    expect((await api.call("GET", `/api/v1/counterfeit-reports/${ids[0]}/evidence`, api.keys.dealer!)).status).to.equal(
      403,
    );
  });

  it("shows repeat places, sellers and serials to the brand owner and the platform, nothing to another brand", async () => {
    const r = await api.call("GET", "/api/v1/counterfeit-reports/repeats?days=30", api.keys.maker!);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.reportsConsidered).to.equal(4);
    expect(r.json.locations).to.have.length(1);
    expect(r.json.locations[0]).to.include({ reports: 3, serials: 1 });
    expect(r.json.locations[0].location).to.deep.equal({ lng: 113.26, lat: 23.13 });
    expect(r.json.sellers).to.deep.equal([
      { companyId: api.ids.dealer, name: "杭州汽配城经销商有限公司", kind: "distributor", reports: 3, serials: 1 },
    ]);
    expect(r.json.serials).to.deep.equal([{ gtin: GTIN, serial: copied, reports: 3, places: 1 }]);
    const platform = await api.call("GET", "/api/v1/counterfeit-reports/repeats", OPERATOR);
    expect(platform.json.reportsConsidered).to.equal(4);
    const foreign = await api.call("GET", "/api/v1/counterfeit-reports/repeats", maker2);
    expect(foreign.json).to.deep.equal({ reportsConsidered: 0, locations: [], sellers: [], serials: [] });
  });
});
