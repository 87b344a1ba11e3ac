import type { Sql } from "../../../../ledger-service/src/index.js";
import type { OrderStatus } from "./order-states.js";

export interface OrderRow {
  id: string;
  buyerId: string;
  status: OrderStatus;
  urgent: boolean;
  policy: "all_or_nothing" | "partial";
  shipTo: { lng: number; lat: number };
  totalFen: number;
  carrier: string | null;
  trackingNo: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AllocationRow {
  lineNo: number;
  skuId: number;
  locationId: string;
  sellerId: string;
  quantity: number;
  priceFen: number;
  distanceM: number;
}

const ORDER_COLS = `o.id, o.buyer_id AS "buyerId", o.status, o.urgent, o.policy, json_build_object('lng', o.ship_lng, 'lat', o.ship_lat) AS "shipTo",
  o.total_fen::int AS "totalFen", o.carrier, o.tracking_no AS "trackingNo", o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/** The only SQL on orders, their lines, allocations and status history. */
export const ordersRepository = {
  /**
   * The order, its lines, allocations and first two history rows, in one deferred statement (Sql.defer: sent with the
   * transaction's other writes), stamped `at`.
   */
  async insert(
    tx: Sql,
    o: {
      id: string;
      buyerId: string;
      status: OrderStatus;
      urgent: boolean;
      policy: string;
      shipTo: { lng: number; lat: number };
      totalFen: number;
    },
    lines: Array<{ lineNo: number; skuId: number; quantity: number; allocated: number }>,
    allocations: AllocationRow[],
    actor: string,
    at: string,
  ): Promise<void> {
    await tx.defer(
      `WITH ord_row AS (INSERT INTO orders (id, buyer_id, status, urgent, policy, ship_lng, ship_lat, total_fen, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $20, $20)),
            ord_lines AS (INSERT INTO order_lines (order_id, line_no, sku_id, quantity, allocated) SELECT $1, * FROM unnest($9::int[], $10::bigint[], $11::int[], $12::int[])),
            ord_allocs AS (INSERT INTO order_allocations (order_id, line_no, location_id, seller_id, quantity, price_fen, distance_m)
                  SELECT $1, * FROM unnest($13::int[], $14::text[], $15::text[], $16::int[], $17::bigint[], $18::int[]))
       INSERT INTO order_events (order_id, from_status, to_status, actor, at) VALUES ($1, NULL, 'placed', $19, $20), ($1, 'placed', $3, 'system', $20)`,
      [
        o.id,
        o.buyerId,
        o.status,
        o.urgent,
        o.policy,
        o.shipTo.lng,
        o.shipTo.lat,
        o.totalFen,
        lines.map((l) => l.lineNo),
        lines.map((l) => l.skuId),
        lines.map((l) => l.quantity),
        lines.map((l) => l.allocated),
        allocations.map((a) => a.lineNo),
        allocations.map((a) => a.locationId),
        allocations.map((a) => a.sellerId),
        allocations.map((a) => a.quantity),
        allocations.map((a) => a.priceFen),
        allocations.map((a) => a.distanceM),
        actor,
        at,
      ],
    );
  },

  async get(db: Sql, id: string, lock = false): Promise<OrderRow | null> {
    const { rows } = await db.query<OrderRow>(
      `SELECT ${ORDER_COLS} FROM orders o WHERE o.id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  /** Orders a seller took part in whose buyers confirmed delivery (delivered or completed) in the last `days` days, and their value. */
  async deliveredAsSeller(db: Sql, companyId: string, days: number): Promise<{ orders: number; valueFen: number }> {
    const { rows } = await db.query<{ orders: number; valueFen: number }>(
      `SELECT count(DISTINCT o.id)::int AS orders, COALESCE(sum(a.quantity * a.price_fen), 0)::float8 AS "valueFen"
         FROM order_allocations a JOIN orders o ON o.id = a.order_id
        WHERE a.seller_id = $1 AND o.status IN ('delivered', 'completed') AND o.updated_at > now() - make_interval(days => $2)`,
      [companyId, days],
    );
    return rows[0]!;
  },

  async lines(db: Sql, id: string) {
    const { rows } = await db.query<{ lineNo: number; skuId: number; quantity: number; allocated: number }>(
      'SELECT line_no AS "lineNo", sku_id::int AS "skuId", quantity, allocated FROM order_lines WHERE order_id = $1 ORDER BY line_no',
      [id],
    );
    return rows;
  },

  /** Allocations in the global stock-lock order (location, SKU), so releases and sales never deadlock with orders. */
  async allocations(db: Sql, id: string): Promise<AllocationRow[]> {
    const { rows } = await db.query<AllocationRow>(
      `SELECT a.line_no AS "lineNo", l.sku_id::int AS "skuId", a.location_id AS "locationId", a.seller_id AS "sellerId", a.quantity, a.price_fen::int AS "priceFen", a.distance_m AS "distanceM"
         FROM order_allocations a JOIN order_lines l ON l.order_id = a.order_id AND l.line_no = a.line_no
        WHERE a.order_id = $1 ORDER BY a.location_id, l.sku_id`,
      [id],
    );
    return rows;
  },

  async events(db: Sql, id: string) {
    const { rows } = await db.query(
      'SELECT from_status AS "from", to_status AS "to", actor, at FROM order_events WHERE order_id = $1 ORDER BY id',
      [id],
    );
    return rows;
  },

