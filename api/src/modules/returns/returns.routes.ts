import { z } from "zod";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  compensationRuleBody,
  compensationRuleSchema,
  photoParams,
  returnPhotoSchema,
  requestReturnBody,
  returnListQuery,
  returnParams,
  returnSchema,
  returnStatusBody,
  returnSummarySchema,
  swapListQuery,
  swapSchema,
} from "./returns.schema.js";
import type { ReturnsService } from "./returns.service.js";

export function returnsRoutes(returns: ReturnsService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/returns",
      { permission: "return:create" },
      "Request a return of an order line or of one serialised unit (checked against the ledger: it must be the unit sold); the compensation rules may approve and refund it at once; Idempotency-Key honoured",
      responds(returnSchema, 201),
      validate({ body: requestReturnBody }),
      async (req, res) => {
        const reply = await returns.request(
          auditContext(req, res),
          principalOf(res),
          res.locals.company as Company,
          res.locals.body as z.infer<typeof requestReturnBody>,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/returns",
      { permission: "return:view" },
      "Returns I requested or sell (the seller's RMA queue: status=requested); overdue=true lists those past their SLA",
      responds(z.object({ returns: z.array(returnSummarySchema) })),
      validate({ query: returnListQuery }),
      async (_req, res) => {
        res.json({
          returns: await returns.list(principalOf(res), res.locals.query as z.infer<typeof returnListQuery>),
        });
      },
    ),
    route(
      "get",
      "/api/v1/returns/swaps",
      { permission: "return:view" },
      "Swap attempts against my sales (the platform: all): a serial that is not the unit sold, with the ledger's evidence",
      responds(z.object({ swaps: z.array(swapSchema) })),
      validate({ query: swapListQuery }),
      async (_req, res) => {
        res.json({
          swaps: await returns.swaps(principalOf(res), (res.locals.query as z.infer<typeof swapListQuery>).limit),
        });
      },
    ),
    route(
      "get",
      "/api/v1/returns/rules",
      { permission: "return:view" },
      "Compensation rules: the platform's and mine",
      responds(z.object({ platform: compensationRuleSchema.nullable(), mine: compensationRuleSchema.nullable() })),
      async (_req, res) => {
        res.json(await returns.rules(principalOf(res)));
      },
    ),
    route(
      "put",
      "/api/v1/returns/rules",
      { permission: "return:configure" },
      "Set my compensation rules (a seller's, or the platform's): what is approved and refunded without a person",
      responds(compensationRuleSchema),
      validate({ body: compensationRuleBody }),
      async (req, res) => {
        res.json(
          await returns.setRules(
            auditContext(req, res),
            principalOf(res),
            res.locals.body as z.infer<typeof compensationRuleBody>,
          ),
        );
      },
    ),
    route(
      "get",
      "/api/v1/returns/:id",
      { permission: "return:view" },
      "One return: status history, refund, swap evidence",
      responds(returnSchema),
      validate({ params: returnParams }),
      async (req, res) => {
        res.json(await returns.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/returns/:id/photos",
      { permission: "return:edit" },
      "Add a photo to a return (the body is the picture: image/jpeg, image/png or image/webp, checked by its bytes; " +
        "at most RETURN_PHOTO_MAX_BYTES); the same picture again answers 200",
      responds(returnPhotoSchema, 201),
      responds(returnPhotoSchema, 200),
      validate({ params: returnParams }),
      async (req, res) => {
        const out = await returns.addPhoto(auditContext(req, res), principalOf(res), id(res), {
          body: req,
          type: req.header("content-type"),
          length: req.header("content-length"),
        });
        res.status(out.status).json(out.photo);
      },
    ),
    route(
      "get",
      "/api/v1/returns/:id/photos/:photoId",
      { permission: "return:view" },
      "A return's photo (its sides and the platform)",
      responds(raw("image/jpeg")),
      validate({ params: photoParams }),
      async (req, res) => {
        const { photoId } = res.locals.params as { photoId: string };
        const f = await returns.photo(auditContext(req, res), principalOf(res), id(res), photoId);
        res.type(f.media).setHeader("cache-control", "private, max-age=3600");
        res.send(f.bytes);
      },
    ),
    route(
      "post",
      "/api/v1/returns/:id/status",
      { permission: "return:edit" },
      "Move a return on: authorise (in part) or refuse (seller), ship back (requester), receive with the serial scanned, inspect, resolve (seller), close",
      responds(returnSchema),
      validate({ params: returnParams, body: returnStatusBody }),
      async (req, res) => {
        res.json(
          await returns.transition(
            auditContext(req, res),
            principalOf(res),
            id(res),
            res.locals.body as z.infer<typeof returnStatusBody>,
          ),
        );
      },
    ),
  ];
}
