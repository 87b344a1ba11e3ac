import type { Sql } from "../../../../ledger-service/src/index.js";

export type MovementReason =
  "receipt" | "sale" | "transfer" | "adjustment" | "return" | "reservation" | "release" | "lock" | "unlock";

export interface StockRow {
  locationId: string;
  skuId: number;
  onHand: number;
  reserved: number;
  /** Locked by live warehouse receipts (finance module): neither available nor movable until released. */
  locked: number;
  available: number;
  inTransit: number;
  reorderPoint: number;
  shared: boolean;
  priceFen: number | null;
}

export interface PoolRow {
  locationId: string;
  sellerId: string;
  skuId: number;
  available: number;
  priceFen: number;
  lng: number;
  lat: number;
  prepMinutes: number;
}

const STOCK_COLS = `s.location_id AS "locationId", s.sku_id::int AS "skuId", s.on_hand AS "onHand", s.reserved, s.locked, s.on_hand - s.reserved - s.locked AS available,
  s.in_transit AS "inTransit", s.reorder_point AS "reorderPoint", s.shared, s.price_fen::int AS "priceFen"`;

/** The only SQL on stock and its movements. Every balance change writes its movement in the same statement batch. */
export const inventoryRepository = {
  async location(db: Sql, id: string): Promise<{ id: string; companyId: string; shared: boolean } | null> {
    const { rows } = await db.query<{ id: string; companyId: string; shared: boolean }>(
      'SELECT id, company_id AS "companyId", shared FROM supplier_locations WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  },

  /** A warehouse's name and GB/T 2260 region (a delivery's pickup, DECISIONS 115). */
  async place(
    db: Sql,
    id: string,
  ): Promise<{ id: string; companyId: string; name: string; regionCode: string } | null> {
    const { rows } = await db.query<{ id: string; companyId: string; name: string; regionCode: string }>(
      'SELECT id, company_id AS "companyId", name, region_code AS "regionCode" FROM supplier_locations WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  },

  async locationsByCode(db: Sql, companyId: string, codes: string[]): Promise<Map<string, string>> {
    const { rows } = await db.query<{ id: string; code: string }>(
      "SELECT id, code FROM supplier_locations WHERE company_id = $1 AND code = ANY($2::text[])",
      [companyId, codes],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  },

  /** The balance of one stock row, locked for the rest of the transaction (created empty when new). */
  async lockOne(
    tx: Sql,
    locationId: string,
    skuId: number,
  ): Promise<{ onHand: number; reserved: number; locked: number }> {
    await tx.query("INSERT INTO stock (location_id, sku_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      locationId,
      skuId,
    ]);
    const { rows } = await tx.query<{ onHand: number; reserved: number; locked: number }>(
      'SELECT on_hand AS "onHand", reserved, locked FROM stock WHERE location_id = $1 AND sku_id = $2 FOR UPDATE',
      [locationId, skuId],
    );
    return rows[0]!;
  },

  async setLocationShared(tx: Sql, id: string, shared: boolean) {
    await tx.query("UPDATE supplier_locations SET shared = $2 WHERE id = $1", [id, shared]);
  },

  /**
   * Moves a balance by deltas and records the movement; null when the change would break a rule (on hand below 0,
   * reserved above on hand) — the row is left as it was.
   */
  async move(
    tx: Sql,
    m: {
      locationId: string;
      skuId: number;
      onHand?: number;
      reserved?: number;
      inTransit?: number;
      reason: MovementReason;
      ref?: string | null;
    },
  ): Promise<StockRow | null> {
    const d = { onHand: m.onHand ?? 0, reserved: m.reserved ?? 0, inTransit: m.inTransit ?? 0 };
    await tx.query("INSERT INTO stock (location_id, sku_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      m.locationId,
      m.skuId,
    ]);
    const { rows } = await tx.query<StockRow>(
      `UPDATE stock s SET on_hand = on_hand + $3, reserved = reserved + $4, in_transit = in_transit + $5, updated_at = now()
        WHERE location_id = $1 AND sku_id = $2 AND on_hand + $3 >= 0 AND reserved + $4 >= 0 AND in_transit + $5 >= 0 AND reserved + $4 + locked <= on_hand + $3
        RETURNING ${STOCK_COLS}`,
      [m.locationId, m.skuId, d.onHand, d.reserved, d.inTransit],
    );
    if (!rows[0]) return null;
    await tx.query(
      "INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reserved_delta, in_transit_delta, reason, ref) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      [m.locationId, m.skuId, d.onHand, d.reserved, d.inTransit, m.reason, m.ref ?? null],
    );
    return rows[0];
  },

  /** Locks these stock rows in the global order (location, SKU). */
  async lockRows(tx: Sql, rows: ReadonlyArray<{ locationId: string; skuId: number }>) {
    await tx.query(
      `SELECT 1 FROM stock s JOIN unnest($1::text[], $2::bigint[]) AS k(loc, sku) ON s.location_id = k.loc AND s.sku_id = k.sku
        ORDER BY s.location_id, s.sku_id FOR UPDATE OF s`,
      [rows.map((r) => r.locationId), rows.map((r) => r.skuId)],
    );
  },

  /**
   * Moves many balances in one statement and records their movements; returns how many rows moved. Rows whose change
   * would break a rule are left as they were (the caller compares the count with what it asked for).
   */
  async moveMany(
    tx: Sql,
    rows: Array<{ locationId: string; skuId: number; onHand: number; reserved: number }>,
    reason: MovementReason,
    ref: string,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const { rows: moved } = await tx.query(
      `WITH req AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::int[]) AS r(loc, sku, oh, rs)),
            u AS (UPDATE stock s SET on_hand = s.on_hand + req.oh, reserved = s.reserved + req.rs, updated_at = now() FROM req
                   WHERE s.location_id = req.loc AND s.sku_id = req.sku AND s.on_hand + req.oh >= 0 AND s.reserved + req.rs >= 0 AND s.reserved + req.rs + s.locked <= s.on_hand + req.oh
               RETURNING s.location_id, s.sku_id, req.oh, req.rs)
       INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reserved_delta, reason, ref) SELECT location_id, sku_id, oh, rs, $5, $6 FROM u RETURNING 1`,
      [
        rows.map((r) => r.locationId),
        rows.map((r) => r.skuId),
        rows.map((r) => r.onHand),
        rows.map((r) => r.reserved),
        reason,
        ref,
      ],
    );
    return moved.length;
  },

  /**
   * Locks (`delta` > 0) or unlocks (< 0) quantities at one warehouse for a warehouse receipt, in one statement after
   * locking the rows in the global (location, SKU) order; records the movements. A lock takes only units neither
   * reserved nor already locked (the table's CHECK says the same). Returns how many rows changed: the caller compares
   * it with what it asked for and rolls back when short.
   */
  async lockUnits(
    tx: Sql,
    locationId: string,
    rows: ReadonlyArray<{ skuId: number; delta: number }>,
    ref: string,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const sorted = [...rows].sort((a, b) => a.skuId - b.skuId);
    await tx.query(
      "INSERT INTO stock (location_id, sku_id) SELECT $1, k FROM unnest($2::bigint[]) AS k ORDER BY k ON CONFLICT DO NOTHING",
      [locationId, sorted.map((r) => r.skuId)],
    );
    await this.lockRows(
      tx,
      sorted.map((r) => ({ locationId, skuId: r.skuId })),
    );
    const { rows: moved } = await tx.query(
      `WITH req AS (SELECT * FROM unnest($2::bigint[], $3::int[]) AS r(sku, d)),
            u AS (UPDATE stock s SET locked = s.locked + req.d, updated_at = now() FROM req
                   WHERE s.location_id = $1 AND s.sku_id = req.sku AND s.locked + req.d >= 0 AND s.reserved + s.locked + req.d <= s.on_hand
               RETURNING s.location_id, s.sku_id, req.d)
       INSERT INTO stock_movements (location_id, sku_id, locked_delta, reason, ref)
       SELECT location_id, sku_id, d, CASE WHEN d > 0 THEN 'lock' ELSE 'unlock' END, $4 FROM u RETURNING 1`,
      [locationId, sorted.map((r) => r.skuId), sorted.map((r) => r.delta), ref],
    );
    return moved.length;
  },

  async configure(
    tx: Sql,
    c: {
      locationId: string;
      skuId: number;
      shared?: boolean | undefined;
      priceFen?: number | null | undefined;
      reorderPoint?: number | undefined;
    },
  ): Promise<StockRow> {
    await tx.query("INSERT INTO stock (location_id, sku_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
      c.locationId,
      c.skuId,
    ]);
    const { rows } = await tx.query<StockRow>(
      `UPDATE stock s SET shared = COALESCE($3, shared), price_fen = CASE WHEN $4::boolean THEN $5::bigint ELSE price_fen END,
              reorder_point = COALESCE($6, reorder_point), updated_at = now()
        WHERE location_id = $1 AND sku_id = $2 RETURNING ${STOCK_COLS}`,
      [c.locationId, c.skuId, c.shared ?? null, c.priceFen !== undefined, c.priceFen ?? null, c.reorderPoint ?? null],
    );
    return rows[0]!;
  },

  /**
   * Past ERP/WMS sync documents (POST /inventory/sync), newest first: each one's stored answer (kept as its
   * idempotent reply under the key doc:<documentId>), so the log shows exactly what the ERP was told, line by line.
   */
  async syncLog(db: Sql, companyId: string, limit: number) {
    const { rows } = await db.query<{ response: Record<string, unknown> | string; at: Date }>(
      `SELECT response, created_at AS at FROM idempotent_requests
        WHERE company_id = $1 AND key LIKE 'doc:%' AND response ? 'documentId' AND response ? 'lines'
        ORDER BY created_at DESC LIMIT $2`,
      [companyId, limit],
    );
    return rows.map((r) => ({
      ...((typeof r.response === "string" ? JSON.parse(r.response) : r.response) as Record<string, unknown>),
      receivedAt: r.at.toISOString(),
    }));
  },

  async stockOf(
    db: Sql,
    companyId: string,
    filter: { locationId?: string | undefined; skuId?: number | undefined },
  ): Promise<StockRow[]> {
    const { rows } = await db.query<StockRow>(
      `SELECT ${STOCK_COLS} FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE l.company_id = $1 AND ($2::text IS NULL OR s.location_id = $2) AND ($3::bigint IS NULL OR s.sku_id = $3)
        ORDER BY s.location_id, s.sku_id LIMIT 1000`,
      [companyId, filter.locationId ?? null, filter.skuId ?? null],
    );
    return rows;
  },

  /**
   * Shared stock of these SKUs that a buyer may take (other companies', shared, priced), in (location, SKU) order.
   * `lock`: locked in that one global order, so concurrent orders queue on the same rows instead of deadlocking; the
   * caller's transaction holds the locks.
   */
  async shared(db: Sql, skuIds: number[], buyerId: string, lock: boolean) {
    const { rows } = await db.query<PoolRow>(
      `SELECT s.location_id AS "locationId", l.company_id AS "sellerId", s.sku_id::int AS "skuId", s.on_hand - s.reserved - s.locked AS available,
              s.price_fen::int AS "priceFen", l.lng, l.lat, l.prep_minutes AS "prepMinutes"
         FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE s.sku_id = ANY($1::bigint[]) AND s.shared AND l.shared AND s.price_fen IS NOT NULL AND l.company_id <> $2
        ORDER BY s.location_id, s.sku_id${lock ? "\n        FOR UPDATE OF s" : ""}`,
      [skuIds, buyerId],
    );
    return rows;
  },

  /**
   * Reserves from shared stock read without a lock, in one deferred statement: each row only if it is still shared,
   * in a shared warehouse, at the price read and with the quantity available — rows locked in (location, SKU) order
   * like everywhere else — and records the movements. Its check fails the transaction (DeferredCheckFailed,
   * STOCK.CHANGED) unless every row was reserved.
   */
  async reserveIfUnchanged(
    tx: Sql,
    rows: ReadonlyArray<{ locationId: string; skuId: number; quantity: number; priceFen: number }>,
    ref: string,
  ): Promise<void> {
    const sorted = [...rows].sort((a, b) =>
      a.locationId < b.locationId ? -1 : a.locationId > b.locationId ? 1 : a.skuId - b.skuId,
    );
    await tx.defer(
      `WITH rv_req AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::bigint[]) WITH ORDINALITY AS r(loc, sku, qty, price, ord) ORDER BY ord),
            rv_stock AS (UPDATE stock s SET reserved = s.reserved + r.qty, updated_at = now() FROM rv_req r
                          WHERE s.location_id = r.loc AND s.sku_id = r.sku AND s.on_hand - s.reserved - s.locked >= r.qty AND s.shared AND s.price_fen = r.price
                            AND EXISTS (SELECT 1 FROM supplier_locations l WHERE l.id = s.location_id AND l.shared)
                      RETURNING s.location_id, s.sku_id, r.qty)
       INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reserved_delta, reason, ref) SELECT location_id, sku_id, 0, qty, 'reservation', $5 FROM rv_stock`,
      [
        sorted.map((r) => r.locationId),
        sorted.map((r) => r.skuId),
        sorted.map((r) => r.quantity),
        sorted.map((r) => r.priceFen),
        ref,
      ],
      {
        sql: "(SELECT count(*) FROM rv_stock) = cardinality($1::text[])",
        message: "STOCK.CHANGED: shared stock changed since it was read",
      },
    );
  },

  /** Shared, priced, available stock of these SKUs inside a lat/lng box, from other companies than `buyerId`. */
  async poolNear(
    db: Sql,
    skuIds: number[],
    box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
    buyerId: string,
  ) {
    const { rows } = await db.query<{ skuId: number; locationId: string; priceFen: number; available: number }>(
      `SELECT s.sku_id::int AS "skuId", s.location_id AS "locationId", s.price_fen::int AS "priceFen", s.on_hand - s.reserved - s.locked AS available
         FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE s.sku_id = ANY($1::bigint[]) AND s.shared AND l.shared AND s.price_fen IS NOT NULL AND s.on_hand > s.reserved + s.locked AND l.company_id <> $2
          AND l.lat BETWEEN $3 AND $4 AND l.lng BETWEEN $5 AND $6
        LIMIT 5000`,
      [skuIds, buyerId, box.minLat, box.maxLat, box.minLng, box.maxLng],
    );
    return rows;
  },
};
