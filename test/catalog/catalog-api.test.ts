import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { normaliseNumber } from "../../api/src/modules/catalog/numbers.js";
import { decodeVin, modelYearOf } from "../../api/src/modules/catalog/vin.js";
import { csvLines, generateCatalog, OUTSIDE_BRANDS, type GenSku } from "../../scripts/lib/catalog-generator.js";
import { gtin14, vinWithCheck } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

const TYPES = new Set(["oil_filter", "brake_pad", "headlamp", "wiper_blade", "spark_plug"]);

describe("catalog: import, search, VIN lookup and price comparison @smoke", function () {
  this.timeout(180_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const skus: GenSku[] = [];
  const upload = (kind: string, body: string | Uint8Array<ArrayBuffer>, type = "text/csv", key?: string) =>
    fetch(`${api.origin}/api/v1/catalog/imports/${kind}`, {
      method: "POST",
      headers: { "content-type": type, authorization: `Bearer ${key ?? api.keys.maker}` },
      body,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));
  const search = (q: string, extra = "") =>
    api.call("GET", `/api/v1/catalog/search?q=${encodeURIComponent(q)}${extra}`, api.keys.shop!);

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    // Without the generator's outside brands: matching would take their rows for supplier SKUs to examine first
    // (test/catalog/search-vocabulary.test.ts searches them).
    const outside = new Set(OUTSIDE_BRANDS.map((b) => b.name));
    generateCatalog({ seed: 7, onSku: (s) => TYPES.has(s.partType) && !outside.has(s.brand) && skus.push(s) });
    const l = csvLines();
    const files = {
      skus: [l.skusHeader, ...skus.map(l.sku)].join("\n"),
      crossrefs: [l.crossrefsHeader, ...skus.flatMap(l.crossrefs)].join("\n"),
      fitments: [l.fitmentsHeader, ...skus.flatMap(l.fitments)].join("\n"),
    };
    for (const [kind, body] of Object.entries(files)) {
      const r = await upload(kind, body);
      expect(r.status, JSON.stringify(r.json).slice(0, 500)).to.equal(200);
      expect(r.json.rowsBad, JSON.stringify(r.json.errors?.slice(0, 3))).to.equal(0);
    }
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("imports idempotently: the same file again changes no counts", async () => {
    const count = async () =>
      (
        await stack.svc.db.sql.query<{ s: number; n: number; f: number }>(
          "SELECT (SELECT count(*) FROM catalog_skus)::int AS s, (SELECT count(*) FROM catalog_numbers)::int AS n, (SELECT count(*) FROM catalog_fitments)::int AS f",
        )
      ).rows[0]!;
    const before = await count();
    expect(before.s).to.equal(skus.length);
    const l = csvLines();
    const again = await upload("skus", [l.skusHeader, ...skus.slice(0, 500).map(l.sku)].join("\n"));
    expect(again.json.rowsOk).to.equal(500);
    expect(await count()).to.deep.equal(before);
  });

  it("reports every bad row with line, field and reason while the good rows commit; refuses broken encodings and missing columns", async () => {
    const csv = [
      "brand,partNo,name,partType,kind,position,material,oeNumbers,gtin",
      "bosch,0 986 AF0 999,机油滤清器,oil_filter,aftermarket,,,06J115403Q,",
      "bosch,0 986 AF0 998,,oil_filter,aftermarket,,,,",
      "bosch,0 986 AF0 997,机油滤清器,滤油器,aftermarket,,,,",
      "bosch,0 986 AF0 996,机油滤清器,机滤,原厂,,,,06901234567891",
      `bosch,"0 986, AF0 995",机油滤清器,oil_filter,aftermarket,,,,`,
      "bosch,0 986 AF0 994,机油滤清器,oil_filter,aftermarket,上,,,",
      "bosch,0 986 AF0 993,机油滤清器,机油滤芯,品牌,,,,",
    ].join("\n");
    const r = await upload("skus", csv);
    expect(r.status).to.equal(200);
    expect(r.json.rowsOk).to.equal(2);
    expect(r.json.errors.map((e: { line: number; field: string }) => [e.line, e.field])).to.deep.equal([
      [3, "name"],
      [4, "partType"],
      [5, "gtin"],
      [6, "partNo"],
      [7, "position"],
    ]);
    expect(r.json.errors[2].reason).to.include("check digit");
    const missing = await upload("skus", "brand,partNo,name\nbosch,1,x\n");
    expect([missing.status, missing.json.failure]).to.satisfy(
      ([s, f]: [number, string]) => s === 422 && f.includes("missing column(s) partType, kind"),
    );
    const gbk = new Uint8Array(
      Buffer.concat([
        Buffer.from("brand,partNo,name,partType,kind\nbosch,X12345,"),
        Buffer.from([0xbb, 0xfa, 0xc2, 0xcb]),
        Buffer.from(",oil_filter,aftermarket\n"),
      ]),
    );
    const enc = await upload("skus", gbk);
    expect(enc.status).to.equal(422);
    expect(enc.json.failure).to.include("not valid UTF-8");
    const jsonl = await upload(
      "skus",
      [
        '{"brand":"mann","partNo":"W 719/30","name":"机油滤清器","partType":"oil_filter","kind":"aftermarket","attributes":{"thread":"3/4-16 UNF"}}',
        "{not json",
        '["x"]',
      ].join("\n"),
      "application/x-ndjson",
    );
    expect([jsonl.json.rowsOk, jsonl.json.rowsBad]).to.deep.equal([1, 2]);
    const job = await api.call("GET", `/api/v1/catalog/imports/${jsonl.json.id}`, api.keys.maker!);
    expect(job.json).to.include({ status: "done", rowsOk: 1, rowsBad: 2 });
    expect((await api.call("GET", `/api/v1/catalog/imports/${jsonl.json.id}`, api.keys.dealer!)).status).to.equal(404);
    expect((await upload("skus", csv, "text/csv", api.keys.shop)).status).to.equal(403);
  });

  it("imports a large file in the background: 202 with the job's id at once, progress readable until done", async () => {
    const l = csvLines();
    const body = [l.crossrefsHeader, ...skus.flatMap(l.crossrefs)].join("\n");
    const res = await fetch(`${api.origin}/api/v1/catalog/imports/crossrefs?async=true`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
      body,
    });
    expect(res.status).to.equal(202);
    const job = (await res.json()) as { id: string; status: string };
    expect(res.headers.get("location")).to.equal(`/api/v1/catalog/imports/${job.id}`);
    let seen: Record<string, any> = {};
    for (let i = 0; i < 200 && seen.status !== "done"; i++) {
      seen = (await api.call("GET", `/api/v1/catalog/imports/${job.id}`, api.keys.maker!)).json;
      if (seen.status !== "done") await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).to.include({ status: "done", rowsOk: skus.flatMap(l.crossrefs).length, rowsBad: 0 });
    expect(seen.bytesDone).to.equal(Buffer.byteLength(body));
  });

  it("reports an import whose process died as interrupted, not running forever", async () => {
    await stack.svc.db.sql.query(
      "INSERT INTO catalog_imports (id, company_id, kind, format, status, rows_ok, heartbeat_at) VALUES ('imp_00000000000000aa', $1, 'skus', 'csv', 'running', 5000, now() - interval '10 minutes')",
      [api.ids.maker],
    );
    const job = await api.call("GET", "/api/v1/catalog/imports/imp_00000000000000aa", api.keys.maker!);
    expect(job.json).to.include({ status: "failed", rowsOk: 5000 });
    expect(job.json.failure).to.include("import the file again");
  });

  it("finds a part by any of its numbers in any formatting, and by a number one character off", async () => {
    const after = skus.find(
      (s) => s.kind === "aftermarket" && s.partType === "oil_filter" && s.competitors.length > 0,
    )!;
    const oe = after.oeNumbers[0]!;
    for (const q of [oe, oe.toLowerCase(), oe.replace(/[\s-]/g, ""), oe.replace(/[\s-]/g, ".")]) {
      const r = await search(q);
      expect(r.json.understood.numbers, q).to.deep.equal([normaliseNumber(oe)]);
      const brands = r.json.results.map((x: { brand: string }) => x.brand);
      expect(brands, q).to.include(after.brand);
      expect(r.json.results[0].kind).to.equal("oe");
    }
    const genuine = await search(skus.find((s) => s.kind === "oe" && s.partType === "brake_pad")!.partNo.toLowerCase());
    expect(genuine.json.results[0].kind, "the genuine part first when its own number is asked").to.equal("oe");
    // Brands as people read them, not ids: a listed brand by its Chinese name, a make's genuine parts as 原厂.
    expect(genuine.json.results[0].brandName).to.match(/^\p{Script=Han}+原厂$/u);
    expect(genuine.json.results[0].brandName).to.not.equal(genuine.json.results[0].brand);
    const byBrandNo = await search(after.partNo);
    expect(byBrandNo.json.results[0]).to.include({ brand: after.brand, partNo: after.partNo });
    const competitor = await search(after.competitors[0]!.number);
    expect(competitor.json.results.map((x: { partNo: string }) => x.partNo)).to.include(after.partNo);
    const n = normaliseNumber(oe);
    const typo = n.slice(0, n.length - 3) + (n[n.length - 3] === "7" ? "8" : "7") + n.slice(-2);
    const fuzzy = await search(typo);
    expect(fuzzy.json.results.map((x: { brand: string }) => x.brand)).to.include(after.brand);
  });

  it("understands Chinese names, synonyms and vehicle + part, with filters and facets", async () => {
    const passat = await search("帕萨特 前刹车片");
    expect(passat.json.understood).to.deep.include({ series: ["帕萨特"], partType: "brake_pad", position: "前" });
    expect(passat.json.results.length).to.be.greaterThan(0);
    for (const r of passat.json.results) {
      expect(r.partType).to.equal("brake_pad");
      expect(r.position).to.equal("前");
      expect(r.fits.join(" ")).to.include("帕萨特");
    }
    const nospace = await search("帕萨特前大灯");
    expect(nospace.json.understood).to.deep.include({ series: ["帕萨特"], partType: "headlamp" });
    const corolla = await search("卡罗拉 2019 机油滤");
    expect(corolla.json.understood).to.deep.include({ series: ["卡罗拉"], year: 2019, partType: "oil_filter" });
    expect(
      corolla.json.results.every((r: { fits: string[] }) => r.fits.some((f) => /卡罗拉 2019-2025/.test(f))),
    ).to.equal(true);
    const synonym = await search("制动片");
    const plain = await search("刹车片");
    expect(synonym.json.total).to.equal(plain.json.total);
    expect((await search("雨刷")).json.understood.partType).to.equal("wiper_blade");
    expect((await search("大灯总成")).json.understood.partType).to.equal("headlamp");
    const typo = await search("帕萨持 刹车偏");
    expect(typo.json.understood).to.deep.include({ series: ["帕萨特"], partType: "brake_pad" });
    expect(typo.json.understood.corrected.length).to.equal(2);
    const bosch = await search("刹车片", "&brand=bosch&limit=50");
    expect(bosch.json.results.every((r: { brand: string }) => r.brand === "bosch")).to.equal(true);
    expect(bosch.json.facets.brand).to.deep.equal([{ value: "bosch", count: bosch.json.total }]);
    const oeOnly = await search("帕萨特 机滤", "&kind=oe");
    expect(oeOnly.json.results.every((r: { kind: string }) => r.kind === "oe")).to.equal(true);
    const cat = await search("帕萨特", "&category=brakes&limit=50");
    expect(cat.json.results.every((r: { partType: string }) => r.partType === "brake_pad")).to.equal(true);
    const logged = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM catalog_searches WHERE company_id = $1",
      [api.ids.shop],
    );
    expect(logged.rows[0]!.n).to.be.greaterThan(10);
  });

  it("decodes a VIN and narrows results to what fits", async () => {
    expect(modelYearOf("L", new Date("2026-01-01"))).to.equal(2020);
    expect(modelYearOf("A", new Date("2026-01-01"))).to.equal(2010);
    const vin = vinWithCheck("LSVAU2180N2183294"); // SAIC-Volkswagen, model year N = 2022
    const d = await api.call("GET", `/api/v1/catalog/vin/${vin}`, api.keys.shop!);
    expect(d.json).to.include({ wmi: "LSV", manufacturer: "上汽大众", modelYear: 2022, country: "中国" });
    const r = await api.call(
      "GET",
      `/api/v1/catalog/search?vin=${vin}&q=${encodeURIComponent("机油滤清器")}`,
      api.keys.shop!,
    );
    expect(r.json.results.length).to.be.greaterThan(0);
    for (const x of r.json.results)
      expect(x.fits.some((f: string) => /^(帕萨特|朗逸|途观|桑塔纳|POLO)/.test(f))).to.equal(true);
    expect(decodeVin("1HGCM82633A004352").make).to.equal("HONDA");
    const bad = await api.call("GET", "/api/v1/catalog/vin/LSVAU2180N2183295", api.keys.shop!);
    expect([bad.status, bad.json.code]).to.deep.equal([400, "VIN.INVALID"]);
  });

  it("compares offers within a radius, sortable, with customer prices and hidden customers-only offers", async () => {
    const dealer = api.keys.dealer!;
    const pad = skus.find((s) => s.kind === "aftermarket" && s.partType === "brake_pad")!;
    const shopSite = { lng: 120.13, lat: 30.26 };
    const sites = [
      { code: "HZ-1", lng: 120.14, lat: 30.265, price: "310.00" }, // ~1.1 km
      { code: "HZ-2", lng: 120.15, lat: 30.27, price: "289.50" }, // ~2.2 km
      { code: "HZ-FAR", lng: 120.3, lat: 30.3, price: "199.00" }, // ~17 km
    ];
    for (const s of sites)
      expect(
        (
          await api.call("POST", "/api/v1/suppliers/locations", dealer, {
            code: s.code,
            name: `仓库${s.code}`,
            regionCode: "330106",
            location: { lng: s.lng, lat: s.lat },
          })
        ).status,
      ).to.equal(201);
    const offers = [
      "location,brand,partNo,price,stock,visibility",
      ...sites.map((s) => `${s.code},${pad.brand},${pad.partNo},${s.price},12,public`),
      `HZ-1,${pad.brand},${pad.partNo},1,1,secret`,
      `NOPE,${pad.brand},${pad.partNo},1,1,public`,
    ].join("\n");
    const imp = await upload("offers", offers, "text/csv", dealer);
    expect(imp.json.rowsOk).to.equal(3);
    expect(imp.json.errors.map((e: { field: string }) => e.field)).to.deep.equal(["visibility", "location"]);
    const id = (await search(pad.partNo)).json.results[0].id;
    const near = await api.call(
      "GET",
      `/api/v1/catalog/skus/${id}/offers?lng=${shopSite.lng}&lat=${shopSite.lat}`,
      api.keys.shop!,
    );
    expect(near.json.offers.map((o: { priceFen: number }) => o.priceFen)).to.deep.equal([28950, 31000]);
    expect(near.json.offers[0]).to.include({ stock: 12 });
    expect(near.json.offers[0].distanceMetres).to.be.within(1800, 2600);
    expect(near.json.offers[0].deliveryMinutes).to.be.greaterThan(30);
    const byDistance = await api.call("GET", `/api/v1/catalog/skus/${id}/offers?sort=distance`, api.keys.shop!); // defaults to the shop's own site
    expect(byDistance.json.offers[0].supplier.location).to.equal("仓库HZ-1");
    const wide = await api.call(
      "GET",
      `/api/v1/catalog/offers?number=${encodeURIComponent(pad.oeNumbers[0]!)}&radiusKm=30`,
      api.keys.shop!,
    );
    expect(wide.json.offers[0].priceFen).to.equal(19900);
    // a customer price and a customers-only offer
    await api.call("POST", "/api/v1/suppliers/customer-prices", dealer, {
      buyerId: api.ids.shop,
      skuId: id,
      price: 250,
    });
    const mine = await api.call("GET", `/api/v1/catalog/skus/${id}/offers`, api.keys.shop!);
    expect(
      mine.json.offers.every(
        (o: { priceFen: number; customerPrice: boolean }) => o.priceFen === 25000 && o.customerPrice,
      ),
    ).to.equal(true);
    for (const [q, field] of [
      ["radiusKm=-1", "radiusKm"],
      ["radiusKm=10000", "radiusKm"],
      ["lng=200&lat=30", "lng"],
      ["lng=120", "lat"],
    ] as const) {
      const bad = await api.call("GET", `/api/v1/catalog/skus/${id}/offers?${q}`, api.keys.shop!);
      expect(bad.status, q).to.equal(400);
      expect(bad.json.field).to.equal(field);
    }
  });

  it("matches supplier SKUs to master SKUs: confident ones merge, uncertain ones wait for review, and a merge undoes", async () => {
    const pad = skus.find(
      (s) => s.kind === "aftermarket" && s.brand === "bosch" && s.partType === "brake_pad" && s.fits.length > 0,
    )!;
    const oeSku = skus.find((s) => s.kind === "oe" && s.brand === "oe_volkswagen" && s.partType === "oil_filter")!;
    const twin = skus.find(
      (s) => s.kind === "aftermarket" && s.partType === "brake_pad" && s.brand !== "bosch" && s.fits.length > 0,
    )!;
    const supplierRows = [
      "brand,partNo,name,partType,kind,position,oeNumbers",
      `博世汽车配件商行,${pad.partNo.replace(/\s/g, "")},${pad.name},brake_pad,aftermarket,${pad.position},${pad.oeNumbers[0]}`, // Bosch's number under another brand name
      `大众原厂配件,${oeSku.partNo},机油滤清器,oil_filter,原厂,,`, // the genuine part's own number
      `杭州某汽配,HZ-BP-0001,${twin.name},brake_pad,aftermarket,${twin.position},${twin.oeNumbers[0]}`, // no shared number: only name + fitment
    ].join("\n");
    const imported = await upload("skus", supplierRows);
    expect(imported.json.rowsOk).to.equal(3);
    expect(imported.json.matching).to.deep.include({ merged: 2 });
    const fit = [
      "brand,partNo,make,maker,series,model,yearFrom,yearTo,engine",
      ...twin.fits.map((v) =>
        ["杭州某汽配", "HZ-BP-0001", v.make, v.maker, v.series, v.model, v.yearFrom, v.yearTo, v.engine].join(","),
      ),
    ].join("\n");
    expect((await upload("fitments", fit)).json.rowsOk).to.equal(twin.fits.length);
    const run = await api.call("POST", "/api/v1/catalog/matches/run", api.keys.maker!, {});
    expect(run.json).to.deep.include({ examined: 1, review: 1, merged: 0 });

    // The merged supplier SKU no longer shows on its own; its number finds the master.
    const found = await search(pad.partNo.replace(/\s/g, ""));
    expect(found.json.results[0]).to.include({ brand: "bosch", partNo: pad.partNo });
    expect(found.json.results.map((r: { brand: string }) => r.brand)).to.not.include("博世汽车配件商行");
    // Review is the platform's: a shop cannot see the queue.
    expect((await api.call("GET", "/api/v1/catalog/matches", api.keys.shop!)).status).to.equal(403);
    const queue = await api.call("GET", "/api/v1/catalog/matches", OPERATOR);
    const item = queue.json.matches.find(
      (m: { supplierSku: { partNo: string } }) => m.supplierSku.partNo === "HZ-BP-0001",
    );
    expect(item).to.deep.include({ method: "similarity", status: "review" });
    expect(item.confidence).to.be.within(0.6, 0.94);
    const merged = await api.call("POST", `/api/v1/catalog/matches/${item.id}/merge`, OPERATOR, {});
    expect(merged.json.status).to.equal("merged");
    expect((await api.call("POST", `/api/v1/catalog/matches/${item.id}/merge`, OPERATOR, {})).json.code).to.equal(
      "CATALOG.MATCH_DECIDED",
    );
    expect((await search("HZ-BP-0001")).json.results[0].id).to.equal(item.masterSku.id);
    const undone = await api.call("POST", `/api/v1/catalog/matches/${item.id}/undo`, OPERATOR, {});
    expect(undone.json.status).to.equal("undone");
    expect((await search("HZ-BP-0001")).json.results[0]).to.include({ id: item.supplierSku.id, partNo: "HZ-BP-0001" });
    expect((await api.call("POST", `/api/v1/catalog/matches/${item.id}/undo`, OPERATOR, {})).json.code).to.equal(
      "CATALOG.NOT_MERGED",
    );
    for (const action of ["catalog.merge", "catalog.merge_undo"]) {
      expect(await auditTrail.query(stack.svc.db.sql, { action, limit: 10 }), action).to.have.length.greaterThan(0);
    }
  });

  it("links minted part identities to their catalogue SKU", async () => {
    const pad = skus.find((s) => s.kind === "aftermarket" && s.brand === "bosch" && s.partType === "brake_pad")!;
    const id = (await search(pad.partNo)).json.results[0].id as number;
    const gtin = gtin14("0690123456799");
    const mint = (skuId: number, key: string) =>
      api.call(
        "POST",
        "/api/v1/mint",
        api.keys.maker!,
        {
          gtin,
          lot: "L1",
          productionDate: "2026-11-20",
          count: 1,
          product: { brand: "BOSCH 博世", name: pad.name, skuId },
        },
        { "idempotency-key": key },
      );
    const unknown = await mint(99_999_999, "sku-unknown");
    expect([unknown.status, unknown.json.code, unknown.json.field]).to.deep.equal([
      404,
      "CATALOG.UNKNOWN_SKU",
      "product.skuId",
    ]);
    expect((await stack.svc.db.sql.query("SELECT 1 FROM products WHERE gtin = $1", [gtin])).rows).to.have.length(0);
    expect((await mint(id, "sku-known")).status).to.equal(201);
    const row = await stack.svc.db.sql.query<{ sku: number }>(
      "SELECT sku_id::int AS sku FROM products WHERE gtin = $1",
      [gtin],
    );
    expect(row.rows[0]!.sku).to.equal(id);
  });

  it("answers bad queries with a clear 400, never a 500", async () => {
    for (const [q, code] of [
      ["", "SEARCH.EMPTY_QUERY"],
      ["x".repeat(10_000), "REQUEST.INVALID"],
      ["  ", "SEARCH.EMPTY_QUERY"],
    ] as const) {
      const r = await api.call("GET", `/api/v1/catalog/search?q=${encodeURIComponent(q)}`, api.keys.shop!);
      expect([r.status, r.json.code], q.slice(0, 10)).to.deep.equal([400, code]);
    }
    for (const weird of ["' OR 1=1 --", "'; DROP TABLE catalog_skus; --", "&|!():*", "\\x00", "🚗🚗"]) {
      const r = await search(weird);
      expect(r.status, weird).to.equal(200);
    }
    expect((await api.call("GET", "/api/v1/catalog/search?q=x&category=nope", api.keys.shop!)).json.code).to.equal(
      "SEARCH.UNKNOWN_CATEGORY",
    );
  });
});
