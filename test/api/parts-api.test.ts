import { expect } from "chai";
import { AI21_PATTERN } from "../../ledger-service/src/gs1/serial.js";
import jsqrModule from "jsqr";
import { PNG } from "pngjs";
import { labelPublicKey, labelSignedBy } from "../../ledger-service/src/events/label-signature.js";
import { parseDigitalLink } from "../../ledger-service/src/gs1/digital-link.js";
import { makeProvider, verifyBundle, type Bundle } from "../../ledger-service/src/index.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

// jsqr is CommonJS: its function is the module itself at run time, `default` in its types.
const jsQR: typeof jsqrModule.default =
  (jsqrModule as unknown as { default?: typeof jsqrModule.default }).default ??
  (jsqrModule as unknown as typeof jsqrModule.default);

describe("HTTP API: companies, minting, receiving, installing", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let base: string;
  let keys: Record<string, string>;
  const call = (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => api.call(method, `/api/v1${path}`, token, body, headers);
  const events = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    base = `${api.origin}/api/v1`;
    keys = api.keys;
    expect(keys.maker).to.match(/^pl_/);
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  it("registers companies with a validated 统一社会信用代码 and hands out a key that authenticates", async () => {
    const bad = await call("POST", "/companies", OPERATOR, {
      name: "坏代码公司",
      uscc: "91320505MA1MXXX0AZ",
      kind: "manufacturer",
      regionCode: "320505",
      location: { lng: 120.5, lat: 31.3 },
    });
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal("ORG.INVALID_USCC");
    expect(bad.json.field).to.equal("uscc");
    const dup = await call("POST", "/companies", OPERATOR, {
      name: "重复",
      uscc: uscc("91320505MA1MXXX0A"),
      kind: "manufacturer",
      regionCode: "320505",
      location: { lng: 120.5, lat: 31.3 },
    });
    expect(dup.status).to.equal(409);
    const me = await call("GET", "/companies/me", keys.maker!);
    expect(me.status).to.equal(200);
    expect(me.json.kind).to.equal("manufacturer");
    expect(me.json).not.to.have.property("apiKey");
    expect((await call("GET", "/companies/me", "pl_not-a-real-key-000000000000")).status).to.equal(401);
    const notOperator = await call("POST", "/companies", keys.maker!, { name: "x" });
    expect(notOperator.status).to.equal(403); // companies cannot register companies
    expect(notOperator.json.needs).to.equal("company:create");
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
    const other = await call(
      "POST",
      "/mint",
      keys.maker!,
      { ...body, count: 26 },
      { "idempotency-key": "mint-0001-abcdef" },
    );
    expect(other.status).to.equal(422);
    expect(other.json.code).to.equal("IDEMPOTENCY.KEY_REUSED");
    expect(await events()).to.equal(before);
  });

  it("names the GTIN's product for its owner only", async () => {
    const ok = await call("POST", "/mint", keys.maker!, {
      gtin: GTIN,
      lot: "L-P",
      productionDate: "2026-11-20",
      count: 1,
      product: { brand: "BOSCH", name: "前刹车片" },
    });
    expect(ok.status).to.equal(201);
    const other = await call("POST", "/companies", OPERATOR, {
      name: "仿冒品牌公司",
      uscc: uscc("91440300MA5G00005"),
      kind: "manufacturer",
      regionCode: "440300",
      location: { lng: 114.05, lat: 22.54 },
    });
    const before = await events();
    const stolen = await call("POST", "/mint", other.json.apiKey, {
      gtin: GTIN,
      lot: "L-X",
      productionDate: "2026-11-20",
      count: 5,
      product: { brand: "BOSCH", name: "假刹车片" },
    });
    expect(stolen.status).to.equal(403);
    expect(stolen.json.code).to.equal("GS1.GTIN_NOT_YOURS"); // the GTIN is under the maker's verified prefix (test/security/gs1-prefixes)
    expect(await events()).to.equal(before); // the mint rolled back with the refused product name
  });

  it("answers bad mint requests with a code, never a 500, and changes nothing", async () => {
    const before = await events();
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [
        { gtin: GTIN.slice(0, 13) + ((Number(GTIN[13]) + 1) % 10), lot: "L1", productionDate: "2026-11-20", count: 1 },
        "GS1.INVALID_GTIN",
        400,
      ],
      [{ gtin: GTIN, lot: "L1", productionDate: "2026-11-20", count: 10_001 }, "REQUEST.INVALID", 400],
      [{ gtin: GTIN, lot: "L1", productionDate: "2026-02-30", count: 1 }, "PARTS.INVALID_DATE", 400],
      [{ gtin: GTIN, lot: "批次一", productionDate: "2026-11-20", count: 1 }, "GS1.INVALID_LOT", 400],
    ];
    for (const [body, code, status] of cases) {
      const r = await call("POST", "/mint", keys.maker!, body);
      expect(r.status, `${code}: ${JSON.stringify(r.json)}`).to.equal(status);
      expect(r.json.code).to.equal(code);
    }
    const shopMints = await call("POST", "/mint", keys.shop!, {
      gtin: GTIN,
      lot: "L1",
      productionDate: "2026-11-20",
      count: 1,
    });
    expect(shopMints.status).to.equal(403);
    expect(shopMints.json.code).to.equal("AUTH.FORBIDDEN");
    expect(await events()).to.equal(before);
  });

  it("receives a carton, installs one part into a VIN once, and serves a bundle that verifies", async () => {
    const mint = await call("POST", "/mint", keys.maker!, {
      gtin: GTIN,
      lot: "L7",
      productionDate: "2026-11-21",
      count: 12,
    });
    const parts = (mint.json.serials as string[]).map((serial) => ({ gtin: GTIN, serial }));
    expect((await call("POST", "/dispatches", keys.maker!, { to: api.ids.dealer, parts })).status).to.equal(201);
    const rec = await call("POST", "/receipts", keys.dealer!, { parts, locationId: "HZ-WH-3" });
    expect(rec.status).to.equal(201);
    expect(rec.json.received).to.equal(12);
    expect(
      (await call("POST", "/dispatches", keys.dealer!, { to: api.ids.shop, parts: parts.slice(0, 1) })).status,
    ).to.equal(201);
    expect((await call("POST", "/receipts", keys.shop!, { parts: parts.slice(0, 1) })).status).to.equal(201);
    const dealerInstalls = await call("POST", "/installations", keys.dealer!, { ...parts[0], vin: VIN });
    expect(dealerInstalls.status).to.equal(403);
    const badVin = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: "LSVAU2180N218329I" });
    expect(badVin.status).to.equal(400);
    expect(badVin.json.code).to.equal("VIN.INVALID");
    // parts[1] went to the dealer, never to the shop: installing it is refused and writes nothing.
    const before = await events();
    const notReceived = await call("POST", "/installations", keys.shop!, { ...parts[1], vin: VIN });
    expect(notReceived.status).to.equal(409);
    expect(notReceived.json.code).to.equal("LEDGER.NOT_HOLDER");
    expect(notReceived.json.detail).to.contain("never received by");
    expect(await events()).to.equal(before);
    const ok = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: VIN });
    expect(ok.status).to.equal(201);
    const twice = await call("POST", "/installations", keys.shop!, { ...parts[0], vin: VIN });
    expect(twice.status).to.equal(409);
    expect(twice.json.code).to.equal("LEDGER.STAGE_OUT_OF_ORDER");
    const unknown = await call("POST", "/receipts", keys.dealer!, {
      parts: [{ gtin: GTIN, serial: "NEVERISSUED00001" }],
    });
    expect(unknown.status).to.equal(409);
    await stack.svc.worker.runUntilFinal();
    const bundle = (await (await fetch(`${base}/parts/${GTIN}/${parts[0]!.serial}/bundle`)).json()) as Bundle;
    const steps = ["commissioning", "shipping", "receiving", "shipping", "receiving", "installing"];
    expect(bundle.events.map((e) => e.event.bizStep)).to.deep.equal(steps);
    const provider = makeProvider(shared.chainUrl);
    const report = await verifyBundle(bundle, provider, await stack.svc.trustAnchor());
    expect(report.failure).to.equal(null);
    provider.destroy();
    // Each company as the platform registered it: name, 统一社会信用代码 and chain address, attested by the platform.
    const maker = (await call("GET", "/companies/me", keys.maker!)).json;
    const attested = bundle.actors.find((a) => a.address === maker.address);
    expect(attested).to.deep.equal({
      address: maker.address,
      name: maker.name,
      uscc: maker.uscc,
      kind: "manufacturer",
      attestedBy: "platform",
    });
    expect(bundle.actors).to.have.length(3);
    expect(report.actors).to.deep.equal(bundle.actors);
  });

  describe("QR labels", () => {
    let run: Record<string, any>;
    before(async () => {
      run = (
        await call("POST", "/mint", keys.maker!, { gtin: GTIN, lot: "L-QR", productionDate: "2026-11-22", count: 30 })
      ).json;
    });
    const get = (path: string, token: string) => fetch(base + path, { headers: { authorization: `Bearer ${token}` } });

    it("a PNG QR code decodes back to the signed Digital Link URI, and the signature recovers the manufacturer", async () => {
      const serial = run.serials[3] as string;
      const res = await get(`/parts/${GTIN}/${serial}/label.png`, keys.maker!);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("image/png");
      const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
      const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(code, "QR decoded").to.not.equal(null);
      const uri = new URL(code!.data);
      expect(`${uri.origin}${uri.pathname}`).to.equal(`https://pl.example.cn/01/${GTIN}/21/${serial}`);
      expect(uri.searchParams.get("10")).to.equal("L-QR");
      const link = parseDigitalLink(GTIN, serial, Object.fromEntries(uri.searchParams));
      const me = (await call("GET", "/companies/me", keys.maker!)).json;
      expect(me.labelPublicKey).to.match(/^[A-Za-z0-9_-]{43}$/);
      const makerKey = labelPublicKey(me.labelPublicKey); // what an offline checker holds
      expect(labelSignedBy(link, makerKey)).to.equal(true);
      // The same signature on another serial (a code never issued) does not verify.
      expect(labelSignedBy({ ...link, serial: "FORGED0000000001" }, makerKey)).to.equal(false);
      const otherKey = (await stack.svc.actors.labelKeysOf("dealer"))!.publicKey;
      expect(labelSignedBy(link, otherKey)).to.equal(false);
    });

    it("serves SVG, and an A4 PDF sheet of the whole run (24 labels a page, a CJK font subset embedded)", async () => {
      const svg = await get(`/parts/${GTIN}/${run.serials[0]}/label.svg`, keys.maker!);
      expect(svg.headers.get("content-type")).to.contain("image/svg+xml");
      expect(await svg.text()).to.contain("<svg");
      const pdf = await get(`/mint/${run.runId}/labels.pdf`, keys.maker!);
      expect(pdf.status).to.equal(200);
      const text = Buffer.from(await pdf.arrayBuffer()).toString("latin1");
      expect(text.startsWith("%PDF-1.4")).to.equal(true);
      expect(text).to.contain("/Count 2");
      expect(text).to.contain("+NotoSansHans-Regular"); // a subset of the CJK font, embedded (the text: labels-pdf.test.ts)
      expect(text.trimEnd().endsWith("%%EOF")).to.equal(true);
    });

    it("prints labels only for the manufacturer that minted the part", async () => {
      expect((await get(`/parts/${GTIN}/${run.serials[0]}/label.png`, keys.dealer!)).status).to.equal(403);
      const other = await call("POST", "/companies", OPERATOR, {
        name: "另一家制造商",
        uscc: uscc("91310115MA1K00003"),
        kind: "manufacturer",
        regionCode: "310115",
        location: { lng: 121.5, lat: 31.2 },
      });
      expect((await get(`/parts/${GTIN}/${run.serials[0]}/label.png`, other.json.apiKey)).status).to.equal(404);
      expect((await get(`/mint/${run.runId}/labels.pdf`, other.json.apiKey)).status).to.equal(404);
    });
  });
});
