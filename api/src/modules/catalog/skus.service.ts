import type { Sql } from "../../../../ledger-service/src/index.js";
import { brandId } from "./import-rows.js";
import { normaliseNumber } from "./numbers.js";

/** What other modules may ask the catalogue about SKUs (they never read its tables themselves). */
export class CatalogSkus {
  /** Whether a master SKU (not merged into another) with this id exists; `tx` lets a caller ask inside its transaction. */
  async exists(tx: Sql, id: number): Promise<boolean> {
    return (await this.existing(tx, [id])).has(id);
  }

  /** The ids among these that are master SKUs (not merged into another). */
  async existing(tx: Sql, ids: number[]): Promise<Set<number>> {
    const { rows } = await tx.query<{ id: number }>(
      "SELECT id::int AS id FROM catalog_skus WHERE id = ANY($1::bigint[]) AND merged_into IS NULL",
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * SKU ids for external codes as ERP systems hold them: brand (any name the catalogue knows) and the brand's part
   * number in any formatting. Keyed by the caller's index; unknown codes are absent. A merged SKU answers as its master.
   */
  async resolve(tx: Sql, codes: ReadonlyArray<{ brand: string; partNo: string }>): Promise<Map<number, number>> {
    const keys = codes.map((c) => {
      try {
        return { brand: brandId(c.brand), norm: normaliseNumber(c.partNo) };
      } catch {
        return { brand: "", norm: "" };
      }
    });
    const { rows } = await tx.query<{ i: number; id: number }>(
      `SELECT k.i::int AS i, COALESCE(s.merged_into, s.id)::int AS id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(b, n, i)
         JOIN catalog_skus s ON s.brand = k.b AND s.part_no_norm = k.n`,
      [keys.map((k) => k.brand), keys.map((k) => k.norm)],
    );
    return new Map(rows.map((r) => [r.i - 1, r.id]));
  }
}
