import type { Sql } from "../../../../ledger-service/src/index.js";
import type { RfqStatus } from "./rfq-states.js";

export interface RfqRow {
  id: string;
  buyerId: string;
  buyerName: string;
  status: RfqStatus;
  vin: string | null;
  lng: number;
  lat: number;
  radiusKm: number;
  neededBy: string;
  note: string | null;
  closesAt: string;
  expiresAt: string;
  acceptedQuoteId: string | null;
  orderId: string | null;
  createdAt: string;
  updatedAt: string;
  recipients: number;
  quotes: number;
}

export interface RfqLineRow {
  lineNo: number;
  query: string;
  skuId: number;
  skuIds: number[];
  brand: string;
  partNo: string;
  name: string;
  quantity: number;
}

export interface QuoteRow {
  id: string;
  supplierId: string;
  supplierName: string;
  locationId: string;
  distanceM: number;
  deliveryMinutes: number;
  validUntil: string;
  totalFen: number;
  note: string | null;
  createdAt: string;
}

/** `quotes` counts every quote, or only `supplier`'s when given (a supplier never learns of others' quotes). */
const RFQ_COLS = (
  supplier: string,
) => `r.id, r.buyer_id AS "buyerId", c.name AS "buyerName", r.status, r.vin, r.lng, r.lat,
  r.radius_km AS "radiusKm", to_char(r.needed_by, 'YYYY-MM-DD') AS "neededBy", r.note, r.closes_at AS "closesAt", r.expires_at AS "expiresAt",
  r.accepted_quote_id AS "acceptedQuoteId", r.order_id AS "orderId", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM rfq_recipients x WHERE x.rfq_id = r.id) AS recipients,
  (SELECT count(*)::int FROM rfq_quotes q WHERE q.rfq_id = r.id${supplier}) AS quotes`;

