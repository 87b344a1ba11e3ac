import type { Sql } from "../../../../ledger-service/src/index.js";

export interface TransferRow {
  id: string;
  companyId: string;
  skuId: number;
  fromLocation: string;
  toLocation: string;
  quantity: number;
  distanceM: number;
  status: "proposed" | "in_transit" | "received" | "rejected";
  proposedBy: string;
  decidedBy: string | null;
  /** Serialised parts travelling with it (named at approval). */
  parts: Array<{ gtin: string; serial: string }>;
  createdAt: string;
  updatedAt: string;
}

const COLS = `id, company_id AS "companyId", sku_id::int AS "skuId", from_location AS "fromLocation", to_location AS "toLocation", quantity, distance_m AS "distanceM",
  status, proposed_by AS "proposedBy", decided_by AS "decidedBy", parts, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only SQL on stock transfers. */
export const transfersRepository = {
  /**
   * Stock rows of these companies below their reorder point, and the same SKU's rows elsewhere in the same company with
   * surplus — one statement for a whole pass (the partial index stock_reorder finds the rows with a point at all).
   */
  async shortages(db: Sql, companyIds: readonly string[]) {
    const { rows } = await db.query<{
      companyId: string;
      skuId: number;
      toLocation: string;
      need: number;
      toLng: number;
      toLat: number;
      sources: Array<{ locationId: string; surplus: number; lng: number; lat: number }>;
    }>(
      `SELECT l.company_id AS "companyId", s.sku_id::int AS "skuId", s.location_id AS "toLocation", s.reorder_point - (s.on_hand - s.reserved - s.locked + s.in_transit) AS need, l.lng AS "toLng", l.lat AS "toLat",
              COALESCE((SELECT json_agg(json_build_object('locationId', o.location_id, 'surplus', o.on_hand - o.reserved - o.locked - o.reorder_point, 'lng', ol.lng, 'lat', ol.lat))
                          FROM stock o JOIN supplier_locations ol ON ol.id = o.location_id
                         WHERE o.sku_id = s.sku_id AND ol.company_id = l.company_id AND o.location_id <> s.location_id AND o.on_hand - o.reserved - o.locked > o.reorder_point), '[]') AS sources
         FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE l.company_id = ANY($1::text[]) AND s.reorder_point > 0 AND s.on_hand - s.reserved - s.locked + s.in_transit < s.reorder_point
          AND NOT EXISTS (SELECT 1 FROM stock_transfers t WHERE t.sku_id = s.sku_id AND t.to_location = s.location_id AND t.status = 'proposed')`,
      [companyIds],
    );
    return rows;
  },

  /** Warehouses with their company and position. */
  async ends(db: Sql, ids: readonly string[]) {
    const { rows } = await db.query<{ id: string; companyId: string; lng: number; lat: number }>(
      'SELECT id, company_id AS "companyId", lng, lat FROM supplier_locations WHERE id = ANY($1::text[])',
      [ids],
    );
    return rows;
  },

  async insert(
    tx: Sql,
    t: Omit<TransferRow, "status" | "decidedBy" | "parts" | "createdAt" | "updatedAt">,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO stock_transfers (id, company_id, sku_id, from_location, to_location, quantity, distance_m, status, proposed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'proposed', $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [t.id, t.companyId, t.skuId, t.fromLocation, t.toLocation, t.quantity, t.distanceM, t.proposedBy],
    );
    return rows.length === 1;
  },

  async get(db: Sql, id: string, lock = false): Promise<TransferRow | null> {
    const { rows } = await db.query<TransferRow>(
      `SELECT ${COLS} FROM stock_transfers WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async list(db: Sql, companyId: string, status: string | null) {
    const { rows } = await db.query<TransferRow>(
      `SELECT ${COLS} FROM stock_transfers WHERE company_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC LIMIT 500`,
      [companyId, status],
    );
    return rows;
  },

  async setStatus(tx: Sql, id: string, status: TransferRow["status"], by: string, parts?: TransferRow["parts"]) {
    await tx.query(
      "UPDATE stock_transfers SET status = $2, decided_by = COALESCE(decided_by, $3), parts = COALESCE($4::jsonb, parts), updated_at = now() WHERE id = $1",
      [id, status, by, parts ? JSON.stringify(parts) : null],
    );
  },
};
