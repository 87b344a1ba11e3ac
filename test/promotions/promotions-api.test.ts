import { expect } from "chai";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { heldOut } from "../../api/src/modules/promotions/holdout.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/**
 * Search-driven promotions through the real API: six 杭州 shops search for a brake pad nobody orders; the dealer that
 * stocks it gets the suggestion, creates a 10 % discount for 杭州 (3301) with half the shops held out; each shop's
 * price comparison and order show the discount exactly when the hash says it sees it; the uplift counts the shops.
 */
describe("promotions: suggestions from searches, a discount shops see unless held out, measured conversion", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let sku = 0;
  let loc = "";
  const shops: Array<{ id: string; key: string }> = [];

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    [sku] = (await importSkus(api, ["bosch,0 986 494 100,前刹车片,brake_pad,aftermarket,前"])) as [number];
    loc = await sharedWarehouse(api, api.keys.dealer!, {
      code: "WH-1",
      name: "仓库一",
      regionCode: "330104",
      location: { lng: 120.15, lat: 30.27 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: loc, skuId: sku, quantity: 100, price: 100 });
    for (let i = 0; i < 6; i++) {
      const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
        name: `杭州第${i + 1}汽车修理厂`,
        uscc: uscc(`92330106MA2C001${i}0`),
        kind: "repair_shop",
        regionCode: "330106",
        location: { lng: 120.13 + i * 0.001, lat: 30.26 },
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      shops.push({ id: r.json.id, key: r.json.apiKey });
    }
    for (const s of shops) await api.call("GET", "/api/v1/catalog/search?q=0986494100", s.key);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("suggests the SKU where shops search and nobody orders, to the distributor that stocks it", async () => {
    const r = await api.call("GET", "/api/v1/promotions/suggestions?minSearchers=3", api.keys.dealer!);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.suggestions).to.have.length(1);
    expect(r.json.suggestions[0]).to.include({
      skuId: sku,
      regionPrefix: "3301",
      searchers: 6,
      orders: 0,
      available: 100,
    });
    // A distributor without the stock gets nothing.
    const other = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "宁波汽配有限公司",
      uscc: uscc("91330203MA2B00007"),
      kind: "distributor",
      regionCode: "330203",
      location: { lng: 121.55, lat: 29.87 },
    });
    expect((await api.call("GET", "/api/v1/promotions/suggestions", other.json.apiKey)).json.suggestions).to.deep.equal(
      [],
    );
    const refused = await api.call("POST", "/api/v1/promotions", other.json.apiKey, {
      skuId: sku,
      regionPrefix: "3301",
      percentOff: 10,
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect([refused.status, refused.json.code]).to.deep.equal([409, "PROMOTION.NO_STOCK"]);
    const foreign = await api.call("GET", "/api/v1/promotions/pr_0123456789abcdef", other.json.apiKey);
    expect(foreign.status).to.equal(404);
  });

  it("shows and bills the discount to the shops that see it, never to the hold-out, and measures each group", async () => {
    const created = await api.call("POST", "/api/v1/promotions", api.keys.dealer!, {
      skuId: sku,
      regionPrefix: "3301",
      percentOff: 10,
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      holdoutPct: 50,
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    const promo = created.json;
    const sees = shops.map((s) => !heldOut(s.id, promo.id, 50));
    for (const [i, s] of shops.entries()) {
      const offers = (await api.call("GET", `/api/v1/catalog/skus/${sku}/offers?radiusKm=20`, s.key)).json.offers;
      const mine = offers.find((o: { supplier: { locationId: string } }) => o.supplier.locationId === loc);
      expect(mine.priceFen, `shop ${i} sees: ${sees[i]}`).to.equal(sees[i] ? 9_000 : 10_000);
      expect(mine.promotion?.id).to.equal(sees[i] ? promo.id : undefined);
    }
    // 广州's shop is outside the region: no discount.
    const far = (
      await api.call("GET", `/api/v1/catalog/skus/${sku}/offers?radiusKm=20&lng=120.14&lat=30.27`, api.keys.farShop!)
    ).json;
    expect(far.offers[0].priceFen).to.equal(10_000);
    // Every shop searches while it runs; the first four order one.
    for (const s of shops) await api.call("GET", "/api/v1/catalog/search?q=0986494100", s.key);
    for (const [i, s] of shops.slice(0, 4).entries()) {
      const o = await api.call("POST", "/api/v1/orders", s.key, { lines: [{ skuId: sku, quantity: 1 }] });
      expect(o.status, JSON.stringify(o.json)).to.equal(201);
      expect(o.json.totalFen).to.equal(sees[i] ? 9_000 : 10_000);
    }
    const m = (await api.call("GET", `/api/v1/promotions/${promo.id}`, api.keys.dealer!)).json.measured;
    const count = (see: boolean, upTo = 6) => sees.slice(0, upTo).filter((x) => x === see).length;
    expect(m.treated).to.deep.equal({ shops: count(true), converted: count(true, 4) });
    expect(m.heldOut).to.deep.equal({ shops: count(false), converted: count(false, 4) });
    const listed = (await api.call("GET", "/api/v1/promotions", api.keys.dealer!)).json.promotions;
    expect(listed.map((p: { id: string }) => p.id)).to.deep.equal([promo.id]);
  });
});
