import type { Sql } from "../../../../ledger-service/src/db/sql.js";

export interface RunRow {
  id: string;
  gtin: string;
  lot: string;
  production_date: string;
  count: number;
  created_at: Date;
  brand: string | null;
  name: string | null;
  first_seq: number | null;
  last_seq: number | null;
  sealed: number;
  sent: number;
  final: number;
  serials?: string[];
}

/**
 * A run's events are one ledger submission (a contiguous seq range); the batches overlapping that range say how
 * many of them are sealed, sent (submitted or confirmed) and final. One indexed lookup per run.
 */
const RUN_SELECT = `
  SELECT r.id, r.gtin, r.lot, to_char(r.production_date, 'YYYY-MM-DD') AS production_date,
         cardinality(r.serials)::int AS count, r.created_at, pr.brand, pr.name,
         s.first_seq::int AS first_seq, s.last_seq::int AS last_seq,
         COALESCE(a.sealed, 0)::int AS sealed, COALESCE(a.sent, 0)::int AS sent, COALESCE(a.final, 0)::int AS final
    FROM mint_runs r
    LEFT JOIN products pr ON pr.gtin = r.gtin AND pr.company_id = r.company_id
    CROSS JOIN LATERAL (SELECT min(seq) AS first_seq, max(seq) AS last_seq FROM ledger_events e
                         WHERE e.submission_id = r.submission_id) s
    LEFT JOIN LATERAL (
      SELECT sum(n) FILTER (WHERE status = 'sealed') AS sealed,
             sum(n) FILTER (WHERE status IN ('submitted', 'confirmed')) AS sent,
             sum(n) FILTER (WHERE status = 'final') AS final
        FROM (SELECT b.status, LEAST(b.last_seq, s.last_seq) - GREATEST(b.first_seq, s.first_seq) + 1 AS n
                FROM ledger_batches b WHERE b.last_seq >= s.first_seq AND b.first_seq <= s.last_seq) o
    ) a ON true`;

/** SQL for reading mint runs and my company's products (mint runs are written by parts.repository in the append). */
export const runsRepository = {
  async list(db: Sql, companyId: string, limit: number): Promise<RunRow[]> {
    const { rows } = await db.query<RunRow>(
      `${RUN_SELECT} WHERE r.company_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [companyId, limit],
    );
    return rows;
  },

  async get(db: Sql, companyId: string, id: string): Promise<RunRow | null> {
    const { rows } = await db.query<RunRow>(
      `${RUN_SELECT.replace("cardinality(r.serials)::int AS count", "cardinality(r.serials)::int AS count, r.serials")}
        WHERE r.id = $1 AND r.company_id = $2`,
      [id, companyId],
    );
    return rows[0] ?? null;
  },

  /** GTINs my company named (products) or minted (mint runs), most recently minted first. */
  async products(db: Sql, companyId: string) {
    const { rows } = await db.query<{
      gtin: string;
      brand: string | null;
      name: string | null;
      sku_id: number | null;
      runs: number;
      parts: number;
      last: Date | null;
    }>(
      `WITH runs AS (SELECT gtin, count(*)::int AS runs, sum(cardinality(serials))::int AS parts, max(created_at) AS last
                       FROM mint_runs WHERE company_id = $1 GROUP BY gtin),
            mine AS (SELECT gtin, brand, name, sku_id FROM products WHERE company_id = $1)
       SELECT COALESCE(m.gtin, r.gtin) AS gtin, m.brand, m.name, m.sku_id::int AS sku_id,
              COALESCE(r.runs, 0) AS runs, COALESCE(r.parts, 0) AS parts, r.last
         FROM mine m FULL JOIN runs r ON r.gtin = m.gtin
        ORDER BY r.last DESC NULLS LAST, 1`,
      [companyId],
    );
    return rows;
  },
};
