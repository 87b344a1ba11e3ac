import type { Sql } from "../../../../ledger-service/src/index.js";
import type { LoanStatus } from "./loan-book.js";
import type { PlanKind } from "./loan-schedule.js";

export interface LoanRow {
  id: string;
  borrowerId: string;
  lenderId: string;
  invoiceId: string | null;
  /** What is financed (DECISIONS 116): an invoice, a seller's confirmed order, or a buyer's purchase order. */
  basis: "invoice" | "order" | "purchase_order";
  orderId: string;
  /** The other side of the trade: the buyer for a seller's loan, the seller for a buyer's. */
  counterpartyId: string;
  side: "receivable" | "payable";
  status: LoanStatus;
  requestedFen: number;
  amountFen: number | null;
  rateBp: number | null;
  overdueBp: number | null;
  termDays: number;
  note: string | null;
  appliedBy: string;
  appliedAt: Date;
  proposedBy: string | null;
  approvedBy: string | null;
  disbursedBy: string | null;
  disbursedOn: string | null;
  dueDate: string | null;
  endedBy: string | null;
  endedReason: string | null;
  principalFen: number;
  interestFen: number;
  carry: string;
  accruedTo: string | null;
  interestTotalFen: number;
  repaidFen: number;
  planKind: PlanKind;
  instalments: number;
  nextDueDate: string | null;
  calledOn: string | null;
  calledReason: string | null;
  version: number;
}

export interface EntryRow {
  id: string;
  kind: "disbursement" | "repayment" | "waterfall";
  amountFen: number;
  toInterestFen: number;
  toPrincipalFen: number;
  onDate: string;
  bankRef: string;
  recordedBy: string;
}

const d = (c: string) => `to_char(${c}, 'YYYY-MM-DD')`;
const COLS = `id, borrower_id AS "borrowerId", lender_id AS "lenderId", invoice_id AS "invoiceId", side, status,
  requested_fen::float8 AS "requestedFen", amount_fen::float8 AS "amountFen", rate_bp AS "rateBp",
  overdue_bp AS "overdueBp",
  term_days AS "termDays", note, applied_by AS "appliedBy", applied_at AS "appliedAt", proposed_by AS "proposedBy",
  approved_by AS "approvedBy", disbursed_by AS "disbursedBy", ${d("disbursed_on")} AS "disbursedOn",
  ${d("due_date")} AS "dueDate", ended_by AS "endedBy", ended_reason AS "endedReason",
  principal_fen::float8 AS "principalFen", interest_fen::float8 AS "interestFen", carry::text AS carry,
  ${d("accrued_to")} AS "accruedTo", interest_total_fen::float8 AS "interestTotalFen",
  repaid_fen::float8 AS "repaidFen", basis, order_id AS "orderId", counterparty_id AS "counterpartyId",
  plan_kind AS "planKind", instalments, ${d("next_due_date")} AS "nextDueDate", ${d("called_on")} AS "calledOn",
  called_reason AS "calledReason",
  version`;
const LIVE = "('approved', 'disbursed', 'overdue')";

