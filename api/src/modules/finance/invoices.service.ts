import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { aging, taxIncluded } from "./billing.js";
import { invoicesRepository as repo, type InvoiceRow } from "./invoices.repository.js";
import type { AgingQuery, InvoiceListQuery, IssueInvoiceBody, PaymentBody, TermsBody } from "./invoices.schema.js";

/** What billing needs of the orders module: an order and who sold what in it, at which price. */
export type OrderForBilling = (id: string) => Promise<{
  order: { id: string; buyerId: string; status: string };
  allocations: ReadonlyArray<{ lineNo: number; skuId: number; sellerId: string; quantity: number; priceFen: number }>;
} | null>;

const DEFAULT_VAT_BP = 1300;
/** The platform bills its commission 月结: due 30 days after the settlement's Asia/Shanghai date (DECISIONS 114). */
export const COMMISSION_TERMS_DAYS = 30;

/**
 * A settled service as finance bills it (DECISIONS 114), built by the services module from one settlement: the
 * provider's invoice to the shop (the service charge and any damage claims, tax-inclusive) and the platform's
 * commission invoice to the provider.
 */
export interface ServiceBill {
  settlementId: string;
  providerId: string;
  shopId: string;
  /** The shop's lines, each > 0 fen; none when nothing is owed (a zero charge and no claims). */
  lines: ReadonlyArray<{ description: string; amountFen: number }>;
  taxRateBp: number;
  /** What the deposit the provider already holds pays of the shop's invoice (recorded as a payment on it). */
  depositAppliedFen: number;
  commission: { description: string; amountFen: number; taxRateBp: number };
  by: string;
}

/**
 * What an invoice's issue brings with it (order loans, DECISIONS 116), inside its transaction: loans on the order are
 * linked to it, and what a buyer's lender already paid the seller comes back as payments to record on it.
 */
export type OnIssue = (
  tx: Sql,
  ctx: AuditContext,
  invoice: InvoiceRow,
) => Promise<ReadonlyArray<{ amountFen: number; bankRef: string; paidOn: string; by: string }>>;

/** What a payment on an invoice pays first (order loans' waterfall, DECISIONS 105), inside its transaction. */
export type Settlement = (
  tx: Sql,
  ctx: AuditContext,
  invoiceId: string,
  amountFen: number,
  paidOn: string,
  bankRef: string,
  by: string,
) => Promise<unknown>;

/**
 * Billing (DECISIONS 77): a seller's payment terms per customer, one invoice per seller per delivered order (its lines
 * are what that seller's warehouses sold in the order, at the order's prices), payments against invoices (partial;
 * each bank reference once), and receivables/payables aging.
 */
export class InvoicesService {
  private settlement: Settlement | null = null;
  private issued: OnIssue | null = null;
  constructor(
    private readonly db: Sql,
    private readonly orderForBilling: OrderForBilling,
  ) {}

  /**
   * The orders module's credit port (DECISIONS 112): an order on 月结 terms with a credit limit must keep what the buyer
   * owes each seller — open invoices and orders not yet invoiced — plus this order's share within the limit; else
   * `409 ORDER.CREDIT_LIMIT`. Runs inside the order's transaction and holds the terms rows' locks until it commits, so
   * concurrent orders of one buyer with one seller are judged one after the other.
   */
  async assertWithinCredit(tx: Sql, buyerId: string, bySeller: ReadonlyMap<string, number>): Promise<void> {
    if (bySeller.size === 0) return;
    const rows = await repo.lockCreditTerms(tx, buyerId, [...bySeller.keys()].sort());
    if (rows.length === 0) return;
    const owed = await repo.exposure(
      tx,
      buyerId,
      rows.map((r) => r.sellerId),
    );
    for (const r of rows) {
      const adding = bySeller.get(r.sellerId) ?? 0;
      const exposureFen = owed.get(r.sellerId) ?? 0;
      if (exposureFen + adding > r.limitFen)
        throw new AppError(
          "ORDER.CREDIT_LIMIT",
          `this order adds ${adding} fen owed to seller ${r.sellerId}, on top of ${exposureFen} fen open ` +
            `(unpaid invoices and orders not yet invoiced); the credit limit on these 月结 terms is ${r.limitFen} fen`,
          409,
          { sellerId: r.sellerId, limitFen: r.limitFen, exposureFen, orderFen: adding },
        );
    }
  }

  /** Lets order loans take their share of each payment first (the settlement waterfall). */
  onPayment(settle: Settlement) {
    this.settlement = settle;
  }

  /** Lets order loans see each invoice issued (links, and payments a buyer's lender made before it). */
  onIssue(hook: OnIssue) {
    this.issued = hook;
  }

