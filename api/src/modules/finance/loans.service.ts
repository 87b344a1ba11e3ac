import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import type { Company } from "../orgs/orgs.service.js";
import { consentsRepository } from "./consents.repository.js";
import { invoicesRepository, type InvoiceRow } from "./invoices.repository.js";
import {
  LOAN_TRANSITIONS,
  accrueBetween,
  addDays,
  applyRepayment,
  fromStates,
  replay,
  type LoanStatus,
} from "./loan-book.js";
import { payoffFen } from "./loan-math.js";
import { allocate, nextDue, plan, project } from "./loan-schedule.js";
import { capOf, instalmentsOf, sellerValue, stateOf, termsOf, tradeOf, type LoanPorts } from "./loan-trades.js";
import { loansRepository as repo, type LoanRow } from "./loans.repository.js";
import type { ApplyBody, DisburseBody, LoanListQuery, ProposeBody, RepayBody, StatementQuery } from "./loans.schema.js";

const hex = () => randomBytes(8).toString("hex");
const PRE_CONTRACT: readonly LoanStatus[] = ["applied", "proposed"];
const PRE_PAYOUT: readonly LoanStatus[] = ["proposed", "approved"];

export class LoansService {
  constructor(
    private readonly db: Sql,
    private readonly ports: LoanPorts,
  ) {}

  private async consented(borrowerId: string, lenderId: string) {
    return (await consentsRepository.live(this.db, borrowerId, lenderId)) !== null;
  }

  /** The loan if the caller is its borrower, or its lender (before the contract: only with a live consent). */
  private async visible(
    ctx: AuditContext,
    p: Principal,
    id: string,
  ): Promise<{ loan: LoanRow; as: "borrower" | "lender" }> {
    const loan = await repo.get(this.db, id);
    if (!loan) throw notFound("loan", id);
    if (p.companyId === loan.borrowerId) return { loan, as: "borrower" };
    if (
      p.companyId === loan.lenderId &&
      (!PRE_CONTRACT.includes(loan.status) || (await this.consented(loan.borrowerId, loan.lenderId)))
    )
      return { loan, as: "lender" };
    return crossTenant(this.db, ctx, p, "loan", id, loan.borrowerId);
  }

  private invalid(loan: LoanRow, to: LoanStatus): never {
    throw new AppError(
      "LOAN.INVALID_TRANSITION",
      `loan ${loan.id} is ${loan.status}; it can move to ` +
        `${LOAN_TRANSITIONS[loan.status].join(", ") || "nothing"}, not ${to}`,
      409,
      { status: loan.status },
    );
  }

  private async audit(tx: Sql, ctx: AuditContext, companyId: string, action: string, id: string, changes: object) {
    await auditTrail.append(tx, {
      ...ctx,
      companyId,
      action,
      resource: "loan",
      resourceId: id,
      changes: changes as Record<string, { before?: unknown; after?: unknown }>,
    });
  }

