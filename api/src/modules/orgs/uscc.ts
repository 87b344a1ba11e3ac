import { AppError } from "../../../../ledger-service/src/index.js";

/** GB 32100-2015 统一社会信用代码 alphabet: digits and 21 letters (no I, O, S, V, Z). */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (position 18) of the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Throws ORG.INVALID_USCC unless `uscc` is an 18-character USCC with a correct check character. */
export function assertUscc(uscc: unknown, field = "uscc"): string {
  if (typeof uscc !== "string" || !/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(uscc)) {
    throw new AppError(
      "ORG.INVALID_USCC",
      `${field} must be an 18-character 统一社会信用代码 (digits and letters without I, O, S, V, Z; characters 3-8 a region code), got ${JSON.stringify(uscc)}`,
      400,
      { field },
    );
  }
  const want = usccCheckCharacter(uscc.slice(0, 17));
  if (uscc[17] !== want) {
    throw new AppError("ORG.INVALID_USCC", `${field} ${uscc} has check character ${uscc[17]}, expected ${want}`, 400, {
      field,
      received: uscc[17],
      expected: want,
    });
  }
  return uscc;
}
