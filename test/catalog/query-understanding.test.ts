import { expect } from "chai";
import { pinyin } from "pinyin-pro";
import { MAKES } from "../../api/src/modules/catalog/data/vehicles.js";
import { swapDistance } from "../../api/src/modules/catalog/numbers.js";
import { QueryParser, type SynonymDef } from "../../api/src/modules/catalog/query-parser.js";
import { qualifierWords } from "../../api/src/modules/catalog/search.service.js";
import { vinWithCheck } from "../../scripts/lib/identifiers.js";

/** The parser over the code's vocabulary, a few learned brands and synonym rows, as search builds it. */
function parser(extra: { brands?: Array<{ id: string; names: string[] }>; synonyms?: SynonymDef[] } = {}) {
  const series = new Map<string, string[]>();
  const qualifiers = new Set<string>();
  for (const m of MAKES)
    for (const s of m.series) {
      series.set(s.series, s.aliases ?? []);
      for (const g of s.generations)
        for (const e of g.engines)
          for (const w of qualifierWords({ series: s.series, model: g.model, engine: e })) qualifiers.add(w);
    }
  return new QueryParser({
    series,
    makes: MAKES.map((m) => m.make),
    brands: extra.brands ?? [],
    synonyms: extra.synonyms ?? [],
    qualifiers,
  });
}

