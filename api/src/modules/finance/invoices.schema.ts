import { z } from "zod";
import { AGING_BUCKETS } from "./billing.js";

const companyId = z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

export const termsParams = z.object({ buyerId: companyId }).strict();
export const termsBody = z
  .object({
    /** cash: due on issue; net: 月结, due `days` after issue. */
    kind: z.enum(["cash", "net"]),
    days: z.union([z.literal(0), z.literal(30), z.literal(60), z.literal(90)]),
    creditLimitFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  })
  .strict()
  .refine((t) => (t.kind === "cash") === (t.days === 0), "cash has days 0; net has 30, 60 or 90");
export type TermsBody = z.infer<typeof termsBody>;

export const issueInvoiceBody = z
  .object({
    orderId: z.string().regex(/^ord_[0-9a-f]{16}$/, "an order id ord_…"),
    /** VAT rate in basis points (1300 = 13 %), default 1300. */
    taxRateBp: z.number().int().min(0).max(10_000).optional(),
    /** The tax authority's e-invoice number (数电票号码, 20 digits), as a reference. */
    einvoiceNo: z
      .string()
      .regex(/^\d{8,20}$/)
      .optional(),
  })
  .strict();
export type IssueInvoiceBody = z.infer<typeof issueInvoiceBody>;

export const invoiceParams = z.object({ id: z.string().regex(/^inv_[0-9a-f]{16}$/, "an invoice id inv_…") }).strict();
export const paymentBody = z
  .object({
    amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    bankRef: z.string().trim().min(1).max(64),
    paidOn: date.optional(),
  })
  .strict();
export type PaymentBody = z.infer<typeof paymentBody>;

export const invoiceListQuery = z
  .object({
    side: z.enum(["receivable", "payable"]).default("receivable"),
    open: z.enum(["true", "false"]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** A statement with one counterparty: a company id, or "platform" (its commission invoices). */
    counterparty: z.union([companyId, z.literal("platform")]).optional(),
  })
  .strict();
export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;
export const agingQuery = z
  .object({ side: z.enum(["receivable", "payable"]).default("receivable"), asOf: date.optional() })
  .strict();
export type AgingQuery = z.infer<typeof agingQuery>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const termsSchema = z
  .object({
    sellerId: z.string(),
    buyerId: z.string(),
    kind: z.enum(["cash", "net"]),
    days: z.number().int(),
    creditLimitFen: z.number().int().nullable(),
    outstandingFen: z.number().int().describe("the customer's open invoices with this seller"),
    overLimit: z.boolean(),
  })
  .strict();
export const termsListResponse = z.object({ terms: z.array(termsSchema) }).strict();

export const invoiceSchema = z
  .object({
    id: z.string(),
    source: z
      .enum(["order", "service", "commission"])
      .describe("a delivered order, or a service settlement: the service itself, or the platform's commission on it"),
    orderId: z.string().nullable(),
    settlementId: z.string().nullable().describe("the service settlement (stl_…) billed"),
    sellerId: z.string().nullable().describe("null: the platform (its commission invoices)"),
    buyerId: z.string(),
    einvoiceNo: z.string().nullable(),
    totalFen: z.number().int().describe("tax-inclusive"),
    taxRateBp: z.number().int(),
    taxFen: z.number().int().describe("round half up of total × rate / (10000 + rate)"),
    netFen: z.number().int(),
    paidFen: z.number().int(),
    outstandingFen: z.number().int(),
    issueDate: z.string(),
    dueDate: z.string(),
    terms: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        skuId: z.number().int().nullable(),
        description: z.string().nullable().describe("what a service line sold (its SKU is null)"),
        quantity: z.number().int(),
        unitPriceFen: z.number().int(),
        amountFen: z.number().int(),
      }),
    ),
    payments: z.array(
      z.object({ id: z.string(), amountFen: z.number().int(), bankRef: z.string(), paidOn: z.string() }),
    ),
  })
  .strict();
export const invoiceListResponse = z.object({ invoices: z.array(invoiceSchema) }).strict();

const buckets = z.object(
  Object.fromEntries(AGING_BUCKETS.map((b) => [b, z.number().int()])) as Record<
    (typeof AGING_BUCKETS)[number],
    z.ZodNumber
  >,
);
export const agingResponse = z
  .object({
    side: z.enum(["receivable", "payable"]),
    asOf: z.string(),
    buckets,
    outstandingFen: z.number().int(),
    counterparties: z.array(
      z.object({
        counterparty: z.string().describe('a company id, or "platform"'),
        buckets,
        outstandingFen: z.number().int(),
      }),
    ),
  })
  .strict();
