import { expect } from "chai";
import { openPgSql } from "../../ledger-service/src/db/pg-sql.js";

/**
 * The PostgreSQL pool keeps the connections it opened (DECISIONS 66): after a quiet spell longer than pg's default
 * idle timeout (10 s) the same backends answer, with their prepared statements and warm caches.
 */
describe("PostgreSQL pool: connections stay open through a quiet spell", function () {
  this.timeout(60_000);
  before(function () {
    if (!process.env.DATABASE_URL) this.skip(); // PGlite has no pool
  });

  it("answers from the same backends 11 s later", async () => {
    const sql = openPgSql(process.env.DATABASE_URL!, 3);
    try {
      const pids = async () =>
        (
          await Promise.all(
            [0, 1, 2].map(() =>
              sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, pg_sleep(0.2) IS NULL AS slept", []),
            ),
          )
        )
          .map((r) => r.rows[0]!.pid)
          .sort();
      const before = await pids();
      expect(new Set(before).size).to.equal(3);
      await new Promise((r) => setTimeout(r, 11_000));
      expect(sql.pool.totalCount).to.equal(3);
      expect(await pids()).to.deep.equal(before);
    } finally {
      await sql.close();
    }
  });
});