  async apply(ctx: AuditContext, p: Principal, company: Company | undefined, body: ApplyBody, key?: string) {
    if (!company) throw new AppError("ORG.REQUIRED", "a loan is a company's", 409);
    const by = personOf(p, "apply for a loan");
    const t = await tradeOf(this.ports, this.db, company.id, body);
    const lender = await this.db.query<{ kind: string }>("SELECT kind FROM companies WHERE id = $1", [body.lenderId]);
    if (lender.rows[0]?.kind !== "lender")
      throw new AppError("LOAN.NOT_A_LENDER", `lenderId: ${body.lenderId} is not a lender on the platform`, 409, {
        field: "lenderId",
      });
    if (!(await this.consented(company.id, body.lenderId)))
      throw new AppError(
        "LOAN.NO_CONSENT",
        `lenderId: grant ${body.lenderId} a credit consent first; a lender decides on what it may see`,
        409,
        { field: "lenderId" },
      );
    const cap = await capOf(this.ports, this.db, { ...t, borrowerId: company.id });
    if (cap.max <= 0)
      throw new AppError(
        t.basis === "invoice" ? "LOAN.INVOICE_PAID" : "LOAN.NOTHING_TO_FINANCE",
        `${t.invoiceId ? `invoice ${t.invoiceId}` : `order ${t.orderId}`} has nothing open to finance`,
        409,
      );
    if (body.requestedFen > cap.max)
      throw new AppError(
        "LOAN.OVER_ADVANCE",
        `requestedFen: ${body.requestedFen} is more than ${cap.what} (at most ${cap.max})`,
        409,
        { field: "requestedFen", maxFen: cap.max },
      );
    return idempotent(this.db, company.id, "loan.apply", body, key, async (within) => {
      const id = `ln_${hex()}`;
      await this.db.transaction(async (tx) => {
        // An order's loan: the order locked, and judged again under the lock (a cancellation or an invoice first wins).
        if (t.basis !== "invoice") await tradeOf(this.ports, tx, company.id, body);
        const ok = await repo.insert(tx, {
          id,
          borrowerId: company.id,
          lenderId: body.lenderId,
          invoiceId: t.invoiceId,
          basis: t.basis,
          orderId: t.orderId,
          counterpartyId: t.counterpartyId,
          side: t.side,
          requestedFen: body.requestedFen,
          termDays: body.termDays,
          note: body.note ?? null,
          by,
        });
        if (!ok)
          throw new AppError(
            "LOAN.ALREADY_FINANCED",
            `${t.invoiceId ? `invoiceId: invoice ${t.invoiceId}` : `orderId: order ${t.orderId}`} already has a live ` +
              "loan of mine; one trade is financed once",
            409,
            { field: t.invoiceId ? "invoiceId" : "orderId" },
          );
        await this.audit(tx, ctx, company.id, "loan.apply", id, {
          lender: { after: body.lenderId },
          basis: { after: t.basis },
          ...(t.invoiceId ? { invoice: { after: t.invoiceId } } : { order: { after: t.orderId } }),
          requestedFen: { after: body.requestedFen },
        });
        await within(tx, { status: 201, body: await this.viewIn(tx, id) });
      });
      return { status: 201, body: await this.view(id) };
    });
  }

  /** Officer's terms for an application: ≤ the basis's share (cap); the repayment plan. */
  async propose(ctx: AuditContext, p: Principal, id: string, t: ProposeBody) {
    const { loan, as } = await this.visible(ctx, p, id);
    if (as !== "lender") throw notFound("loan", id);
    const by = personOf(p, "propose loan terms");
    if (loan.status !== "applied") this.invalid(loan, "proposed");
    const cap = await capOf(this.ports, this.db, loan);
    if (t.amountFen > cap.max)
      throw new AppError(
        "LOAN.OVER_ADVANCE",
        `amountFen: ${t.amountFen} is more than ${cap.what} (at most ${cap.max})`,
        409,
        { field: "amountFen", maxFen: cap.max },
      );
    await this.db.transaction(async (tx) => {
      const set = {
        status: "proposed",
        amount_fen: t.amountFen,
        rate_bp: t.rateBp,
        overdue_bp: t.overdueBp,
        term_days: t.termDays,
        plan_kind: t.plan,
        instalments: t.instalments,
        proposed_by: by,
        proposed_at: new Date(),
      };
      if (!(await repo.move(tx, id, fromStates("proposed"), set))) this.invalid((await repo.get(tx, id))!, "proposed");
      await this.audit(tx, ctx, loan.lenderId, "loan.propose", id, {
        status: { before: loan.status, after: "proposed" },
        amountFen: { after: t.amountFen },
        rateBp: { after: t.rateBp },
        overdueBp: { after: t.overdueBp },
        termDays: { after: t.termDays },
        plan: { after: `${t.plan}×${t.instalments}` },
      });
    });
    return this.view(id);
  }

