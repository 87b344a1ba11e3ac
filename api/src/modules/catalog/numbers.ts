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
