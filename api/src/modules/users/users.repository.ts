import type { Sql } from "../../../../ledger-service/src/index.js";

export interface UserRow {
  id: string;
  company_id: string | null;
  name_ct: Uint8Array;
  mobile_ct: Uint8Array | null;
  email_ct: Uint8Array | null;
  password_hash: string;
  roles: string[];
  status: "active" | "disabled";
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
}

/** Blind indexes travel as hex text (one per key version): $1 is a text[] of them. */
export const BIDX = "SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x";
export const hexes = (bs: Buffer[]) => bs.map((b) => b.toString("hex"));

const COLS =
  "id, company_id, name_ct, mobile_ct, email_ct, password_hash, roles, status, failed_logins, locked_until, created_at";

/** The only SQL on users, sessions and approval requests. */
export const usersRepository = {
  async insert(
    tx: Sql,
    u: {
      id: string;
      companyId: string | null;
      nameCt: Buffer;
      mobileCt: Buffer | null;
      mobileBidx: Buffer | null;
      emailCt: Buffer | null;
      emailBidx: Buffer | null;
      passwordHash: string;
      roles: string[];
    },
  ) {
    await tx.query(
      `INSERT INTO users (id, company_id, name_ct, mobile_ct, mobile_bidx, email_ct, email_bidx, password_hash, roles) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[])`,
      [u.id, u.companyId, u.nameCt, u.mobileCt, u.mobileBidx, u.emailCt, u.emailBidx, u.passwordHash, u.roles],
    );
  },

  async byId(db: Sql, id: string): Promise<UserRow | null> {
    return (await db.query<UserRow>(`SELECT ${COLS} FROM users WHERE id = $1`, [id])).rows[0] ?? null;
  },

  /** The user whose mobile or e-mail has one of these blind indexes (one per key version). */
  async byLogin(db: Sql, indexes: Buffer[]): Promise<UserRow | null> {
    return (
      (
        await db.query<UserRow>(
          `SELECT ${COLS} FROM users WHERE mobile_bidx IN (${BIDX}) OR email_bidx IN (${BIDX}) LIMIT 1`,
          [hexes(indexes)],
        )
      ).rows[0] ?? null
    );
  },

  async loginTaken(db: Sql, indexes: Buffer[], except?: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM users WHERE (mobile_bidx IN (${BIDX}) OR email_bidx IN (${BIDX})) AND id <> $2 LIMIT 1`,
      [hexes(indexes), except ?? ""],
    );
    return rows.length > 0;
  },

  async list(db: Sql, companyId: string | null): Promise<UserRow[]> {
    return (
      await db.query<UserRow>(
        `SELECT ${COLS} FROM users WHERE company_id IS NOT DISTINCT FROM $1 ORDER BY created_at, id`,
        [companyId],
      )
    ).rows;
  },

  async update(tx: Sql, id: string, set: Record<string, unknown>) {
    const cols = Object.keys(set);
    if (cols.length === 0) return;
    await tx.query(
      `UPDATE users SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(", ")}, updated_at = now() WHERE id = $1`,
      [id, ...cols.map((c) => set[c])],
    );
  },

  /** The lock on a login identifier (a blind index), if any; the same for logins that exist and those that do not. */
  async loginLock(db: Sql, key: Buffer): Promise<Date | null> {
    const { rows } = await db.query<{ locked_until: Date | null }>(
      "SELECT locked_until FROM login_attempts WHERE login_key = $1",
      [key],
    );
    return rows[0]?.locked_until ?? null;
  },

  /** Counts a failed login for an identifier; locks it for `lockMinutes` once `max` failures are reached. */
  async failedLogin(
    db: Sql,
    key: Buffer,
    max: number,
    lockMinutes: number,
  ): Promise<{ failures: number; lockedUntil: Date | null }> {
    const { rows } = await db.query<{ failures: number; locked_until: Date | null }>(
      `INSERT INTO login_attempts AS a (login_key, failures, locked_until) VALUES ($1, CASE WHEN 1 >= $2 THEN 0 ELSE 1 END,
              CASE WHEN 1 >= $2 THEN now() + make_interval(mins => $3) END)
       ON CONFLICT (login_key) DO UPDATE SET
         failures = CASE WHEN a.failures + 1 >= $2 THEN 0 ELSE a.failures + 1 END,
         locked_until = CASE WHEN a.failures + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE a.locked_until END,
         updated_at = now()
       RETURNING CASE WHEN locked_until > now() THEN $2 ELSE failures END AS failures, locked_until`,
      [key, max, lockMinutes],
    );
    return { failures: rows[0]!.failures, lockedUntil: rows[0]!.locked_until };
  },

  async clearLoginFailures(tx: Sql, key: Buffer): Promise<void> {
    await tx.query("DELETE FROM login_attempts WHERE login_key = $1", [key]);
  },

  async insertSession(
    tx: Sql,
    s: { id: string; tokenHash: Buffer; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
  ) {
    await tx.query(
      "INSERT INTO sessions (id, token_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)",
      [s.id, s.tokenHash, s.userId, s.expiresAt, s.ip, s.userAgent?.slice(0, 200) ?? null],
    );
  },

  async revokeSession(tx: Sql, id: string): Promise<boolean> {
    return (
      (await tx.query("UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING 1", [id]))
        .rows.length === 1
    );
  },

  async revokeSessionsOf(tx: Sql, userId: string): Promise<number> {
    return (
      await tx.query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING 1", [
        userId,
      ])
    ).rows.length;
  },

  async insertApproval(
    tx: Sql,
    a: { id: string; companyId: string | null; kind: string; subjectId: string; payload: unknown; submittedBy: string },
  ) {
    await tx.query(
      "INSERT INTO approval_requests (id, company_id, kind, subject_id, payload, submitted_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
      [a.id, a.companyId, a.kind, a.subjectId, JSON.stringify(a.payload), a.submittedBy],
    );
  },

  async approval(db: Sql, id: string) {
    const { rows } = await db.query<{
      id: string;
      company_id: string | null;
      kind: string;
      subject_id: string;
      payload: { roles: string[]; reason?: string };
      status: string;
      submitted_by: string;
      submitted_at: Date;
      decided_by: string | null;
      decided_at: Date | null;
      reason: string | null;
    }>(
      "SELECT id, company_id, kind, subject_id, payload, status, submitted_by, submitted_at, decided_by, decided_at, reason FROM approval_requests WHERE id = $1",
      [id],
    );
    return rows[0] ?? null;
  },

  /** A company's requests, or (companyId null) the platform's own. */
  async approvals(db: Sql, companyId: string | null, status?: string) {
    const owner = companyId === null ? "company_id IS NULL AND $1::text IS NULL" : "company_id = $1";
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM approval_requests WHERE ${owner} AND ($2::text IS NULL OR status = $2)
        ORDER BY submitted_at DESC LIMIT 200`,
      [companyId, status ?? null],
    );
    return rows.map((r) => r.id);
  },

  /** Moves a submitted request to its decision; false when it was decided meanwhile. */
  async decide(
    tx: Sql,
    id: string,
    status: "approved" | "rejected" | "cancelled",
    by: string,
    reason: string | null,
  ): Promise<boolean> {
    return (
      (
        await tx.query(
          "UPDATE approval_requests SET status = $2, decided_by = $3, decided_at = now(), reason = $4 WHERE id = $1 AND status = 'submitted' RETURNING 1",
          [id, status, by, reason],
        )
      ).rows.length === 1
    );
  },

  async customRoles(db: Sql, companyId: string, ids: string[]): Promise<Array<{ id: string; permissions: string[] }>> {
    if (ids.length === 0) return [];
    return (
      await db.query<{ id: string; permissions: string[] }>(
        "SELECT id, permissions FROM roles WHERE company_id = $1 AND id = ANY($2::text[])",
        [companyId, ids],
      )
    ).rows;
  },
};
