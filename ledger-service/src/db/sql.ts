import type { DeferredCheck } from "./deferred-writes.js";

/** A row-returning SQL executor: the only thing repositories need from a database. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * A write whose result nobody reads. Inside a transaction it is queued and sent, combined with the other queued
   * writes into one statement, before the transaction's next statement or its commit — so its failure fails the
   * transaction; queued writes see one snapshot and must not depend on each other. Outside one it runs at once.
   * `check` is a condition the write must meet (see DeferredCheck); unmet, the transaction fails with
   * DeferredCheckFailed.
   */
  defer(text: string, params?: unknown[], check?: DeferredCheck): Promise<void>;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

/** A database handle: SQL plus the engine name and a way to close it. */
export interface SqlDatabase extends Sql {
  readonly engine: "postgresql" | "pglite";
  close(): Promise<void>;
}
