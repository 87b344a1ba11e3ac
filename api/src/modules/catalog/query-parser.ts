import { pinyin } from "pinyin-pro";
import { assertVin } from "../../../../ledger-service/src/gs1/vin.js";
import { BRANDS } from "./data/brands.js";
import { partTypes, TYPE_POPULARITY } from "./data/categories.js";
import { editDistance, looksLikeNumber, normaliseNumber, swapDistance } from "./numbers.js";
import { fold } from "./terms.js";

/**
 * What a shop typed, understood: numbers, a VIN, a vehicle (series/make, year, generation and engine qualifiers),
 * part types (and side), a brand, a kind of part, and the rest.
 */
export interface ParsedQuery {
  numbers: string[];
  /** The tokens of a number typed with spaces, tried when the whole finds nothing. */
  numberParts: string[];
  /** A VIN typed anywhere in the box (check character valid): narrows like `vin=`. */
  vin: string | null;
  series: string[];
  makes: string[];
  year: number | null;
  /** Generation and engine words of the named vehicle (b8, 十代, 2.0t, 双擎, plus). */
  qualifiers: string[];
  /** The first of `partTypes` (kept for callers that know one). */
  partType: string | null;
  /** Part types asked for: one, or a kit's (三滤). */
  partTypes: string[];
  position: "前" | "后" | null;
  brand: string | null;
  /** oe / aftermarket / reman / used, from words such as 原厂, 副厂, 拆车件. */
  kind: string | null;
  /** What is left: searched as text among the candidates (an unknown word narrows, it is not dropped). */
  words: string;
  /** Names read with a character wrong, a same-sound character, or typed in pinyin (shown: "did you mean"). */
  corrected: Array<{ typed: string; meant: string; how: "typo" | "sound" | "pinyin" }>;
}

export interface SynonymDef {
  term: string;
  partTypes: string[];
  position: "前" | "后" | null;
  kind: string | null;
}

/** The vocabulary a parser reads queries with: the code's defaults plus what the database holds. */
export interface Vocabulary {
  /** Series name → its aliases. */
  series: Map<string, string[]>;
  makes: string[];
  /** Brands learned from imports (id → every name it was imported under); the code's list is always included. */
  brands?: Array<{ id: string; names: string[] }>;
  /** The synonym table (catalog_synonyms). */
  synonyms?: SynonymDef[];
  /** Generation and engine words of the vehicles (folded). */
  qualifiers?: Iterable<string>;
}

type Kind = "series" | "make" | "type" | "brand" | "syn";
interface Entry {
  key: string;
  kind: Kind;
  value: string;
  types?: string[];
  position?: "前" | "后" | null;
  skuKind?: string | null;
}

const HAN = /^\p{Script=Han}+$/u;
const TRADE_SUFFIX = /(汽车配件|汽车零部件|汽车用品|汽配城|汽配|配件|零部件|拆车件|拆车|汽车|公司|有限公司|集团)$/;
const ORDER: Record<Kind, number> = { series: 0, make: 1, type: 2, brand: 3, syn: 4 };

/** The readings of a Chinese word without tones: the word's own (in context) and each polyphone's others (≤ 32). */
const readingCache = new Map<string, string[]>();
function charReadings(c: string): string[] {
  let r = readingCache.get(c);
  if (!r) {
    r = pinyin(c, { multiple: true, type: "array", toneType: "none", v: true });
    if (!r.length) r = [c];
    readingCache.set(c, r);
  }
  return r;
}
export function readings(word: string): string[][] {
  const own = pinyin(word, { type: "array", toneType: "none", v: true });
  const out: string[][] = [own];
  let combos: string[][] = [[]];
  for (const c of word) {
    const next: string[][] = [];
    for (const prefix of combos) for (const r of charReadings(c)) if (next.length < 32) next.push([...prefix, r]);
    combos = next;
  }
  for (const c of combos) if (c.join() !== own.join()) out.push(c);
  return out;
}

/** Fuzzy pinyin as input methods allow it: zh/z, ch/c, sh/s, n/l, -ng/-n, ü/u. */
const fuzzy = (syllable: string) =>
  syllable
    .replace(/^([zcs])h/, "$1")
    .replace(/^n/, "l")
    .replace(/ng$/, "n")
    .replace(/v/g, "u");

/** English plurals of a Latin name ("brake pad" → "brake pads", "battery" → "batteries"). */
function plurals(key: string): string[] {
  if (!/[a-z]$/.test(key) || !/^[a-z0-9 -]+$/.test(key)) return [];
  if (/[^aeiou]y$/.test(key)) return [key.slice(0, -1) + "ies"];
  if (/(s|x|ch|sh)$/.test(key)) return [key + "es"];
  return [key + "s"];
}

