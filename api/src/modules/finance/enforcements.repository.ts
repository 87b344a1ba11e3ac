import type { Sql } from "../../../../ledger-service/src/index.js";
import { fromStates, type EnforcementAct, type EnforcementStatus } from "./enforcement.js";

export interface EnforcementRow {
  id: string;
  receiptId: string;
  lenderId: string;
  borrowerId: string;
  nomineeId: string;
  nomineeLocationId: string;
  status: EnforcementStatus;
  reason: string;
  undoHours: number;
  undoUntil: Date | null;
  /** Whether the undo window has passed (by the database's clock). */
  windowOver: boolean;
  startedBy: string;
  confirmedBy: string | null;
  cancelledBy: string | null;
  completedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLS = `id, receipt_id AS "receiptId", lender_id AS "lenderId", borrower_id AS "borrowerId", nominee_id AS "nomineeId",
  nominee_location_id AS "nomineeLocationId", status, reason, undo_hours AS "undoHours", undo_until AS "undoUntil",
  (undo_until IS NOT NULL AND undo_until <= now()) AS "windowOver", started_by AS "startedBy",
  confirmed_by AS "confirmedBy", cancelled_by AS "cancelledBy", completed_by AS "completedBy",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only SQL on receipt enforcements (DECISIONS 112). */
export const enforcementsRepository = {
  async insert(
    tx: Sql,
    e: Pick<
      EnforcementRow,
      "id" | "receiptId" | "lenderId" | "borrowerId" | "nomineeId" | "nomineeLocationId" | "reason" | "undoHours"
    > & { startedBy: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO receipt_enforcements (id, receipt_id, lender_id, borrower_id, nominee_id, nominee_location_id, status,
         reason, undo_hours, started_by) VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $8, $9)`,
      [
        e.id,
        e.receiptId,
        e.lenderId,
        e.borrowerId,
        e.nomineeId,
        e.nomineeLocationId,
        e.reason,
        e.undoHours,
        e.startedBy,
      ],
    );
  },

  async get(db: Sql, id: string, lock = false): Promise<EnforcementRow | null> {
    const { rows } = await db.query<EnforcementRow>(
      `SELECT ${COLS} FROM receipt_enforcements WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  /**
   * Moves an enforcement to `to` by `act` if it is in a state the table allows it from (and `extra` holds); null when
   * it was not (a race lost, or a wrong state). `set` names the person column the act stamps.
   */
  async move(
    tx: Sql,
    id: string,
    to: EnforcementStatus,
    act: EnforcementAct,
    person: string,
    extra = "true",
  ): Promise<EnforcementRow | null> {
    const stamp: Record<EnforcementAct, string> = {
      confirm: "confirmed_by = $4, undo_until = now() + make_interval(hours => undo_hours)",
      cancel: "cancelled_by = $4",
      transfer: "completed_by = $4",
      complete: "completed_by = $4",
    };
    const { rows } = await tx.query<EnforcementRow>(
      `UPDATE receipt_enforcements SET status = $2, ${stamp[act]}, updated_at = now()
        WHERE id = $1 AND status = ANY($3::text[]) AND (${extra}) RETURNING ${COLS}`,
      [id, to, fromStates(to, act), person],
    );
    return rows[0] ?? null;
  },

  /** Enforcements a company is party to (lender, borrower or nominee), or all (the platform); newest first. */
  async list(db: Sql, party: string | null, status: string | null, limit: number): Promise<EnforcementRow[]> {
    const { rows } = await db.query<EnforcementRow>(
      `SELECT ${COLS} FROM receipt_enforcements
        WHERE ($1::text IS NULL OR lender_id = $1 OR borrower_id = $1 OR nominee_id = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY created_at DESC, id LIMIT $3`,
      [party, status, limit],
    );
    return rows;
  },
};
