import type { RouteSpec } from "../security/routes.js";

/**
 * The OpenAPI 3.1 description, built from the route declarations themselves (so it cannot drift from them): each
 * operation carries its summary, whether it needs a credential, and the permission it needs (`x-permission`).
 * Served at /api/v1/openapi.json and browsable at /api/v1/docs.
 */
const problem = { $ref: "#/components/responses/Problem" };

const EXTRA: Record<string, object> = {
  "get /01/{gtin}/21/{serial}": {
    parameters: [
      { name: "10", in: "query", description: "lot", schema: { type: "string" } },
      { name: "s", in: "query", description: "the manufacturer's label signature", schema: { type: "string" } },
      { name: "loc", in: "query", description: "where the scan happens, lng,lat (GCJ-02)", schema: { type: "string" } },
    ],
  },
  "post /api/v1/mint": { parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }] },
  "post /api/v1/receipts": { parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }] },
  "post /api/v1/dispatches": { parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }] },
  "post /api/v1/installations": { parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }] },
};

export function openapiFrom(routes: RouteSpec[]) {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const secured = !("public" in r.access);
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      ...(secured ? { security: [{ bearer: [] }] } : {}),
      ...("permission" in r.access ? { "x-permission": r.access.permission } : {}),
      ...("public" in r.access ? { "x-public": r.access.public } : {}),
      ...(EXTRA[`${r.method} ${path}`] ?? {}),
      responses: {
        200: { description: "ok" },
        400: problem,
        ...(secured ? { 401: problem, 403: problem } : {}),
        404: problem,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "PartLedger API",
      version: "1",
      description:
        "Provenance of auto parts: companies mint identities and record custody; anyone verifies a label. Every operation names the permission it needs " +
        "(x-permission; see docs/permissions.md). Personal data is masked unless ?reveal=true with personal_data:view. Errors are application/problem+json (RFC 9457) with a stable `code`.",
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description:
            "a session token (ps_…, from POST /api/v1/auth/login), a company API key (pl_…), or the platform operator's token",
        },
      },
      responses: {
        Problem: {
          description: "an error",
          content: {
            "application/problem+json": { schema: { type: "object", required: ["code", "status", "detail"] } },
          },
        },
      },
    },
    paths,
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain, readable HTML rendering of the document (no script, nothing downloaded). */
export function docsPage(doc: ReturnType<typeof openapiFrom>): string {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const o = op as { summary: string; "x-permission"?: string; "x-public"?: string };
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(o.summary)}</td><td>${o["x-permission"] ? `🔑 <code>${esc(o["x-permission"])}</code>` : o["x-public"] ? "public" : "🔑 signed in"}</td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PartLedger API</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}td{padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>PartLedger API v1</h1><p>${esc(doc.info.description)} Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
<table><tr><th>method</th><th>path</th><th>what</th><th>needs</th></tr>${rows.join("\n")}</table></body></html>`;
}
