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
    const { rows } = await db.query<{ scanned_at: Date | string; lng: number | null; lat: number | null; company_id: string | null }>(
      "SELECT scanned_at, lng, lat, company_id FROM scans WHERE part_key = decode($1, 'hex') ORDER BY scanned_at DESC LIMIT $2",
      [partKey.slice(2), limit],
    );
    return rows.map((r) => ({ scannedAt: new Date(r.scanned_at), lng: r.lng, lat: r.lat, companyId: r.company_id }));
  },

  /**
   * Records a scan. The scan log is committed asynchronously (synchronous_commit off for this one statement):
   * a crash may lose the last fraction of a second of scans, never a ledger event, and the scan does not wait for
   * a disk flush (DECISIONS.md).
   */
  async record(db: Sql, scan: { partKey: string; at: Date; lng: number | null; lat: number | null; companyId: string | null; verdict: string }) {
    await db.query(
      `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
       INSERT INTO scans (part_key, scanned_at, lng, lat, company_id, verdict)
       SELECT decode($1, 'hex'), $2, $3, $4, $5, $6 FROM async`,
      [
        scan.partKey.slice(2), scan.at, scan.lng, scan.lat, scan.companyId, scan.verdict,
      ],
    );
  },
};
