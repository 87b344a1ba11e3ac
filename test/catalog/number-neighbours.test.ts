import { expect } from "chai";
import {
  editDistance,
  neighbourRanges,
  oneEditAway,
  prefixEnd,
  reversed,
  swapDistance,
  typoRanges,
  type NumberRange,
} from "../../api/src/modules/catalog/numbers.js";

/** A deterministic generator (the cases are the same every run, and many). */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** One random edit of any kind a person makes typing a number: drop, insert, replace, swap neighbours. */
function randomEdit(s: string, r: () => number): string {
  const i = Math.floor(r() * s.length);
  const c = ALPHABET[Math.floor(r() * (r() < 0.7 ? 10 : 36))]!;
  const k = r();
  if (k < 0.25 && s.length > 1) return s.slice(0, i) + s.slice(i + 1);
  if (k < 0.5) return s.slice(0, i) + c + s.slice(i);
  if (k < 0.75 && i < s.length - 1) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  return s.slice(0, i) + c + s.slice(i + 1);
}

/** Whether `number` lies in one of the index ranges: starts with a prefix, or its reverse starts with a suffix. */
function covered(number: string, ranges: { prefixes: string[]; suffixes: string[] }): boolean {
  const inRange = (s: string, p: string) => s >= p && s < prefixEnd(p);
  const rev = reversed(number);
  return ranges.prefixes.some((p) => inRange(number, p)) || ranges.suffixes.some((p) => inRange(rev, p));
}

/** Whether `b` is `a` with two non-overlapping swaps of neighbours. */
function isTwoSwaps(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0);
  return (
    diff.length === 4 &&
    diff[1] === diff[0]! + 1 &&
    diff[3] === diff[2]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!] &&
    a[diff[2]!] === b[diff[3]!] &&
    a[diff[3]!] === b[diff[2]!]
  );
}

/** Whether a range holds `number` and its filter keeps it: what the search's SQL does with each range. */
function kept(number: string, ranges: NumberRange[]): boolean {
  return ranges.some((r) => {
    const s = r.column === "norm" ? number : reversed(number);
    return s >= r.prefix && s < prefixEnd(r.prefix) && editDistance(s, r.target, r.max) <= r.max;
  });
}

describe("catalog: number neighbours (DECISIONS 120)", () => {
  it("finds every number one or two typing edits away — a swap of neighbours counting one — and nothing further", () => {
    const r = lcg(120);
    const checked = { 1: 0, 2: 0, swaps: 0, beyond: 0 };
    for (let round = 0; round < 1_200; round++) {
      const len = 5 + Math.floor(r() * 10);
      const stored =
        (r() < 0.5 ? "0986" : "") +
        Array.from({ length: len }, () => ALPHABET[Math.floor(r() * (r() < 0.8 ? 10 : 36))]).join("");
      let typed = stored;
      for (let e = 1 + Math.floor(r() * 3); e > 0; e--) typed = randomEdit(typed, r);
      if (/^[0-9]+$/.test(typed) && /[^0-9]/.test(stored)) continue;
      const d = swapDistance(stored, typed);
      if (d === 0) continue;
      // A swap plus another edit is looked for in numbers of digits only, up to 12 characters; others get swaps alone.
      if (!/^[0-9]{1,12}$/.test(typed) && d < editDistance(stored, typed, 3) && d === 2 && !isTwoSwaps(stored, typed))
        continue;
      for (const max of [1, 2] as const) {
        const found = kept(stored, typoRanges(typed, max));
        expect(found, `${typed} → ${stored} (${d} typing edits, max ${max})`).to.equal(d <= max);
        if (d <= max) checked[max]++;
        else checked.beyond++;
      }
      if (d <= 2 && editDistance(stored, typed, 2) > d) checked.swaps++;
    }
    expect(checked[1]).to.be.greaterThan(140);
    expect(checked[2]).to.be.greaterThan(420);
    expect(checked.swaps, "cases a swap makes shorter than Levenshtein").to.be.greaterThan(70);
    expect(checked.beyond).to.be.greaterThan(140);
  });

  it("names index ranges holding every number one or two edits from the query, for every length and kind of edit", () => {
    const r = lcg(20261202);
    const checked = { 1: 0, 2: 0 };
    for (let round = 0; round < 5_000; round++) {
      const len = 5 + Math.floor(r() * 12);
      // Numbers of a family share a head; half the cases are such numbers, half random letters and digits.
      const stored =
        (r() < 0.5 ? "09864" : "") +
        Array.from({ length: len }, () => ALPHABET[Math.floor(r() * (r() < 0.8 ? 10 : 36))]).join("");
      let typed = stored;
      const edits = 1 + Math.floor(r() * 2);
      for (let e = 0; e < edits; e++) typed = randomEdit(typed, r);
      const d = editDistance(stored, typed, 2);
      if (d === 0 || d > 2) continue;
      // Typed in digits only, the number is looked for among numbers whose changed characters are digits.
      if (/^[0-9]+$/.test(typed) && /[^0-9]/.test(stored)) continue;
      for (const max of d === 1 ? ([1, 2] as const) : ([2] as const)) {
        expect(covered(stored, neighbourRanges(typed, max)), `${typed} → ${stored} (${d} edits, max ${max})`).to.equal(
          true,
        );
        checked[max]++;
      }
    }
    expect(checked[1]).to.be.greaterThan(1_200);
    expect(checked[2]).to.be.greaterThan(1_200);
  });

  it("reads a bounded number of ranges, none of them the whole index", () => {
    for (const q of ["0986452718", "1K0698151A", "R203OIL850951", "04465"]) {
      const head = Math.ceil(q.length / 2);
      const tail = q.length - head;
      const t1 = Math.floor(tail / 2);
      for (const max of [1, 2] as const) {
        const { prefixes, suffixes } = neighbourRanges(q, max);
        expect(prefixes.length).to.be.at.most(1 + 36 * (2 * t1 + 1));
        expect(suffixes.length).to.be.at.most(max === 1 ? 1 : 2 + 36 * (2 * tail + 1));
        // No range is the head alone (a whole family) once the tail has two characters in T1.
        for (const p of prefixes) expect(p.length, p).to.be.at.least(head + t1 - 1);
        if (t1 >= 2) for (const p of prefixes) expect(p.length, p).to.be.greaterThan(head);
        for (const p of prefixes) expect(p.startsWith(q.slice(0, head))).to.equal(true);
        for (const x of suffixes) expect(x.length).to.be.at.least(Math.min(tail - t1, tail - 1));
      }
    }
    expect(oneEditAway("12")).to.include.members(["1", "2", "112", "120", "13", "A2"]);
    expect(oneEditAway("12")).to.not.include("12");
    expect(prefixEnd("0986")).to.equal("0987");
    expect(prefixEnd("09Z")).to.equal("09[");
  });
});
