import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  createPromotionBody,
  promotionListQuery,
  promotionParams,
  promotionSchema,
  suggestionQuery,
  suggestionSchema,
} from "./promotions.schema.js";
import type { PromotionsService } from "./promotions.service.js";

export function promotionsRoutes(promotions: PromotionsService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/promotions/suggestions",
      { permission: "promotion:view" },
      "Where shops search for a SKU I stock in their province but few order it: per SKU and city, searches, searching shops, orders, my stock",
      responds(z.object({ suggestions: z.array(suggestionSchema) })),
      validate({ query: suggestionQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof suggestionQuery>;
        res.json({ suggestions: await promotions.suggestions(principalOf(res), q.days, q.minSearchers) });
      },
    ),
    route(
      "post",
      "/api/v1/promotions",
      { permission: "promotion:create" },
      "Create a time-limited discount (限时折扣) on a SKU I stock for shops in a region: percent or fen off, start and end; a hold-out group of shops does not see it",
      responds(promotionSchema, 201),
      validate({ body: createPromotionBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await promotions.create(
              auditContext(req, res),
              principalOf(res),
              res.locals.body as z.infer<typeof createPromotionBody>,
            ),
          );
      },
    ),
    route(
      "get",
      "/api/v1/promotions",
      { permission: "promotion:view" },
      "My promotions, newest first, each with its measured conversion uplift against the hold-out and a 95 % interval",
      responds(z.object({ promotions: z.array(promotionSchema) })),
      validate({ query: promotionListQuery }),
      async (_req, res) => {
        res.json({
          promotions: await promotions.list(
            principalOf(res),
            (res.locals.query as z.infer<typeof promotionListQuery>).limit,
          ),
        });
      },
    ),
    route(
      "get",
      "/api/v1/promotions/:id",
      { permission: "promotion:view" },
      "One of my promotions with its measured uplift",
      responds(promotionSchema),
      validate({ params: promotionParams }),
      async (req, res) => {
        res.json(
          await promotions.get(auditContext(req, res), principalOf(res), (res.locals.params as { id: string }).id),
        );
      },
    ),
  ];
}
