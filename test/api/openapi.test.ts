import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "chai";
import express from "express";
import { z } from "zod";
import { logger } from "../../ledger-service/src/index.js";
import { problemHandler } from "../../api/src/http/problem.js";
import { empty, responds, responsesOf } from "../../api/src/http/responds.js";
import { schemasOf } from "../../api/src/http/validate.js";
import { mountRoutes, route, type RouteSpec } from "../../api/src/security/routes.js";
import { declaredRoutes, openapiDocument } from "../../scripts/openapi.js";

type Json = Record<string, any>;
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Every operation of the document with the route it was made from. */
function operations(doc: Json, routes: RouteSpec[]) {
  return routes.map((r) => {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const op = doc.paths[path]?.[r.method] as Json | undefined;
    return { r, path, op: op!, where: `${r.method.toUpperCase()} ${path}` };
  });
}

/** Every `$ref` in `node` with where it is. */
function refs(node: unknown, at = "#", out: Array<{ ref: string; at: string }> = []) {
  if (Array.isArray(node)) node.forEach((v, i) => refs(v, `${at}/${i}`, out));
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push({ ref: v, at });
      else refs(v, `${at}/${k}`, out);
    }
  return out;
}

const resolve = (doc: Json, ref: string) =>
  ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc);

describe("the OpenAPI document: parameters, bodies and responses from the routes' zod schemas", () => {
  const routes = declaredRoutes();
  const doc = openapiDocument() as unknown as Json;
  const ops = operations(doc, routes);

  it("describes every route, and counts what each operation declares", () => {
    expect(doc.openapi).to.equal("3.1.0");
    for (const o of ops) expect(o.op, o.where).to.be.an("object");
    const n = Object.values(doc.paths as Json).reduce((s, p) => s + Object.keys(p).length, 0);
    expect(n).to.equal(routes.length);
    const counts = {
      operations: n,
      withParameters: ops.filter((o) => o.op.parameters?.length).length,
      withRequestBody: ops.filter((o) => o.op.requestBody).length,
      withJsonResponse: ops.filter((o) =>
        Object.entries(o.op.responses as Json).some(
          ([s, r]) => /^2/.test(s) && Object.keys(r.content ?? {}).some((m) => /json/.test(m)),
        ),
      ).length,
      namedSchemas: Object.keys(doc.components.schemas).length,
    };
    console.log(`      ${JSON.stringify(counts)}`);
    expect(counts.withJsonResponse).to.be.greaterThan(n * 0.8);
  });

  it("declares every path parameter, and one query parameter per property of a route's query schema", () => {
    const missing: string[] = [];
    for (const { r, path, op, where } of ops) {
      const params = (op.parameters ?? []) as Json[];
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        const p = params.find((x) => x.in === "path" && x.name === name);
        if (!p || p.required !== true || !p.schema || Object.keys(p.schema).length === 0)
          missing.push(`${where}: path parameter ${name}`);
      }
      const query = schemasOf(r.handlers).query;
      if (query) {
        const props = Object.keys((z.toJSONSchema(query, { io: "input" }) as Json).properties ?? {});
        for (const name of props)
          if (!params.some((x) => x.in === "query" && x.name === name && x.schema))
            missing.push(`${where}: query parameter ${name}`);
        if (props.length === 0 && !params.some((x) => x.in === "query"))
          missing.push(`${where}: its query schema has no named properties and none is documented`);
      }
      for (const p of params) if (!p.schema) missing.push(`${where}: parameter ${p.name} without a schema`);
    }
    expect(missing).to.deep.equal([]);
  });

  it("gives every route with a body schema a JSON request body, and none to a route without one", () => {
    const wrong: string[] = [];
    for (const { r, op, where } of ops) {
      const body = schemasOf(r.handlers).body;
      const json = op.requestBody?.content?.["application/json"]?.schema;
      if (body && (!json || op.requestBody.required !== true)) wrong.push(`${where}: no request body`);
      if (!body && json) wrong.push(`${where}: a JSON request body the route does not take`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it("gives every operation a 2xx response with a schema (JSON), a media type (files, pages) or no content (204)", () => {
    const wrong: string[] = [];
    for (const { r, op, where } of ops) {
      const ok = Object.entries(op.responses as Json).filter(([s]) => /^2/.test(s));
      if (ok.length === 0) wrong.push(`${where}: no 2xx response`);
      for (const [status, res] of ok) {
        if (status === "204") continue;
        const content = Object.entries((res.content ?? {}) as Json);
        if (content.length === 0) wrong.push(`${where} ${status}: no content`);
        for (const [media, c] of content)
          if (!c.schema || Object.keys(c.schema).length === 0) wrong.push(`${where} ${status} ${media}: no schema`);
      }
      if (responsesOf(r.handlers).length === 0) wrong.push(`${where}: no responds(...) declaration`);
      for (const s of ["400", "404"])
        expect(op.responses[s], `${where} ${s}`).to.deep.equal({
          $ref: "#/components/responses/Problem",
        });
    }
    expect(wrong).to.deep.equal([]);
  });

  it("names the shared schemas (components) the console's types are called by", () => {
    for (const id of [
      "Company",
      "User",
      "Session",
      "Approval",
      "ApiKey",
      "Order",
      "OrderSummary",
      "Sku",
      "Offer",
      "Offers",
      "SearchResult",
      "Stock",
      "Transfer",
      "Installation",
      "MintRun",
      "MintRunSummary",
      "MintRunDetail",
      "Product",
      "Gs1Prefix",
      "LabelSettings",
      "ScanVerdict",
      "TrustAnchor",
      "AuditBundle",
      "AuditEntry",
      "Problem",
    ])
      expect(doc.components.schemas, id).to.have.property(id);
    const order = doc.paths["/api/v1/orders/{id}"].get.responses["200"].content["application/json"].schema;
    expect(order).to.deep.equal({ $ref: "#/components/schemas/Order" });
  });

  it("is structurally sound: every $ref resolves, every schema compiles as JSON Schema 2020-12", () => {
    const dangling = refs(doc).filter(({ ref }) => !ref.startsWith("#/") || resolve(doc, ref) === undefined);
    expect(dangling).to.deep.equal([]);
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: "doc", ...doc });
    const schemas: Array<{ at: string; schema: unknown }> = [];
    for (const { op, where } of ops) {
      for (const p of (op.parameters ?? []) as Json[]) schemas.push({ at: `${where} ${p.name}`, schema: p.schema });
      for (const [m, c] of Object.entries((op.requestBody?.content ?? {}) as Json))
        schemas.push({ at: `${where} body ${m}`, schema: c.schema });
      for (const [s, r] of Object.entries(op.responses as Json))
        for (const [m, c] of Object.entries((r.content ?? {}) as Json))
          schemas.push({ at: `${where} ${s} ${m}`, schema: c.schema });
    }
    for (const { at, schema } of schemas) {
      const local = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      expect(() => ajv.compile(local), at).not.to.throw();
    }
    // OpenAPI 3.1 shapes the document's own objects (beyond the schemas) as its specification says.
    for (const { op, where } of ops) {
      for (const p of (op.parameters ?? []) as Json[]) {
        expect(["path", "query", "header", "cookie"], where).to.include(p.in);
        if (p.in === "path") expect(p.required, `${where} ${p.name}`).to.equal(true);
      }
      for (const status of Object.keys(op.responses)) expect(status, where).to.match(/^[1-5]\d\d$|^default$/);
      for (const m of Object.keys(op))
        expect(["summary", "security", "parameters", "requestBody", "responses"], where).to.satisfy(
          (allowed: string[]) => allowed.includes(m) || m.startsWith("x-"),
        );
    }
    for (const p of Object.keys(doc.paths)) for (const m of Object.keys(doc.paths[p])) expect(METHODS).to.include(m);
  });

  it("`npm run openapi -- --out` writes it, and openapi-typescript turns it into types a client compiles against", function () {
    this.timeout(180_000);
    const dir = mkdtempSync(join(tmpdir(), "partledger-openapi-"));
    const file = join(dir, "openapi.json");
    execFileSync("npx", ["tsx", "scripts/openapi.ts", "--out", file], { stdio: "pipe" });
    expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal(JSON.parse(JSON.stringify(doc)));
    const types = join(dir, "schema.d.ts");
    execFileSync("node_modules/.bin/openapi-typescript", [file, "-o", types], { stdio: "pipe" });
    const text = readFileSync(types, "utf8");
    expect(text).to.include("ScanVerdict:").and.to.include("Company:").and.to.include("Order:");
    // A client written against the generated types: a renamed field would fail this compile.
    writeFileSync(
      join(dir, "client.ts"),
      `import type { components, paths } from "./schema.js";
type Order = paths["/api/v1/orders/{id}"]["get"]["responses"][200]["content"]["application/json"];
const fen = (o: Order): number => o.totalFen + o.lines[0]!.allocations[0]!.priceFen;
type Place = NonNullable<paths["/api/v1/orders"]["post"]["requestBody"]>["content"]["application/json"];
const place: Place = { lines: [{ skuId: 1, quantity: 2 }], urgent: true };
type Search = paths["/api/v1/catalog/search"]["get"]["parameters"]["query"];
const q: Search = { q: "帕萨特 前刹车片" };
const verdict = (v: components["schemas"]["ScanVerdict"]): string => v.verdict + v.part.gtin;
export { fen, place, q, verdict };
`,
    );
    execFileSync(
      "node_modules/.bin/tsc",
      ["--noEmit", "--strict", "--module", "nodenext", "--target", "es2022", "--skipLibCheck", join(dir, "client.ts")],
      { stdio: "pipe" },
    );
  });
});

describe("response checking (the app option checkResponses, on in the tests' apps)", () => {
  let server: Server;
  let origin: string;
  before(async () => {
    const app = express();
    app.locals.checkResponses = true;
    const thing = z.object({ id: z.string(), n: z.number().int(), tags: z.array(z.object({ k: z.string() })) });
    const answer =
      (body: unknown, status = 200) =>
      (_req: unknown, res: express.Response) =>
        void res.status(status).json(body);
    const pub = { public: "test" };
    mountRoutes(
      app,
      [
        route("get", "/good", pub, "t", responds(thing), answer({ id: "a", n: 1, tags: [{ k: "x" }] })),
        route("get", "/wrong-type", pub, "t", responds(thing), answer({ id: "a", n: "1", tags: [] })),
        route("get", "/extra", pub, "t", responds(thing), answer({ id: "a", n: 1, tags: [{ k: "x", secret: 1 }] })),
        route("get", "/status", pub, "t", responds(thing), answer({ id: "a", n: 1, tags: [] }, 201)),
        route("get", "/error", pub, "t", responds(thing), answer({ anything: true }, 409)),
        route("delete", "/gone", pub, "t", responds(empty(), 204), (_req, res) => void res.status(204).end()),
      ],
      { access: null as never, perPrincipal: { take: async () => 0 } },
    );
    app.use(problemHandler(logger("openapi-test")));
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => void server.close());
  const get = async (path: string, method = "GET") => {
    const res = await fetch(origin + path, { method });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
  };

  it("passes an answer that matches its schema, an error answer (Problem), and a 204", async () => {
    expect((await get("/good")).status).to.equal(200);
    expect((await get("/error")).status).to.equal(409);
    expect((await get("/gone", "DELETE")).status).to.equal(204);
  });

  it("fails the request with a 500 naming the route and the field: a wrong type, an undeclared field or status", async () => {
    const wrong = await get("/wrong-type");
    expect(wrong.status).to.equal(500);
    expect(wrong.json.code).to.equal("RESPONSE.SCHEMA_MISMATCH");
    expect(wrong.json.detail).to.include("GET /wrong-type").and.to.include("n:");
    const extra = await get("/extra");
    expect(extra.status).to.equal(500);
    expect(extra.json.detail).to.include("tags[0].secret").and.to.include("does not declare");
    const status = await get("/status");
    expect(status.status).to.equal(500);
    expect(status.json.detail).to.include("no JSON response is declared for status 201");
  });
});
