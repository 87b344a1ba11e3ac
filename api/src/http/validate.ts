import type { RequestHandler } from "express";
import type { z } from "zod";
import { AppError } from "../../../ledger-service/src/index.js";

export type Part = "params" | "query" | "body";
export type Schemas = { [K in Part]?: z.ZodType };

const SCHEMAS = Symbol.for("partledger.schemas");

/** Validates req.params / req.query / req.body against strict zod schemas; the first issue names the field. */
export function validate(schemas: Schemas): RequestHandler {
  const fn: RequestHandler = (req, res, next) => {
    for (const part of ["params", "query", "body"] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const parsed = schema.safeParse(req[part] ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        if (issue.code === "unrecognized_keys") {
          // Mass-assignment: a field the caller may not set (companyId, role, price …) is named, never ignored.
          const field = [...issue.path, issue.keys[0]].join(".");
          throw unknownField(part, field);
        }
        const field = issue.path.join(".") || part;
        throw new AppError("REQUEST.INVALID", `${part}.${field}: ${issue.message}`, 400, { field });
      }
      res.locals[part] = parsed.data;
    }
    next();
  };
  return Object.assign(fn, { [SCHEMAS]: schemas });
}

const unknownField = (part: Part, field: string) =>
  new AppError(
    "REQUEST.UNKNOWN_FIELD",
    `${part}.${field}: not a field of this request (fields the caller may not set are refused, not ignored)`,
    400,
    { field },
  );

/** The schemas a route declared through `validate` (none: the route takes no body, query or params of its own). */
export function schemasOf(handlers: readonly RequestHandler[]): Schemas {
  const found = handlers.find((h) => (h as { [SCHEMAS]?: Schemas })[SCHEMAS]);
  return found ? (found as unknown as { [SCHEMAS]: Schemas })[SCHEMAS] : {};
}

/**
 * Throws unless every object inside `schema` refuses unknown keys (`.strict()`), so that a route cannot quietly
 * ignore a field a caller sent. Run at start-up for every route's schemas.
 */
export function assertStrict(schema: z.ZodType, where: string): void {
  const walk = (s: z.ZodType, path: string): void => {
    const def = (s as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
    const inner = (k: string) => def[k] as z.ZodType | undefined;
    switch (def.type) {
      case "object": {
        const catchall = inner("catchall") as unknown as { _zod: { def: { type: string } } } | undefined;
        if (catchall?._zod.def.type !== "never")
          throw new Error(`${where}${path}: the schema must be .strict() (unknown fields are refused)`);
        for (const [k, v] of Object.entries(def.shape as Record<string, z.ZodType>)) walk(v, `${path}.${k}`);
        return;
      }
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
      case "nonoptional":
        return walk(inner("innerType")!, path);
      case "pipe":
        walk(inner("in")!, path);
        return walk(inner("out")!, path);
      case "array":
        return walk(inner("element")!, `${path}[]`);
      case "union":
        for (const o of def.options as z.ZodType[]) walk(o, path);
        return;
      case "record":
        return walk(inner("valueType")!, `${path}{}`);
      default:
        return;
    }
  };
  walk(schema, "");
}

const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The first string (value or key) in `value` that holds a NUL or a lone UTF-16 surrogate, with its path. */
function badText(value: unknown, path: string, depth = 0): { path: string; why: string } | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return { path, why: "contains a NUL character (U+0000)" };
    if (!isWellFormed(value)) return { path, why: "contains a lone UTF-16 surrogate (not valid Unicode)" };
    return null;
  }
  if (value === null || typeof value !== "object" || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = badText(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    // eslint-disable-next-line no-control-regex -- NUL and lone surrogates are what this check looks for
    const keyBad = badText(k, `${path}.${k.replace(/[\u0000\ud800-\udfff]/g, "\ufffd")}`, depth + 1);
    if (keyBad) return { path: keyBad.path, why: `field name ${keyBad.why}` };
    const bad = badText(v, `${path}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/**
 * The checks every route gets before its own validation (mounted by mountRoutes, so a new route cannot forget):
 * - no string anywhere in params, query or body holds a NUL or a lone surrogate (400 REQUEST.INVALID_TEXT, naming
 *   the field): PostgreSQL refuses such text, and no field of ours has a use for it;
 * - a route that declares no query schema takes no query parameters, and one that declares no body schema takes no
 *   JSON body fields (400 REQUEST.UNKNOWN_FIELD), like every field a declared strict schema does not name.
 */
export function edgeChecks(schemas: Schemas): RequestHandler {
  return (req, _res, next) => {
    for (const part of ["params", "query", "body"] as const) {
      const bad = badText(req[part], part);
      if (bad) {
        const field = bad.path.slice(part.length + 1) || part;
        throw new AppError("REQUEST.INVALID_TEXT", `${bad.path}: ${bad.why}`, 400, { field });
      }
    }
    if (!schemas.query) {
      const first = Object.keys((req.query ?? {}) as object)[0];
      if (first !== undefined) throw unknownField("query", first);
    }
    if (!schemas.body && req.body !== undefined && req.body !== null && typeof req.body === "object") {
      const first = Object.keys(req.body as object)[0];
      if (first !== undefined) throw unknownField("body", first);
    }
    next();
  };
}
