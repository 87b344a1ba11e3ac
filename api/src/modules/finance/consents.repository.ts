import type { Sql } from "../../../../ledger-service/src/index.js";

export interface ConsentRow {
  id: string;
  borrowerId: string;
  lenderId: string;
  grantedBy: string;
  grantedAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

const COLS = `id, borrower_id AS "borrowerId", lender_id AS "lenderId", granted_by AS "grantedBy", granted_at AS "grantedAt",
  revoked_by AS "revokedBy", revoked_at AS "revokedAt"`;

/** The only SQL on credit consents. */
export const consentsRepository = {
  /** Inserts a live consent; false when the pair already has one (the partial unique index). */
  async insert(tx: Sql, c: { id: string; borrowerId: string; lenderId: string; grantedBy: string }): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO credit_consents (id, borrower_id, lender_id, granted_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (borrower_id, lender_id) WHERE revoked_at IS NULL DO NOTHING RETURNING 1`,
      [c.id, c.borrowerId, c.lenderId, c.grantedBy],
    );
    return rows.length === 1;
  },

  async get(db: Sql, id: string): Promise<ConsentRow | null> {
    const { rows } = await db.query<ConsentRow>(`SELECT ${COLS} FROM credit_consents WHERE id = $1`, [id]);
    return rows[0] ?? null;
  },

  /** Revokes a live consent; false when it was already revoked. */
  async revoke(tx: Sql, id: string, by: string): Promise<boolean> {
    const { rows } = await tx.query(
      "UPDATE credit_consents SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING 1",
      [id, by],
    );
    return rows.length === 1;
  },

  /** Consents a company granted (as borrower) or holds (as lender), newest first. */
  async of(db: Sql, companyId: string): Promise<ConsentRow[]> {
    const { rows } = await db.query<ConsentRow>(
      `SELECT ${COLS} FROM credit_consents WHERE borrower_id = $1 OR lender_id = $1 ORDER BY granted_at DESC, id LIMIT 500`,
      [companyId],
    );
    return rows;
  },

  async live(db: Sql, borrowerId: string, lenderId: string): Promise<ConsentRow | null> {
    const { rows } = await db.query<ConsentRow>(
      `SELECT ${COLS} FROM credit_consents WHERE borrower_id = $1 AND lender_id = $2 AND revoked_at IS NULL`,
      [borrowerId, lenderId],
    );
    return rows[0] ?? null;
  },

  /** Receipts `borrowerId` pledged to `lenderId`, with the units each still locks. */
  async pledgedTo(db: Sql, borrowerId: string, lenderId: string) {
    const { rows } = await db.query<{ id: string; status: string; locationId: string; units: number }>(
      `SELECT r.id, r.status, r.location_id AS "locationId", COALESCE(sum(l.quantity), 0)::int AS units
         FROM warehouse_receipts r LEFT JOIN warehouse_receipt_lines l ON l.receipt_id = r.id
        WHERE r.company_id = $1 AND r.lender_id = $2 GROUP BY r.id ORDER BY r.created_at DESC LIMIT 500`,
      [borrowerId, lenderId],
    );
    return rows;
  },
};
