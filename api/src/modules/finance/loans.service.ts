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
  type Terms,
} from "./loan-book.js";
import { payoffFen, type LoanState } from "./loan-math.js";
import { loansRepository as repo, type LoanRow } from "./loans.repository.js";
import type { ApplyBody, DisburseBody, LoanListQuery, ProposeBody, RepayBody, StatementQuery } from "./loans.schema.js";

/** The largest share of an invoice's open amount a loan may finance, in basis points (80 %). */
export const MAX_ADVANCE_BP = 8000;
const hex = () => randomBytes(8).toString("hex");
const PRE_CONTRACT: readonly LoanStatus[] = ["applied", "proposed"];

const stateOf = (l: LoanRow): LoanState => ({
  principalFen: l.principalFen,
  interestFen: l.interestFen,
  carry: BigInt(l.carry),
});
const termsOf = (l: LoanRow): Terms => ({ rateBp: l.rateBp ?? 0, overdueBp: l.overdueBp ?? 0, dueDate: l.dueDate! });

/**
 * Order loans (DECISIONS 105): a borrower applies against an invoice of a delivered order to a lender it consented to;
 * the lender's credit officer proposes terms, another person approves within the borrower's credit limit, a person
 * other than the approver records the disbursement; repayments (partial) and the financed invoice's own payments
 * (lender first: the waterfall) pay it down; interest accrues ACT/365 (loan-math.ts). A lender sees an application
 * only while the borrower's consent stands; otherwise 404, like a loan that does not exist.
 */
export class LoansService {
  constructor(private readonly db: Sql) {}

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

  private maxAdvance(inv: InvoiceRow) {
    return Math.floor(((inv.totalFen - inv.paidFen) * MAX_ADVANCE_BP) / 10_000);
  }

  async apply(ctx: AuditContext, p: Principal, company: Company | undefined, body: ApplyBody, key?: string) {
    if (!company) throw new AppError("ORG.REQUIRED", "a loan is a company's", 409);
    const by = personOf(p, "apply for a loan");
    const inv = await invoicesRepository.get(this.db, body.invoiceId);
    if (!inv || (inv.sellerId !== company.id && inv.buyerId !== company.id)) throw notFound("invoice", body.invoiceId);
    if (inv.source !== "order")
      throw new AppError(
        "LOAN.NOT_AN_ORDER_INVOICE",
        `invoiceId: ${inv.id} bills a service settlement; order loans finance invoices of delivered orders`,
        409,
        { field: "invoiceId" },
      );
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
    const max = this.maxAdvance(inv);
    if (max <= 0) throw new AppError("LOAN.INVOICE_PAID", `invoice ${inv.id} has nothing open to finance`, 409);
    if (body.requestedFen > max)
      throw new AppError(
        "LOAN.OVER_ADVANCE",
        `requestedFen: ${body.requestedFen} is more than ${MAX_ADVANCE_BP / 100} % of the ` +
          `${inv.totalFen - inv.paidFen} fen open on invoice ${inv.id} (at most ${max})`,
        409,
        { field: "requestedFen" },
      );
    const side = inv.sellerId === company.id ? "receivable" : "payable";
    return idempotent(this.db, company.id, "loan.apply", body, key, async (within) => {
      const id = `ln_${hex()}`;
      await this.db.transaction(async (tx) => {
        const ok = await repo.insert(tx, {
          id,
          borrowerId: company.id,
          lenderId: body.lenderId,
          invoiceId: inv.id,
          side,
          requestedFen: body.requestedFen,
          termDays: body.termDays,
          note: body.note ?? null,
          by,
        });
        if (!ok)
          throw new AppError(
            "LOAN.ALREADY_FINANCED",
            `invoiceId: invoice ${inv.id} already has a live loan of mine; one trade is financed once`,
            409,
            { field: "invoiceId" },
          );
        await this.audit(tx, ctx, company.id, "loan.apply", id, {
          lender: { after: body.lenderId },
          invoice: { after: inv.id },
          requestedFen: { after: body.requestedFen },
        });
        await within(tx, { status: 201, body: await this.viewIn(tx, id) });
      });
      return { status: 201, body: await this.view(id) };
    });
  }

  /** Officer's terms for an application: ≤ the advance share of what is open on the invoice. */
  async propose(ctx: AuditContext, p: Principal, id: string, t: ProposeBody) {
    const { loan, as } = await this.visible(ctx, p, id);
    if (as !== "lender") throw notFound("loan", id);
    const by = personOf(p, "propose loan terms");
    if (loan.status !== "applied") this.invalid(loan, "proposed");
    const inv = (await invoicesRepository.get(this.db, loan.invoiceId))!;
    const max = this.maxAdvance(inv);
    if (t.amountFen > max)
      throw new AppError(
        "LOAN.OVER_ADVANCE",
        `amountFen: ${t.amountFen} is more than ${MAX_ADVANCE_BP / 100} % of the ` +
          `${inv.totalFen - inv.paidFen} fen open on invoice ${inv.id} (at most ${max})`,
        409,
        { field: "amountFen" },
      );
    await this.db.transaction(async (tx) => {
      const set = {
        status: "proposed",
        amount_fen: t.amountFen,
        rate_bp: t.rateBp,
        overdue_bp: t.overdueBp,
        term_days: t.termDays,
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
        const set = {
          status: "disbursed",
          disbursed_by: by,
          disbursed_on: on,
          due_date: addDays(on, now.termDays),
          principal_fen: amount,
          accrued_to: on,
        };
        if (!(await repo.move(tx, id, ["approved"], set))) this.invalid(now, "disbursed");
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
    const accrued = accrueBetween(stateOf(loan), loan.accruedTo!, on, termsOf(loan));
    const r = applyRepayment(accrued.state, amountFen);
    const paid = amountFen - Math.max(0, amountFen - r.payoff);
    if (paid <= 0) return { paid: 0, loan };
    const status: LoanStatus = r.done ? "closed" : loan.dueDate! < today ? "overdue" : loan.status;
    const set = {
      status,
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
        const owed = payoffFen(accrueBetween(stateOf(loan), loan.accruedTo!, on, termsOf(loan)).state);
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
    const inv = (await invoicesRepository.get(db, l.invoiceId))!;
    const live = l.accruedTo !== null && (l.status === "disbursed" || l.status === "overdue");
    const now =
      live && today > l.accruedTo! ? accrueBetween(stateOf(l), l.accruedTo!, today, termsOf(l)).state : stateOf(l);
    const { carry: _c, accruedTo: _a, appliedAt, ...rest } = l;
    const from = today > l.accruedTo! ? today : l.accruedTo!;
    const atDue =
      live && l.dueDate! >= from ? accrueBetween(now, from, addDays(l.dueDate!, 1), termsOf(l)).state : null;
    const schedule = atDue
      ? [
          {
            dueDate: l.dueDate!,
            principalFen: atDue.principalFen,
            interestFen: payoffFen(atDue) - atDue.principalFen,
            payoffFen: payoffFen(atDue),
          },
        ]
      : [];
    return {
      ...rest,
      appliedAt: appliedAt.toISOString(),
      today: { date: today, principalFen: now.principalFen, interestFen: now.interestFen, payoffFen: payoffFen(now) },
      schedule,
      next: [...LOAN_TRANSITIONS[l.status]],
      // An order loan finances an order's invoice only (apply refuses the others).
      invoice: { totalFen: inv.totalFen, paidFen: inv.paidFen, dueDate: inv.dueDate, orderId: inv.orderId! },
      entries: await repo.entries(db, id),
    };
  }
}
