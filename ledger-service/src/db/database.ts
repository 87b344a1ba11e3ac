import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../../generated/prisma/client.js";
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
  if (opts.url) {
    const pg = openPgSql(opts.url);
    sql = pg;
    prisma = new PrismaClient({ adapter: new PrismaPg(pg.pool) });
  } else {
    let dir: string | undefined;
    if (opts.dataDir) {
      dir = join(resolve(opts.dataDir), "pglite");
      mkdirSync(dir, { recursive: true });
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
    },
  };
}
