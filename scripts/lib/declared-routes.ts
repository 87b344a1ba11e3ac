import { buildRoutes, buildServices } from "../../api/src/app.js";
import type { LedgerService } from "../../ledger-service/src/index.js";
import type { RouteSpec } from "../../api/src/security/routes.js";

/** The route declarations, without a database or chain (handlers are never called). */
export function declaredRoutes(): RouteSpec[] {
  const ledger = { db: { sql: {}, prisma: {} }, vault: {} } as unknown as LedgerService;
  const opts = {
    ledger,
    operatorToken: "x".repeat(24),
    publicBaseUrl: "https://example.cn",
    chainUrl: "http://127.0.0.1",
  };
  return buildRoutes(opts, buildServices(opts));
}
