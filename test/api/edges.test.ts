import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { expect } from "chai";
import { createApp } from "../../api/src/app.js";
import { listen } from "../../api/src/server.js";
import { OPERATOR, PUBLIC_BASE } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { openStack, type TestStack } from "../helpers/stack.js";

describe("transport and edges: security headers, CORS allow-list, size limits, TLS 1.3 only", () => {
  let stack: TestStack;
  let server: Server;
  let served: ReturnType<typeof createApp>;
  let origin: string;
  const app = () =>
    createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: OPERATOR,
      publicBaseUrl: PUBLIC_BASE,
      corsOrigins: ["https://console.partledger.cn"],
      checkResponses: true,
    });

  before(async () => {
    stack = await openStack();
    served = app();
    server = await listen(served, { port: 0 });
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    server.close();
    await (served.locals.shutdown as () => Promise<void>)();
    await stack.close();
  });

  it("sets HSTS, nosniff, no framing, no referrer and a script-free CSP on pages and JSON alike", async () => {
    for (const path of ["/api/v1/health", "/01/06901234567892/21/ABC", "/api/v1/nowhere"]) {
      const res = await fetch(origin + path);
      expect(res.headers.get("strict-transport-security"), path).to.contain("max-age=31536000");
      expect(res.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(res.headers.get("x-frame-options")).to.equal("DENY");
      expect(res.headers.get("referrer-policy")).to.equal("no-referrer");
      expect(res.headers.get("content-security-policy")).to.contain("default-src 'none'").and.not.contain("script-src");
      expect(res.headers.get("x-powered-by")).to.equal(null);
    }
  });

  it("answers CORS only to allowed origins, preflight included", async () => {
    const allowed = await fetch(`${origin}/api/v1/health`, { headers: { origin: "https://console.partledger.cn" } });
    expect(allowed.headers.get("access-control-allow-origin")).to.equal("https://console.partledger.cn");
    const other = await fetch(`${origin}/api/v1/health`, { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
    const preflight = await fetch(`${origin}/api/v1/mint`, {
      method: "OPTIONS",
      headers: { origin: "https://console.partledger.cn", "access-control-request-method": "POST" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-headers")).to.contain("Idempotency-Key");
  });

  it("refuses oversized and malformed bodies with problem+json, no stack trace", async () => {
    const big = await fetch(`${origin}/api/v1/companies`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${OPERATOR}` },
      body: JSON.stringify({ name: "x".repeat(3 * 1024 * 1024) }),
    });
    expect(big.status).to.equal(413);
    const body = (await big.json()) as { code: string; detail: string };
    expect(body.code).to.equal("HTTP.PAYLOAD_TOO_LARGE");
    const bad = await fetch(`${origin}/api/v1/companies`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${OPERATOR}` },
      body: "{not json",
    });
    expect(bad.status).to.equal(400);
    const text = await bad.text();
    expect(JSON.parse(text).code).to.equal("HTTP.MALFORMED_JSON");
    expect(text).not.to.match(/at .*\.(js|ts):\d+/);
  });

  it("serves HTTPS with TLS 1.3 only when a certificate is configured", async function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), "tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const https = await listen(app(), {
      port: 0,
      tls: { certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem") },
    });
    const port = (https.address() as { port: number }).port;
    const handshake = (maxVersion: "TLSv1.2" | "TLSv1.3") =>
      new Promise<string>((resolve) => {
        const socket = connect({ host: "127.0.0.1", port, maxVersion, rejectUnauthorized: false }, () => {
          resolve(socket.getProtocol() ?? "none");
          socket.end();
        });
        socket.on("error", (e) => resolve(`refused: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      });
    try {
      expect(await handshake("TLSv1.3")).to.equal("TLSv1.3");
      expect(await handshake("TLSv1.2")).to.match(/^refused/);
    } finally {
      https.close();
    }
  });
});
