import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Server } from "node:http";
import { createApp } from "../../api/src/app.js";
import { consoleCsp } from "../../api/src/http/console.js";
import { OPERATOR, PUBLIC_BASE, startApi } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** The web console's routes: static build at /console with an SPA fallback, / for browsers, the 503 when unbuilt. */
describe("the console at /console", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let bare: { origin: string; server: Server; app: ReturnType<typeof createApp> };
  let dist: string;
  let empty: string;
  const INDEX = `<!doctype html><html><head><script type="module" src="/console/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>`;

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), "console-dist-"));
    empty = mkdtempSync(join(tmpdir(), "console-none-"));
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), INDEX);
    writeFileSync(join(dist, "assets/index-AbC123.js"), "console.log('console');\n");
    writeFileSync(join(dist, "assets/index-AbC123.css"), "body{margin:0}\n");
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { consoleDist: dist });
    // A second app over the same stack whose console is not built.
    const app = createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: OPERATOR,
      publicBaseUrl: PUBLIC_BASE,
      consoleDist: empty,
      webhooks: { intervalMs: 0 },
      transferCheckMs: 0,
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    bare = { app, server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
  });
  after(async () => {
    await api?.stop();
    bare?.server.close();
    await (bare?.app.locals.shutdown as (() => Promise<void>) | undefined)?.();
    await stack?.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  const get = (origin: string, path: string, accept = "text/html,application/xhtml+xml,*/*;q=0.8") =>
    fetch(origin + path, { headers: { accept }, redirect: "manual" });

  it("serves index.html at /console/ uncached, under a CSP without inline scripts, with the camera allowed", async () => {
    const r = await get(api.origin, "/console/");
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.match(/^text\/html/);
    expect(r.headers.get("cache-control")).to.equal("no-cache");
    expect(await r.text()).to.equal(INDEX);
    const csp = r.headers.get("content-security-policy")!;
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.match(/script-src 'self'(;|$)/, "no 'unsafe-inline' or 'unsafe-eval' for scripts");
    expect(csp).to.include("frame-ancestors 'none'");
    // The auditor page's verifier asks the chain itself (DECISIONS 65): the published RPC origin, https, loopback.
    expect(csp).to.include(`connect-src 'self' ${new URL(stack.chainUrl).origin} https: http://127.0.0.1:* `);
    expect(consoleCsp(null)).to.include("connect-src 'self' https: http://127.0.0.1:* http://localhost:*;");
    expect(consoleCsp("https://rpc.example.cn/v1?key=x")).to.include(
      "connect-src 'self' https://rpc.example.cn https:",
    );
    expect(consoleCsp("not a url")).to.include("connect-src 'self' https:");
    expect(r.headers.get("permissions-policy")).to.include("camera=(self)");
    expect(r.headers.get("x-frame-options")).to.equal("DENY");
    // The API keeps its own, stricter policy.
    const health = await get(api.origin, "/api/v1/health", "application/json");
    expect(health.headers.get("content-security-policy")).to.include("default-src 'none'");
    expect(health.headers.get("permissions-policy")).to.include("camera=()");
  });

  it("answers deep links with index.html (the browser router's), and /console with a redirect to /console/", async () => {
    for (const path of ["/console/shop/search", "/console/company", "/console/a/b/c?x=1"]) {
      const r = await get(api.origin, path);
      expect(r.status, path).to.equal(200);
      expect(await r.text(), path).to.equal(INDEX);
    }
    const bareMount = await get(api.origin, "/console");
    expect(bareMount.status).to.equal(301);
    expect(bareMount.headers.get("location")).to.equal("/console/");
  });

  it("serves hashed assets cached for a year, and a missing asset as 404 (never index.html)", async () => {
    const js = await get(api.origin, "/console/assets/index-AbC123.js");
    expect(js.status).to.equal(200);
    expect(js.headers.get("content-type")).to.match(/javascript/);
    expect(js.headers.get("cache-control"))
      .to.match(/max-age=31536000/)
      .and.match(/immutable/);
    expect(await js.text()).to.include("console.log");
    const css = await get(api.origin, "/console/assets/index-AbC123.css");
    expect(css.headers.get("content-type")).to.match(/text\/css/);
    const missing = await get(api.origin, "/console/assets/old-chunk-XyZ.js");
    expect(missing.status).to.equal(404);
    expect(await missing.text()).to.not.include("<html");
  });

  it("GET / sends a browser to the console and still answers JSON to API clients", async () => {
    const browser = await get(api.origin, "/");
    expect(browser.status).to.equal(302);
    expect(browser.headers.get("location")).to.equal("/console/");
    for (const accept of ["application/json", "*/*"]) {
      const r = await get(api.origin, "/", accept);
      expect(r.status, accept).to.equal(200);
      expect(await r.json(), accept).to.include({ console: "/console/", docs: "/api/v1/docs" });
    }
  });

  it("says how to build the console when it is not built (503)", async () => {
    const r = await get(bare.origin, "/console/shop/search");
    expect(r.status).to.equal(503);
    expect(r.headers.get("cache-control")).to.equal("no-cache");
    const text = await r.text();
    expect(text).to.include("npm run build:console");
    expect(text).to.include("控制台尚未构建");
  });

  it("leaves the API's 404 alone outside /console", async () => {
    const r = await get(api.origin, "/consoles", "application/json");
    expect(r.status).to.equal(404);
    expect(r.headers.get("content-type")).to.match(/problem\+json/);
  });
});
