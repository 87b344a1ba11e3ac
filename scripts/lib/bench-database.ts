import { randomBytes } from "node:crypto";
import pg from "pg";

/** A fresh database on the PostgreSQL server at `serverUrl` for one benchmark run; `drop()` removes it. */
export async function benchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ name: string; url: string; drop(): Promise<void>; keep(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  admin.on("error", () => undefined); // the server ends connections to a database dropped WITH (FORCE)
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
    /** Leaves the database in place (to inspect it) and closes the admin connection. */
    async keep() {
      await admin.end();
    },
  };
}
