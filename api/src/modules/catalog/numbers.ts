/**
 * Part numbers are matched in a normalised form — full-width folded to ASCII, upper case, without spaces, dashes,
 * dots, slashes or underscores — while the form a brand prints is kept for display. Leading zeros are kept:
 * "04152-YZZA6" and "4152YZZA6" are different numbers.
 */
export function normaliseNumber(raw: string): string {
  return raw
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-–—._/\\·:]+/g, "");
}

/** Whether a query token is a part number rather than words: letters and digits with at least one digit, ≥ 5 long. */
export function looksLikeNumber(token: string): boolean {
  const n = normaliseNumber(token);
  return /^[0-9A-Z]{5,30}$/.test(n) && /\d/.test(n) && !/^(19|20)\d\d$/.test(n);
}

/** The number reversed: with an index on it, a suffix search becomes a prefix search (typo in the first half). */
export const reversed = (norm: string) => [...norm].reverse().join("");

/** The characters a normalised number is made of: what a substituted or inserted character can be. */
const NUMBER_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";

/** Every string one edit away from `s`: a character deleted, replaced or inserted (from `alphabet`). */
export function oneEditAway(s: string, alphabet = NUMBER_ALPHABET): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length) out.add(s.slice(0, i) + s.slice(i + 1));
    for (const c of alphabet) {
      if (i < s.length && c !== s[i]) out.add(s.slice(0, i) + c + s.slice(i + 1));
      out.add(s.slice(0, i) + c + s.slice(i));
    }
  }
  out.delete(s);
  return [...out];
}

/**
 * Index ranges that hold every number within `max` (1 or 2) Levenshtein edits of `norm` (DECISIONS 120): `prefixes`
 * are read from the `norm` B-tree, `suffixes` (reversed) from the `rev` B-tree. The query is split into a head (the
 * longer half: numbers of one family share their heads) and a tail, the tail into T1 and T2. In the best alignment
 * each part's edits are its own. No edit in the tail: the number ends with the tail. One in the head and one in the
 * tail (two edits): it ends with a string one edit from the tail. None in the head: it starts with the head, and
 * then with head + T1 (T1 intact), or with head + a string one edit from T1, or — T1 taking both edits — it ends with
 * T2. So no range is a whole family's head; each is read in index order whatever the statistics say, and the
 * candidates are those ranges' numbers, no more. A number typed in digits only is looked for among numbers whose
 * replaced or inserted characters are digits (a quarter of the ranges; a letter typed as a digit in one half and
 * another edit in the other is the case given up).
 */
export function neighbourRanges(norm: string, max: 1 | 2): { prefixes: string[]; suffixes: string[] } {
  const h = Math.ceil(norm.length / 2);
  const head = norm.slice(0, h);
  const tail = norm.slice(h);
  const t1 = tail.slice(0, Math.floor(tail.length / 2));
  const t2 = tail.slice(t1.length);
  const alphabet = /[^0-9]/.test(norm) ? NUMBER_ALPHABET : DIGITS;
  const prefixes = new Set([head + t1, ...oneEditAway(t1, alphabet).map((v) => head + v)]);
  const suffixes = new Set([tail, ...(max === 2 ? [...oneEditAway(tail, alphabet), t2] : [])]);
  return {
    prefixes: [...prefixes].filter((p) => p.length > 0),
    suffixes: [...suffixes].filter((x) => x.length > 0).map(reversed),
  };
}

/** One index range to read: numbers in `column` starting with `prefix`, kept when within `max` edits of `target`. */
export interface NumberRange {
  column: "norm" | "rev";
  prefix: string;
  /** The string the entry is compared with (reversed for `rev`), and the Levenshtein bound. */
  target: string;
  max: number;
}

/**
 * The ranges holding every number within `max` edits of `norm` as people mistype — a swap of neighbours counting
 * one edit (optimal string alignment, `swapDistance`), where Levenshtein counts it two. No swap: the number is
 * within `max` Levenshtein edits (`neighbourRanges`). One swap: with it undone, the number is within `max - 1`
 * (the swap's characters are touched by nothing else). Two: it is the query with both undone. A swap plus another
 * edit multiplies the ranges by the number's length (and by 3.6 with letters): it is looked for in numbers of digits
 * only, up to 12 characters (~630 ranges, ~4 ms to name); longer or lettered numbers get swaps alone (DECISIONS 120).
 */
export function typoRanges(norm: string, max: 1 | 2): NumberRange[] {
  const out = new Map<string, NumberRange>();
  const add = (column: NumberRange["column"], prefix: string, target: string, m: number) =>
    out.set(`${column}\n${prefix}\n${target}\n${m}`, { column, prefix, target, max: m });
  const lev = (q: string, m: 1 | 2) => {
    const { prefixes, suffixes } = neighbourRanges(q, m);
    for (const p of prefixes) add("norm", p, q, m);
    for (const x of suffixes) add("rev", x, reversed(q), m);
  };
  const swap = (q: string, i: number) => q.slice(0, i) + q[i + 1] + q[i] + q.slice(i + 2);
  const swapPlusEdit = /^[0-9]{1,12}$/.test(norm);
  lev(norm, max);
  for (let i = 0; i + 1 < norm.length; i++) {
    if (norm[i] === norm[i + 1]) continue;
    const once = swap(norm, i);
    if (max === 1) add("norm", once, once, 0);
    else {
      if (swapPlusEdit) lev(once, 1);
      else add("norm", once, once, 0);
      for (let j = i + 2; j + 1 < norm.length; j++)
        if (once[j] !== once[j + 1]) add("norm", swap(once, j), swap(once, j), 0);
    }
  }
  return [...out.values()];
}

/** The first string after every string starting with `prefix`, in byte order (the bound of a prefix range). */
export function prefixEnd(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!.codePointAt(0)!;
  return chars.join("") + String.fromCodePoint(last + 1);
}

/** Levenshtein distance, bounded: returns max + 1 as soon as it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Edit distance where an adjacent swap is one edit (optimal string alignment), as people mistype numbers. */
export function swapDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
