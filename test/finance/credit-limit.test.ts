import { expect } from "chai";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/**
 * Credit limits on 月结 terms are enforced when an order is placed (issue 15, DECISIONS 112): what the buyer owes a
 * seller (open invoices and orders not yet invoiced) plus the order's share for that seller stays within the limit,
 * else 409 ORDER.CREDIT_LIMIT — also when many orders race (the terms row is locked per seller and buyer).
 */
describe("finance: a seller's credit limit on 月结 terms holds when orders are placed, also concurrently", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let sku: number;
  let other: { id: string; key: string };
  let treasurer: string;
  let dealerWh = "";
  const order = (quantity: number, key?: string) =>
    api.call(
      "POST",
      "/api/v1/orders",
      api.keys.shop!,
      { lines: [{ skuId: sku, quantity }], policy: "all_or_nothing" },
      key ? { "Idempotency-Key": key } : {},
    );
  const setTerms = (token: string, body: unknown) =>
    api.call("PUT", `/api/v1/finance/terms/${api.ids.shop}`, token, body);
  const cancel = (id: string) => api.call("POST", `/api/v1/orders/${id}/cancel`, api.keys.shop!);
  /** The dealer's exposure from the database: open invoices + its allocations on live, uninvoiced orders of the shop. */
  const owed = async (sellerId: string) =>
    (
      await stack.svc.db.sql.query<{ n: number }>(
        `SELECT COALESCE(sum(a.price_fen * a.quantity), 0)::int AS n FROM order_allocations a JOIN orders o ON o.id = a.order_id
          WHERE a.seller_id = $1 AND o.buyer_id = $2 AND o.status <> 'cancelled'`,
        [sellerId, api.ids.shop],
      )
    ).rows[0]!.n;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, { apiRatePerMinute: 600_000 });
    [sku] = (await importSkus(api, ["bosch,0 986 494 700,机油滤清器,oil_filter,aftermarket,"])) as [number];
    const wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "CL-1",
      name: "信用仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId: sku, quantity: 200, price: 10 });
    dealerWh = wh;
    const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "绍兴汽配经销有限公司",
      uscc: uscc("91330602MA2B00031"),
      kind: "distributor",
      regionCode: "330602",
      location: { lng: 120.58, lat: 30.0 },
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    other = { id: r.json.id, key: r.json.apiKey };
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("refuses an order past the limit with a clear code; cash terms, no limit and cancelled orders do not count", async () => {
    // No terms, and cash terms: nothing to enforce.
    expect((await order(3)).status).to.equal(201);
    expect((await setTerms(treasurer, { kind: "cash", days: 0, creditLimitFen: 1 })).status).to.equal(200);
    const cash = await order(2);
    expect(cash.status, JSON.stringify(cash.json)).to.equal(201);
    // 月结 30 with a limit of ¥100: the shop already owes 5 × ¥10 on live orders.
    expect(await owed(api.ids.dealer!)).to.equal(5000);
    expect((await setTerms(treasurer, { kind: "net", days: 30, creditLimitFen: 10_000 })).status).to.equal(200);
    const over = await order(6);
    expect(over.status).to.equal(409);
    expect(over.json.code).to.equal("ORDER.CREDIT_LIMIT");
    expect(over.json.detail).to.contain("10000 fen");
    expect(over.json).to.deep.include({
      sellerId: api.ids.dealer,
      limitFen: 10_000,
      exposureFen: 5000,
      orderFen: 6000,
    });
    // Exactly up to the limit is accepted; one fen more is not.
    const fits = await order(5);
    expect(fits.status, JSON.stringify(fits.json)).to.equal(201);
    expect((await order(1)).json.code).to.equal("ORDER.CREDIT_LIMIT");
    // A cancelled order no longer counts.
    expect((await cancel(fits.json.id)).status).to.equal(200);
    expect((await order(1)).status).to.equal(201);
    // Lifting the limit (null) stops enforcing.
    expect((await setTerms(treasurer, { kind: "net", days: 30, creditLimitFen: null })).status).to.equal(200);
    expect((await order(20)).status).to.equal(201);
  });

  it("is per seller: each seller's share of an order is judged against that seller's limit", async () => {
    const wh = await sharedWarehouse(api, other.key, {
      code: "CL-2",
      name: "绍兴仓",
      regionCode: "330602",
      location: { lng: 120.58, lat: 30.0 },
    });
    await stockShared(api, other.key, { locationId: wh, skuId: sku, quantity: 3, price: 9 });
    // The other seller gives the shop ¥20 of credit.
    const t = await api.call("PUT", `/api/v1/finance/terms/${api.ids.shop}`, other.key, {
      kind: "net",
      days: 60,
      creditLimitFen: 2000,
    });
    expect(t.status, JSON.stringify(t.json)).to.equal(200);
    const at = (lines: Array<{ locationId: string; quantity: number }>) =>
      api.call("POST", "/api/v1/orders", api.keys.shop!, {
        lines: lines.map((l) => ({ skuId: sku, ...l })),
        policy: "all_or_nothing",
      });
    // Three of its units (¥27) do not fit its ¥20.
    const over = await at([{ locationId: wh, quantity: 3 }]);
    expect(over.status).to.equal(409);
    expect(over.json).to.deep.include({
      code: "ORDER.CREDIT_LIMIT",
      sellerId: other.id,
      exposureFen: 0,
      orderFen: 2700,
    });
    // Two of its units (¥18) fit its limit (the dealer's terms are cash now).
    expect(((await setTerms(treasurer, { kind: "cash", days: 0 })) as { status: number }).status).to.equal(200);
    const fits = await api.call("POST", "/api/v1/orders", api.keys.shop!, {
      lines: [{ skuId: sku, quantity: 2, locationId: wh }],
    });
    expect(fits.status, JSON.stringify(fits.json)).to.equal(201);
    // ¥18 owed to it now: one more unit (¥9) would pass ¥20; the dealer's units still sell.
    const more = await at([{ locationId: wh, quantity: 1 }]);
    expect(more.json).to.deep.include({ code: "ORDER.CREDIT_LIMIT", exposureFen: 1800, orderFen: 900 });
    expect((await at([{ locationId: dealerWh, quantity: 1 }])).status).to.equal(201);
    // Raised to ¥100: the same order passes.
    await api.call("PUT", `/api/v1/finance/terms/${api.ids.shop}`, other.key, {
      kind: "net",
      days: 60,
      creditLimitFen: 10_000,
    });
    expect((await at([{ locationId: wh, quantity: 1 }])).status).to.equal(201);
    // Whatever of the other seller's stock is left goes out of the pool, so the race below is the dealer's alone.
    const left = (await api.call("GET", `/api/v1/inventory/stock?locationId=${wh}&skuId=${sku}`, other.key)).json
      .stock[0] as { available: number };
    if (left.available > 0)
      expect(
        (
          await api.call("POST", "/api/v1/inventory/movements", other.key, {
            locationId: wh,
            skuId: sku,
            reason: "adjustment",
            quantity: -left.available,
          })
        ).status,
      ).to.equal(201);
  });

  it("concurrent orders never exceed the limit together, and a retried order is not counted twice", async () => {
    // Whatever the shop owes now, give it room for exactly 7 more units (¥10 each) with the dealer.
    const before = await owed(api.ids.dealer!);
    const room = 7;
    expect(
      (await setTerms(treasurer, { kind: "net", days: 30, creditLimitFen: before + room * 1000 })).status,
    ).to.equal(200);
    const n = 24;
    const replies = await Promise.all(Array.from({ length: n }, (_, i) => order(1, `cl-race-${i}`)));
    const codes = replies.map((r) => (r.status === 201 ? "ok" : r.json.code));
    expect(
      codes.filter((c) => c !== "ok" && c !== "ORDER.CREDIT_LIMIT"),
      JSON.stringify(codes),
    ).to.deep.equal([]);
    expect(codes.filter((c) => c === "ok").length, JSON.stringify(codes)).to.equal(room);
    expect(await owed(api.ids.dealer!)).to.equal(before + room * 1000);
    // The retry of an accepted order replays its reply; no new exposure.
    const again = await order(1, `cl-race-${replies.findIndex((r) => r.status === 201)}`);
    expect(again.status).to.equal(201);
    expect(await owed(api.ids.dealer!)).to.equal(before + room * 1000);
  });
});
