import type { Sql } from "../../../../ledger-service/src/index.js";

export type Scope = "warehouse" | "city" | "province";
export type Granularity = "day" | "month";

export interface ForecastRow {
  id: number;
  scope: Scope;
  scopeId: string;
  skuId: number;
  granularity: Granularity;
  origin: string;
  fittedAt: string;
  model: string;
  mean: number[];
  quantiles: Record<string, number[]>;
  cvMase: number | null;
  maseScale: number | null;
  historyLen: number;
  seasonal: number[];
  distribution: { kind: "count"; dispersion: number } | { kind: "empirical"; errors: number[] } | null;
}

export interface SeasonalRow {
  id: number;
  partType: string;
  provinceCode: string;
  month: number;
  factor: number;
  reasonZh: string;
  reasonEn: string;
  source: "manual" | "learned";
  updatedBy: string | null;
  updatedAt: string;
}

export interface SettingsRow {
  criticalLevel: number;
  normalLevel: number;
  slowLevel: number;
  leadDays: number;
  reviewDays: number;
}

/** Demand of one period: allocated units at a warehouse, or ordered units at a buyer's point. */
export interface DemandCell {
  skuId: number;
  /** The period's first day, YYYY-MM-DD (Asia/Shanghai). */
  period: string;
  quantity: number;
}

const FC = `id::int, scope, scope_id AS "scopeId", sku_id::int AS "skuId", granularity, origin::text AS origin, fitted_at AS "fittedAt", model, mean, quantiles,
  cv_mase AS "cvMase", mase_scale AS "maseScale", history_len AS "historyLen", seasonal, distribution`;
