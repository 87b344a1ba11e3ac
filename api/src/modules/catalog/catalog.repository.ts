import type { Sql } from "../../../../ledger-service/src/index.js";
import { brandDisplayName } from "./brand-names.js";
import { prefixEnd, typoRanges } from "./numbers.js";

export interface SkuRow {
  id: number;
  brand: string;
  /** The brand as people read it (brand-names.ts): 博世, 大众原厂, or the catalogue files' spelling. */
  brandName: string;
  partNo: string;
  name: string;
  partType: string;
  position: "前" | "后" | null;
  kind: "oe" | "aftermarket" | "reman" | "used";
  material: string;
  attributes: Record<string, unknown>;
  images: string[];
  gtin: string | null;
}

export interface NewSku {
  brand: string;
  partNo: string;
  partNoNorm: string;
  name: string;
  partType: string;
  position: string | null;
  kind: string;
  material: string;
  attributes: string;
  images: string[];
  gtin: string | null;
  terms: string;
}

export interface NewNumber {
  skuId: number;
  norm: string;
  rev: string;
  number: string;
  kind: "oe" | "brand" | "competitor";
  brand: string;
  source: string;
  conditions: string | null;
}

const SKU_COLS = `s.id::int AS id, s.brand, (SELECT b.name FROM catalog_brands b WHERE b.id = s.brand) AS "brandName",
  s.part_no AS "partNo", s.name, s.part_type AS "partType", s.position, s.kind, s.material, s.attributes, s.images, s.gtin`;

/**
 * Natural keys once each, in the order of the (brand, part_no_norm) index: a batch's look-ups then walk the index and
 * the table forward instead of jumping (a cross-reference or fitment file names a SKU several times, in its own
 * order). Byte order, as the index under the C collation, and close to it under others.
 */
function lookupOrder(keys: Array<{ brand: string; norm: string }>): { brands: string[]; norms: string[] } {
  const unique = [...new Map(keys.map((k) => [`${k.brand}\n${k.norm}`, k])).values()].sort((a, b) =>
    a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : a.norm < b.norm ? -1 : a.norm > b.norm ? 1 : 0,
  );
  return { brands: unique.map((k) => k.brand), norms: unique.map((k) => k.norm) };
}

/**
 * The SQL on the catalogue's SKUs, numbers, vehicles, fitment and search log (import jobs: imports.repository.ts;
 * brands and synonyms: vocabulary.repository.ts). Bulk writes send columns as arrays (one statement per batch).
 */
