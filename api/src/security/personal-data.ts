import type { Request } from "express";
import { AppError } from "../../../ledger-service/src/index.js";
import type { Principal } from "./principal.js";

/**
 * Personal data is masked in every response unless the caller asks to reveal it (`?reveal=true`) and holds
 * `personal_data:view`; every reveal is written to the audit trail by the route that reveals.
 */
export const maskMobile = (m: string) => (m.length >= 7 ? `${m.slice(0, 3)}****${m.slice(-4)}` : "****");
export const maskVin = (vin: string) => vin.slice(0, 3) + "*".repeat(Math.max(vin.length - 7, 0)) + vin.slice(-4);
export const maskName = (name: string) => {
  const chars = [...name.trim()];
  return chars.length <= 1 ? "*" : chars[0] + "*".repeat(Math.min(chars.length - 1, 3));
};
export const maskEmail = (e: string) => {
  const [local = "", domain = ""] = e.split("@");
  return `${local.slice(0, 1)}***@${domain}`;
};

/** Whether this request reveals personal data; throws 403 when it asks to without the permission. */
export function wantsReveal(req: Request, principal: Principal): boolean {
  const raw = req.query.reveal;
  if (raw === undefined || raw === "false") return false;
  if (raw !== "true")
    throw new AppError("REQUEST.INVALID", `query.reveal: must be true or false, got ${JSON.stringify(raw)}`, 400, {
      field: "reveal",
    });
  if (!principal.permissions.has("personal_data:view")) {
    throw new AppError(
      "AUTH.FORBIDDEN",
      "revealing personal data needs permission personal_data:view; without it the data stays masked",
      403,
      { needs: "personal_data:view" },
    );
  }
  return true;
}

/** A mainland China mobile number (optionally +86), normalised to its 11 digits; null when it is not one. */
export function normaliseMobile(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, "").replace(/^(\+?86)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

export const normaliseEmail = (raw: string) => raw.trim().toLowerCase();
