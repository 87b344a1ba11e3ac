import type { Sql } from "../../../../ledger-service/src/index.js";

/** What other modules may ask the catalogue about SKUs (they never read its tables themselves). */
export class CatalogSkus {
  /** Whether a master SKU (not merged into another) with this id exists; `tx` lets a caller ask inside its transaction. */
  async exists(tx: Sql, id: number): Promise<boolean> {
    const { rows } = await tx.query("SELECT 1 FROM catalog_skus WHERE id = $1 AND merged_into IS NULL", [id]);
    return rows.length === 1;
  }

  /** The ids among these that are master SKUs (not merged into another). */
  async existing(tx: Sql, ids: number[]): Promise<Set<number>> {
    const { rows } = await tx.query<{ id: number }>("SELECT id::int AS id FROM catalog_skus WHERE id = ANY($1::bigint[]) AND merged_into IS NULL", [ids]);
    return new Set(rows.map((r) => r.id));
  }
}