  /** Checks a draw against the borrower's limit with this lender, under the limit row's lock (draws serialize). */
  private async withinLimit(tx: Sql, loan: LoanRow, amountFen: number) {
    const limit = await repo.lockLimit(tx, loan.lenderId, loan.borrowerId);
    if (limit === null)
      throw new AppError(
        "LOAN.NO_CREDIT_LIMIT",
        `borrower ${loan.borrowerId} has no credit limit with this lender; ` +
          "set one (PUT /finance/credit-limits/{borrowerId}) first",
        409,
      );
    const used = await repo.exposure(tx, loan.lenderId, loan.borrowerId, loan.id);
    if (used + amountFen > limit)
      throw new AppError(
        "LOAN.OVER_LIMIT",
        `amountFen: ${amountFen} more on the ${used} fen drawn would exceed borrower ${loan.borrowerId}'s ` +
          `credit limit of ${limit} fen (${Math.max(0, limit - used)} available)`,
        409,
        { field: "amountFen", limitFen: limit, usedFen: used },
      );
  }

  /** The approver's decision: another person than the proposer; the amount must fit the credit limit. */
  async approve(ctx: AuditContext, p: Principal, id: string) {
    const { loan, as } = await this.visible(ctx, p, id);
    if (as !== "lender") throw notFound("loan", id);
    const by = personOf(p, "approve a loan (two-person rule)");
    if (loan.status !== "proposed") this.invalid(loan, "approved");
    if (loan.proposedBy === by)
      throw new AppError(
        "LOAN.SAME_PERSON",
        "two-person rule: the person who proposed the terms cannot approve them; another approver must",
        403,
      );
    await this.db.transaction(async (tx) => {
      await this.withinLimit(tx, loan, loan.amountFen!);
      const set = { status: "approved", approved_by: by, approved_at: new Date() };
      if (!(await repo.move(tx, id, fromStates("approved"), set))) this.invalid((await repo.get(tx, id))!, "approved");
      await this.audit(tx, ctx, loan.lenderId, "loan.approve", id, {
        status: { before: "proposed", after: "approved" },
        amountFen: { after: loan.amountFen },
      });
    });
    return this.view(id);
  }

  /** Declined by the lender or withdrawn by the borrower, before money moved. */
  async end(ctx: AuditContext, p: Principal, id: string, to: "declined" | "withdrawn", reason: string) {
    const { loan, as } = await this.visible(ctx, p, id);
    if (as !== (to === "declined" ? "lender" : "borrower")) throw notFound("loan", id);
    const by = p.person ?? p.id;
    await this.db.transaction(async (tx) => {
      if (!(await repo.move(tx, id, fromStates(to), { status: to, ended_by: by, ended_reason: reason })))
        this.invalid((await repo.get(tx, id))!, to);
      await this.audit(tx, ctx, p.companyId!, `loan.${to === "declined" ? "decline" : "withdraw"}`, id, {
        status: { before: loan.status, after: to },
        reason: { after: reason },
      });
    });
    return this.view(id);
  }

