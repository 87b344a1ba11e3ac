import type { Sql } from "../../../../ledger-service/src/db/sql.js";

export interface ScanRow {
  scannedAt: Date;
  lng: number | null;
  lat: number | null;
  companyId: string | null;
}

/** The scans table: every scan recorded, the recent ones read back for the clone rules. */
export const verifyRepository = {
  async recent(db: Sql, partKey: string, limit = 20): Promise<ScanRow[]> {
    const { rows } = await db.query<{
      scanned_at: Date | string;
      lng: number | null;
      lat: number | null;
      company_id: string | null;
    }>(
      "SELECT scanned_at, lng, lat, company_id FROM scans WHERE part_key = decode($1, 'hex') ORDER BY scanned_at DESC LIMIT $2",
      [partKey.slice(2), limit],
    );
    return rows.map((r) => ({ scannedAt: new Date(r.scanned_at), lng: r.lng, lat: r.lat, companyId: r.company_id }));
  },

  /** Records scans in one statement, committed asynchronously (synchronous_commit off for this statement only). */
  async recordMany(
    db: Sql,
    scans: Array<{
      partKey: string;
      at: Date;
      lng: number | null;
      lat: number | null;
      companyId: string | null;
      verdict: string;
    }>,
  ) {
    await db.query(
      `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
       INSERT INTO scans (part_key, scanned_at, lng, lat, company_id, verdict)
       SELECT decode(k, 'hex'), t, x, y, c, v
         FROM async, unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::text[], $6::text[]) AS u(k, t, x, y, c, v)`,
      [
        scans.map((s) => s.partKey.slice(2)),
        scans.map((s) => s.at.toISOString()),
        scans.map((s) => s.lng),
        scans.map((s) => s.lat),
        scans.map((s) => s.companyId),
        scans.map((s) => s.verdict),
      ],
    );
  },
};
