import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { RETURN_STATUSES, RETURN_TRANSITIONS } from "../../api/src/modules/returns/return-states.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { VIN, openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/**
 * Returns (issue 16): the declared table walked pair by pair through the API, the unit returned proven to be the unit
 * sold (each kind of swap detected with its evidence), one open return per serial under concurrency, the return's
 * custody on the ledger, restocking, and compensation in seconds that never pays twice.
 */
describe("returns: the unit sold comes back, swaps are caught, custody and money follow @smoke", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const gtin = gtin14("0690123456788");
  let serials: string[] = [];
  let skuId = 0;
  let loc = "";
  let dealer2 = "";
  const orders: Record<string, string> = {};
  const dealer = () => api.keys.dealer!;
  const shop = () => api.keys.shop!;
  const part = (serial: string) => ({ gtin, serial });
  const request = (token: string, body: Record<string, unknown>, key?: string) =>
    api.call(
      "POST",
      "/api/v1/returns",
      token,
      { reason: "wrong_part", ...body },
      key ? { "idempotency-key": key } : {},
    );
  const step = (token: string, id: string, body: Record<string, unknown>) =>
    api.call("POST", `/api/v1/returns/${id}/status`, token, body);
  const onHand = async () =>
    (
      await stack.svc.db.sql.query<{ n: number }>(
        "SELECT on_hand AS n FROM stock WHERE location_id = $1 AND sku_id = $2",
        [loc, skuId],
      )
    ).rows[0]!.n;
  /** An order of `quantity` units by `buyer`, shipped by the dealer with `ship` serials, delivered unless told not to. */
  const sell = async (buyer: string, quantity: number, ship: string[], deliver = true) => {
    const placed = await api.call("POST", "/api/v1/orders", buyer, { lines: [{ skuId, quantity }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const id = placed.json.id as string;
    const status = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${id}/status`, token, body);
    expect((await status(dealer(), { to: "picking" })).status).to.equal(200);
    const shipped = await status(dealer(), {
      to: "shipped",
      carrier: "顺丰",
      trackingNo: `SF${id.slice(4, 14)}`,
      ...(ship.length ? { parts: ship.map(part) } : {}),
    });
    expect(shipped.status, JSON.stringify(shipped.json)).to.equal(200);
    if (deliver) expect((await status(buyer, { to: "delivered" })).status).to.equal(200);
    return id;
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    const second = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "宁波汽配二级经销商有限公司",
      uscc: uscc("91330201MA2B00009"),
      kind: "distributor",
      regionCode: "330203",
      location: { lng: 121.55, lat: 29.87 },
    });
    expect(second.status, JSON.stringify(second.json)).to.equal(201);
    dealer2 = second.json.apiKey;
    [skuId] = (await importSkus(api, ["bosch,0 986 494 100,前刹车片,brake_pad,aftermarket,前"])) as [number];
    loc = await sharedWarehouse(api, dealer(), {
      code: "WH-RMA",
      name: "退货仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, dealer(), { locationId: loc, skuId, quantity: 40, price: 250 });
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-RMA",
      productionDate: "2026-11-20",
      count: 12,
      product: { brand: "BOSCH 博世", name: "前刹车片", skuId },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const carton = serials.slice(0, 11).map(part); // the twelfth stays at the factory
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts: carton })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", dealer(), { parts: carton })).status).to.equal(201);
    orders.a = await sell(dealer2, 3, serials.slice(0, 3)); // dealer2 holds s0 s1 s2
    orders.b = await sell(shop(), 3, serials.slice(3, 6)); // the shop holds s3 s4 s5
    orders.c = await sell(dealer2, 1, [serials[6]!], false); // s6 on its way to dealer2
    orders.d = await sell(shop(), 4, []); // no serials: returned by quantity
    // s7..s10 stay with the dealer (never sold); s11 at the factory.
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("walks the return table pair by pair: each allowed change by its side only, every other pair refused", async () => {
    const r = await request(shop(), { orderId: orders.d, lineNo: 1, quantity: 2, reason: "ordered_by_mistake" });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    expect(r.json).to.include({ status: "requested", quantity: 2, decision: "manual", custody: "none" });
    const id = r.json.id as string;
    const fields: Record<string, Record<string, unknown>> = {
      partially_authorised: { quantity: 1 },
      refused: { note: "超过退货期" },
      shipped_back: { carrier: "中通", trackingNo: "ZT0000001" },
      inspected: { inspection: "damaged" },
      resolved: { resolution: "repair" },
    };
    const tokens = { requester: shop(), seller: dealer() };
    let pairs = 0;
    for (const from of RETURN_STATUSES)
      for (const to of RETURN_STATUSES) {
        if (to === "requested") continue; // only a request creates one
        const sides = RETURN_TRANSITIONS[from][to] ?? [];
        for (const [side, token] of Object.entries(tokens)) {
          await stack.svc.db.sql.query("UPDATE returns SET status = $2, authorised_quantity = NULL WHERE id = $1", [
            id,
            from,
          ]);
          const got = await step(token, id, { to, ...fields[to] });
          const label = `${from} → ${to} by ${side}`;
          if (!sides.length)
            expect([got.status, got.json.code], label).to.deep.equal([409, "RETURN.INVALID_TRANSITION"]);
          else if (!sides.includes(side as "seller"))
            expect([got.status, got.json.code], label).to.deep.equal([403, "RETURN.NOT_YOUR_STEP"]);
          else expect([got.status, got.json.status], `${label}: ${JSON.stringify(got.json)}`).to.deep.equal([200, to]);
          pairs++;
        }
      }
    expect(pairs).to.equal(9 * 8 * 2);
    // A required field is named; a partial authorisation is fewer than requested; an outsider sees nothing.
    await stack.svc.db.sql.query("UPDATE returns SET status = 'requested' WHERE id = $1", [id]);
    expect((await step(dealer(), id, { to: "refused" })).json).to.include({ code: "RETURN.FIELD_REQUIRED" });
    expect((await step(dealer(), id, { to: "partially_authorised", quantity: 2 })).json.code).to.equal(
      "RETURN.INVALID_QUANTITY",
    );
    expect((await api.call("GET", `/api/v1/returns/${id}`, api.keys.farShop!)).status).to.equal(404);
    // A line cannot be returned beyond what was served: 2 of 4 are in this return.
    expect((await request(shop(), { orderId: orders.d, lineNo: 1, quantity: 3 })).json.code).to.equal(
      "RETURN.QUANTITY_EXCEEDED",
    );
  });

  it("accepts only the unit sold: another order's serial, a never-sold one, an unknown one, one not yet received, and a different unit at receipt are swaps with evidence", async () => {
    const swap = async (serial: string, orderId = orders.a!) => {
      const r = await request(dealer2, { orderId, lineNo: 1, part: part(serial) });
      expect(r.status, `${serial}: ${JSON.stringify(r.json)}`).to.equal(409);
      expect(r.json.code).to.equal("RETURN.NOT_THE_UNIT_SOLD");
      return r.json.kind as string;
    };
    expect(await swap(serials[6]!)).to.equal("other_order"); // dealer2's, but shipped on order c
    expect(await swap(serials[3]!)).to.equal("never_sold"); // sold to the shop
    expect(await swap(serials[8]!)).to.equal("never_sold"); // still in the dealer's warehouse
    expect(await swap(serials[11]!)).to.equal("never_sold"); // never left the factory
    expect(await swap("FAKE0001")).to.equal("unknown_serial"); // no event ever named it: a copied or invented label
    expect(await swap(serials[6]!, orders.c)).to.equal("not_received"); // shipped, not yet received
    // Someone outside the order learns nothing about it.
    expect(
      (await request(api.keys.farShop!, { orderId: orders.a, lineNo: 1, part: part(serials[0]!) })).status,
    ).to.equal(404);
    // The seller (and the platform) see each attempt with the ledger's trail.
    const seen = (await api.call("GET", "/api/v1/returns/swaps", dealer())).json.swaps as Array<{
      kind: string;
      evidence: { trail?: unknown[] };
    }>;
    expect(seen.map((s) => s.kind).sort()).to.deep.equal([
      "never_sold",
      "never_sold",
      "never_sold",
      "not_received",
      "other_order",
      "unknown_serial",
    ]);
    expect(seen.find((s) => s.kind === "other_order")!.evidence.trail).to.have.length.greaterThan(3);
    expect((await api.call("GET", "/api/v1/returns/swaps", OPERATOR)).json.swaps).to.have.length(6);
    expect((await api.call("GET", "/api/v1/returns/swaps", shop())).json.swaps).to.deep.equal([]); // none against its sales
    // The right unit is accepted; a different unit coming back is caught at receipt and can only be refused.
    const ok = await request(dealer2, {
      orderId: orders.a,
      lineNo: 1,
      part: part(serials[1]!),
      reason: "not_as_described",
    });
    expect(ok.status, JSON.stringify(ok.json)).to.equal(201);
    const id = ok.json.id as string;
    expect((await step(dealer(), id, { to: "authorised" })).json.authorisedQuantity).to.equal(1);
    expect(
      (await step(dealer2, id, { to: "shipped_back", carrier: "顺丰", trackingNo: "SF9000000001" })).json.custody,
    ).to.equal("ledger");
    const received = await step(dealer(), id, { to: "received", part: part(serials[2]!) });
    expect(received.status, JSON.stringify(received.json)).to.equal(200);
    expect(received.json.swapEvidence).to.deep.include({ kind: "different_serial", received: part(serials[2]!) });
    await step(dealer(), id, { to: "inspected", inspection: "sellable" });
    expect((await step(dealer(), id, { to: "resolved", resolution: "refund" })).json.code).to.equal(
      "RETURN.SWAP_MUST_BE_REFUSED",
    );
    const refused = await step(dealer(), id, { to: "resolved", resolution: "refusal" });
    expect(refused.json).to.include({ status: "resolved", resolution: "refusal", restocked: 0, refund: null });
  });

  it("records the return's custody on the ledger, restocks what comes back sellable and refunds once", async () => {
    const before = await onHand();
    const r = await request(dealer2, {
      orderId: orders.a,
      lineNo: 1,
      part: part(serials[0]!),
      reason: "fitment_wrong",
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    const id = r.json.id as string;
    await step(dealer(), id, { to: "authorised" });
    expect(
      (await step(dealer2, id, { to: "shipped_back", carrier: "顺丰", trackingNo: "SF9000000002" })).json.custody,
    ).to.equal("ledger");
    const got = await step(dealer(), id, { to: "received", part: part(serials[0]!) });
    expect(got.json).to.include({ status: "received", swapEvidence: null });
    await step(dealer(), id, { to: "inspected", inspection: "sellable" });
    const done = await step(dealer(), id, { to: "resolved", resolution: "refund" });
    expect(done.json).to.deep.include({ status: "resolved", restocked: 1 });
    expect(done.json.refund).to.include({ amountFen: 25_000, kind: "manual" });
    expect(await onHand()).to.equal(before + 1);
    // The ledger: … shipped by the dealer, received by dealer2, shipped back, received by the dealer — held by it again.
    const steps = await stack.svc.db.sql.query<{ step: number }>(
      "SELECT e.step FROM ledger_events e JOIN ledger_parts p ON p.part_key = e.part_key WHERE p.gtin = $1 AND p.serial = $2 ORDER BY e.seq",
      [gtin, serials[0]],
    );
    expect(steps.rows.map((x) => x.step)).to.deep.equal([1, 4, 2, 4, 2, 4, 2]);
    expect((await api.call("GET", `/api/v1/inventory/serials/${gtin}/${serials[0]}`, dealer())).json.held).to.equal(
      true,
    );
    expect((await step(dealer2, id, { to: "closed" })).json.status).to.equal("closed");
    const refunds = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM refunds WHERE return_id = $1",
      [id],
    );
    expect(refunds.rows[0]!.n).to.equal(1);
    // A repair shop ships back an unfitted unit on the ledger too; the seller's receipt returns it to its stock.
    const s = await request(shop(), { orderId: orders.b, lineNo: 1, part: part(serials[3]!) });
    expect(s.status, JSON.stringify(s.json)).to.equal(201);
    await step(dealer(), s.json.id, { to: "authorised" });
    expect(
      (await step(shop(), s.json.id, { to: "shipped_back", carrier: "中通", trackingNo: "ZT9000000003" })).json.custody,
    ).to.equal("ledger");
    expect((await step(dealer(), s.json.id, { to: "received", part: part(serials[3]!) })).json.swapEvidence).to.equal(
      null,
    );
    const shopSteps = await stack.svc.db.sql.query<{ step: number; actor: string }>(
      `SELECT e.step, a.id AS actor FROM ledger_events e JOIN ledger_parts p ON p.part_key = e.part_key
         JOIN ledger_actors a ON a.address = e.actor WHERE p.gtin = $1 AND p.serial = $2 ORDER BY e.seq`,
      [gtin, serials[3]],
    );
    expect(shopSteps.rows.slice(-2)).to.deep.equal([
      { step: 4, actor: api.ids.shop },
      { step: 2, actor: api.ids.dealer },
    ]);
    // A unit the shop fitted in a car cannot ship under the lifecycle table: its way back is kept off the ledger.
    const fittedOrder = await sell(shop(), 1, [serials[10]!]);
    expect(
      (await api.call("POST", "/api/v1/installations", shop(), { gtin, serial: serials[10], vin: VIN })).status,
    ).to.equal(201);
    const fitted = await request(shop(), { orderId: fittedOrder, lineNo: 1, part: part(serials[10]!) });
    expect(fitted.status, JSON.stringify(fitted.json)).to.equal(201);
    await step(dealer(), fitted.json.id, { to: "authorised" });
    expect(
      (await step(shop(), fitted.json.id, { to: "shipped_back", carrier: "中通", trackingNo: "ZT9000000005" })).json
        .custody,
    ).to.equal("off_ledger");
  });

  it("accepts the unit from its legitimate later holder, and no longer from the buyer who passed it on", async () => {
    // dealer2 passes s2 (bought on order a) to the shop, which receives it.
    const carton = [part(serials[2]!)];
    expect(
      (await api.call("POST", "/api/v1/dispatches", dealer2, { to: api.ids.shop, parts: carton })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", shop(), { parts: carton })).status).to.equal(201);
    const gone = await request(dealer2, { orderId: orders.a, lineNo: 1, part: part(serials[2]!) });
    expect(gone.json).to.include({ code: "RETURN.NOT_THE_UNIT_SOLD", kind: "not_held" });
    const later = await request(shop(), { orderId: orders.a, lineNo: 1, part: part(serials[2]!) });
    expect(later.status, JSON.stringify(later.json)).to.equal(201);
    expect(later.json).to.include({ requesterId: api.ids.shop, buyerId: later.json.buyerId, sellerId: api.ids.dealer });
    expect(later.json.buyerId).to.not.equal(api.ids.shop);
    // The later holder sees its return; the order's buyer is not a side of it.
    expect((await api.call("GET", `/api/v1/returns/${later.json.id}`, shop())).status).to.equal(200);
    expect((await api.call("GET", `/api/v1/returns/${later.json.id}`, dealer2)).status).to.equal(404);
  });

  it("resolves concurrent requests for one serial once", async () => {
    const all = await Promise.all(
      Array.from({ length: 5 }, () => request(shop(), { orderId: orders.b, lineNo: 1, part: part(serials[4]!) })),
    );
    expect(all.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    expect(all.filter((r) => r.status === 409).map((r) => r.json.code)).to.deep.equal(
      Array(4).fill("RETURN.ALREADY_OPEN"),
    );
  });

  it("compensates in seconds when the platform's and the seller's rules pass, with the evidence, and never pays twice", async () => {
    const rules = {
      enabled: true,
      reasons: ["defective"],
      warrantyDays: 365,
      requireProvenUnit: true,
      maxInstalledDays: 30,
      maxBuyerSwaps: 10,
      maxBuyerRefunds30d: 5,
      maxRefundFen: 100_000,
      monthlyLimitFen: 60_000,
    };
    expect((await api.call("PUT", "/api/v1/returns/rules", OPERATOR, rules)).status).to.equal(200);
    const body = { orderId: orders.b, lineNo: 1, part: part(serials[5]!), reason: "defective" };
    // Only the platform's: the seller has not opted in, so a person decides.
    const manual = await request(shop(), body);
    expect(manual.json).to.deep.include({ status: "requested", decision: "manual" });
    expect(manual.json.compensation.reason).to.match(/seller has not enabled/);
    await step(shop(), manual.json.id, { to: "closed" }).then((r) => expect(r.status).to.equal(409)); // not a requester step yet
    await step(dealer(), manual.json.id, { to: "refused", note: "重新申请" });
    await step(shop(), manual.json.id, { to: "closed" });
    expect((await api.call("PUT", "/api/v1/returns/rules", dealer(), rules)).status).to.equal(200);
    const auto = await request(shop(), body, "rma-retry-0001");
    expect(auto.status, JSON.stringify(auto.json)).to.equal(201);
    expect(auto.json).to.deep.include({ status: "authorised", decision: "auto_approved", authorisedQuantity: 1 });
    expect(auto.json.refund).to.include({ amountFen: 25_000, kind: "auto" });
    expect(auto.json.compensation.checks.every((c: { passed: boolean }) => c.passed)).to.equal(true);
    expect(auto.json.compensation.checks.map((c: { rule: string }) => c.rule)).to.include.members([
      "proven_unit",
      "within_warranty",
      "installation",
      "buyer_history",
      "seller_monthly_limit",
    ]);
    // A retry answers the same reply; no second refund.
    const retry = await request(shop(), body, "rma-retry-0001");
    expect(retry.json.id).to.equal(auto.json.id);
    const paid = await stack.svc.db.sql.query<{ n: number; fen: number }>(
      "SELECT count(*)::int AS n, sum(amount_fen)::int AS fen FROM refunds WHERE payee_id = $1 AND kind = 'auto'",
      [api.ids.shop],
    );
    expect(paid.rows[0]).to.deep.equal({ n: 1, fen: 25_000 });
    // Settling it later pays nothing more.
    const id = auto.json.id as string;
    await step(shop(), id, { to: "shipped_back", carrier: "中通", trackingNo: "ZT9000000004" });
    await step(dealer(), id, { to: "received", part: part(serials[5]!) });
    await step(dealer(), id, { to: "inspected", inspection: "defective_confirmed" });
    const settled = await step(dealer(), id, { to: "resolved", resolution: "refund" });
    expect(settled.json.refund).to.include({ kind: "auto", amountFen: 25_000 });
    expect(
      (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM refunds WHERE return_id = $1", [id]))
        .rows[0]!.n,
    ).to.equal(1);
    const unsold = await request(shop(), { orderId: orders.d, lineNo: 1, quantity: 1, reason: "defective" });
    expect(unsold.json.decision).to.equal("manual"); // no serial: not proven the unit sold
    const { auditTrail } = await import("../../ledger-service/src/index.js");
    await auditTrail.seal(stack.svc.db.sql);
    const audit = await stack.svc.db.sql.query<{ changes: { evidence: { after: string } } }>(
      "SELECT changes FROM audit_log WHERE action = 'return.auto_approved' AND resource_id = $1",
      [id],
    );
    expect(audit.rows[0]!.changes.evidence.after).to.match(/platform\.proven_unit: the ledger shows/);
  });

  it("lets the support assistant answer from my returns: one by its number, an order's, none of another company's", async () => {
    const listed = await api.call("GET", "/api/v1/returns?status=resolved", shop());
    const refunded = (listed.json.returns as Array<{ id: string; orderId: string }>)[0]!;
    const reply = async (token: string, text: string) => {
      const c = await api.call("POST", "/api/v1/support/conversations", token, { text });
      expect(c.status, JSON.stringify(c.json)).to.equal(201);
      const bot = (c.json.messages as Array<{ author: string; body: string; intent?: string }>).at(-1)!;
      return { body: bot.body, intent: c.json.messages[0].intent as string, lookups: c.json.lookups as unknown[] };
    };
    const byNumber = await reply(shop(), `退货单 ${refunded.id} 退款到账了吗`);
    expect(byNumber.intent).to.equal("return");
    expect(byNumber.body).to.contain(refunded.id).and.contain("已处理（退款）").and.contain("已退款 ¥250.00");
    expect(byNumber.lookups).to.deep.include({ ...(byNumber.lookups[0] as object), kind: "return", found: true });
    const byOrder = await reply(shop(), `订单 ${refunded.orderId} 的退货怎么样了`);
    expect(byOrder.body).to.contain(refunded.id);
    // The seller reads the same return in its own role; another company learns nothing of it.
    expect((await reply(dealer(), `${refunded.id} 这个退货处理到哪一步了`)).body).to.contain("您公司是卖家");
    const foreign = await reply(dealer2, `退货 ${refunded.id} 进度`);
    expect(foreign.body).to.contain("没有在您公司的退货里找到").and.not.contain("¥250.00");
  });
});
