import { AppError } from "../errors.js";

const VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The check character (position 9) of a 17-character VIN: weighted sum mod 11, 10 written as X. */
export function vinCheckCharacter(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const v = c >= "0" && c <= "9" ? Number(c) : VALUES[c];
    if (v === undefined) return "?";
    sum += v * WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? "X" : String(r);
}

/**
 * Throws VIN.INVALID unless `vin` is an ISO 3779 VIN: 17 characters from 0-9 and A-Z without I, O and Q, with the
 * check character in position 9 (mandatory in China under GB 16735 and in North America).
 */
export function assertVin(vin: unknown, field = "vin"): string {
  if (typeof vin !== "string" || !/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) {
    throw new AppError(
      "VIN.INVALID",
      `${field} must be 17 characters of 0-9 and A-Z without I, O or Q (ISO 3779), got ${JSON.stringify(vin)}`,
      400,
      { field },
    );
  }
  const want = vinCheckCharacter(vin);
  if (vin[8] !== want) {
    throw new AppError(
      "VIN.INVALID",
      `${field} ${vin} has check character ${vin[8]} in position 9, expected ${want}`,
      400,
      {
        field,
        received: vin[8],
        expected: want,
      },
    );
  }
  return vin;
}
