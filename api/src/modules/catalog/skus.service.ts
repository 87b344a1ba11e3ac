import type { Sql } from "../../../../ledger-service/src/index.js";

/** What other modules may ask the catalogue about SKUs (they never read its tables themselves). */
export class CatalogSkus {
  /** Whether a master SKU (not merged into another) with this id exists; `tx` lets a caller ask inside its transaction. */
  async exists(tx: Sql, id: number): Promise<boolean> {
    const { rows } = await tx.query("SELECT 1 FROM catalog_skus WHERE id = $1 AND merged_into IS NULL", [id]);
    return rows.length === 1;
  }
}
