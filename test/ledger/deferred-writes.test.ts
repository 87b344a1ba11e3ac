import { expect } from "chai";
import {
  DeferredCheckFailed,
  combineDeferredWrites,
  combineWrites,
} from "../../ledger-service/src/db/deferred-writes.js";
import type { Sql } from "../../ledger-service/src/index.js";
import { freshDatabase } from "../helpers/database.js";

describe("deferred writes: a transaction's result-less writes go to the database as one statement @smoke", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sql: Sql;
  before(async () => {
    db = await freshDatabase();
    sql = db.sql;
    await sql.exec(`CREATE TABLE dw_a (id INT PRIMARY KEY, note TEXT NOT NULL);
                    CREATE TABLE dw_b (id INT PRIMARY KEY, n INT NOT NULL CHECK (n >= 0));`);
  });
  after(() => db.drop());

  const rows = async (t: string) => (await sql.query<{ id: number }>(`SELECT * FROM ${t} ORDER BY id`)).rows;

  it("combines writes with their own WITH lists, renumbers parameters, leaves literals alone and splits where CTE names clash", () => {
    const withList = (n: number) => ({
      text: `WITH src AS (SELECT * FROM unnest($1::int[]) AS s(id)) INSERT INTO dw_a (id, note) SELECT id, '($1) ' || $2 FROM src`,
      params: [[n], `x${n}`],
    });
    const batch = combineWrites([
      { text: "INSERT INTO dw_b (id, n) VALUES ($1, $2)", params: [1, 5] },
      withList(1),
      { text: "UPDATE dw_b SET n = n + $1 WHERE id = $2", params: [1, 1] },
      withList(2), // "src" again: a second statement
    ]);
    expect(batch).to.have.length(2);
    expect(batch[0]!.params).to.deep.equal([1, 5, [1], "x1", 1, 1]);
    expect(batch[0]!.text).to.include("unnest($3::int[])").and.include("'($1) ' || $4").and.include("WHERE id = $6");
    expect(batch[1]!.params).to.deep.equal([[2], "x2"]);
    expect(() =>
      combineWrites([
        { text: "SELECT 1", params: [] },
        { text: "SELECT 2", params: [] },
      ]),
    ).to.throw(/only INSERT, UPDATE or DELETE/);
  });

  it("sends queued writes before the transaction's next statement and before its commit", async () => {
    await sql.transaction(async (tx) => {
      await tx.defer("INSERT INTO dw_a (id, note) VALUES ($1, $2)", [10, "first"]);
      await tx.defer(
        `WITH src AS (SELECT * FROM unnest($1::int[], $2::int[]) AS s(id, n)) INSERT INTO dw_b (id, n) SELECT id, n FROM src`,
        [
          [10, 11],
          [1, 2],
        ],
      );
      // the next statement sees them
      expect((await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM dw_b WHERE id >= 10")).rows[0]!.n).to.equal(
        2,
      );
      await tx.defer("UPDATE dw_a SET note = $1 WHERE id = $2", ["second", 10]);
    });
    expect((await rows("dw_a")).find((r) => r.id === 10)).to.deep.equal({ id: 10, note: "second" });
  });

  it("a deferred write that fails at commit rolls back the whole transaction, its statements run before included", async () => {
    const before = { a: await rows("dw_a"), b: await rows("dw_b") };
    let failed: Error | undefined;
    await sql
      .transaction(async (tx) => {
        await tx.query("INSERT INTO dw_a (id, note) VALUES (20, 'kept?')");
        await tx.defer("INSERT INTO dw_a (id, note) VALUES ($1, $2)", [21, "queued"]);
        await tx.defer("UPDATE dw_b SET n = n - $1 WHERE id = $2", [100, 10]); // breaks CHECK (n >= 0) at commit
      })
      .catch((e: Error) => (failed = e));
    expect(failed?.message).to.match(/check constraint/i);
    expect(await rows("dw_a")).to.deep.equal(before.a);
    expect(await rows("dw_b")).to.deep.equal(before.b);
  });

  it("sent one by one (bench:orders' BENCH_DEFERRED_WRITES=separate), a transaction's writes still commit or roll back together", async () => {
    combineDeferredWrites(false);
    try {
      const before = await rows("dw_a");
      let failed: unknown;
      await sql
        .transaction(async (tx) => {
          await tx.defer("INSERT INTO dw_a (id, note) VALUES ($1, $2)", [40, "alone"]);
          await tx.defer("INSERT INTO dw_b (id, n) VALUES ($1, $2)", [40, 3], {
            sql: "$2::int > 5",
            message: "n must exceed 5",
          });
        })
        .catch((e: unknown) => (failed = e));
      expect(failed).to.be.instanceOf(DeferredCheckFailed);
      expect((failed as Error).message).to.contain("n must exceed 5");
      expect(await rows("dw_a")).to.deep.equal(before);
      await sql.transaction(async (tx) => {
        await tx.defer("INSERT INTO dw_a (id, note) VALUES ($1, $2)", [41, "one"]);
        await tx.defer("INSERT INTO dw_b (id, n) VALUES ($1, $2)", [41, 6], {
          sql: "$2::int > 5",
          message: "n must exceed 5",
        });
      });
      expect((await rows("dw_a")).map((r) => r.id)).to.include(41);
      expect((await rows("dw_b")).map((r) => r.id)).to.include(41);
    } finally {
      combineDeferredWrites(true);
    }
  });

  it("outside a transaction a deferred write runs at once", async () => {
    await sql.defer("INSERT INTO dw_a (id, note) VALUES ($1, $2)", [30, "now"]);
    expect((await rows("dw_a")).map((r) => r.id)).to.include(30);
  });
});
