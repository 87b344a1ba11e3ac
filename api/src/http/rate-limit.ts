import type { Request, RequestHandler, Response } from "express";
import { AppError, type Sql } from "../../../ledger-service/src/index.js";

/** Where token buckets live: takes one token of `key`'s bucket; resolves 0 when allowed, else the seconds to wait. */
export interface BucketStore {
  take(key: string, perMinute: number): Promise<number>;
}

/** Buckets in this process's memory (embedded PGlite: one process). Buckets idle for 10 minutes are dropped. */
export function memoryBuckets(): BucketStore {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweep = Date.now();
  return {
    async take(key, perMinute) {
      const now = Date.now();
      if (now - sweep > 600_000) {
        for (const [k, b] of buckets) if (now - b.at > 600_000) buckets.delete(k);
        sweep = now;
      }
      const b = buckets.get(key) ?? { tokens: perMinute, at: now };
      b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens < 1) return Math.ceil(((1 - b.tokens) / perMinute) * 60);
      b.tokens -= 1;
      return 0;
    },
  };
}

/**
 * Buckets in PostgreSQL (`rate_limit_buckets`), shared by every API process on the database: one upsert refills the
 * bucket for the time since its last use and takes a token when there is one, atomically (the row's lock serialises
 * two processes taking from one bucket). Buckets idle for 10 minutes are deleted now and then.
 */
export function databaseBuckets(db: Sql): BucketStore {
  let sweep = Date.now();
  return {
    async take(key, perMinute) {
      if (Date.now() - sweep > 600_000) {
        sweep = Date.now();
        await db.query("DELETE FROM rate_limit_buckets WHERE at < now() - interval '10 minutes'");
      }
      const refill = "LEAST($2::float8, b.tokens + extract(epoch FROM now() - b.at)::float8 * $2::float8 / 60)";
      const { rows } = await db.query<{ tokens: number; granted: boolean }>(
        `INSERT INTO rate_limit_buckets AS b (key, tokens, at, granted) VALUES ($1, $2::float8 - 1, now(), true)
         ON CONFLICT (key) DO UPDATE SET
           tokens = ${refill} - CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END,
           granted = ${refill} >= 1,
           at = now()
         RETURNING tokens, granted`,
        [key, perMinute],
      );
      const { tokens, granted } = rows[0]!;
      return granted ? 0 : Math.ceil(((1 - tokens) / perMinute) * 60);
    },
  };
}

/**
 * A token bucket per client: `perMinute` requests a minute, bursts up to that many. Past it the answer is 429 with
 * Retry-After. `keyOf` names the client (default: its IP address); `store` holds the buckets (default: memory).
 */
export function rateLimit(
  perMinute: number,
  what = "requests",
  keyOf: (req: Request, res: Response) => string = (req) => req.ip ?? "unknown",
  store: BucketStore = memoryBuckets(),
): RequestHandler & { take(key: string): Promise<number> } {
  // A bucket is named by what it limits and at which rate, so two limits never share one.
  const take = (key: string) => store.take(`${what}/${perMinute}:${key}`, perMinute);
  const handler: RequestHandler = async (req, res, next) => {
    const wait = await take(keyOf(req, res));
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw new AppError("RATE.LIMITED", `too many ${what} from this client; at most ${perMinute} a minute`, 429);
    }
    next();
  };
  return Object.assign(handler, { take });
}
