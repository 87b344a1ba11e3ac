/** Small pure helpers of the repair-shop screens: VIN check digits, part links, verdict colours, idempotency keys. */

const VIN_VALUES: Record<string, number> = {};
"0123456789".split("").forEach((c, i) => (VIN_VALUES[c] = i));
// ISO 3779 / 49 CFR 565 transliteration (no I, O, Q).
Object.entries({ A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9 }).forEach(
  ([c, v]) => (VIN_VALUES[c] = v),
);
Object.entries({ S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9 }).forEach(([c, v]) => (VIN_VALUES[c] = v));
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinProblem = "length" | "characters" | "checkDigit";

/** Why a VIN is not valid (17 characters, no I/O/Q, check digit in position 9), or null when it is. */
export function vinProblem(raw: string): VinProblem | null {
  const vin = raw.trim().toUpperCase();
  if (vin.length !== 17) return "length";
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return "characters";
  const sum = vin.split("").reduce((s, c, i) => s + VIN_VALUES[c]! * VIN_WEIGHTS[i]!, 0);
  const check = sum % 11 === 10 ? "X" : String(sum % 11);
  return vin[8] === check ? null : "checkDigit";
}

/** A VIN-shaped word in a search (17 characters without I/O/Q): searched as `vin=`, the rest as words. */
export function splitVin(query: string): { vin?: string; q: string } {
  const words = query.trim().split(/\s+/);
  const i = words.findIndex((w) => /^[A-HJ-NPR-Z0-9]{17}$/i.test(w) && /[A-Z]/i.test(w) && /\d/.test(w));
  if (i < 0) return { q: query.trim() };
  const vin = words[i]!.toUpperCase();
  return { vin, q: words.filter((_, j) => j !== i).join(" ") };
}

export interface PartLink {
  gtin: string;
  serial: string;
  /** The link's query (lot, signature …), passed on to the resolver as it was. */
  query: Record<string, string>;
}

/**
 * A part's GS1 Digital Link as scanned or typed (`https://host/01/{gtin}/21/{serial}?…`, or the path alone, or
 * `gtin/serial`); null when it is none.
 */
export function parsePartLink(text: string): PartLink | null {
  const raw = text.trim();
  let path: string;
  let search: string;
  try {
    const u = new URL(raw, "https://x.invalid");
    path = u.pathname;
    search = u.search;
  } catch {
    return null;
  }
  const m = /\/01\/(\d{14})\/21\/([^/?#]{1,20})/.exec(path) ?? /^\/?(\d{14})\/([^/?#\s]{1,20})$/.exec(path);
  if (!m) return null;
  const query: Record<string, string> = {};
  new URLSearchParams(search).forEach((v, k) => (query[k] = v));
  return { gtin: m[1]!, serial: decodeURIComponent(m[2]!), query };
}

export type Verdict = "GENUINE" | "GENUINE_PENDING_ANCHOR" | "UNKNOWN" | "ALREADY_INSTALLED" | "SUSPECT_CLONE";

/** The public scan page's colours (api/src/modules/verify/verify.page.ts): green genuine, amber installed, red otherwise. */
export const VERDICT_COLORS: Record<Verdict, string> = {
  GENUINE: "#1a7f37",
  GENUINE_PENDING_ANCHOR: "#1a7f37",
  ALREADY_INSTALLED: "#b58100",
  SUSPECT_CLONE: "#cf222e",
  UNKNOWN: "#cf222e",
};

/** A fresh Idempotency-Key (one per user intent: a retried click sends the same one). */
export function newKey(prefix: string): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Metres in words: "850 米" / "2.4 公里" (the unit words come from i18n). */
export function distanceText(metres: number, m: string, km: string): string {
  return metres < 1000 ? `${metres} ${m}` : `${(metres / 1000).toFixed(1)} ${km}`;
}

/**
 * The order's part a scan or typed code names: its label link (`…/01/{gtin}/21/{serial}`, or `gtin/serial`), the
 * element string `(01){gtin}(21){serial}`, or the bare serial as the list shows it (exact, else the one serial that
 * matches without regard to case).
 */
export function partOfOrder<P extends { gtin: string; serial: string }>(parts: P[], code: string): P | undefined {
  const s = code.trim();
  const ai = /^\(01\)(\d{14})\(21\)(.{1,20})$/.exec(s);
  const link = ai ? { gtin: ai[1]!, serial: ai[2]! } : parsePartLink(s);
  if (link) {
    const hit = parts.find((p) => p.gtin === link.gtin && p.serial === link.serial);
    if (hit) return hit;
  }
  const exact = parts.filter((p) => p.serial === s);
  if (exact.length === 1) return exact[0];
  const folded = parts.filter((p) => p.serial.toUpperCase() === s.toUpperCase());
  return folded.length === 1 ? folded[0] : undefined;
}
