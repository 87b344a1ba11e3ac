import { gs1CheckDigit } from "../../ledger-service/src/gs1/gtin.js";
import { vinCheckCharacter } from "../../ledger-service/src/gs1/vin.js";

/** A GTIN-14 from 13 digits, with its check digit appended. */
export const gtin14 = (body13: string) => body13 + gs1CheckDigit(body13);

/** A VIN from 17 characters whose 9th is a placeholder: the check character is put in. */
export function vinWithCheck(draft: string): string {
  const vin = draft.slice(0, 8) + "0" + draft.slice(9);
  return vin.slice(0, 8) + vinCheckCharacter(vin) + vin.slice(9);
}
