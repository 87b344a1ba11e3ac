import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { AppError } from "../../../ledger-service/src/index.js";

/**
 * The platform operator's bearer token guards the ledger's write endpoints until company API keys and roles
 * arrive (identities and security issues).
 */
export function requireOperator(token: string): RequestHandler {
  const want = Buffer.from(token);
  return (req, _res, next) => {
    const got = Buffer.from(/^Bearer (.+)$/.exec(req.header("authorization") ?? "")?.[1] ?? "");
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      throw new AppError("AUTH.REQUIRED", "this endpoint needs Authorization: Bearer <platform operator token>", 401);
    }
    next();
  };
}
