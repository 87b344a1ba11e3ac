import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import {
  disputeListQuery,
  disputeMessageBody,
  disputeParams,
  disputeSchema,
  disputeStatusBody,
  disputeSummarySchema,
  openDisputeBody,
} from "./disputes.schema.js";
import type { DisputesService } from "./disputes.service.js";

export function disputesRoutes(disputes: DisputesService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/disputes",
      { permission: "dispute:create" },
      "Dispute a refused (or partly authorised) return as its requester; Idempotency-Key honoured",
      responds(disputeSchema, 201),
      validate({ body: openDisputeBody }),
      async (req, res) => {
        const reply = await disputes.open(
          auditContext(req, res),
          principalOf(res),
          res.locals.body as z.infer<typeof openDisputeBody>,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/disputes",
      { permission: "dispute:view" },
      "Disputes I am a side of (the platform: all of them — its arbitration queue with status=open)",
      responds(z.object({ disputes: z.array(disputeSummarySchema) })),
      validate({ query: disputeListQuery }),
      async (_req, res) => {
        res.json({
          disputes: await disputes.list(principalOf(res), res.locals.query as z.infer<typeof disputeListQuery>),
        });
      },
    ),
    route(
      "get",
      "/api/v1/disputes/:id",
      { permission: "dispute:view" },
      "One dispute with its evidence timeline: the return's history and photos, the serial's ledger events, messages",
      responds(disputeSchema),
      validate({ params: disputeParams }),
      async (req, res) => {
        res.json(await disputes.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/disputes/:id/messages",
      { permission: "dispute:edit" },
      "Write on a dispute's timeline (requester, seller or platform)",
      responds(disputeSchema),
      validate({ params: disputeParams, body: disputeMessageBody }),
      async (req, res) => {
        const { body } = res.locals.body as z.infer<typeof disputeMessageBody>;
        res.json(await disputes.message(auditContext(req, res), principalOf(res), id(res), body));
      },
    ),
    route(
      "post",
      "/api/v1/disputes/:id/status",
      { permission: "dispute:edit" },
      "Move a dispute on: take it for review (platform), propose an outcome for a second platform person to approve " +
        "(POST /approvals/{id}/approve settles it), withdraw (requester), concede: settled with refund_full (the claim) or " +
        "refund_part and amountFen (seller; refunds at once, without arbitration)",
      responds(disputeSchema),
      validate({ params: disputeParams, body: disputeStatusBody }),
      async (req, res) => {
        res.json(
          await disputes.transition(
            auditContext(req, res),
            principalOf(res),
            id(res),
            res.locals.body as z.infer<typeof disputeStatusBody>,
          ),
        );
      },
    ),
  ];
}
