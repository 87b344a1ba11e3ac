import type { RequestHandler } from "express";
import { AppError } from "../../../ledger-service/src/index.js";

/**
 * A per-client token bucket: `perMinute` requests a minute, bursts up to that many. Public endpoints (the scan)
 * answer 429 with Retry-After past it. Buckets idle for 10 minutes are dropped.
 */
export function rateLimit(perMinute: number): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweep = Date.now();
  return (req, res, next) => {
    const now = Date.now();
    if (now - sweep > 600_000) {
      for (const [k, b] of buckets) if (now - b.at > 600_000) buckets.delete(k);
      sweep = now;
    }
    const key = req.ip ?? "unknown";
    const b = buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + ((now - b.at) / 60_000) * perMinute);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) {
      res.setHeader("Retry-After", String(Math.ceil(((1 - b.tokens) / perMinute) * 60)));
      throw new AppError("RATE.LIMITED", `too many scans from this client; at most ${perMinute} a minute`, 429);
    }
    b.tokens -= 1;
    next();
  };
}
