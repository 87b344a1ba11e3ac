import type { RequestHandler } from "express";
import type { z } from "zod";
import { AppError } from "../../../ledger-service/src/index.js";

/** Validates req.params / req.query / req.body against strict zod schemas; the first issue names the field. */
export function validate(schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType }): RequestHandler {
  return (req, res, next) => {
    for (const part of ["params", "query", "body"] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const parsed = schema.safeParse(req[part] ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        if (issue.code === "unrecognized_keys") {
          // Mass-assignment: a field the caller may not set (companyId, role, price …) is named, never ignored.
          const field = [...issue.path, issue.keys[0]].join(".");
          throw new AppError("REQUEST.UNKNOWN_FIELD", `${part}.${field}: not a field of this request (fields the caller may not set are refused, not ignored)`, 400, { field });
        }
        const field = issue.path.join(".") || part;
        throw new AppError("REQUEST.INVALID", `${part}.${field}: ${issue.message}`, 400, { field });
      }
      res.locals[part] = parsed.data;
    }
    next();
  };
}
