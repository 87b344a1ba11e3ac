import type { Request, RequestHandler } from "express";
import { AppError } from "../../../ledger-service/src/index.js";
import type { Company, OrgsService } from "../modules/orgs/orgs.service.js";

/** The company API key in `Authorization: Bearer pl_…`, if the request carries one. */
export const bearerKey = (req: Request): string | undefined => /^Bearer (pl_[A-Za-z0-9_-]{20,})$/.exec(req.header("authorization") ?? "")?.[1];

/** `Authorization: Bearer <company API key>` → res.locals.company; `kinds` limits who may call. */
export function requireCompany(orgs: OrgsService, ...kinds: Company["kind"][]): RequestHandler {
  return async (req, res, next) => {
    const key = bearerKey(req);
    const company = key ? await orgs.authenticate(key) : null;
    if (!company) throw new AppError("AUTH.REQUIRED", "this endpoint needs Authorization: Bearer <company API key>", 401);
    if (kinds.length > 0 && !kinds.includes(company.kind)) {
      throw new AppError("AUTH.FORBIDDEN", `a ${company.kind} may not call ${req.method} ${req.baseUrl}${req.path}; it needs a ${kinds.join(" or ")}`, 403, {
        kind: company.kind,
      });
    }
    res.locals.company = company;
    next();
  };
}
