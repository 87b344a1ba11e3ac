import type { Sql } from "../../../../ledger-service/src/index.js";

export interface PrefixRow {
  id: string;
  company_id: string;
  prefix: string;
  licence_ref: string;
  status: "submitted" | "verified" | "rejected";
  submitted_by: string;
  submitted_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
}

const COLS = "id, company_id, prefix, licence_ref, status, submitted_by, submitted_at, decided_by, decided_at, reason";

/** The only SQL on GS1 company prefixes. */
export const gs1Repository = {
  async insert(
    tx: Sql,
    r: { id: string; companyId: string; prefix: string; licenceRef: string; submittedBy: string },
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO gs1_prefixes (id, company_id, prefix, licence_ref, submitted_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (company_id, prefix) WHERE status IN ('submitted', 'verified') DO NOTHING RETURNING 1`,
      [r.id, r.companyId, r.prefix, r.licenceRef, r.submittedBy],
    );
    return rows.length === 1;
  },

  async get(db: Sql, id: string): Promise<PrefixRow | null> {
    return (await db.query<PrefixRow>(`SELECT ${COLS} FROM gs1_prefixes WHERE id = $1`, [id])).rows[0] ?? null;
  },

  async list(db: Sql, companyId: string | null, status: string | null): Promise<PrefixRow[]> {
    const { rows } = await db.query<PrefixRow>(
      `SELECT ${COLS} FROM gs1_prefixes WHERE ($1::text IS NULL OR company_id = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY submitted_at DESC, id LIMIT 1000`,
      [companyId, status],
    );
    return rows;
  },

  /** Verified prefixes of other companies than `companyId` that overlap `prefix` (one is a prefix of the other). */
  async overlapping(
    db: Sql,
    prefix: string,
    companyId: string,
  ): Promise<Array<{ prefix: string; company_id: string }>> {
    const { rows } = await db.query<{ prefix: string; company_id: string }>(
      `SELECT prefix, company_id FROM gs1_prefixes
        WHERE status = 'verified' AND company_id <> $2 AND (starts_with($1, prefix) OR starts_with(prefix, $1)) ORDER BY prefix`,
      [prefix, companyId],
    );
    return rows;
  },

  /** Serialises verifications, so two overlapping prefixes of different companies cannot both be verified. */
  async lock(tx: Sql) {
    await tx.query("LOCK TABLE gs1_prefixes IN SHARE ROW EXCLUSIVE MODE");
  },

  async decide(
    tx: Sql,
    id: string,
    status: "verified" | "rejected",
    by: string,
    reason: string | null,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      "UPDATE gs1_prefixes SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1 AND status = 'submitted' RETURNING 1",
      [id, status, by, reason],
    );
    return rows.length === 1;
  },

  /** A company's verified prefixes, shortest first (the one with most room for serial references). */
  async verifiedOf(db: Sql, companyId: string): Promise<string[]> {
    const { rows } = await db.query<{ prefix: string }>(
      "SELECT prefix FROM gs1_prefixes WHERE status = 'verified' AND company_id = $1 ORDER BY length(prefix), prefix",
      [companyId],
    );
    return rows.map((r) => r.prefix);
  },

  /** Every verified prefix among `candidates`, with its owner. */
  async verified(db: Sql, candidates: string[]): Promise<Array<{ prefix: string; company_id: string }>> {
    if (candidates.length === 0) return [];
    return (
      await db.query<{ prefix: string; company_id: string }>(
        "SELECT prefix, company_id FROM gs1_prefixes WHERE status = 'verified' AND prefix = ANY($1::text[])",
        [candidates],
      )
    ).rows;
  },

  /** The verified owner of the longest of `candidates` (a GTIN's possible company prefixes), if any. */
  async ownerOf(db: Sql, candidates: string[]): Promise<{ prefix: string; company_id: string } | null> {
    const { rows } = await db.query<{ prefix: string; company_id: string }>(
      "SELECT prefix, company_id FROM gs1_prefixes WHERE status = 'verified' AND prefix = ANY($1::text[]) ORDER BY length(prefix) DESC LIMIT 1",
      [candidates],
    );
    return rows[0] ?? null;
  },
};
