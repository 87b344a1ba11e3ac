import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  createRecallBody,
  recallListQuery,
  recallParams,
  recallProgressBody,
  recallProgressSchema,
  recallSchema,
  recallUnitSchema,
  recallUnitsQuery,
} from "./recalls.schema.js";
import type { RecallsService } from "./recalls.service.js";

export function recallsRoutes(recalls: RecallsService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/recalls",
      { permission: "recall:create" },
      "Recall a GTIN, a lot or a serial range (brand owner): every unit traced to its holder and installation, holders and installing shops notified, recalled stock blocked from orders",
      responds(recallProgressSchema, 201),
      validate({ body: createRecallBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await recalls.create(
              auditContext(req, res),
              res.locals.company as Company,
              res.locals.body as z.infer<typeof createRecallBody>,
            ),
          );
      },
    ),
    route(
      "get",
      "/api/v1/recalls",
      { permission: "recall:view" },
      "My recalls (the platform: all)",
      responds(z.object({ recalls: z.array(recallSchema) })),
      validate({ query: recallListQuery }),
      async (_req, res) => {
        res.json({
          recalls: await recalls.list(principalOf(res), (res.locals.query as z.infer<typeof recallListQuery>).limit),
        });
      },
    ),
    route(
      "get",
      "/api/v1/recalls/affecting-me",
      { permission: "recall:view" },
      "Open recalls of units I hold or installed, with how many are mine",
      responds(z.object({ recalls: z.array(recallSchema.extend({ mine: z.number().int() })) })),
      async (_req, res) => {
        res.json({ recalls: await recalls.affecting(principalOf(res)) });
      },
    ),
    route(
      "get",
      "/api/v1/recalls/:id",
      { permission: "recall:view" },
      "A recall's progress: units located, returned, replaced, unreachable; holders and installations reached",
      responds(recallProgressSchema),
      validate({ params: recallParams }),
      async (req, res) => {
        res.json(await recalls.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "get",
      "/api/v1/recalls/:id/units",
      { permission: "recall:view" },
      "A recall's units with holder and installation (no VIN): all for its manufacturer, one's own for a holder or shop",
      responds(z.object({ units: z.array(recallUnitSchema) })),
      validate({ params: recallParams, query: recallUnitsQuery }),
      async (_req, res) => {
        res.json({
          units: await recalls.units(
            principalOf(res),
            id(res),
            (res.locals.query as z.infer<typeof recallUnitsQuery>).limit,
          ),
        });
      },
    ),
    route(
      "post",
      "/api/v1/recalls/:id/progress",
      { permission: "recall:edit" },
      "Record units of a recall as returned, replaced or unreachable",
      responds(recallProgressSchema),
      validate({ params: recallParams, body: recallProgressBody }),
      async (req, res) => {
        res.json(
          await recalls.setProgress(
            auditContext(req, res),
            principalOf(res),
            id(res),
            res.locals.body as z.infer<typeof recallProgressBody>,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/recalls/:id/close",
      { permission: "recall:edit" },
      "Close a recall: its units may be sold again",
      responds(recallProgressSchema),
      validate({ params: recallParams }),
      async (req, res) => {
        res.json(await recalls.close(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
  ];
}
