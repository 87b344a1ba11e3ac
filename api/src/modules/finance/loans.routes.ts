import { validate } from "../../http/validate.js";
import { raw, responds } from "../../http/responds.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  applyBody,
  approveBody,
  disburseBody,
  limitBody,
  limitListResponse,
  limitParams,
  limitSchema,
  loanListQuery,
  loanListResponse,
  loanParams,
  loanSchema,
  proposeBody,
  reasonBody,
  repayBody,
  statementQuery,
  statementSchema,
  type ApplyBody,
  type DisburseBody,
  type LoanListQuery,
  type ProposeBody,
  type RepayBody,
  type StatementQuery,
} from "./loans.schema.js";
import { LoansService } from "./loans.service.js";

export function loansRoutes(loans: LoansService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  const base = "/api/v1/finance/loans";
  return [
    route(
      "post",
      base,
      { permission: "loan:create" },
      "Apply for an order loan to a lender I consented to: on an invoice of a delivered order (mine as seller " +
        "or buyer; ≤ 80 % of what is open) or an order not yet invoiced (my confirmed order as seller ≤ 60 %, my " +
        "purchase order as buyer ≤ 70 %); Idempotency-Key honoured",
      responds(loanSchema, 201),
      validate({ body: applyBody }),
      async (req, res) => {
        const r = await loans.apply(
          auditContext(req, res),
          principalOf(res),
          res.locals.company as Company | undefined,
          res.locals.body as ApplyBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(r.status).json(r.body);
      },
    ),
    route(
      "get",
      base,
      { permission: "loan:view" },
      "My loans as borrower, or as lender (applications only from borrowers whose consent stands); due " +
        "loans are marked overdue first",
      responds(loanListResponse),
      validate({ query: loanListQuery }),
      async (req, res) => {
        res.json({
          loans: await loans.list(
            auditContext(req, res),
            principalOf(res),
            res.locals.company as Company | undefined,
            res.locals.query as LoanListQuery,
          ),
        });
      },
    ),
    route(
      "get",
      "/api/v1/finance/loan-statement",
      { permission: "loan:view" },
      "My monthly loan statement (opening, disbursed, interest, repaid, closing) per loan, per counterparty " +
        "and in total; format=csv for CSV",
      responds(statementSchema),
      responds(raw("text/csv"), 200, { description: "format=csv" }),
      validate({ query: statementQuery }),
      async (_req, res) => {
        const q = res.locals.query as StatementQuery;
        const s = await loans.statement(res.locals.company as Company | undefined, q);
        if (q.format === "csv") {
          res.type("text/csv").setHeader("Content-Disposition", `attachment; filename="loan-statement-${q.month}.csv"`);
          res.send(LoansService.csv(s));
        } else res.json(s);
      },
    ),
    route(
      "get",
      `${base}/:id`,
      { permission: "loan:view" },
      "One loan with its terms, what is owed today, and its entries (its borrower; its lender — before the " +
        "contract only with the borrower's consent)",
      responds(loanSchema),
      validate({ params: loanParams }),
      async (req, res) => {
        res.json(await loans.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      `${base}/:id/propose`,
      { permission: "loan:submit" },
      "The lender's credit officer proposes terms: amount (≤ the basis's share), annual rate and overdue " +
        "margin in basis points, term in days, repayment plan (bullet or equal principal, instalments)",
      responds(loanSchema),
      validate({ params: loanParams, body: proposeBody }),
      async (req, res) => {
        res.json(
          await loans.propose(auditContext(req, res), principalOf(res), id(res), res.locals.body as ProposeBody),
        );
      },
    ),
    route(
      "post",
      `${base}/:id/approve`,
      { permission: "loan:approve" },
      "The lender's approver approves proposed terms (not the person who proposed them) within the " +
        "borrower's credit limit",
      responds(loanSchema),
      validate({ params: loanParams, body: approveBody }),
      async (req, res) => {
        res.json(await loans.approve(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      `${base}/:id/decline`,
      { permission: "loan:reject" },
      "The lender declines an application or approved loan before any money moved",
      responds(loanSchema),
      validate({ params: loanParams, body: reasonBody }),
      async (req, res) => {
        const { reason } = res.locals.body as { reason: string };
        res.json(await loans.end(auditContext(req, res), principalOf(res), id(res), "declined", reason));
      },
    ),
    route(
      "post",
      `${base}/:id/withdraw`,
      { permission: "loan:cancel" },
      "The borrower withdraws its application (or an approved loan not yet paid out)",
      responds(loanSchema),
      validate({ params: loanParams, body: reasonBody }),
      async (req, res) => {
        const { reason } = res.locals.body as { reason: string };
        res.json(await loans.end(auditContext(req, res), principalOf(res), id(res), "withdrawn", reason));
      },
    ),
    route(
      "post",
      `${base}/:id/disburse`,
      { permission: "loan:edit" },
      "The lender records the disbursement of an approved loan (not by its approver; within the credit " +
        "limit; once); Idempotency-Key honoured",
      responds(loanSchema),
      validate({ params: loanParams, body: disburseBody }),
      async (req, res) => {
        const r = await loans.disburse(
          auditContext(req, res),
          principalOf(res),
          id(res),
          res.locals.body as DisburseBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(r.status).json(r.body);
      },
    ),
    route(
      "post",
      `${base}/:id/repayments`,
      { permission: "loan:edit" },
      "A repayment (partial allowed; interest first; never more than owed; each bank reference once), by " +
        "the borrower or its lender; Idempotency-Key honoured",
      responds(loanSchema, 201),
      validate({ params: loanParams, body: repayBody }),
      async (req, res) => {
        const r = await loans.repay(
          auditContext(req, res),
          principalOf(res),
          id(res),
          res.locals.body as RepayBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(r.status).json(r.body);
      },
    ),
    route(
      "put",
      "/api/v1/finance/credit-limits/:borrowerId",
      { permission: "credit_limit:edit" },
      "Set a borrower's credit limit with my company (a lender), in fen; approvals and disbursements above " +
        "it are refused",
      responds(limitSchema),
      validate({ params: limitParams, body: limitBody }),
      async (req, res) => {
        res.json(
          await loans.setLimit(
            auditContext(req, res),
            principalOf(res),
            (res.locals.params as { borrowerId: string }).borrowerId,
            (res.locals.body as { limitFen: number }).limitFen,
          ),
        );
      },
    ),
    route(
      "get",
      "/api/v1/finance/credit-limits",
      { permission: "credit_limit:view" },
      "My borrowers' credit limits with what each has drawn and what is still available",
      responds(limitListResponse),
      async (_req, res) => {
        res.json({ limits: await loans.limits(principalOf(res)) });
      },
    ),
  ];
}
