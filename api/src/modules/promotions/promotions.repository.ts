import type { Sql } from "../../../../ledger-service/src/index.js";

export interface PromotionRow {
  id: string;
  sellerId: string;
  skuId: number;
  regionPrefix: string;
  percentOff: number | null;
  fenOff: number | null;
  startsAt: string;
  endsAt: string;
  holdoutPct: number;
  createdAt: string;
}

const COLS = `p.id, p.seller_id AS "sellerId", p.sku_id::int AS "skuId", p.region_prefix AS "regionPrefix", p.percent_off AS "percentOff",
  p.fen_off::float8 AS "fenOff", p.starts_at AS "startsAt", p.ends_at AS "endsAt", p.holdout_pct AS "holdoutPct", p.created_at AS "createdAt"`;

/**
 * The only SQL of promotions. Demand and conversion are read from the search log, orders and stock (read-only
 * analytics, like the forecasting module's regional demand).
 */
export const promotionsRepository = {
  /**
   * Running promotions of these SKUs for a shop's region: the price comparison's one extra lookup (index
   * promotions_sku_running), with the shop's region read in the same statement.
   */
  async running(db: Sql, skuIds: number[], shopId: string): Promise<PromotionRow[]> {
    const { rows } = await db.query<PromotionRow>(
      `SELECT ${COLS} FROM promotions p JOIN companies c ON c.id = $2 AND c.kind = 'repair_shop'
        WHERE p.sku_id = ANY($1::bigint[]) AND p.ends_at > now() AND p.starts_at <= now()
          AND left(c.region_code, length(p.region_prefix)) = p.region_prefix`,
      [skuIds, shopId],
    );
    return rows;
  },

  async insert(
    tx: Sql,
    p: Omit<PromotionRow, "createdAt" | "startsAt" | "endsAt"> & { startsAt: string; endsAt: string; actor: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO promotions (id, seller_id, sku_id, region_prefix, percent_off, fen_off, starts_at, ends_at, holdout_pct, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [p.id, p.sellerId, p.skuId, p.regionPrefix, p.percentOff, p.fenOff, p.startsAt, p.endsAt, p.holdoutPct, p.actor],
    );
  },

  async get(db: Sql, id: string): Promise<PromotionRow | null> {
    const { rows } = await db.query<PromotionRow>(`SELECT ${COLS} FROM promotions p WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  },

  async listOfSeller(db: Sql, sellerId: string, limit: number): Promise<PromotionRow[]> {
    const { rows } = await db.query<PromotionRow>(
      `SELECT ${COLS} FROM promotions p WHERE p.seller_id = $1 ORDER BY p.created_at DESC, p.id LIMIT $2`,
      [sellerId, limit],
    );
    return rows;
  },

  /** Units of the SKU the seller has available (on hand − reserved) over its warehouses. */
  async available(db: Sql, sellerId: string, skuId: number): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT COALESCE(sum(s.on_hand - s.reserved), 0)::int AS n FROM stock s JOIN supplier_locations l ON l.id = s.location_id
        WHERE l.company_id = $1 AND s.sku_id = $2`,
      [sellerId, skuId],
    );
    return rows[0]!.n;
  },

  /**
   * Demand the seller could meet: per SKU it has available in a province and city of that province (GB/T 2260 4-digit
   * prefix), the searches whose top hit was the SKU over the last `days`, the shops searching, and the orders of it by
   * buyers in that city; cities where fewer shops ordered than searched, most unmet first.
   */
  async suggestions(db: Sql, sellerId: string, days: number, minSearchers: number) {
    const { rows } = await db.query<{
      skuId: number;
      brand: string;
      partNo: string;
      name: string;
      regionPrefix: string;
      searches: number;
      searchers: number;
      orders: number;
      available: number;
    }>(
      `WITH mine AS (
         SELECT s.sku_id, left(l.region_code, 2) AS province, sum(s.on_hand - s.reserved)::int AS available
           FROM stock s JOIN supplier_locations l ON l.id = s.location_id
          WHERE l.company_id = $1 AND s.on_hand - s.reserved > 0 GROUP BY 1, 2
       ), demand AS (
         SELECT q.top_sku_id AS sku_id, left(q.region_code, 4) AS city, count(*)::int AS searches, count(DISTINCT q.company_id)::int AS searchers
           FROM catalog_searches q
          WHERE q.top_sku_id IN (SELECT sku_id FROM mine) AND q.at >= now() - make_interval(days => $2) AND q.region_code IS NOT NULL
          GROUP BY 1, 2
       ), ordered AS (
         SELECT l.sku_id, left(c.region_code, 4) AS city, count(DISTINCT o.buyer_id)::int AS orders
           FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN companies c ON c.id = o.buyer_id
          WHERE o.created_at >= now() - make_interval(days => $2) AND l.sku_id IN (SELECT sku_id FROM mine) AND o.status <> 'cancelled'
          GROUP BY 1, 2
       )
       SELECT d.sku_id::int AS "skuId", k.brand, k.part_no AS "partNo", k.name, d.city AS "regionPrefix", d.searches, d.searchers,
              COALESCE(o.orders, 0) AS orders, m.available
         FROM demand d JOIN mine m ON m.sku_id = d.sku_id AND m.province = left(d.city, 2)
         JOIN catalog_skus k ON k.id = d.sku_id
         LEFT JOIN ordered o ON o.sku_id = d.sku_id AND o.city = d.city
        WHERE d.searchers >= $3 AND COALESCE(o.orders, 0) < d.searchers
        ORDER BY d.searchers - COALESCE(o.orders, 0) DESC, d.searches DESC, d.sku_id, d.city LIMIT 50`,
      [sellerId, days, minSearchers],
    );
    return rows;
  },

  /**
   * Each shop of the promotion's region that searched for its SKU (top hit) while it ran, and whether it then ordered
   * the SKU (from anyone, not cancelled) before the promotion ended.
   */
  async exposures(db: Sql, id: string): Promise<Array<{ shopId: string; converted: boolean }>> {
    const { rows } = await db.query<{ shopId: string; converted: boolean }>(
      `WITH p AS (SELECT * FROM promotions WHERE id = $1),
       first AS (
         SELECT q.company_id, min(q.at) AS at FROM catalog_searches q JOIN p ON q.top_sku_id = p.sku_id AND q.at >= p.starts_at AND q.at < p.ends_at
           JOIN companies c ON c.id = q.company_id AND c.kind = 'repair_shop'
          WHERE left(c.region_code, length(p.region_prefix)) = p.region_prefix
          GROUP BY 1
       )
       SELECT f.company_id AS "shopId",
              EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id, p
                       WHERE o.buyer_id = f.company_id AND l.sku_id = p.sku_id AND o.created_at >= f.at AND o.created_at < p.ends_at
                         AND o.status <> 'cancelled') AS converted
         FROM first f ORDER BY 1`,
      [id],
    );
    return rows;
  },
};
