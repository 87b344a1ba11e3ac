import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "./sql.js";

/** prisma/migrations, laid out as Prisma lays it out (`<stamp>_<name>/migration.sql`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/**
 * Applies every migration not yet recorded in `_partledger_migrations`, each in its own transaction, in name
 * order. Prisma 7's migrate needs a native engine this project does not download (DECISIONS.md), so this runner
 * does the same job on PostgreSQL and PGlite alike. A recorded migration whose file changed is an error.
 */
export async function migrate(db: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS _partledger_migrations (
       name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const applied: string[] = [];
  for (const name of names) {
    const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    const done = await db.transaction(async (tx) => {
      // Serialise concurrent migrators (two processes starting at once) on a transaction-scoped lock.
      await tx.query("SELECT pg_advisory_xact_lock(727274)");
      const { rows } = await tx.query<AppliedMigration>(
        "SELECT name, checksum FROM _partledger_migrations WHERE name = $1",
        [name],
      );
      if (rows[0]) {
        if (rows[0].checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied`);
        return false;
      }
      await tx.exec(sql);
      await tx.query("INSERT INTO _partledger_migrations (name, checksum) VALUES ($1, $2)", [name, checksum]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}