/**
 * Query understanding by vocabulary, as parts catalogues do it: a VIN and a model year are taken out first; then the
 * longest known names (series, makes, part types with their synonyms, brands — the code's and every brand imported —
 * and the synonym table's words for sides, kinds and fillers), so "帕萨特前大灯" splits without spaces; then the
 * vehicles' generation and engine words; then pinyin (full, initials, mixed with characters; every reading of a
 * polyphone); then names with a same-sound character (two or more characters) or one wrong character (three or more);
 * then numbers. What is left narrows the results as text.
 */
export class QueryParser {
  private readonly entries: Entry[];
  private readonly byPinyin = new Map<string, Entry>();
  private readonly byFuzzyPinyin = new Map<string, Entry>();
  private readonly bySound = new Map<string, Entry[]>();
  private readonly qualifiers: Set<string>;
  private readonly hanQualifiers: string[];
  /** Every key, for "did you mean". */
  readonly keys: Array<{ key: string; sound: string }> = [];

  constructor(vocab: Vocabulary) {
    const e: Entry[] = [];
    for (const [series, aliases] of vocab.series)
      for (const k of [series, ...aliases]) e.push({ key: fold(k), kind: "series", value: series });
    for (const m of vocab.makes) e.push({ key: fold(m), kind: "make", value: m });
    for (const t of partTypes())
      for (const k of [t.name, ...t.synonyms]) e.push({ key: fold(k), kind: "type", value: t.id, types: [t.id] });
    const brands = new Map<string, Set<string>>();
    for (const b of BRANDS) brands.set(b.id, new Set([b.name, b.nameZh, ...b.aliases]));
    for (const b of vocab.brands ?? []) {
      const names = brands.get(b.id) ?? new Set<string>();
      for (const n of [b.id, ...b.names]) names.add(n);
      brands.set(b.id, names);
    }
    for (const [id, names] of brands) {
      for (const n of names) {
        const k = fold(n).trim();
        e.push({ key: k, kind: "brand", value: id });
        // The name without its trade suffix (万向汽配 → 万向, 老王拆车件 → 老王).
        const short = k.replace(TRADE_SUFFIX, "");
        if (short !== k && short.length >= 2) e.push({ key: short, kind: "brand", value: id });
      }
    }
    for (const s of vocab.synonyms ?? []) {
      const key = fold(s.term).trim();
      if (s.partTypes.length)
        e.push({
          key,
          kind: "type",
          value: s.partTypes[0]!,
          types: s.partTypes,
          position: s.position,
          skuKind: s.kind,
        });
      else e.push({ key, kind: "syn", value: key, position: s.position, skuKind: s.kind });
    }
    for (const x of [...e]) for (const p of plurals(x.key)) e.push({ ...x, key: p });
    // Longest first; among equals, vehicles before types before brands, and the more often sought part type first
    // (so a typo between 刹车片 and 刹车油 reads as the pad). One-character keys are series only (秦, 汉, 唐, 宋).
    const popularity = (x: Entry) => (x.kind === "type" ? TYPE_POPULARITY.indexOf(x.value) >>> 0 : 0);
    this.entries = e
      .filter((x) => x.key.length >= 2 || (x.kind === "series" && HAN.test(x.key)))
      .sort((a, b) => b.key.length - a.key.length || ORDER[a.kind] - ORDER[b.kind] || popularity(a) - popularity(b));
    // Pinyin keys: every reading run together, and its initials (two or more); types first, then series, brands, makes.
    const pyOrder: Record<Kind, number> = { type: 0, series: 1, brand: 2, make: 3, syn: 4 };
    const named = this.entries
      .filter((x) => HAN.test(x.key) && x.kind !== "syn")
      .sort(
        (a, b) => pyOrder[a.kind] - pyOrder[b.kind] || popularity(a) - popularity(b) || a.key.length - b.key.length,
      );
    for (const x of named) {
      for (const r of readings(x.key)) {
        const full = r.join("");
        const sound = r.join(" ");
        if (!this.byPinyin.has(full)) this.byPinyin.set(full, x);
        if (!this.byPinyin.has(full.replace(/v/g, "u"))) this.byPinyin.set(full.replace(/v/g, "u"), x);
        const fz = r.map(fuzzy).join(" ");
        if (!this.byFuzzyPinyin.has(fz)) this.byFuzzyPinyin.set(fz, x);
        const list = this.bySound.get(sound) ?? [];
        if (!list.includes(x)) this.bySound.set(sound, [...list, x]);
        if (x.key.length >= 2) {
          const initials = r.map((s) => s[0]).join("");
          if (!this.byPinyin.has(initials)) this.byPinyin.set(initials, x);
        }
      }
      this.keys.push({ key: x.key, sound: readings(x.key)[0]!.join("") });
    }
    this.qualifiers = new Set([...(vocab.qualifiers ?? [])].map(fold).filter(Boolean));
    this.hanQualifiers = [...this.qualifiers]
      .filter((x) => /\p{Script=Han}/u.test(x))
      .sort((a, b) => b.length - a.length);
  }

