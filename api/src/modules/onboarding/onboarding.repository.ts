import type { Sql } from "../../../../ledger-service/src/index.js";
import type { ApplicationStatus } from "./onboarding-states.js";

export interface ApplicationRow {
  id: string;
  company_id: string;
  status: ApplicationStatus;
  round: number;
  licence_sha256: string;
  licence_type: string;
  licence_bytes: number;
  approval_id: string | null;
  first_approved_by: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  submitted_at: Date;
  updated_at: Date;
}
export interface StepRow {
  seq: number;
  round: number;
  step: "submitted" | "first_approved" | "approved" | "refused" | "withdrawn";
  actor: string | null;
  reason: string | null;
  at: Date;
}

const COLUMNS =
  "id, company_id, status, round, licence_sha256, licence_type, licence_bytes, approval_id, first_approved_by, " +
  "decided_by, decided_at, reason, submitted_at, updated_at";

/** The only place that reads and writes company_applications and their steps. Writes join the caller's transaction. */
export const onboardingRepository = {
  async insert(
    tx: Sql,
    a: { id: string; companyId: string; licence: { sha256: string; type: string; bytes: number } },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO company_applications (id, company_id, licence_sha256, licence_type, licence_bytes)
       VALUES ($1, $2, $3, $4, $5)`,
      [a.id, a.companyId, a.licence.sha256, a.licence.type, a.licence.bytes],
    );
  },

  async byId(db: Sql, id: string, lock = false): Promise<ApplicationRow | null> {
    const { rows } = await db.query<ApplicationRow>(
      `SELECT ${COLUMNS} FROM company_applications WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async byCompany(db: Sql, companyId: string): Promise<ApplicationRow | null> {
    const { rows } = await db.query<ApplicationRow>(
      `SELECT ${COLUMNS} FROM company_applications WHERE company_id = $1`,
      [companyId],
    );
    return rows[0] ?? null;
  },

  /** Oldest first (a queue): those waiting longest are reviewed first. */
  async list(
    db: Sql,
    q: { status?: ApplicationStatus | undefined; limit: number; offset: number },
  ): Promise<{ rows: ApplicationRow[]; total: number }> {
    const where = "WHERE ($1::text IS NULL OR status = $1)";
    const { rows } = await db.query<ApplicationRow>(
      `SELECT ${COLUMNS} FROM company_applications ${where} ORDER BY submitted_at, id LIMIT $2 OFFSET $3`,
      [q.status ?? null, q.limit, q.offset],
    );
    const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM company_applications ${where}`, [
      q.status ?? null,
    ]);
    return { rows, total: Number(count.rows[0]!.n) };
  },

  /**
   * Moves an application from `from` to `to` with the given fields, only if it is still in `from` (a concurrent
   * decision makes this false and the caller's transaction roll back).
   */
  async move(
    tx: Sql,
    id: string,
    from: ApplicationStatus,
    to: ApplicationStatus,
    set: Partial<{
      approval_id: string | null;
      first_approved_by: string | null;
      decided_by: string | null;
      decided_at: "now" | null;
      reason: string | null;
      round: number;
      licence: { sha256: string; type: string; bytes: number };
    }> = {},
  ): Promise<boolean> {
    const cols: string[] = ["status = $3", "updated_at = now()"];
    const args: unknown[] = [id, from, to];
    const put = (col: string, v: unknown) => {
      args.push(v);
      cols.push(`${col} = $${args.length}`);
    };
    if ("approval_id" in set) put("approval_id", set.approval_id);
    if ("first_approved_by" in set) put("first_approved_by", set.first_approved_by);
    if ("decided_by" in set) put("decided_by", set.decided_by);
    if ("decided_at" in set) cols.push(set.decided_at === "now" ? "decided_at = now()" : "decided_at = NULL");
    if ("reason" in set) put("reason", set.reason);
    if (set.round !== undefined) put("round", set.round);
    if (set.licence) {
      put("licence_sha256", set.licence.sha256);
      put("licence_type", set.licence.type);
      put("licence_bytes", set.licence.bytes);
    }
    if (to === "submitted") cols.push("submitted_at = now()");
    const { rows } = await tx.query(
      `UPDATE company_applications SET ${cols.join(", ")} WHERE id = $1 AND status = $2 RETURNING 1`,
      args,
    );
    return rows.length === 1;
  },

  async addStep(
    tx: Sql,
    s: { applicationId: string; round: number; step: StepRow["step"]; actor: string | null; reason?: string | null },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO company_application_steps (application_id, seq, round, step, actor, reason)
       SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5 FROM company_application_steps WHERE application_id = $1`,
      [s.applicationId, s.round, s.step, s.actor, s.reason ?? null],
    );
  },

  async steps(db: Sql, ids: string[]): Promise<Map<string, StepRow[]>> {
    const out = new Map<string, StepRow[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const { rows } = await db.query<StepRow & { application_id: string }>(
      `SELECT application_id, seq, round, step, actor, reason, at FROM company_application_steps
        WHERE application_id = ANY($1::text[]) ORDER BY application_id, seq`,
      [ids],
    );
    for (const r of rows) out.get(r.application_id)!.push(r);
    return out;
  },
};
