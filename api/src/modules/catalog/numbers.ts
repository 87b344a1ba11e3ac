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

/** Every string one edit away from `s`: a character deleted, replaced or inserted (from the number alphabet). */
export function oneEditAway(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length) out.add(s.slice(0, i) + s.slice(i + 1));
    for (const c of NUMBER_ALPHABET) {
      if (i < s.length && c !== s[i]) out.add(s.slice(0, i) + c + s.slice(i + 1));
      out.add(s.slice(0, i) + c + s.slice(i));
    }
  }
  out.delete(s);
  return [...out];
}

/**
 * Index ranges that hold every number within `max` (1 or 2) Levenshtein edits of `norm` (DECISIONS 120): `prefixes`
 * are read from the `norm` B-tree, `suffixes` (reversed) from the `rev` B-tree. Split the query into a head (the
 * longer half: numbers of one family share their heads) and a tail; in the best alignment the edits fall in the head
 * or the tail. None in the head: the number starts with the head. None in the tail: it ends with the tail. One in
 * each (two edits): it ends with a string one edit from the tail — every such string is a range of its own. Each
 * range is read in index order whatever the statistics say; the candidates are those ranges' numbers, no more.
 */
export function neighbourRanges(norm: string, max: 1 | 2): { prefixes: string[]; suffixes: string[] } {
  const h = Math.ceil(norm.length / 2);
  const head = norm.slice(0, h);
  const tail = norm.slice(h);
  const suffixes = new Set([tail, ...(max === 2 ? oneEditAway(tail) : [])].filter((t) => t.length > 0).map(reversed));
  return { prefixes: [head], suffixes: [...suffixes] };
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