  async setStatus(
    tx: Sql,
    id: string,
    from: OrderStatus,
    to: OrderStatus,
    actor: string,
    shipment?: { carrier: string; trackingNo: string },
  ) {
    await tx.query(
      "UPDATE orders SET status = $2, carrier = COALESCE($3, carrier), tracking_no = COALESCE($4, tracking_no), updated_at = now() WHERE id = $1",
      [id, to, shipment?.carrier ?? null, shipment?.trackingNo ?? null],
    );
    await tx.query("INSERT INTO order_events (order_id, from_status, to_status, actor) VALUES ($1, $2, $3, $4)", [
      id,
      from,
      to,
      actor,
    ]);
  },

  async insertParts(
    tx: Sql,
    orderId: string,
    parts: ReadonlyArray<{ gtin: string; serial: string }>,
    shippedBy: string,
  ) {
    await tx.query(
      "INSERT INTO order_parts (order_id, gtin, serial, shipped_by) SELECT $1, * FROM unnest($2::text[], $3::text[]), (SELECT $4::text) s ON CONFLICT DO NOTHING",
      [orderId, parts.map((p) => p.gtin), parts.map((p) => p.serial), shippedBy],
    );
  },

  async parts(db: Sql, orderId: string): Promise<Array<{ gtin: string; serial: string }>> {
    const { rows } = await db.query<{ gtin: string; serial: string }>(
      "SELECT gtin, serial FROM order_parts WHERE order_id = $1 ORDER BY gtin, serial",
      [orderId],
    );
    return rows;
  },

  /** Orders a serial was shipped on, with their buyer and shipper (returns check the unit is the one sold). */
  async salesOfSerial(db: Sql, gtin: string, serial: string) {
    const { rows } = await db.query<{ orderId: string; buyerId: string; shippedBy: string }>(
      `SELECT p.order_id AS "orderId", o.buyer_id AS "buyerId", p.shipped_by AS "shippedBy"
         FROM order_parts p JOIN orders o ON o.id = p.order_id WHERE p.gtin = $1 AND p.serial = $2 ORDER BY o.created_at`,
      [gtin, serial],
    );
    return rows;
  },

  /** When the buyer confirmed delivery (null: not delivered yet). */
  async deliveredAt(db: Sql, id: string): Promise<string | null> {
    const { rows } = await db.query<{ at: string }>(
      "SELECT at FROM order_events WHERE order_id = $1 AND to_status = 'delivered' ORDER BY id LIMIT 1",
      [id],
    );
    return rows[0]?.at ?? null;
  },

  async listFor(db: Sql, companyId: string, limit: number): Promise<OrderRow[]> {
    const { rows } = await db.query<OrderRow>(
      `SELECT ${ORDER_COLS} FROM orders o WHERE o.buyer_id = $1 OR EXISTS (SELECT 1 FROM order_allocations a WHERE a.order_id = o.id AND a.seller_id = $1)
        ORDER BY o.created_at DESC LIMIT $2`,
      [companyId, limit],
    );
    return rows;
  },

  /**
   * Each warehouse's part of my orders (as the buyer or the seller) in the given states, newest order first: what a
   * delivery may be booked for. One row per order × warehouse.
   */
  async shipmentsFor(
    db: Sql,
    companyId: string,
    statuses: string[],
    limit: number,
    offset = 0,
  ): Promise<ShipmentRow[]> {
    const { rows } = await db.query<ShipmentRow>(
      `SELECT o.id AS "orderId", o.status AS "orderStatus", o.buyer_id AS "buyerId", b.name AS "buyerName",
              b.region_code AS "buyerRegion", a.location_id AS "locationId", min(a.seller_id) AS "sellerId",
              l.name AS "locationName",
              l.region_code AS "regionCode", l.seller_name AS "sellerName", sum(a.quantity)::int AS units,
              min(a.distance_m)::int AS "distanceM",
              o.created_at AS "createdAt"
         FROM (SELECT id FROM orders WHERE buyer_id = $1 AND status = ANY($2::text[])
               UNION SELECT order_id FROM order_allocations WHERE seller_id = $1) mine
         JOIN orders o ON o.id = mine.id JOIN order_allocations a ON a.order_id = o.id
         JOIN (SELECT sl.*, c.name AS seller_name FROM supplier_locations sl JOIN companies c ON c.id = sl.company_id) l
           ON l.id = a.location_id
         JOIN companies b ON b.id = o.buyer_id
        WHERE o.status = ANY($2::text[]) AND (o.buyer_id = $1 OR a.seller_id = $1)
        GROUP BY o.id, b.name, b.region_code, a.location_id, l.name, l.region_code, l.seller_name
        ORDER BY o.created_at DESC, o.id, a.location_id LIMIT $3 OFFSET $4`,
      [companyId, statuses, limit, offset],
    );
    return rows;
  },
};

export interface ShipmentRow {
  orderId: string;
  orderStatus: string;
  buyerId: string;
  buyerName: string;
  /** The buyer's region: where the shipment is dropped. */
  buyerRegion: string;
  locationId: string;
  sellerId: string;
  sellerName: string;
  locationName: string;
  regionCode: string;
  units: number;
  distanceM: number;
  createdAt: Date;
}
