import type { Sql } from "../../../../ledger-service/src/index.js";

/** The only SQL on catalogue import jobs: opened, their progress (heartbeat) and end, read back. */
export const importsRepository = {
  /** A running job, before its first row. */
  async openImport(
    db: Sql,
    j: { id: string; companyId: string | null; kind: string; format: string; totalBytes: number },
  ) {
    await db.query(
      `INSERT INTO catalog_imports (id, company_id, kind, format, status, total_bytes)
       VALUES ($1, $2, $3, $4, 'running', $5)`,
      [j.id, j.companyId, j.kind, j.format, j.totalBytes],
    );
  },

  /** Progress of a running import (its heartbeat), or its end. */
  async saveImport(
    db: Sql,
    r: {
      id: string;
      status: string;
      bytesDone: number;
      rowsOk: number;
      rowsBad: number;
      errors: unknown[];
      failure: string | null;
    },
    final: boolean,
  ) {
    await db.query(
      `UPDATE catalog_imports SET status = $2, bytes_done = $3, rows_ok = $4, rows_bad = $5, errors = $6::jsonb,
              failure = $7, heartbeat_at = now()${final ? ", finished_at = now()" : ""} WHERE id = $1`,
      [r.id, r.status, r.bytesDone, r.rowsOk, r.rowsBad, JSON.stringify(r.errors), r.failure],
    );
  },

  /** Marks a job failed when it still says running but has not beaten for two minutes. */
  async failSilentImport(db: Sql, id: string, failure: string) {
    await db.query(
      `UPDATE catalog_imports SET status = 'failed', finished_at = now(), failure = $2
        WHERE id = $1 AND status = 'running' AND heartbeat_at < now() - interval '2 minutes'`,
      [id, failure],
    );
  },

  async importJob(db: Sql, id: string) {
    const { rows } = await db.query<{
      id: string;
      company_id: string | null;
      kind: string;
      status: string;
      rows_ok: number;
      rows_bad: number;
      bytes_done: string;
      total_bytes: string;
      errors: Array<{ line: number; field: string; reason: string }>;
      failure: string | null;
    }>(
      `SELECT id, company_id, kind, status, rows_ok, rows_bad, bytes_done, total_bytes, errors, failure
         FROM catalog_imports WHERE id = $1`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          companyId: r.company_id,
          kind: r.kind,
          status: r.status,
          rowsOk: r.rows_ok,
          rowsBad: r.rows_bad,
          bytesDone: Number(r.bytes_done),
          totalBytes: Number(r.total_bytes),
          errors: r.errors,
          failure: r.failure,
        }
      : null;
  },
};
