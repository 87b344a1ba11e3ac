import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  MintRunDetailResponse,
  MintRunsResponse,
  ProductsResponse,
  runParams,
  runsQuery,
  type RunsQuery,
} from "./runs.schema.js";
import type { RunsService } from "./runs.service.js";

/** Reading my mint runs and products (minting itself: POST /api/v1/mint in parts.routes.ts). */
export function runsRoutes(runs: RunsService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/mint",
      { permission: "part:view" },
      "My company's mint runs, newest first, each with the anchoring state of its events (recorded, anchored, final)",
      validate({ query: runsQuery }),
      responds(MintRunsResponse),
      async (_req, res) => {
        const { limit } = res.locals.query as RunsQuery;
        res.json({ runs: await runs.list((res.locals.company as Company).id, limit) });
      },
    ),
    route(
      "get",
      "/api/v1/mint/:runId",
      { permission: "part:view" },
      "One mint run of my company: its serials and the anchoring state of its events",
      validate({ params: runParams }),
      responds(MintRunDetailResponse),
      async (req, res) => {
        const { runId } = res.locals.params as { runId: string };
        res.json(await runs.get(auditContext(req, res), principalOf(res), (res.locals.company as Company).id, runId));
      },
    ),
    route(
      "get",
      "/api/v1/products",
      { permission: "part:view" },
      "The GTINs my company named or minted, with brand, product name, runs and parts minted",
      responds(ProductsResponse),
      async (_req, res) => {
        res.json({ products: await runs.products((res.locals.company as Company).id) });
      },
    ),
  ];
}
