import { PGlite, types } from "@electric-sql/pglite";
import { fuzzystrmatch } from "@electric-sql/pglite/contrib/fuzzystrmatch";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { deferringSql, runDeferred } from "./deferred-writes.js";
import type { SqlDatabase } from "./sql.js";

const parsers = { [types.INT8]: (v: string) => Number(v) };

type Queryable = Pick<PGlite, "query" | "exec">;

const run =
  (q: Queryable) =>
  async <T>(text: string, params?: unknown[]) => ({ rows: (await q.query<T>(text, params, { parsers })).rows });

/** Embedded PostgreSQL (PGlite, WASM) persisted in `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPgliteSql(dataDir?: string): Promise<SqlDatabase & { pglite: PGlite }> {
  // The catalogue's number search uses trigram candidates and bounded edit distance (pg_trgm, fuzzystrmatch).
  const extensions = { pg_trgm, fuzzystrmatch };
  const db = dataDir ? await PGlite.create(dataDir, { extensions }) : await PGlite.create({ extensions });
  return {
    engine: "pglite",
    pglite: db,
    query: run(db),
    exec: async (text) => void (await db.exec(text)),
    defer: (text, params, check) => runDeferred(run(db), { text, params: params ?? [], check }),
    transaction: (fn) =>
      db.transaction(async (q) => {
        const tx = deferringSql(run(q), async (text) => void (await q.exec(text)), { begun: true });
        const result = await fn(tx);
        await tx.finish();
        return result;
      }),
    close: () => db.close(),
  };
}
