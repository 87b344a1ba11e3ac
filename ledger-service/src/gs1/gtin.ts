import { AppError } from "../errors.js";

/** GS1 mod-10 check digit of `body` (all digits but the check digit). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Throws GS1.INVALID_GTIN unless `gtin` is 14 digits with a correct check digit. */
export function assertGtin14(gtin: unknown, field = "gtin"): string {
  if (typeof gtin !== "string" || !/^\d{14}$/.test(gtin)) {
    throw new AppError("GS1.INVALID_GTIN", `${field} must be a GTIN-14 (14 digits), got ${JSON.stringify(gtin)}`, 400, {
      field,
    });
  }
  const want = gs1CheckDigit(gtin.slice(0, 13));
  if (Number(gtin[13]) !== want) {
    throw new AppError("GS1.INVALID_GTIN", `${field} ${gtin} has check digit ${gtin[13]}, expected ${want}`, 400, {
      field,
      received: gtin[13],
      expected: String(want),
    });
  }
  return gtin;
}
