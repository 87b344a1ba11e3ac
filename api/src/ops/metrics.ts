import { createServer, type Server } from "node:http";
import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Sql } from "../../../ledger-service/src/index.js";
import { routeOf } from "../http/request-log.js";
import { ledgerFigures } from "./metrics.repository.js";

/** Process-wide figures (counted where they happen): HTTP, scans, login failures, Node's own. */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: "partledger_" });

const httpRequests = new Counter({
  name: "partledger_http_requests_total",
  help: "HTTP requests by method, route pattern and status",
  labelNames: ["method", "route", "status"] as const,
  registers: [processRegistry],
});
const httpDuration = new Histogram({
  name: "partledger_http_request_duration_seconds",
  help: "HTTP request latency by method and route pattern",
  labelNames: ["method", "route"] as const,
  registers: [processRegistry],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
/** Scans answered on the public resolver, by verdict; `rate()` of it is the scan rate. */
export const scansTotal = new Counter({
  name: "partledger_scans_total",
  help: "Scans answered, by verdict",
  labelNames: ["verdict"] as const,
  registers: [processRegistry],
});
const loginFailures = new Counter({
  name: "partledger_login_failures_total",
  help: "Refused logins: wrong credentials (401), locked or rate-limited (429)",
  labelNames: ["status"] as const,
  registers: [processRegistry],
});

const LOGIN_ROUTE = "/api/v1/auth/login";

/** Counts every request by route pattern (not the raw URL: ids would make a series each) and times it. */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.once("finish", () => {
    const route = routeOf(req);
    httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    end({ method: req.method, route });
    if (route === LOGIN_ROUTE && (res.statusCode === 401 || res.statusCode === 429))
      loginFailures.inc({ status: String(res.statusCode) });
  });
  next();
};

const BATCH_STATES = ["sealed", "submitted", "confirmed", "final"] as const;

/**
 * The database's figures, read when Prometheus scrapes (one statement): events accepted, pending (not yet in a
 * batch) and anchored (in a final batch), batches by state, anchoring and lifecycle-write lag in seconds, the
 * webhook backlog and the audit entries waiting to be chained. Merged with the process-wide registry.
 */
export function metricsRegistry(db: Sql): Registry {
  const registry = new Registry();
  let figures: Promise<Awaited<ReturnType<typeof ledgerFigures>>> | null = null;
  // The gauges share one query a scrape: prom-client starts every collect() in the same tick, so the first one
  // starts the query and the others await the same promise; the next scrape reads afresh.
  const read = () => (figures ??= ledgerFigures(db).finally(() => (figures = null)));
  const gauge = (name: string, help: string, pick: (f: Awaited<ReturnType<typeof ledgerFigures>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await read()));
      },
    });
  gauge("partledger_events_accepted", "Ledger events accepted (the ledger head's seq)", (f) => f.accepted);
  gauge("partledger_events_pending", "Events accepted but not yet sealed into a batch", (f) => f.accepted - f.sealed);
  gauge("partledger_events_unanchored", "Events not yet in a final (anchored) batch", (f) => f.accepted - f.anchored);
  gauge("partledger_events_anchored", "Events in final (anchored and confirmed) batches", (f) => f.anchored);
  gauge(
    "partledger_anchoring_lag_seconds",
    "Age of the oldest event not yet anchored (0: all anchored)",
    (f) => f.anchoringLagSeconds,
  );
  gauge("partledger_lifecycle_writes_open", "On-chain lifecycle writes not yet final", (f) => f.lifecycleOpen);
  gauge(
    "partledger_lifecycle_write_lag_seconds",
    "Age of the oldest on-chain lifecycle write not yet final",
    (f) => f.lifecycleLagSeconds,
  );
  gauge("partledger_webhook_backlog", "Webhook deliveries waiting (pending)", (f) => f.webhookBacklog);
  gauge(
    "partledger_webhook_lag_seconds",
    "How long the oldest due webhook delivery has waited",
    (f) => f.webhookLagSeconds,
  );
  gauge("partledger_audit_pending", "Audit entries accepted but not yet chained", (f) => f.auditPending);
  new Gauge({
    name: "partledger_batches",
    help: "Batches by state",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      const f = await read();
      for (const state of BATCH_STATES) this.set({ state }, f.batches[state] ?? 0);
    },
  });
  return Registry.merge([processRegistry, registry]);
}

/**
 * `/metrics` in Prometheus's text format on its own listener (METRICS_PORT), apart from the API: nothing public
 * reaches it and no credential is needed to scrape it. Every other path answers 404.
 */
export function serveMetrics(registry: Registry, port: number, host = "127.0.0.1"): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (e: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics unavailable: ${e.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
