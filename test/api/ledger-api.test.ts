import type { Server } from "node:http";
import { expect } from "chai";
import { createApp } from "../../api/src/app.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { readFileSync } from "node:fs";
import { keepConnections } from "../../api/src/server.js";
import {
  BUNDLE_FORMAT,
  BUNDLE_SCHEMA_FILE,
  TRUST_PATH,
  makeProvider,
  parseTrustAnchor,
  verifyBundle,
  type Bundle,
} from "../../ledger-service/src/index.js";
import { shared } from "../helpers/shared.js";
import { GTIN, openStack, walkParts, type TestStack } from "../helpers/stack.js";

const TOKEN = "test-operator-token-0123456789abcdef";

describe("HTTP API /api/v1 (ledger)", () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  const call = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      type: res.headers.get("content-type") ?? "",
      json: (await res.json()) as Record<string, unknown>,
    };
  };

  before(async () => {
    stack = await openStack();
    server = createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: TOKEN,
      publicBaseUrl: "https://pl.example.cn",
      checkResponses: true,
    }).listen(0, "127.0.0.1");
    keepConnections(server);
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
  });
  after(async () => {
    server.close();
    await stack.close();
  });

  it("reports health: database, chain and anchoring state", async () => {
    const r = await call("GET", "/health");
    expect(r.status).to.equal(200);
    expect((r.json.chain as { status: string }).status).to.equal("up");
    expect(r.json.database).to.be.oneOf(["pglite", "postgresql"]);
  });

  it("serves a part's bundle that verifies against the chain, and each event's proof", async () => {
    const [part] = await walkParts(stack, 3, 1);
    await stack.svc.worker.runUntilFinal();
    const b = await fetch(`${base}/parts/${GTIN}/${part!.serial}/bundle`);
    expect(b.status).to.equal(200);
    const bundle = (await b.json()) as Bundle;
    expect(bundle.events).to.have.length(6); // commissioning, shipped to and received by the dealer, then the shop, installing
    const provider = makeProvider(shared.chainUrl);
    const trust = parseTrustAnchor(await (await fetch(base.replace("/api/v1", "") + TRUST_PATH)).json(), TRUST_PATH);
    expect((await verifyBundle(bundle, provider, trust)).failure).to.equal(null);
    provider.destroy();
    const proof = await call("GET", `/ledger/events/${bundle.events[0]!.seq}/proof`);
    expect(proof.status).to.equal(200);
    expect(proof.json.root).to.equal(bundle.batches.find((x) => x.id === bundle.events[0]!.batchId)!.root);
    const range = await call("GET", "/ledger/bundle?from=1&to=1");
    expect(range.status).to.equal(200);
    expect((range.json.events as unknown[]).length).to.equal(bundle.batches[0]!.eventCount);
  });

  it("publishes the trust anchor at /.well-known/partledger-trust.json, without credentials", async () => {
    const res = await fetch(base.replace("/api/v1", "") + TRUST_PATH);
    expect(res.status).to.equal(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const chain = await stack.svc.chain.get();
    expect(doc).to.deep.include({
      format: "partledger.trust/1",
      chainId: chain.chainId,
      ...chain.addresses,
      anchorer: chain.admin.address,
    });
    expect(doc.deploymentBlock).to.be.a("number");
    expect((await chain.provider.getBlock(doc.deploymentBlock as number))!.hash).to.equal(doc.deploymentBlockHash);
    const before = (doc.deploymentBlock as number) - 1;
    expect(await chain.provider.getCode(chain.addresses.anchorRegistry, before)).to.equal("0x");
  });

  it("exports bundles that validate against docs/bundle.schema.json (ajv), with attested companies", async () => {
    const ajv = new Ajv2020({ strict: true });
    (addFormatsModule as unknown as { default: (a: Ajv2020) => unknown }).default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(BUNDLE_SCHEMA_FILE, "utf8")) as object);
    const [part] = await walkParts(stack, 2, 1);
    await stack.svc.worker.runUntilFinal();
    const partBundle = (await call("GET", `/parts/${GTIN}/${part!.serial}/bundle`)).json;
    const last = (await call("GET", "/ledger/batches")).json.batches as Array<{ id: number }>;
    const range = (await call("GET", `/ledger/bundle?from=1&to=${last[0]!.id}`)).json;
    for (const b of [partBundle, range]) {
      expect(validate(b), JSON.stringify(validate.errors)).to.equal(true);
      expect(b.format).to.equal(BUNDLE_FORMAT);
    }
    expect(partBundle.scope).to.deep.equal({ kind: "part", gtin: GTIN, serial: part!.serial });
    expect(range.scope).to.deep.equal({ kind: "batches", from: 1, to: last[0]!.id });
    const actors = partBundle.actors as Array<{ name: string; kind: string; attestedBy: string; address: string }>;
    expect(actors.map((a) => [a.name, a.kind, a.attestedBy, a.address])).to.have.deep.members([
      ["博世汽车部件(苏州)有限公司", "manufacturer", "platform", stack.maker.address],
      ["杭州汽配经销商", "distributor", "platform", stack.dealer.address],
      ["西湖汽车修理厂", "repair_shop", "platform", stack.shop.address],
    ]);
    // A bundle with a field the format does not have fails the schema, naming where.
    const bad = structuredClone(partBundle) as Record<string, unknown>;
    bad.note = "trust me";
    expect(validate(bad)).to.equal(false);
    expect(validate.errors![0]!.params).to.deep.equal({ additionalProperty: "note" });
  });

  it("answers bad input with problem+json naming the field", async () => {
    const badGtin = GTIN.slice(0, 13) + ((Number(GTIN[13]) + 1) % 10);
    const r = await call("GET", `/parts/${badGtin}/A1/bundle`);
    expect(r.status).to.equal(400);
    expect(r.type).to.contain("application/problem+json");
    expect(r.json.code).to.equal("GS1.INVALID_GTIN");
    expect(r.json.field).to.equal("gtin");
    const unknown = await call("GET", `/parts/${GTIN}/NEVERMADE1/bundle`);
    expect(unknown.status).to.equal(404);
    expect(unknown.json.code).to.equal("LEDGER.UNKNOWN_PART");
    const seq = await call("GET", "/ledger/events/zero/proof");
    expect(seq.status).to.equal(400);
    expect(seq.json.code).to.equal("REQUEST.INVALID");
    const range = await call("GET", "/ledger/bundle?from=5&to=1");
    expect(range.json.field).to.equal("to");
  });

  it("runs the whole-ledger audit in-process for the operator", async () => {
    const r = await call("GET", "/ledger/audit");
    expect(r.status).to.equal(200);
    expect(r.json.ok).to.equal(true);
    expect(r.json.eventsChecked).to.be.greaterThan(0);
    expect((await call("GET", "/ledger/audit", undefined, null)).status).to.equal(401);
  });

  it("serves its OpenAPI document, browsable, and times every response (Server-Timing)", async () => {
    const doc = await fetch(`${base}/openapi.json`);
    expect(doc.status).to.equal(200);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).to.equal("3.1.0");
    expect(json.paths).to.have.property("/01/{gtin}/21/{serial}");
    expect(doc.headers.get("server-timing")).to.match(/^app;dur=\d+\.\d\d$/);
    const page = await fetch(`${base}/docs`);
    expect(await page.text()).to.contain("/api/v1/mint");
  });

  it("refuses operator calls without the operator token", async () => {
    const r = await call("POST", "/companies", { name: "x" }, null);
    expect(r.status).to.equal(401);
    expect(r.json.code).to.equal("AUTH.REQUIRED");
    expect((await call("POST", "/companies", { name: "x" }, "nope")).status).to.equal(401);
  });
});
