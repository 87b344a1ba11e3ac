/**
 * The labelled query set for `npm run bench:catalog`: what repair shops type, written from general knowledge, each
 * with what it must find. Vehicle + part and name queries are labelled by criteria (series, part type, side, model
 * year) resolved against the catalogue; number queries are drawn (seeded) from the catalogue itself, because its
 * numbers are generated, and typed the way people type them: spaced, dashed, dotted, lower case, run together, or
 * with one character wrong.
 */
import { pinyin } from "pinyin-pro";
import { normaliseNumber } from "../../api/src/modules/catalog/numbers.js";
import { CHINA_WMI, MAKES } from "../../api/src/modules/catalog/data/vehicles.js";
import { vinCheckCharacter } from "../../ledger-service/src/gs1/vin.js";
import { OUTSIDE_BRANDS, rng, type GenSku } from "./catalog-generator.js";

export type Expect =
  | {
      by: "criteria";
      series?: string;
      /** One part type, or any of several (三滤). */
      partType: string | string[];
      position?: "前" | "后";
      year?: number;
      /** The SKU's brand id as imported (an outside brand's id is its name, folded). */
      brand?: string;
      /** Fits a vehicle built by one of these makers (a VIN's WMI). */
      makers?: string[];
      /** Fits a vehicle of this generation (model) or with this engine (a substring of it). */
      model?: string;
      engine?: string;
      material?: string;
    }
  | { by: "number"; norm: string };

export type QueryKind =
  | "vehicle+part"
  | "synonym"
  | "number"
  | "typo"
  | "pinyin"
  | "vin-in-box"
  | "outside-brand"
  | "near-sound"
  | "qualifier"
  | "attribute"
  | "glued-year"
  | "colloquial"
  | "english"
  | "number-typo2";

export interface LabelledQuery {
  q: string;
  kind: QueryKind;
  expect: Expect;
}

/** How shops name parts (colloquial first), by part type and side. */
const PHRASES: Array<[string, string, ("前" | "后")?]> = [
  ["刹车片", "brake_pad"],
  ["前刹车片", "brake_pad", "前"],
  ["后刹车片", "brake_pad", "后"],
  ["制动片", "brake_pad"],
  ["前刹车皮", "brake_pad", "前"],
  ["机滤", "oil_filter"],
  ["机油滤芯", "oil_filter"],
  ["机油滤清器", "oil_filter"],
  ["机油格", "oil_filter"],
  ["空滤", "air_filter"],
  ["空气滤芯", "air_filter"],
  ["空调滤芯", "cabin_filter"],
  ["空调格", "cabin_filter"],
  ["汽油滤芯", "fuel_filter"],
  ["雨刮", "wiper_blade"],
  ["雨刷", "wiper_blade"],
  ["雨刮片", "wiper_blade"],
  ["火花塞", "spark_plug"],
  ["火嘴", "spark_plug"],
  ["点火线圈", "ignition_coil"],
  ["高压包", "ignition_coil"],
  ["大灯", "headlamp"],
  ["前大灯", "headlamp"],
  ["大灯总成", "headlamp"],
  ["尾灯", "tail_lamp"],
  ["电瓶", "battery"],
  ["蓄电池", "battery"],
  ["前减震器", "shock_absorber", "前"],
  ["后避震", "shock_absorber", "后"],
  ["前刹车盘", "brake_disc", "前"],
  ["后刹车盘", "brake_disc", "后"],
  ["制动盘", "brake_disc"],
  ["正时皮带", "timing_belt"],
  ["水泵", "water_pump"],
  ["节温器", "thermostat"],
  ["发电机", "alternator"],
  ["起动机", "starter"],
  ["氧传感器", "oxygen_sensor"],
  ["下摆臂", "control_arm"],
  ["机脚胶", "engine_mount"],
  ["水箱", "radiator"],
  ["离合器片", "clutch_kit"],
  ["倒车镜", "mirror"],
  ["前保险杠", "bumper", "前"],
];

