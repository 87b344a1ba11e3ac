import type { Sql } from "../../../../ledger-service/src/index.js";

export type ReceiptStatus = "issued" | "pledged" | "released" | "cancelled" | "enforcing" | "enforced";

export interface ReceiptRow {
  id: string;
  companyId: string;
  locationId: string;
  status: ReceiptStatus;
  lenderId: string | null;
  issuedBy: string;
  pledgedBy: string | null;
  version: number;
  digest: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReceiptLine {
  skuId: number;
  issued: number;
  quantity: number;
}
export interface ReceiptPart {
  gtin: string;
  serial: string;
  skuId: number;
  released: boolean;
}

const COLS = `id, company_id AS "companyId", location_id AS "locationId", status, lender_id AS "lenderId", issued_by AS "issuedBy",
  pledged_by AS "pledgedBy", version, digest, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only SQL on warehouse receipts (their stock locks are the inventory module's; their serial locks the ledger's trigger). */
export const receiptsRepository = {
  async insert(
    tx: Sql,
    r: { id: string; companyId: string; locationId: string; issuedBy: string; digest: string },
    lines: ReadonlyArray<{ skuId: number; quantity: number }>,
    parts: ReadonlyArray<{ gtin: string; serial: string; skuId: number }>,
  ): Promise<void> {
    await tx.query(
      "INSERT INTO warehouse_receipts (id, company_id, location_id, status, issued_by, digest) VALUES ($1, $2, $3, 'issued', $4, $5)",
      [r.id, r.companyId, r.locationId, r.issuedBy, r.digest],
    );
    await tx.query(
      "INSERT INTO warehouse_receipt_lines (receipt_id, sku_id, issued, quantity) SELECT $1, s, q, q FROM unnest($2::bigint[], $3::int[]) AS k(s, q)",
      [r.id, lines.map((l) => l.skuId), lines.map((l) => l.quantity)],
    );
    if (parts.length)
      await tx.query(
        "INSERT INTO warehouse_receipt_parts (receipt_id, gtin, serial, sku_id) SELECT $1, g, s, k FROM unnest($2::text[], $3::text[], $4::bigint[]) AS x(g, s, k)",
        [r.id, parts.map((p) => p.gtin), parts.map((p) => p.serial), parts.map((p) => p.skuId)],
      );
  },

  async get(db: Sql, id: string, lock = false): Promise<ReceiptRow | null> {
    const { rows } = await db.query<ReceiptRow>(
      `SELECT ${COLS} FROM warehouse_receipts WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async lines(db: Sql, id: string): Promise<ReceiptLine[]> {
    const { rows } = await db.query<ReceiptLine>(
      'SELECT sku_id::int AS "skuId", issued, quantity FROM warehouse_receipt_lines WHERE receipt_id = $1 ORDER BY sku_id',
      [id],
    );
    return rows;
  },

  async parts(db: Sql, id: string): Promise<ReceiptPart[]> {
    const { rows } = await db.query<ReceiptPart>(
      `SELECT gtin, serial, sku_id::int AS "skuId", released_at IS NOT NULL AS released FROM warehouse_receipt_parts
        WHERE receipt_id = $1 ORDER BY gtin, serial`,
      [id],
    );
    return rows;
  },

  /** Receipts a company issued, or (lender) holds as pledgee, or (platform: `party` null) all; newest first. */
  async list(
    db: Sql,
    party: string | null,
    q: { status?: string | undefined; gtin?: string | undefined; serial?: string | undefined; limit: number },
  ): Promise<ReceiptRow[]> {
    const { rows } = await db.query<ReceiptRow>(
      `SELECT ${COLS} FROM warehouse_receipts r
        WHERE ($1::text IS NULL OR r.company_id = $1 OR r.lender_id = $1) AND ($2::text IS NULL OR r.status = $2)
          AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM warehouse_receipt_parts p WHERE p.receipt_id = r.id AND p.gtin = $3 AND ($4::text IS NULL OR p.serial = $4)))
        ORDER BY r.created_at DESC, r.id LIMIT $5`,
      [party, q.status ?? null, q.gtin ?? null, q.serial ?? null, q.limit],
    );
    return rows;
  },

  async setState(
    tx: Sql,
    id: string,
    s: { status: ReceiptStatus; lenderId: string | null; pledgedBy?: string | null; version: number; digest: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE warehouse_receipts SET status = $2, lender_id = $3, pledged_by = COALESCE($4, pledged_by), version = $5, digest = $6, updated_at = now()
        WHERE id = $1`,
      [id, s.status, s.lenderId, s.pledgedBy ?? null, s.version, s.digest],
    );
  },

  /** Lowers lines by these quantities (never below 0: the caller checked). */
  async lowerLines(tx: Sql, id: string, rows: ReadonlyArray<{ skuId: number; quantity: number }>): Promise<void> {
    await tx.query(
      `UPDATE warehouse_receipt_lines l SET quantity = l.quantity - k.q FROM unnest($2::bigint[], $3::int[]) AS k(s, q)
        WHERE l.receipt_id = $1 AND l.sku_id = k.s`,
      [id, rows.map((r) => r.skuId), rows.map((r) => r.quantity)],
    );
  },

  /** The live enforcement of a receipt, if any (DECISIONS 112). */
  async liveEnforcement(db: Sql, id: string): Promise<string | null> {
    const { rows } = await db.query<{ id: string }>(
      "SELECT id FROM receipt_enforcements WHERE receipt_id = $1 AND status IN ('proposed', 'confirmed', 'transferring')",
      [id],
    );
    return rows[0]?.id ?? null;
  },

  async releaseParts(tx: Sql, id: string, parts: ReadonlyArray<{ gtin: string; serial: string }>): Promise<void> {
    await tx.query(
      `UPDATE warehouse_receipt_parts p SET released_at = now() FROM unnest($2::text[], $3::text[]) AS k(g, s)
        WHERE p.receipt_id = $1 AND p.gtin = k.g AND p.serial = k.s AND p.released_at IS NULL`,
      [id, parts.map((p) => p.gtin), parts.map((p) => p.serial)],
    );
  },
};
