import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../ledger-service/src/index.js";

/**
 * A fresh, migrated database for one test: a new database on the PostgreSQL server named by DATABASE_URL
 * (dropped afterwards), or an in-memory PGlite when DATABASE_URL is not set.
 */
export async function freshDatabase(): Promise<Database & { url?: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const db = await openDatabase({});
    return { ...db, drop: () => db.close() };
  }
  const name = `partledger_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  return {
    ...db,
    url: url.toString(),
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
