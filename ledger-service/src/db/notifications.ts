import pg from "pg";
import type { SqlDatabase } from "./sql.js";

/**
 * A PostgreSQL notification channel between the processes sharing a database: `publish` sends NOTIFY, every
 * process's `subscribe` callback runs on it (the sender's too). `live` is false while this process is not listening
 * (connecting, or the connection was lost): notifications may be missed then, so callers must not rely on them.
 * On embedded PGlite (one process) it is always live and publishing does nothing: there is no one else to tell.
 */
export interface Channel {
  readonly live: boolean;
  publish(): Promise<void>;
  subscribe(fn: () => void): void;
  close(): Promise<void>;
}

export function openChannel(db: SqlDatabase, name: string): Channel {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad channel name ${name}`);
  const subscribers: Array<() => void> = [];
  if (db.engine !== "postgresql") {
    return {
      live: true,
      publish: async () => undefined,
      subscribe: (fn) => void subscribers.push(fn),
      close: async () => undefined,
    };
  }
  const options = (db as SqlDatabase & { pool: pg.Pool }).pool.options;
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let connecting = false;
  let retry: NodeJS.Timeout | undefined;
  const tell = () => subscribers.forEach((fn) => fn());
  const connect = async () => {
    if (closed || connecting) return;
    connecting = true;
    const c = new pg.Client({ connectionString: options.connectionString });
    c.on("notification", (n) => n.channel === name && tell());
    c.on("error", () => lost(c));
    c.on("end", () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${name}`);
      if (closed) return void (await c.end().catch(() => undefined));
      client = c;
      live = true;
      tell(); // whatever was published while this process was not listening is covered by treating it as news
    } catch {
      lost(c);
    } finally {
      connecting = false;
    }
  };
  const lost = (c: pg.Client) => {
    if (client && client !== c) return;
    client = null;
    live = false;
    void c.end().catch(() => undefined);
    if (!closed && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1000);
      retry.unref();
    }
  };
  void connect();
  return {
    get live() {
      return live;
    },
    publish: async () => void (await db.query("SELECT pg_notify($1, '')", [name])),
    subscribe: (fn) => void subscribers.push(fn),
    async close() {
      closed = true;
      clearTimeout(retry);
      live = false;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