const SF = `id::int, part_type AS "partType", province_code AS "provinceCode", month::int AS month, factor, reason_zh AS "reasonZh", reason_en AS "reasonEn",
  source, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

/** The period an order's time falls in, in Asia/Shanghai, as YYYY-MM-DD of its first day. */
const period = (unit: Granularity) => `date_trunc('${unit}', o.created_at AT TIME ZONE 'Asia/Shanghai')::date::text`;

/** The only SQL on forecasts, the seasonal calendar and replenishment settings (demand is read from orders). */
export const forecastRepository = {
  /**
   * Units allocated from warehouses per SKU and period (orders not cancelled, placed in [from, to)). `locations`
   * limits the warehouses; `skuIds` (optional) the SKUs.
   */
  async warehouseDemand(
    db: Sql,
    unit: Granularity,
    locations: readonly string[],
    skuIds: readonly number[] | null,
    from: string,
    to: string,
  ) {
    const { rows } = await db.query<DemandCell & { locationId: string; urgent: number }>(
      `SELECT a.location_id AS "locationId", l.sku_id::int AS "skuId", ${period(unit)} AS period, sum(a.quantity)::int AS quantity,
              COALESCE(sum(a.quantity) FILTER (WHERE o.urgent), 0)::int AS urgent
         FROM order_allocations a JOIN order_lines l USING (order_id, line_no) JOIN orders o ON o.id = a.order_id
        WHERE a.location_id = ANY($1::text[]) AND ($2::bigint[] IS NULL OR l.sku_id = ANY($2::bigint[]))
          AND o.status <> 'cancelled' AND o.created_at >= $3::timestamptz AND o.created_at < $4::timestamptz
        GROUP BY 1, 2, 3`,
      [locations, skuIds, from, to],
    );
    return rows;
  },

  /**
   * Units ordered (allocated and unfilled alike) per SKU, period and delivery point rounded to 0.01° (about 1 km):
   * the caller attributes each point to its nearest city. `skuIds` null: every SKU.
   */
  async orderedDemand(db: Sql, unit: Granularity, skuIds: readonly number[] | null, from: string, to: string) {
    const { rows } = await db.query<DemandCell & { lng: number; lat: number; unfilled: number }>(
      `SELECT l.sku_id::int AS "skuId", ${period(unit)} AS period, round(o.ship_lng::numeric, 2)::float8 AS lng, round(o.ship_lat::numeric, 2)::float8 AS lat,
              sum(l.quantity)::int AS quantity, sum(l.quantity - l.allocated)::int AS unfilled
         FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE ($1::bigint[] IS NULL OR l.sku_id = ANY($1::bigint[])) AND o.status <> 'cancelled'
          AND o.created_at >= $2::timestamptz AND o.created_at < $3::timestamptz
        GROUP BY 1, 2, 3, 4`,
      [skuIds, from, to],
    );
    return rows;
  },

  /** Searches that found nothing, per province (from the searcher's region), placed in [from, to). */
  async emptySearches(db: Sql, from: string, to: string) {
    const { rows } = await db.query<{ provinceCode: string; searches: number }>(
      `SELECT substr(region_code, 1, 2) || '0000' AS "provinceCode", count(*)::int AS searches FROM catalog_searches
        WHERE result_count = 0 AND region_code IS NOT NULL AND at >= $1::timestamptz AND at < $2::timestamptz GROUP BY 1`,
      [from, to],
    );
    return rows;
  },

  /** A company's warehouses with their region and position. */
  async warehouses(db: Sql, companyIds: readonly string[] | null) {
    const { rows } = await db.query<{ id: string; companyId: string; regionCode: string; lng: number; lat: number }>(
      `SELECT id, company_id AS "companyId", region_code AS "regionCode", lng, lat FROM supplier_locations
        WHERE $1::text[] IS NULL OR company_id = ANY($1::text[]) ORDER BY id`,
      [companyIds],
    );
    return rows;
  },

  async warehouse(db: Sql, id: string) {
    const { rows } = await db.query<{ id: string; companyId: string; regionCode: string }>(
      `SELECT id, company_id AS "companyId", region_code AS "regionCode" FROM supplier_locations WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  },

  /** The SKUs a manufacturer makes: those it owns in the catalogue and those its GTINs name. */
  async ownSkus(db: Sql, companyId: string): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id::int AS id FROM catalog_skus WHERE owner_company_id = $1
        UNION SELECT sku_id::int FROM products WHERE company_id = $1 AND sku_id IS NOT NULL`,
      [companyId],
    );
    return rows.map((r) => r.id);
  },

  /** SKU ids of GTINs. */
  async skusOfGtins(db: Sql, gtins: readonly string[]): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT sku_id::int AS id FROM products WHERE gtin = ANY($1::text[]) AND sku_id IS NOT NULL
        UNION SELECT id::int FROM catalog_skus WHERE gtin = ANY($1::text[])`,
      [gtins],
    );
    return rows.map((r) => r.id);
  },

  async skuMeta(db: Sql, skuIds: readonly number[]) {
    const { rows } = await db.query<{ id: number; partType: string; name: string; ownerId: string | null }>(
      `SELECT s.id::int AS id, s.part_type AS "partType", s.name,
              COALESCE(s.owner_company_id, (SELECT p.company_id FROM products p WHERE p.sku_id = s.id LIMIT 1)) AS "ownerId"
         FROM catalog_skus s WHERE s.id = ANY($1::bigint[])`,
      [skuIds],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  async insertForecasts(tx: Sql, rows: Array<Omit<ForecastRow, "id" | "fittedAt">>) {
    if (!rows.length) return;
    await tx.query(
      `INSERT INTO forecasts (scope, scope_id, sku_id, granularity, origin, model, mean, quantiles, cv_mase, mase_scale, history_len, seasonal, distribution)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r (scope text, "scopeId" text, "skuId" bigint, granularity text, origin date, model text,
         mean jsonb, quantiles jsonb, "cvMase" float8, "maseScale" float8, "historyLen" int, seasonal jsonb, distribution jsonb)`,
      [JSON.stringify(rows)],
    );
  },

  /** The latest fit for the series, and the latest fit per earlier origin (for accuracy), newest first. */
  async fits(db: Sql, scope: Scope, scopeId: string, skuId: number, granularity: Granularity, limit = 60) {
    const { rows } = await db.query<ForecastRow>(
      `SELECT ${FC} FROM (SELECT DISTINCT ON (origin) * FROM forecasts
          WHERE scope = $1 AND scope_id = $2 AND sku_id = $3 AND granularity = $4 ORDER BY origin DESC, fitted_at DESC LIMIT $5) f
        ORDER BY origin DESC`,
      [scope, scopeId, skuId, granularity, limit],
    );
    return rows;
  },

  /** The latest daily fit per SKU for these warehouses. */
  async latestWarehouseFits(db: Sql, locations: readonly string[]) {
    const { rows } = await db.query<ForecastRow>(
      `SELECT DISTINCT ON (scope_id, sku_id) ${FC} FROM forecasts
        WHERE scope = 'warehouse' AND granularity = 'day' AND scope_id = ANY($1::text[])
        ORDER BY scope_id, sku_id, origin DESC, fitted_at DESC`,
      [locations],
    );
    return rows;
  },

  /** The latest monthly fit per province of these SKUs. */
  async latestProvinceFits(db: Sql, skuIds: readonly number[]) {
    const { rows } = await db.query<ForecastRow>(
      `SELECT DISTINCT ON (scope_id, sku_id) ${FC} FROM forecasts
        WHERE scope = 'province' AND granularity = 'month' AND sku_id = ANY($1::bigint[])
        ORDER BY scope_id, sku_id, origin DESC, fitted_at DESC`,
      [skuIds],
    );
    return rows;
  },

  async seasonal(db: Sql, f: { partType?: string | undefined; provinceCode?: string | undefined }) {
    const { rows } = await db.query<SeasonalRow>(
      `SELECT ${SF} FROM seasonal_factors WHERE ($1::text IS NULL OR part_type = $1) AND ($2::text IS NULL OR province_code = $2)
        ORDER BY part_type, province_code, month, source`,
      [f.partType ?? null, f.provinceCode ?? null],
    );
    return rows;
  },

  /** Every factor touching these part types (and '*'), for lookups in memory. */
  async seasonalFor(db: Sql, partTypes: readonly string[]) {
    const { rows } = await db.query<SeasonalRow>(
      `SELECT ${SF} FROM seasonal_factors WHERE part_type = ANY($1::text[]) OR part_type = '*'`,
      [partTypes],
    );
    return rows;
  },

  async upsertSeasonal(
    tx: Sql,
    f: Omit<SeasonalRow, "id" | "updatedAt" | "updatedBy"> & { updatedBy: string | null },
  ): Promise<{ row: SeasonalRow; before: SeasonalRow | null }> {
    const before = await tx.query<SeasonalRow>(
      `SELECT ${SF} FROM seasonal_factors WHERE part_type = $1 AND province_code = $2 AND month = $3 AND source = $4 FOR UPDATE`,
      [f.partType, f.provinceCode, f.month, f.source],
    );
    const { rows } = await tx.query<SeasonalRow>(
      `INSERT INTO seasonal_factors (part_type, province_code, month, factor, reason_zh, reason_en, source, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (part_type, province_code, month, source) DO UPDATE
         SET factor = EXCLUDED.factor, reason_zh = EXCLUDED.reason_zh, reason_en = EXCLUDED.reason_en, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING ${SF}`,
      [f.partType, f.provinceCode, f.month, f.factor, f.reasonZh, f.reasonEn, f.source, f.updatedBy],
    );
    return { row: rows[0]!, before: before.rows[0] ?? null };
  },

  async settings(db: Sql, companyId: string): Promise<SettingsRow | null> {
    const { rows } = await db.query<SettingsRow>(
      `SELECT critical_level AS "criticalLevel", normal_level AS "normalLevel", slow_level AS "slowLevel", lead_days AS "leadDays", review_days AS "reviewDays"
         FROM replenishment_settings WHERE company_id = $1`,
      [companyId],
    );
    return rows[0] ?? null;
  },

  async putSettings(tx: Sql, companyId: string, s: SettingsRow, by: string) {
    await tx.query(
      `INSERT INTO replenishment_settings (company_id, critical_level, normal_level, slow_level, lead_days, review_days, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (company_id) DO UPDATE SET critical_level = $2, normal_level = $3, slow_level = $4, lead_days = $5, review_days = $6, updated_by = $7, updated_at = now()`,
      [companyId, s.criticalLevel, s.normalLevel, s.slowLevel, s.leadDays, s.reviewDays, by],
    );
  },

  /** The part classes this company set by hand, by SKU. */
  async partClasses(db: Sql, companyId: string): Promise<Map<number, "critical" | "normal" | "slow">> {
    const { rows } = await db.query<{ skuId: number; partClass: "critical" | "normal" | "slow" }>(
      `SELECT sku_id::int AS "skuId", part_class AS "partClass" FROM replenishment_part_classes WHERE company_id = $1`,
      [companyId],
    );
    return new Map(rows.map((r) => [r.skuId, r.partClass]));
  },

  /** Sets (or with null clears) a SKU's part class; answers the class it had before (null: inferred). */
  async putPartClass(
    tx: Sql,
    companyId: string,
    skuId: number,
    partClass: "critical" | "normal" | "slow" | null,
    by: string,
  ): Promise<string | null> {
    const { rows } = await tx.query<{ partClass: string }>(
      `SELECT part_class AS "partClass" FROM replenishment_part_classes
        WHERE company_id = $1 AND sku_id = $2 FOR UPDATE`,
      [companyId, skuId],
    );
    if (partClass === null)
      await tx.query("DELETE FROM replenishment_part_classes WHERE company_id = $1 AND sku_id = $2", [
        companyId,
        skuId,
      ]);
    else
      await tx.query(
        `INSERT INTO replenishment_part_classes (company_id, sku_id, part_class, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (company_id, sku_id) DO UPDATE SET part_class = $3, updated_by = $4, updated_at = now()`,
        [companyId, skuId, partClass, by],
      );
    return rows[0]?.partClass ?? null;
  },

  /** Stock rows of these warehouses, with the pool price (the unit value of a stock-out). */
  async stock(db: Sql, locations: readonly string[]) {
    const { rows } = await db.query<{
      locationId: string;
      skuId: number;
      onHand: number;
      reserved: number;
      locked: number;
      inTransit: number;
      reorderPoint: number;
      priceFen: number | null;
    }>(
      `SELECT location_id AS "locationId", sku_id::int AS "skuId", on_hand AS "onHand", reserved, locked, in_transit AS "inTransit", reorder_point AS "reorderPoint",
              price_fen::float8 AS "priceFen" FROM stock WHERE location_id = ANY($1::text[])`,
      [locations],
    );
    return rows;
  },
};