  /** The money out, recorded once: by a person other than the approver, within the limit, its bank reference once. */
  async disburse(ctx: AuditContext, p: Principal, id: string, body: DisburseBody, key?: string): Promise<Reply> {
    const { loan, as } = await this.visible(ctx, p, id);
    if (as !== "lender") throw notFound("loan", id);
    const by = personOf(p, "record a disbursement (two-person rule)");
    const today = await repo.today(this.db);
    const on = body.on ?? today;
    if (on > today) throw new AppError("LOAN.FUTURE_DATE", `on: ${on} is after today (${today})`, 400, { field: "on" });
    return idempotent(this.db, loan.lenderId, "loan.disburse", { id, ...body }, key, async (within) => {
      await this.db.transaction(async (tx) => {
        const now = (await repo.get(tx, id, true))!;
        if (now.status !== "approved") this.invalid(now, "disbursed");
        if (now.approvedBy === by)
          throw new AppError(
            "LOAN.SAME_PERSON",
            "two-person rule: the approver does not also release the money; another person records the disbursement",
            403,
          );
        await this.withinLimit(tx, now, now.amountFen!);
        const amount = now.amountFen!;
        // An order's loan: the order locked; a cancelled one is not paid out (its loans were withdrawn with it).
        const order = now.basis === "invoice" ? null : (await this.ports.order(tx, now.orderId))!;
        if (order?.order.status === "cancelled")
          throw new AppError("LOAN.ORDER_CANCELLED", `order ${now.orderId} is cancelled; nothing is paid out`, 409);
        const inst = plan(now.planKind, amount, on, now.termDays, now.instalments);
        const set = {
          status: "disbursed",
          disbursed_by: by,
          disbursed_on: on,
          due_date: addDays(on, now.termDays),
          next_due_date: nextDue(inst),
          principal_fen: amount,
          accrued_to: on,
        };
        if (!(await repo.move(tx, id, ["approved"], set))) this.invalid(now, "disbursed");
        // A purchase order's loan pays the seller for the buyer: a payment on the seller's invoice if it is issued
        // (else when it is, `invoiced`); the seller's own lender, if any, is paid first from it (the waterfall).
        if (now.basis === "purchase_order") {
          const inv = await invoicesRepository.ofOrder(tx, now.orderId, now.counterpartyId);
          if (inv) {
            await repo.move(tx, id, ["disbursed"], { invoice_id: inv.id });
            await this.ports.payInvoice(tx, ctx, inv.id, amount, `loan:${id}`, on, by);
          }
        }
        const booked = await repo.entry(tx, {
          id: `le_${hex()}`,
          loanId: id,
          kind: "disbursement",
          amountFen: amount,
          toInterestFen: 0,
          toPrincipalFen: 0,
          onDate: on,
          bankRef: body.bankRef,
          recordedBy: by,
        });
        if (!booked) throw new AppError("LOAN.DUPLICATE_PAYMENT", `bankRef: ${body.bankRef} is already booked`, 409);
        await this.audit(tx, ctx, now.lenderId, "loan.disburse", id, {
          status: { before: "approved", after: "disbursed" },
          amountFen: { after: amount },
          bankRef: { after: body.bankRef },
          on: { after: on },
        });
        await within(tx, { status: 200, body: await this.viewIn(tx, id) });
      });
      return { status: 200, body: await this.view(id) };
    });
  }

  /**
   * Books money in on a locked loan: accrues to `on`, interest first, then principal; never more than the payoff.
   * Returns what it booked; closes the loan when nothing is owed, marks it overdue past its due date.
   */
  private async book(
    tx: Sql,
    loan: LoanRow,
    kind: "repayment" | "waterfall",
    amountFen: number,
    on: string,
    bankRef: string,
    by: string,
    today: string,
  ) {
    const inst = instalmentsOf(loan, await repo.entries(tx, loan.id));
    const accrued = accrueBetween(stateOf(loan), loan.accruedTo!, on, termsOf(loan), inst);
    const r = applyRepayment(accrued.state, amountFen);
    const paid = amountFen - Math.max(0, amountFen - r.payoff);
    if (paid <= 0) return { paid: 0, loan };
    const after = allocate(loan.planKind, inst, r.toPrincipal, on);
    const next = nextDue(after);
    const status: LoanStatus = r.done ? "closed" : next !== null && next < today ? "overdue" : "disbursed";
    const set = {
      status,
      next_due_date: next,
      principal_fen: r.state.principalFen,
      interest_fen: r.state.interestFen,
      carry: r.state.carry.toString(),
      accrued_to: on,
      interest_total_fen: loan.interestTotalFen + accrued.interestFen + r.roundedIn,
      repaid_fen: loan.repaidFen + paid,
    };
    if (!(await repo.move(tx, loan.id, ["disbursed", "overdue"], set))) this.invalid(loan, status);
    const booked = await repo.entry(tx, {
      id: `le_${hex()}`,
      loanId: loan.id,
      kind,
      amountFen: paid,
      toInterestFen: r.toInterest,
      toPrincipalFen: r.toPrincipal,
      onDate: on,
      bankRef,
      recordedBy: by,
    });
    if (!booked)
      throw new AppError("LOAN.DUPLICATE_PAYMENT", `bankRef: ${bankRef} is already booked on loan ${loan.id}`, 409, {
        field: "bankRef",
      });
    return { paid, toInterest: r.toInterest, toPrincipal: r.toPrincipal, status };
  }

