import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { normaliseNumber } from "../../api/src/modules/catalog/numbers.js";
import { SearchService } from "../../api/src/modules/catalog/search.service.js";
import { csvLines, generateCatalog, OUTSIDE_BRANDS, type GenSku } from "../../scripts/lib/catalog-generator.js";
import { vinWithCheck } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

const TYPES = new Set(["oil_filter", "brake_pad", "headlamp", "shock_absorber", "bulb"]);

describe("catalog: search vocabulary as data, learned brands, VIN in the box, qualifiers, number typos (issue 13)", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const skus: GenSku[] = [];
  const search = async (q: string, extra = "") =>
    (await api.call("GET", `/api/v1/catalog/search?q=${encodeURIComponent(q)}${extra}`, api.keys.shop!)).json as {
      total: number;
      understood: Record<string, any>;
      results: Array<{
        brand: string;
        partType: string;
        partNo: string;
        kind: string;
        material: string;
        position: string | null;
        fits: string[];
      }>;
      didYouMean?: string[];
    };
  const upload = async (kind: string, body: string) => {
    const r = await fetch(`${api.origin}/api/v1/catalog/imports/${kind}`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
      body,
    });
    const json = (await r.json()) as { rowsBad: number; errors: unknown[] };
    expect(r.status, JSON.stringify(json).slice(0, 300)).to.equal(200);
    expect(json.rowsBad, JSON.stringify(json.errors?.slice(0, 3))).to.equal(0);
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    generateCatalog({ seed: 7, onSku: (s) => TYPES.has(s.partType) && skus.push(s) });
    const l = csvLines();
    await upload("skus", [l.skusHeader, ...skus.map(l.sku)].join("\n"));
    await upload("crossrefs", [l.crossrefsHeader, ...skus.flatMap(l.crossrefs)].join("\n"));
    await upload("fitments", [l.fitmentsHeader, ...skus.flatMap(l.fitments)].join("\n"));
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("learns every brand of an import: searchable by name, short name and pinyin at once; listed with its spellings", async () => {
    const brands = (await api.call("GET", "/api/v1/catalog/brands", api.keys.shop!)).json.brands as Array<{
      id: string;
      name: string;
      pinyin: string | null;
      initials: string | null;
      nameEn: string | null;
      skuCount: number;
    }>;
    for (const b of OUTSIDE_BRANDS) expect(brands.map((x) => x.id)).to.include(b.name.toLowerCase());
    // Listed for the catalogue team with the pinyin search answers to and the SKUs under each brand, most first.
    const wanxiang = brands.find((b) => b.id === "万向汽配")!;
    expect(wanxiang).to.deep.include({ pinyin: "wanxiangqipei", initials: "wxqp", nameEn: null });
    expect(wanxiang.skuCount).to.equal(skus.filter((s) => s.brand === "万向汽配").length);
    expect(brands.find((b) => b.id === "bosch")).to.deep.include({ nameEn: "Bosch", pinyin: "boshi" });
    expect(brands.map((b) => b.skuCount)).to.deep.equal([...brands.map((b) => b.skuCount)].sort((a, b) => b - a));
    expect(brands.reduce((n, b) => n + b.skuCount, 0)).to.equal(skus.length);
    for (const q of ["万向汽配 刹车片", "万向 刹车片", "wanxiang 刹车片"]) {
      const r = await search(q);
      expect(r.understood.brand, q).to.equal("万向汽配");
      expect(r.results.length, q).to.be.greaterThan(0);
      for (const x of r.results) expect([x.brand, x.partType], q).to.deep.equal(["万向汽配", "brake_pad"]);
    }
    const used = await search("老王 大灯");
    expect(used.results.every((x) => x.brand === "老王拆车件" && x.kind === "used")).to.equal(true);
  });

  it("narrows by a word it does not know and, when nothing matches, answers a did-you-mean instead of a top 10", async () => {
    const unknown = await search("兴华 刹车片");
    expect(unknown.understood).to.deep.include({ partType: "brake_pad", words: "兴华" });
    expect([unknown.total, unknown.results.length]).to.deep.equal([0, 0]);
    expect(unknown.didYouMean).to.be.an("array");
    const typo = await search("shachepain");
    expect(typo.total).to.equal(0);
    expect(typo.didYouMean).to.include("刹车片");
    expect((await search("帕萨特 刹车片")).didYouMean, "absent when something matched").to.equal(undefined);
  });

  it("narrows to a VIN typed anywhere in the box exactly as vin= does", async () => {
    const vin = vinWithCheck("LSVAU2180N2183294"); // SAIC-Volkswagen, 2022
    const byParam = (
      await api.call(
        "GET",
        `/api/v1/catalog/search?vin=${vin}&q=${encodeURIComponent("机滤")}&limit=50`,
        api.keys.shop!,
      )
    ).json as { results: Array<{ id: number }> };
    expect(byParam.results.length).to.be.greaterThan(0);
    for (const q of [`${vin} 机滤`, `机滤 ${vin.toLowerCase()}`, `${vin}机滤`]) {
      const r = await search(q, "&limit=50");
      expect(r.understood.vin, q).to.equal(vin);
      expect(
        r.results.map((x) => (x as unknown as { id: number }).id),
        q,
      ).to.deep.equal(byParam.results.map((x) => x.id));
    }
  });

  it("narrows by generation, engine and attribute words the data carries, and reports one it cannot apply", async () => {
    const b8 = await search("帕萨特B8 刹车片", "&limit=50");
    expect(b8.understood.qualifiers).to.deep.equal(["b8"]);
    expect(b8.results.length).to.be.greaterThan(0);
    for (const x of b8.results) expect(x.fits.some((f) => f.startsWith("帕萨特 2019-2025"))).to.equal(true);
    const all = await search("帕萨特 刹车片", "&limit=50");
    expect(all.total).to.be.greaterThan(b8.total);
    const engine = await search("帕萨特 2.0T 机滤", "&limit=50");
    expect(engine.results.length).to.be.greaterThan(0);
    for (const x of engine.results) expect(x.fits.every((f) => f.includes("2.0T"))).to.equal(true);
    const led = await search("速腾 LED 大灯", "&limit=50");
    expect(led.results.length).to.be.greaterThan(0);
    expect(led.results.every((x) => x.material === "LED" && x.partType === "headlamp")).to.equal(true);
    const glued = await search("帕萨特2019款刹车片");
    expect(glued.understood).to.deep.include({ series: ["帕萨特"], year: 2019, partType: "brake_pad" });
    const ignored = await search("帕萨特 十代 刹车片");
    expect(ignored.understood.ignoredQualifiers).to.deep.equal(["十代"]);
  });

  it("finds numbers one and two edits off, adjacent swaps included, the same answer every time", async () => {
    const pick = skus.find((s) => s.kind === "aftermarket" && s.partType === "brake_pad" && s.brand === "bosch")!;
    const n = normaliseNumber(pick.partNo);
    const swap = n.slice(0, 4) + n[5] + n[4] + n.slice(6);
    const two = n.slice(0, 3) + (n[3] === "1" ? "2" : "1") + n.slice(4, 8) + (n[8] === "1" ? "2" : "1") + n.slice(9);
    const dropped = n.slice(0, 5) + n.slice(6, -1) + (n.at(-1) === "1" ? "2" : "1");
    // A swap and a wrong last digit: two typing edits, three Levenshtein ones.
    const swapAndWrong = swap.slice(0, -1) + (n.at(-1) === "1" ? "2" : "1");
    for (const q of [swap, two, dropped, swapAndWrong]) {
      expect(q).to.not.equal(n);
      const r = await search(q);
      expect(
        r.results.map((x) => x.partNo),
        q,
      ).to.include(pick.partNo);
      if (q === swap)
        expect(r.results[0]!.partNo, `${q}: a swap is one edit: the nearest number first`).to.equal(pick.partNo);
      expect((await search(q)).results.map((x) => x.partNo)).to.deep.equal(r.results.map((x) => x.partNo));
    }
  });

  it("keeps synonyms as data: the catalogue team imports a CSV and edits rows; search uses them at once; others are refused", async () => {
    expect((await search("ｓｈｏｃｋｓ")).understood.partType, "seeded English synonym, plural, full-width").to.equal(
      "shock_absorber",
    );
    expect((await search("三滤")).understood.partTypes).to.deep.equal(["oil_filter", "air_filter", "cabin_filter"]);
    const before = await search("阻尼器");
    expect(before.understood.partType).to.equal(null);
    const csv =
      "term,partTypes,position,kind\n阻尼器,减震器,,\n后阻尼器,shock_absorber,后,\n坏行,no_such_type,,\n前杠皮,bumper,上,\n";
    const denied = await fetch(`${api.origin}/api/v1/catalog/synonyms/import`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.shop}` },
      body: csv,
    });
    expect(denied.status).to.equal(403);
    const imported = await fetch(`${api.origin}/api/v1/catalog/synonyms/import`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${OPERATOR}` },
      body: csv,
    }).then(
      (r) =>
        r.json() as Promise<{
          rowsOk: number;
          rowsAdded: number;
          rowsUpdated: number;
          errors: Array<{ line: number; field: string }>;
        }>,
    );
    expect(imported).to.deep.include({ rowsOk: 2, rowsAdded: 2, rowsUpdated: 0 });
    expect(imported.errors.map((e) => [e.line, e.field])).to.deep.equal([
      [4, "partTypes"],
      [5, "position"],
    ]);
    expect((await search("阻尼器")).understood.partType).to.equal("shock_absorber");
    expect((await search("后阻尼器")).understood).to.deep.include({ partType: "shock_absorber", position: "后" });
    const put = await api.call("PUT", `/api/v1/catalog/synonyms/${encodeURIComponent("灯胆")}`, OPERATOR, {
      partTypes: ["bulb"],
    });
    expect(put.status, JSON.stringify(put.json)).to.equal(200);
    expect((await search("灯胆")).understood.partType).to.equal("bulb");
    const bad = await api.call("PUT", `/api/v1/catalog/synonyms/${encodeURIComponent("灯胆")}`, OPERATOR, {
      partTypes: ["lamp_thing"],
    });
    expect([bad.status, bad.json.code]).to.deep.equal([400, "CATALOG.SYNONYM_INVALID"]);
    expect(
      (await api.call("PUT", `/api/v1/catalog/synonyms/x1`, api.keys.maker!, { partTypes: ["bulb"] })).status,
    ).to.equal(403);
    const list = (await api.call("GET", "/api/v1/catalog/synonyms", api.keys.shop!)).json.synonyms as Array<{
      term: string;
      source: string;
    }>;
    expect(list.find((s) => s.term === "灯胆")).to.include({ source: "console" });
    expect(list.find((s) => s.term === "阻尼器")).to.include({ source: "csv" });
    expect(
      (await api.call("DELETE", `/api/v1/catalog/synonyms/${encodeURIComponent("灯胆")}`, OPERATOR)).status,
    ).to.equal(204);
    expect((await search("灯胆")).understood.partType).to.equal(null);
    for (const action of ["catalog.synonym_import", "catalog.synonym_put", "catalog.synonym_delete"])
      expect(await auditTrail.query(stack.svc.db.sql, { action, limit: 10 }), action).to.have.length(1);
  });

  it("does not lose an edit made while the vocabulary is being read: the read starts again", async () => {
    // The synonyms read is held until a synonym is written and the search invalidated (as the console's edit does).
    const sql = stack.svc.db.sql;
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let holding = true;
    const gated = new Proxy(sql, {
      get(target, prop, receiver) {
        if (prop !== "query") return Reflect.get(target, prop, receiver) as unknown;
        return async (text: string, params?: unknown[]) => {
          if (holding && text.includes("FROM catalog_synonyms")) {
            const r = await target.query(text, params);
            await held;
            return r;
          }
          return target.query(text, params);
        };
      },
    });
    const search = new SearchService(gated);
    expect((await new SearchService(sql).understand("小蓝盒")).partType, "unknown before").to.equal(null);
    const understood = search.understand("小蓝盒 前");
    await new Promise((r) => setTimeout(r, 200));
    await sql.query(
      "INSERT INTO catalog_synonyms (term, part_types, source) VALUES ('小蓝盒', ARRAY['shock_absorber'], 'test')",
    );
    search.invalidate();
    holding = false;
    release();
    expect((await understood).partType, "the read begun before the edit is read again").to.equal("shock_absorber");
    expect((await search.understand("小蓝盒")).partType).to.equal("shock_absorber");
    await sql.query("DELETE FROM catalog_synonyms WHERE term = '小蓝盒'");
  });

  it("imports leave fresh statistics behind (ANALYZE of what they loaded)", async () => {
    const { rows } = await stack.svc.db.sql.query<{ relname: string; analyzed: boolean }>(
      `SELECT relname, (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL) AS analyzed FROM pg_stat_user_tables
        WHERE relname IN ('catalog_skus', 'catalog_numbers', 'catalog_fitments')`,
    );
    expect(rows.length).to.equal(3);
    expect(rows.every((r) => r.analyzed)).to.equal(true);
  });
});
