/**
 * The order load for `npm run bench:orders`, in its own process: C concurrent clients POST /api/v1/orders for D
 * seconds, each order 1-3 random SKUs × 1-5, as random shops, every request with a fresh Idempotency-Key. Prints one
 * JSON line: orders placed, per second, errors, statuses, server-side (Server-Timing) and client-side percentiles, and
 * every latency (serverMs, clientMs) so that rounds can be pooled.
 * node:http with one keep-alive connection per client: the load should spend the machine's CPU on the server, not on
 * itself (fetch's streams cost this process several times as much per request).
 *   tsx scripts/lib/load-orders.ts CONFIG_JSON_FILE
 * CONFIG: { origin, keys: string[], skus: number[], concurrency, seconds, warmupSeconds? } (warm-up orders are not counted)
 */
import { readFileSync } from "node:fs";
import { orderPoster, serverDuration, type OrderLoadConfig } from "./order-requests.js";
import { percentile } from "./stats.js";

type Config = OrderLoadConfig & { concurrency: number; seconds: number; warmupSeconds?: number };
const cfg = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Config;
// Warm-up: orders are placed but not counted (this process's JIT and connections, like pgbench's excluded start-up).
const measureFrom = performance.now() + (cfg.warmupSeconds ?? 0) * 1000;
const deadline = measureFrom + cfg.seconds * 1000;
const server: number[] = [];
const client: number[] = [];
const statuses: Record<string, number> = {};
let errors = 0;
const poster = orderPoster(cfg, cfg.concurrency);

async function worker() {
  while (performance.now() < deadline) {
    const t = performance.now();
    try {
      const res = await poster.post();
      if (t < measureFrom) continue;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 201) {
        client.push(performance.now() - t);
        const dur = serverDuration(res.serverTiming);
        if (dur !== undefined) server.push(dur);
      } else if (res.status !== 409) errors++;
    } catch {
      errors++;
    }
  }
}

const workers = Promise.all(Array.from({ length: cfg.concurrency }, worker));
await new Promise((r) => setTimeout(r, Math.max(0, measureFrom - performance.now())));
const started = performance.now();
await workers;
const seconds = (performance.now() - started) / 1000;
poster.close();
console.log(
  JSON.stringify({
    orders: client.length,
    perSec: client.length / seconds,
    errors,
    statuses,
    p50Ms: percentile(server, 50),
    p99Ms: percentile(server, 99),
    clientP50Ms: percentile(client, 50),
    clientP99Ms: percentile(client, 99),
    serverMs: server.map((x) => Math.round(x * 100) / 100),
    clientMs: client.map((x) => Math.round(x * 100) / 100),
  }),
);
