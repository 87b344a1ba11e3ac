import type { Sql } from "../../../../ledger-service/src/index.js";

export type MatchMethod = "oe_exact" | "brand_number" | "similarity";
export type MatchStatus = "merged" | "review" | "rejected" | "undone";

/** What matching compares of a SKU: its numbers, type and side, search terms, OE numbers and fitted vehicles. */
export interface SkuFacts {
  id: number;
  brand: string;
  norm: string;
  partType: string;
  position: string | null;
  kind: string;
  terms: string[];
  oe: string[];
  vehicles: string[];
}

/** The only SQL of supplier-SKU matching: candidates, the match rows, and merging (catalog_skus.merged_into). */
export const matchRepository = {
  async facts(db: Sql, id: number): Promise<SkuFacts | null> {
    const { rows } = await db.query<
      Omit<SkuFacts, "terms" | "oe" | "vehicles"> & { terms: string; oe: string[] | null; vehicles: string[] | null }
    >(
      `SELECT s.id::int AS id, s.brand, s.part_no_norm AS norm, s.part_type AS "partType", s.position, s.kind, s.terms::text AS terms,
              (SELECT array_agg(n.norm) FROM catalog_numbers n WHERE n.sku_id = s.id AND n.kind = 'oe') AS oe,
              (SELECT array_agg(f.vehicle_id) FROM catalog_fitments f WHERE f.sku_id = s.id) AS vehicles
         FROM catalog_skus s WHERE s.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      ...r,
      terms: [...r.terms.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!),
      oe: r.oe ?? [],
      vehicles: r.vehicles ?? [],
    };
  },

  /** Genuine (OE-brand) SKUs of a type whose own number is one of `numbers`. */
  async oeMasters(db: Sql, numbers: string[], partType: string, except: number) {
    const { rows } = await db.query<{ id: number; norm: string; position: string | null }>(
      `SELECT s.id::int AS id, s.part_no_norm AS norm, s.position FROM catalog_skus s
        WHERE s.kind = 'oe' AND s.part_no_norm = ANY($1::text[]) AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3 AND s.brand LIKE 'oe\\_%'`,
      [numbers, partType, except],
    );
    return rows;
  },

  /** SKUs of a type carrying the same brand number under any brand. */
  async sameNumber(db: Sql, norm: string, partType: string, except: number) {
    const { rows } = await db.query<{ id: number; brand: string; position: string | null }>(
      `SELECT s.id::int AS id, s.brand, s.position FROM catalog_skus s
        WHERE s.part_no_norm = $1 AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3`,
      [norm, partType, except],
    );
    return rows;
  },

  /** SKUs of a type (and side) fitting any of these vehicles. */
  async fittingSameVehicles(
    db: Sql,
    vehicles: string[],
    partType: string,
    position: string | null,
    except: number,
  ): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT DISTINCT s.id::int AS id FROM catalog_fitments f JOIN catalog_skus s ON s.id = f.sku_id
        WHERE f.vehicle_id = ANY($1::text[]) AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3
          AND ($4::text IS NULL OR s.position IS NULL OR s.position = $4) LIMIT 200`,
      [vehicles, partType, except, position],
    );
    return rows.map((r) => r.id);
  },

  /** Unmerged SKUs of brands that are not master data and not matched yet (or just these ids). */
  async unmatchedSupplierSkus(
    db: Sql,
    masterBrands: string[],
    skuIds: number[] | null,
    limit: number,
  ): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT s.id::int AS id FROM catalog_skus s
        WHERE s.merged_into IS NULL AND ($1::bigint[] IS NULL OR s.id = ANY($1::bigint[]))
          AND s.brand NOT LIKE 'oe\\_%' AND s.brand <> ALL($3::text[])
          AND NOT EXISTS (SELECT 1 FROM catalog_matches m WHERE m.supplier_sku = s.id)
        ORDER BY s.id LIMIT $2`,
      [skuIds, limit, masterBrands],
    );
    return rows.map((r) => r.id);
  },

  async insertMatch(
    tx: Sql,
    m: { supplier: number; master: number; method: MatchMethod; confidence: number; status: MatchStatus },
  ) {
    await tx.query(
      `INSERT INTO catalog_matches (supplier_sku, master_sku, method, confidence, status, decided_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'review' THEN NULL ELSE now() END) ON CONFLICT (supplier_sku, master_sku) DO NOTHING`,
      [m.supplier, m.master, m.method, m.confidence, m.status, m.status === "review" ? null : "auto"],
    );
  },

  /** Merges a supplier SKU into a master; false when it is merged already. */
  async merge(tx: Sql, supplier: number, master: number): Promise<boolean> {
    const { rows } = await tx.query(
      "UPDATE catalog_skus SET merged_into = $2, updated_at = now() WHERE id = $1 AND merged_into IS NULL RETURNING id",
      [supplier, master],
    );
    return rows.length === 1;
  },

  async unmerge(tx: Sql, supplier: number, master: number) {
    await tx.query(
      "UPDATE catalog_skus SET merged_into = NULL, updated_at = now() WHERE id = $1 AND merged_into = $2",
      [supplier, master],
    );
  },

  /** A match row, locked for the decision about it. */
  async lock(tx: Sql, matchId: number): Promise<{ supplier: number; master: number; status: MatchStatus } | null> {
    const { rows } = await tx.query<{ supplier: number; master: number; status: MatchStatus }>(
      "SELECT supplier_sku::int AS supplier, master_sku::int AS master, status FROM catalog_matches WHERE id = $1 FOR UPDATE",
      [matchId],
    );
    return rows[0] ?? null;
  },

  async decided(tx: Sql, matchId: number, status: MatchStatus, by: string) {
    await tx.query("UPDATE catalog_matches SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1", [
      matchId,
      status,
      by,
    ]);
  },

  /** Rejects the other candidates still in review for a supplier SKU. */
  async rejectOthers(tx: Sql, supplier: number, except: number, by: string) {
    await tx.query(
      "UPDATE catalog_matches SET status = 'rejected', decided_by = $2, decided_at = now() WHERE supplier_sku = $1 AND id <> $3 AND status = 'review'",
      [supplier, by, except],
    );
  },

  async queue(db: Sql, limit: number) {
    const { rows } = await db.query(
      `SELECT m.id::int AS id, m.method, m.confidence, m.status, m.created_at AS "createdAt",
              json_build_object('id', a.id, 'brand', a.brand, 'partNo', a.part_no, 'name', a.name) AS "supplierSku",
              json_build_object('id', b.id, 'brand', b.brand, 'partNo', b.part_no, 'name', b.name) AS "masterSku"
         FROM catalog_matches m JOIN catalog_skus a ON a.id = m.supplier_sku JOIN catalog_skus b ON b.id = m.master_sku
        WHERE m.status = 'review' ORDER BY m.confidence DESC, m.id LIMIT $1`,
      [limit],
    );
    return rows;
  },
};
