/**
 * One import record → one row to write, or the field and reason it is refused (pure: no database). The importer
 * (import.service.ts) batches the rows and writes them.
 */
import { gs1CheckDigit } from "../../../../ledger-service/src/index.js";
import type { NewSku } from "./catalog.repository.js";
import type { RawRecord } from "./csv.js";
import { BRANDS } from "./data/brands.js";
import { partTypes } from "./data/categories.js";
import type { ImportKind } from "./import.service.js";
import { normaliseNumber } from "./numbers.js";
import { fold, skuTerms } from "./terms.js";

/** A record's refusal: the field at fault and why. */
export class RowError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

const TYPES = partTypes();
const TYPE_BY_NAME = new Map<string, string>();
for (const t of TYPES) for (const k of [t.id, t.name, ...t.synonyms]) TYPE_BY_NAME.set(fold(k), t.id);
const BRAND_BY_NAME = new Map<string, string>();
for (const b of BRANDS) for (const k of [b.id, b.name, b.nameZh, ...b.aliases]) BRAND_BY_NAME.set(fold(k), b.id);
const KINDS: Record<string, NewSku["kind"]> = {
  oe: "oe",
  原厂: "oe",
  aftermarket: "aftermarket",
  品牌: "aftermarket",
  副厂: "aftermarket",
  reman: "reman",
  再制造: "reman",
  used: "used",
  拆车件: "used",
};

const str = (f: Record<string, unknown>, name: string, max: number, required = true): string => {
  const v = f[name];
  if (v === undefined || v === null || v === "") {
    if (required) throw new RowError(name, "is required");
    return "";
  }
  const s = String(v).trim();
  if (s.length > max) throw new RowError(name, `at most ${max} characters, got ${s.length}`);
  // eslint-disable-next-line no-control-regex -- control characters are what this check refuses
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) throw new RowError(name, "contains control characters");
  // A JSON line can carry half of a surrogate pair: not text the database can store.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))
    throw new RowError(name, "contains an unpaired surrogate (not Unicode text)");
  return s;
};

/** A brand as the catalog knows it (bosch), or a new brand's slug from its name. */
export function brandId(raw: string): string {
  const known = BRAND_BY_NAME.get(fold(raw));
  if (known) return known;
  const slug = fold(raw)
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_|_$/g, "");
  if (!slug) throw new RowError("brand", "has no letters or digits");
  return slug;
}

function partNoOf(f: Record<string, unknown>, field = "partNo"): { display: string; norm: string } {
  const display = str(f, field, 40);
  const norm = normaliseNumber(display);
  if (!/^[0-9A-Z]{2,40}$/.test(norm))
    throw new RowError(
      field,
      `${JSON.stringify(display)} is not a part number (letters and digits, optionally with spaces, dashes, dots or slashes)`,
    );
  return { display, norm };
}

/** One record of an import of `kind`: the row to write, or the field it is refused on and why. */
export function parseRecord(kind: ImportKind, rec: RawRecord): { row: unknown } | { error: RowError } {
  const f = rec.fields;
  try {
    if (typeof f.__error === "string") throw new RowError("line", f.__error);
    if (kind === "skus") return { row: skuRow(f) };
    if (kind === "crossrefs") {
      const sku = partNoOf(f);
      const num = partNoOf(f, "number");
      const nk = str(f, "numberKind", 12);
      if (nk !== "oe" && nk !== "competitor")
        throw new RowError("numberKind", `must be oe or competitor, got ${JSON.stringify(nk)}`);
      const conditions = str(f, "conditions", 500, false);
      if (conditions) json(conditions, "conditions");
      return {
        row: {
          brand: brandId(str(f, "brand", 40)),
          norm: sku.norm,
          number: num.display,
          numberNorm: num.norm,
          kind: nk,
          numberBrand: str(f, "numberBrand", 40, false),
          source: str(f, "source", 60, false),
          conditions: conditions || null,
        },
      };
    }
    if (kind === "fitments") {
      const sku = partNoOf(f);
      const from = year(f, "yearFrom");
      const to = year(f, "yearTo");
      if (from > to) throw new RowError("yearTo", `${to} is before yearFrom ${from}`);
      const v = {
        make: str(f, "make", 30),
        maker: str(f, "maker", 40, false),
        series: str(f, "series", 40),
        model: str(f, "model", 60, false),
        engine: str(f, "engine", 40, false),
      };
      return {
        row: {
          brand: brandId(str(f, "brand", 40)),
          norm: sku.norm,
          vehicle: {
            ...v,
            maker: v.maker || v.make,
            model: v.model || v.series,
            yearFrom: from,
            yearTo: to,
            id: fold(`${v.make}/${v.series}/${v.model || v.series}/${from}-${to}/${v.engine}`).replace(/\s+/g, "_"),
          },
        },
      };
    }
    const sku = partNoOf(f);
    const price = str(f, "price", 20);
    if (!/^\d{1,8}(\.\d{1,2})?$/.test(price) || Number(price) <= 0)
      throw new RowError(
        "price",
        `must be a price in yuan above 0 with at most 2 decimals, got ${JSON.stringify(price)}`,
      );
    const stock = str(f, "stock", 9);
    if (!/^\d{1,9}$/.test(stock))
      throw new RowError("stock", `must be a whole number ≥ 0, got ${JSON.stringify(stock)}`);
    const visibility = str(f, "visibility", 12, false) || "public";
    if (visibility !== "public" && visibility !== "customers")
      throw new RowError("visibility", `must be public or customers, got ${JSON.stringify(visibility)}`);
    return {
      row: {
        location: str(f, "location", 40),
        brand: brandId(str(f, "brand", 40)),
        norm: sku.norm,
        priceFen: Math.round(Number(price) * 100),
        stock: Number(stock),
        visibility,
      },
    };
  } catch (e) {
    if (e instanceof RowError) return { error: e };
    throw e;
  }
}

