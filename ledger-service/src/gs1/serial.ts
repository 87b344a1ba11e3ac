import { randomBytes } from "node:crypto";
import { AppError } from "../errors.js";

/** GS1 AI 21 (serial): 1–20 characters of the GS1 AI encodable character set 82. */
export const AI21_PATTERN = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$/;
/** AI 10 (batch/lot) uses the same set and length. */
export const AI10_PATTERN = AI21_PATTERN;

export function assertSerial(serial: unknown, field = "serial"): string {
  if (typeof serial !== "string" || !AI21_PATTERN.test(serial)) {
    throw new AppError(
      "GS1.INVALID_SERIAL",
      `${field} must be 1-20 characters of GS1 AI 21's character set (digits, letters, !"%&'()*+,-./:;<=>?_), got ${JSON.stringify(serial)}`,
      400,
      { field },
    );
  }
  return serial;
}

export function assertLot(lot: unknown, field = "lot"): string {
  if (typeof lot !== "string" || !AI10_PATTERN.test(lot)) {
    throw new AppError(
      "GS1.INVALID_LOT",
      `${field} must be 1-20 characters of GS1 AI 10's character set, got ${JSON.stringify(lot)}`,
      400,
      { field },
    );
  }
  return lot;
}

// Crockford base 32: no I, L, O, U, so a serial read aloud or retyped from a label is not misread.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new unguessable serial: 16 base-32 characters = 80 bits from the OS CSPRNG. */
export function newSerial(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}
