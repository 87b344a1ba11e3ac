import pg from "pg";
import type { Sql, SqlDatabase } from "./sql.js";

// bigint (int8) columns come back as JS strings by default; ledger sequence numbers fit in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

function clientSql(client: pg.PoolClient): Sql {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await client.query(text, params)).rows as T[] }),
    exec: async (text) => void (await client.query(text)),
    transaction: (fn) => fn(clientSql(client)), // already inside one
  };
}

/** PostgreSQL server through a pg pool. */
export function openPgSql(url: string, max = 10): SqlDatabase & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  return {
    engine: "postgresql",
    pool,
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await pool.query(text, params)).rows as T[] }),
    exec: async (text) => void (await pool.query(text)),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(clientSql(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
