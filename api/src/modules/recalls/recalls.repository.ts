import type { Sql } from "../../../../ledger-service/src/index.js";

export interface RecallRow {
  id: string;
  manufacturerId: string;
  gtin: string;
  lot: string | null;
  serialFrom: string | null;
  serialTo: string | null;
  skuId: number | null;
  reason: string;
  status: "open" | "closed";
  units: number;
  createdAt: string;
  updatedAt: string;
}

export type RecallProgress = "located" | "returned" | "replaced" | "unreachable";

const COLS = `r.id, r.manufacturer_id AS "manufacturerId", r.gtin, r.lot, r.serial_from AS "serialFrom", r.serial_to AS "serialTo",
  r.sku_id::int AS "skuId", r.reason, r.status, r.units, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const STAGES = `CASE u.stage WHEN 1 THEN 'commissioned' WHEN 2 THEN 'received' WHEN 3 THEN 'installed' WHEN 4 THEN 'shipped' ELSE 'unknown' END`;

/** The only SQL on recalls and their units (and the ledger and installation reads the trace needs). */
export const recallsRepository = {
  async insert(tx: Sql, r: Omit<RecallRow, "status" | "units" | "createdAt" | "updatedAt">) {
    await tx.query(
      `INSERT INTO recalls (id, manufacturer_id, gtin, lot, serial_from, serial_to, sku_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.manufacturerId, r.gtin, r.lot, r.serialFrom, r.serialTo, r.skuId, r.reason],
    );
  },

  /**
   * Traces the recall forward in one statement: every part the ledger knows in its scope, with its current holder
   * (from the ledger's head) and its latest installation (installations: the installing shop; the VIN stays there,
   * encrypted). Answers how many units it found and whom to notify — holders (with their counts) and installing
   * shops (with their installations) — from the rows it wrote, without reading them back.
   */
  async trace(
    tx: Sql,
    id: string,
    scope: { gtin: string; lot: string | null; from: string | null; to: string | null },
  ) {
    const { rows } = await tx.query<{
      n: number;
      holders: Array<{ companyId: string; units: number }>;
      installers: Array<{ companyId: string; installations: string[] }>;
    }>(
      `WITH found AS (
         INSERT INTO recall_units (recall_id, gtin, serial, lot, holder_id, stage, installation_id, installer_id)
         SELECT $1, p.gtin, p.serial, p.lot, a.id, p.stage, i.id, i.company_id
           FROM ledger_parts p
           LEFT JOIN ledger_actors a ON a.address = p.holder
           LEFT JOIN (SELECT DISTINCT ON (serial) serial, id, company_id FROM installations WHERE gtin = $2::char(14)
                       ORDER BY serial, installed_at DESC) i ON i.serial = p.serial AND p.stage = 3
          WHERE p.gtin = $2 AND ($3::text IS NULL OR p.lot = $3) AND ($4::text IS NULL OR p.serial BETWEEN $4 AND $5)
         RETURNING holder_id, installation_id, installer_id),
       counted AS (UPDATE recalls SET units = (SELECT count(*) FROM found) WHERE id = $1 RETURNING units)
       SELECT (SELECT units FROM counted) AS n,
              (SELECT coalesce(json_agg(json_build_object('companyId', holder_id, 'units', units) ORDER BY holder_id), '[]')
                 FROM (SELECT holder_id, count(*)::int AS units FROM found
                        WHERE holder_id IS NOT NULL AND installer_id IS NULL GROUP BY holder_id) h) AS holders,
              (SELECT coalesce(json_agg(json_build_object('companyId', installer_id, 'installations', ids)
                                        ORDER BY installer_id), '[]')
                 FROM (SELECT installer_id, array_agg(installation_id ORDER BY installation_id) AS ids FROM found
                        WHERE installer_id IS NOT NULL GROUP BY installer_id) s) AS installers`,
      [id, scope.gtin, scope.lot, scope.from, scope.to],
    );
    return { units: rows[0]!.n, holders: rows[0]!.holders, installers: rows[0]!.installers };
  },

  async get(db: Sql, id: string): Promise<RecallRow | null> {
    const { rows } = await db.query<RecallRow>(`SELECT ${COLS} FROM recalls r WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  },

  async list(db: Sql, manufacturerId: string | null, limit: number): Promise<RecallRow[]> {
    const { rows } = await db.query<RecallRow>(
      `SELECT ${COLS} FROM recalls r WHERE $1::text IS NULL OR r.manufacturer_id = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`,
      [manufacturerId, limit],
    );
    return rows;
  },

  /** Progress of a recall: units by progress and by where they are, holders and installations reached (one scan). */
  async summary(db: Sql, id: string) {
    const { rows } = await db.query<{
      progress: string;
      stage: string;
      n: number;
      installed: number;
      holders: number;
      installers: number;
    }>(
      `SELECT progress, stage, n, installed, holders, installers FROM (
         SELECT u.progress, ${STAGES} AS stage, count(*)::int AS n, count(u.installation_id)::int AS installed,
                0 AS holders, 0 AS installers FROM recall_units u WHERE u.recall_id = $1 GROUP BY 1, 2
         UNION ALL
         SELECT '', '', 0, 0, count(DISTINCT holder_id)::int, count(DISTINCT installer_id)::int FROM recall_units WHERE recall_id = $1) x`,
      [id],
    );
    const progress: Record<RecallProgress, number> = { located: 0, returned: 0, replaced: 0, unreachable: 0 };
    const stages: Record<string, number> = {};
    let installed = 0;
    for (const r of rows.filter((x) => x.progress)) {
      progress[r.progress as RecallProgress] += r.n;
      stages[r.stage] = (stages[r.stage] ?? 0) + r.n;
      installed += r.installed;
    }
    const totals = rows.find((x) => !x.progress)!;
    return { progress, stages, holders: totals.holders, installed, installers: totals.installers };
  },

  /** Units of a recall; `companyId`: only those it holds or installed. No VIN: installations keep it, encrypted. */
  async units(db: Sql, id: string, companyId: string | null, limit: number) {
    const { rows } = await db.query(
      `SELECT u.gtin, u.serial, u.lot, u.holder_id AS "holderId", ${STAGES} AS stage, u.installation_id AS "installationId",
              u.installer_id AS "installerId", u.progress, u.updated_at AS "updatedAt"
         FROM recall_units u WHERE u.recall_id = $1 AND ($2::text IS NULL OR u.holder_id = $2 OR u.installer_id = $2)
        ORDER BY u.gtin, u.serial LIMIT $3`,
      [id, companyId, limit],
    );
    return rows as Array<Record<string, unknown>>;
  },

  /** Open recalls with units I hold or installed. */
  async affecting(db: Sql, companyId: string) {
    const { rows } = await db.query<RecallRow & { mine: number }>(
      `SELECT ${COLS}, m.n AS mine FROM recalls r
         JOIN (SELECT recall_id, count(*)::int n FROM recall_units WHERE holder_id = $1 OR installer_id = $1 GROUP BY 1) m ON m.recall_id = r.id
        WHERE r.status = 'open' ORDER BY r.created_at DESC`,
      [companyId],
    );
    return rows;
  },

  async setProgress(
    tx: Sql,
    id: string,
    parts: ReadonlyArray<{ gtin: string; serial: string }>,
    progress: RecallProgress,
  ) {
    const { rows } = await tx.query<{ gtin: string; serial: string }>(
      `UPDATE recall_units u SET progress = $4, updated_at = now() FROM unnest($2::text[], $3::text[]) AS t (gtin, serial)
        WHERE u.recall_id = $1 AND u.gtin = t.gtin::char(14) AND u.serial = t.serial RETURNING u.gtin, u.serial`,
      [id, parts.map((p) => p.gtin), parts.map((p) => p.serial), progress],
    );
    return rows;
  },

  async close(tx: Sql, id: string) {
    await tx.query("UPDATE recalls SET status = 'closed', updated_at = now() WHERE id = $1", [id]);
  },

  /** Which of `parts` an open recall covers (traced units, or a whole-GTIN recall). */
  async recalledParts(db: Sql, parts: ReadonlyArray<{ gtin: string; serial: string }>) {
    const { rows } = await db.query<{ gtin: string; serial: string; recallId: string }>(
      `SELECT DISTINCT ON (t.gtin, t.serial) t.gtin, t.serial, r.id AS "recallId"
         FROM unnest($1::text[], $2::text[]) AS t (gtin, serial)
         JOIN recalls r ON r.status = 'open' AND r.gtin = t.gtin::char(14)
        WHERE (r.lot IS NULL AND r.serial_from IS NULL)
           OR EXISTS (SELECT 1 FROM recall_units u WHERE u.recall_id = r.id AND u.gtin = t.gtin::char(14) AND u.serial = t.serial)
        ORDER BY t.gtin, t.serial, r.id`,
      [parts.map((p) => p.gtin), parts.map((p) => p.serial)],
    );
    return rows;
  },

  /** SKUs under an open whole-GTIN recall. */
  async blockedSkus(db: Sql, skuIds: number[]) {
    const { rows } = await db.query<{ skuId: number; recallId: string }>(
      `SELECT DISTINCT ON (sku_id) sku_id::int AS "skuId", id AS "recallId" FROM recalls
        WHERE status = 'open' AND lot IS NULL AND serial_from IS NULL AND sku_id = ANY($1::bigint[]) ORDER BY sku_id, id`,
      [skuIds],
    );
    return rows;
  },
};
