/**
 * The open-loop order load for `npm run bench:orders`, in its own process: orders are sent on a fixed schedule —
 * order i at start + i / rate — whether or not earlier ones have been answered, so a slow server meets the same
 * arrivals a real platform would send it (no coordinated omission). Each latency runs from the order's scheduled send
 * time, not from when it actually went out, so time lost in this process or in a queue for a connection counts too.
 *   tsx scripts/lib/load-orders-open.ts CONFIG_JSON_FILE
 * CONFIG: { origin, keys: string[], skus: number[], rate (orders/s), seconds, maxSockets?, drainSeconds? }
 * Prints one JSON line: sent, placed (201), conflicts (409), errors (any other status, a network error, or no answer
 * within drainSeconds after the last send), clientError4xx (statuses that mean the request itself is wrong),
 * statuses, the achieved send rate, and latency p50/p99/max over every order (from its scheduled time; an unanswered
 * one counts with its wait until the drain ended).
 */
import { readFileSync } from "node:fs";
import { orderPoster, type OrderLoadConfig } from "./order-requests.js";
import { percentile } from "./stats.js";

const cfg = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as OrderLoadConfig & {
  rate: number;
  seconds: number;
  maxSockets?: number;
  drainSeconds?: number;
};
if (!(cfg.rate > 0) || !(cfg.seconds > 0))
  throw new Error(`open loop: rate and seconds must be > 0, got ${cfg.rate} and ${cfg.seconds}`);
const poster = orderPoster(cfg, cfg.maxSockets ?? 512);
const total = Math.round(cfg.rate * cfg.seconds);
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let errors = 0;
let clientError4xx = 0;
const pending = new Map<number, number>(); // order number → its scheduled time, until answered
const inFlight: Array<Promise<void>> = [];

const send = (i: number, scheduled: number) => {
  pending.set(i, scheduled);
  // The scheduled time travels with the order (epoch ms), for the server-side probe (BENCH_PROBE, stall-probe.ts).
  return poster.post({ "x-bench-scheduled": (performance.timeOrigin + scheduled).toFixed(1) }).then(
    (res) => {
      pending.delete(i);
      latencies.push(performance.now() - scheduled);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status !== 201 && res.status !== 409) errors++;
      if (res.status >= 400 && res.status < 500 && res.status !== 409) clientError4xx++;
    },
    () => {
      pending.delete(i);
      latencies.push(performance.now() - scheduled);
      errors++;
      statuses.network = (statuses.network ?? 0) + 1;
    },
  );
};

const start = performance.now() + 50;
let next = 0;
while (next < total) {
  const now = performance.now();
  // Every order whose time has come goes out now; a late loop sends the backlog at once (and their clocks have run).
  while (next < total && start + (next * 1000) / cfg.rate <= now) {
    inFlight.push(send(next, start + (next * 1000) / cfg.rate));
    next++;
  }
  if (next < total)
    await new Promise((r) => setTimeout(r, Math.max(0, start + (next * 1000) / cfg.rate - performance.now())));
}
const sendSeconds = (performance.now() - start) / 1000;
const drain = (cfg.drainSeconds ?? 30) * 1000;
await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, drain))]);
// Orders still unanswered are errors, and their latency is at least their wait so far.
const unanswered = pending.size;
for (const scheduled of pending.values()) latencies.push(performance.now() - scheduled);
errors += unanswered;
if (unanswered) statuses.unanswered = unanswered;
poster.close();
console.log(
  JSON.stringify({
    sent: total,
    rate: cfg.rate,
    sendRate: total / sendSeconds,
    placed: statuses["201"] ?? 0,
    conflicts: statuses["409"] ?? 0,
    errors,
    clientError4xx,
    statuses,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: percentile(latencies, 100),
  }),
);
process.exit(0); // unanswered requests would keep their sockets open
