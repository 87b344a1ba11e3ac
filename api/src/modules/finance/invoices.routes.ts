import { validate } from "../../http/validate.js";
import { responds } from "../../http/responds.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  agingQuery,
  agingResponse,
  invoiceListQuery,
  invoiceListResponse,
  invoiceParams,
  invoiceSchema,
  issueInvoiceBody,
  paymentBody,
  termsBody,
  termsListResponse,
  termsParams,
  termsSchema,
  type AgingQuery,
  type InvoiceListQuery,
  type IssueInvoiceBody,
  type PaymentBody,
  type TermsBody,
} from "./invoices.schema.js";
import type { InvoicesService } from "./invoices.service.js";

export function invoicesRoutes(invoices: InvoicesService): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "put",
      "/api/v1/finance/terms/:buyerId",
      { permission: "invoice:edit" },
      "Set a customer's payment terms with my company: cash or 月结 30/60/90 days, and a credit limit in fen",
      responds(termsSchema),
      validate({ params: termsParams, body: termsBody }),
      async (req, res) => {
        res.json(
          await invoices.setTerms(
            auditContext(req, res),
            principalOf(res),
            (res.locals.params as { buyerId: string }).buyerId,
            res.locals.body as TermsBody,
          ),
        );
      },
    ),
    route(
      "get",
      "/api/v1/finance/terms",
      { permission: "invoice:view" },
      "My customers' payment terms, with what each owes and whether it is over its credit limit",
      responds(termsListResponse),
      async (_req, res) => {
        res.json({ terms: await invoices.terms(principalOf(res)) });
      },
    ),
    route(
      "post",
      "/api/v1/finance/invoices",
      { permission: "invoice:create" },
      "Invoice a delivered order: my lines of it at the order's prices, VAT inside the tax-inclusive total, due per the customer's terms",
      responds(invoiceSchema, 201),
      validate({ body: issueInvoiceBody }),
      async (req, res) => {
        res
          .status(201)
          .json(await invoices.issue(auditContext(req, res), principalOf(res), res.locals.body as IssueInvoiceBody));
      },
    ),
    route(
      "get",
      "/api/v1/finance/invoices",
      { permission: "invoice:view" },
      "Invoices I issued (receivable) or received (payable), newest first",
      responds(invoiceListResponse),
      validate({ query: invoiceListQuery }),
      async (_req, res) => {
        res.json({ invoices: await invoices.list(principalOf(res), res.locals.query as InvoiceListQuery) });
      },
    ),
    route(
      "get",
      "/api/v1/finance/invoices/:id",
      { permission: "invoice:view" },
      "One invoice with its lines and payments (its seller and its buyer)",
      responds(invoiceSchema),
      validate({ params: invoiceParams }),
      async (req, res) => {
        res.json(await invoices.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/finance/invoices/:id/payments",
      { permission: "invoice:edit" },
      "Record a payment received against my invoice (partial allowed; never more than is open; each bank reference once)",
      responds(invoiceSchema, 201),
      validate({ params: invoiceParams, body: paymentBody }),
      async (req, res) => {
        res
          .status(201)
          .json(await invoices.pay(auditContext(req, res), principalOf(res), id(res), res.locals.body as PaymentBody));
      },
    ),
    route(
      "get",
      "/api/v1/finance/aging",
      { permission: "invoice:view" },
      "Receivables or payables aging as of a date: current, 1–30, 31–60, 61–90, over 90 days past due, per counterparty",
      responds(agingResponse),
      validate({ query: agingQuery }),
      async (_req, res) => {
        res.json(await invoices.aging(principalOf(res), res.locals.query as AgingQuery));
      },
    ),
  ];
}
