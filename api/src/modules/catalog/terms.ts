import { BRANDS } from "./data/brands.js";
import { partTypes } from "./data/categories.js";

/**
 * Search terms. PostgreSQL's text search parsers do not split Chinese, so the catalog splits it itself: every run
 * of Han characters becomes its overlapping character pairs (前大灯 → 前大 大灯), every Latin/digit word becomes a
 * lower-case term, and terms go into a tsvector through array_to_tsvector (no parser involved). A query is split
 * the same way, so "大灯总成" finds "前大灯总成" and a one-character typo still shares most pairs.
 */
const HAN = /\p{Script=Han}+/gu;

export function fold(s: string): string {
  return s.normalize("NFKC").toLowerCase();
}

export function termsOf(text: string): string[] {
  const t = fold(text);
  const out = new Set<string>();
  for (const [run] of t.matchAll(HAN)) {
    const chars = [...run];
    if (chars.length === 1) out.add(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  for (const [w] of t.replace(HAN, " ").matchAll(/[a-z0-9][a-z0-9+\-./]*/g)) {
    const clean = w.replace(/[-./]/g, "");
    if (clean.length >= 2) out.add(clean);
  }
  return [...out];
}

const TYPES = new Map(partTypes().map((p) => [p.id, p]));
const BRAND_BY_ID = new Map(BRANDS.map((b) => [b.id, b]));

/** The terms a SKU is found by: its name, its part type's name, synonyms and category path, its brand's names, material. */
export function skuTerms(sku: {
  name: string;
  partType: string;
  brand: string;
  material?: string | undefined;
  position?: string | null | undefined;
}): string[] {
  const type = TYPES.get(sku.partType);
  const brand = BRAND_BY_ID.get(sku.brand);
  const words = [
    sku.name,
    sku.material ?? "",
    ...(type ? [type.name, ...type.synonyms, ...type.path] : []),
    ...(brand ? [brand.name, brand.nameZh, ...brand.aliases] : [sku.brand]),
  ];
  return termsOf(words.join(" "));
}

/** A tsquery that needs every term (`&`) or any (`|`); terms are quoted so nothing in them is syntax. */
export function tsquery(terms: string[], op: "&" | "|"): string {
  return terms.map((t) => `'${t.replace(/'/g, "''")}'`).join(` ${op} `);
}
