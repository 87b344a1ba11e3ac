import { maskEmail, maskMobile, maskVin } from "../../security/personal-data.js";
import { findVins } from "./intents.js";

const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const EMAIL = /[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}/g;

/**
 * The text as it is kept: mainland mobile numbers as 138****1234, VINs as LSV**********3294, e-mail addresses as
 * a***@example.cn — like every other place personal data is shown (security/personal-data.ts). Conversations are
 * read by support staff; nothing in them needs the full value after the assistant has used it.
 */
export function maskText(text: string): string {
  let out = text.replace(MOBILE, (_m, a: string, b: string, c: string) => maskMobile(`${a}${b}${c}`));
  for (const vin of findVins(out)) out = out.replace(new RegExp(vin, "gi"), maskVin(vin));
  return out.replace(EMAIL, maskEmail);
}
