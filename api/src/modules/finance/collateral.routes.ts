import type { z } from "zod";
import { validate } from "../../http/validate.js";
import { responds } from "../../http/responds.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  collateralListResponse,
  collateralParams,
  collateralSchema,
  collateralTermsBody,
  marginCallListQuery,
  marginCallListResponse,
  type CollateralTermsBody,
} from "./collateral.schema.js";
import type { CollateralService } from "./collateral.service.js";

const BASE = "/api/v1/finance/collateral";

export function collateralRoutes(collateral: CollateralService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "get",
      BASE,
      { permission: "warehouse_receipt:view" },
      "Pledged receipts I lend against or borrowed on, valued now at the pool price: " +
        "units locked, value, loan-to-value, margin call",
      responds(collateralListResponse),
      async (req, res) => {
        res.json({ collateral: await collateral.list(auditContext(req, res), principalOf(res)) });
      },
    ),
    route(
      "get",
      `${BASE}/margin-calls`,
      { permission: "warehouse_receipt:view" },
      "Margin calls on my pledged receipts (as lender or borrower), open and closed, newest first",
      responds(marginCallListResponse),
      validate({ query: marginCallListQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof marginCallListQuery>;
        res.json({ marginCalls: await collateral.calls(principalOf(res), q.limit) });
      },
    ),
    route(
      "get",
      `${BASE}/:id`,
      { permission: "warehouse_receipt:view" },
      "One pledged receipt's collateral valued now (its lender, its borrower, the platform)",
      responds(collateralSchema),
      validate({ params: collateralParams }),
      async (req, res) => {
        res.json(await collateral.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "put",
      `${BASE}/:id/terms`,
      { permission: "warehouse_receipt:approve" },
      "The lender's terms for a pledged receipt: the amount it secures and the largest loan-to-value accepted; " +
        "a margin call opens when the value falls below secured ÷ ratio",
      responds(collateralSchema),
      validate({ params: collateralParams, body: collateralTermsBody }),
      async (req, res) => {
        res.json(
          await collateral.setTerms(
            auditContext(req, res),
            principalOf(res),
            id(res),
            res.locals.body as CollateralTermsBody,
          ),
        );
      },
    ),
  ];
}
