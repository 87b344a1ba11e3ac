import type { Sql } from "../../../../ledger-service/src/index.js";
import type { ReportStatus } from "./reports.schema.js";

export interface ReportRow {
  id: string;
  gtin: string;
  serial: string;
  lot: string | null;
  signature: string | null;
  verdict: string;
  note: string | null;
  contact_ct: Uint8Array | null;
  lng: number | null;
  lat: number | null;
  brand_owner_id: string | null;
  status: ReportStatus;
  resolution: string | null;
  decided_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLS =
  "id, gtin, serial, lot, signature, verdict, note, contact_ct, lng, lat, brand_owner_id, status, resolution, decided_by, created_at, updated_at";

/** The counterfeit_reports table: the only place that reads or writes it. Writes join the caller's transaction. */
export const reportsRepository = {
  async confirmedParts(db: Sql, limit: number): Promise<Array<{ gtin: string; serial: string }>> {
    const { rows } = await db.query<{ gtin: string; serial: string }>(
      "SELECT DISTINCT gtin, serial FROM counterfeit_reports WHERE status = 'confirmed' LIMIT $1",
      [limit],
    );
    return rows;
  },

  /** Inserts a report unless one with this submission key exists; true when this call inserted it. */
  async insert(
    tx: Sql,
    r: {
      id: string;
      submissionKey: Buffer;
      gtin: string;
      serial: string;
      lot: string | null;
      signature: string | null;
      verdict: string;
      note: string | null;
      contactCt: Buffer | null;
      lng: number | null;
      lat: number | null;
      brandOwnerId: string | null;
    },
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO counterfeit_reports (id, submission_key, gtin, serial, lot, signature, verdict, note, contact_ct, lng, lat, brand_owner_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (submission_key) DO NOTHING RETURNING id`,
      [
        r.id,
        r.submissionKey,
        r.gtin,
        r.serial,
        r.lot,
        r.signature,
        r.verdict,
        r.note,
        r.contactCt,
        r.lng,
        r.lat,
        r.brandOwnerId,
      ],
    );
    return rows.length === 1;
  },

  async bySubmission(db: Sql, key: Buffer): Promise<ReportRow | null> {
    const { rows } = await db.query<ReportRow>(`SELECT ${COLS} FROM counterfeit_reports WHERE submission_key = $1`, [
      key,
    ]);
    return rows[0] ?? null;
  },

  async byId(db: Sql, id: string, lock = false): Promise<ReportRow | null> {
    const { rows } = await db.query<ReportRow>(
      `SELECT ${COLS} FROM counterfeit_reports WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  /** Newest first; `brandOwnerId` undefined: every report (the platform), else that company's only. */
  async list(
    db: Sql,
    filter: { brandOwnerId?: string; status?: string | undefined; gtin?: string | undefined },
    limit: number,
  ): Promise<ReportRow[]> {
    const { rows } = await db.query<ReportRow>(
      `SELECT ${COLS} FROM counterfeit_reports
        WHERE ($1::text IS NULL OR brand_owner_id = $1) AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR gtin = $3)
        ORDER BY created_at DESC, id LIMIT $4`,
      [filter.brandOwnerId ?? null, filter.status ?? null, filter.gtin ?? null, limit],
    );
    return rows;
  },

  async setStatus(
    tx: Sql,
    id: string,
    from: ReportStatus,
    to: ReportStatus,
    by: string,
    resolution: string | null,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `UPDATE counterfeit_reports SET status = $3, decided_by = $4, resolution = COALESCE($5, resolution), updated_at = now()
        WHERE id = $1 AND status = $2 RETURNING id`,
      [id, from, to, by, resolution],
    );
    return rows.length === 1;
  },

  /** Reports of the last `days` days (a brand owner's, or all), newest first, at most `limit`. */
  async recent(db: Sql, brandOwnerId: string | null, days: number, limit: number): Promise<ReportRow[]> {
    const { rows } = await db.query<ReportRow>(
      `SELECT ${COLS} FROM counterfeit_reports
        WHERE ($1::text IS NULL OR brand_owner_id = $1) AND created_at >= now() - make_interval(days => $2)
        ORDER BY created_at DESC, id LIMIT $3`,
      [brandOwnerId, days, limit],
    );
    return rows;
  },

  async samePart(db: Sql, gtin: string, serial: string, brandOwnerId: string | null): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM counterfeit_reports WHERE gtin = $1 AND serial = $2 AND ($3::text IS NULL OR brand_owner_id = $3)",
      [gtin, serial, brandOwnerId],
    );
    return rows[0]!.n;
  },
};
