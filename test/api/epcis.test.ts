import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { expect } from "chai";
import type { JsonRpcProvider } from "ethers";
import { createApp } from "../../api/src/app.js";
import { Stage, auditTrail, makeProvider, verifyBundle, type Bundle } from "../../ledger-service/src/index.js";
import type { EpcisDocument } from "../../ledger-service/src/events/epcis-document.js";
import type { EpcisObjectEvent } from "../../ledger-service/src/events/epcis.js";
import { shared } from "../helpers/shared.js";
import { PLACE, openStack, walkParts, type TestStack } from "../helpers/stack.js";

const TOKEN = "test-operator-token-0123456789abcdef";
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const ALL_STEPS = ["commissioning", "receiving", "shipping", "installing", "urn:partledger:bizstep:audit_checkpoint"];

describe("GS1 EPCIS 2.0: every exported event is valid against GS1's JSON Schema", () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  let provider: JsonRpcProvider;
  let validate: ValidateFunction;
  let parts: Array<{ gtin: string; serial: string }>;

  /** Validates `doc` with GS1's schema; the message names the event and the schema's complaint. */
  function expectValid(doc: unknown, what: string) {
    const ok = validate(doc);
    expect(ok, `${what}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).to.equal(true);
  }
  /** Each event alone, wrapped in its own document: a failure names the event. */
  function expectEachValid(doc: EpcisDocument, what: string) {
    for (const e of doc.epcisBody.eventList)
      expectValid(
        { ...doc, epcisBody: { eventList: [e] } },
        `${what}, ${e.bizStep} #${e["partledger:ledger"].eventTimeMs}`,
      );
  }

  before(async () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../data/epcis/EPCIS-JSON-Schema.json", import.meta.url), "utf8"),
    ) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);

    stack = await openStack({ env: { AUDIT_CHECKPOINT_MS: "3600000" } });
    // commissioning, receiving (dealer, then shop), installing …
    parts = await walkParts(stack, 3, 1);
    // … shipping from the dealer to the shop, which receives …
    const shipped = [{ gtin: parts[1]!.gtin, serial: parts[1]!.serial }];
    await stack.svc.ledger.append({
      actorId: "dealer",
      step: Stage.Shipped,
      parts: shipped,
      place: PLACE,
      shipTo: "shop",
    });
    await stack.svc.ledger.append({ actorId: "shop", step: Stage.Received, parts: shipped, place: PLACE });
    // … a serial using every character AI 21 allows (a URI needs them percent-encoded) …
    await stack.svc.ledger.append({
      actorId: "maker",
      step: Stage.Commissioned,
      parts: [{ gtin: parts[0]!.gtin, serial: "!\"%&'()*+,-./:;<=>?_", lot: "L1" }],
      place: PLACE,
    });
    // … and an audit checkpoint of the platform's audit trail.
    await auditTrail.append(stack.svc.db.sql, {
      companyId: null,
      actorType: "operator",
      actorId: null,
      action: "test.record",
      resource: "test",
    });
    expect(await stack.svc.checkpointAuditTrail()).to.be.a("number");
    await stack.svc.worker.runUntilFinal();

    server = createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: TOKEN,
      publicBaseUrl: "https://pl.example.cn",
      checkResponses: true,
    }).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
    provider = makeProvider(shared.chainUrl);
  });
  after(async () => {
    provider.destroy();
    server.close();
    await stack.close();
  });

  it("GS1's schema refuses a bare event (no @context) — the reason events travel in an EPCISDocument", async () => {
    const { events } = await stack.svc.bundleForBatches(1, 1);
    expect(validate(events[0]!.event)).to.equal(false);
    expect(JSON.stringify(validate.errors)).to.contain("@context");
  });

  it("GET /ledger/epcis?from=&to= answers an EPCISDocument of every step, valid whole and event by event", async () => {
    const { rows } = await stack.svc.db.sql.query<{ n: number }>("SELECT max(seq)::int AS n FROM ledger_events");
    const res = await fetch(`${base}/ledger/epcis?from=1&to=${rows[0]!.n}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get("content-type")).to.contain("application/ld+json");
    const doc = (await res.json()) as EpcisDocument;
    expect(doc.type).to.equal("EPCISDocument");
    expect(doc.schemaVersion).to.equal("2.0");
    expect(doc["@context"][0]).to.equal("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
    expect(Date.parse(doc.creationDate)).to.be.closeTo(Date.now(), 60_000);
    expect(doc.epcisBody.eventList).to.have.length(rows[0]!.n);
    expect(new Set(doc.epcisBody.eventList.map((e) => e.bizStep))).to.deep.equal(new Set(ALL_STEPS));
    expectValid(doc, "range export");
    expectEachValid(doc, "range export");
  });

  it("GET /parts/{gtin}/{serial}/epcis answers the part's history as an EPCISDocument", async () => {
    const res = await fetch(`${base}/parts/${parts[1]!.gtin}/${parts[1]!.serial}/epcis`);
    expect(res.status).to.equal(200);
    const doc = (await res.json()) as EpcisDocument;
    expect(doc.epcisBody.eventList.map((e) => e.bizStep)).to.deep.equal([
      "commissioning",
      "shipping",
      "receiving",
      "shipping",
      "receiving",
    ]);
    expectValid(doc, "part export");
  });

  it("refuses a bad range and an unknown part with problem+json", async () => {
    const bad = await fetch(`${base}/ledger/epcis?from=5&to=4`);
    expect(bad.status).to.equal(400);
    expect(bad.headers.get("content-type")).to.contain("application/problem+json");
    expect(JSON.stringify(await bad.json())).to.contain("to");
    expect((await fetch(`${base}/ledger/epcis?from=1&to=10001`)).status).to.equal(400);
    const unknown = await fetch(`${base}/parts/${parts[0]!.gtin}/NOSUCHSERIAL1/epcis`);
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as { code: string }).code).to.equal("LEDGER.UNKNOWN_PART");
  });

  describe("bundles carry the same events as an EPCISDocument", () => {
    let range: Bundle;
    let part: Bundle;
    before(async () => {
      const { rows } = await stack.svc.db.sql.query<{ n: number }>("SELECT max(id)::int AS n FROM ledger_batches");
      range = clone(await stack.svc.bundleForBatches(1, rows[0]!.n));
      part = clone(await stack.svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial));
    });

    it("valid against GS1's schema, equal to the proved events, and the bundles verify", async () => {
      for (const [name, b] of [
        ["range bundle", range],
        ["part bundle", part],
      ] as const) {
        expectValid(b.epcisDocument, name);
        expectEachValid(b.epcisDocument!, name);
        expect(b.epcisDocument!.epcisBody.eventList).to.deep.equal(b.events.map((e) => e.event));
        expect(b.epcisDocument!.creationDate).to.equal(b.createdAt);
        expect((await verifyBundle(b, provider, await stack.svc.trustAnchor())).failure).to.equal(null);
      }
      expect(new Set(range.epcisDocument!.epcisBody.eventList.map((e) => e.bizStep))).to.deep.equal(new Set(ALL_STEPS));
    });

    it("the auditor refuses unsigned content added to the document, naming the event", async () => {
      const b = clone(part);
      const added = b.epcisDocument!.epcisBody.eventList[1] as EpcisObjectEvent & Record<string, unknown>;
      added.bizLocation = { id: "urn:partledger:place:110101:ELSEWHERE" };
      const r = await verifyBundle(b, provider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(part.events[1]!.seq);
      expect(r.failure!.reason).to.contain("eventList[1]");
    });

    it("the auditor refuses a document with events missing, reordered or a foreign @context", async () => {
      const dropped = clone(range);
      dropped.epcisDocument!.epcisBody.eventList.pop();
      expect((await verifyBundle(dropped, provider, await stack.svc.trustAnchor())).failure!.reason).to.contain(
        "lists",
      );
      const swapped = clone(range);
      const list = swapped.epcisDocument!.epcisBody.eventList;
      [list[0], list[1]] = [list[1]!, list[0]!];
      expect((await verifyBundle(swapped, provider, await stack.svc.trustAnchor())).failure!.seq).to.equal(
        range.events[0]!.seq,
      );
      const context = clone(range) as unknown as { epcisDocument: { "@context": unknown[] } };
      context.epcisDocument["@context"].push({ gs1: "https://evil.example/" });
      expect(
        (await verifyBundle(context as unknown as Bundle, provider, await stack.svc.trustAnchor())).failure!.reason,
      ).to.contain("@context");
    });
  });
});