  async setTerms(ctx: AuditContext, p: Principal, buyerId: string, t: TermsBody) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "payment terms are a seller's", 409);
    if (buyerId === p.companyId)
      throw new AppError("TERMS.SELF", "buyerId: terms are for a customer, not for my own company", 409);
    const seller = p.companyId;
    await this.db.transaction(async (tx) => {
      const before = (await repo.terms(tx, seller, buyerId))[0];
      await repo.setTerms(tx, {
        sellerId: seller,
        buyerId,
        kind: t.kind,
        days: t.days,
        creditLimitFen: t.creditLimitFen ?? null,
        by: p.person ?? p.id,
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: seller,
        action: "payment_terms.set",
        resource: "payment_terms",
        resourceId: buyerId,
        changes: {
          terms: { before: before ? `${before.kind}${before.days || ""}` : null, after: `${t.kind}${t.days || ""}` },
          creditLimitFen: { before: before?.creditLimitFen ?? null, after: t.creditLimitFen ?? null },
        },
      });
    });
    return this.termsView((await repo.terms(this.db, seller, buyerId))[0]!);
  }

  async terms(p: Principal) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "payment terms are a seller's", 409);
    return (await repo.terms(this.db, p.companyId, null)).map((t) => this.termsView(t));
  }

  private termsView(t: Awaited<ReturnType<typeof repo.terms>>[number]) {
    return { ...t, overLimit: t.creditLimitFen !== null && t.outstandingFen > t.creditLimitFen };
  }

  /** The seller's invoice for a delivered (or completed) order: its own allocations; the customer's terms set the due date. */
  async issue(ctx: AuditContext, p: Principal, body: IssueInvoiceBody) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "invoices are issued by a company", 409);
    const person = personOf(p, "issue an invoice");
    const found = await this.orderForBilling(body.orderId);
    const mine = found?.allocations.filter((a) => a.sellerId === p.companyId) ?? [];
    if (!found || !mine.length) throw notFound("order", body.orderId); // not an order I sold in: as if none
    if (!["delivered", "completed"].includes(found.order.status))
      throw new AppError(
        "INVOICE.NOT_DELIVERED",
        `order ${body.orderId} is ${found.order.status}; an invoice is issued once the order is delivered`,
        409,
      );
    const lines = mine.map((a) => ({ skuId: a.skuId, quantity: a.quantity, unitPriceFen: a.priceFen }));
    const totalFen = lines.reduce((s, l) => s + l.quantity * l.unitPriceFen, 0);
    const rate = body.taxRateBp ?? DEFAULT_VAT_BP;
    const taxFen = taxIncluded(totalFen, rate);
    const terms = (await repo.terms(this.db, p.companyId, found.order.buyerId))[0];
    const days = terms?.days ?? 0;
    const id = `inv_${randomBytes(8).toString("hex")}`;
    const made = await this.db.transaction(async (tx) => {
      const ok = await repo.insert(
        tx,
        {
          id,
          orderId: body.orderId,
          sellerId: p.companyId!,
          buyerId: found.order.buyerId,
          source: "order",
          settlementId: null,
          einvoiceNo: body.einvoiceNo ?? null,
          totalFen,
          taxRateBp: rate,
          taxFen,
          netFen: totalFen - taxFen,
          terms: terms?.kind === "net" ? `net${days}` : "cash",
          days,
          issuedBy: person,
        },
        lines,
      );
      if (!ok) return false;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "invoice.issue",
        resource: "invoice",
        resourceId: id,
        changes: { order: { after: body.orderId }, totalFen: { after: totalFen }, taxFen: { after: taxFen } },
      });
      if (this.issued)
        for (const pay of await this.issued(tx, ctx, (await repo.get(tx, id))!))
          await this.record(tx, ctx, id, pay.amountFen, pay.bankRef, pay.paidOn, pay.by);
      return true;
    });
    if (!made) throw new AppError("INVOICE.EXISTS", `order ${body.orderId} already has my invoice`, 409);
    return this.view(id);
  }

  /**
   * The finance records of a service settlement, inside the settlement's transaction (DECISIONS 114): the provider's
   * invoice to the shop (due per the provider's terms with the shop; the deposit it holds recorded as a payment) and
   * the platform's commission invoice to the provider (月结 30 days). Each is unique per (settlement, source) in the
   * table, so calling this again for a settlement writes nothing; answers the settlement's invoices either way.
   */
  async billService(tx: Sql, ctx: AuditContext, b: ServiceBill): Promise<InvoiceRow[]> {
    const bill = async (
      source: "service" | "commission",
      sellerId: string | null,
      buyerId: string,
      lines: ServiceBill["lines"],
      rateBp: number,
      days: number,
      terms: string,
    ) => {
      const totalFen = lines.reduce((s, l) => s + l.amountFen, 0);
      if (totalFen <= 0) return null;
      const taxFen = taxIncluded(totalFen, rateBp);
      const id = `inv_${randomBytes(8).toString("hex")}`;
      const made = await repo.insert(
        tx,
        {
          id,
          source,
          orderId: null,
          settlementId: b.settlementId,
          sellerId,
          buyerId,
          einvoiceNo: null,
          totalFen,
          taxRateBp: rateBp,
          taxFen,
          netFen: totalFen - taxFen,
          terms,
          days,
          issuedBy: b.by,
        },
        lines.map((l) => ({ skuId: null, description: l.description, quantity: 1, unitPriceFen: l.amountFen })),
      );
      if (!made) return null;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: sellerId,
        action: "invoice.issue",
        resource: "invoice",
        resourceId: id,
        changes: { settlement: { after: b.settlementId }, source: { after: source }, totalFen: { after: totalFen } },
      });
      return { id, totalFen };
    };
    const t = (await repo.terms(tx, b.providerId, b.shopId))[0];
    const days = t?.days ?? 0;
    const service = await bill(
      "service",
      b.providerId,
      b.shopId,
      b.lines,
      b.taxRateBp,
      days,
      t?.kind === "net" ? `net${days}` : "cash",
    );
    if (service && b.depositAppliedFen > 0) {
      if (b.depositAppliedFen > service.totalFen)
        throw new RangeError(`deposit applied ${b.depositAppliedFen} exceeds the invoice's ${service.totalFen} fen`);
      await repo.pay(tx, {
        id: `pay_${randomBytes(8).toString("hex")}`,
        invoiceId: service.id,
        amountFen: b.depositAppliedFen,
        bankRef: `deposit:${b.settlementId}`,
        paidOn: null,
        by: b.by,
      });
    }
    await bill(
      "commission",
      null,
      b.providerId,
      [{ description: b.commission.description, amountFen: b.commission.amountFen }],
      b.commission.taxRateBp,
      COMMISSION_TERMS_DAYS,
      `net${COMMISSION_TERMS_DAYS}`,
    );
    return repo.ofSettlement(tx, b.settlementId);
  }

  /** A payment the seller received against its invoice: partial allowed, never more than is open, each bank reference once. */
  async pay(ctx: AuditContext, p: Principal, id: string, body: PaymentBody) {
    await this.mine(ctx, p, id, "seller");
    await this.db.transaction((tx) =>
      this.record(tx, ctx, id, body.amountFen, body.bankRef, body.paidOn ?? null, p.person ?? p.id),
    );
    return this.view(id);
  }

  /**
   * Records a payment on an invoice inside `tx` (the invoice locked): refuses more than is open and a bank reference
   * twice; the order loans' waterfall takes its share first. Also how a buyer's lender's payment to the seller lands.
   */
  async record(
    tx: Sql,
    ctx: AuditContext,
    id: string,
    amountFen: number,
    bankRef: string,
    paidOn: string | null,
    by: string,
  ) {
    const inv = (await repo.get(tx, id, true))!;
    const open = inv.totalFen - inv.paidFen;
    if (amountFen > open)
      throw new AppError(
        "INVOICE.OVERPAID",
        `amountFen: ${amountFen} is more than the ${open} fen still open on invoice ${id}`,
        409,
        { field: "amountFen" },
      );
    const payId = `pay_${randomBytes(8).toString("hex")}`;
    if (!(await repo.pay(tx, { id: payId, invoiceId: id, amountFen, bankRef, paidOn, by })))
      throw new AppError("PAYMENT.DUPLICATE", `bankRef: ${bankRef} is already recorded on invoice ${id}`, 409, {
        field: "bankRef",
      });
    if (this.settlement) {
      const on = paidOn ?? (await repo.today(tx));
      await this.settlement(tx, ctx, id, amountFen, on, bankRef, by);
    }
    await auditTrail.append(tx, {
      ...ctx,
      companyId: inv.sellerId,
      action: "invoice.payment",
      resource: "invoice",
      resourceId: id,
      changes: {
        paidFen: { before: inv.paidFen, after: inv.paidFen + amountFen },
        bankRef: { after: bankRef },
      },
    });
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    await this.mine(ctx, p, id, "either");
    return this.view(id);
  }

  /** My invoices on one side (a company's, or the platform's commission invoices), optionally with one counterparty. */
  async list(p: Principal, q: InvoiceListQuery) {
    const rows = await repo.list(
      this.db,
      p.companyId,
      q.side,
      q.open === undefined ? null : q.open === "true",
      q.limit,
      q.counterparty ?? null,
    );
    return Promise.all(rows.map((r) => this.view(r.id, r)));
  }

  async aging(p: Principal, q: AgingQuery) {
    const rows = await repo.open(this.db, p.companyId, q.side, q.asOf ?? null);
    return { side: q.side, asOf: q.asOf ?? (await repo.today(this.db)), ...aging(rows) };
  }

  private async mine(ctx: AuditContext, p: Principal, id: string, as: "seller" | "either"): Promise<InvoiceRow> {
    const inv = await repo.get(this.db, id);
    if (!inv) throw notFound("invoice", id);
    const ok = p.companyId === inv.sellerId || (as === "either" && p.companyId === inv.buyerId);
    if (!ok) await crossTenant(this.db, ctx, p, "invoice", id, inv.sellerId);
    return inv;
  }

  private async view(id: string, row?: InvoiceRow) {
    const inv = row ?? (await repo.get(this.db, id))!;
    return {
      ...inv,
      outstandingFen: inv.totalFen - inv.paidFen,
      lines: await repo.lines(this.db, id),
      payments: await repo.payments(this.db, id),
    };
  }
}
