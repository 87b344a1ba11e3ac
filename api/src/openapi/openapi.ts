import { z } from "zod";
import { responsesOf, type Response } from "../http/responds.js";
import { schemasOf } from "../http/validate.js";
import type { RouteSpec } from "../security/routes.js";

/**
 * The OpenAPI 3.1 description, built from the route declarations themselves (so it cannot drift from them): each
 * operation carries its summary, whether it needs a credential, the permission it needs (`x-permission`), its
 * parameters and request body (from the zod schemas of `validate(...)`, as the caller writes them: io "input") and
 * its responses (from `responds(...)`, as the server writes them: io "output"). Named zod schemas (`.meta({ id })`)
 * become components/schemas. Served at /api/v1/openapi.json and browsable at /api/v1/docs.
 */
const problem = { $ref: "#/components/responses/Problem" };
const idempotency = {
  name: "Idempotency-Key",
  in: "header",
  description: "a retry with the same key answers the first result",
  schema: { type: "string", maxLength: 200 },
};

/** What the route declarations cannot say: headers, the resolver's Digital Link attributes, streamed uploads. */
const EXTRA: Record<string, { parameters?: object[]; requestBody?: object }> = {
  "get /01/{gtin}/21/{serial}": {
    parameters: [
      { name: "10", in: "query", description: "lot", schema: { type: "string" } },
      { name: "s", in: "query", description: "the manufacturer's label signature", schema: { type: "string" } },
      { name: "loc", in: "query", description: "where the scan happens, lng,lat (GCJ-02)", schema: { type: "string" } },
      { name: "lang", in: "query", description: "page language (zh by default)", schema: { enum: ["zh", "en"] } },
    ],
  },
  "post /api/v1/mint": { parameters: [idempotency] },
  "post /api/v1/receipts": { parameters: [idempotency] },
  "post /api/v1/dispatches": { parameters: [idempotency] },
  "post /api/v1/installations": { parameters: [idempotency] },
  "post /api/v1/orders": { parameters: [idempotency] },
  "post /api/v1/inventory/movements": { parameters: [idempotency] },
  "post /api/v1/services/sessions/{id}/enrolments": { parameters: [idempotency] },
  "post /api/v1/services/equipment/{id}/rentals": { parameters: [idempotency] },
  "post /api/v1/services/delivery-tariffs/{id}/deliveries": { parameters: [idempotency] },
  "post /api/v1/onboarding/licences": {
    requestBody: {
      required: true,
      description: "the business licence scan itself, at most 5 MB (DECISIONS 98)",
      content: {
        "image/jpeg": { schema: { type: "string", format: "binary" } },
        "image/png": { schema: { type: "string", format: "binary" } },
        "application/pdf": { schema: { type: "string", format: "binary" } },
      },
    },
  },
  ...Object.fromEntries(
    ["skus", "crossrefs", "fitments", "offers"].map((kind) => [
      `post /api/v1/catalog/imports/${kind}`,
      {
        requestBody: {
          required: true,
          description: "the file, streamed: CSV with a header row, or JSON lines",
          content: {
            "text/csv": { schema: { type: "string" } },
            "application/x-ndjson": { schema: { type: "string" } },
          },
        },
      },
    ]),
  ),
};

type Json = Record<string, unknown>;

/** zod → JSON Schema (2020-12, what OpenAPI 3.1 uses); named schemas are collected into `defs`. */
function converter() {
  const defs: Record<string, Json> = {};
  const toSchema = (schema: z.ZodType, io: "input" | "output"): Json => {
    const js = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as Json;
    delete js.$schema;
    const found = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    const fix = (o: Json) => JSON.parse(JSON.stringify(o).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
    for (const [id, def] of Object.entries(found)) {
      const fixed = fix(def);
      // The same named schema read as a request (input) and as an answer (output) may differ (defaults): first wins.
      defs[id] ??= fixed;
    }
    return fix(js);
  };
  return { defs, toSchema };
}

function parametersOf(
  schema: z.ZodType | undefined,
  where: "path" | "query",
  toSchema: ReturnType<typeof converter>["toSchema"],
) {
  if (!schema) return [];
  const js = toSchema(schema, "input");
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === "path" || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function responseObject(r: Response, toSchema: ReturnType<typeof converter>["toSchema"]): Json {
  const description = r.description ?? (r.redirect ? "a redirect (see Location)" : r.empty ? "no content" : "ok");
  if (r.redirect) return { description, headers: { Location: { schema: { type: "string" } } } };
  if (r.empty) return { description };
  if (r.raw)
    return {
      description,
      content: { [r.media]: { schema: r.raw.binary ? { type: "string", format: "binary" } : { type: "string" } } },
    };
  return { description, content: { [r.media]: { schema: toSchema(r.schema!, "output") } } };
}

const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details; `code` is stable, `detail` is for people",
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    code: { type: "string" },
    field: { type: "string", description: "the request field at fault (400)" },
    requestId: { type: "string" },
  },
  required: ["code", "status", "detail"],
};

