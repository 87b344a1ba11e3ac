import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../../generated/prisma/client.js";
import { AppError } from "../errors.js";
import { migrate } from "./migrate.js";
import { openPgliteSql } from "./pglite-sql.js";
import { openPgSql } from "./pg-sql.js";
import type { SqlDatabase } from "./sql.js";

/** SQL for hot paths (bulk appends, proofs) and Prisma for the rest, over one connection pool. */
export interface Database {
  sql: SqlDatabase;
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL server URL; absent → embedded PGlite. */
  url?: string | undefined;
  /** PGlite's directory (`<dataDir>/pglite`); absent with no url → in memory. */
  dataDir?: string | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

/** Opens PostgreSQL (DATABASE_URL) or embedded PGlite and applies pending migrations. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  let sql: SqlDatabase;
  let prisma: PrismaClient;
  let unlock = () => {};
  if (opts.url) {
    const pg = openPgSql(opts.url);
    sql = pg;
    prisma = new PrismaClient({ adapter: new PrismaPg(pg.pool) });
  } else {
    let dir: string | undefined;
    if (opts.dataDir) {
      dir = join(resolve(opts.dataDir), "pglite");
      mkdirSync(dir, { recursive: true });
      unlock = lockDataDir(dir);
    }
    const lite = await openPgliteSql(dir);
    sql = lite;
    prisma = new PrismaClient({ adapter: new PrismaPGlite(lite.pglite) });
  }
  if (opts.migrate !== false) await migrate(sql);
  return {
    sql,
    prisma,
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await sql.close();
      unlock();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it. A pid file
 * claims the directory; a claim by a process that no longer runs is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, "..", "pglite.pid");
  try {
    const pid = Number(readFileSync(file, "utf8"));
    if (pid && pid !== process.pid) {
      process.kill(pid, 0); // throws when no such process
      throw new AppError(
        "DATABASE.IN_USE",
        `the embedded database in ${dir} is open in process ${pid} (npm start?): stop it first, or use DATABASE_URL for a PostgreSQL server that several processes can share`,
        409,
      );
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