/** Series as shops write them (the name, an alias, a Latin name). */
const SERIES: Array<[string, string]> = [
  ["帕萨特", "帕萨特"],
  ["朗逸", "朗逸"],
  ["途观", "途观L"],
  ["途观L", "途观L"],
  ["桑塔纳", "桑塔纳"],
  ["速腾", "速腾"],
  ["迈腾", "迈腾"],
  ["宝来", "宝来"],
  ["高尔夫", "高尔夫"],
  ["探岳", "探岳"],
  ["奥迪A4L", "A4L"],
  ["A6L", "A6L"],
  ["Q5L", "Q5L"],
  ["卡罗拉", "卡罗拉"],
  ["RAV4", "RAV4荣放"],
  ["荣放", "RAV4荣放"],
  ["凯美瑞", "凯美瑞"],
  ["雷凌", "雷凌"],
  ["汉兰达", "汉兰达"],
  ["雅阁", "雅阁"],
  ["飞度", "飞度"],
  ["思域", "思域"],
  ["CRV", "CR-V"],
  ["CR-V", "CR-V"],
  ["轩逸", "轩逸"],
  ["天籁", "天籁"],
  ["奇骏", "奇骏"],
  ["英朗", "英朗"],
  ["君威", "君威"],
  ["GL8", "GL8"],
  ["科鲁兹", "科鲁兹"],
  ["宝马3系", "3系"],
  ["奔驰C级", "C级"],
  ["伊兰特", "伊兰特"],
  ["途胜", "途胜"],
  ["秦PLUS", "秦"],
  ["宋PLUS", "宋"],
  ["帝豪", "帝豪"],
  ["博越", "博越"],
  ["哈弗H6", "H6"],
  ["五菱宏光", "宏光"],
];

/** Model years with the series they are asked for (a year inside a generation). */
const YEARS: Array<[string, number]> = [
  ["卡罗拉", 2019],
  ["卡罗拉", 2016],
  ["帕萨特", 2020],
  ["朗逸", 2015],
  ["雅阁", 2019],
  ["轩逸", 2021],
  ["凯美瑞", 2018],
  ["思域", 2020],
  ["速腾", 2017],
  ["英朗", 2020],
];

/** One character wrong in the names (a homophone or a neighbouring key in pinyin input). */
const TYPOS: Array<[string, Expect]> = [
  ["帕萨持 刹车偏", { by: "criteria", series: "帕萨特", partType: "brake_pad" }],
  ["卡罗啦 机滤", { by: "criteria", series: "卡罗拉", partType: "oil_filter" }],
  ["朗逸 空调虑芯", { by: "criteria", series: "朗逸", partType: "cabin_filter" }],
  ["凯美端 火花塞", { by: "criteria", series: "凯美瑞", partType: "spark_plug" }],
  ["雅阁 雨刮骗", { by: "criteria", series: "雅阁", partType: "wiper_blade" }],
  ["轩逸 发电几", { by: "criteria", series: "轩逸", partType: "alternator" }],
  ["速腾 大灯总城", { by: "criteria", series: "速腾", partType: "headlamp" }],
  ["汉兰达 蓄电吃", { by: "criteria", series: "汉兰达", partType: "battery" }],
  ["英朗 减振嚣", { by: "criteria", series: "英朗", partType: "shock_absorber" }],
  ["迈腾 正时皮代", { by: "criteria", series: "迈腾", partType: "timing_belt" }],
  ["途胜 氧传感嚣", { by: "criteria", series: "途胜", partType: "oxygen_sensor" }],
  ["天籁 节温气", { by: "criteria", series: "天籁", partType: "thermostat" }],
];

/**
 * `sample`: catalogue SKUs to draw number queries from (aftermarket SKUs with competitor numbers and their OE
 * number). At least 300 queries come back.
 */
