import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { startApi } from "../helpers/app.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/** The console's label screens read these: my runs with their anchoring state, one run, my products (issue 12). */
describe("HTTP API: mint runs and products of my company, with the anchoring state of each run", function () {
  this.timeout(180_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const mint = (count: number, gtin = GTIN, product?: { brand: string; name: string }) =>
    api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L2612",
      productionDate: "2026-11-20",
      count,
      ...(product ? { product } : {}),
    });

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  it("lists runs newest first, recorded → anchored → final as the worker seals, sends and confirms", async () => {
    const first = await mint(3, GTIN, { brand: "BOSCH 博世", name: "前刹车片" });
    expect(first.status, JSON.stringify(first.json)).to.equal(201);
    const second = await mint(5, gtin14("0690123400001"));
    expect(second.status).to.equal(201);

    const list = await api.call("GET", "/api/v1/mint", api.keys.maker!);
    expect(list.status).to.equal(200);
    expect(list.json.runs.map((r: { runId: string }) => r.runId)).to.deep.equal([second.json.runId, first.json.runId]);
    const r1 = list.json.runs[1];
    expect(r1).to.deep.include({
      runId: first.json.runId,
      gtin: GTIN,
      lot: "L2612",
      productionDate: "2026-11-20",
      count: 3,
      brand: "BOSCH 博世",
      name: "前刹车片",
      firstSeq: first.json.firstSeq,
      lastSeq: first.json.lastSeq,
    });
    expect(r1.anchoring).to.deep.equal({ state: "recorded", recorded: 3, anchored: 0, final: 0 });
    expect(list.json.runs[0]).to.deep.include({ brand: null, name: null, count: 5 });

    // The worker seals the pending events into a batch and sends its transaction (one step a tick): on the chain.
    let sent = await api.call("GET", `/api/v1/mint/${first.json.runId}`, api.keys.maker!);
    for (let i = 0; i < 20 && sent.json.anchoring.state === "recorded"; i++) {
      await stack.svc.worker.tick();
      sent = await api.call("GET", `/api/v1/mint/${first.json.runId}`, api.keys.maker!);
    }
    expect(sent.status).to.equal(200);
    expect(sent.json.anchoring.state).to.equal("anchored");
    expect(sent.json.anchoring).to.deep.include({ recorded: 0, final: 0, anchored: 3 });
    expect(sent.json.serials).to.deep.equal(first.json.serials);

    await stack.svc.worker.runUntilFinal();
    const done = await api.call("GET", "/api/v1/mint?limit=1", api.keys.maker!);
    expect(done.json.runs).to.have.length(1);
    expect(done.json.runs[0].anchoring).to.deep.equal({ state: "final", recorded: 0, anchored: 0, final: 5 });

    // A later run is recorded again while the earlier ones stay final.
    const third = await mint(2);
    const all = await api.call("GET", "/api/v1/mint", api.keys.maker!);
    expect(all.json.runs.map((r: { anchoring: { state: string } }) => r.anchoring.state)).to.deep.equal([
      "recorded",
      "final",
      "final",
    ]);
    expect(all.json.runs[0].runId).to.equal(third.json.runId);
  });

  it("lists my products: named GTINs and minted ones, with runs and parts so far", async () => {
    const r = await api.call("GET", "/api/v1/products", api.keys.maker!);
    expect(r.status).to.equal(200);
    const byGtin = Object.fromEntries(r.json.products.map((p: { gtin: string }) => [p.gtin, p]));
    expect(byGtin[GTIN]).to.deep.include({ brand: "BOSCH 博世", name: "前刹车片", runs: 2, parts: 5, skuId: null });
    expect(byGtin[gtin14("0690123400001")]).to.deep.include({ brand: null, name: null, runs: 1, parts: 5 });
    expect(r.json.products[0].lastMintedAt).to.be.a("string");
    // Another company sees none of them.
    const other = await api.call("GET", "/api/v1/products", api.keys.dealer!);
    expect(other.status).to.equal(200);
    expect(other.json.products).to.deep.equal([]);
  });

  it("answers another company's run as not found, and names a bad run id or limit", async () => {
    const { json } = await api.call("GET", "/api/v1/mint?limit=1", api.keys.maker!);
    const foreign = await api.call("GET", `/api/v1/mint/${json.runs[0].runId}`, api.keys.dealer!);
    expect(foreign.status).to.equal(404);
    expect((await api.call("GET", "/api/v1/mint", api.keys.dealer!)).json.runs).to.deep.equal([]);
    const bad = await api.call("GET", "/api/v1/mint/run_x", api.keys.maker!);
    expect(bad.status).to.equal(400);
    expect(bad.json.detail).to.match(/runId/);
    const limit = await api.call("GET", "/api/v1/mint?limit=0", api.keys.maker!);
    expect(limit.status).to.equal(400);
    expect(limit.json.detail).to.match(/limit/);
    const unknown = await api.call("GET", "/api/v1/mint?page=2", api.keys.maker!);
    expect(unknown.status).to.equal(400);
    expect(unknown.json.code).to.equal("REQUEST.UNKNOWN_FIELD");
  });
});