export const catalogRepository = {
  /**
   * Upserts by (brand, part_no_norm); returns each row's id keyed `${brand}\n${norm}`. New rows belong to `owner`
   * (null: the platform). An existing row is updated only by the platform, its creator, or when its id is in
   * `editable` (CatalogImporter decides who the brand owner is); rows left alone are missing from the answer.
   */
  async upsertSkus(
    tx: Sql,
    rows: NewSku[],
    owner: string | null = null,
    editable: number[] = [],
  ): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const { rows: out } = await tx.query<{ id: number; brand: string; part_no_norm: string; inserted: boolean }>(
      `INSERT INTO catalog_skus (brand, part_no, part_no_norm, name, part_type, position, kind, material, attributes, images, gtin, terms, owner_company_id)
       SELECT b, p, n, nm, pt, pos, k, m, a::jsonb, string_to_array(im, E'\\x1f'), g, array_to_tsvector(string_to_array(t, ' ')), $2::text
         FROM json_to_recordset($1::json) AS u(b text, p text, n text, nm text, pt text, pos text, k text, m text, a text, im text, g text, t text)
       ON CONFLICT (brand, part_no_norm) DO UPDATE SET part_no = EXCLUDED.part_no, name = EXCLUDED.name, part_type = EXCLUDED.part_type, position = EXCLUDED.position,
         kind = EXCLUDED.kind, material = EXCLUDED.material, attributes = EXCLUDED.attributes, images = EXCLUDED.images, gtin = EXCLUDED.gtin, terms = EXCLUDED.terms, updated_at = now()
         WHERE $2::text IS NULL OR catalog_skus.owner_company_id = $2 OR catalog_skus.id = ANY($3::bigint[])
       RETURNING id::int AS id, brand, part_no_norm, (xmax = 0) AS inserted`,
      // Rows go as one JSON document: JSON.stringify is native, where twelve text arrays are escaped element by element.
      [
        JSON.stringify(
          rows.map((r) => ({
            b: r.brand,
            p: r.partNo,
            n: r.partNoNorm,
            nm: r.name,
            pt: r.partType,
            pos: r.position,
            k: r.kind,
            m: r.material,
            a: r.attributes,
            im: r.images.join("\x1f"),
            g: r.gtin,
            t: r.terms,
          })),
        ),
        owner,
        editable,
      ],
    );
    // A SKU whose part type changed takes its fitment rows along (they carry the type for search); new SKUs have none.
    const updated = out.filter((r) => !r.inserted).map((r) => r.id);
    if (updated.length) {
      await tx.query(
        `UPDATE catalog_fitments f SET part_type = s.part_type FROM catalog_skus s
          WHERE f.sku_id = s.id AND s.id = ANY($1::bigint[]) AND f.part_type <> s.part_type`,
        [updated],
      );
    }
    return new Map(out.map((r) => [`${r.brand}\n${r.part_no_norm}`, r.id]));
  },

  async upsertNumbers(tx: Sql, rows: NewNumber[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO catalog_numbers (sku_id, norm, rev, number, kind, brand, source, conditions)
       SELECT * FROM (SELECT DISTINCT ON (s, n, b) s, n, r, nu, k, b, so, c::jsonb
         FROM json_to_recordset($1::json) AS u(s bigint, n text, r text, nu text, k text, b text, so text, c text)) d
       ON CONFLICT (sku_id, norm, brand) DO UPDATE SET number = EXCLUDED.number, kind = EXCLUDED.kind, source = EXCLUDED.source, conditions = EXCLUDED.conditions`,
      [
        JSON.stringify(
          rows.map((r) => ({
            s: r.skuId,
            n: r.norm,
            r: r.rev,
            nu: r.number,
            k: r.kind,
            b: r.brand,
            so: r.source,
            c: r.conditions,
          })),
        ),
      ],
    );
  },

  async upsertVehicles(
    tx: Sql,
    rows: Array<{
      id: string;
      make: string;
      maker: string;
      series: string;
      model: string;
      yearFrom: number;
      yearTo: number;
      engine: string;
    }>,
  ) {
    if (rows.length === 0) return;
    const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
    await tx.query(
      `INSERT INTO catalog_vehicles (id, make, maker, series, model, year_from, year_to, engine)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::smallint[], $8::text[])
       ON CONFLICT (id) DO UPDATE SET make = EXCLUDED.make, maker = EXCLUDED.maker, series = EXCLUDED.series, model = EXCLUDED.model,
         year_from = EXCLUDED.year_from, year_to = EXCLUDED.year_to, engine = EXCLUDED.engine`,
      [
        col("id"),
        col("make"),
        col("maker"),
        col("series"),
        col("model"),
        col("yearFrom"),
        col("yearTo"),
        col("engine"),
      ],
    );
  },

  /** Fitment links with the SKU's part type as skuRefs read it (in the same transaction): no second look-up. */
  async insertFitments(tx: Sql, rows: Array<{ vehicleId: string; skuId: number; partType: string }>) {
    if (rows.length === 0) return;
    // In the order of two of its three indexes (vehicle first): each index page is visited once per batch.
    rows = [...rows].sort((a, b) =>
      a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : a.skuId - b.skuId,
    );
    await tx.query(
      `INSERT INTO catalog_fitments (vehicle_id, sku_id, part_type)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING`,
      [rows.map((r) => r.vehicleId), rows.map((r) => r.skuId), rows.map((r) => r.partType)],
    );
  },

  /** SKU ids and part types for natural keys `${brand}\n${norm}`. */
  async skuRefs(
    db: Sql,
    keys: Array<{ brand: string; norm: string }>,
  ): Promise<Map<string, { id: number; partType: string }>> {
    if (keys.length === 0) return new Map();
    const k = lookupOrder(keys);
    const { rows } = await db.query<{ id: number; brand: string; part_no_norm: string; part_type: string }>(
      "SELECT s.id::int AS id, s.brand, s.part_no_norm, s.part_type FROM catalog_skus s JOIN unnest($1::text[], $2::text[]) AS k(b, n) ON s.brand = k.b AND s.part_no_norm = k.n",
      [k.brands, k.norms],
    );
    return new Map(rows.map((r) => [`${r.brand}\n${r.part_no_norm}`, { id: r.id, partType: r.part_type }]));
  },

  /** Existing SKUs for natural keys `${brand}\n${norm}`, with who created them and their GTIN (to find the brand owner). */
  async skuOwners(
    db: Sql,
    keys: Array<{ brand: string; norm: string }>,
  ): Promise<Map<string, { id: number; owner: string | null; gtin: string | null }>> {
    if (keys.length === 0) return new Map();
    const k = lookupOrder(keys);
    const { rows } = await db.query<{
      id: number;
      brand: string;
      part_no_norm: string;
      owner: string | null;
      gtin: string | null;
    }>(
      `SELECT s.id::int AS id, s.brand, s.part_no_norm, s.owner_company_id AS owner, s.gtin
         FROM catalog_skus s JOIN unnest($1::text[], $2::text[]) AS k(b, n) ON s.brand = k.b AND s.part_no_norm = k.n`,
      [k.brands, k.norms],
    );
    return new Map(rows.map((r) => [`${r.brand}\n${r.part_no_norm}`, { id: r.id, owner: r.owner, gtin: r.gtin }]));
  },

  async vehicles(db: Sql): Promise<
    Array<{
      id: string;
      make: string;
      maker: string;
      series: string;
      model: string;
      yearFrom: number;
      yearTo: number;
      engine: string;
    }>
  > {
    const { rows } = await db.query<{
      id: string;
      make: string;
      maker: string;
      series: string;
      model: string;
      yearFrom: number;
      yearTo: number;
      engine: string;
    }>(
      `SELECT id, make, maker, series, model, year_from AS "yearFrom", year_to AS "yearTo", engine FROM catalog_vehicles`,
    );
    return rows;
  },

  /** SKUs answering exactly to any of these normalised numbers, and how (a merged supplier SKU's numbers find its master). */
  async byNumbers(db: Sql, norms: string[]): Promise<Array<{ skuId: number; kind: string; norm: string }>> {
    const { rows } = await db.query<{ skuId: number; kind: string; norm: string }>(
      `SELECT COALESCE(s.merged_into, s.id)::int AS "skuId", n.kind, n.norm FROM catalog_numbers n JOIN catalog_skus s ON s.id = n.sku_id
        WHERE n.norm = ANY($1::text[]) ORDER BY (s.kind <> 'oe'), (n.kind <> 'brand'), s.id LIMIT 500`,
      [norms],
    );
    return rows;
  },

  /**
   * Numbers within `max` edits of `norm` as people mistype (a swap of neighbours is one edit), ranked by Levenshtein
   * distance, then shared trigrams, then number (the caller ranks by swaps). The candidates are the numbers in the
   * B-tree ranges `typoRanges` names (DECISIONS 120): each range is one index range scan (a LATERAL per range, so no
   * plan reads them any other way), the distance is checked on the index entry, and only the numbers that pass are
   * looked up — the same answer, and about the same work, with or without fresh statistics.
   */
  async numbersNear(
    db: Sql,
    norm: string,
    max: 1 | 2,
    limit: number,
  ): Promise<Array<{ skuId: number; norm: string; kind: string; distance: number; similarity: number }>> {
    const ranges = typoRanges(norm, max);
    const of = (column: "norm" | "rev") => {
      const r = ranges.filter((x) => x.column === column);
      return [r.map((x) => x.prefix), r.map((x) => prefixEnd(x.prefix)), r.map((x) => x.target), r.map((x) => x.max)];
    };
    // Two statements: the numbers first (a handful), then their SKUs by exact number — one statement let the planner,
    // estimating millions of rows for the ranges, merge-join the whole number index instead (2.4 s at 1M SKUs).
    const near = await db.query<{ norm: string }>(
      `SELECT h.norm FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS r(lo, hi, target, max)
         CROSS JOIN LATERAL (SELECT norm FROM catalog_numbers WHERE norm ~>=~ r.lo AND norm ~<~ r.hi
                               AND levenshtein_less_equal(norm, r.target, r.max) <= r.max) h
       UNION
       SELECT reverse(h.rev) FROM unnest($5::text[], $6::text[], $7::text[], $8::int[]) AS r(lo, hi, target, max)
         CROSS JOIN LATERAL (SELECT rev FROM catalog_numbers WHERE rev ~>=~ r.lo AND rev ~<~ r.hi
                               AND levenshtein_less_equal(rev, r.target, r.max) <= r.max) h`,
      [...of("norm"), ...of("rev")],
    );
    if (near.rows.length === 0) return [];
    const { rows } = await db.query<{
      skuId: number;
      norm: string;
      kind: string;
      distance: number;
      similarity: number;
    }>(
      `SELECT sku_id::int AS "skuId", norm, kind, levenshtein_less_equal(norm, $2, $3) AS distance,
              similarity(norm, $2) AS similarity
         FROM catalog_numbers WHERE norm = ANY($1::text[])
        ORDER BY distance, similarity DESC, norm, "skuId" LIMIT $4`,
      [near.rows.map((r) => r.norm), norm, 2 * max, limit], // a swap of neighbours is two Levenshtein edits
    );
    return rows;
  },

  /**
   * Candidate SKUs for a query: fitting any of these vehicles (or any vehicle when null), of these part types, side,
   * brand and kind, and carrying every term of `text` (a tsquery) — each condition only when given.
   *
   * The SQL names only the conditions given (DECISIONS 70): a `$1 IS NULL OR s.id IN (…)` keeps PostgreSQL from
   * turning the fitment subquery into a join (sublinks are pulled up before constants fold), and it filtered every
   * SKU of the part type through a hashed subplan (0.8 s at 1M SKUs). With part types, each type is read in the
   * order of catalog_skus_type (part type, genuine first, id) up to the limit, then merged: a `part_type = ANY(…)`
   * cannot use the index's order and sorted all of the type's rows.
   */
  async candidates(
    db: Sql,
    f: {
      vehicleIds: string[] | null;
      partTypes: string[] | null;
      position: string | null;
      brand: string | null;
      kind: string | null;
      text: string | null;
    },
    limit: number,
  ): Promise<number[]> {
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where = ["s.merged_into IS NULL"];
    if (f.position) where.push(`(s.position IS NULL OR s.position = ${p(f.position)})`);
    if (f.brand) where.push(`s.brand = ${p(f.brand)}`);
    if (f.kind) where.push(`s.kind = ${p(f.kind)}`);
    if (f.text) where.push(`s.terms @@ ${p(f.text)}::tsquery`);
    const lim = p(limit);
    let sql: string;
    if (f.partTypes) {
      const types = p([...new Set(f.partTypes)]);
      if (f.vehicleIds)
        where.push(
          `s.id IN (SELECT f.sku_id FROM catalog_fitments f WHERE f.vehicle_id = ANY(${p(f.vehicleIds)}::text[]) AND f.part_type = t.pt)`,
        );
      sql = `SELECT c.id::int AS id FROM unnest(${types}::text[]) AS t(pt) CROSS JOIN LATERAL (
               SELECT s.id, s.kind FROM catalog_skus s WHERE s.part_type = t.pt AND ${where.join(" AND ")}
                ORDER BY (s.kind <> 'oe'), s.id LIMIT ${lim}) c
              ORDER BY (c.kind <> 'oe'), c.id LIMIT ${lim}`;
    } else {
      if (f.vehicleIds)
        where.push(
          `s.id IN (SELECT f.sku_id FROM catalog_fitments f WHERE f.vehicle_id = ANY(${p(f.vehicleIds)}::text[]))`,
        );
      sql = `SELECT s.id::int AS id FROM catalog_skus s WHERE ${where.join(" AND ")} ORDER BY (s.kind <> 'oe'), s.id LIMIT ${lim}`;
    }
    const { rows } = await db.query<{ id: number }>(sql, params);
    return rows.map((r) => r.id);
  },

  /** Text search over the SKU terms, best ts_rank first. */
  async text(db: Sql, query: string, limit: number): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id::int AS id FROM catalog_skus WHERE terms @@ $1::tsquery AND merged_into IS NULL ORDER BY ts_rank(terms, $1::tsquery) DESC, id LIMIT $2`,
      [query, limit],
    );
    return rows.map((r) => r.id);
  },

  /**
   * For one import batch's transaction: new entries of the GIN indexes (SKU terms, number trigrams) go to the
   * indexes' pending lists, merged into the trees in large sorted runs — when a list outgrows this, and at the end of
   * the import (flushPending) — instead of a tree descent per trigram of every row. Searches read the pending list
   * too, so what is committed is found at once.
   */
  async bulkWriteSettings(tx: Sql) {
    await tx.exec("SET LOCAL gin_pending_list_limit = '32MB'; SET LOCAL work_mem = '64MB'");
  },

  /** Merges the GIN pending lists of these indexes into their trees (end of an import, before ANALYZE). */
  async flushPending(db: Sql, indexes: string[]) {
    await db.transaction(async (tx) => {
      await tx.exec("SET LOCAL maintenance_work_mem = '256MB'");
      for (const i of indexes) await tx.query("SELECT gin_clean_pending_list($1::regclass)", [i]);
    });
  },

  /**
   * Fresh statistics and visibility map for what an import loaded: a number typo's candidates are read from the
   * number B-trees alone (an index-only scan, DECISIONS 120) only for pages VACUUM has marked all-visible; it skips
   * pages already marked, so a small import after a large one costs little.
   */
  async analyze(db: Sql, tables: string[]) {
    for (const t of tables) await db.exec(`VACUUM (ANALYZE) ${t}`);
  },

  /** Brand, kind and part type of candidate SKUs: what search filters, facets and ranks on. */
  async kinds(db: Sql, ids: number[]): Promise<Array<{ id: number; brand: string; kind: string; partType: string }>> {
    if (ids.length === 0) return [];
    const { rows } = await db.query<{ id: number; brand: string; kind: string; partType: string }>(
      `SELECT id::int AS id, brand, kind, part_type AS "partType" FROM catalog_skus WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return rows;
  },

  async skus(
    db: Sql,
    ids: number[],
  ): Promise<Array<SkuRow & { numbers: Array<{ number: string; kind: string; brand: string }> }>> {
    if (ids.length === 0) return [];
    const { rows } = await db.query<SkuRow & { numbers: Array<{ number: string; kind: string; brand: string }> }>(
      `SELECT ${SKU_COLS},
              COALESCE((SELECT json_agg(json_build_object('number', n.number, 'kind', n.kind, 'brand', n.brand) ORDER BY n.kind DESC, n.number)
                          FROM catalog_numbers n WHERE n.sku_id = s.id), '[]') AS numbers
         FROM catalog_skus s WHERE s.id = ANY($1::bigint[])`,
      [ids],
    );
    for (const r of rows) r.brandName = brandDisplayName(r.brand, r.brandName);
    return rows;
  },

  /** Which vehicles each SKU fits (series and years), for the result list. */
  async fitmentSummary(db: Sql, ids: number[]): Promise<Map<number, string[]>> {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<{ id: number; fits: string[] }>(
      `SELECT f.sku_id::int AS id, array_agg(DISTINCT v.series || ' ' || v.year_from || '-' || v.year_to || ' ' || v.engine) AS fits
         FROM catalog_fitments f JOIN catalog_vehicles v ON v.id = f.vehicle_id WHERE f.sku_id = ANY($1::bigint[]) GROUP BY f.sku_id`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.fits.slice(0, 8)]));
  },

  async logSearch(
    db: Sql,
    s: {
      companyId: string | null;
      regionCode: string | null;
      query: string;
      filters: unknown;
      resultCount: number;
      tookMs: number;
      topSkuId: number | null;
    },
  ) {
    await db.query(
      "INSERT INTO catalog_searches (company_id, region_code, query, filters, result_count, took_ms, top_sku_id) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)",
      [s.companyId, s.regionCode, s.query, JSON.stringify(s.filters), s.resultCount, s.tookMs, s.topSkuId],
    );
  },
};