export function labelledQueries(sample: GenSku[], seed = 5): LabelledQuery[] {
  const r = rng(seed);
  const out: LabelledQuery[] = [];
  SERIES.forEach(([typed, series], i) => {
    for (let k = 0; k < 4; k++) {
      const [phrase, partType, position] = PHRASES[(i * 7 + k * 11) % PHRASES.length]!;
      const q = k % 2 === 0 ? `${typed} ${phrase}` : `${typed}${phrase}`;
      out.push({
        q,
        kind: "vehicle+part",
        expect: { by: "criteria", series, partType, ...(position ? { position } : {}) },
      });
    }
  });
  for (const [series, year] of YEARS) {
    for (const [phrase, partType, position] of [PHRASES[5]!, PHRASES[1]!]) {
      out.push({
        q: `${series} ${year} ${phrase}`,
        kind: "vehicle+part",
        expect: { by: "criteria", series, partType, year, ...(position ? { position } : {}) },
      });
    }
    out.push({
      q: `${String(year).slice(2)}款${series}${PHRASES[14]![0]}`,
      kind: "vehicle+part",
      expect: { by: "criteria", series, partType: "wiper_blade", year },
    });
  }
  for (const [phrase, partType, position] of PHRASES)
    out.push({ q: phrase, kind: "synonym", expect: { by: "criteria", partType, ...(position ? { position } : {}) } });
  for (const [q, expect] of TYPOS) out.push({ q, kind: "typo", expect });

  const styles: Array<(n: string) => string> = [
    (n) => n,
    (n) => n.toLowerCase(),
    (n) => n.replace(/[\s\-./]/g, ""),
    (n) => n.replace(/[\s\-/]/g, "."),
    (n) => n.replace(/\s/g, "-"),
    (n) => ` ${n.toLowerCase().replace(/\s/g, "")} `,
  ];
  const picks = [...sample].sort(() => r() - 0.5).slice(0, 40);
  for (const s of picks) {
    const oe = s.oeNumbers[0]!;
    const style = styles[Math.floor(r() * styles.length)]!;
    out.push({ q: style(oe), kind: "number", expect: { by: "number", norm: normaliseNumber(oe) } });
    out.push({
      q: styles[Math.floor(r() * styles.length)]!(s.partNo),
      kind: "number",
      expect: { by: "number", norm: normaliseNumber(s.partNo) },
    });
    const c = s.competitors[0]!;
    out.push({ q: style(c.number), kind: "number", expect: { by: "number", norm: normaliseNumber(c.number) } });
    // One character wrong, away from both ends' halves' boundary, in the OE number.
    const n = normaliseNumber(oe);
    const at = 1 + Math.floor(r() * (n.length - 2));
    const wrong = /\d/.test(n[at]!)
      ? String((Number(n[at]) + 1 + Math.floor(r() * 8)) % 10)
      : n[at] === "X"
        ? "Y"
        : "X";
    out.push({ q: n.slice(0, at) + wrong + n.slice(at + 1), kind: "typo", expect: { by: "number", norm: n } });
  }
  return out;
}

/**
 * The classes an outside evaluation found missing (issue 13), written from the DATA's attributes — the vocabulary's
 * series, generations, engines, part types and materials, the generator's outside brands, the WMI table, the
 * catalogue's numbers — by routes other than the search code's: pinyin per character with a reading drawn at random
 * among a polyphone's readings (the code reads whole words), homophones drawn from GB2312's first-level characters by
 * pinyin (the code compares against its vocabulary), VINs built with a computed check character, numbers perturbed
 * at random positions. Colloquial and English names come from a list written here, separately from the seeded
 * synonym table.
 */
