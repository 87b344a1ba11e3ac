import { z } from "zod";

const pattern = z
  .string()
  .regex(
    /^(\*|[a-z_]+\.(\*|[a-z_]+))$/,
    "an event type (order.created, order.shipped, stock.changed …), a family (order.*) or *",
  );

export const subscribeBody = z
  .object({ url: z.string().min(1).max(500), events: z.array(pattern).min(1).max(20) })
  .strict();
export const webhookParams = z.object({ id: z.string().regex(/^wh_[0-9a-f]{16}$/, "a webhook id wh_…") }).strict();
export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const webhookSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: "Webhook" });

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().describe("signs every delivery (HMAC-SHA256); shown only once") })
  .meta({ id: "CreatedWebhook" });

export const webhookDeliverySchema = z
  .object({
    id: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    status: z.string().describe("pending, delivered or failed"),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastStatus: z.number().int().nullable().describe("the HTTP status of the last attempt"),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "WebhookDelivery" });
