import { redirect, responds } from "../../http/responds.js";
import { healthSchema, indexSchema } from "./health.schema.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { HealthService } from "./health.service.js";

const PUBLIC = { public: "liveness, lag and anchoring state; no tenant data, no endpoints" };

/**
 * Health at /api/v1/health and /health, and at /: a browser (asking for HTML first) goes to the console, a client
 * asking for JSON (or anything) gets a short index of where things are.
 */
export function healthRoutes(health: HealthService): RouteSpec[] {
  const report = async (_req: unknown, res: { json(body: unknown): void }) => res.json(await health.report());
  return [
    route(
      "get",
      "/api/v1/health",
      PUBLIC,
      "Health of the database, chain, anchoring, lifecycle writes, webhooks and audit checkpoints",
      responds(healthSchema),
      report,
    ),
    route("get", "/health", PUBLIC, "The same as /api/v1/health", responds(healthSchema), report),
    route(
      "get",
      "/",
      { public: "an index of the service's entry points" },
      "Where things are (browsers are sent to the console)",
      responds(indexSchema),
      responds(redirect(), 302),
      (req, res) => {
        if (req.accepts(["json", "html"]) === "html") return res.redirect(302, "/console/");
        res.json({
          console: "/console/",
          service: "PartLedger",
          health: "/api/v1/health",
          api: "/api/v1",
          docs: "/api/v1/docs",
          openapi: "/api/v1/openapi.json",
          scan: "/01/{gtin}/21/{serial}",
          bundles: { part: "/api/v1/parts/{gtin}/{serial}/bundle", batches: "/api/v1/ledger/bundle?from=&to=" },
        });
      },
    ),
  ];
}
