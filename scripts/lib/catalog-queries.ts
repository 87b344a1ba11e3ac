/**
 * The labelled query set for `npm run bench:catalog`: what repair shops type, written from general knowledge, each
 * with what it must find. Vehicle + part and name queries are labelled by criteria (series, part type, side, model
 * year) resolved against the catalogue; number queries are drawn (seeded) from the catalogue itself, because its
 * numbers are generated, and typed the way people type them: spaced, dashed, dotted, lower case, run together, or
 * with one character wrong.
 */
import { normaliseNumber } from "../../api/src/modules/catalog/numbers.js";
import { rng, type GenSku } from "./catalog-generator.js";

export type Expect =
  | { by: "criteria"; series?: string; partType: string; position?: "前" | "后"; year?: number }
  | { by: "number"; norm: string };

export interface LabelledQuery {
  q: string;
  kind: "vehicle+part" | "synonym" | "number" | "typo";
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
