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
 * Buckets in PostgreSQL (`rate_limit_buckets`, unlogged), shared by every API process on the database: one upsert
 * refills the bucket for the time since its last use and takes tokens when there are some, atomically (the row's lock
 * serialises two processes taking from one bucket). Buckets idle for 10 minutes are deleted now and then.
 *
 * A process takes a *lease* of a tenth of a second's worth of the rate at once (1-50 tokens: one for a rate below
 * 1,200 a minute, e.g. logins, so those stay exact) and spends it in memory for up to `leaseMs`, so a busy credential
 * costs the database one upsert per lease instead of one per request, and its requests do not queue on its bucket's
 * row. Tokens leased are gone from the shared bucket, so all processes together never grant more than the rate; what
 * a lease has left when it ends is dropped, so a credential spread over P processes may be held back by up to P
 * leases a second (at the default 6,000 a minute: 10 tokens of 100 a second per process).
 */
export function databaseBuckets(db: Sql, opts: { leaseMs?: number } = {}): BucketStore {
  const leaseMs = opts.leaseMs ?? 1000;
  const leases = new Map<string, { left: number; until: number }>();
  let sweep = Date.now();
  return {
    async take(key, perMinute) {
      const now = Date.now();
      const lease = leases.get(key);
      if (lease && lease.left > 0 && lease.until > now) {
        lease.left--;
        return 0;
      }
      if (now - sweep > 600_000) {
        sweep = now;
        for (const [k, l] of leases) if (l.until <= now) leases.delete(k);
        await db.query("DELETE FROM rate_limit_buckets WHERE at < now() - interval '10 minutes'");
      }
      const want = Math.max(1, Math.min(50, Math.floor(perMinute / 600)));
      const refill = "LEAST($2::float8, b.tokens + extract(epoch FROM now() - b.at)::float8 * $2::float8 / 60)";
      const take = `GREATEST(LEAST($3::float8, floor(${refill})), 0)`;
      const { rows } = await db.query<{ tokens: number; taken: number }>(
        `INSERT INTO rate_limit_buckets AS b (key, tokens, at, granted, taken)
           VALUES ($1, $2::float8 - LEAST($3::float8, floor($2::float8)), now(), $2::float8 >= 1, LEAST($3::float8, floor($2::float8)))
         ON CONFLICT (key) DO UPDATE SET
           tokens = ${refill} - ${take},
           taken = ${take},
           granted = ${refill} >= 1,
           at = now()
         RETURNING tokens, taken`,
        [key, perMinute, want],
      );
      const { tokens, taken: got } = rows[0]!;
      if (got < 1) return Math.ceil(((1 - tokens) / perMinute) * 60);
      if (got > 1) leases.set(key, { left: got - 1, until: now + leaseMs });
      else leases.delete(key);
      return 0;
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
