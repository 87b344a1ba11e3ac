import { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  createdWebhookSchema,
  deliveriesQuery,
  subscribeBody,
  webhookDeliverySchema,
  webhookParams,
  webhookSchema,
} from "./webhooks.schema.js";
import type { WebhooksService } from "./webhooks.service.js";
import { responds } from "../../http/responds.js";

export function webhooksRoutes(webhooks: WebhooksService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/webhooks",
      { permission: "webhook:create" },
      "Subscribe a URL to order, shipment and stock events; the signing secret is shown once",
      responds(createdWebhookSchema, 201),
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
      responds(z.object({ webhooks: z.array(webhookSchema) })),
      async (_req, res) => {
        res.json({ webhooks: await webhooks.list(principalOf(res)) });
      },
    ),
    route(
      "delete",
      "/api/v1/webhooks/:id",
      { permission: "webhook:delete" },
      "Remove a subscription (pending deliveries stop)",
      responds(z.object({ id: z.string(), active: z.literal(false) })),
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
      responds(z.object({ deliveries: z.array(webhookDeliverySchema) })),
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
