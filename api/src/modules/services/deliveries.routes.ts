import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { DeliveriesService } from "./deliveries.service.js";
import {
  bookDeliveryBody,
  createTariffBody,
  deliveryParams,
  deliverySchema,
  moveDeliveryBody,
  shipmentSchema,
  tariffParams,
  tariffSchema,
  type BookDelivery,
  type CreateTariff,
} from "./deliveries.schema.js";
import { listQuery } from "./services.schema.js";

type Locals = { locals: Record<string, unknown> };
const idOf = (res: Locals) => (res.locals.params as { id: string }).id;
const queryOf = (res: Locals) => res.locals.query as z.infer<typeof listQuery>;

/** Logistics offerings (issue 17, DECISIONS 115): delivery tariffs and deliveries of orders' shipments. */
export function deliveriesRoutes(deliveries: DeliveriesService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/services/delivery-tariffs",
      { permission: "service_offering:create" },
      "Offer delivery (同城配送): a base fee, per km and per kg in fen, over a service area of province/city codes",
      responds(tariffSchema, 201),
      validate({ body: createTariffBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await deliveries.createTariff(auditContext(req, res), principalOf(res), res.locals.body as CreateTariff),
          );
      },
    ),
    route(
      "get",
      "/api/v1/services/delivery-tariffs",
      { permission: "service_delivery:view" },
      "Delivery tariffs with their areas, newest first; mine=true: my company's",
      responds(z.object({ tariffs: z.array(tariffSchema) })),
      validate({ query: listQuery }),
      async (_req, res) => {
        const q = queryOf(res);
        res.json({ tariffs: await deliveries.tariffs(principalOf(res), q.mine === "true", q.limit) });
      },
    ),
    route(
      "post",
      "/api/v1/services/delivery-tariffs/:id/deliveries",
      { permission: "service_delivery:create" },
      "Book a delivery of one warehouse's shipment of my order (buyer or seller): both ends in the area, the charge " +
        "fixed from the tariff, the allocation's distance and the declared weight; Idempotency-Key honoured",
      responds(deliverySchema, 201),
      validate({ params: tariffParams, body: bookDeliveryBody }),
      async (req, res) => {
        const reply = await deliveries.book(
          auditContext(req, res),
          principalOf(res),
          idOf(res),
          res.locals.body as BookDelivery,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/services/deliveries",
      { permission: "service_delivery:view" },
      "Deliveries of my company: those it booked and those it carries, newest first, with their settlement",
      responds(z.object({ deliveries: z.array(deliverySchema) })),
      validate({ query: listQuery }),
      async (_req, res) => void res.json({ deliveries: await deliveries.list(principalOf(res), queryOf(res).limit) }),
    ),
    route(
      "get",
      "/api/v1/services/deliveries/shipments",
      { permission: "service_delivery:create" },
      "What I may book a delivery for: each warehouse's part of my orders (as buyer, or as that part's seller) still " +
        "to leave, without a live delivery, newest first",
      responds(z.object({ shipments: z.array(shipmentSchema) })),
      validate({ query: listQuery }),
      async (_req, res) =>
        void res.json({ shipments: await deliveries.shipments(principalOf(res), queryOf(res).limit) }),
    ),
    route(
      "get",
      "/api/v1/services/deliveries/:id",
      { permission: "service_delivery:view" },
      "One delivery: its ends, distance, weight, charge, state and settlement",
      responds(deliverySchema),
      validate({ params: deliveryParams }),
      async (req, res) => void res.json(await deliveries.get(auditContext(req, res), principalOf(res), idOf(res))),
    ),
    route(
      "post",
      "/api/v1/services/deliveries/:id/status",
      { permission: "service_delivery:edit" },
      "Move a delivery: the provider accepts, picks up and delivers (delivering settles and bills it); either side " +
        "cancels until pickup; repeating a move changes nothing",
      responds(deliverySchema),
      validate({ params: deliveryParams, body: moveDeliveryBody }),
      async (req, res) => {
        const { to } = res.locals.body as z.infer<typeof moveDeliveryBody>;
        res.json(await deliveries.move(auditContext(req, res), principalOf(res), idOf(res), to));
      },
    ),
  ];
}
