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
