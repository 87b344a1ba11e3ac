import { createHash } from "node:crypto";
import pg from "pg";
import { deferringSql, runDeferred } from "./deferred-writes.js";
import type { SqlDatabase } from "./sql.js";

// bigint (int8) columns come back as JS strings by default; ledger sequence numbers fit in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Parameterised statements run as named prepared statements (named by a hash of their text), so each connection
 * parses and plans a hot statement once instead of on every call.
 */
const names = new Map<string, string>();
async function run<T>(on: pg.Pool | pg.PoolClient, text: string, params?: unknown[]): Promise<{ rows: T[] }> {
  if (!params) return { rows: (await on.query(text)).rows as T[] };
  let name = names.get(text);
  if (!name) {
    name = `pl_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    names.set(text, name);
  }
  return { rows: (await on.query({ name, text, values: params })).rows as T[] };
}

/**
 * PostgreSQL server through a pg pool. Connections, once opened, stay open (`min` = `max`; pg closes idle ones after
 * 10 s by default): a fresh backend starts with cold catalog caches and none of our prepared statements, and a burst
 * after a quiet spell paid for opening and warming all ten at once — the open loop's 1.4 s stall at its start, with
 * 110 requests queued for a connection (DECISIONS 66).
 */
export function openPgSql(url: string, max = 10): SqlDatabase & { pool: pg.Pool } {
  // JIT off: it compiles a query whose estimate is large (a LATERAL over many index ranges estimates millions of
  // rows and reads a few thousand) — 2 s of compiling for a 10 ms search at 1M SKUs (DECISIONS 120).
  const pool = new pg.Pool({ connectionString: url, max, min: max, options: "-c jit=off" });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  return {
    engine: "postgresql",
    pool,
    query: <T>(text: string, params?: unknown[]) => run<T>(pool, text, params),
    exec: async (text) => void (await pool.query(text)),
    defer: (text, params, check) => runDeferred((t, p) => run(pool, t, p), { text, params: params ?? [], check }),
    /** BEGIN goes out with the first statement, not before: a transaction of deferred writes only is one statement. */
    async transaction(fn) {
      const client = await pool.connect();
      const tx = deferringSql(
        (text, params) => run(client, text, params),
        async (text) => void (await client.query(text)),
      );
      try {
        const result = await fn(tx);
        await tx.finish();
        if (tx.begun()) await client.query("COMMIT");
        return result;
      } catch (e) {
        if (tx.begun()) await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
