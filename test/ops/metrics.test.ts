import type { Server } from "node:http";
import { expect } from "chai";
import type { Registry } from "prom-client";
import { serveMetrics } from "../../api/src/ops/metrics.js";
import { startApi } from "../helpers/app.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/** Parses Prometheus's text format into `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe("Prometheus metrics on METRICS_PORT", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let metrics: Server;
  let url: string;
  const scrape = async () => {
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    metrics = await serveMetrics(api.app.locals.metrics as Registry, 0);
    url = `http://127.0.0.1:${(metrics.address() as { port: number }).port}/metrics`;
  });
  after(async () => {
    metrics?.close();
    await api?.stop();
    await stack?.close();
  });

  it("moves with real activity: requests by route, events accepted → pending → anchored, batches, scans, login failures", async () => {
    const before = await scrape();
    const get = (m: Map<string, number>, key: string) => m.get(key) ?? 0;
    const mintRoute = 'partledger_http_requests_total{method="POST",route="/api/v1/mint",status="201"}';

    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-MET",
      productionDate: "2026-11-20",
      count: 7,
    });
    expect(mint.status).to.equal(201);
    const accepted = await scrape();
    expect(get(accepted, mintRoute) - get(before, mintRoute)).to.equal(1);
    expect(
      get(accepted, 'partledger_http_request_duration_seconds_count{method="POST",route="/api/v1/mint"}'),
    ).to.be.at.least(1);
    expect(accepted.get("partledger_events_accepted")! - before.get("partledger_events_accepted")!).to.equal(7);
    expect(accepted.get("partledger_events_pending")).to.be.at.least(7); // nothing sealed yet: the worker is not running
    expect(accepted.get("partledger_events_unanchored")).to.be.at.least(7);
    expect(accepted.get("partledger_anchoring_lag_seconds")).to.be.greaterThan(0);
    expect([...accepted.keys()].some((k) => k.includes("/api/v1/mint") && k.includes("L-MET"))).to.equal(false);

    await stack.svc.worker.runUntilFinal(90_000);
    const anchored = await scrape();
    expect(anchored.get("partledger_events_pending")).to.equal(0);
    expect(anchored.get("partledger_events_unanchored")).to.equal(0);
    expect(anchored.get("partledger_events_anchored")).to.equal(anchored.get("partledger_events_accepted"));
    expect(anchored.get("partledger_anchoring_lag_seconds")).to.equal(0);
    expect(get(anchored, 'partledger_batches{state="final"}')).to.be.greaterThan(
      get(before, 'partledger_batches{state="final"}'),
    );
    expect(get(anchored, 'partledger_batches{state="sealed"}')).to.equal(0);

    const serial = mint.json.serials[0] as string;
    const scan = await fetch(`${api.origin}/01/${GTIN}/21/${serial}`, { headers: { accept: "application/json" } });
    const verdict = ((await scan.json()) as { verdict: string }).verdict;
    const bad = await api.call("POST", "/api/v1/auth/login", null, {
      login: "13800000000",
      password: "not the password",
    });
    expect(bad.status).to.equal(401);
    const after = await scrape();
    const verdictKey = `partledger_scans_total{verdict="${verdict}"}`;
    expect(get(after, verdictKey) - get(before, verdictKey)).to.equal(1);
    const failKey = 'partledger_login_failures_total{status="401"}';
    expect(get(after, failKey) - get(before, failKey)).to.equal(1);
    expect(after.get("partledger_webhook_backlog")).to.be.a("number");
    expect(after.get("partledger_lifecycle_write_lag_seconds")).to.be.a("number");
    expect(
      get(after, 'partledger_http_requests_total{method="GET",route="/01/:gtin/21/:serial",status="200"}'),
    ).to.be.at.least(1);
  });

  it("serves nothing but GET /metrics", async () => {
    expect((await fetch(url.replace("/metrics", "/api/v1/health"))).status).to.equal(404);
  });
});
