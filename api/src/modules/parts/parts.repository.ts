import type { Sql } from "../../../../ledger-service/src/db/sql.js";
import { partKeyOf } from "../../../../ledger-service/src/events/canonical.js";

/** SQL for mint runs and products; every write runs in the caller's (the append's) transaction. (Idempotent requests: shared/idempotency.ts.) */
export const partsRepository = {
  async insertMintRun(
    tx: Sql,
    run: {
      id: string;
      companyId: string;
      gtin: string;
      lot: string;
      productionDate: string;
      serials: string[];
      submissionId: number;
    },
  ) {
    await tx.query(
      "INSERT INTO mint_runs (id, company_id, gtin, lot, production_date, serials, submission_id) VALUES ($1, $2, $3, $4, $5::date, $6::text[], $7)",
      [run.id, run.companyId, run.gtin, run.lot, run.productionDate, run.serials, run.submissionId],
    );
  },

  async mintRun(db: Sql, companyId: string, id: string) {
    const { rows } = await db.query<{
      id: string;
      gtin: string;
      lot: string;
      production_date: string;
      serials: string[];
    }>(
      "SELECT id, gtin, lot, to_char(production_date, 'YYYY-MM-DD') AS production_date, serials FROM mint_runs WHERE id = $1 AND company_id = $2",
      [id, companyId],
    );
    return rows[0] ?? null;
  },

  async mintRunOwner(db: Sql, id: string): Promise<string | null> {
    const { rows } = await db.query<{ company_id: string }>("SELECT company_id FROM mint_runs WHERE id = $1", [id]);
    return rows[0]?.company_id ?? null;
  },

  /** Names a GTIN (and links it to its catalogue SKU) for `companyId`, the owner of its GS1 company prefix. */
  async upsertProduct(
    tx: Sql,
    gtin: string,
    companyId: string,
    brand: string,
    name: string,
    skuId: number | null = null,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO products (gtin, company_id, brand, name, sku_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (gtin) DO UPDATE SET company_id = EXCLUDED.company_id, brand = EXCLUDED.brand, name = EXCLUDED.name,
         sku_id = CASE WHEN products.company_id = EXCLUDED.company_id THEN COALESCE(EXCLUDED.sku_id, products.sku_id) ELSE EXCLUDED.sku_id END,
         updated_at = now()`,
      [gtin, companyId, brand, name, skuId],
    );
  },

  /** Serials held (commissioned or received, not shipped or installed) by `holder`, of GTINs named as `skuId`. */
  async heldSerials(db: Sql, holder: string, skuId: number, limit: number) {
    const { rows } = await db.query<{ gtin: string; serial: string; lot: string; stage: number }>(
      `SELECT p.gtin, p.serial, p.lot, p.stage FROM ledger_parts p JOIN products pr ON pr.gtin = p.gtin
        WHERE p.holder = $1 AND p.stage IN (1, 2) AND pr.sku_id = $2 ORDER BY p.gtin, p.serial LIMIT $3`,
      [holder, skuId, limit],
    );
    return rows.map((r) => ({
      gtin: r.gtin,
      serial: r.serial,
      lot: r.lot,
      stage: r.stage === 1 ? "commissioned" : "received",
    }));
  },

  /** Whether `holder` holds this part (commissioned or received, not shipped or installed), and its stage. */
  async heldPart(db: Sql, holder: string, gtin: string, serial: string) {
    const { rows } = await db.query<{ stage: number }>(
      "SELECT p.stage FROM ledger_parts p WHERE p.holder = $1 AND p.gtin = $2 AND p.serial = $3",
      [holder, gtin, serial],
    );
    const stage = rows[0]?.stage;
    return { held: stage === 1 || stage === 2 };
  },

  /** Parts `holder` received (receiving submissions it signed) in the last `days` days (index ledger_submissions_actor). */
  async receivedParts(db: Sql, holder: string, days: number): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT COALESCE(sum(s.event_count), 0)::int AS n FROM ledger_submissions s
        WHERE s.actor = $1 AND s.recorded_at > now() - make_interval(days => $2)
          AND (SELECT e.step FROM ledger_events e WHERE e.submission_id = s.id AND e.submission_index = 0) = 2`,
      [holder, days],
    );
    return rows[0]!.n;
  },

  async handledBy(db: Sql, actor: string, parts: ReadonlyArray<{ gtin: string; serial: string }>): Promise<number> {
    if (!parts.length) return 0;
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(DISTINCT part_key)::int AS n FROM ledger_events
        WHERE part_key = ANY (SELECT decode(k, 'hex') FROM unnest($1::text[]) AS k) AND actor = $2`,
      [parts.map((x) => partKeyOf(x.gtin, x.serial).slice(2)), actor],
    );
    return rows[0]!.n;
  },

  async lockHeld(
    tx: Sql,
    holder: string,
    parts: ReadonlyArray<{ gtin: string; serial: string }>,
  ): Promise<Array<{ gtin: string; serial: string }>> {
    // Found by the primary key (part_key = keccak256 of the part's Digital Link path), as the ledger finds them.
    const { rows } = await tx.query<{ gtin: string; serial: string; holder: string; stage: number }>(
      `SELECT gtin, serial, holder, stage FROM ledger_parts WHERE part_key = ANY (SELECT decode(k, 'hex') FROM unnest($1::text[]) AS k)
        ORDER BY part_key FOR UPDATE`,
      [parts.map((x) => partKeyOf(x.gtin, x.serial).slice(2))],
    );
    const held = new Set(
      rows.filter((r) => r.holder === holder && (r.stage === 1 || r.stage === 2)).map((r) => `${r.gtin}/${r.serial}`),
    );
    return parts.filter((x) => !held.has(`${x.gtin}/${x.serial}`));
  },

  async skusOf(db: Sql, gtins: string[]): Promise<Map<string, number>> {
    const { rows } = await db.query<{ gtin: string; sku: number }>(
      "SELECT gtin, sku_id::int AS sku FROM products WHERE gtin = ANY($1::text[]) AND sku_id IS NOT NULL",
      [gtins],
    );
    return new Map(rows.map((r) => [r.gtin, r.sku]));
  },

  async product(db: Sql, gtin: string): Promise<{ brand: string; name: string; companyId: string } | null> {
    const { rows } = await db.query<{ brand: string; name: string; companyId: string }>(
      'SELECT brand, name, company_id AS "companyId" FROM products WHERE gtin = $1',
      [gtin],
    );
    return rows[0] ?? null;
  },
};