/** The only SQL on requests for quotes, their lines, recipients, quotes and history. */
export const rfqRepository = {
  async insert(
    tx: Sql,
    r: {
      id: string;
      buyerId: string;
      vin: string | null;
      lng: number;
      lat: number;
      radiusKm: number;
      neededBy: string;
      note: string | null;
      closesAt: string;
      actor: string;
    },
    lines: Array<{ lineNo: number; query: string; skuId: number; skuIds: number[]; quantity: number }>,
    recipients: Array<{ companyId: string; distanceM: number }>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO rfqs (id, buyer_id, vin, lng, lat, radius_km, needed_by, note, closes_at, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9, $9, $10)`,
      [r.id, r.buyerId, r.vin, r.lng, r.lat, r.radiusKm, r.neededBy, r.note, r.closesAt, r.actor],
    );
    await tx.query(
      `INSERT INTO rfq_lines (rfq_id, line_no, query, sku_id, sku_ids, quantity)
       SELECT $1, u.line_no, u.query, u.sku_id, u.sku_ids::jsonb, u.quantity
         FROM unnest($2::int[], $3::text[], $4::bigint[], $5::text[], $6::int[]) AS u(line_no, query, sku_id, sku_ids, quantity)`,
      [
        r.id,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.query),
        lines.map((l) => l.skuId),
        lines.map((l) => JSON.stringify(l.skuIds)),
        lines.map((l) => l.quantity),
      ],
    );
    if (recipients.length)
      await tx.query(
        `INSERT INTO rfq_recipients (rfq_id, company_id, distance_m) SELECT $1, * FROM unnest($2::text[], $3::int[])`,
        [r.id, recipients.map((x) => x.companyId), recipients.map((x) => x.distanceM)],
      );
    await tx.query("INSERT INTO rfq_events (rfq_id, from_status, to_status, actor) VALUES ($1, NULL, 'open', $2)", [
      r.id,
      r.actor,
    ]);
  },

  /**
   * Expires every open or quoted request whose time is up (DECISIONS 94: lazily, before each read or write of
   * requests, so no timer is needed for correctness); answers the requests expired, with their buyers and recipients.
   */
  async expireDue(db: Sql): Promise<Array<{ id: string; buyerId: string; from: RfqStatus; recipients: string[] }>> {
    const { rows } = await db.query<{ id: string; buyerId: string; from: RfqStatus; recipients: string[] }>(
      `WITH due AS (
         SELECT id, status FROM rfqs WHERE status IN ('open', 'quoted') AND expires_at <= now() FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE rfqs r SET status = 'expired', updated_at = now() FROM due WHERE r.id = due.id RETURNING r.id, r.buyer_id, due.status AS from_status
       ), logged AS (
         INSERT INTO rfq_events (rfq_id, from_status, to_status, actor) SELECT id, from_status, 'expired', 'system' FROM moved
       )
       SELECT m.id, m.buyer_id AS "buyerId", m.from_status AS "from",
              COALESCE((SELECT array_agg(x.company_id) FROM rfq_recipients x WHERE x.rfq_id = m.id), '{}') AS recipients
         FROM moved m`,
    );
    return rows;
  },

  async get(db: Sql, id: string, opts: { lock?: boolean; supplier?: string } = {}): Promise<RfqRow | null> {
    const supplier = opts.supplier ? " AND q.supplier_id = $2" : "";
    const { rows } = await db.query<RfqRow>(
      `SELECT ${RFQ_COLS(supplier)} FROM rfqs r JOIN companies c ON c.id = r.buyer_id WHERE r.id = $1${opts.lock ? " FOR UPDATE OF r" : ""}`,
      opts.supplier ? [id, opts.supplier] : [id],
    );
    return rows[0] ?? null;
  },

  /** The buyer's requests, newest first. */
  async listOfBuyer(db: Sql, buyerId: string, status: RfqStatus | undefined, limit: number): Promise<RfqRow[]> {
    const { rows } = await db.query<RfqRow>(
      `SELECT ${RFQ_COLS("")} FROM rfqs r JOIN companies c ON c.id = r.buyer_id
        WHERE r.buyer_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY r.created_at DESC, r.id LIMIT $3`,
      [buyerId, status ?? null, limit],
    );
    return rows;
  },

  /** Requests `supplier` was asked to quote, newest first; `quotes` counts its own quote only. */
  async listOfRecipient(db: Sql, supplier: string, status: RfqStatus | undefined, limit: number) {
    const { rows } = await db.query<RfqRow & { distanceM: number }>(
      `SELECT ${RFQ_COLS(" AND q.supplier_id = $1")}, x.distance_m AS "distanceM"
         FROM rfq_recipients x JOIN rfqs r ON r.id = x.rfq_id JOIN companies c ON c.id = r.buyer_id
        WHERE x.company_id = $1 AND ($2::text IS NULL OR r.status = $2) ORDER BY x.notified_at DESC, r.id LIMIT $3`,
      [supplier, status ?? null, limit],
    );
    return rows;
  },

  async recipient(db: Sql, id: string, companyId: string): Promise<{ distanceM: number } | null> {
    const { rows } = await db.query<{ distanceM: number }>(
      'SELECT distance_m AS "distanceM" FROM rfq_recipients WHERE rfq_id = $1 AND company_id = $2',
      [id, companyId],
    );
    return rows[0] ?? null;
  },

  async recipients(db: Sql, id: string): Promise<string[]> {
    const { rows } = await db.query<{ c: string }>("SELECT company_id AS c FROM rfq_recipients WHERE rfq_id = $1", [
      id,
    ]);
    return rows.map((r) => r.c);
  },

  async lines(db: Sql, id: string): Promise<RfqLineRow[]> {
    const { rows } = await db.query<RfqLineRow>(
      `SELECT l.line_no AS "lineNo", l.query, l.sku_id::int AS "skuId", l.sku_ids AS "skuIds", s.brand, s.part_no AS "partNo", s.name, l.quantity
         FROM rfq_lines l JOIN catalog_skus s ON s.id = l.sku_id WHERE l.rfq_id = $1 ORDER BY l.line_no`,
      [id],
    );
    return rows.map((r) => ({ ...r, skuIds: typeof r.skuIds === "string" ? JSON.parse(r.skuIds) : r.skuIds }));
  },

  /** Quotes of a request, cheapest first; only `supplier`'s when given. */
  async quotes(db: Sql, id: string, supplier?: string): Promise<QuoteRow[]> {
    const { rows } = await db.query<QuoteRow>(
      `SELECT q.id, q.supplier_id AS "supplierId", c.name AS "supplierName", q.location_id AS "locationId", x.distance_m AS "distanceM",
              q.delivery_minutes AS "deliveryMinutes", q.valid_until AS "validUntil", q.total_fen::bigint::float8 AS "totalFen", q.note, q.created_at AS "createdAt"
         FROM rfq_quotes q JOIN companies c ON c.id = q.supplier_id
         JOIN rfq_recipients x ON x.rfq_id = q.rfq_id AND x.company_id = q.supplier_id
        WHERE q.rfq_id = $1${supplier ? " AND q.supplier_id = $2" : ""} ORDER BY q.total_fen, q.delivery_minutes, q.id`,
      supplier ? [id, supplier] : [id],
    );
    return rows;
  },

  async quoteLines(db: Sql, quoteIds: string[]) {
    const { rows } = await db.query<{
      quoteId: string;
      lineNo: number;
      skuId: number;
      brand: string;
      partNo: string;
      name: string;
      unitPriceFen: number;
    }>(
      `SELECT ql.quote_id AS "quoteId", ql.line_no AS "lineNo", ql.sku_id::int AS "skuId", s.brand, s.part_no AS "partNo", s.name,
              ql.unit_price_fen::bigint::float8 AS "unitPriceFen"
         FROM rfq_quote_lines ql JOIN catalog_skus s ON s.id = ql.sku_id WHERE ql.quote_id = ANY($1::text[]) ORDER BY ql.quote_id, ql.line_no`,
      [quoteIds],
    );
    return rows;
  },

  async quote(db: Sql, rfqId: string, quoteId: string) {
    const { rows } = await db.query<{
      id: string;
      supplierId: string;
      locationId: string;
      validUntil: string;
      live: boolean;
    }>(
      `SELECT id, supplier_id AS "supplierId", location_id AS "locationId", valid_until AS "validUntil", valid_until > now() AS live
         FROM rfq_quotes WHERE rfq_id = $1 AND id = $2`,
      [rfqId, quoteId],
    );
    return rows[0] ?? null;
  },

  /** A quote and its lines; false when this supplier has quoted this request already. */
  async insertQuote(
    tx: Sql,
    q: {
      id: string;
      rfqId: string;
      supplierId: string;
      locationId: string;
      deliveryMinutes: number;
      validHours: number;
      totalFen: number;
      note: string | null;
      actor: string;
    },
    lines: Array<{ lineNo: number; skuId: number; unitPriceFen: number }>,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO rfq_quotes (id, rfq_id, supplier_id, location_id, delivery_minutes, valid_until, total_fen, note, created_by)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6), $7, $8, $9) ON CONFLICT (rfq_id, supplier_id) DO NOTHING RETURNING id`,
      [q.id, q.rfqId, q.supplierId, q.locationId, q.deliveryMinutes, q.validHours, q.totalFen, q.note, q.actor],
    );
    if (rows.length === 0) return false;
    await tx.query(
      `INSERT INTO rfq_quote_lines (quote_id, line_no, sku_id, unit_price_fen) SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::bigint[])`,
      [q.id, lines.map((l) => l.lineNo), lines.map((l) => l.skuId), lines.map((l) => l.unitPriceFen)],
    );
    // A request lapses at its window's close or when its last quote's price lapses, whichever is later.
    await tx.query(
      "UPDATE rfqs SET expires_at = GREATEST(expires_at, (SELECT valid_until FROM rfq_quotes WHERE id = $2)), updated_at = now() WHERE id = $1",
      [q.rfqId, q.id],
    );
    return true;
  },

  async setStatus(
    tx: Sql,
    id: string,
    from: RfqStatus,
    to: RfqStatus,
    actor: string,
    extra: { acceptedQuoteId?: string | null; orderId?: string | null } = {},
  ): Promise<void> {
    await tx.query(
      `UPDATE rfqs SET status = $3, updated_at = now(),
              accepted_quote_id = CASE WHEN $4::boolean THEN $5::text ELSE accepted_quote_id END,
              order_id = CASE WHEN $6::boolean THEN $7::text ELSE order_id END
        WHERE id = $1 AND status = $2`,
      [
        id,
        from,
        to,
        "acceptedQuoteId" in extra,
        extra.acceptedQuoteId ?? null,
        "orderId" in extra,
        extra.orderId ?? null,
      ],
    );
    if (from !== to)
      await tx.query("INSERT INTO rfq_events (rfq_id, from_status, to_status, actor) VALUES ($1, $2, $3, $4)", [
        id,
        from,
        to,
        actor,
      ]);
  },

  async setOrder(tx: Sql, id: string, orderId: string): Promise<void> {
    await tx.query("UPDATE rfqs SET order_id = $2, updated_at = now() WHERE id = $1", [id, orderId]);
  },

  async events(db: Sql, id: string) {
    const { rows } = await db.query<{ from: RfqStatus | null; to: RfqStatus; actor: string; at: string }>(
      'SELECT from_status AS "from", to_status AS "to", actor, at FROM rfq_events WHERE rfq_id = $1 ORDER BY id',
      [id],
    );
    return rows;
  },
};