/** The only SQL on loans, their entries and lenders' credit limits. */
export const loansRepository = {
  async today(db: Sql): Promise<string> {
    const { rows } = await db.query<{ d: string }>(
      "SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d",
    );
    return rows[0]!.d;
  },

  /** Inserts an application; false when this side of the trade already has a live loan of this borrower. */
  async insert(
    tx: Sql,
    l: Pick<
      LoanRow,
      | "id"
      | "borrowerId"
      | "lenderId"
      | "invoiceId"
      | "basis"
      | "orderId"
      | "counterpartyId"
      | "side"
      | "requestedFen"
      | "termDays"
      | "note"
    > & { by: string },
  ): Promise<boolean> {
    // Two partial unique indexes (per invoice, per trade side): a conflict on either is "already financed".
    const { rows } = await tx.query(
      `INSERT INTO loans (id, borrower_id, lender_id, invoice_id, basis, order_id, counterparty_id, side, status,
                          requested_fen, term_days, note, applied_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'applied', $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        l.id,
        l.borrowerId,
        l.lenderId,
        l.invoiceId,
        l.basis,
        l.orderId,
        l.counterpartyId,
        l.side,
        l.requestedFen,
        l.termDays,
        l.note,
        l.by,
      ],
    );
    return rows.length === 1;
  },

  /** Loans on an order (locked), for its cancellation or its invoice. */
  async onOrder(tx: Sql, orderId: string): Promise<LoanRow[]> {
    const { rows } = await tx.query<LoanRow>(`SELECT ${COLS} FROM loans WHERE order_id = $1 ORDER BY id FOR UPDATE`, [
      orderId,
    ]);
    return rows;
  },

  async get(db: Sql, id: string, lock = false): Promise<LoanRow | null> {
    const { rows } = await db.query<LoanRow>(`SELECT ${COLS} FROM loans WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [
      id,
    ]);
    return rows[0] ?? null;
  },

  /** Live disbursed loans financing an invoice as its receivable (the waterfall's), locked. */
  async financing(tx: Sql, invoiceId: string): Promise<LoanRow[]> {
    const { rows } = await tx.query<LoanRow>(
      `SELECT ${COLS} FROM loans WHERE invoice_id = $1 AND side = 'receivable' AND status IN ('disbursed', 'overdue')
       ORDER BY id FOR UPDATE`,
      [invoiceId],
    );
    return rows;
  },

  /** Sets columns on a loan that is in one of `from`; false when it is not (moved meanwhile). */
  async move(tx: Sql, id: string, from: readonly LoanStatus[], set: Record<string, unknown>): Promise<boolean> {
    const cols = Object.keys(set);
    const assign = cols.map((c, i) => `${c} = $${i + 3}`).join(", ");
    const { rows } = await tx.query(
      `UPDATE loans SET ${assign}, version = version + 1 WHERE id = $1 AND status = ANY($2::text[]) RETURNING 1`,
      [id, from, ...cols.map((c) => set[c])],
    );
    return rows.length === 1;
  },

  async list(db: Sql, companyId: string, as: "borrower" | "lender", status: string | null, limit: number) {
    const { rows } = await db.query<LoanRow>(
      `SELECT ${COLS} FROM loans WHERE ${as === "borrower" ? "borrower_id" : "lender_id"} = $1
          AND ($2::text IS NULL OR status = $2) ORDER BY applied_at DESC, id LIMIT $3`,
      [companyId, status, limit],
    );
    return rows;
  },

  /** Loans of a borrower (optionally with one lender) that had money moving by `until`. */
  async forStatement(db: Sql, borrowerId: string | null, lenderId: string | null, until: string) {
    const { rows } = await db.query<LoanRow>(
      `SELECT ${COLS} FROM loans WHERE ($1::text IS NULL OR borrower_id = $1) AND ($2::text IS NULL OR lender_id = $2)
          AND disbursed_on IS NOT NULL AND disbursed_on < $3::date ORDER BY lender_id, disbursed_on, id`,
      [borrowerId, lenderId, until],
    );
    return rows;
  },

  async entries(db: Sql, loanId: string): Promise<EntryRow[]> {
    const { rows } = await db.query<EntryRow>(
      `SELECT id, kind, amount_fen::float8 AS "amountFen", to_interest_fen::float8 AS "toInterestFen",
              to_principal_fen::float8 AS "toPrincipalFen", ${d("on_date")} AS "onDate", bank_ref AS "bankRef",
              recorded_by AS "recordedBy"
         FROM loan_entries WHERE loan_id = $1 ORDER BY on_date, seq`,
      [loanId],
    );
    return rows;
  },

  /** Books an entry; false when the loan already has one with this bank reference. */
  async entry(tx: Sql, e: Omit<EntryRow, "id"> & { id: string; loanId: string }): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO loan_entries
         (id, loan_id, kind, amount_fen, to_interest_fen, to_principal_fen, on_date, bank_ref, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9) ON CONFLICT (loan_id, bank_ref) DO NOTHING RETURNING 1`,
      [e.id, e.loanId, e.kind, e.amountFen, e.toInterestFen, e.toPrincipalFen, e.onDate, e.bankRef, e.recordedBy],
    );
    return rows.length === 1;
  },

  async setLimit(tx: Sql, lenderId: string, borrowerId: string, limitFen: number, by: string) {
    await tx.query(
      `INSERT INTO loan_credit_limits (lender_id, borrower_id, limit_fen, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lender_id, borrower_id) DO UPDATE SET limit_fen = $3, set_by = $4, set_at = now()`,
      [lenderId, borrowerId, limitFen, by],
    );
  },

  /** The limit row, locked: every draw on one (lender, borrower) takes it, so draws serialize. */
  async lockLimit(tx: Sql, lenderId: string, borrowerId: string): Promise<number | null> {
    const { rows } = await tx.query<{ limitFen: number }>(
      `SELECT limit_fen::float8 AS "limitFen" FROM loan_credit_limits
        WHERE lender_id = $1 AND borrower_id = $2 FOR UPDATE`,
      [lenderId, borrowerId],
    );
    return rows[0]?.limitFen ?? null;
  },

  /** What a lender has out with a borrower: approved amounts not yet paid out, and principal outstanding. */
  async exposure(db: Sql, lenderId: string, borrowerId: string, except: string | null = null): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT COALESCE(sum(CASE WHEN status = 'approved' THEN amount_fen ELSE principal_fen END), 0)::float8 AS n
         FROM loans WHERE lender_id = $1 AND borrower_id = $2 AND status IN ${LIVE} AND ($3::text IS NULL OR id <> $3)`,
      [lenderId, borrowerId, except],
    );
    return rows[0]!.n;
  },

  async limits(db: Sql, lenderId: string) {
    const { rows } = await db.query<{
      borrowerId: string;
      limitFen: number;
      usedFen: number;
      setBy: string;
      setAt: Date;
    }>(
      `SELECT c.borrower_id AS "borrowerId", c.limit_fen::float8 AS "limitFen", c.set_by AS "setBy",
              c.set_at AS "setAt",
              COALESCE((SELECT sum(CASE WHEN l.status = 'approved' THEN l.amount_fen ELSE l.principal_fen END)
                          FROM loans l WHERE l.lender_id = c.lender_id AND l.borrower_id = c.borrower_id
                           AND l.status IN ${LIVE}), 0)::float8 AS "usedFen"
         FROM loan_credit_limits c WHERE c.lender_id = $1 ORDER BY c.borrower_id`,
      [lenderId],
    );
    return rows;
  },

  /** Disbursed loans of a company whose due date passed, moved to overdue; their ids. */
  async sweepOverdue(tx: Sql, companyId: string, today: string): Promise<string[]> {
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE loans SET status = 'overdue', version = version + 1
        WHERE (borrower_id = $1 OR lender_id = $1) AND status = 'disbursed' AND next_due_date < $2::date RETURNING id`,
      [companyId, today],
    );
    return rows.map((r) => r.id);
  },
};