  /** A repayment (partial allowed) recorded by the borrower or the lender; concurrent ones serialize on the loan. */
  async repay(ctx: AuditContext, p: Principal, id: string, body: RepayBody, key?: string): Promise<Reply> {
    const { as } = await this.visible(ctx, p, id);
    const by = p.person ?? p.id;
    const today = await repo.today(this.db);
    const on = body.paidOn ?? today;
    if (on > today)
      throw new AppError("LOAN.FUTURE_DATE", `paidOn: ${on} is after today (${today})`, 400, { field: "paidOn" });
    return idempotent(this.db, p.companyId!, "loan.repay", { id, ...body }, key, async (within) => {
      await this.db.transaction(async (tx) => {
        const loan = (await repo.get(tx, id, true))!;
        if (!["disbursed", "overdue"].includes(loan.status))
          throw new AppError("LOAN.NOT_OUTSTANDING", `loan ${id} is ${loan.status}; nothing is owed on it`, 409, {
            status: loan.status,
          });
        if (on < loan.accruedTo!)
          throw new AppError(
            "LOAN.BACKDATED",
            `paidOn: ${on} is before ${loan.accruedTo}, the date the loan was last booked to`,
            409,
            { field: "paidOn" },
          );
        const inst = instalmentsOf(loan, await repo.entries(tx, id));
        const owed = payoffFen(accrueBetween(stateOf(loan), loan.accruedTo!, on, termsOf(loan), inst).state);
        if (body.amountFen > owed)
          throw new AppError(
            "LOAN.OVERPAID",
            `amountFen: ${body.amountFen} is more than the ${owed} fen owed on loan ${id} on ${on}`,
            409,
            { field: "amountFen", payoffFen: owed },
          );
        const b = await this.book(tx, loan, "repayment", body.amountFen, on, body.bankRef, by, today);
        await this.audit(tx, ctx, as === "borrower" ? loan.borrowerId : loan.lenderId, "loan.repay", id, {
          repaidFen: { before: loan.repaidFen, after: loan.repaidFen + b.paid },
          bankRef: { after: body.bankRef },
          status: { before: loan.status, after: b.status },
        });
        await within(tx, { status: 201, body: await this.viewIn(tx, id) });
      });
      return { status: 201, body: await this.view(id) };
    });
  }

  /**
   * The settlement waterfall, inside the invoice payment's transaction: a payment on an invoice financed as a
   * receivable pays the lender first, up to the loan's payoff; the rest is the seller's.
   */
  async settle(
    tx: Sql,
    ctx: AuditContext,
    invoiceId: string,
    amountFen: number,
    paidOn: string,
    bankRef: string,
    by: string,
  ) {
    let left = amountFen;
    const today = await repo.today(tx);
    const toLenders: Array<{ loanId: string; fen: number }> = [];
    for (const loan of await repo.financing(tx, invoiceId)) {
      if (left <= 0) break;
      const on = paidOn < loan.accruedTo! ? loan.accruedTo! : paidOn;
      const b = await this.book(tx, loan, "waterfall", left, on, `invoice:${bankRef}`, by, today);
      if (!b.paid) continue;
      left -= b.paid;
      toLenders.push({ loanId: loan.id, fen: b.paid });
      await this.audit(tx, ctx, loan.lenderId, "loan.waterfall", loan.id, {
        repaidFen: { before: loan.repaidFen, after: loan.repaidFen + b.paid },
        invoicePayment: { after: bankRef },
      });
    }
    return { toLenders, toSellerFen: left };
  }

