/**
 * 统一社会信用代码 (GB 32100-2015) checked in the browser as the server checks it, so a typo is pointed at while
 * typing; the server checks again (the console never imports server code).
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** "format", "check" (the check character is wrong) or null when the code is valid. */
export function usccProblem(code: string): "format" | "check" | null {
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(code)) return "format";
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(code[i]!) * WEIGHTS[i]!;
  return code[17] === ALPHABET[(31 - (sum % 31)) % 31] ? null : "check";
}