describe("catalog: query understanding by class (issue 13)", () => {
  const p = parser({
    brands: [
      { id: "万向汽配", names: ["万向汽配"] },
      { id: "kingstar", names: ["Kingstar"] },
      { id: "老王拆车件", names: ["老王拆车件"] },
    ],
    synonyms: [
      { term: "减震", partTypes: ["shock_absorber"], position: null, kind: null },
      { term: "三滤", partTypes: ["oil_filter", "air_filter", "cabin_filter"], position: null, kind: null },
      { term: "大灯泡", partTypes: ["bulb"], position: null, kind: null },
      { term: "headlight", partTypes: ["headlamp"], position: null, kind: null },
      { term: "cabin air filter", partTypes: ["cabin_filter"], position: null, kind: null },
      { term: "前面的", partTypes: [], position: "前", kind: null },
      { term: "后面", partTypes: [], position: "后", kind: null },
      { term: "拆车件", partTypes: [], position: null, kind: "used" },
    ],
  });

  it("reads brands learned from imports by their name, their name without the trade suffix, and Latin names", () => {
    expect(p.parse("万向汽配 刹车片")).to.deep.include({ brand: "万向汽配", partType: "brake_pad", words: "" });
    expect(p.parse("万向刹车片")).to.deep.include({ brand: "万向汽配", partType: "brake_pad" });
    expect(p.parse("轩逸雨刮 Kingstar")).to.deep.include({ brand: "kingstar", series: ["轩逸"] });
    expect(p.parse("老王 大灯")).to.deep.include({ brand: "老王拆车件", partType: "headlamp" });
    // A brand nobody imported stays as a word: it narrows the results (it is not dropped).
    expect(p.parse("兴华 刹车片")).to.deep.include({ brand: null, partType: "brake_pad", words: "兴华" });
  });

  it("reads pinyin: full, spaced, initials, mixed with characters, and any reading of a polyphone", () => {
    expect(p.parse("shachepian")).to.deep.include({ partType: "brake_pad" });
    expect(p.parse("scp").partType).to.equal("brake_pad");
    expect(p.parse("jilv").partType).to.equal("oil_filter");
    expect(p.parse("jilu").partType, "ü typed as u").to.equal("oil_filter");
    expect(p.parse("sha che pian").partType).to.equal("brake_pad");
    expect(p.parse("chachepian").partType, "刹 read cha").to.equal("brake_pad");
    expect(p.parse("雅阁 kongtiaolvxin")).to.deep.include({ series: ["雅阁"], partType: "cabin_filter" });
    expect(p.parse("pasate 刹车片")).to.deep.include({ series: ["帕萨特"], partType: "brake_pad" });
    expect(p.parse("langyi jl")).to.deep.include({ series: ["朗逸"], partType: "oil_filter" });
    // Every series and part-type name, typed in pinyin by another route (per character, first reading), is read.
    for (const m of MAKES.slice(0, 6))
      for (const s of m.series.filter((x) => /^\p{Script=Han}{2,}$/u.test(x.series))) {
        const typed = [...s.series].map((c) => pinyin(c, { toneType: "none", v: true })).join("");
        expect(p.parse(`${typed} 机滤`).series, typed).to.deep.equal([s.series]);
      }
  });

  it("corrects same-sound characters in two-character names, by pinyin over the vocabulary", () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ["雅格 刹车片", { series: ["雅阁"] }],
      ["郎逸 机滤", { series: ["朗逸"] }],
      ["机虑", { partType: "oil_filter" }],
      ["空虑", { partType: "air_filter" }],
      ["雨挂", { partType: "wiper_blade" }],
      ["探岳 大登", { series: ["探岳"], partType: "headlamp" }],
      ["电平", { partType: "battery" }],
      ["水厢", { partType: "radiator" }],
    ];
    for (const [q, want] of cases) {
      const r = p.parse(q);
      expect(r, q).to.deep.include(want);
      expect(
        r.corrected.some((c) => c.how === "sound"),
        q,
      ).to.equal(true);
      expect(r.words, q).to.equal("");
    }
    // Fuzzy pinyin (n/l, -ng/-n): 朗 lang typed as 兰 lan.
    expect(p.parse("兰逸 机滤").series).to.deep.equal(["朗逸"]);
  });

  it("takes a VIN from anywhere in the box, in any case, glued to a part name", () => {
    const vin = vinWithCheck("LSVAU2180N2183294");
    for (const q of [`${vin} 刹车片`, `刹车片 ${vin.toLowerCase()}`, `${vin}刹车片`]) {
      const r = p.parse(q);
      expect(r, q).to.deep.include({ vin, partType: "brake_pad", numbers: [] });
    }
    // A 17-character number whose check character is wrong is a part number, not a VIN.
    expect(p.parse("LSVAU2180N2183295").vin).to.equal(null);
  });

  it("reads a year glued to a series, and generation, engine and attribute words as qualifiers or words", () => {
    expect(p.parse("雅阁2019款刹车片")).to.deep.include({ series: ["雅阁"], year: 2019, partType: "brake_pad" });
    expect(p.parse("朗逸2020机滤")).to.deep.include({ series: ["朗逸"], year: 2020, partType: "oil_filter" });
    expect(p.parse("帕萨特B8 刹车片")).to.deep.include({ series: ["帕萨特"], qualifiers: ["b8"] });
    expect(p.parse("雅阁十代 火花塞").qualifiers).to.deep.equal(["十代"]);
    expect(p.parse("凯美瑞2.0L水泵").qualifiers).to.deep.equal(["2.0l"]);
    expect(p.parse("GL82.5L火花塞")).to.deep.include({ series: ["GL8"], qualifiers: ["2.5l"], numbers: [] });
    expect(p.parse("卡罗拉 双擎 机滤").qualifiers).to.deep.equal(["双擎"]);
    expect(p.parse("秦PLUS 刹车片")).to.deep.include({ series: ["秦"], qualifiers: ["plus"] });
    expect(p.parse("途观 雨刮"), "an alias is not a generation").to.deep.include({ series: ["途观L"], qualifiers: [] });
    expect(p.parse("LED 大灯 速腾")).to.deep.include({ partType: "headlamp", words: "led" });
    expect(p.parse("铱金火花塞").words).to.equal("铱金");
  });

  it("reads colloquial words, kits, sides, kinds, English names and plurals from the synonym table", () => {
    expect(p.parse("科鲁兹 前面的减震")).to.deep.include({
      series: ["科鲁兹"],
      partType: "shock_absorber",
      position: "前",
    });
    expect(p.parse("三滤").partTypes).to.deep.equal(["oil_filter", "air_filter", "cabin_filter"]);
    expect(p.parse("大灯泡").partType).to.equal("bulb");
    expect(p.parse("后面 刹车片").position).to.equal("后");
    expect(p.parse("headlights").partType).to.equal("headlamp");
    expect(p.parse("cabin air filters").partType).to.equal("cabin_filter");
    expect(p.parse("brake pads").partType, "a plural of the code's own English name").to.equal("brake_pad");
    expect(p.parse("拆车件 大灯")).to.deep.include({ kind: "used", partType: "headlamp" });
    expect(p.parse("速腾 大灯总城")).to.deep.include({ partType: "headlamp", words: "" });
  });

  it("counts an adjacent swap as one edit, and suggests the nearest vocabulary when nothing matches", () => {
    expect(swapDistance("0986494123", "0986491423")).to.equal(1);
    expect(swapDistance("0986494123", "0986494213")).to.equal(1);
    expect(swapDistance("0986494123", "098649412")).to.equal(1);
    expect(swapDistance("0986494123", "1986494124")).to.equal(2);
    expect(p.suggest("刹车骗")).to.include("刹车片");
    expect(p.suggest("shachepain"), "a pinyin typo").to.include("刹车片");
    expect(p.suggest("qwzx")).to.deep.equal([]);
  });
});