export function openapiFrom(routes: RouteSpec[]) {
  const { defs, toSchema } = converter();
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const secured = !("public" in r.access);
    const schemas = schemasOf(r.handlers);
    const extra = EXTRA[`${r.method} ${path}`] ?? {};
    const parameters = [
      ...parametersOf(schemas.params, "path", toSchema),
      ...parametersOf(schemas.query, "query", toSchema),
      ...(extra.parameters ?? []),
    ];
    const declared = responsesOf(r.handlers);
    const responses: Record<string, Json> = {};
    for (const d of declared) {
      // One status may come in several media (the scan: its page or its verdict as JSON): the contents merge.
      const o = responseObject(d, toSchema);
      const had = responses[String(d.status)];
      responses[String(d.status)] = had?.content
        ? { ...had, content: { ...(had.content as Json), ...((o.content as Json | undefined) ?? {}) } }
        : o;
    }
    if (declared.length === 0) responses["200"] = { description: "ok" };
    (paths[path] ??= {})[r.method] = {
      summary: r.summary,
      ...(secured ? { security: [{ bearer: [] }] } : {}),
      ...("permission" in r.access ? { "x-permission": r.access.permission } : {}),
      ...("public" in r.access ? { "x-public": r.access.public } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(schemas.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(schemas.body, "input") } },
            },
          }
        : extra.requestBody
          ? { requestBody: extra.requestBody }
          : {}),
      responses: {
        ...responses,
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
      schemas: {
        ...Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
        Problem: PROBLEM_SCHEMA,
      },
      responses: {
        Problem: {
          description: "an error",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
    },
    paths,
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A schema in a few words: its component name, or the fields of an object (`a, b?`), or its media type. */
function brief(schema: Json | undefined): string {
  if (!schema) return "";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop()!;
  if (schema.type === "array") return `${brief(schema.items as Json)}[]`;
  const props = schema.properties as Record<string, Json> | undefined;
  if (props) {
    const required = new Set((schema.required ?? []) as string[]);
    return `{ ${Object.entries(props)
      .map(([k, v]) => `${k}${required.has(k) ? "" : "?"}${v.$ref || v.type === "array" ? `: ${brief(v)}` : ""}`)
      .join(", ")} }`;
  }
  return String(schema.type ?? "");
}

/** The request body and the 2xx answers of an operation, one line each. */
function shapes(op: Json): string {
  const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const lines: string[] = [];
  if (body)
    for (const [media, c] of Object.entries(body))
      lines.push(`body ${media === "application/json" ? "" : `${media} `}${brief(c.schema as Json)}`);
  for (const [status, r] of Object.entries(op.responses as Record<string, Json>)) {
    if (!/^2/.test(status)) continue;
    const content = r.content as Record<string, Json> | undefined;
    if (!content) lines.push(`→ ${status}`);
    else
      for (const [media, c] of Object.entries(content))
        lines.push(`→ ${status} ${/json/.test(media) ? brief(c.schema as Json) : media}`);
  }
  return lines.map((l) => `<br><small><code>${esc(l)}</code></small>`).join("");
}

/** A plain, readable HTML rendering of the document (no script, nothing downloaded). */
export function docsPage(doc: ReturnType<typeof openapiFrom>): string {
  const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const o = op as { summary: string; "x-permission"?: string; "x-public"?: string } & Json;
      return `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(o.summary)}${shapes(o)}</td><td>${o["x-permission"] ? `🔑 <code>${esc(o["x-permission"])}</code>` : o["x-public"] ? "public" : "🔑 signed in"}</td></tr>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>PartLedger API</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}td{padding:4px 8px;border-bottom:1px solid #ddd;vertical-align:top}</style></head>
<body><h1>PartLedger API v1</h1><p>${esc(doc.info.description)} Machine-readable: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
<table><tr><th>method</th><th>path</th><th>what</th><th>needs</th></tr>${rows.join("\n")}</table></body></html>`;
}