  /**
   * An invoice issued (inside its transaction, the order locked first so an application or a disbursement on the
   * order is judged before or after, never across): the seller's order loans on it are linked to it, so its payments
   * repay them first; a buyer's purchase-order loans from that seller are linked too, and what their lenders paid
   * out comes back as payments to record on it (bank reference `loan:<id>`, on the disbursement's date).
   */
  async invoiced(tx: Sql, ctx: AuditContext, inv: InvoiceRow) {
    if (inv.source !== "order" || !inv.orderId) return []; // a service or commission invoice: no order loans on it
    await this.ports.order(tx, inv.orderId);
    const pays: Array<{ amountFen: number; bankRef: string; paidOn: string; by: string }> = [];
    for (const l of await repo.onOrder(tx, inv.orderId)) {
      if (l.invoiceId !== null || l.status === "declined" || l.status === "withdrawn") continue;
      const mine =
        (l.basis === "order" && l.borrowerId === inv.sellerId) ||
        (l.basis === "purchase_order" && l.borrowerId === inv.buyerId && l.counterpartyId === inv.sellerId);
      if (!mine) continue;
      await tx.query("UPDATE loans SET invoice_id = $2, version = version + 1 WHERE id = $1", [l.id, inv.id]);
      await this.audit(tx, { ...ctx, actorType: "system" }, l.lenderId, "loan.invoiced", l.id, {
        invoice: { after: inv.id },
      });
      if (l.basis === "purchase_order" && l.disbursedOn)
        pays.push({ amountFen: l.amountFen!, bankRef: `loan:${l.id}`, paidOn: l.disbursedOn, by: l.disbursedBy! });
    }
    return pays;
  }

  /**
   * An order cancelled (inside its transaction): its order and purchase-order loans not yet paid out are withdrawn
   * (`ended_by` system, reason `order cancelled`); those paid out are called — every instalment still to come falls
   * due today, and from tomorrow the overdue margin runs on all of it. Recourse is to the borrower: no invoice will
   * repay it.
   */
  async orderCancelled(tx: Sql, ctx: AuditContext, orderId: string) {
    const today = await repo.today(tx);
    const sys = { ...ctx, actorType: "system" as const };
    for (const l of await repo.onOrder(tx, orderId)) {
      if (l.basis === "invoice") continue;
      if (PRE_CONTRACT.includes(l.status) || l.status === "approved") {
        const set = { status: "withdrawn", ended_by: "system", ended_reason: "order cancelled" };
        if (await repo.move(tx, l.id, [l.status], set))
          await this.audit(tx, sys, l.borrowerId, "loan.withdraw", l.id, {
            status: { before: l.status, after: "withdrawn" },
            reason: { after: "order cancelled" },
          });
      } else if ((l.status === "disbursed" || l.status === "overdue") && l.calledOn === null) {
        const called = { ...l, calledOn: today };
        const inst = instalmentsOf(called, await repo.entries(tx, l.id));
        const set = {
          called_on: today,
          called_reason: "order_cancelled",
          due_date: l.dueDate! < today ? l.dueDate : today,
          next_due_date: nextDue(inst),
        };
        await repo.move(tx, l.id, [l.status], set);
        for (const company of [l.lenderId, l.borrowerId])
          await this.audit(tx, sys, company, "loan.called", l.id, {
            calledOn: { after: today },
            reason: { after: "order_cancelled" },
            dueDate: { before: l.dueDate, after: set.due_date },
          });
      }
    }
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    await this.visible(ctx, p, id);
    return this.view(id);
  }

  /** My loans as borrower (default for trading companies) or lender; due loans are marked overdue first. */
  async list(ctx: AuditContext, p: Principal, company: Company | undefined, q: LoanListQuery) {
    if (!company) throw new AppError("ORG.REQUIRED", "loans are a company's", 409);
    await this.sweep(ctx, company.id);
    const as = q.as ?? (company.kind === "lender" ? "lender" : "borrower");
    const rows = await repo.list(this.db, company.id, as, q.status ?? null, q.limit);
    const consenting =
      as === "lender"
        ? new Set(
            (await consentsRepository.of(this.db, company.id))
              .filter((c) => c.lenderId === company.id && c.revokedAt === null)
              .map((c) => c.borrowerId),
          )
        : null;
    const seen = rows.filter((l) => !consenting || !PRE_CONTRACT.includes(l.status) || consenting.has(l.borrowerId));
    const today = await repo.today(this.db);
    return Promise.all(
      seen.map(async (l) => {
        const { entries: _e, ...v } = await this.view(l.id, l, today);
        return v;
      }),
    );
  }

