import { expect } from "chai";
import { assertUscc, usccCheckCharacter } from "../../api/src/modules/orgs/uscc.js";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const valid = (s: string) => {
  try {
    assertUscc(s);
    return true;
  } catch (e) {
    expect((e as { code: string }).code).to.equal("ORG.INVALID_USCC");
    return false;
  }
};

/** A real-format code: registration authority + kind, a GB/T 2260 region, 9 characters of organisation code, check. */
function generated(rand: () => number): string {
  const pick = (set: string) => set[Math.floor(rand() * set.length)]!;
  const head = pick("9") + pick("123") + ["110108", "330106", "440300", "320505", "510104"][Math.floor(rand() * 5)]!;
  let body = "";
  for (let i = 0; i < 9; i++) body += pick(ALPHABET);
  return head + body + usccCheckCharacter(head + body);
}

/** A seeded generator (mulberry32), so a failure replays. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("统一社会信用代码 (GB 32100-2015): the check character", () => {
  it("accepts companies' published codes (小米, 华为, 腾讯, the standard's example)", () => {
    for (const code of [
      "91350100M000100Y43",
      "91110108551385082Q",
      "914403001922038216",
      "91440300708461136T",
      "91330000142916567N",
    ])
      expect(valid(code), code).to.equal(true);
  });

  it("computes the check character as 31 − (Σ wᵢ·cᵢ mod 31) with weights 3ⁱ mod 31", () => {
    // The weights are the powers of 3 modulo 31 (the standard's table).
    const weights = Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n));
    expect(weights).to.deep.equal([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    const seed = Date.now() % 100_000;
    const rand = mulberry32(seed);
    for (let n = 0; n < 200; n++) {
      const code = generated(rand);
      const sum = [...code.slice(0, 17)].reduce((s, c, i) => s + ALPHABET.indexOf(c) * weights[i]!, 0);
      expect(code[17], `seed ${seed}: ${code}`).to.equal(ALPHABET[(31 - (sum % 31)) % 31]);
      expect(valid(code), `seed ${seed}: ${code}`).to.equal(true);
    }
  });

  it("catches every single-character typo and every swap of two neighbouring different characters", () => {
    const seed = Date.now() % 100_000;
    const rand = mulberry32(seed);
    let typos = 0;
    for (let n = 0; n < 20; n++) {
      const code = generated(rand);
      for (let i = 0; i < 18; i++) {
        for (const c of ALPHABET) {
          if (c === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          expect(valid(typo), `seed ${seed}: ${code} → ${typo}`).to.equal(false);
          typos++;
        }
        if (i < 17 && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(valid(swapped), `seed ${seed}: ${code} → ${swapped}`).to.equal(false);
        }
      }
    }
    expect(typos).to.equal(20 * 18 * 30);
  });

  it("refuses a wrong length, lower case, the letters left out (I O S V Z) and a non-numeric region", () => {
    const good = "91110108551385082Q";
    for (const bad of [good.slice(0, 17), `${good}0`, good.toLowerCase(), "91110108551385O82Q", "9111010855138S082Q"])
      expect(valid(bad), bad).to.equal(false);
    expect(valid("91A10108551385082Q")).to.equal(false);
  });
});