export function outsideQueries(sample: GenSku[], outsideSample: GenSku[], seed = 17): LabelledQuery[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: LabelledQuery[] = [];
  const series = MAKES.flatMap((m) => m.series.map((s) => ({ ...s, make: m.make })));
  // Part types every series has parts of (not fluids, which fit no vehicle), with a short name shops type.
  const common: Array<[string, string]> = [
    ["刹车片", "brake_pad"],
    ["机滤", "oil_filter"],
    ["空滤", "air_filter"],
    ["空调滤芯", "cabin_filter"],
    ["火花塞", "spark_plug"],
    ["雨刮", "wiper_blade"],
    ["大灯", "headlamp"],
    ["刹车盘", "brake_disc"],
    ["水泵", "water_pump"],
    ["电瓶", "battery"],
    ["减震器", "shock_absorber"],
    ["水箱", "radiator"],
  ];
  const py = (word: string) =>
    [...word].map((c) => {
      const all = pinyin(c, { multiple: true, type: "array", toneType: "none", v: true });
      return all.length ? pick(all) : c;
    });

  // Pinyin: full (run together or spaced), initials, and mixed with characters.
  for (let i = 0; i < 70; i++) {
    const s = pick(series.filter((x) => /^\p{Script=Han}+$/u.test(x.series)));
    const [word, partType] = pick(common);
    const style = i % 5;
    const sp = py(s.series);
    const wp = py(word);
    const q =
      style === 0
        ? wp.join("")
        : style === 1
          ? `${s.series} ${wp.join("")}`
          : style === 2
            ? `${sp.join("")} ${word}`
            : style === 3
              ? `${s.series}${wp.map((x) => x[0]).join("")}`
              : `${sp.join(" ")} ${wp.join(" ")}`;
    out.push({
      q,
      kind: "pinyin",
      expect: style === 0 ? { by: "criteria", partType } : { by: "criteria", series: s.series, partType },
    });
  }

  // A VIN typed into the box with a part word: built from a WMI the vocabulary's makers use, a model year in range.
  const YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789";
  const VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  const wmis = Object.entries(CHINA_WMI).filter(([, w]) => w.makers.length);
  for (let i = 0; i < 30; i++) {
    const [wmi, w] = pick(wmis);
    const fits = series.filter((x) => w.makers.includes(x.maker));
    if (!fits.length) continue;
    const gen = pick(pick(fits).generations);
    const year = gen.from + Math.floor(r() * (gen.to - gen.from + 1));
    const code = YEAR_CODES[(year - 1980) % 30]!;
    let body = wmi;
    for (let k = 3; k < 17; k++) body += k === 8 ? "0" : k === 9 ? code : pick([...VIN_CHARS]);
    const vin = body.slice(0, 8) + vinCheckCharacter(body) + body.slice(9);
    const [word, partType] = pick(common);
    out.push({
      q: i % 3 === 0 ? `${vin} ${word}` : i % 3 === 1 ? `${word} ${vin.toLowerCase()}` : `${vin}${word}`,
      kind: "vin-in-box",
      expect: { by: "criteria", partType, makers: w.makers, year },
    });
  }

  // Brands the vocabulary does not list: by name (whole, or without the trade suffix), alone with a part, with a vehicle.
  // With a vehicle, the combination is drawn from the catalogue's own outside-brand rows (so that it exists).
  const fromData = outsideSample.filter((x) => common.some(([, t]) => t === x.partType) && x.fits.length);
  for (let i = 0; i < 40; i++) {
    const row = i % 3 === 1 && fromData.length ? pick(fromData) : null;
    const b = row ? OUTSIDE_BRANDS.find((x) => x.name === row.brand)! : pick(OUTSIDE_BRANDS);
    const id = b.name.normalize("NFKC").toLowerCase();
    const short = b.name.replace(/(汽车配件|汽配|拆车件|拆车)$/, "");
    const [word, partType] = row ? common.find(([, t]) => t === row.partType)! : pick(common);
    const s = row ? { series: row.fits[0]!.series } : pick(series.filter((x) => /^\p{Script=Han}+$/u.test(x.series)));
    const q = i % 3 === 0 ? `${short} ${word}` : i % 3 === 1 ? `${s.series}${word} ${b.name}` : `${short}${word}`;
    out.push({
      q,
      kind: "outside-brand",
      expect: { by: "criteria", partType, brand: id, ...(i % 3 === 1 ? { series: s.series } : {}) },
    });
  }

  // Same-sound characters in two-character names (series and part names), drawn from GB2312 level 1 by pinyin.
  const gbk = new TextDecoder("gbk");
  const byReading = new Map<string, string[]>();
  for (let a = 0xb0; a <= 0xd7; a++)
    for (let c = 0xa1; c <= 0xfe; c++) {
      const ch = gbk.decode(new Uint8Array([a, c]));
      if (!/^\p{Script=Han}$/u.test(ch)) continue;
      const reading = pinyin(ch, { toneType: "none", v: true });
      byReading.set(reading, [...(byReading.get(reading) ?? []), ch]);
    }
  const homophone = (word: string): string | null => {
    const at = Math.floor(r() * word.length);
    const ch = word[at]!;
    const alts = (byReading.get(pinyin(ch, { toneType: "none", v: true })) ?? []).filter((x) => x !== ch);
    return alts.length ? word.slice(0, at) + pick(alts) + word.slice(at + 1) : null;
  };
  const twoCharSeries = series.filter((x) => /^\p{Script=Han}{2}$/u.test(x.series));
  const twoCharTypes = common.filter(([w]) => w.length === 2);
  for (let i = 0; i < 50; i++) {
    const s = pick(twoCharSeries);
    const [word, partType] = pick(twoCharTypes);
    const wrongSeries = i % 2 === 0;
    const typed = wrongSeries ? homophone(s.series) : homophone(word);
    if (!typed) continue;
    out.push({
      q: wrongSeries ? `${typed}${word}` : `${s.series} ${typed}`,
      kind: "near-sound",
      expect: { by: "criteria", series: s.series, partType },
    });
  }

  // Generation and engine qualifiers (B8, 十代, MK7, PLUS, 2.0T, 1.5L, 双擎): from the generations' own names.
  const ENGINE_PARTS: Array<[string, string]> = [
    ["机滤", "oil_filter"],
    ["空滤", "air_filter"],
    ["火花塞", "spark_plug"],
    ["水泵", "water_pump"],
  ];
  for (let i = 0; i < 50; i++) {
    const s = pick(series);
    const gens = s.generations.filter((g) => g.model.split(/\s+/).length > 1 || /[A-Z0-9]$/.test(g.model));
    if (i % 2 === 0 && gens.length > 1) {
      const gen = pick(gens);
      const qual = gen.model.split(/\s+/).slice(1).join(" ") || gen.model.replace(s.series, "");
      if (!qual || s.generations.filter((g) => g.model.includes(qual)).length !== 1) continue;
      const [word, partType] = pick(common);
      out.push({
        q: `${s.series}${qual} ${word}`,
        kind: "qualifier",
        expect: { by: "criteria", series: s.series, partType, model: gen.model },
      });
    } else {
      const engines = [...new Set(s.generations.flatMap((g) => g.engines.flatMap((e) => e.split(/\s+/).slice(0, 2))))];
      const qual = pick(engines.filter((e) => /^\d\.\d[TL]$|^双擎$/.test(e)));
      if (!qual) continue;
      const [word, partType] = pick(ENGINE_PARTS);
      out.push({
        q: i % 4 === 1 ? `${s.series} ${qual} ${word}` : `${s.series}${qual}${word}`,
        kind: "qualifier",
        expect: { by: "criteria", series: s.series, partType, engine: qual },
      });
    }
  }

  // Attribute words the rows carry (material): LED 大灯, 铱金火花塞, 无骨雨刮, 陶瓷刹车片 …
  const ATTRS: Array<[string, string, string]> = [
    ["LED", "大灯", "headlamp"],
    ["氙气", "大灯", "headlamp"],
    ["铱金", "火花塞", "spark_plug"],
    ["铂金", "火花塞", "spark_plug"],
    ["无骨", "雨刮", "wiper_blade"],
    ["陶瓷", "刹车片", "brake_pad"],
    ["活性炭", "空调滤芯", "cabin_filter"],
    ["AGM", "电瓶", "battery"],
  ];
  for (let i = 0; i < 30; i++) {
    const [attr, word, partType] = pick(ATTRS);
    const s = pick(series);
    out.push({
      q: i % 2 ? `${s.series} ${attr}${word}` : `${attr} ${word} ${s.series}`,
      kind: "attribute",
      expect: { by: "criteria", series: s.series, partType, material: attr },
    });
  }

  // A year glued to the series (雅阁2019款刹车片, 朗逸2020机滤).
  for (let i = 0; i < 25; i++) {
    const s = pick(series.filter((x) => /\p{Script=Han}$/u.test(x.series)));
    const gen = pick(s.generations);
    const year = gen.from + Math.floor(r() * (gen.to - gen.from + 1));
    const [word, partType] = pick(common);
    out.push({
      q: `${s.series}${year}${i % 2 ? "款" : ""}${word}`,
      kind: "glued-year",
      expect: { by: "criteria", series: s.series, partType, year },
    });
  }

  // Colloquial names, kits and position words, with and without a vehicle.
  const COLLOQUIAL: Array<[string, string | string[], ("前" | "后")?]> = [
    ["减震", "shock_absorber"],
    ["避震", "shock_absorber"],
    ["前面的减震", "shock_absorber", "前"],
    ["后面的刹车片", "brake_pad", "后"],
    ["前面刹车盘", "brake_disc", "前"],
    ["后边的避震", "shock_absorber", "后"],
    ["三滤", ["oil_filter", "air_filter", "cabin_filter"]],
    ["大灯泡", "bulb"],
    ["灯泡", "bulb"],
    ["刹车皮", "brake_pad"],
    ["火嘴", "spark_plug"],
    ["雨刷器", "wiper_blade"],
    ["电池", "battery"],
    ["散热器", "radiator"],
  ];
  for (let i = 0; i < 40; i++) {
    const [word, partType, position] = pick(COLLOQUIAL);
    const s = pick(series);
    const withVehicle = i % 3 !== 0 && partType !== "bulb" && word !== "灯泡";
    out.push({
      q: withVehicle ? `${s.series} ${word}` : word,
      kind: "colloquial",
      expect: {
        by: "criteria",
        partType,
        ...(position ? { position } : {}),
        ...(withVehicle ? { series: s.series } : {}),
      },
    });
  }

  // English part names, singular and plural, with a Latin series name or alone.
  const ENGLISH: Array<[string, string]> = [
    ["headlight", "headlamp"],
    ["headlights", "headlamp"],
    ["head lamp", "headlamp"],
    ["cabin air filter", "cabin_filter"],
    ["cabin filters", "cabin_filter"],
    ["brake pads", "brake_pad"],
    ["brake discs", "brake_disc"],
    ["brake rotor", "brake_disc"],
    ["oil filters", "oil_filter"],
    ["air filters", "air_filter"],
    ["spark plugs", "spark_plug"],
    ["wiper blades", "wiper_blade"],
    ["shock absorbers", "shock_absorber"],
    ["water pump", "water_pump"],
    ["radiator", "radiator"],
    ["battery", "battery"],
  ];
  const latin = series.filter((x) => x.aliases?.some((a) => /^[a-z]/.test(a)));
  for (let i = 0; i < 32; i++) {
    const [word, partType] = pick(ENGLISH);
    const s = pick(latin);
    const alias = s.aliases!.find((a) => /^[a-z]/.test(a))!;
    out.push({
      q: i % 2 ? `${alias} ${word}` : `${s.series} ${word}`,
      kind: "english",
      expect: { by: "criteria", series: s.series, partType },
    });
  }

  // Numbers with two edits: an adjacent swap, two substitutions, a deletion and a substitution; in dense families too.
  const nums = sample.flatMap((s) => [s.oeNumbers[0]!, s.partNo]).map(normaliseNumber);
  const DIG = "0123456789";
  const sub = (n: string, at: number) => {
    const c = n[at]!;
    const pool = /\d/.test(c) ? DIG : "ABCDEFGHJKLMNPRSTUVWXYZ";
    let x = c;
    while (x === c) x = pick([...pool]);
    return n.slice(0, at) + x + n.slice(at + 1);
  };
  for (let i = 0; i < 50; i++) {
    const n = pick(nums);
    // Two edits in a number of six or seven characters leave a third of it wrong: any answer is a guess.
    if (n.length < 8) continue;
    const a = 1 + Math.floor(r() * (n.length - 2));
    let b = 1 + Math.floor(r() * (n.length - 2));
    if (b === a) b = a === 1 ? 2 : a - 1;
    let typed: string;
    if (i % 3 === 0) {
      const at = Math.min(a, n.length - 2);
      typed = n.slice(0, at) + n[at + 1] + n[at] + n.slice(at + 2);
      if (typed === n) typed = sub(n, a);
    } else if (i % 3 === 1) typed = sub(sub(n, a), b);
    else typed = sub(n.slice(0, a) + n.slice(a + 1), Math.min(b, n.length - 2));
    out.push({ q: i % 2 ? typed.toLowerCase() : typed, kind: "number-typo2", expect: { by: "number", norm: n } });
  }
  return out;
}