  /** Disbursed loans past their due date become overdue (audited on the lender's trail). */
  async sweep(ctx: AuditContext, companyId: string) {
    const today = await repo.today(this.db);
    await this.db.transaction(async (tx) => {
      for (const id of await repo.sweepOverdue(tx, companyId, today)) {
        const l = (await repo.get(tx, id))!;
        await this.audit(tx, { ...ctx, actorType: "system" }, l.lenderId, "loan.overdue", id, {
          status: { before: "disbursed", after: "overdue" },
          dueDate: { after: l.dueDate },
        });
      }
    });
  }

  async setLimit(ctx: AuditContext, p: Principal, borrowerId: string, limitFen: number) {
    const lenderId = p.companyId!;
    if (!(await this.consented(borrowerId, lenderId)))
      return crossTenant(this.db, ctx, p, "credit_limit", borrowerId, borrowerId);
    const by = personOf(p, "set a credit limit");
    await this.db.transaction(async (tx) => {
      const before = await repo.lockLimit(tx, lenderId, borrowerId);
      await repo.setLimit(tx, lenderId, borrowerId, limitFen, by);
      await this.audit(tx, ctx, lenderId, "credit_limit.set", borrowerId, {
        limitFen: { before, after: limitFen },
      });
    });
    return (await this.limits(p)).find((l) => l.borrowerId === borrowerId)!;
  }

  async limits(p: Principal) {
    return (await repo.limits(this.db, p.companyId!)).map((l) => ({
      ...l,
      setAt: l.setAt.toISOString(),
      availableFen: Math.max(0, l.limitFen - l.usedFen),
    }));
  }

  /**
   * A month's statement: per loan the balance owed at the month's start (principal + whole interest), what was
   * disbursed, accrued and repaid in it, and the balance at its end — replayed from the entries, so opening +
   * disbursed + interest − repaid = closing, to the fen. Per counterparty and in total, too.
   */
  async statement(company: Company | undefined, q: StatementQuery) {
    if (!company) throw new AppError("ORG.REQUIRED", "a statement is a company's", 409);
    const as = company.kind === "lender" ? "lender" : "borrower";
    const from = `${q.month}-01`;
    const [y, m] = q.month.split("-").map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
    const tomorrow = addDays(await repo.today(this.db), 1);
    const until = next < tomorrow ? next : tomorrow;
    const cp = q.counterpartyId ?? null;
    const loans = await repo.forStatement(
      this.db,
      as === "borrower" ? company.id : cp,
      as === "lender" ? company.id : cp,
      until,
    );
    const lines = [];
    for (const l of loans) {
      const entries = await repo.entries(this.db, l.id);
      const t = termsOf(l);
      const a = replay(entries, t, from);
      const b = replay(entries, t, until);
      const line = {
        loanId: l.id,
        counterpartyId: as === "borrower" ? l.lenderId : l.borrowerId,
        openingFen: a.outstandingFen,
        disbursedFen: b.totals.disbursedFen - a.totals.disbursedFen,
        interestFen: b.totals.interestFen - a.totals.interestFen,
        repaidFen: b.totals.repaidFen - a.totals.repaidFen,
        closingFen: b.outstandingFen,
        // The schedule's instalments dated in the month, as they stood at its end.
        instalments: b.instalments
          .filter((i) => i.dueDate >= from && i.dueDate < next)
          .map((i) => ({ no: i.no, dueDate: i.dueDate, principalFen: i.principalFen, paidPrincipalFen: i.paidFen })),
      };
      if (line.openingFen + line.disbursedFen + line.interestFen - line.repaidFen !== line.closingFen)
        throw new Error(`statement of loan ${l.id} does not balance`);
      if (line.openingFen || line.disbursedFen || line.interestFen || line.repaidFen || line.closingFen)
        lines.push(line);
    }
    const sum = <T extends { openingFen: number }>(rows: readonly T[]) => {
      const keys = ["openingFen", "disbursedFen", "interestFen", "repaidFen", "closingFen"] as const;
      return Object.fromEntries(
        keys.map((k) => [k, rows.reduce((s, r) => s + (r as never as Record<string, number>)[k]!, 0)]),
      ) as Record<(typeof keys)[number], number>;
    };
    const byCp = new Map<string, typeof lines>();
    for (const l of lines) byCp.set(l.counterpartyId, [...(byCp.get(l.counterpartyId) ?? []), l]);
    return {
      month: q.month,
      from,
      until,
      companyId: company.id,
      as,
      loans: lines,
      counterparties: [...byCp].map(([counterpartyId, ls]) => ({ counterpartyId, loans: ls.length, ...sum(ls) })),
      totals: sum(lines),
    } as const;
  }

