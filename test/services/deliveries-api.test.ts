import { expect } from "chai";
import { taxIncluded } from "../../api/src/modules/finance/billing.js";
import {
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  type DeliveryStatus,
} from "../../api/src/modules/services/service-states.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { openStack, type TestStack } from "../helpers/stack.js";

type Json = Record<string, any>;

/**
 * Logistics offerings (DECISIONS 115) through the API against PostgreSQL: a provider offers 同城配送 over Hangzhou; the
 * distributor whose warehouse ships an order (or the buying shop) books a delivery of that shipment; the charge is
 * the tariff's over the allocation's distance and the declared weight; the provider accepts, picks up, delivers; the
 * delivery settles with the logistics commission and is billed in finance (DECISIONS 114).
 */
describe("services: deliveries of orders' shipments (同城配送), charged by tariff and settled through finance", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const key: Record<string, string> = {};
  let skuId = 0;
  let wh = "";
  const db = () => stack.svc.db.sql;
  const ok = (r: { status: number; json: Json }, status = 200) => {
    expect(r.status, JSON.stringify(r.json)).to.equal(status);
    return r.json;
  };
  /** A new order of the shop, served from the dealer's warehouse: its shipment. */
  const shipment = async () => {
    const o = ok(
      await api.call("POST", "/api/v1/orders", key.shop!, {
        lines: [{ skuId, quantity: 1 }],
        policy: "all_or_nothing",
      }),
      201,
    );
    expect(o.status).to.equal("allocated");
    return { orderId: o.id as string, locationId: wh };
  };
  const tariff = async (body: Json = {}) =>
    ok(
      await api.call("POST", "/api/v1/services/delivery-tariffs", key.provider!, {
        name: "杭州同城配送",
        baseFen: 1_500,
        perKmFen: 200,
        perKgFen: 50,
        areaCodes: ["330100"],
        ...body,
      }),
      201,
    );
  const book = (tariffId: string, body: Json, who = key.dealer!, headers: Record<string, string> = {}) =>
    api.call("POST", `/api/v1/services/delivery-tariffs/${tariffId}/deliveries`, who, body, headers);
  const move = (id: string, to: DeliveryStatus, who: string) =>
    api.call("POST", `/api/v1/services/deliveries/${id}/status`, who, { to });

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    const reg = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州闪送汽配物流有限公司",
      uscc: uscc("91330106MA2C00025"),
      kind: "service_provider",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.27 },
    });
    expect(reg.status, JSON.stringify(reg.json)).to.equal(201);
    api.keys.provider = reg.json.apiKey;
    api.ids.provider = reg.json.id;
    key.provider = await api.keyWithRoles("provider", ["service_manager"]);
    key.providerFinance = await api.keyWithRoles("provider", ["finance"]);
    key.dealer = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    key.dealerFinance = await api.keyWithRoles("dealer", ["finance"]);
    key.shop = await api.keyWithRoles("shop", ["buyer"]);
    key.farShop = await api.keyWithRoles("farShop", ["buyer"]);
    [skuId] = (await importSkus(api, ["bosch,0 986 494 200,后刹车片,brake_pad,aftermarket,后"])) as [number];
    wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "HZ-1",
      name: "杭州汽配城一号仓",
      regionCode: "330104",
      location: { lng: 120.2, lat: 30.29 },
    });
    await stockShared(api, api.keys.dealer!, { locationId: wh, skuId, quantity: 500, price: 88 });
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("offers a tariff over an area; bad tariffs are refused by field; distributors and shops browse it", async () => {
    const t = await tariff();
    expect(t.id).to.match(/^trf_[0-9a-f]{16}$/);
    expect(t).to.include({ baseFen: 1_500, perKmFen: 200, perKgFen: 50 });
    expect(t.areaCodes).to.deep.equal(["330100"]);
    for (const bad of [{ areaCodes: ["33010"] }, { baseFen: 0, perKmFen: 0, perKgFen: 0 }, { perKmFen: 1.5 }]) {
      const r = await api.call("POST", "/api/v1/services/delivery-tariffs", key.provider!, {
        name: "错误",
        baseFen: 1,
        perKmFen: 1,
        perKgFen: 1,
        areaCodes: ["330100"],
        ...bad,
      });
      expect(r.status, JSON.stringify(bad)).to.equal(400);
    }
    expect((await api.call("POST", "/api/v1/services/delivery-tariffs", key.dealer!, {})).status).to.equal(403);
    for (const who of [key.dealer!, key.shop!])
      expect(
        ok(await api.call("GET", "/api/v1/services/delivery-tariffs", who)).tariffs.map((x: Json) => x.id),
      ).to.include(t.id);
  });

  it("books a shipment's delivery at the tariff's charge: distance from the allocation, weight declared", async () => {
    const t = await tariff();
    const s = await shipment();
    const distanceM = (
      await db().query<{ d: number }>("SELECT distance_m AS d FROM order_allocations WHERE order_id = $1", [s.orderId])
    ).rows[0]!.d;
    expect(distanceM).to.be.greaterThan(0);
    const headers = { "idempotency-key": "deliver-0000001" };
    const d = ok(await book(t.id, { ...s, weightG: 12_345 }, key.dealer!, headers), 201);
    // base + round-half-up((m × 200 + g × 50) / 1000), one rounding
    const expected = 1_500 + Math.floor((distanceM * 200 + 12_345 * 50 + 500) / 1000);
    expect(d).to.include({ status: "requested", distanceM, weightG: 12_345, chargeFen: expected });
    expect(d).to.include({ customerId: api.ids.dealer, providerId: api.ids.provider, orderId: s.orderId });
    expect(d).to.include({ pickupName: "杭州汽配城一号仓", pickupRegion: "330104", dropRegion: "330106" });
    expect(d.next).to.deep.equal(["accepted", "cancelled"]);
    // a retry with the key answers the same delivery; without it the shipment is already booked (by anyone)
    expect(ok(await book(t.id, { ...s, weightG: 12_345 }, key.dealer!, headers), 201).id).to.equal(d.id);
    const twice = await book(t.id, { ...s, weightG: 1_000 }, key.shop!);
    expect(twice.status).to.equal(409);
    expect(twice.json.code).to.equal("SERVICE.ALREADY_BOOKED");
    // a company not party to the order: 404, as if none
    const stranger = await book(t.id, { ...s, weightG: 1_000 }, key.farShop!);
    expect([stranger.status, stranger.json.code]).to.deep.equal([404, "NOT_FOUND"]);
    // a party naming a warehouse the order does not ship from is told which field is wrong; a stranger still is not
    const elsewhere = await book(t.id, { ...s, locationId: "loc_0000000000000000", weightG: 1_000 });
    expect([elsewhere.status, elsewhere.json.code, elsewhere.json.field]).to.deep.equal([
      404,
      "SERVICE.NO_SHIPMENT",
      "locationId",
    ]);
    const strangerElsewhere = await book(t.id, { ...s, locationId: "loc_0000000000000000", weightG: 1 }, key.farShop!);
    expect([strangerElsewhere.status, strangerElsewhere.json.code]).to.deep.equal([404, "NOT_FOUND"]);
    // both strangers' attempts are on the buyer's audit trail, whatever warehouse they named
    await stack.svc.checkpointAuditTrail();
    const alarms = async () =>
      (
        await db().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'tenant.cross_access' AND resource = 'order'
              AND resource_id = $1 AND company_id = $2`,
          [s.orderId, api.ids.shop],
        )
      ).rows[0]!.n;
    expect(await alarms()).to.equal(2);
    // A second seller of the same order (farShop, its part from its own warehouse) naming the dealer's warehouse: not
    // its shipment, and it is told so — not "no order", and no cross-tenant alarm (the order's page shows it both).
    const own = `loc_${s.orderId.slice(4)}`;
    await db().query(
      `INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat) VALUES ($1, $2, $1, '二号仓', '440106', 113.36, 23.12)`,
      [own, api.ids.farShop],
    );
    await db().query(
      `INSERT INTO order_allocations (order_id, line_no, location_id, seller_id, quantity, price_fen, distance_m)
       VALUES ($1, 1, $2, $3, 1, 8800, 1000)`,
      [s.orderId, own, api.ids.farShop],
    );
    const another = await book(t.id, { ...s, weightG: 1_000 }, key.farShop!);
    expect([another.status, another.json.code, another.json.field]).to.deep.equal([
      404,
      "SERVICE.NO_SHIPMENT",
      "locationId",
    ]);
    expect(another.json.detail).to.contain("another seller's part");
    await stack.svc.checkpointAuditTrail();
    expect(await alarms()).to.equal(2);
    await db().query("DELETE FROM order_allocations WHERE order_id = $1 AND location_id = $2", [s.orderId, own]);
    // outside the area: a Guangdong tariff refuses a Hangzhou pickup
    const gd = await tariff({ name: "广州同城配送", areaCodes: ["440100"] });
    const far = await book(gd.id, { ...(await shipment()), weightG: 1_000 });
    expect(far.status).to.equal(409);
    expect(far.json.code).to.equal("SERVICE.OUT_OF_AREA");
    expect(far.json.field).to.equal("pickup");
    // a province-wide area holds both ends; the buying shop may book too
    const zj = await tariff({ name: "浙江省内配送", areaCodes: ["330000"] });
    ok(await book(zj.id, { ...(await shipment()), weightG: 500 }, key.shop!), 201);
    // a cancelled order has no shipment left to deliver
    const gone = await shipment();
    ok(await api.call("POST", `/api/v1/orders/${gone.orderId}/cancel`, key.shop!, {}));
    expect((await book(t.id, { ...gone, weightG: 500 })).json.code).to.equal("SERVICE.NOT_SHIPPABLE");
  });

  it("offers the shipments a party may book (buyer's, that warehouse's seller's) until booked or gone", async () => {
    const t = await tariff();
    const older = await shipment();
    const s = await shipment();
    const offered = async (who: string, limit = 100) =>
      ok(await api.call("GET", `/api/v1/services/deliveries/shipments?limit=${limit}`, who)).shipments as Json[];
    const mine = (rows: Json[]) => rows.filter((r) => r.orderId === s.orderId);
    const [asBuyer] = mine(await offered(key.shop!));
    expect(asBuyer).to.include({ locationId: wh, locationName: "杭州汽配城一号仓", side: "buyer", units: 1 });
    expect(asBuyer).to.include({ buyerId: api.ids.shop, sellerId: api.ids.dealer, orderStatus: "allocated" });
    // both ends' regions, so a form offers only the tariffs whose area holds them: the warehouse's, the shop's
    expect(asBuyer).to.include({ regionCode: "330104", buyerRegion: "330106" });
    expect(mine(await offered(key.dealer!))[0]).to.include({ side: "seller", locationId: wh });
    // not a party: the shipment is not offered to it; a provider's service manager books no deliveries
    expect(mine(await offered(key.farShop!))).to.deep.equal([]);
    expect((await api.call("GET", "/api/v1/services/deliveries/shipments", key.provider!)).status).to.equal(403);
    // booked: no longer offered to either side; cancelled: offered again
    expect(asBuyer!.sellerName).to.be.a("string").and.not.equal("");
    const d = ok(await book(t.id, { orderId: asBuyer!.orderId, locationId: asBuyer!.locationId, weightG: 900 }), 201);
    // the dealer booked it: the shop (the order's buyer) sees it in its list and may read it, not move it
    const listed = ok(await api.call("GET", "/api/v1/services/deliveries", key.shop!)).deliveries as Json[];
    expect(listed.map((x) => x.id)).to.include(d.id);
    expect(ok(await api.call("GET", `/api/v1/services/deliveries/${d.id}`, key.shop!)).id).to.equal(d.id);
    expect((await move(d.id, "cancelled", key.shop!)).status).to.equal(404);
    const others = ok(await api.call("GET", "/api/v1/services/deliveries", key.farShop!)).deliveries as Json[];
    expect(others.map((x) => x.id)).to.not.include(d.id);
    expect((await api.call("GET", `/api/v1/services/deliveries/${d.id}`, key.farShop!)).status).to.equal(404);
    expect(mine(await offered(key.shop!))).to.deep.equal([]);
    expect(mine(await offered(key.dealer!))).to.deep.equal([]);
    // the newest shipment booked, a list of one still offers one: the next without a delivery
    expect((await offered(key.shop!, 1)).map((x) => x.orderId)).to.deep.equal([older.orderId]);
    ok(await move(d.id, "cancelled", key.dealer!));
    expect(mine(await offered(key.shop!))).to.have.length(1);
    // shipped: it has left, nothing to book
    await db().query("UPDATE orders SET status = 'shipped' WHERE id = $1", [s.orderId]);
    expect(mine(await offered(key.shop!))).to.deep.equal([]);
    expect((await api.call("GET", "/api/v1/services/deliveries/shipments?limit=0", key.shop!)).status).to.equal(400);
  });

  it("refuses to accept a delivery of an order cancelled or shipped since, or pick one up once cancelled", async () => {
    const t = await tariff();
    const cancelled = await shipment();
    const d1 = ok(await book(t.id, { ...cancelled, weightG: 1_000 }), 201);
    ok(await api.call("POST", `/api/v1/orders/${cancelled.orderId}/cancel`, key.shop!, {}));
    const r1 = await move(d1.id, "accepted", key.provider!);
    expect([r1.status, r1.json.code]).to.deep.equal([409, "SERVICE.NOT_SHIPPABLE"]);
    expect(r1.json.detail).to.match(/cancelled/);
    ok(await move(d1.id, "cancelled", key.dealer!));

    const accepted = await shipment();
    const d2 = ok(await book(t.id, { ...accepted, weightG: 1_000 }), 201);
    ok(await move(d2.id, "accepted", key.provider!));
    ok(await api.call("POST", `/api/v1/orders/${accepted.orderId}/cancel`, key.shop!, {}));
    const r2 = await move(d2.id, "picked_up", key.provider!);
    expect([r2.status, r2.json.code]).to.deep.equal([409, "SERVICE.NOT_SHIPPABLE"]);

    const shippedElsewhere = await shipment();
    const d3 = ok(await book(t.id, { ...shippedElsewhere, weightG: 1_000 }), 201);
    await db().query("UPDATE orders SET status = 'shipped' WHERE id = $1", [shippedElsewhere.orderId]);
    expect((await move(d3.id, "accepted", key.provider!)).status).to.equal(409);
  });

  it("accept → pick up → deliver settles it: the charge = provider net + commission, billed in finance", async () => {
    const t = await tariff({ baseFen: 1_234, perKmFen: 333, perKgFen: 77 });
    const d = ok(await book(t.id, { ...(await shipment()), weightG: 8_888 }), 201);
    ok(await move(d.id, "accepted", key.provider!));
    ok(await move(d.id, "picked_up", key.provider!));
    const done = ok(await move(d.id, "delivered", key.provider!));
    const st = done.settlement;
    expect(st).to.include({ category: "logistics", grossFen: d.chargeFen, commissionRateBp: 500, dueFen: d.chargeFen });
    expect(st.commissionFen).to.equal(Math.floor((d.chargeFen * 500 + 5_000) / 10_000));
    expect(st.netFen + st.commissionFen).to.equal(d.chargeFen);
    // repeating delivery changes nothing: one settlement, two invoices
    expect(ok(await move(d.id, "delivered", key.provider!)).settlement.id).to.equal(st.id);
    const inv = (
      await db().query<Json>(
        `SELECT source, seller_id AS "sellerId", buyer_id AS "buyerId", total_fen::float8 AS total,
                tax_rate_bp AS rate, tax_fen::float8 AS tax
           FROM invoices WHERE settlement_id = $1 ORDER BY source DESC`,
        [st.id],
      )
    ).rows;
    expect(inv).to.deep.equal([
      {
        source: "service",
        sellerId: api.ids.provider,
        buyerId: api.ids.dealer,
        total: d.chargeFen,
        rate: 900,
        tax: taxIncluded(d.chargeFen, 900),
      },
      {
        source: "commission",
        sellerId: null,
        buyerId: api.ids.provider,
        total: st.commissionFen,
        rate: 600,
        tax: taxIncluded(st.commissionFen, 600),
      },
    ]);
    const line = ok(
      await api.call(
        "GET",
        `/api/v1/finance/invoices?side=payable&counterparty=${api.ids.provider}`,
        key.dealerFinance!,
      ),
    ).invoices[0].lines[0];
    expect(line.description).to.match(
      /^同城配送：杭州汽配城一号仓 → 杭州西湖汽车修理厂，\d+\.\d km，8\.888 kg（订单 ord_/,
    );
    const aging = ok(await api.call("GET", "/api/v1/finance/aging?side=payable", key.dealerFinance!));
    expect(aging.counterparties.find((c: Json) => c.counterparty === api.ids.provider).outstandingFen).to.equal(
      d.chargeFen,
    );
  });

  it("walks the delivery table pair by pair, by each side: allowed moves pass, others 409, repeats are no-ops", async () => {
    const t = await tariff();
    const path: Record<DeliveryStatus, DeliveryStatus[]> = {
      requested: [],
      accepted: ["accepted"],
      picked_up: ["accepted", "picked_up"],
      delivered: ["accepted", "picked_up", "delivered"],
      cancelled: ["cancelled"],
    };
    let walked = 0;
    for (const from of DELIVERY_STATUSES)
      for (const to of DELIVERY_STATUSES.filter((x) => x !== "requested"))
        for (const side of ["customer", "provider"] as const) {
          const d = ok(await book(t.id, { ...(await shipment()), weightG: 1_000 }), 201);
          for (const step of path[from]) ok(await move(d.id, step, step === "cancelled" ? key.dealer! : key.provider!));
          const r = await move(d.id, to, side === "customer" ? key.dealer! : key.provider!);
          const allowed = (DELIVERY_TRANSITIONS[from][to] ?? []).includes(side) || from === to;
          expect(r.status, `${from} → ${to} by ${side}: ${JSON.stringify(r.json)}`).to.equal(allowed ? 200 : 409);
          if (!allowed) expect(r.json.code).to.equal("SERVICE.INVALID_TRANSITION");
          const final = allowed ? to : from;
          const settled = await db().query("SELECT 1 FROM service_settlements WHERE subject_id = $1", [d.id]);
          expect(settled.rows.length, `${from} → ${to} by ${side}`).to.equal(final === "delivered" ? 1 : 0);
          walked++;
        }
    expect(walked).to.equal(5 * 4 * 2);
    // a cancelled delivery frees its shipment for another booking
    const s = await shipment();
    const first = ok(await book(t.id, { ...s, weightG: 1_000 }), 201);
    ok(await move(first.id, "cancelled", key.dealer!));
    expect(ok(await book(t.id, { ...s, weightG: 1_000 }), 201).id).to.not.equal(first.id);
    // another company cannot see or move it
    expect((await api.call("GET", `/api/v1/services/deliveries/${first.id}`, key.farShop!)).status).to.equal(404);
  });
});
