import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { OPERATOR, PUBLIC_BASE, startApi, uscc } from "../helpers/app.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/** Issue 19, item 2: a GTIN belongs to the owner of its GS1 company prefix; minting and brand names follow it. */
describe("GS1 company prefixes: who may mint a GTIN, and whose brand a scan names @smoke", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let copier: { id: string; key: string };
  const mint = (key: string, gtin: string, product?: { brand: string; name: string }) =>
    api.call("POST", "/api/v1/mint", key, {
      gtin,
      lot: "L-GS1",
      productionDate: "2026-11-20",
      count: 2,
      ...(product ? { product } : {}),
    });
  const file = (key: string, prefix: string, licenceRef = `GS1CN-${prefix}`) =>
    api.call("POST", "/api/v1/gs1-prefixes", key, { prefix, licenceRef });
  const events = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack); // the maker owns 6901234 (test/helpers/app.ts)
    const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "仿冒配件制造有限公司",
      uscc: uscc("91440300MA5G00005"),
      kind: "manufacturer",
      regionCode: "440300",
      location: { lng: 114.05, lat: 22.54 },
    });
    copier = { id: r.json.id, key: r.json.apiKey };
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("refuses manufacturer B minting under A's GTIN, and B minting before its own prefix is verified", async () => {
    const before = await events();
    const unverified = await mint(copier.key, gtin14("0693000000001"));
    expect([unverified.status, unverified.json.code]).to.deep.equal([403, "GS1.PREFIX_NOT_VERIFIED"]);
    // B's own prefix, verified, does not make A's GTIN B's
    const own = await file(copier.key, "6940001");
    expect(own.status, JSON.stringify(own.json)).to.equal(201);
    expect(
      (await api.call("POST", `/api/v1/gs1-prefixes/${own.json.id}/verify`, OPERATOR, { licenceRef: "GS1CN-6940001" }))
        .json.status,
    ).to.equal("verified");
    const stolen = await mint(copier.key, GTIN, { brand: "BOSCH", name: "假刹车片" });
    expect([stolen.status, stolen.json.code]).to.deep.equal([403, "GS1.GTIN_NOT_YOURS"]);
    expect(stolen.json.detail).to.include("6901234");
    const bare = await mint(copier.key, GTIN);
    expect([bare.status, bare.json.code]).to.deep.equal([403, "GS1.GTIN_NOT_YOURS"]);
    // a GTIN-14 with another indicator digit is under the same company prefix
    const carton = await mint(copier.key, gtin14("3690123456789"));
    expect(carton.json.code).to.equal("GS1.GTIN_NOT_YOURS");
    expect(await events()).to.equal(before);
    // B mints under its own prefix; A may not
    expect((await mint(copier.key, gtin14("0694000112345"))).status).to.equal(201);
    expect((await mint(api.keys.maker!, gtin14("0694000112345"))).json.code).to.equal("GS1.GTIN_NOT_YOURS");
  });

  it("one verified owner per prefix: no overlap with another company's (longest prefix), licence checked, reserved ranges refused", async () => {
    // overlapping A's verified 6901234, shorter or longer
    for (const p of ["690123", "69012345", "690123456789"]) {
      const r = await file(copier.key, p);
      expect([r.status, r.json.code], p).to.deep.equal([409, "GS1.PREFIX_TAKEN"]);
    }
    // two pending claims of one prefix: the first verified wins, the second is refused at verification
    const a = await file(api.keys.maker!, "6955555");
    const b = await file(copier.key, "695555");
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    const wrongRef = await api.call("POST", `/api/v1/gs1-prefixes/${a.json.id}/verify`, OPERATOR, {
      licenceRef: "GS1CN-0000",
    });
    expect([wrongRef.status, wrongRef.json.code]).to.deep.equal([409, "GS1.LICENCE_MISMATCH"]);
    expect(
      (await api.call("POST", `/api/v1/gs1-prefixes/${a.json.id}/verify`, OPERATOR, { licenceRef: "GS1CN-6955555" }))
        .json.status,
    ).to.equal("verified");
    const lost = await api.call("POST", `/api/v1/gs1-prefixes/${b.json.id}/verify`, OPERATOR, {
      licenceRef: "GS1CN-695555",
    });
    expect([lost.status, lost.json.code]).to.deep.equal([409, "GS1.PREFIX_TAKEN"]);
    const rejected = await api.call("POST", `/api/v1/gs1-prefixes/${b.json.id}/reject`, OPERATOR, {
      reason: "overlaps 6955555 (GS1 China: licensed to another member)",
    });
    expect(rejected.json.status).to.equal("rejected");
    // only the platform verifies; a company sees its own prefixes only
    expect(
      (
        await api.call("POST", `/api/v1/gs1-prefixes/${a.json.id}/verify`, api.keys.maker!, {
          licenceRef: "GS1CN-6955555",
        })
      ).json.needs,
    ).to.equal("gs1_prefix:approve");
    const mine = (await api.call("GET", "/api/v1/gs1-prefixes", copier.key)).json.prefixes;
    expect(mine.every((p: { companyId: string }) => p.companyId === copier.id)).to.equal(true);
    const queue = (await api.call("GET", "/api/v1/gs1-prefixes?status=verified", OPERATOR)).json.prefixes.map(
      (p: { prefix: string }) => p.prefix,
    );
    expect(queue).to.include.members(["6901234", "6955555", "6940001"]);
    // not company prefixes: bad length, restricted circulation, ISBN, coupons
    const bad: Array<[string, string]> = [
      ["69012", "GS1.INVALID_PREFIX"],
      ["6901234567890", "GS1.INVALID_PREFIX"],
      ["690A234", "GS1.INVALID_PREFIX"],
      ["2012345", "GS1.PREFIX_RESERVED"],
      ["9781234", "GS1.PREFIX_RESERVED"],
      ["0000012", "GS1.PREFIX_RESERVED"],
      ["9912345", "GS1.PREFIX_RESERVED"],
    ];
    for (const [p, code] of bad) expect((await file(copier.key, p)).json.code, p).to.equal(code);
    const log = await auditTrail.query(stack.svc.db.sql, {
      companyId: copier.id,
      action: "gs1_prefix.reject",
      limit: 10,
    });
    expect(log).to.have.length(1);
  });

  it("the scan names the brand owner only when the minting company owns the GTIN's prefix", async () => {
    const run = await mint(api.keys.maker!, GTIN, { brand: "BOSCH 博世", name: "前刹车片" });
    expect(run.status).to.equal(201);
    const { LabelsService } = await import("../../api/src/modules/labels/labels.service.js");
    const me = (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json;
    const uri = await new LabelsService(stack.svc, PUBLIC_BASE).uriFor(me as never, GTIN, run.json.serials[0]);
    const scan = async () =>
      (await (
        await fetch(uri.replace(PUBLIC_BASE, api.origin), { headers: { accept: "application/json" } })
      ).json()) as Record<string, any>;
    expect((await scan()).part).to.include({
      manufacturer: me.name,
      brandOwner: me.name,
      brand: "BOSCH 博世",
      name: "前刹车片",
    });
    // a part minted before the prefix rule by a company that does not own the prefix (here: its verification undone)
    await stack.svc.db.sql.query("UPDATE gs1_prefixes SET status = 'rejected' WHERE prefix = '6901234'");
    const legacy = await scan();
    expect(legacy.part).to.include({ manufacturer: me.name, brandOwner: null, brand: null, name: null });
    const page = await (await fetch(uri.replace(PUBLIC_BASE, api.origin))).text();
    expect(page).to.include("未核验").and.not.to.include("BOSCH");
    await stack.svc.db.sql.query("UPDATE gs1_prefixes SET status = 'verified' WHERE prefix = '6901234'");
  });
});