function skuRow(f: Record<string, unknown>): {
  sku: NewSku;
  brandName: string;
  oe: Array<{ brand: string; display: string; norm: string }>;
} {
  const brandName = str(f, "brand", 40);
  const brand = brandId(brandName);
  const part = partNoOf(f);
  const name = str(f, "name", 60);
  const typeRaw = str(f, "partType", 30);
  const partType = TYPE_BY_NAME.get(fold(typeRaw));
  if (!partType)
    throw new RowError(
      "partType",
      `${JSON.stringify(typeRaw)} is not a part type of the category tree (e.g. brake_pad or 刹车片)`,
    );
  const kind = KINDS[fold(str(f, "kind", 12))];
  if (!kind)
    throw new RowError(
      "kind",
      `must be oe, aftermarket, reman or used (原厂, 品牌, 再制造, 拆车件), got ${JSON.stringify(f.kind)}`,
    );
  const position = str(f, "position", 2, false) || null;
  if (position && position !== "前" && position !== "后")
    throw new RowError("position", `must be 前 or 后, got ${JSON.stringify(position)}`);
  const material = str(f, "material", 60, false);
  const attrRaw = f.attributes;
  const attributes =
    attrRaw === undefined || attrRaw === ""
      ? {}
      : typeof attrRaw === "object"
        ? attrRaw
        : json(str(f, "attributes", 2000), "attributes");
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes))
    throw new RowError("attributes", "must be a JSON object");
  const images = str(f, "images", 2000, false)
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const u of images)
    if (!/^https:\/\/[^\s]+$/.test(u))
      throw new RowError("images", `${JSON.stringify(u.slice(0, 60))} is not an https URL`);
  const gtin = str(f, "gtin", 14, false) || null;
  if (gtin && (!/^\d{14}$/.test(gtin) || gs1CheckDigit(gtin.slice(0, 13)) !== Number(gtin[13])))
    throw new RowError("gtin", `${gtin} is not a GTIN-14 with a valid check digit`);
  const oe = str(f, "oeNumbers", 500, false)
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([^:：]{1,20})[:：](.+)$/.exec(s);
      const display = (m ? m[2]! : s).trim();
      const norm = normaliseNumber(display);
      if (!/^[0-9A-Z]{4,40}$/.test(norm))
        throw new RowError("oeNumbers", `${JSON.stringify(display)} is not an OE number`);
      return { brand: m ? fold(m[1]!) : "", display, norm };
    });
  return {
    sku: {
      brand,
      partNo: part.display,
      partNoNorm: part.norm,
      name,
      partType,
      position,
      kind,
      material,
      attributes: JSON.stringify(attributes),
      images,
      gtin,
      terms: termsCached(name, partType, brand, material),
    },
    brandName,
    oe,
  };
}

/** SKU terms depend on name, type, brand and material only, and a catalogue repeats those a lot. */
const termsCache = new Map<string, string>();
function termsCached(name: string, partType: string, brand: string, material: string): string {
  const key = `${name}\u0001${partType}\u0001${brand}\u0001${material}`;
  let t = termsCache.get(key);
  if (t === undefined) {
    if (termsCache.size > 100_000) termsCache.clear();
    t = skuTerms({ name, partType, brand, material }).join(" ");
    termsCache.set(key, t);
  }
  return t;
}

function json(s: string, field: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new RowError(field, "is not valid JSON");
  }
}

function year(f: Record<string, unknown>, field: string): number {
  const s = str(f, field, 4);
  const y = Number(s);
  if (!/^\d{4}$/.test(s) || y < 1950 || y > 2035)
    throw new RowError(field, `must be a year 1950-2035, got ${JSON.stringify(s)}`);
  return y;
}
