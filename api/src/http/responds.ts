import type { RequestHandler } from "express";
import type { z } from "zod";
import { AppError } from "../../../ledger-service/src/index.js";

/**
 * What a route answers, declared with the route like `validate(...)`: `responds(schema, status)` for a JSON answer
 * (checked against the schema in tests), `responds(raw("application/pdf"))` for other media, `responds(redirect())`
 * for a redirect, `responds(empty(), 204)` for no body. Several may be given (e.g. 200 and 202). The OpenAPI document is made from these declarations.
 */
export interface Raw {
  raw: string;
  /** binary (PDF, PNG) or text (HTML, CSV, SVG) */
  binary: boolean;
}
export interface Redirect {
  redirect: true;
}
export interface Empty {
  empty: true;
}
export interface Response {
  status: number;
  /** the zod schema of a JSON answer (application/json unless `media` says otherwise, e.g. application/ld+json) */
  schema?: z.ZodType;
  media: string;
  raw?: Raw;
  redirect?: boolean;
  empty?: boolean;
  description?: string;
}

const RESPONDS = Symbol.for("partledger.responds");

export const raw = (media: string, binary = !/^text\/|\+xml$/.test(media)): Raw => ({ raw: media, binary });
export const redirect = (): Redirect => ({ redirect: true });
/** No body (204). */
export const empty = (): Empty => ({ empty: true });

export function responds(
  what: z.ZodType | Raw | Redirect | Empty,
  status?: number,
  opts: { media?: string; description?: string } = {},
): RequestHandler {
  const declared: Response =
    "_zod" in what
      ? { status: status ?? 200, schema: what as z.ZodType, media: opts.media ?? "application/json", ...opts }
      : "raw" in what
        ? { status: status ?? 200, media: what.raw, raw: what, ...opts }
        : "empty" in what
          ? { status: status ?? 204, media: "", empty: true, ...opts }
          : { status: status ?? 302, media: "", redirect: true, ...opts };
  const fn: RequestHandler = (_req, _res, next) => next();
  return Object.assign(fn, { [RESPONDS]: declared });
}

/** The responses a route declared through `responds` (in order). */
export function responsesOf(handlers: readonly RequestHandler[]): Response[] {
  return handlers.map((h) => (h as { [RESPONDS]?: Response })[RESPONDS]).filter((r): r is Response => r !== undefined);
}

/** The handlers without the `responds` markers (they do nothing at request time). */
export const withoutMarkers = (handlers: readonly RequestHandler[]) =>
  handlers.filter((h) => !(h as { [RESPONDS]?: Response })[RESPONDS]);

/** The first field of `sent` that `parsed` dropped (a field the schema does not declare), with its path. */
function undeclared(sent: unknown, parsed: unknown, path: string): string | null {
  if (sent === null || typeof sent !== "object" || parsed === null || typeof parsed !== "object") return null;
  if (Array.isArray(sent)) {
    if (!Array.isArray(parsed)) return null;
    for (let i = 0; i < sent.length; i++) {
      const found = undeclared(sent[i], parsed[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [k, v] of Object.entries(sent)) {
    const at = path ? `${path}.${k}` : k;
    if (!(k in (parsed as object))) return at;
    const found = undeclared(v, (parsed as Record<string, unknown>)[k], at);
    if (found) return found;
  }
  return null;
}

/**
 * Checks every JSON answer below 400 against the route's declared schema (an app option, on in tests): the body as
 * the client will read it (after JSON serialisation) must parse, and must carry no field the schema does not
 * declare. A mismatch answers 500 RESPONSE.SCHEMA_MISMATCH naming the route, status and field, and is logged.
 */
export function responseCheck(method: string, path: string, declared: Response[]): RequestHandler {
  const where = `${method.toUpperCase()} ${path}`;
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      if (status >= 400) return json(body);
      const fail = (detail: string) => {
        const message = `response of ${where} (${status}) does not match its declared schema: ${detail}`;
        (req.log ?? console).error({ route: where, status }, message);
        throw new AppError("RESPONSE.SCHEMA_MISMATCH", message, 500, { route: where });
      };
      const schema = declared.find((d) => d.status === status && d.schema)?.schema;
      if (!schema) fail(`no JSON response is declared for status ${status}`);
      const sent: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
      const parsed = schema!.safeParse(sent);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        fail(`${issue.path.join(".") || "(the body)"}: ${issue.message}`);
      } else {
        const extra = undeclared(sent, parsed.data, "");
        if (extra) fail(`${extra}: a field the schema does not declare`);
      }
      return json(body);
    };
    next();
  };
}
