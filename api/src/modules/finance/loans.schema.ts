import { z } from "zod";
import { LOAN_STATUSES } from "./loan-book.js";
import { PLAN_KINDS } from "./loan-schedule.js";

const companyId = z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…");
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");
const fen = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bankRef = z.string().trim().min(1).max(64);

export const loanParams = z.object({ id: z.string().regex(/^ln_[0-9a-f]{16}$/, "a loan id ln_…") }).strict();
export const applyBody = z
  .object({
    /** The invoice of a delivered order this loan finances: mine as its seller (receivable) or its buyer (payable). */
    invoiceId: z
      .string()
      .regex(/^inv_[0-9a-f]{16}$/, "an invoice id inv_…")
      .optional(),
    /**
     * Or an order not yet invoiced (DECISIONS 116): as its seller, my confirmed order (repaid from its invoice's
     * payment); as its buyer, my purchase order (the lender pays the seller for me).
     */
    orderId: z
      .string()
      .regex(/^ord_[0-9a-f]{16}$/, "an order id ord_…")
      .optional(),
    /** A purchase order's seller, when the order has several. */
    sellerId: companyId.optional(),
    lenderId: companyId,
    requestedFen: fen,
    termDays: z.number().int().min(1).max(366),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((b) => (b.invoiceId === undefined) !== (b.orderId === undefined), {
    message: "give invoiceId (an invoice) or orderId (an order not yet invoiced), one of them",
    path: ["invoiceId"],
  });
export type ApplyBody = z.infer<typeof applyBody>;

export const proposeBody = z
  .object({
    amountFen: fen,
    /** Annual rate in basis points (ACT/365): 730 = 7.3 %. */
    rateBp: z.number().int().min(0).max(10_000),
    /** Added to the rate for each day after the due date. */
    overdueBp: z.number().int().min(0).max(10_000),
    termDays: z.number().int().min(1).max(366),
    /** The repayment plan: bullet (principal at the end) or equal principal (等额本金) over `instalments`. */
    plan: z.enum(PLAN_KINDS).default("bullet"),
    /** Instalment dates spread evenly over the term; at most one a day. */
    instalments: z.number().int().min(1).max(36).default(1),
  })
  .strict()
  .refine((t) => t.instalments <= t.termDays, {
    message: "instalments: at most one instalment a day (≤ termDays)",
    path: ["instalments"],
  });
export type ProposeBody = z.infer<typeof proposeBody>;

export const reasonBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const approveBody = z.object({}).strict();
export const disburseBody = z.object({ bankRef, on: date.optional() }).strict();
export type DisburseBody = z.infer<typeof disburseBody>;
export const repayBody = z.object({ amountFen: fen, bankRef, paidOn: date.optional() }).strict();
export type RepayBody = z.infer<typeof repayBody>;

export const loanListQuery = z
  .object({
    as: z.enum(["borrower", "lender"]).optional(),
    status: z.enum(LOAN_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type LoanListQuery = z.infer<typeof loanListQuery>;

export const limitParams = z.object({ borrowerId: companyId }).strict();
export const limitBody = z.object({ limitFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict();

export const statementQuery = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM"),
    /** A borrower's statement with one lender, or (a lender's) with one borrower; all counterparties otherwise. */
    counterpartyId: companyId.optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();
export type StatementQuery = z.infer<typeof statementQuery>;

const entrySchema = z.object({
  id: z.string(),
  kind: z.enum(["disbursement", "repayment", "waterfall"]),
  amountFen: z.number().int(),
  toInterestFen: z.number().int(),
  toPrincipalFen: z.number().int(),
  onDate: z.string(),
  bankRef: z.string(),
  recordedBy: z.string(),
});

export const loanSchema = z.object({
  id: z.string(),
  borrowerId: z.string(),
  lenderId: z.string(),
  invoiceId: z.string().nullable(),
  basis: z.enum(["invoice", "order", "purchase_order"]),
  orderId: z.string(),
  counterpartyId: z.string(),
  side: z.enum(["receivable", "payable"]),
  status: z.enum(LOAN_STATUSES),
  requestedFen: z.number().int(),
  amountFen: z.number().int().nullable(),
  rateBp: z.number().int().nullable(),
  overdueBp: z.number().int().nullable(),
  termDays: z.number().int(),
  note: z.string().nullable(),
  appliedBy: z.string(),
  appliedAt: z.string(),
  proposedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  disbursedBy: z.string().nullable(),
  disbursedOn: z.string().nullable(),
  dueDate: z.string().nullable(),
  endedBy: z.string().nullable(),
  endedReason: z.string().nullable(),
  principalFen: z.number().int(),
  interestFen: z.number().int(),
  interestTotalFen: z.number().int(),
  repaidFen: z.number().int(),
  /** Accrued to the start of today (Asia/Shanghai): principal, whole interest, and the payoff (fraction rounded). */
  today: z.object({
    date: z.string(),
    principalFen: z.number().int(),
    interestFen: z.number().int(),
    payoffFen: z.number().int(),
  }),
  plan: z.object({ kind: z.enum(PLAN_KINDS), instalments: z.number().int() }),
  /** The earliest instalment date with principal unpaid. */
  nextDueDate: z.string().nullable(),
  /** When the loan was called (due at once) and why — `order_cancelled`. */
  calledOn: z.string().nullable(),
  calledReason: z.string().nullable(),
  /**
   * The repayment schedule (loan-schedule.ts): each instalment's principal and the interest a payment on its date
   * pays, in fen, if every later instalment is paid on its date; past, unpaid ones are overdue. Before disbursement
   * (terms proposed) a preview as if paid out today (`schedulePreview`); empty before terms.
   */
  schedule: z.array(
    z.object({
      no: z.number().int(),
      dueDate: z.string(),
      principalFen: z.number().int(),
      interestFen: z.number().int(),
      totalFen: z.number().int(),
      paidPrincipalFen: z.number().int(),
      status: z.enum(["paid", "overdue", "due", "scheduled"]),
      overdueInterestFen: z.number().int(),
    }),
  ),
  schedulePreview: z.boolean(),
  version: z.number().int(),
  /** The states this loan may move to next (the declared table). */
  next: z.array(z.enum(LOAN_STATUSES)),
  invoice: z
    .object({
      totalFen: z.number().int(),
      paidFen: z.number().int(),
      dueDate: z.string(),
      orderId: z.string(),
    })
    .nullable(),
  /** The financed order: its status, and the value of the financed seller's part of it. */
  order: z.object({ status: z.string(), valueFen: z.number().int() }),
  entries: z.array(entrySchema),
});
export const loanListResponse = z.object({ loans: z.array(loanSchema.omit({ entries: true })) });

export const limitSchema = z.object({
  borrowerId: z.string(),
  limitFen: z.number().int(),
  usedFen: z.number().int(),
  availableFen: z.number().int(),
  setBy: z.string(),
  setAt: z.string(),
});
export const limitListResponse = z.object({ limits: z.array(limitSchema) });

const lineSchema = z.object({
  loanId: z.string(),
  counterpartyId: z.string(),
  openingFen: z.number().int(),
  disbursedFen: z.number().int(),
  interestFen: z.number().int(),
  repaidFen: z.number().int(),
  closingFen: z.number().int(),
});
export const statementSchema = z.object({
  month: z.string(),
  from: z.string(),
  /** Exclusive: balances at the start of this day (the next month's first, or tomorrow for the current month). */
  until: z.string(),
  companyId: z.string(),
  as: z.enum(["borrower", "lender"]),
  loans: z.array(
    lineSchema.extend({
      /** The loan's instalments falling due in the month, with the principal repaid on each by its end. */
      instalments: z.array(
        z.object({
          no: z.number().int(),
          dueDate: z.string(),
          principalFen: z.number().int(),
          paidPrincipalFen: z.number().int(),
        }),
      ),
    }),
  ),
  counterparties: z.array(lineSchema.omit({ loanId: true }).extend({ loans: z.number().int() })),
  totals: lineSchema.omit({ loanId: true, counterpartyId: true }),
});
