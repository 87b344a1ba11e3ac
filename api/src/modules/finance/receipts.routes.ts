import { validate } from "../../http/validate.js";
import { responds } from "../../http/responds.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  issueReceiptBody,
  pledgeBody,
  receiptListQuery,
  receiptListResponse,
  receiptBundleSchema,
  receiptParams,
  receiptSchema,
  releaseBody,
  type IssueReceiptBody,
  type PledgeBody,
  type ReceiptListQuery,
  type ReleaseBody,
} from "./receipts.schema.js";
import type { ReceiptsService } from "./receipts.service.js";

const BASE = "/api/v1/finance/warehouse-receipts";

export function receiptsRoutes(receipts: ReceiptsService): RouteSpec[] {
  const company = (res: { locals: Record<string, unknown> }) => res.locals.company as Company | undefined;
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      BASE,
      { permission: "warehouse_receipt:create" },
      "Issue a warehouse receipt over stock at one of my warehouses (quantities, and serials for serialised parts): those units are locked from now on",
      responds(receiptSchema, 201),
      validate({ body: issueReceiptBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await receipts.issue(
              auditContext(req, res),
              principalOf(res),
              company(res),
              res.locals.body as IssueReceiptBody,
            ),
          );
      },
    ),
    route(
      "get",
      BASE,
      { permission: "warehouse_receipt:view" },
      "Warehouse receipts my company issued or holds as lender (the platform: all); filter by status or by a serial they name",
      responds(receiptListResponse),
      validate({ query: receiptListQuery }),
      async (_req, res) => {
        res.json({ receipts: await receipts.list(principalOf(res), res.locals.query as ReceiptListQuery) });
      },
    ),
    route(
      "get",
      `${BASE}/:id`,
      { permission: "warehouse_receipt:view" },
      "One warehouse receipt: its lines, serials, status, lender and document digest (its holder, its lender, the platform)",
      responds(receiptSchema),
      validate({ params: receiptParams }),
      async (req, res) => {
        res.json(await receipts.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "get",
      `${BASE}/:id/bundle`,
      { permission: "warehouse_receipt:view" },
      "The receipt's audit bundle: each serial's whole ledger history with Merkle proofs, for " +
        "`npm run audit -- --receipt` (its holder, its lender, the platform)",
      responds(receiptBundleSchema),
      validate({ params: receiptParams }),
      async (req, res) => {
        res.setHeader("Content-Disposition", `attachment; filename="partledger-receipt-${id(res)}.json"`);
        res.json(await receipts.bundle(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      `${BASE}/:id/pledge`,
      { permission: "warehouse_receipt:submit" },
      "Pledge an issued receipt to a lender (another person than its issuer); a receipt is pledged once, until released",
      responds(receiptSchema),
      validate({ params: receiptParams, body: pledgeBody }),
      async (req, res) => {
        res.json(
          await receipts.pledge(
            auditContext(req, res),
            principalOf(res),
            company(res),
            id(res),
            res.locals.body as PledgeBody,
          ),
        );
      },
    ),
    route(
      "post",
      `${BASE}/:id/cancel`,
      { permission: "warehouse_receipt:cancel" },
      "Cancel an issued receipt that was never pledged: its units are free again",
      responds(receiptSchema),
      validate({ params: receiptParams }),
      async (req, res) => {
        res.json(await receipts.cancel(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      `${BASE}/:id/release`,
      { permission: "warehouse_receipt:approve" },
      "Release a pledged receipt on repayment — its lender, or the platform on the lender's instruction: everything, or the quantities and serials named",
      responds(receiptSchema),
      validate({ params: receiptParams, body: releaseBody }),
      async (req, res) => {
        res.json(
          await receipts.release(auditContext(req, res), principalOf(res), id(res), res.locals.body as ReleaseBody),
        );
      },
    ),
  ];
}
