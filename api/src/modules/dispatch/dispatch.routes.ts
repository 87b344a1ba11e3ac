import { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  cartonDetailResponse,
  cartonLinkResponse,
  cartonListResponse,
  dispatchBody,
  dispatchListQuery,
  dispatchParams,
  dispatchResponse,
  receiveCartonBody,
  receiveCartonResponse,
  sscc18,
  type DispatchBody,
  type DispatchListQuery,
  type ReceiveCartonBody,
} from "./dispatch.schema.js";
import type { DispatchService } from "./dispatch.service.js";
import { redirect, responds } from "../../http/responds.js";

export function dispatchRoutes(dispatches: DispatchService): RouteSpec[] {
  const company = (res: { locals: Record<string, unknown> }) => res.locals.company as Company | undefined;
  return [
    route(
      "get",
      "/00/:sscc",
      {
        public:
          "a carton label's Digital Link: it only redirects to the console's receiving screen, which needs a login; nothing about the carton is answered",
      },
      "GS1 Digital Link of a carton (SSCC): opens the console's receive-a-carton screen with the code filled in",
      responds(redirect(), 302, { description: "a browser (or any client not asking for JSON): to the screen" }),
      responds(cartonLinkResponse, 200, { description: "Accept: application/json — where the link leads" }),
      validate({ params: z.object({ sscc: sscc18 }).strict() }),
      (req, res) => {
        const sscc = (res.locals.params as { sscc: string }).sscc;
        const receive = `/console/distributor/receive?code=${sscc}`;
        if (req.accepts(["html", "json"]) === "json") return res.json({ sscc, receive });
        res.redirect(302, receive);
      },
    ),
    route(
      "post",
      "/api/v1/dispatches",
      { permission: "dispatch:create" },
      "Ship a carton of serials I hold to a named company (EPCIS shipping naming the destination); answers the carton's code (SSCC or id) for its label",
      responds(dispatchResponse, 201),
      validate({ body: dispatchBody }),
      async (req, res) => {
        const reply = await dispatches.dispatch(
          auditContext(req, res),
          company(res),
          res.locals.body as DispatchBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/dispatches",
      { permission: "part:view" },
      "Cartons my company sent (outgoing) or that were sent to it (incoming), newest first",
      responds(cartonListResponse),
      validate({ query: dispatchListQuery }),
      async (_req, res) => {
        res.json(await dispatches.list(company(res), res.locals.query as DispatchListQuery));
      },
    ),
    route(
      "get",
      "/api/v1/dispatches/:code",
      { permission: "part:view" },
      "One carton by its id or SSCC, with its parts (its sender and its receiver only)",
      responds(cartonDetailResponse),
      validate({ params: dispatchParams }),
      async (_req, res) => {
        res.json(await dispatches.get(company(res), (res.locals.params as { code: string }).code));
      },
    ),
    route(
      "post",
      "/api/v1/dispatches/:code/receive",
      { permission: "custody:create" },
      "Receive a whole carton in one call (all or nothing; the named receiver only; a repeat answers the first receipt)",
      responds(receiveCartonResponse, 201),
      responds(receiveCartonResponse, 200, { description: "already received: nothing was written" }),
      validate({ params: dispatchParams, body: receiveCartonBody }),
      async (req, res) => {
        const reply = await dispatches.receive(
          auditContext(req, res),
          company(res),
          (res.locals.params as { code: string }).code,
          res.locals.body as ReceiveCartonBody,
        );
        res.status(reply.status).json(reply.body);
      },
    ),
  ];
}