  /** The statement as CSV: one row per loan, then one per counterparty, then the total (UTF-8 with BOM). */
  static csv(s: Awaited<ReturnType<LoansService["statement"]>>) {
    const head = "row,loan,counterparty,opening_fen,disbursed_fen,interest_fen,repaid_fen,closing_fen";
    const row = (kind: string, loan: string, cp: string, r: typeof s.totals) =>
      [kind, loan, cp, r.openingFen, r.disbursedFen, r.interestFen, r.repaidFen, r.closingFen].join(",");
    return (
      "\ufeff" +
      [
        head,
        ...s.loans.map((l) => row("loan", l.loanId, l.counterpartyId, l)),
        ...s.counterparties.map((c) => row("counterparty", "", c.counterpartyId, c)),
        row("total", "", "", s.totals),
      ].join("\r\n") +
      "\r\n"
    );
  }

  private async viewIn(db: Sql, id: string) {
    return this.view(id, (await repo.get(db, id))!, undefined, db);
  }

  async view(id: string, row?: LoanRow, todayIn?: string, db: Sql = this.db) {
    const l = row ?? (await repo.get(db, id))!;
    const today = todayIn ?? (await repo.today(db));
    const entries = await repo.entries(db, id);
    const inv = l.invoiceId ? await invoicesRepository.get(db, l.invoiceId) : null;
    const found = await this.ports.order(db, l.orderId, false);
    const seller = l.side === "receivable" ? l.borrowerId : l.counterpartyId;
    const live = l.accruedTo !== null && (l.status === "disbursed" || l.status === "overdue");
    const inst = instalmentsOf(l, entries);
    const now =
      live && today > l.accruedTo!
        ? accrueBetween(stateOf(l), l.accruedTo!, today, termsOf(l), inst).state
        : stateOf(l);
    // Before disbursement, with terms proposed: the schedule as if paid out today.
    const preview = !l.disbursedOn && l.amountFen !== null && l.rateBp !== null && PRE_PAYOUT.includes(l.status);
    const schedule = live
      ? project(now, inst, today, l.rateBp!, l.overdueBp!)
      : preview
        ? project(
            { principalFen: l.amountFen!, interestFen: 0, carry: 0n },
            plan(l.planKind, l.amountFen!, today, l.termDays, l.instalments),
            today,
            l.rateBp!,
            l.overdueBp!,
          )
        : [];
    const { carry: _c, accruedTo: _a, appliedAt, planKind, instalments, ...rest } = l;
    return {
      ...rest,
      appliedAt: appliedAt.toISOString(),
      today: { date: today, principalFen: now.principalFen, interestFen: now.interestFen, payoffFen: payoffFen(now) },
      plan: { kind: planKind, instalments },
      schedule,
      schedulePreview: preview,
      next: [...LOAN_TRANSITIONS[l.status]],
      invoice: inv
        ? { totalFen: inv.totalFen, paidFen: inv.paidFen, dueDate: inv.dueDate, orderId: inv.orderId }
        : null,
      order: { status: found?.order.status ?? "unknown", valueFen: found ? sellerValue(found.allocations, seller) : 0 },
      entries,
    };
  }
}
