import { expect } from "chai";
import { TransfersService } from "../../api/src/modules/inventory/transfers.service.js";
import type { LedgerService, Sql } from "../../ledger-service/src/index.js";
import { freshDatabase } from "../helpers/database.js";

/**
 * The background transfer pass after orders take stock (DECISIONS 66): one shortage query for every company touched
 * since the last pass, not one per company, and never two passes at once.
 */
describe("transfer proposals: one query per pass over every touched company, passes never overlap", function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let shortageQueries = 0;
  const counted: () => Sql = () => ({
    ...db.sql,
    query: (text: string, params?: unknown[]) => {
      if (text.includes("s.reorder_point - (s.on_hand")) shortageQueries++;
      return db.sql.query(text, params);
    },
  });
  const companies = ["co_a", "co_b", "co_c"];
  before(async () => {
    db = await freshDatabase();
    for (const [i, c] of companies.entries()) {
      await db.sql.query(
        "INSERT INTO companies (id, name, uscc, kind, region_code, lng, lat) VALUES ($1, $1, $2, 'distributor', '330106', 120.1, 30.2)",
        [c, `91330106MA00000${i}0X`],
      );
      for (const [code, lng] of [
        ["near", 120.1],
        ["far", 120.3],
      ] as const)
        await db.sql.query(
          "INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat) VALUES ($1, $2, $3, $3, '330106', $4, 30.2)",
          [`${c}_${code}`, c, code, lng],
        );
      // The near warehouse is 8 below its reorder point of 10; the far one has 40 above its own point of 5.
      await db.sql.query(
        `INSERT INTO stock (location_id, sku_id, on_hand, reorder_point) VALUES ($1, 7, 2, 10), ($2, 7, 45, 5)`,
        [`${c}_near`, `${c}_far`],
      );
    }
  });
  after(async () => {
    await db.drop();
  });

  it("proposes for every touched company with one shortage query", async () => {
    const transfers = new TransfersService(counted(), {} as LedgerService, async () => new Map());
    transfers.touch(["co_a", "co_b"]);
    await transfers.flush();
    expect(shortageQueries).to.equal(1);
    const { rows } = await db.sql.query<{ company_id: string; from_location: string; quantity: number }>(
      "SELECT company_id, from_location, quantity FROM stock_transfers WHERE status = 'proposed' ORDER BY company_id",
    );
    expect(rows).to.deep.equal([
      { company_id: "co_a", from_location: "co_a_far", quantity: 8 },
      { company_id: "co_b", from_location: "co_b_far", quantity: 8 },
    ]);
    // Nothing touched: a pass asks nothing.
    await transfers.flush();
    expect(shortageQueries).to.equal(1);
  });

  it("joins a pass already running instead of starting a second one", async () => {
    shortageQueries = 0;
    const transfers = new TransfersService(counted(), {} as LedgerService, async () => new Map());
    transfers.touch(["co_c"]);
    await Promise.all([transfers.flush(), transfers.flush(), transfers.flush()]);
    expect(shortageQueries).to.equal(1);
    const { rows } = await db.sql.query("SELECT 1 FROM stock_transfers WHERE company_id = 'co_c'");
    expect(rows).to.have.length(1);
  });
});
