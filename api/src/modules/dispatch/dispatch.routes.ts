import { validate } from "../../http/validate.js";
import { auditContext } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import { dispatchBody, dispatchResponse, type DispatchBody } from "./dispatch.schema.js";
import type { DispatchService } from "./dispatch.service.js";
import { responds } from "../../http/responds.js";

export function dispatchRoutes(dispatches: DispatchService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/dispatches",
      { permission: "dispatch:create" },
      "Ship a carton of serials I hold to a named company (EPCIS shipping naming the destination); it records the receipt",
      responds(dispatchResponse, 201),
      validate({ body: dispatchBody }),
      async (req, res) => {
        const company = res.locals.company as Company | undefined;
        const body = res.locals.body as DispatchBody;
        const reply = await dispatches.dispatch(
          auditContext(req, res),
          company,
          body,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
  ];
}
