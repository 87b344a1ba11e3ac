import { PGlite, types } from "@electric-sql/pglite";
import type { Sql, SqlDatabase } from "./sql.js";

const parsers = { [types.INT8]: (v: string) => Number(v) };

type Queryable = Pick<PGlite, "query" | "exec">;

function txSql(q: Queryable): Sql {
  const sql: Sql = {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await q.query<T>(text, params, { parsers })).rows }),
    exec: async (text) => void (await q.exec(text)),
    transaction: (fn) => fn(sql), // already inside one
  };
  return sql;
}

/** Embedded PostgreSQL (PGlite, WASM) persisted in `dataDir`, or in memory when `dataDir` is undefined. */
export async function openPgliteSql(dataDir?: string): Promise<SqlDatabase & { pglite: PGlite }> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const top = txSql(db);
  return {
    engine: "pglite",
    pglite: db,
    query: top.query,
    exec: top.exec,
    transaction: (fn) => db.transaction((tx) => fn(txSql(tx))),
    close: () => db.close(),
  };
}
