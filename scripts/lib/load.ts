/**
 * A bounded HTTP load generator for the benchmarks, run as its own process so that it does not share the
 * server's event loop: GETs random URLs from a file with C concurrent clients for D seconds, and prints one JSON
 * line with the count, errors, and the server-side (Server-Timing) and client-side latency percentiles.
 *   tsx scripts/lib/load.ts URLS_FILE CONCURRENCY SECONDS [ACCEPT]
 * LOAD_AUTHORIZATION in the environment is sent as the Authorization header.
 */
import { readFileSync } from "node:fs";
import { percentile } from "./stats.js";

const [file, c, s, accept] = process.argv.slice(2);
const urls = readFileSync(file!, "utf8").trim().split("\n");
const concurrency = Number(c ?? 16);
const authorization = process.env.LOAD_AUTHORIZATION;
const deadline = performance.now() + Number(s ?? 10) * 1000;
const server: number[] = [];
const client: number[] = [];
let errors = 0;
const statuses: Record<string, number> = {};

async function worker() {
  while (performance.now() < deadline) {
    const url = urls[Math.floor(Math.random() * urls.length)]!;
    const t = performance.now();
    try {
      const res = await fetch(url, {
        headers: { accept: accept ?? "application/json", ...(authorization ? { authorization } : {}) },
      });
      await res.arrayBuffer();
      client.push(performance.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const dur = /dur=([\d.]+)/.exec(res.headers.get("server-timing") ?? "")?.[1];
      if (dur) server.push(Number(dur));
      if (res.status >= 400) errors++;
    } catch {
      errors++;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    requests: client.length,
    perSec: client.length / seconds,
    errors,
    statuses,
    p50Ms: percentile(server, 50),
    p95Ms: percentile(server, 95),
    p99Ms: percentile(server, 99),
    clientP50Ms: percentile(client, 50),
    clientP95Ms: percentile(client, 95),
  }),
);
