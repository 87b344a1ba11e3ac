import type { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { deliveriesQuery, subscribeBody, webhookParams } from "./webhooks.schema.js";
import type { WebhooksService } from "./webhooks.service.js";

export function webhooksRoutes(webhooks: WebhooksService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/webhooks",
      { permission: "webhook:create" },
      "Subscribe a URL to order, shipment and stock events; the signing secret is shown once",
      validate({ body: subscribeBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await webhooks.subscribe(
              auditContext(req, res),
              principalOf(res),
              res.locals.body as z.infer<typeof subscribeBody>,
            ),
          );
      },
    ),
    route(
      "get",
      "/api/v1/webhooks",
      { permission: "webhook:view" },
      "My company's webhook subscriptions",
      async (_req, res) => {
        res.json({ webhooks: await webhooks.list(principalOf(res)) });
      },
    ),
    route(
      "delete",
      "/api/v1/webhooks/:id",
      { permission: "webhook:delete" },
      "Remove a subscription (pending deliveries stop)",
      validate({ params: webhookParams }),
      async (req, res) => {
        res.json(await webhooks.remove(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "get",
      "/api/v1/webhooks/:id/deliveries",
      { permission: "webhook:view" },
      "Deliveries of a subscription: attempts, last status and error, next try",
      validate({ params: webhookParams, query: deliveriesQuery }),
      async (req, res) => {
        res.json({
          deliveries: await webhooks.deliveries(
            auditContext(req, res),
            principalOf(res),
            id(res),
            (res.locals.query as z.infer<typeof deliveriesQuery>).limit,
          ),
        });
      },
    ),
  ];
}