  parse(raw: string): ParsedQuery {
    // An engine size glued to a Latin series name (gl82.5l, cr-v2.0l) stands apart.
    let q = ` ${fold(raw).replace(/[，,。;；、|？?！!]+/g, " ")} `.replace(
      /([0-9a-z-])(\d\.\d[lt])(?![0-9a-z])/g,
      "$1 $2",
    );
    const typed = q;
    const out: ParsedQuery = {
      numbers: [],
      numberParts: [],
      vin: null,
      series: [],
      makes: [],
      year: null,
      qualifiers: [],
      partType: null,
      partTypes: [],
      position: null,
      brand: null,
      kind: null,
      words: "",
      corrected: [],
    };
    const blank = (at: number, len: number) => {
      q = q.slice(0, at) + " ".repeat(len) + q.slice(at + len);
    };
    // A VIN anywhere (17 characters without I, O, Q, its check character valid).
    for (const m of q.matchAll(/(?<![0-9a-z])[a-hj-npr-z0-9]{17}(?![0-9a-z])/g)) {
      try {
        out.vin = assertVin(m[0].toUpperCase(), "vin");
        blank(m.index, 17);
        break;
      } catch {
        // not a VIN: a part number, read below
      }
    }
    // A model year, also glued to a series (雅阁2019款刹车片): digits not inside a longer number.
    const year =
      /(?<![0-9a-z]|[0-9a-z][-./])((?:19|20)\d{2})(?:年款|款|年)?(?![0-9a-z]|[-./][0-9a-z])/.exec(q) ??
      /(?<![0-9a-z.])(\d{2})(?:款|年款)/.exec(q);
    if (year) {
      const y = Number(year[1]!.length === 2 ? `20${year[1]}` : year[1]);
      if (y >= 1990 && y <= 2035) {
        out.year = y;
        blank(year.index, year[0].length);
      }
    }
    const take = (e: Entry, at: number, len: number) => {
      if (e.kind === "series" && !out.series.includes(e.value)) {
        out.series.push(e.value);
        // An alias naming a generation too (秦plus → 秦 + plus) keeps the generation as a qualifier.
        const name = fold(e.value);
        const extra = e.key.startsWith(name) ? e.key.slice(name.length).trim() : "";
        if (extra && this.qualifiers.has(extra)) out.qualifiers.push(extra);
      }
      if (e.kind === "make" && !out.makes.includes(e.value)) out.makes.push(e.value);
      if (e.kind === "brand" && !out.brand) out.brand = e.value;
      if (e.skuKind && !out.kind) out.kind = e.skuKind;
      if (e.position && !out.position) out.position = e.position;
      if (e.kind === "type" && !out.partTypes.length) {
        out.partTypes = e.types ?? [e.value];
        out.partType = out.partTypes[0]!;
        const before = q.slice(0, at).trimEnd().at(-1);
        if ((before === "前" || before === "后") && at > 0) {
          out.position ??= before;
          const i = q.slice(0, at).lastIndexOf(before);
          blank(i, 1);
        }
      }
      blank(at, len);
    };
    const isAscii = (s: string) => /^[a-z0-9\- ]+$/.test(s);
    const standalone = (at: number, len: number) =>
      !/[a-z0-9]/.test(q[at - 1] ?? "") && !/[a-z0-9]/.test(q[at + len] ?? "");
    for (const e of this.entries) {
      if (e.kind === "type" && out.partTypes.length) continue;
      if (e.key.length === 1 && out.series.length) continue;
      for (let at = q.indexOf(e.key); at >= 0; at = q.indexOf(e.key, at + 1)) {
        // Latin names (cx-5, h6, a4l) must stand alone, not inside a part number.
        if (isAscii(e.key) && !standalone(at, e.key.length)) continue;
        take(e, at, e.key.length);
        break;
      }
    }
    // Generation and engine words of the vehicles (b8, mk7, 十代, 双擎, 2.0t, 1.5l, plus).
    for (const k of this.hanQualifiers) {
      const at = q.indexOf(k);
      if (at >= 0) {
        out.qualifiers.push(k);
        blank(at, k.length);
      }
    }
    for (const m of q.matchAll(/(?<=\s)[0-9a-z][0-9a-z.\-/]*(?=\s)/g)) {
      const t = m[0];
      const vehicleNamed = out.series.length || out.makes.length || out.vin;
      if ((this.qualifiers.has(t) && (vehicleNamed || t.length >= 3)) || /^\d\.\d[tl]$/.test(t)) {
        out.qualifiers.push(t);
        blank(m.index, t.length);
      }
    }
    // A Latin series name glued to its generation (a6lc8, a4lb9): split where the rest is a generation word.
    if (!out.series.length)
      for (const m of q.matchAll(/(?<=\s)[0-9a-z]+(?=\s)/g)) {
        const e = this.entries.find(
          (x) =>
            x.kind === "series" &&
            /^[a-z0-9]+$/.test(x.key) &&
            m[0].startsWith(x.key) &&
            this.qualifiers.has(m[0].slice(x.key.length)),
        );
        if (e) {
          out.qualifiers.push(m[0].slice(e.key.length));
          take(e, m.index, m[0].length);
          break;
        }
      }
    // Pinyin: runs of Latin words (no digits) read as one or more names, full or by initials.
    for (const m of [...q.matchAll(/(?<=\s)[a-z]+(?:\s+[a-z]+)*(?=\s)/g)]) {
      // Letters next to a token with digits are part of a number (kl 548, w 719/30), not pinyin.
      const before = q.slice(0, m.index).trimEnd().split(/\s+/).at(-1) ?? "";
      const after =
        q
          .slice(m.index + m[0].length)
          .trimStart()
          .split(/\s+/)[0] ?? "";
      if ([before, after].some((t) => /^[0-9a-z\-./]*\d[0-9a-z\-./]*$/.test(t))) continue;
      const tokens = m[0].split(/\s+/);
      const whole = this.segment(tokens.join(""));
      const parts = whole ? [whole] : tokens.map((t) => this.segment(t));
      let any = false;
      for (const seg of parts) {
        if (!seg) continue;
        for (const x of seg) {
          if (x.entry.kind === "type" && out.partTypes.length) continue;
          out.corrected.push({ typed: x.typed, meant: x.entry.key, how: "pinyin" });
          take(x.entry, 0, 0);
        }
        any = true;
      }
      if (any && whole) blank(m.index, m[0].length);
      else if (any)
        tokens.forEach((t, i) => {
          if (parts[i]) q = q.replace(new RegExp(`(?<=\\s)${t}(?=\\s)`), " ".repeat(t.length));
        });
    }
    // Same sound (or fuzzy pinyin) in a name of two or more characters, with at least one character right.
    for (const [run] of [...q.matchAll(/\p{Script=Han}{2,}/gu)]) {
      for (let len = Math.min(4, run.length); len >= 2; len--) {
        for (let i = 0; i + len <= run.length; i++) {
          const w = run.slice(i, i + len);
          if (!q.includes(w)) continue;
          const hit = this.soundsLike(w, out);
          if (hit) {
            out.corrected.push({ typed: w, meant: hit.key, how: "sound" });
            take(hit, q.indexOf(w), len);
          }
        }
      }
    }
    // One wrong character in a name of three or more Han characters.
    for (const [run] of q.matchAll(/\p{Script=Han}{3,}/gu)) {
      for (const e of this.entries) {
        if (e.key.length < 3 || !HAN.test(e.key) || e.key.length > run.length) continue;
        if (this.filled(e, out)) continue;
        let hit = -1;
        for (let i = 0; i + e.key.length <= run.length && hit < 0; i++)
          if (editDistance(run.slice(i, i + e.key.length), e.key, 1) <= 1) hit = i;
        if (hit >= 0) {
          const at = q.indexOf(run) + hit;
          out.corrected.push({ typed: q.slice(at, at + e.key.length), meant: e.key, how: "typo" });
          take(e, at, e.key.length);
          break;
        }
      }
    }
    // What is left of a name read already through a shorter synonym with a typo further on (大灯总城: 大灯 was read,
    // 总城 is the rest of 大灯总成 typed wrong) is not a word to narrow by.
    for (const m of [...q.matchAll(/\p{Script=Han}+/gu)]) {
      const run = m[0];
      const done = this.entries.find((e) => {
        if (e.key.length < 3 || e.key.length <= run.length || !HAN.test(e.key) || !this.already(e, out)) return false;
        for (let start = m.index - (e.key.length - run.length); start <= m.index; start++)
          if (start >= 0 && editDistance(typed.slice(start, start + e.key.length), e.key, 1) <= 1) return true;
        return false;
      });
      if (done) {
        out.corrected.push({ typed: run, meant: done.key, how: "typo" });
        blank(m.index, run.length);
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
    // Single characters (的, 款, 个) and punctuation do not narrow.
    out.words = rest
      .map((w) => w.replace(/[^\p{L}\p{N}.\-+/]/gu, ""))
      .filter((w) => [...w].length >= 2)
      .join(" ");
    return out;
  }

  /** Whether this entry's meaning was read already. */
  private already(e: Entry, out: ParsedQuery): boolean {
    return (
      (e.kind === "type" && out.partTypes.includes(e.value)) ||
      (e.kind === "series" && out.series.includes(e.value)) ||
      (e.kind === "make" && out.makes.includes(e.value)) ||
      (e.kind === "brand" && out.brand === e.value)
    );
  }

  private filled(e: Entry, out: ParsedQuery): boolean {
    return (
      (e.kind === "type" && out.partTypes.length > 0) ||
      (e.kind === "series" && out.series.length > 0) ||
      (e.kind === "make" && (out.makes.length > 0 || out.series.length > 0)) ||
      (e.kind === "brand" && out.brand !== null) ||
      e.kind === "syn"
    );
  }

  /** A vocabulary name that sounds like `w` (same or fuzzy pinyin, same length, one character in common). */
  private soundsLike(w: string, out: ParsedQuery): Entry | null {
    for (const r of readings(w)) {
      for (const e of this.bySound.get(r.join(" ")) ?? []) if (this.fits(e, w, out)) return e;
      const f = this.byFuzzyPinyin.get(r.map(fuzzy).join(" "));
      if (f && this.fits(f, w, out)) return f;
    }
    return null;
  }

  private fits(e: Entry, w: string, out: ParsedQuery): boolean {
    return (
      e.key.length === w.length &&
      e.key !== w &&
      [...w].some((c, i) => e.key[i] === c) &&
      !this.filled(e, out) &&
      !(e.kind === "brand" && w.length < 3)
    );
  }

  /** Latin letters read as pinyin names, covering the whole string (fewest names), or null. */
  private segment(s: string): Array<{ typed: string; entry: Entry }> | null {
    if (s.length < 2 || s.length > 60) return null;
    const best: Array<{ n: number; from: number; entry: Entry | null }> = [{ n: 0, from: -1, entry: null }];
    for (let i = 1; i <= s.length; i++) {
      best[i] = { n: Infinity, from: -1, entry: null };
      for (let j = Math.max(0, i - 30); j < i; j++) {
        if (best[j]!.n === Infinity) continue;
        const e = this.byPinyin.get(s.slice(j, i));
        if (e && best[j]!.n + 1 < best[i]!.n) best[i] = { n: best[j]!.n + 1, from: j, entry: e };
      }
    }
    if (best[s.length]!.n === Infinity) return null;
    const out: Array<{ typed: string; entry: Entry }> = [];
    for (let i = s.length; i > 0; i = best[i]!.from)
      out.unshift({ typed: s.slice(best[i]!.from, i), entry: best[i]!.entry! });
    return out;
  }

  /** Vocabulary names nearest to what was typed (same pinyin, or one edit in characters or pinyin), best first. */
  suggest(words: string, max = 5): string[] {
    const found = new Map<string, number>();
    for (const w of words.split(/\s+/).filter((x) => x.length >= 2)) {
      const sounds = /\p{Script=Han}/u.test(w) ? readings(w).map((r) => r.join("")) : [w];
      for (const k of this.keys) {
        let d = editDistance(w, k.key, 1) <= 1 ? editDistance(w, k.key, 1) : Infinity;
        for (const s of sounds) {
          if (Math.abs(s.length - k.sound.length) > 1) continue;
          const sd = swapDistance(s, k.sound);
          if (sd <= 1) d = Math.min(d, sd);
        }
        if (d <= 1 && (!found.has(k.key) || found.get(k.key)! > d)) found.set(k.key, d);
      }
    }
    return [...found]
      .sort((a, b) => a[1] - b[1])
      .slice(0, max)
      .map(([k]) => k);
  }
}
