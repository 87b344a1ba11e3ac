import { validate } from "../../http/validate.js";
import { responds } from "../../http/responds.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  enforcementListQuery,
  enforcementListResponse,
  enforcementParams,
  enforcementSchema,
  receiptEnforceParams,
  startEnforcementBody,
  type EnforcementListQuery,
  type StartEnforcementBody,
} from "./enforcements.schema.js";
import type { EnforcementsService } from "./enforcements.service.js";

const BASE = "/api/v1/finance/enforcements";

/** Enforcement of pledged warehouse receipts: transfer to the lender's nominee, two people and an undo window. */
export function enforcementsRoutes(enforcements: EnforcementsService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  const step = (act: "confirm" | "cancel" | "complete", summary: string): RouteSpec =>
    route(
      "post",
      `${BASE}/:id/${act}`,
      { permission: "warehouse_receipt:approve" },
      summary,
      responds(enforcementSchema),
      validate({ params: enforcementParams }),
      async (req, res) => {
        res.json(await enforcements[act](auditContext(req, res), principalOf(res), id(res)));
      },
    );
  return [
    route(
      "post",
      "/api/v1/finance/warehouse-receipts/:id/enforcements",
      { permission: "warehouse_receipt:approve" },
      "Start enforcing a receipt pledged to me: its goods go to my nominee (a distributor or repair shop) into one of " +
        "its warehouses, once a second approver confirms and the undo window has passed; Idempotency-Key honoured",
      responds(enforcementSchema, 201),
      validate({ params: receiptEnforceParams, body: startEnforcementBody }),
      async (req, res) => {
        const r = await enforcements.start(
          auditContext(req, res),
          principalOf(res),
          id(res),
          res.locals.body as StartEnforcementBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(r.status).json(r.body);
      },
    ),
    route(
      "get",
      BASE,
      { permission: "warehouse_receipt:view" },
      "Enforcements my company is party to (as lender, borrower or nominee; the platform: all), newest first",
      responds(enforcementListResponse),
      validate({ query: enforcementListQuery }),
      async (_req, res) => {
        res.json({
          enforcements: await enforcements.list(principalOf(res), res.locals.query as EnforcementListQuery),
        });
      },
    ),
    route(
      "get",
      `${BASE}/:id`,
      { permission: "warehouse_receipt:view" },
      "One enforcement (its lender, borrower, nominee, the platform)",
      responds(enforcementSchema),
      validate({ params: enforcementParams }),
      async (req, res) => {
        res.json(await enforcements.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    step(
      "confirm",
      "Confirm an enforcement another approver of my company started (two-person rule); the undo window starts",
    ),
    step(
      "cancel",
      "Undo an enforcement: while proposed, or confirmed and inside its undo window; the receipt stays pledged",
    ),
    step(
      "complete",
      "Transfer the goods once the undo window is over (the lender or the platform): serials released and shipped to " +
        "the nominee on the ledger, quantities moved, the receipt enforced; a retry answers the outcome",
    ),
  ];
}
