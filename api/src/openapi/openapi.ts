/** The OpenAPI 3.1 description of /api/v1 and the resolver, served at /api/v1/openapi.json and browsable at /api/v1/docs. */
const problem = { $ref: "#/components/responses/Problem" };
const bearer = [{ companyKey: [] }];
const operator = [{ operatorToken: [] }];

export const openapi = {
  openapi: "3.1.0",
  info: {
    title: "PartLedger API",
    version: "1",
    description: "Provenance of auto parts: companies mint identities and record custody; anyone verifies a label. Errors are application/problem+json (RFC 9457) with a stable `code`.",
  },
  components: {
    securitySchemes: {
      companyKey: { type: "http", scheme: "bearer", description: "a company API key (pl_…), shown once at registration" },
      operatorToken: { type: "http", scheme: "bearer", description: "the platform operator's token" },
    },
    responses: { Problem: { description: "an error", content: { "application/problem+json": { schema: { type: "object", required: ["code", "status", "detail"] } } } } },
  },
  paths: {
    "/api/v1/health": { get: { summary: "database, chain and anchoring state", responses: { 200: { description: "ok" } } } },
    "/api/v1/companies": { post: { summary: "register a company (name, USCC, kind, region, GCJ-02 location); returns its API key once", security: operator, responses: { 201: { description: "registered" }, 400: problem, 409: problem } } },
    "/api/v1/companies/me": { get: { summary: "the calling company", security: bearer, responses: { 200: { description: "company" }, 401: problem } } },
    "/api/v1/mint": { post: { summary: "manufacturer: mint up to 10,000 identities (GTIN-14, lot, production date); honours Idempotency-Key", security: bearer, parameters: [{ name: "Idempotency-Key", in: "header", schema: { type: "string" } }], responses: { 201: { description: "serials minted and commissioned" }, 400: problem, 403: problem, 422: problem } } },
    "/api/v1/receipts": { post: { summary: "distributor or repair shop: receive a carton of parts", security: bearer, responses: { 201: { description: "received" }, 409: problem } } },
    "/api/v1/installations": { post: { summary: "repair shop: install one part into a vehicle (VIN stored encrypted, salted hash on the ledger)", security: bearer, responses: { 201: { description: "installed" }, 409: problem } } },
    "/api/v1/parts/{gtin}/{serial}/label.{format}": { get: { summary: "manufacturer: a part's QR label, png or svg", security: bearer, responses: { 200: { description: "image" }, 404: problem } } },
    "/api/v1/mint/{runId}/labels.pdf": { get: { summary: "manufacturer: A4 label sheet of a mint run", security: bearer, responses: { 200: { description: "PDF" }, 404: problem } } },
    "/api/v1/parts/{gtin}/{serial}/bundle": { get: { summary: "a part's proof bundle for `npm run audit -- --bundle`", responses: { 200: { description: "bundle" }, 404: problem } } },
    "/api/v1/ledger/events/{seq}/proof": { get: { summary: "inclusion proof of one event", responses: { 200: { description: "proof" }, 404: problem } } },
    "/api/v1/ledger/bundle": { get: { summary: "bundle of a range of batches (from, to)", responses: { 200: { description: "bundle" } } } },
    "/api/v1/ledger/batches": { get: { summary: "latest batches and their anchoring state", responses: { 200: { description: "batches" } } } },
    "/api/v1/ledger/audit": { get: { summary: "operator: the whole-ledger audit", security: operator, responses: { 200: { description: "report" } } } },
    "/01/{gtin}/21/{serial}": {
      get: {
        summary: "GS1 Digital Link resolver: the verification page (zh, ?lang=en) or, with Accept: application/json, the verdict (GENUINE, GENUINE_PENDING_ANCHOR, UNKNOWN, ALREADY_INSTALLED, SUSPECT_CLONE)",
        parameters: [
          { name: "10", in: "query", description: "lot", schema: { type: "string" } },
          { name: "s", in: "query", description: "the manufacturer's label signature", schema: { type: "string" } },
          { name: "loc", in: "query", description: "where the scan happens, lng,lat (GCJ-02)", schema: { type: "string" } },
        ],
        responses: { 200: { description: "verdict" }, 400: problem, 429: problem },
      },
    },
  },
} as const;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain, readable HTML rendering of the document (no script, nothing downloaded). */
export function docsPage(): string {
  const rows = Object.entries(openapi.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const o = op as { summary: string; security?: unknown };
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(o.summary)}</td><td>${o.security ? "🔑" : ""}</td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PartLedger API</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}td{padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>PartLedger API v1</h1><p>${esc(openapi.info.description)} Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
<table>${rows.join("\n")}</table></body></html>`;
}
