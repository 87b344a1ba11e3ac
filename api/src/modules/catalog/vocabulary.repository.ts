import type { Sql } from "../../../../ledger-service/src/index.js";

/** A search synonym as the catalogue team edits it. */
export interface SynonymRow {
  term: string;
  partTypes: string[];
  position: "前" | "后" | null;
  kind: string | null;
  source: string;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The only SQL on the catalogue's vocabulary: the brands it learned from imports, and the search synonyms. */
export const vocabularyRepository = {
  /** Brands search knows by name (learned from imports). */
  async brands(db: Sql): Promise<Array<{ id: string; names: string[] }>> {
    const { rows } = await db.query<{ id: string; names: string[] }>(
      "SELECT id, array_prepend(name, names) AS names FROM catalog_brands",
    );
    return rows;
  },

  /** The learned brands for the catalogue team's list: every spelling, where it came from, and its live SKU count. */
  async brandList(
    db: Sql,
  ): Promise<Array<{ id: string; name: string; names: string[]; source: string; createdAt: Date; skuCount: number }>> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      names: string[];
      source: string;
      createdAt: Date;
      skuCount: number;
    }>(
      `SELECT b.id, b.name, b.names, b.source, b.created_at AS "createdAt", coalesce(c.n, 0)::int AS "skuCount"
         FROM catalog_brands b
         LEFT JOIN (SELECT brand, count(*) AS n FROM catalog_skus WHERE merged_into IS NULL GROUP BY brand) c
                 ON c.brand = b.id
        ORDER BY coalesce(c.n, 0) DESC, b.id`,
    );
    return rows;
  },

  /**
   * Records the brands of imported rows under every name a file used (new names add to the known ones). Only names
   * not yet known are written: a batch of known brands neither rewrites nor locks their rows.
   */
  async learnBrands(tx: Sql, brands: Array<{ id: string; name: string }>) {
    if (brands.length === 0) return;
    await tx.query(
      `INSERT INTO catalog_brands (id, name, names) SELECT DISTINCT ON (i) i, n, ARRAY[n]
         FROM unnest($1::text[], $2::text[]) AS u(i, n)
         WHERE NOT EXISTS (SELECT 1 FROM catalog_brands b WHERE b.id = u.i AND b.names @> ARRAY[u.n])
       ON CONFLICT (id) DO UPDATE
         SET names = (SELECT array_agg(DISTINCT x) FROM unnest(catalog_brands.names || EXCLUDED.names) x)
         WHERE NOT catalog_brands.names @> EXCLUDED.names`,
      [brands.map((b) => b.id), brands.map((b) => b.name)],
    );
  },

  async synonyms(db: Sql): Promise<SynonymRow[]> {
    const { rows } = await db.query<SynonymRow>(
      `SELECT term, part_types AS "partTypes", position, sku_kind AS kind, source, updated_by AS "updatedBy",
              updated_at AS "updatedAt"
         FROM catalog_synonyms ORDER BY term`,
    );
    return rows;
  },

  async upsertSynonyms(
    tx: Sql,
    rows: Array<{ term: string; partTypes: string[]; position: string | null; kind: string | null }>,
    source: string,
    by: string | null,
  ): Promise<{ added: number; updated: number }> {
    if (rows.length === 0) return { added: 0, updated: 0 };
    // xmax = 0 on a row this statement inserted; an updated row carries this transaction's id there.
    const { rows: done } = await tx.query<{ inserted: boolean }>(
      `INSERT INTO catalog_synonyms (term, part_types, position, sku_kind, source, updated_by)
       SELECT t, string_to_array(pt, ',')::text[], p, k, $5, $6
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(t, pt, p, k)
       ON CONFLICT (term) DO UPDATE SET part_types = EXCLUDED.part_types, position = EXCLUDED.position,
         sku_kind = EXCLUDED.sku_kind,
         source = EXCLUDED.source, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [
        rows.map((r) => r.term),
        rows.map((r) => r.partTypes.join(",")),
        rows.map((r) => r.position),
        rows.map((r) => r.kind),
        source,
        by,
      ],
    );
    const added = done.filter((r) => r.inserted).length;
    return { added, updated: done.length - added };
  },

  async deleteSynonym(tx: Sql, term: string): Promise<boolean> {
    const { rows } = await tx.query("DELETE FROM catalog_synonyms WHERE term = $1 RETURNING term", [term]);
    return rows.length === 1;
  },
};
