import type pg from "pg";
import type { SqlDatabase } from "../db/sql.js";

/** The advisory-lock key of the worker's lease (sealing uses 727275, migrations 727274). */
const WORKER_LOCK = 727276;

/**
 * Which process runs the worker (sealing, anchoring, lifecycle writes, audit chaining and checkpoints) when several
 * API processes share one PostgreSQL: the one holding a session-level advisory lock on a connection of its own.
 * The others ask again every tick, so when the holder dies (its session ends, PostgreSQL releases the lock) another
 * takes over within a tick. Embedded PGlite belongs to one process (DATA_DIR is locked): always the holder.
 */
export class WorkerLease {
  private client: pg.PoolClient | null = null;

  constructor(private readonly pool: pg.Pool | null) {}

  static of(db: SqlDatabase): WorkerLease {
    return new WorkerLease(db.engine === "postgresql" ? (db as SqlDatabase & { pool: pg.Pool }).pool : null);
  }

  /** True when this process holds the lease (taking it if free); checks that a held lease's session is alive. */
  async held(): Promise<boolean> {
    if (!this.pool) return true;
    if (this.client) {
      try {
        await this.client.query("SELECT 1");
        return true;
      } catch {
        this.drop(); // the session is gone, and the lock with it: another process may hold it now
      }
    }
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [WORKER_LOCK]);
      if (rows[0]!.ok) {
        client.on("error", () => this.drop());
        this.client = client;
        return true;
      }
    } catch {
      // the database is unreachable: not the holder this tick
    }
    client.release();
    return false;
  }

  /** Gives the lease up (on shutdown), so that another process takes over at its next tick. */
  async release(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    await client.query("SELECT pg_advisory_unlock($1)", [WORKER_LOCK]).catch(() => undefined);
    client.release();
  }

  private drop() {
    const client = this.client;
    this.client = null;
    client?.release(true);
  }
}
