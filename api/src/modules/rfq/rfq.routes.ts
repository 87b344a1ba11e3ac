import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  acceptBody,
  createRfqBody,
  quoteBody,
  rfqListQuery,
  rfqParams,
  rfqSchema,
  rfqSummarySchema,
} from "./rfq.schema.js";
import type { RfqService } from "./rfq.service.js";

export function rfqRoutes(rfqs: RfqService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  const list = (res: { locals: Record<string, unknown> }) => res.locals.query as z.infer<typeof rfqListQuery>;
  return [
    route(
      "post",
      "/api/v1/rfqs",
      { permission: "rfq:create" },
      "Ask for quotes (询价): parts by words, numbers or SKU, quantities, needed-by, optional VIN; suppliers within radiusKm holding orderable stock of each part (or an OE equivalent) are notified",
      responds(rfqSchema, 201),
      validate({ body: createRfqBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await rfqs.create(
              auditContext(req, res),
              res.locals.company as Company,
              res.locals.body as z.infer<typeof createRfqBody>,
            ),
          );
      },
    ),
    route(
      "get",
      "/api/v1/rfqs",
      { permission: "rfq:view" },
      "My requests for quotes, newest first, with the number of quotes each received",
      responds(z.object({ rfqs: z.array(rfqSummarySchema) })),
      validate({ query: rfqListQuery }),
      async (_req, res) => {
        res.json({ rfqs: await rfqs.mine(principalOf(res), list(res).status, list(res).limit) });
      },
    ),
    route(
      "get",
      "/api/v1/rfqs/incoming",
      { permission: "rfq:view" },
      "Requests for quotes sent to my company (I hold stock of the parts within the shop's radius), with my distance and whether I quoted",
      responds(z.object({ rfqs: z.array(rfqSummarySchema.extend({ distanceM: z.number().int() })) })),
      validate({ query: rfqListQuery }),
      async (_req, res) => {
        res.json({ rfqs: await rfqs.incoming(principalOf(res), list(res).status, list(res).limit) });
      },
    ),
    route(
      "get",
      "/api/v1/rfqs/:id",
      { permission: "rfq:view" },
      "One request: lines, history and quotes side by side (the shop: all, cheapest first; a supplier: its own only)",
      responds(rfqSchema),
      validate({ params: rfqParams }),
      async (req, res) => {
        res.json(await rfqs.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/rfqs/:id/quotes",
      { permission: "quote:create" },
      "Quote (报价) a request sent to my company: unit price in fen per line (the SKU asked for or an OE equivalent), the warehouse, delivery time, validity; once per supplier, before the window closes",
      responds(rfqSchema, 201),
      validate({ params: rfqParams, body: quoteBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await rfqs.quote(
              auditContext(req, res),
              principalOf(res),
              id(res),
              res.locals.body as z.infer<typeof quoteBody>,
            ),
          );
      },
    ),
    route(
      "post",
      "/api/v1/rfqs/:id/accept",
      { permission: "rfq:edit" },
      "Accept one quote: places the order at the quoted prices from the quoted warehouse in one step (repeating the call answers the same order)",
      responds(rfqSchema),
      validate({ params: rfqParams, body: acceptBody }),
      async (req, res) => {
        res.json(
          await rfqs.accept(
            auditContext(req, res),
            principalOf(res),
            res.locals.company as Company,
            id(res),
            (res.locals.body as z.infer<typeof acceptBody>).quoteId,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/rfqs/:id/cancel",
      { permission: "rfq:cancel" },
      "Withdraw a request that is open or quoted; the suppliers asked are told",
      responds(rfqSchema),
      validate({ params: rfqParams }),
      async (req, res) => {
        res.json(await rfqs.cancel(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
  ];
}
