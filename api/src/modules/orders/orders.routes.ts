import { z } from "zod";
import { AppError } from "../../../../ledger-service/src/index.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  orderListQuery,
  orderParams,
  orderSchema,
  orderSummarySchema,
  placeOrderBody,
  statusBody,
} from "./orders.schema.js";
import type { OrdersService } from "./orders.service.js";
import { responds } from "../../http/responds.js";

export function ordersRoutes(orders: OrdersService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/orders",
      { permission: "order:create" },
      "Place an order from the shared pool: allocated to the nearest / cheapest (or, urgent, fastest) warehouses and reserved at once; Idempotency-Key honoured",
      responds(orderSchema, 201),
      validate({ body: placeOrderBody }),
      async (req, res) => {
        const reply = await orders.place(
          auditContext(req, res),
          res.locals.company as Company,
          res.locals.body as z.infer<typeof placeOrderBody>,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/orders",
      { permission: "order:view" },
      "Orders I placed or sell into",
      responds(z.object({ orders: z.array(orderSummarySchema) })),
      validate({ query: orderListQuery }),
      async (_req, res) => {
        res.json({
          orders: await orders.list(principalOf(res), (res.locals.query as z.infer<typeof orderListQuery>).limit),
        });
      },
    ),
    route(
      "get",
      "/api/v1/orders/:id",
      { permission: "order:view" },
      "One order: lines, allocations, status history",
      responds(orderSchema),
      validate({ params: orderParams }),
      async (req, res) => {
        res.json(await orders.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/orders/:id/cancel",
      { permission: "order:cancel" },
      "Cancel an order before it ships; its reservations are released",
      responds(orderSchema),
      validate({ params: orderParams }),
      async (req, res) => {
        res.json(await orders.transition(auditContext(req, res), principalOf(res), id(res), "cancelled"));
      },
    ),
    route(
      "post",
      "/api/v1/orders/:id/status",
      { permission: "order:edit" },
      "Move an order on: picking and shipped (seller, with carrier and tracking number), delivered and completed (buyer)",
      responds(orderSchema),
      validate({ params: orderParams, body: statusBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof statusBody>;
        if (b.parts && b.to !== "shipped")
          throw new AppError(
            "REQUEST.UNKNOWN_FIELD",
            "body.parts: serials travel with a shipment (to: shipped) only",
            400,
            { field: "parts" },
          );
        res.json(
          await orders.transition(
            auditContext(req, res),
            principalOf(res),
            id(res),
            b.to,
            { carrier: b.carrier, trackingNo: b.trackingNo, parts: b.parts },
            res.locals.company as Company | undefined,
          ),
        );
      },
    ),
  ];
}
