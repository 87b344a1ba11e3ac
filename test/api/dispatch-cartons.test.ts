import { expect } from "chai";
import { gs1CheckDigit } from "../../ledger-service/src/index.js";
import { startApi } from "../helpers/app.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

/** Cartons (DECISIONS 64): a dispatch gets a code a label carries, and its receiver takes it whole in one call. */
describe("HTTP API: cartons — dispatch codes, listing, receiving a whole carton", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let keys: Record<string, string>;
  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    api.call(method, `/api/v1${path}`, token, body);
  const events = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;
  const mint = async (count: number, lot: string) => {
    const r = await call("POST", "/mint", keys.maker!, { gtin: GTIN, lot, productionDate: "2026-11-21", count });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return (r.json.serials as string[]).map((serial) => ({ gtin: GTIN, serial }));
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    keys = api.keys;
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  it("lists the companies a carton may go to: distributors and repair shops, never the sender", async () => {
    const r = await call("GET", "/companies/receivers", keys.maker!);
    expect(r.status).to.equal(200);
    const ids = (r.json.companies as Array<{ id: string; kind: string }>).map((c) => c.id);
    expect(ids).to.include.members([api.ids.dealer, api.ids.shop, api.ids.farShop]);
    expect(ids).to.not.include(api.ids.maker);
    expect((r.json.companies as Array<{ kind: string }>).every((c) => c.kind !== "manufacturer")).to.equal(true);
    expect((await call("GET", "/companies/receivers", keys.shop!)).status).to.equal(403);
  });

  it("gives a manufacturer's carton an SSCC-18 under its GS1 prefix and a Digital Link /00/{sscc}", async () => {
    const parts = await mint(100, "C1");
    const sent = await call("POST", "/dispatches", keys.maker!, { to: api.ids.dealer, parts });
    expect(sent.status, JSON.stringify(sent.json)).to.equal(201);
    const sscc = sent.json.sscc as string;
    expect(sscc).to.match(/^06901234[0-9]{10}$/);
    expect(Number(sscc[17])).to.equal(gs1CheckDigit(sscc.slice(0, 17)));
    expect(sent.json.labelCode).to.equal(`https://pl.example.cn/00/${sscc}`);
    expect(sent.json.id).to.match(/^d_[0-9a-f]{16}$/);
    // A phone's camera app opening the label lands on the console's receiving screen (nothing else is answered).
    const opened = await fetch(`${api.origin}/00/${sscc}`, { redirect: "manual" });
    expect(opened.status).to.equal(302);
    expect(opened.headers.get("location")).to.equal(`/console/distributor/receive?code=${sscc}`);
    expect((await fetch(`${api.origin}/00/12345`, { redirect: "manual" })).status).to.equal(400);
    // A program asking for JSON is told the same address, and nothing about the carton.
    const asked = await fetch(`${api.origin}/00/${sscc}`, { headers: { accept: "application/json" } });
    expect(asked.status).to.equal(200);
    expect(await asked.json()).to.deep.equal({ sscc, receive: `/console/distributor/receive?code=${sscc}` });
    const second = await call("POST", "/dispatches", keys.maker!, { to: api.ids.dealer, parts: await mint(1, "C2") });
    expect(second.json.sscc).to.not.equal(sscc);

    // Both ends see it; by SSCC, by (00)SSCC and by id. Nobody else does (404, not 403: no existence leak).
    for (const code of [sscc, `(00)${sscc}`, sent.json.id]) {
      const one = await call("GET", `/dispatches/${encodeURIComponent(code)}`, keys.dealer!);
      expect(one.status, code).to.equal(200);
      expect(one.json.partCount).to.equal(100);
      expect(one.json.parts).to.have.length(100);
      expect(one.json.gtins).to.deep.equal([{ gtin: GTIN, count: 100 }]);
      expect(one.json.from.name).to.equal("博世汽车部件(苏州)有限公司");
      expect(one.json.status).to.equal("in_transit");
    }
    expect((await call("GET", `/dispatches/${sscc}`, keys.shop!)).status).to.equal(404);
    const bad = await call("GET", "/dispatches/not-a-code", keys.dealer!);
    expect(bad.status).to.equal(400);
    expect(bad.json.detail).to.include("params.code");

    const incoming = await call("GET", "/dispatches?direction=incoming&status=in_transit", keys.dealer!);
    expect(incoming.json.dispatches.map((d: { id: string }) => d.id)).to.include(sent.json.id);
    const outgoing = await call("GET", "/dispatches?direction=outgoing", keys.dealer!);
    expect(outgoing.json.dispatches).to.deep.equal([]);
    expect((await call("GET", "/dispatches?direction=sideways", keys.dealer!)).json.code).to.equal("REQUEST.INVALID");
  });

  it("receives a carton of 100 in one call: only the receiver, all or nothing, a repeat writes nothing", async () => {
    const parts = await mint(100, "C3");
    const sent = await call("POST", "/dispatches", keys.maker!, { to: api.ids.dealer, parts });
    const code = sent.json.sscc as string;

    const before = await events();
    const bySender = await call("POST", `/dispatches/${code}/receive`, keys.maker!, {});
    expect(bySender.status).to.equal(403); // a manufacturer has no custody:create
    const byShop = await call("POST", `/dispatches/${code}/receive`, keys.shop!, {});
    expect(byShop.status).to.equal(404);
    expect(await events()).to.equal(before);

    const got = await call("POST", `/dispatches/${code}/receive`, keys.dealer!, { locationId: "HZ-WH-1" });
    expect(got.status, JSON.stringify(got.json)).to.equal(201);
    expect(got.json).to.deep.include({ received: 100, alreadyReceived: false });
    expect(got.json.dispatch).to.deep.include({ status: "received", receivedLocationId: "HZ-WH-1" });
    expect(await events()).to.equal(before + 100);

    const again = await call("POST", `/dispatches/${code}/receive`, keys.dealer!, {});
    expect(again.status).to.equal(200);
    expect(again.json).to.deep.include({ received: 0, alreadyReceived: true });
    expect(await events()).to.equal(before + 100);

    // The dealer now holds them: it ships one on to the shop (a carton without SSCC: the dealer has no GS1 prefix).
    const onward = await call("POST", "/dispatches", keys.dealer!, { to: api.ids.shop, parts: parts.slice(0, 1) });
    expect(onward.status, JSON.stringify(onward.json)).to.equal(201);
    expect(onward.json.sscc).to.equal(null);
    expect(onward.json.labelCode).to.equal(onward.json.id);
    const shopGot = await call("POST", `/dispatches/${onward.json.id}/receive`, keys.shop!, {});
    expect(shopGot.json.received).to.equal(1);
  });

  it("refuses the whole carton when one of its parts was already received on its own", async () => {
    const parts = await mint(5, "C4");
    const sent = await call("POST", "/dispatches", keys.maker!, { to: api.ids.dealer, parts });
    expect((await call("POST", "/receipts", keys.dealer!, { parts: parts.slice(0, 1) })).status).to.equal(201);
    const before = await events();
    const whole = await call("POST", `/dispatches/${sent.json.id}/receive`, keys.dealer!, {});
    expect(whole.status).to.equal(409);
    expect(await events()).to.equal(before);
    const row = await call("GET", `/dispatches/${sent.json.id}`, keys.dealer!);
    expect(row.json.status).to.equal("in_transit");

    // Received part by part instead: in transit until the last part, then received (and only by the receiver's scans).
    expect((await call("POST", "/receipts", keys.dealer!, { parts: parts.slice(1, 4) })).status).to.equal(201);
    expect((await call("GET", `/dispatches/${sent.json.id}`, keys.dealer!)).json.status).to.equal("in_transit");
    expect(
      (await call("POST", "/receipts", keys.dealer!, { parts: parts.slice(4), locationId: "HZ-WH-2" })).status,
    ).to.equal(201);
    const done = await call("GET", `/dispatches/${sent.json.id}`, keys.dealer!);
    expect(done.json).to.deep.include({ status: "received", receivedLocationId: "HZ-WH-2" });
  });
});
