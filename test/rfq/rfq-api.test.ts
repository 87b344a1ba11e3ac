import { expect } from "chai";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { RFQ_STATUSES, RFQ_TRANSITIONS, type RfqStatus } from "../../api/src/modules/rfq/rfq-states.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/**
 * Requests for quotes through the real API: the shop (杭州西湖, 120.13 / 30.26) asks; two distributors near it hold
 * the parts and are asked; one in 广州 holds them too but is out of range; the shop compares and accepts one quote,
 * which becomes an order at the quoted price from the quoted warehouse.
 */
describe("requests for quotes: ask suppliers in range, compare quotes, accept one into an order", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const sku: number[] = [];
  const loc: Record<string, string> = {};
  const key: Record<string, string> = {};
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const db = () => stack.svc.db.sql;

  const stock = (who: string, skuId: number, onHand: number, price: number) =>
    stockShared(api, key[who]!, { locationId: loc[who]!, skuId, quantity: onHand, price });
  const ask = async (lines: unknown[] = [{ skuId: sku[0], quantity: 2 }], extra: Record<string, unknown> = {}) => {
    const r = await api.call("POST", "/api/v1/rfqs", key.shop!, { lines, neededBy: tomorrow, radiusKm: 30, ...extra });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json;
  };
  const quote = (who: string, id: string, unitPriceFen: number, lines?: unknown[]) =>
    api.call("POST", `/api/v1/rfqs/${id}/quotes`, key[who]!, {
      locationId: loc[who],
      lines: lines ?? [{ lineNo: 1, skuId: sku[0], unitPriceFen }],
      validHours: 24,
    });
  const accept = (id: string, quoteId: string) => api.call("POST", `/api/v1/rfqs/${id}/accept`, key.shop!, { quoteId });
  const lapse = (id: string) =>
    db().query(
      `UPDATE rfqs SET closes_at = now() - interval '1 minute', expires_at = now() - interval '1 minute' WHERE id = $1;`,
      [id],
    );

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { webhooks: { intervalMs: 0, allowCidrs: ["127.0.0.0/8"] } });
    key.shop = api.keys.shop!;
    key.dealer = api.keys.dealer!;
    for (const [k, name, code, regionCode, location] of [
      ["near2", "杭州滨江汽配有限公司", "91330108MA2B00005", "330108", { lng: 120.2, lat: 30.2 }],
      ["far", "广州白云汽配有限公司", "91440111MA5D00006", "440111", { lng: 113.27, lat: 23.16 }],
    ] as const) {
      const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
        name,
        uscc: uscc(code),
        kind: "distributor",
        regionCode,
        location,
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      key[k] = r.json.apiKey;
    }
    sku.push(
      ...(await importSkus(api, [
        "bosch,0 986 494 100,前刹车片,brake_pad,aftermarket,前",
        "mann,W 719/30,机油滤清器,oil_filter,aftermarket,",
      ])),
    );
    const sites: Record<string, { lng: number; lat: number }> = {
      dealer: { lng: 120.15, lat: 30.27 },
      near2: { lng: 120.2, lat: 30.21 },
      far: { lng: 113.27, lat: 23.16 },
    };
    for (const [who, at] of Object.entries(sites)) {
      loc[who] = await sharedWarehouse(api, key[who]!, {
        code: "WH-1",
        name: "仓库一",
        regionCode: who === "far" ? "440111" : "330106",
        location: at,
      });
      for (const s of sku) await stock(who, s, 500, 120);
    }
    // The dealer subscribes to rfq.* events (never delivered here: the dispatcher does not run).
    const hook = await api.call("POST", "/api/v1/webhooks", key.dealer!, {
      url: "http://127.0.0.1:9/h",
      events: ["rfq.*"],
    });
    expect(hook.status, JSON.stringify(hook.json)).to.equal(201);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("resolves parts by number and by words, and notifies exactly the suppliers in range that stock them", async () => {
    const r = await ask([
      { query: "0 986 494 100", quantity: 2 },
      { query: "机油滤清器", quantity: 1 },
    ]);
    expect(r).to.include({ status: "open", recipients: 2, quotes: 0, neededBy: tomorrow });
    expect(r.lines.map((l: { skuId: number; quantity: number }) => [l.skuId, l.quantity])).to.deep.equal([
      [sku[0], 2],
      [sku[1], 1],
    ]);
    const incoming = async (who: string) =>
      (await api.call("GET", "/api/v1/rfqs/incoming", key[who]!)).json.rfqs.map((x: { id: string }) => x.id);
    expect(await incoming("dealer")).to.include(r.id);
    expect(await incoming("near2")).to.include(r.id);
    expect(await incoming("far")).to.not.include(r.id);
    // Out of range, another shop, or nobody's: the same 404.
    for (const k of ["far", "farShop"]) {
      const g = await api.call("GET", `/api/v1/rfqs/${r.id}`, key[k] ?? api.keys[k]!);
      expect([g.status, g.json.code]).to.deep.equal([404, "NOT_FOUND"]);
    }
    expect((await quote("far", r.id, 100)).status).to.equal(404);
    const events = await db().query<{ company_id: string }>(
      "SELECT company_id FROM webhook_events WHERE type = 'rfq.requested' AND payload->>'rfqId' = $1",
      [r.id],
    );
    expect(events.rows.map((e) => e.company_id)).to.deep.equal([api.ids.dealer]);
    const unknown = await api.call("POST", "/api/v1/rfqs", key.shop!, {
      lines: [{ query: "zzzzqqqq 不存在的零件", quantity: 1 }],
      neededBy: tomorrow,
    });
    expect([unknown.status, unknown.json.code]).to.deep.equal([422, "RFQ.PART_NOT_FOUND"]);
    const past = await api.call("POST", "/api/v1/rfqs", key.shop!, {
      lines: [{ skuId: sku[0], quantity: 1 }],
      neededBy: "2020-01-01",
    });
    expect([past.status, past.json.code]).to.deep.equal([400, "RFQ.NEEDED_BY_PAST"]);
  });

  it("shows the shop every quote side by side, each supplier only its own, and accepts one into an order once", async () => {
    const r = await ask([
      { skuId: sku[0], quantity: 2 },
      { skuId: sku[1], quantity: 3 },
    ]);
    const a = await quote("dealer", r.id, 0, [
      { lineNo: 1, skuId: sku[0], unitPriceFen: 9_000 },
      { lineNo: 2, skuId: sku[1], unitPriceFen: 3_000 },
    ]);
    expect(a.status, JSON.stringify(a.json)).to.equal(201);
    expect(a.json).to.include({ status: "quoted", quotes: 1 });
    const b = await quote("near2", r.id, 0, [
      { lineNo: 1, skuId: sku[0], unitPriceFen: 8_500 },
      { lineNo: 2, skuId: sku[1], unitPriceFen: 2_900 },
    ]);
    expect(b.status, JSON.stringify(b.json)).to.equal(201);
    // Each supplier sees its own quote only — never the other's price.
    expect(b.json.quoteList.map((q: { totalFen: number }) => q.totalFen)).to.deep.equal([8_500 * 2 + 2_900 * 3]);
    const dealerView = await api.call("GET", `/api/v1/rfqs/${r.id}`, key.dealer!);
    expect(dealerView.json.quotes).to.equal(1);
    expect(dealerView.json.quoteList.map((q: { totalFen: number }) => q.totalFen)).to.deep.equal([27_000]);
    expect(JSON.stringify(dealerView.json)).to.not.contain("8500");
    const again = await quote("dealer", r.id, 100, [
      { lineNo: 1, skuId: sku[0], unitPriceFen: 1 },
      { lineNo: 2, skuId: sku[1], unitPriceFen: 1 },
    ]);
    expect([again.status, again.json.code]).to.deep.equal([409, "RFQ.ALREADY_QUOTED"]);
    const partial = await quote("far", r.id, 100);
    expect(partial.status).to.equal(404);
    // The shop compares: cheapest first, with brand, delivery and validity.
    const shopView = (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json;
    expect(shopView.quoteList.map((q: { totalFen: number }) => q.totalFen)).to.deep.equal([25_700, 27_000]);
    expect(shopView.quoteList[0].lines[0]).to.include({ skuId: sku[0], brand: "bosch", unitPriceFen: 8_500 });
    expect(shopView.quoteList[0].deliveryMinutes).to.be.greaterThan(0);
    const best = shopView.quoteList[0];
    const ok = await accept(r.id, best.id);
    expect(ok.status, JSON.stringify(ok.json)).to.equal(200);
    expect(ok.json).to.include({ status: "accepted", acceptedQuoteId: best.id });
    const order = await api.call("GET", `/api/v1/orders/${ok.json.orderId}`, key.shop!);
    expect(order.json).to.include({ status: "allocated", totalFen: 25_700 });
    expect(
      order.json.lines.flatMap(
        (l: { allocations: Array<{ locationId: string; priceFen: number; quantity: number }> }) =>
          l.allocations.map((x) => [x.locationId, x.priceFen, x.quantity]),
      ),
    ).to.deep.equal([
      [loc.near2, 8_500, 2],
      [loc.near2, 2_900, 3],
    ]);
    // Accepting again answers the same order; another quote is refused; only one order exists.
    const twice = await accept(r.id, best.id);
    expect([twice.status, twice.json.orderId]).to.deep.equal([200, ok.json.orderId]);
    const other = await accept(r.id, shopView.quoteList[1].id);
    expect([other.status, other.json.code]).to.deep.equal([409, "RFQ.ALREADY_ACCEPTED"]);
    const orders = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM orders o JOIN order_allocations a ON a.order_id = o.id WHERE a.location_id = $1",
      [loc.near2],
    );
    expect(orders.rows[0]!.n).to.equal(2);
    expect(
      (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json.history.map((h: { to: string }) => h.to),
    ).to.deep.equal(["open", "quoted", "accepted"]);
  });

  it("refuses a quote naming a SKU that was not asked for, or leaving a line out", async () => {
    const r = await ask();
    const wrong = await quote("dealer", r.id, 0, [{ lineNo: 1, skuId: sku[1], unitPriceFen: 100 }]);
    expect([wrong.status, wrong.json.code]).to.deep.equal([400, "RFQ.SKU_NOT_ASKED"]);
    const r2 = await ask([
      { skuId: sku[0], quantity: 1 },
      { skuId: sku[1], quantity: 1 },
    ]);
    const short = await quote("dealer", r2.id, 0, [{ lineNo: 1, skuId: sku[0], unitPriceFen: 100 }]);
    expect([short.status, short.json.code]).to.deep.equal([400, "RFQ.QUOTE_LINES"]);
  });

  it("goes back to quoted when the quoted stock is gone at acceptance, and may be accepted once stock is back", async () => {
    const r = await ask([{ skuId: sku[1], quantity: 600 }]);
    const q1 = await quote("dealer", r.id, 100, [{ lineNo: 1, skuId: sku[1], unitPriceFen: 100 }]);
    expect(q1.status).to.equal(201);
    const refused = await accept(r.id, q1.json.quoteList[0].id);
    expect([refused.status, refused.json.code]).to.deep.equal([409, "ORDER.INSUFFICIENT_STOCK"]);
    const after = (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json;
    expect(after).to.include({ status: "quoted", acceptedQuoteId: null, orderId: null });
    await stock("dealer", sku[1]!, 200, 120); // restocked: the same quote now goes through
    const ok = await accept(r.id, q1.json.quoteList[0].id);
    expect([ok.status, ok.json.status], JSON.stringify(ok.json)).to.deep.equal([200, "accepted"]);
    expect(
      (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json.history.map((h: { to: string }) => h.to),
    ).to.deep.equal(["open", "quoted", "accepted", "quoted", "accepted"]);
  });

  it("walks every from × to pair of the declared table through the API", async () => {
    /** A request brought to `s` (with the dealer's quote where one can exist). */
    const reach = async (s: RfqStatus) => {
      const r = await ask([{ skuId: sku[0], quantity: 1 }]);
      if (s === "open") return { id: r.id as string, quoteId: null as string | null };
      const q = await quote("dealer", r.id, 100, [{ lineNo: 1, skuId: sku[0], unitPriceFen: 100 }]);
      expect(q.status, JSON.stringify(q.json)).to.equal(201);
      const quoteId = q.json.quoteList[0].id as string;
      if (s === "accepted") expect((await accept(r.id, quoteId)).status).to.equal(200);
      if (s === "cancelled")
        expect((await api.call("POST", `/api/v1/rfqs/${r.id}/cancel`, key.shop!)).status).to.equal(200);
      if (s === "expired") {
        await lapse(r.id);
        await db().query("UPDATE rfq_quotes SET valid_until = now() - interval '1 minute' WHERE rfq_id = $1", [r.id]);
      }
      const now = (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json.status;
      expect(now, `reach ${s}`).to.equal(s);
      return { id: r.id as string, quoteId };
    };
    const attempt = async (to: RfqStatus, r: { id: string; quoteId: string | null }) => {
      if (to === "quoted") return quote("near2", r.id, 100, [{ lineNo: 1, skuId: sku[0], unitPriceFen: 90 }]);
      if (to === "accepted") return accept(r.id, r.quoteId ?? "q_0000000000000000");
      if (to === "cancelled") return api.call("POST", `/api/v1/rfqs/${r.id}/cancel`, key.shop!);
      await lapse(r.id);
      await db().query("UPDATE rfq_quotes SET valid_until = now() - interval '1 minute' WHERE rfq_id = $1", [r.id]);
      return api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!);
    };
    let walked = 0;
    for (const from of RFQ_STATUSES)
      for (const to of RFQ_STATUSES) {
        if (from === to) continue;
        if (to === "open") {
          expect(RFQ_TRANSITIONS[from].open, `${from} → open`).to.equal(undefined);
          continue;
        }
        const r = await reach(from);
        const res = await attempt(to, r);
        const now = (await api.call("GET", `/api/v1/rfqs/${r.id}`, key.shop!)).json.status;
        const allowed = RFQ_TRANSITIONS[from][to] !== undefined;
        expect(now, `${from} → ${to}: ${res.status} ${res.json.code ?? ""}`).to.equal(allowed ? to : from);
        if (!allowed && to !== "expired") expect(res.status, `${from} → ${to}`).to.be.oneOf([404, 409]);
        walked++;
      }
    expect(walked).to.equal(16);
  });
});
