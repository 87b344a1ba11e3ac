import type { Server } from "node:http";
import { expect } from "chai";
import { createApp } from "../../api/src/app.js";
import { usccCheckCharacter } from "../../api/src/modules/orgs/uscc.js";
import { AI21_PATTERN } from "../../ledger-service/src/gs1/serial.js";
import { makeProvider, verifyBundle, type Bundle } from "../../ledger-service/src/index.js";
import { shared } from "../helpers/shared.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

const OPERATOR = "test-operator-token-0123456789abcdef";
const uscc = (first17: string) => first17 + usccCheckCharacter(first17);

describe("HTTP API: companies, minting, receiving, installing", () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  const keys: Record<string, string> = {};
  const call = async (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const events = async () => (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;

  before(async () => {
    stack = await openStack();
    server = createApp({ ledger: stack.svc, chainUrl: shared.chainUrl, operatorToken: OPERATOR, log: () => undefined }).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
    const companies = [
      { key: "maker", name: "博世汽车部件(苏州)有限公司", uscc: uscc("91320505MA1MXXX0A"), kind: "manufacturer", regionCode: "320505", location: { lng: 120.57, lat: 31.30 } },
      { key: "dealer", name: "杭州汽配城经销商有限公司", uscc: uscc("91330104MA2B00001"), kind: "distributor", regionCode: "330104", location: { lng: 120.18, lat: 30.27 } },
      { key: "shop", name: "杭州西湖汽车修理厂", uscc: uscc("92330106MA2C00002"), kind: "repair_shop", regionCode: "330106", location: { lng: 120.13, lat: 30.26 } },
    ];
    for (const { key, ...c } of companies) {
      const r = await call("POST", "/companies", OPERATOR, c);
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      expect(r.json.apiKey).to.match(/^pl_/);
      keys[key] = r.json.apiKey;
    }
  });
  after(async () => {
    server.close();
    await stack.close();
  });

  it("registers companies with a validated 统一社会信用代码 and hands out a key that authenticates", async () => {
    const bad = await call("POST", "/companies", OPERATOR, { name: "坏代码公司", uscc: "91320505MA1MXXX0AZ", kind: "manufacturer", regionCode: "320505", location: { lng: 120.5, lat: 31.3 } });
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal("ORG.INVALID_USCC");
    expect(bad.json.field).to.equal("uscc");
    const dup = await call("POST", "/companies", OPERATOR, { name: "重复", uscc: uscc("91320505MA1MXXX0A"), kind: "manufacturer", regionCode: "320505", location: { lng: 120.5, lat: 31.3 } });
    expect(dup.status).to.equal(409);
    const me = await call("GET", "/companies/me", keys.maker!);
    expect(me.status).to.equal(200);
    expect(me.json.kind).to.equal("manufacturer");
    expect(me.json).not.to.have.property("apiKey");
    expect((await call("GET", "/companies/me", "pl_not-a-real-key-000000000000")).status).to.equal(401);
    expect((await call("POST", "/companies", keys.maker!, { name: "x" })).status).to.equal(401); // companies cannot register companies
  });

  it("mints unguessable serials, honours Idempotency-Key, and refuses a reused key with another body", async () => {
    const body = { gtin: GTIN, lot: "L2026-11", productionDate: "2026-11-20", count: 25 };
    const first = await call("POST", "/mint", keys.maker!, body, { "idempotency-key": "mint-0001-abcdef" });
    expect(first.status).to.equal(201);
    expect(first.json.serials).to.have.length(25);
    expect(new Set(first.json.serials).size).to.equal(25);
    for (const s of first.json.serials) expect(s).to.match(AI21_PATTERN).and.to.have.length(16);
    const before = await events();
    const again = await call("POST", "/mint", keys.maker!, body, { "idempotency-key": "mint-0001-abcdef" });
    expect(again.status).to.equal(201);
    expect(again.json).to.deep.equal(first.json);
    expect(await events()).to.equal(before);
    const other = await call("POST", "/mint", keys.maker!, { ...body, count: 26 }, { "idempotency-key": "mint-0001-abcdef" });
    expect(other.status).to.equal(422);
    expect(other.json.code).to.equal("IDEMPOTENCY.KEY_REUSED");
    expect(await events()).to.equal(before);
  });

  it("answers bad mint requests with a code, never a 500, and changes nothing", async () => {
    const before = await events();
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ gtin: GTIN.slice(0, 13) + ((Number(GTIN[13]) + 1) % 10), lot: "L1", productionDate: "2026-11-20", count: 1 }, "GS1.INVALID_GTIN", 400],
      [{ gtin: GTIN, lot: "L1", productionDate: "2026-11-20", count: 10_001 }, "REQUEST.INVALID", 400],
      [{ gtin: GTIN, lot: "L1", productionDate: "2026-02-30", count: 1 }, "PARTS.INVALID_DATE", 400],
      [{ gtin: GTIN, lot: "批次一", productionDate: "2026-11-20", count: 1 }, "GS1.INVALID_LOT", 400],
    ];
    for (const [body, code, status] of cases) {
      const r = await call("POST", "/mint", keys.maker!, body);
      expect(r.status, `${code}: ${JSON.stringify(r.json)}`).to.equal(status);
      expect(r.json.code).to.equal(code);
    }
    const shopMints = await call("POST", "/mint", keys.shop!, { gtin: GTIN, lot: "L1", productionDate: "2026-11-20", count: 1 });
    expect(shopMints.status).to.equal(403);
    expect(shopMints.json.code).to.equal("AUTH.FORBIDDEN");
    expect(await events()).to.equal(before);
  });

  it("receives a carton, installs one part into a VIN once, and serves a bundle that verifies", async () => {
    const mint = await call("POST", "/mint", keys.maker!, { gtin: GTIN, lot: "L7", productionDate: "2026-11-21", count: 12 });
    const parts = (mint.json.serials as string[]).map((serial) => ({ gtin: GTIN, serial }));
    const rec = await call("POST", "/receipts", keys.dealer!, { parts, locationId: "HZ-WH-3" });
    expect(rec.status).to.equal(201);
    expect(rec.json.received).to.equal(12);
    expect((await call("POST", "/receipts", keys.shop!, { parts: parts.slice(0, 1) })).status).to.equal(201);
    const dealerInstalls = await call("POST", "/installations", keys.dealer!, { ...parts[0], vin: VIN });
    expect(dealerInstalls.status).to.equal(403);
    const badVin = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: "LSVAU2180N218329I" });
    expect(badVin.status).to.equal(400);
    expect(badVin.json.code).to.equal("VIN.INVALID");
    const ok = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: VIN });
    expect(ok.status).to.equal(201);
    const twice = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: VIN });
    expect(twice.status).to.equal(409);
    expect(twice.json.code).to.equal("LEDGER.STAGE_OUT_OF_ORDER");
    const unknown = await call("POST", "/receipts", keys.dealer!, { parts: [{ gtin: GTIN, serial: "NEVERISSUED00001" }] });
    expect(unknown.status).to.equal(409);
    await stack.svc.worker.runUntilFinal();
    const bundle = (await (await fetch(`${base}/parts/${GTIN}/${parts[0]!.serial}/bundle`)).json()) as Bundle;
    expect(bundle.events.map((e) => e.event.bizStep)).to.deep.equal(["commissioning", "receiving", "receiving", "installing"]);
    const provider = makeProvider(shared.chainUrl);
    expect((await verifyBundle(bundle, provider)).failure).to.equal(null);
    provider.destroy();
  });
});
