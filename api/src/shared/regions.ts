import { readFileSync } from "node:fs";

/**
 * China's regions (GB/T 2260 codes, 2024) from data/regions (MIT + CC BY 4.0, see its README): names for the codes
 * the ledger records places with, and centroids in GCJ-02. Read once, on first use.
 */
export interface Region {
  code: string;
  level: "province" | "city" | "district";
  province: string;
  /** Empty for a province row; for a municipality's districts, the municipality again. */
  city: string;
  district: string;
  /** The city's code (the province's for municipalities and provinces' directly governed counties). */
  cityCode: string;
  lng: number | null;
  lat: number | null;
}

const CSV = new URL("../../../data/regions/china_regions_pcc858_with_centroids_gcj02.csv", import.meta.url);
let rows: Region[] | undefined;
let byCode: Map<string, Region> | undefined;

/** Every row of the data set, in its order. */
export function regions(): Region[] {
  rows ??= readFileSync(CSV, "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const c = l.split(",");
      return {
        code: c[0]!,
        level: c[2] as Region["level"],
        province: c[6] ?? "",
        city: c[7] ?? "",
        district: c[8] ?? "",
        cityCode: c[4] || c[3]!,
        lng: c[9] ? Number(c[9]) : null,
        lat: c[10] ? Number(c[10]) : null,
      };
    });
  return rows;
}

/**
 * The region's name, province first, each level once: `江苏省 苏州市 虎丘区`, `北京市 东城区` (a municipality is not
 * repeated as its own city), `河南省 济源市` (a county the province governs directly has no city). Null for a code
 * the data set does not hold.
 */
export function regionName(code: string): string | null {
  byCode ??= new Map(regions().map((r) => [r.code, r]));
  const r = byCode.get(code);
  if (!r) return null;
  const parts: string[] = [];
  for (const name of [r.province, r.city, r.district]) {
    // "河南省-省直辖县级行政区划" is a grouping of the data set, not a place.
    if (!name || name.includes("直辖") || parts.includes(name)) continue;
    parts.push(name);
  }
  return parts.join(" ");
}

export type PlaceLang = "zh" | "en";

/** The kinds of site a ledger place names (its locationId), in words. */
const SITES: Record<string, Record<PlaceLang, string>> = {
  FACTORY: { zh: "工厂", en: "factory" },
  WAREHOUSE: { zh: "仓库", en: "warehouse" },
  WORKSHOP: { zh: "维修车间", en: "workshop" },
  AUDIT: { zh: "审计", en: "audit" },
};

/** A location id in words: a known site kind, a warehouse (`loc_…`), an order's delivery (`ord_…`), else the id itself. */
export function siteName(locationId: string, lang: PlaceLang = "zh"): string {
  const known = SITES[locationId.toUpperCase()];
  if (known) return known[lang];
  if (locationId.startsWith("loc_")) return SITES.WAREHOUSE![lang];
  if (locationId.startsWith("ord_")) return lang === "zh" ? "订单交付" : "order delivery";
  return locationId;
}

/**
 * A ledger place (`regionCode:locationId`, as the ledger records it, e.g. `320505:FACTORY`) for people:
 * `江苏省 苏州市 虎丘区 · 工厂`. Region names stay in Chinese in English too (they are proper names); a code the data
 * set does not know is shown as the code. The one place locations are formatted for display.
 */
export function placeName(place: string, lang: PlaceLang = "zh"): string {
  const i = place.indexOf(":");
  const code = i < 0 ? place : place.slice(0, i);
  const site = i < 0 ? "" : place.slice(i + 1);
  const region = /^\d{6}$/.test(code) ? (code === "000000" ? "" : (regionName(code) ?? code)) : code;
  return [region, site && siteName(site, lang)].filter(Boolean).join(" · ");
}

let cities: Array<{ code: string; lng: number; lat: number }> | undefined;

/**
 * The city (GB/T 2260 code) whose centroid is nearest to a GCJ-02 point: prefecture-level cities, and the four
 * municipalities as one city each (their province code). Planar distance on degrees with the longitude scaled by
 * cos(latitude): nearest-centroid attribution, not a boundary test.
 */
export function nearestCity(lng: number, lat: number): string {
  cities ??= regions()
    .filter(
      (r) =>
        r.lng !== null &&
        r.lat !== null &&
        (r.level === "city" || (r.level === "province" && ["11", "12", "31", "50"].includes(r.code.slice(0, 2)))),
    )
    .map((r) => ({ code: r.code, lng: r.lng!, lat: r.lat! }));
  const k = Math.cos((lat * Math.PI) / 180);
  let best = cities[0]!;
  let bestD = Infinity;
  for (const c of cities) {
    const d = ((c.lng - lng) * k) ** 2 + (c.lat - lat) ** 2;
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best.code;
}

/** The province code (`440000`) of any GB/T 2260 code. */
export const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;

/** The 大区 a province belongs to, in Chinese and English (华南 / South China …). */
export function macroRegion(provinceCode: string): { zh: string; en: string } {
  const p = Number(provinceCode.slice(0, 2));
  if (p >= 11 && p <= 15) return { zh: "华北", en: "North China" };
  if (p >= 21 && p <= 23) return { zh: "东北", en: "Northeast China" };
  if (p >= 31 && p <= 37) return { zh: "华东", en: "East China" };
  if (p >= 41 && p <= 43) return { zh: "华中", en: "Central China" };
  if (p >= 50 && p <= 54) return { zh: "西南", en: "Southwest China" };
  if (p >= 61 && p <= 65) return { zh: "西北", en: "Northwest China" };
  return { zh: "华南", en: "South China" };
}
