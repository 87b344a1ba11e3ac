/**
 * The web console (DECISIONS 57): the Vite build in api/web/dist served at /console — hashed assets cached for a
 * year, index.html never cached, and index.html for any other path under /console (deep links such as
 * /console/shop/search are the browser router's). A 503 page says how to build it when it is not built.
 *
 * Its own content security policy: scripts only from this origin (no inline script, no eval); styles from this
 * origin plus inline style elements, which antd's CSS-in-JS writes at run time; the camera for the scan input.
 * Connections: this origin, plus the chain RPC endpoints the auditor page's in-browser verifier asks directly
 * (DECISIONS 65): the configured public RPC origin, any https: endpoint the auditor types, and a node on the auditor's
 * own machine (http://127.0.0.1 / localhost, any port).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler, type Response } from "express";

export const CONSOLE_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

/** The console's policy; `rpcUrl` is the chain RPC URL /api/v1/verify/config publishes (null when none). */
export function consoleCsp(rpcUrl: string | null = null): string {
  let rpcOrigin: string | null = null;
  try {
    if (rpcUrl) rpcOrigin = new URL(rpcUrl).origin;
  } catch {
    rpcOrigin = null;
  }
  // An origin is "scheme://host[:port]" — nothing a CSP source list could misread (no space, no semicolon).
  const extra = rpcOrigin && /^https?:\/\/[^\s;,']+$/.test(rpcOrigin) ? ` ${rpcOrigin}` : "";
  return CONSOLE_CSP.replace(
    "connect-src 'self'",
    `connect-src 'self'${extra} https: http://127.0.0.1:* http://localhost:*`,
  );
}

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

function consoleHeaders(res: Response, csp: string) {
  res.setHeader("Content-Security-Policy", csp);
  // The scan input reads QR codes from the camera of this origin's pages (everything else keeps camera=()).
  res.setHeader("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
}

const notBuilt = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>控制台尚未构建 · Console not built</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style>
</head><body>
<h1>控制台尚未构建</h1>
<p>请在服务器上运行 <code>npm run build:console</code>（<code>npm start</code> 会自动构建），然后刷新本页。</p>
<h2 lang="en">The console is not built</h2>
<p lang="en">Run <code>npm run build:console</code> on the server (<code>npm start</code> does it for you), then reload this page.</p>
</body></html>
`;

/**
 * Mounted at /console (before the API's 404). `dist` is api/web/dist unless a test points elsewhere; `rpcUrl` is the
 * chain RPC URL the auditor page is offered (its origin joins connect-src).
 */
export function consoleSite(dist = CONSOLE_DIST, rpcUrl: string | null = null): RequestHandler {
  const csp = consoleCsp(rpcUrl);
  const assets = express.static(join(dist, "assets"), {
    index: false,
    fallthrough: false,
    immutable: true,
    maxAge: "365d",
  });
  const indexFile = join(dist, "index.html");
  let cached: { mtimeMs: number; html: Buffer } | undefined;
  const indexHtml = (): Buffer | undefined => {
    if (!existsSync(indexFile)) return undefined;
    const mtimeMs = statSync(indexFile).mtimeMs;
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexFile) };
    return cached.html;
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    consoleHeaders(res, csp);
    // req.path is relative to the mount point: "/" for /console/, "/assets/x.js" …
    if (req.originalUrl === "/console" || req.originalUrl.startsWith("/console?")) {
      res.redirect(301, "/console/" + req.originalUrl.slice("/console".length));
      return;
    }
    if (req.path.startsWith("/assets/")) {
      req.url = req.url.slice("/assets".length);
      assets(req, res, (err?: unknown) => {
        // A missing asset is a 404, never index.html (a stale page asking for an old chunk must see it fail).
        if (err) res.status(404).type("text/plain").setHeader("Cache-Control", "no-store").end("not found");
        else next();
      });
      return;
    }
    const html = indexHtml();
    res.setHeader("Cache-Control", "no-cache");
    if (!html) {
      res.status(503).type("html").send(notBuilt);
      return;
    }
    res.status(200).type("html").send(html);
  };
}
