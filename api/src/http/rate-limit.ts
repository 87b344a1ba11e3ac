import type { Request, RequestHandler, Response } from "express";
import { AppError } from "../../../ledger-service/src/index.js";

/**
 * A token bucket per client: `perMinute` requests a minute, bursts up to that many. Past it the answer is 429 with
 * Retry-After. `keyOf` names the client (default: its IP address); buckets idle for 10 minutes are dropped.
 */
export function rateLimit(perMinute: number, what = "requests", keyOf: (req: Request, res: Response) => string = (req) => req.ip ?? "unknown"): RequestHandler & { take(key: string): number } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweep = Date.now();
  /** Takes one token for `key`; returns 0 when allowed, else the seconds to wait. */
  const take = (key: string): number => {
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
  };
  const handler: RequestHandler = (req, res, next) => {
    const wait = take(keyOf(req, res));
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      throw new AppError("RATE.LIMITED", `too many ${what} from this client; at most ${perMinute} a minute`, 429);
    }
    next();
  };
  return Object.assign(handler, { take });
}
