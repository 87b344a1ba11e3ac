import { AppError, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { notFound } from "../../security/tenant.js";
import { invoicesRepository } from "./invoices.repository.js";
import type { Terms } from "./loan-book.js";
import type { LoanState } from "./loan-math.js";
import { allocate, call, plan, type Instalment } from "./loan-schedule.js";
import type { EntryRow, LoanRow } from "./loans.repository.js";
import type { ApplyBody } from "./loans.schema.js";

/**
 * What an order loan finances and how much (DECISIONS 105, 116): the share caps per basis, the trade an application
 * names (an invoice, a seller's confirmed order, a buyer's purchase order), and a loan row's plan, terms and
 * instalments as the book and the statements derive them.
 */

/** The largest share of an invoice's open amount a loan may finance, in basis points (80 %). */
export const MAX_ADVANCE_BP = 8000;
/** A seller's confirmed order not yet delivered (DECISIONS 116): at most 60 % of its part of the order. */
export const ORDER_ADVANCE_BP = 6000;
/** A buyer's purchase order: the lender pays at most 70 % of the seller's part; the buyer pays the rest itself. */
export const PURCHASE_ADVANCE_BP = 7000;
const CAP_BP = { invoice: MAX_ADVANCE_BP, order: ORDER_ADVANCE_BP, purchase_order: PURCHASE_ADVANCE_BP } as const;
/** Orders an order or purchase-order loan may be applied on: confirmed (allocated) and not cancelled. */
const FINANCEABLE_ORDER = ["allocated", "partially_fulfilled", "picking", "shipped", "delivered", "completed"];

/** What order loans need of the orders and billing services (wired in app.ts). */
export interface LoanPorts {
  /** The order and its allocations, the order's row locked in `tx` (unless `lock` is false). */
  order(
    tx: Sql,
    id: string,
    lock?: boolean,
  ): Promise<{
    order: { id: string; buyerId: string; status: string };
    allocations: ReadonlyArray<{ sellerId: string; quantity: number; priceFen: number }>;
  } | null>;
  /** Records a payment on an invoice (the waterfall included), inside `tx`. */
  payInvoice(
    tx: Sql,
    ctx: AuditContext,
    invoiceId: string,
    amountFen: number,
    bankRef: string,
    paidOn: string,
    by: string,
  ): Promise<void>;
}

export const stateOf = (l: LoanRow): LoanState => ({
  principalFen: l.principalFen,
  interestFen: l.interestFen,
  carry: BigInt(l.carry),
});
/** The loan's plan as disbursed (and called, if it was): the instalments before any repayment. */
export const planOf = (l: LoanRow): Instalment[] | undefined => {
  if (!l.disbursedOn) return undefined;
  const p = plan(l.planKind, l.amountFen!, l.disbursedOn, l.termDays, l.instalments);
  return l.calledOn ? call(p, l.calledOn) : p;
};
export const termsOf = (l: LoanRow): Terms => ({
  rateBp: l.rateBp ?? 0,
  overdueBp: l.overdueBp ?? 0,
  dueDate: l.dueDate!,
  kind: l.planKind,
  plan: planOf(l),
});
/** The instalments as they stand: the plan with each entry's principal allocated on its date. */
export const instalmentsOf = (l: LoanRow, entries: readonly EntryRow[]) => {
  let inst = planOf(l) ?? [];
  for (const e of entries)
    if (e.kind !== "disbursement" && e.toPrincipalFen > 0)
      inst = allocate(l.planKind, inst, e.toPrincipalFen, e.onDate);
  return inst;
};
/** The value of one seller's part of an order, in fen. */
export const sellerValue = (
  allocations: ReadonlyArray<{ sellerId: string; quantity: number; priceFen: number }>,
  id: string,
) => allocations.filter((a) => a.sellerId === id).reduce((s, a) => s + a.quantity * a.priceFen, 0);

/**
 * Order loans (DECISIONS 105): a borrower applies against an invoice of a delivered order to a lender it consented to;
 * the lender's credit officer proposes terms, another person approves within the borrower's credit limit, a person
 * other than the approver records the disbursement; repayments (partial) and the financed invoice's own payments
 * (lender first: the waterfall) pay it down; interest accrues ACT/365 (loan-math.ts). A lender sees an application
 * only while the borrower's consent stands; otherwise 404, like a loan that does not exist.
 */
/**
 * What an application finances (DECISIONS 116): an invoice of mine, or an order of mine not yet invoiced — as its
 * seller my confirmed order (`order`), as its buyer my purchase order from one seller (`purchase_order`).
 */
export async function tradeOf(ports: LoanPorts, db: Sql, companyId: string, body: ApplyBody) {
  if (body.invoiceId) {
    const inv = await invoicesRepository.get(db, body.invoiceId);
    if (!inv || (inv.sellerId !== companyId && inv.buyerId !== companyId)) throw notFound("invoice", body.invoiceId);
    if (inv.source !== "order")
      throw new AppError(
        "LOAN.NOT_AN_ORDER_INVOICE",
        `invoiceId: ${inv.id} bills a service settlement; order loans finance invoices of orders`,
        409,
        { field: "invoiceId" },
      );
    const seller = inv.sellerId === companyId;
    return {
      basis: "invoice" as const,
      invoiceId: inv.id,
      orderId: inv.orderId!, // an order invoice (checked above)
      side: seller ? ("receivable" as const) : ("payable" as const),
      counterpartyId: seller ? inv.buyerId : inv.sellerId!,
    };
  }
  const found = await ports.order(db, body.orderId!);
  const sellers = [...new Set(found?.allocations.map((a) => a.sellerId) ?? [])];
  const isBuyer = found?.order.buyerId === companyId;
  if (!found || (!isBuyer && !sellers.includes(companyId))) throw notFound("order", body.orderId!);
  if (!FINANCEABLE_ORDER.includes(found.order.status))
    throw new AppError(
      found.order.status === "cancelled" ? "LOAN.ORDER_CANCELLED" : "LOAN.ORDER_NOT_CONFIRMED",
      `orderId: order ${found.order.id} is ${found.order.status}; a loan finances a confirmed order ` +
        `(${FINANCEABLE_ORDER.slice(0, 4).join(", ")}, or delivered and not yet invoiced)`,
      409,
      { field: "orderId", status: found.order.status },
    );
  let sellerId = companyId;
  if (isBuyer) {
    if (body.sellerId && !sellers.includes(body.sellerId))
      throw new AppError(
        "LOAN.NOT_A_SELLER",
        `sellerId: ${body.sellerId} sells nothing in order ${found.order.id}`,
        409,
        {
          field: "sellerId",
          sellers,
        },
      );
    if (!body.sellerId && sellers.length > 1)
      throw new AppError(
        "LOAN.SELLER_REQUIRED",
        `sellerId: order ${found.order.id} has ${sellers.length} sellers; name the one the lender pays`,
        400,
        { field: "sellerId", sellers },
      );
    sellerId = body.sellerId ?? sellers[0]!;
  }
  const inv = await invoicesRepository.ofOrder(db, found.order.id, sellerId);
  if (inv)
    throw new AppError(
      "LOAN.INVOICED",
      `orderId: order ${found.order.id} is invoiced (${inv.id}); finance the invoice (invoiceId) instead`,
      409,
      { field: "orderId", invoiceId: inv.id },
    );
  return {
    basis: isBuyer ? ("purchase_order" as const) : ("order" as const),
    invoiceId: null,
    orderId: found.order.id,
    side: isBuyer ? ("payable" as const) : ("receivable" as const),
    counterpartyId: isBuyer ? sellerId : found.order.buyerId,
    valueFen: sellerValue(found.allocations, sellerId),
  };
}

/**
 * The most a loan may finance: 80 % of what is open on its invoice, 60 % of the seller's part of a confirmed order,
 * 70 % of it for a purchase order (the share caps, DECISIONS 116); and the amount it is a share of.
 */
export async function capOf(
  ports: LoanPorts,
  db: Sql,
  l: Pick<LoanRow, "basis" | "invoiceId" | "orderId" | "borrowerId" | "counterpartyId" | "side">,
) {
  let base: number;
  let what: string;
  if (l.basis === "invoice") {
    const inv = (await invoicesRepository.get(db, l.invoiceId!))!;
    base = inv.totalFen - inv.paidFen;
    what = `the ${base} fen open on invoice ${inv.id}`;
  } else {
    const found = (await ports.order(db, l.orderId))!;
    if (found.order.status === "cancelled")
      throw new AppError("LOAN.ORDER_CANCELLED", `order ${l.orderId} is cancelled; there is nothing to finance`, 409);
    const seller = l.side === "receivable" ? l.borrowerId : l.counterpartyId;
    base = sellerValue(found.allocations, seller);
    what = `the ${base} fen of order ${l.orderId} (${l.basis === "order" ? "my part" : "seller " + seller})`;
  }
  const bp = CAP_BP[l.basis];
  return { max: Math.floor((base * bp) / 10_000), what: `${bp / 100} % of ${what}` };
}
