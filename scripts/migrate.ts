/** `npm run migrate`: applies pending SQL migrations (prisma/migrations) to DATABASE_URL or the embedded PGlite. */
import { loadConfig, migrate, openDatabase } from "../ledger-service/src/index.js";

try {
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, migrate: false });
  const applied = await migrate(db.sql);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  await db.close();
} catch (e) {
  console.error(`migrate: ${(e as Error).message}`);
  process.exit(1);
}
