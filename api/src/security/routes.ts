import type { Express, Request, RequestHandler, Response } from "express";
import { AppError } from "../../../ledger-service/src/index.js";
import { responseCheck, responsesOf, withoutMarkers } from "../http/responds.js";
import { assertStrict, edgeChecks, schemasOf } from "../http/validate.js";
import { bearer, type AccessService } from "./access.js";
import type { Permission } from "./permissions.js";
import type { Principal } from "./principal.js";

/**
 * What a route needs, declared in one place with the route:
 * - `{ permission }`: an authenticated principal holding it;
 * - `{ authenticated: true }`: any authenticated principal (its own session, its own identity);
 * - `{ public: reason }`: anyone — the reason is documented in the permission table.
 */
export type Access = { permission: Permission } | { authenticated: true } | { public: string };

export type Method = "get" | "post" | "patch" | "put" | "delete";

export interface RouteSpec {
  method: Method;
  path: string;
  access: Access;
  summary: string;
  handlers: RequestHandler[];
}

export const route = (
  method: Method,
  path: string,
  access: Access,
  summary: string,
  ...handlers: RequestHandler[]
): RouteSpec => ({
  method,
  path,
  access,
  summary,
  handlers,
});

const DECLARED = Symbol.for("partledger.access");

export interface GuardDeps {
  access: AccessService;
  /** Per-principal request budget (takes one token; 0 = allowed, else seconds to wait). */
  perPrincipal: { take(key: string): Promise<number> };
  /** Runs after authentication with the principal (e.g. loads its company for the handlers). */
  onPrincipal?: (p: Principal, res: Response, access: Access) => Promise<void>;
}

/** The middleware that enforces `access`; marked so that `assertEveryRouteDeclared` can find undeclared routes. */
export function guard(access: Access, deps: GuardDeps): RequestHandler {
  const fn: RequestHandler = async (req: Request, res: Response, next) => {
    if ("public" in access) return next();
    const token = bearer(req);
    if (!token)
      throw new AppError("AUTH.REQUIRED", "this endpoint needs Authorization: Bearer <session token or API key>", 401);
    const principal = await deps.access.authenticate(token);
    const wait = await deps.perPrincipal.take(`${principal.type}:${principal.id}`);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw new AppError("RATE.LIMITED", "too many requests with this credential; slow down", 429);
    }
    if ("permission" in access && !principal.permissions.has(access.permission)) {
      throw new AppError(
        "AUTH.FORBIDDEN",
        `${req.method} ${req.baseUrl}${req.route?.path ?? req.path} needs permission ${access.permission}, which your roles (${principal.roles.join(", ") || "none"}) do not grant`,
        403,
        {
          needs: access.permission,
        },
      );
    }
    res.locals.principal = principal;
    await deps.onPrincipal?.(principal, res, access);
    next();
  };
  return Object.assign(fn, { [DECLARED]: access });
}

/**
 * Registers every spec on `app` behind its guard and the edge checks (text without NUL or lone surrogates, no
 * field that no strict schema names); refuses to start with a schema that is not strict. The specs are kept on app.locals.routes (docs, matrix test). */
export function mountRoutes(app: Express, specs: RouteSpec[], deps: GuardDeps): void {
  const all = ((app.locals.routes as RouteSpec[] | undefined) ??= []);
  for (const s of specs) {
    if (!s.access || !("permission" in s.access || "authenticated" in s.access || "public" in s.access)) {
      throw new Error(
        `route ${s.method.toUpperCase()} ${s.path} declares no access: every route must declare the permission it needs`,
      );
    }
    // Every declared schema refuses unknown fields; a route without one refuses any body or query field at all.
    const schemas = schemasOf(s.handlers);
    for (const [part, schema] of Object.entries(schemas))
      assertStrict(schema, `route ${s.method.toUpperCase()} ${s.path} ${part}`);
    // Declared responses are checked against their schemas when the app was built with checkResponses (tests).
    const check = app.locals.checkResponses ? [responseCheck(s.method, s.path, responsesOf(s.handlers))] : [];
    app[s.method](s.path, guard(s.access, deps), edgeChecks(schemas), ...check, ...withoutMarkers(s.handlers));
    all.push(s);
  }
}

interface Layer {
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: Array<{ handle: RequestHandler & { [DECLARED]?: Access } }>;
  };
  handle?: { stack?: Layer[] };
}

/** Refuses to start when any route was added without an access declaration (e.g. app.get directly). */
export function assertEveryRouteDeclared(app: Express): void {
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        if (!layer.route.stack[0]?.handle[DECLARED]) {
          const method = Object.keys(layer.route.methods)[0]?.toUpperCase() ?? "?";
          throw new Error(
            `route ${method} ${layer.route.path} declares no permission: register it with mountRoutes(route(…, { permission | authenticated | public }))`,
          );
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}
