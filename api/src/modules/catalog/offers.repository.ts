import type { Sql } from "../../../../ledger-service/src/index.js";

export interface Box {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/** A live pool offer (inventory module): orderable stock at a price its owner set. */
export interface PoolStock {
  skuId: number;
  locationId: string;
  priceFen: number;
  available: number;
}

export interface OfferRow {
  sku_id: number;
  brand: string;
  /** catalog_brands.name; null when no import named the brand (brandDisplayName falls back). */
  brand_name: string | null;
  part_no: string;
  name: string;
  price_fen: string;
  customer_price: string | null;
  stock: number;
  /** 'pool' for live stock; 'public' or 'customers' for price-list offers. */
  visibility: string;
  location_id: string;
  location: string;
  company_id: string;
  company: string;
  lng: number;
  lat: number;
  prep_minutes: number;
  scanned: number | null;
  genuine: number | null;
}

/** The only SQL of supplier locations, offers, customer prices and provenance scores. */
export const offersRepository = {
  /**
   * Offers of these SKUs inside a box: the given live pool stock, and price-list offers the buyer may see (public, or
   * customers-only with a price for them) where no live stock of the same SKU and location was given.
   */
  async near(db: Sql, skuIds: number[], buyerId: string, box: Box, pool: PoolStock[]): Promise<OfferRow[]> {
    const { rows } = await db.query<OfferRow>(
      `WITH offers AS (
         SELECT u.sku_id, u.location_id, u.price_fen, NULL::bigint AS customer_price, u.available AS stock, 'pool' AS visibility
           FROM unnest($7::bigint[], $8::text[], $9::bigint[], $10::int[]) AS u(sku_id, location_id, price_fen, available)
         UNION ALL
         SELECT o.sku_id, o.location_id, o.price_fen, cp.price_fen, o.stock, o.visibility
           FROM supplier_offers o JOIN supplier_locations l ON l.id = o.location_id
           LEFT JOIN customer_prices cp ON cp.seller_id = l.company_id AND cp.buyer_id = $2 AND cp.sku_id = o.sku_id
          WHERE o.sku_id = ANY($1::bigint[]) AND o.stock > 0 AND l.lat BETWEEN $3 AND $4 AND l.lng BETWEEN $5 AND $6
            AND (o.visibility = 'public' OR cp.price_fen IS NOT NULL)
            AND NOT EXISTS (SELECT 1 FROM unnest($7::bigint[], $8::text[]) AS p(sku_id, location_id) WHERE p.sku_id = o.sku_id AND p.location_id = o.location_id)
       )
       SELECT o.sku_id::int AS sku_id, s.brand,
              (SELECT b.name FROM catalog_brands b WHERE b.id = s.brand) AS brand_name, s.part_no, s.name, o.price_fen, o.customer_price, o.stock, o.visibility,
              l.id AS location_id, l.name AS location, l.company_id, c.name AS company, l.lng, l.lat, l.prep_minutes, sc.scanned, sc.genuine
         FROM offers o
         JOIN supplier_locations l ON l.id = o.location_id
         JOIN companies c ON c.id = l.company_id
         JOIN catalog_skus s ON s.id = o.sku_id
         LEFT JOIN supplier_scores sc ON sc.company_id = l.company_id AND sc.brand = s.brand
        LIMIT 5000`,
      [
        skuIds,
        buyerId,
        box.minLat,
        box.maxLat,
        box.minLng,
        box.maxLng,
        pool.map((x) => x.skuId),
        pool.map((x) => x.locationId),
        pool.map((x) => x.priceFen),
        pool.map((x) => x.available),
      ],
    );
    return rows;
  },

  /** Every SKU answering to a normalised number as its OE or brand number, and the SKUs sharing that number. */
  async answeringTo(db: Sql, norm: string): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT DISTINCT o.sku_id::int AS id FROM catalog_numbers n JOIN catalog_numbers o ON o.norm = n.norm AND o.kind IN ('oe', 'brand')
        WHERE n.norm = $1 LIMIT 200`,
      [norm],
    );
    return rows.map((r) => r.id);
  },

  /** The SKU and every SKU sharing one of its OE numbers. */
  async interchangeable(db: Sql, skuId: number): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT $1::bigint::int AS id FROM catalog_skus WHERE id = $1
       UNION SELECT DISTINCT o.sku_id::int FROM catalog_numbers n JOIN catalog_numbers o ON o.norm = n.norm AND o.kind = 'oe'
          WHERE n.sku_id = $1 AND n.kind = 'oe' LIMIT 200`,
      [skuId],
    );
    return rows.map((r) => r.id);
  },

  /** A new location; false when the company has one with this code. */
  async insertLocation(
    tx: Sql,
    l: {
      id: string;
      companyId: string;
      code: string;
      name: string;
      regionCode: string;
      lng: number;
      lat: number;
      prepMinutes: number;
    },
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat, prep_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (company_id, code) DO NOTHING RETURNING id`,
      [l.id, l.companyId, l.code, l.name, l.regionCode, l.lng, l.lat, l.prepMinutes],
    );
    return rows.length === 1;
  },

  async locations(db: Sql, companyId: string | null) {
    const { rows } = await db.query(
      'SELECT id, code, name, region_code AS "regionCode", lng, lat, prep_minutes AS "prepMinutes", shared FROM supplier_locations WHERE company_id = $1 ORDER BY code',
      [companyId],
    );
    return rows;
  },

  /** Upserts price-list offers by (SKU, location). */
  async upsertOffers(
    tx: Sql,
    list: Array<{ skuId: number; locationId: string; priceFen: number; stock: number; visibility: string }>,
  ) {
    if (list.length === 0) return;
    await tx.query(
      `INSERT INTO supplier_offers (sku_id, location_id, price_fen, stock, visibility)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[], $5::text[])
       ON CONFLICT (sku_id, location_id) DO UPDATE SET price_fen = EXCLUDED.price_fen, stock = EXCLUDED.stock, visibility = EXCLUDED.visibility, updated_at = now()`,
      [
        list.map((r) => r.skuId),
        list.map((r) => r.locationId),
        list.map((r) => r.priceFen),
        list.map((r) => r.stock),
        list.map((r) => r.visibility),
      ],
    );
  },

  async companyExists(db: Sql, id: string): Promise<boolean> {
    const { rows } = await db.query("SELECT 1 FROM companies WHERE id = $1", [id]);
    return rows.length === 1;
  },

  async setCustomerPrice(tx: Sql, sellerId: string | null, buyerId: string, skuId: number, priceFen: number) {
    await tx.query(
      "INSERT INTO customer_prices (seller_id, buyer_id, sku_id, price_fen) VALUES ($1, $2, $3, $4) ON CONFLICT (seller_id, buyer_id, sku_id) DO UPDATE SET price_fen = EXCLUDED.price_fen",
      [sellerId, buyerId, skuId, priceFen],
    );
  },

  /**
   * Per seller and product brand: parts it sold (a receiving event whose previous event was another company's) that the
   * buyer scanned afterwards, and how many of those verified genuine with no clone or unknown verdict.
   */
  async judgedSales(db: Sql) {
    const { rows } = await db.query<{ seller: string; brand: string; scanned: number; genuine: number }>(
      `WITH sales AS (
         SELECT e2.part_key, e2.recorded_at, e2.actor AS buyer, e1.actor AS seller_addr
           FROM ledger_events e2 JOIN ledger_events e1 ON e1.struct_hash = decode(substr(e2.fields->>'prevHash', 3), 'hex')
          WHERE e2.step = 2 AND lower(e1.actor) <> lower(e2.actor)
       ), judged AS (
         SELECT a.id AS seller, p.brand, s.part_key,
                bool_or(sc.verdict IN ('GENUINE', 'GENUINE_PENDING_ANCHOR')) AS good, bool_or(sc.verdict IN ('UNKNOWN', 'SUSPECT_CLONE')) AS bad
           FROM sales s
           JOIN ledger_actors a ON lower(a.address) = lower(s.seller_addr)
           JOIN ledger_parts lp ON lp.part_key = s.part_key
           JOIN products p ON p.gtin = lp.gtin
           JOIN scans sc ON sc.part_key = s.part_key AND sc.scanned_at >= s.recorded_at
          GROUP BY 1, 2, 3
       )
       SELECT seller, brand, count(*)::int AS scanned, (count(*) FILTER (WHERE good AND NOT bad))::int AS genuine FROM judged GROUP BY 1, 2`,
    );
    return rows;
  },

  async upsertScores(tx: Sql, list: Array<{ seller: string; brand: string; scanned: number; genuine: number }>) {
    if (list.length === 0) return;
    await tx.query(
      `INSERT INTO supplier_scores (company_id, brand, scanned, genuine) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[])
       ON CONFLICT (company_id, brand) DO UPDATE SET scanned = EXCLUDED.scanned, genuine = EXCLUDED.genuine, updated_at = now()`,
      [list.map((l) => l.seller), list.map((l) => l.brand), list.map((l) => l.scanned), list.map((l) => l.genuine)],
    );
  },
};
