import type { Sql } from "../../../../ledger-service/src/index.js";
import type { DeliveryStatus } from "./service-states.js";

export interface TariffRow {
  id: string;
  providerId: string;
  providerName: string;
  name: string;
  baseFen: number;
  perKmFen: number;
  perKgFen: number;
  areaCodes: string[];
  createdAt: string;
}
export interface DeliveryRow {
  id: string;
  tariffId: string;
  tariffName: string;
  providerId: string;
  providerName: string;
  customerId: string;
  customerName: string;
  orderId: string;
  locationId: string;
  pickupName: string;
  pickupRegion: string;
  dropName: string;
  dropRegion: string;
  dropLng: number;
  dropLat: number;
  distanceM: number;
  weightG: number;
  baseFen: number;
  perKmFen: number;
  perKgFen: number;
  chargeFen: number;
  status: DeliveryStatus;
  createdAt: string;
  updatedAt: string;
}
export type NewDelivery = Omit<
  DeliveryRow,
  "tariffName" | "providerName" | "customerName" | "status" | "createdAt" | "updatedAt"
> & { by: string };

const TARIFF_FROM = `SELECT t.id, t.provider_id AS "providerId", p.name AS "providerName", t.name,
  t.base_fen::float8 AS "baseFen", t.per_km_fen::float8 AS "perKmFen", t.per_kg_fen::float8 AS "perKgFen",
  t.area_codes AS "areaCodes", t.created_at AS "createdAt"
  FROM service_delivery_tariffs t JOIN companies p ON p.id = t.provider_id`;
const DELIVERY_FROM = `SELECT d.id, d.tariff_id AS "tariffId", t.name AS "tariffName", d.provider_id AS "providerId",
  p.name AS "providerName", d.customer_id AS "customerId", c.name AS "customerName", d.order_id AS "orderId",
  d.location_id AS "locationId", d.pickup_name AS "pickupName", d.pickup_region AS "pickupRegion",
  d.drop_name AS "dropName", d.drop_region AS "dropRegion", d.drop_lng AS "dropLng", d.drop_lat AS "dropLat",
  d.distance_m AS "distanceM", d.weight_g AS "weightG", d.base_fen::float8 AS "baseFen",
  d.per_km_fen::float8 AS "perKmFen", d.per_kg_fen::float8 AS "perKgFen", d.charge_fen::float8 AS "chargeFen",
  d.status, d.created_at AS "createdAt", d.updated_at AS "updatedAt"
  FROM service_deliveries d JOIN service_delivery_tariffs t ON t.id = d.tariff_id
  JOIN companies p ON p.id = d.provider_id JOIN companies c ON c.id = d.customer_id`;

/** The only SQL on delivery tariffs and deliveries. */
export const deliveriesRepository = {
  async insertTariff(tx: Sql, t: Omit<TariffRow, "providerName" | "createdAt"> & { by: string }): Promise<void> {
    await tx.query(
      `INSERT INTO service_delivery_tariffs (id, provider_id, name, base_fen, per_km_fen, per_kg_fen, area_codes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8)`,
      [t.id, t.providerId, t.name, t.baseFen, t.perKmFen, t.perKgFen, t.areaCodes, t.by],
    );
  },
  async tariffs(db: Sql, providerId: string | null, limit: number, id?: string): Promise<TariffRow[]> {
    const { rows } = await db.query<TariffRow>(
      `${TARIFF_FROM} WHERE ($1::text IS NULL OR t.provider_id = $1) AND ($3::text IS NULL OR t.id = $3)
        ORDER BY t.created_at DESC, t.id LIMIT $2`,
      [providerId, limit, id ?? null],
    );
    return rows;
  },
  async insert(tx: Sql, d: NewDelivery): Promise<void> {
    await tx.query(
      `INSERT INTO service_deliveries (id, tariff_id, provider_id, customer_id, order_id, location_id, pickup_name,
         pickup_region, drop_name, drop_region, drop_lng, drop_lat, distance_m, weight_g, base_fen, per_km_fen,
         per_kg_fen, charge_fen, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        d.id,
        d.tariffId,
        d.providerId,
        d.customerId,
        d.orderId,
        d.locationId,
        d.pickupName,
        d.pickupRegion,
        d.dropName,
        d.dropRegion,
        d.dropLng,
        d.dropLat,
        d.distanceM,
        d.weightG,
        d.baseFen,
        d.perKmFen,
        d.perKgFen,
        d.chargeFen,
        d.by,
      ],
    );
  },
  async get(db: Sql, id: string, lock = false): Promise<DeliveryRow | null> {
    const { rows } = await db.query<DeliveryRow>(`${DELIVERY_FROM} WHERE d.id = $1${lock ? " FOR UPDATE OF d" : ""}`, [
      id,
    ]);
    return rows[0] ?? null;
  },
  /** "order location" of the live (not cancelled) deliveries of these orders. */
  async liveFor(db: Sql, orderIds: string[]): Promise<Set<string>> {
    if (!orderIds.length) return new Set();
    const { rows } = await db.query<{ k: string }>(
      `SELECT order_id || ' ' || location_id AS k FROM service_deliveries
        WHERE order_id = ANY($1::text[]) AND status <> 'cancelled'`,
      [orderIds],
    );
    return new Set(rows.map((r) => r.k));
  },

  /**
   * A company's deliveries, newest first: those it booked, those it carries, and those the other party of the order
   * booked on its shipment (the order's buyer; the seller of that warehouse's part).
   */
  async list(db: Sql, companyId: string, limit: number): Promise<DeliveryRow[]> {
    const { rows } = await db.query<DeliveryRow>(
      `${DELIVERY_FROM} WHERE d.customer_id = $1 OR d.provider_id = $1
          OR d.order_id IN (SELECT o.id FROM orders o WHERE o.buyer_id = $1)
          OR EXISTS (SELECT 1 FROM order_allocations a
                      WHERE a.order_id = d.order_id AND a.location_id = d.location_id AND a.seller_id = $1)
        ORDER BY d.created_at DESC, d.id LIMIT $2`,
      [companyId, limit],
    );
    return rows;
  },
  async setStatus(tx: Sql, id: string, status: DeliveryStatus): Promise<void> {
    await tx.query(`UPDATE service_deliveries SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  },
};
