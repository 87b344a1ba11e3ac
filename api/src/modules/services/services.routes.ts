import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  categoryParams,
  claimBody,
  commissionBody,
  commissionRateSchema,
  courseParams,
  courseSchema,
  createCourseBody,
  createEquipmentBody,
  createSessionBody,
  enrolBody,
  enrolmentParams,
  enrolmentSchema,
  equipmentParams,
  equipmentSchema,
  listQuery,
  rentalParams,
  rentalSchema,
  sessionParams,
  settlementsSchema,
  startRentalBody,
  stopRentalBody,
  type CreateCourse,
  type CreateEquipment,
  type CreateSession,
} from "./services.schema.js";
import type { RentalsService } from "./rentals.service.js";
import type { ServicesService } from "./services.service.js";

type Locals = { locals: Record<string, unknown> };
const idOf = (res: Locals) => (res.locals.params as { id: string }).id;
const bodyOf = <T>(res: Locals) => res.locals.body as T;
const queryOf = (res: Locals) => res.locals.query as z.infer<typeof listQuery>;

/** The services marketplace (issue 17): catalogue, enrolments, rentals, settlements, commission rates. */
export function servicesRoutes(services: ServicesService, rentals: RentalsService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/services/commission-rates",
      { permission: "service_commission:view" },
      "The platform's commission per service category, in basis points (500 = 5%)",
      responds(z.object({ rates: z.array(commissionRateSchema) })),
      async (_req, res) => void res.json({ rates: await services.commissionRates() }),
    ),
    route(
      "put",
      "/api/v1/services/commission-rates/:category",
      { permission: "service_commission:configure" },
      "Set the commission of a service category (applies to settlements from now on; earlier ones keep their rate)",
      responds(commissionRateSchema),
      validate({ params: categoryParams, body: commissionBody }),
      async (req, res) => {
        const { category } = res.locals.params as z.infer<typeof categoryParams>;
        res.json(
          await services.setCommissionRate(
            auditContext(req, res),
            principalOf(res),
            category,
            bodyOf<z.infer<typeof commissionBody>>(res).rateBp,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/services/courses",
      { permission: "service_offering:create" },
      "List a training course (培训课程) with its price per seat in fen",
      responds(courseSchema, 201),
      validate({ body: createCourseBody }),
      async (req, res) => {
        res
          .status(201)
          .json(await services.createCourse(auditContext(req, res), principalOf(res), bodyOf<CreateCourse>(res)));
      },
    ),
    route(
      "get",
      "/api/v1/services/courses",
      { permission: "service_offering:view" },
      "Training courses with their sessions and seats left, newest first; mine=true: my company's catalogue",
      responds(z.object({ courses: z.array(courseSchema) })),
      validate({ query: listQuery }),
      async (_req, res) => {
        const q = queryOf(res);
        res.json({ courses: await services.courses(principalOf(res), q.mine === "true", q.limit) });
      },
    ),
    route(
      "post",
      "/api/v1/services/courses/:id/sessions",
      { permission: "service_offering:edit" },
      "Schedule a session of my course: start, end, place and seats",
      responds(courseSchema, 201),
      validate({ params: courseParams, body: createSessionBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await services.addSession(auditContext(req, res), principalOf(res), idOf(res), bodyOf<CreateSession>(res)),
          );
      },
    ),
    route(
      "post",
      "/api/v1/services/sessions/:id/enrolments",
      { permission: "service_booking:create" },
      "Enrol an attendee in a session (报名): takes a seat if one is left, never more than the seats; " +
        "Idempotency-Key honoured",
      responds(enrolmentSchema, 201),
      validate({ params: sessionParams, body: enrolBody }),
      async (req, res) => {
        const reply = await services.enrol(
          auditContext(req, res),
          principalOf(res),
          idOf(res),
          bodyOf<z.infer<typeof enrolBody>>(res).attendee,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "post",
      "/api/v1/services/sessions/:id/complete",
      { permission: "service_settlement:create" },
      "Close my session as held: its enrolled seats become attended and each is settled with the training commission",
      responds(courseSchema),
      validate({ params: sessionParams }),
      async (req, res) => {
        res.json(await services.closeSession(auditContext(req, res), principalOf(res), idOf(res), "completed"));
      },
    ),
    route(
      "post",
      "/api/v1/services/sessions/:id/cancel",
      { permission: "service_offering:cancel" },
      "Cancel my scheduled session: its enrolments are cancelled and its seats freed",
      responds(courseSchema),
      validate({ params: sessionParams }),
      async (req, res) => {
        res.json(await services.closeSession(auditContext(req, res), principalOf(res), idOf(res), "cancelled"));
      },
    ),
    route(
      "get",
      "/api/v1/services/enrolments",
      { permission: "service_booking:view" },
      "Enrolments of my company: a shop's seats, or the seats in a provider's sessions, newest first",
      responds(z.object({ enrolments: z.array(enrolmentSchema) })),
      validate({ query: listQuery }),
      async (_req, res) =>
        void res.json({ enrolments: await services.enrolments(principalOf(res), queryOf(res).limit) }),
    ),
    route(
      "post",
      "/api/v1/services/enrolments/:id/cancel",
      { permission: "service_booking:cancel" },
      "Cancel an enrolment (the shop or the provider) and free its seat; repeating it changes nothing",
      responds(enrolmentSchema),
      validate({ params: enrolmentParams }),
      async (req, res) => {
        res.json(await services.cancelEnrolment(auditContext(req, res), principalOf(res), idOf(res)));
      },
    ),
    route(
      "post",
      "/api/v1/services/equipment",
      { permission: "service_offering:create" },
      "List equipment for rent (举升机, 诊断仪): billed per hour of use or per meter unit, with the deposit held at start",
      responds(equipmentSchema, 201),
      validate({ body: createEquipmentBody }),
      async (req, res) => {
        res
          .status(201)
          .json(await rentals.createEquipment(auditContext(req, res), principalOf(res), bodyOf<CreateEquipment>(res)));
      },
    ),
    route(
      "get",
      "/api/v1/services/equipment",
      { permission: "service_offering:view" },
      "Equipment for rent with its status (available, rented); mine=true: my company's",
      responds(z.object({ equipment: z.array(equipmentSchema) })),
      validate({ query: listQuery }),
      async (_req, res) => {
        const q = queryOf(res);
        res.json({ equipment: await rentals.equipment(principalOf(res), q.mine === "true", q.limit) });
      },
    ),
    route(
      "post",
      "/api/v1/services/equipment/:id/rentals",
      { permission: "service_booking:create" },
      "Start renting available equipment: the deposit is held; meterStart for meter billing; Idempotency-Key honoured",
      responds(rentalSchema, 201),
      validate({ params: equipmentParams, body: startRentalBody }),
      async (req, res) => {
        const reply = await rentals.startRental(
          auditContext(req, res),
          principalOf(res),
          idOf(res),
          bodyOf<z.infer<typeof startRentalBody>>(res).meterStart,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/services/rentals",
      { permission: "service_booking:view" },
      "Rentals of my company (a shop's, or of a provider's equipment), newest first, with claims and settlement",
      responds(z.object({ rentals: z.array(rentalSchema) })),
      validate({ query: listQuery }),
      async (_req, res) => void res.json({ rentals: await rentals.rentals(principalOf(res), queryOf(res).limit) }),
    ),
    route(
      "get",
      "/api/v1/services/rentals/:id",
      { permission: "service_booking:view" },
      "One rental: usage, charge, damage claims and the settlement",
      responds(rentalSchema),
      validate({ params: rentalParams }),
      async (req, res) => void res.json(await rentals.rental(auditContext(req, res), principalOf(res), idOf(res))),
    ),
    route(
      "post",
      "/api/v1/services/rentals/:id/stop",
      { permission: "service_booking:edit" },
      "Stop an active rental (the shop or the provider): usage and charge fixed; meterEnd for meter billing",
      responds(rentalSchema),
      validate({ params: rentalParams, body: stopRentalBody }),
      async (req, res) => {
        res.json(
          await rentals.stopRental(
            auditContext(req, res),
            principalOf(res),
            idOf(res),
            bodyOf<z.infer<typeof stopRentalBody>>(res).meterEnd,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/services/rentals/:id/claims",
      { permission: "service_settlement:create" },
      "Claim damage against a returned rental's deposit (at most what the charge leaves of it), before settlement",
      responds(rentalSchema, 201),
      validate({ params: rentalParams, body: claimBody }),
      async (req, res) => {
        const b = bodyOf<z.infer<typeof claimBody>>(res);
        res
          .status(201)
          .json(await rentals.fileClaim(auditContext(req, res), principalOf(res), idOf(res), b.amountFen, b.reason));
      },
    ),
    route(
      "post",
      "/api/v1/services/rentals/:id/settle",
      { permission: "service_settlement:create" },
      "Settle a returned rental: charge and claims from the deposit, the rest refunded, commission on the charge",
      responds(rentalSchema),
      validate({ params: rentalParams }),
      async (req, res) => {
        res.json(await rentals.settleRental(auditContext(req, res), principalOf(res), idOf(res)));
      },
    ),
    route(
      "get",
      "/api/v1/services/settlements",
      { permission: "service_settlement:view" },
      "Settlements with the platform's commission: a provider's own, or every provider's (the platform), with totals",
      responds(settlementsSchema),
      validate({ query: listQuery }),
      async (_req, res) => void res.json(await services.settlements(principalOf(res), queryOf(res).limit)),
    ),
  ];
}
