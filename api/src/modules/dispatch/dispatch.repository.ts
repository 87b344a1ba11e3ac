import type { Sql } from "../../../../ledger-service/src/index.js";

export interface DispatchRow {
  id: string;
  sscc: string | null;
  from_company: string;
  to_company: string;
  location_id: string;
  parts: Array<{ gtin: string; serial: string }>;
  part_count: number;
  submission_id: string;
  status: "in_transit" | "received";
  created_by: string | null;
  created_at: Date;
  received_at: Date | null;
  received_by: string | null;
  received_location_id: string | null;
  receipt_submission_id: string | null;
}

const COLS =
  "id, sscc, from_company, to_company, location_id, parts, part_count, submission_id::text AS submission_id, status, created_by, created_at, received_at, received_by, received_location_id, receipt_submission_id::text AS receipt_submission_id";

/** The only SQL on cartons (dispatches). */
export const dispatchRepository = {
  /** The next serial reference for an SSCC (one sequence for every sender; unique per prefix a fortiori). */
  async nextSerial(tx: Sql): Promise<bigint> {
    const { rows } = await tx.query<{ n: string }>("SELECT nextval('dispatch_sscc_serial')::text AS n");
    return BigInt(rows[0]!.n);
  },

  async insert(
    tx: Sql,
    r: {
      id: string;
      sscc: string | null;
      from: string;
      to: string;
      locationId: string;
      parts: Array<{ gtin: string; serial: string }>;
      submissionId: number | string;
      createdBy: string | null;
    },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO dispatches (id, sscc, from_company, to_company, location_id, parts, part_count, submission_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
      [
        r.id,
        r.sscc,
        r.from,
        r.to,
        r.locationId,
        JSON.stringify(r.parts),
        r.parts.length,
        String(r.submissionId),
        r.createdBy,
      ],
    );
  },

  /** By id (d_…) or SSCC. */
  async get(db: Sql, code: string): Promise<DispatchRow | null> {
    const { rows } = await db.query<DispatchRow>(`SELECT ${COLS} FROM dispatches WHERE id = $1 OR sscc = $1`, [code]);
    return rows[0] ?? null;
  },

  async list(
    db: Sql,
    companyId: string,
    direction: "incoming" | "outgoing" | "all",
    status: "in_transit" | "received" | undefined,
    limit: number,
  ): Promise<DispatchRow[]> {
    const who =
      direction === "incoming"
        ? "to_company = $1"
        : direction === "outgoing"
          ? "from_company = $1"
          : "(to_company = $1 OR from_company = $1)";
    const { rows } = await db.query<DispatchRow>(
      `SELECT ${COLS} FROM dispatches WHERE ${who} AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id LIMIT $3`,
      [companyId, status ?? null, limit],
    );
    return rows;
  },

  /**
   * Cartons in transit to `companyId` holding any of `parts` (a part-by-part receipt just recorded): the candidates
   * `completeIfAllReceived` then checks. Locked, so two receipts finishing one carton do not both mark it.
   */
  async inTransitHolding(
    tx: Sql,
    companyId: string,
    parts: ReadonlyArray<{ gtin: string; serial: string }>,
  ): Promise<DispatchRow[]> {
    if (parts.length === 0) return [];
    const { rows } = await tx.query<DispatchRow>(
      `SELECT ${COLS} FROM dispatches d
        WHERE d.to_company = $1 AND d.status = 'in_transit'
          AND EXISTS (SELECT 1 FROM jsonb_to_recordset(d.parts) AS p(gtin text, serial text)
                       JOIN unnest($2::text[], $3::text[]) AS r(gtin, serial)
                         ON r.gtin = p.gtin AND r.serial = p.serial)
        ORDER BY d.id FOR UPDATE`,
      [companyId, parts.map((p) => p.gtin), parts.map((p) => p.serial)],
    );
    return rows;
  },

  /**
   * Whether every part of a carton (by `partKeys`, hex without 0x) has a receiving event by the carton's receiver
   * recorded after the carton's own shipping submission: then the carton is received, whole or part by part.
   */
  async allReceived(tx: Sql, row: DispatchRow, partKeys: string[], receivedStep: number): Promise<boolean> {
    const { rows } = await tx.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM (SELECT decode(h, 'hex') AS part_key FROM unnest($1::text[]) AS u(h)) k
        WHERE NOT EXISTS (SELECT 1 FROM ledger_events e
                           WHERE e.part_key = k.part_key AND e.step = $2 AND e.submission_id > $4
                             AND e.actor = (SELECT address FROM ledger_actors WHERE id = $3))`,
      [partKeys, receivedStep, row.to_company, row.submission_id],
    );
    return rows[0]!.missing === 0;
  },

  /** Marks a carton received; false when it was not in transit any more (a concurrent receipt won). */
  async markReceived(
    tx: Sql,
    id: string,
    r: { by: string | null; locationId: string; submissionId: number | string },
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `UPDATE dispatches SET status = 'received', received_at = now(), received_by = $2, received_location_id = $3,
         receipt_submission_id = $4 WHERE id = $1 AND status = 'in_transit' RETURNING 1`,
      [id, r.by, r.locationId, String(r.submissionId)],
    );
    return rows.length === 1;
  },
};
