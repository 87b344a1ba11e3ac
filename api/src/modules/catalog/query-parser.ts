import { BRANDS } from "./data/brands.js";
import { partTypes, TYPE_POPULARITY } from "./data/categories.js";
import { editDistance, looksLikeNumber, normaliseNumber } from "./numbers.js";
import { fold } from "./terms.js";

/** What a shop typed, understood: numbers, a vehicle, a model year, a part type (and side), a brand, and the rest. */
export interface ParsedQuery {
  numbers: string[];
  /** The tokens of a number typed with spaces, tried when the whole finds nothing. */
  numberParts: string[];
  series: string[];
  makes: string[];
  year: number | null;
  partType: string | null;
  position: "前" | "后" | null;
  brand: string | null;
  words: string;
  /** Dictionary entries matched with one character wrong (shown to the user: "did you mean"). */
  corrected: Array<{ typed: string; meant: string }>;
}

type Entry = { key: string; kind: "series" | "make" | "type" | "brand"; value: string };

export interface VehicleNames {
  /** Series name → its aliases. */
  series: Map<string, string[]>;
  makes: string[];
}

/**
 * Query understanding by dictionary, as parts catalogues do it: the longest known names are taken out of the query
 * first (so "帕萨特前大灯" splits without spaces), then one-character typos of the longer names, then numbers;
 * what is left is searched as text.
 */
export class QueryParser {
  private readonly entries: Entry[];

  constructor(vehicles: VehicleNames) {
    const e: Entry[] = [];
    for (const [series, aliases] of vehicles.series)
      for (const k of [series, ...aliases]) e.push({ key: fold(k), kind: "series", value: series });
    for (const m of vehicles.makes) e.push({ key: fold(m), kind: "make", value: m });
    for (const t of partTypes())
      for (const k of [t.name, ...t.synonyms]) e.push({ key: fold(k), kind: "type", value: t.id });
    for (const b of BRANDS)
      for (const k of [b.name, b.nameZh, ...b.aliases]) e.push({ key: fold(k), kind: "brand", value: b.id });
    // Longest first; among equals, vehicles before types before brands, and the more often sought part type first
    // (so a typo between 刹车片 and 刹车油 reads as the pad).
    const order = { series: 0, make: 1, type: 2, brand: 3 };
    const popularity = (x: Entry) => (x.kind === "type" ? TYPE_POPULARITY.indexOf(x.value) >>> 0 : 0);
    this.entries = e
      .filter((x) => x.key.length >= 2)
      .sort((a, b) => b.key.length - a.key.length || order[a.kind] - order[b.kind] || popularity(a) - popularity(b));
  }

  parse(raw: string): ParsedQuery {
    let q = ` ${fold(raw).replace(/[，,。;；、|]+/g, " ")} `;
    const out: ParsedQuery = {
      numbers: [],
      numberParts: [],
      series: [],
      makes: [],
      year: null,
      partType: null,
      position: null,
      brand: null,
      words: "",
      corrected: [],
    };
    const year =
      /(?:^|[^0-9a-z])((?:19|20)\d{2})(?:款|年|年款)?(?=$|[^0-9a-z])/.exec(q) ?? /(?:^|[^0-9])(\d{2})款/.exec(q);
    if (year) {
      const y = Number(year[1]!.length === 2 ? `20${year[1]}` : year[1]);
      if (y >= 1990 && y <= 2035) {
        out.year = y;
        q = q.replace(year[0], " ");
      }
    }
    const take = (e: Entry, at: number, len: number) => {
      if (e.kind === "series" && !out.series.includes(e.value)) out.series.push(e.value);
      if (e.kind === "make" && !out.makes.includes(e.value)) out.makes.push(e.value);
      if (e.kind === "brand" && !out.brand) out.brand = e.value;
      if (e.kind === "type" && !out.partType) {
        out.partType = e.value;
        const before = q[at - 1];
        if (before === "前" || before === "后") {
          out.position = before;
          q = q.slice(0, at - 1) + " " + q.slice(at);
          at -= 1;
          len += 1;
        }
      }
      q = q.slice(0, at) + " ".repeat(len) + q.slice(at + len);
    };
    const isAscii = (s: string) => /^[a-z0-9\- ]+$/.test(s);
    for (const e of this.entries) {
      if (e.kind === "type" && out.partType) continue;
      for (let at = q.indexOf(e.key); at >= 0; at = q.indexOf(e.key, at + 1)) {
        // Latin names (cx-5, h6, a4l) must stand alone, not inside a part number.
        if (isAscii(e.key) && (/[a-z0-9]/.test(q[at - 1] ?? "") || /[a-z0-9]/.test(q[at + e.key.length] ?? "")))
          continue;
        take(e, at, e.key.length);
        break;
      }
    }
    // One wrong character in a name of three or more Han characters.
    for (const [run] of q.matchAll(/\p{Script=Han}{3,}/gu)) {
      for (const e of this.entries) {
        if (e.key.length < 3 || !/^\p{Script=Han}+$/u.test(e.key) || e.key.length > run.length) continue;
        if (
          (e.kind === "type" && out.partType) ||
          (e.kind === "series" && out.series.length) ||
          (e.kind === "brand" && out.brand)
        )
          continue;
        let hit = -1;
        for (let i = 0; i + e.key.length <= run.length && hit < 0; i++)
          if (editDistance(run.slice(i, i + e.key.length), e.key, 1) <= 1) hit = i;
        if (hit >= 0) {
          const at = q.indexOf(run) + hit;
          out.corrected.push({ typed: q.slice(at, at + e.key.length), meant: e.key });
          take(e, at, e.key.length);
          break;
        }
      }
    }
    // Numbers: a run of neighbouring letter/digit tokens that together look like one number is one number
    // ("W 719/30", "06J 115 403 Q", "0 986 494 123"); its tokens are kept as fall-backs.
    const rest: string[] = [];
    let run: string[] = [];
    const endRun = () => {
      const joined = normaliseNumber(run.join(""));
      if (run.length > 1 && looksLikeNumber(joined)) {
        out.numbers.push(joined);
        for (const t of run) if (looksLikeNumber(t)) out.numberParts.push(normaliseNumber(t));
      } else {
        for (const t of run)
          (looksLikeNumber(t) ? out.numbers : rest).push(looksLikeNumber(t) ? normaliseNumber(t) : t);
      }
      run = [];
    };
    for (const token of q.split(/\s+/).filter(Boolean)) {
      if (/^[0-9a-z][0-9a-z\-./]*$/.test(token)) run.push(token);
      else {
        endRun();
        rest.push(token);
      }
    }
    endRun();
    out.words = rest.join(" ");
    return out;
  }
}
