import { expect } from "chai";
import { valueCollateral } from "../../api/src/modules/finance/collateral.js";
import { rng } from "../../scripts/lib/catalog-generator.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/**
 * Collateral valuation and margin calls (issue 15, DECISIONS 110): a pledged receipt's locked units valued at the pool
 * price (the median of other companies' shared offers, never the borrower's own), the loan-to-value against the
 * lender's terms, a margin call opened once when the value falls and closed when it is back or the receipt released.
 */
describe("finance: collateral at the pool price; margin calls open once, close when cured or released", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let skuId = 0;
  let receiptId = "";
  let lenderApprover = "";
  const rival: string[] = []; // another distributor's three shared warehouses
  let rivalKey = "";
  const base = "/api/v1/finance/collateral";
  const price = (locationId: string, yuan: number) =>
    api.call("PATCH", "/api/v1/inventory/stock", rivalKey, { locationId, skuId, price: yuan });
  const setPrices = async (yuan: number[]) => {
    for (const [i, y] of yuan.entries()) expect((await price(rival[i]!, y)).status).to.equal(200);
  };
  const calls = async () =>
    (
      await stack.svc.db.sql.query<{ reason: string | null; open: boolean }>(
        `SELECT closed_reason AS reason, closed_at IS NULL AS open FROM margin_calls
          WHERE receipt_id = $1 ORDER BY opened_at`,
        [receiptId],
      )
    ).rows;

  before(async () => {
    stack = await openStack();
    // Webhooks kept in the outbox (no dispatcher), to a local address the test may name.
    api = await startApi(stack, 10_000, {}, { webhooks: { intervalMs: 0, allowCidrs: ["127.0.0.0/8"] } });
    [skuId] = (await importSkus(api, ["bosch,0 986 494 500,刹车盘,brake_disc,aftermarket,前"])) as [number];
    const dealer = api.keys.dealer!;
    const own = await sharedWarehouse(api, dealer, {
      code: "WH-COL",
      name: "质押仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    // The borrower prices its own stock high: a valuation that read it could never call.
    await stockShared(api, dealer, { locationId: own, skuId, quantity: 10, price: 500, reason: "receipt" });
    const other = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "宁波汽配行情参考经销有限公司",
      uscc: uscc("91330203MA2B00019"),
      kind: "distributor",
      regionCode: "330203",
      location: { lng: 121.55, lat: 29.87 },
    });
    expect(other.status, JSON.stringify(other.json)).to.equal(201);
    rivalKey = other.json.apiKey;
    for (const [i, yuan] of [100, 120, 140].entries()) {
      const wh = await sharedWarehouse(api, rivalKey, {
        code: `WH-R${i}`,
        name: `参考仓${i}`,
        regionCode: "330203",
        location: { lng: 121.55 + i / 100, lat: 29.87 },
      });
      await stockShared(api, rivalKey, { locationId: wh, skuId, quantity: 5, price: yuan });
      rival.push(wh);
    }
    await registerLenders(api, [
      ["lenderA", "杭州质押银行股份有限公司", "91330100MA2B00021"],
      ["lenderB", "浙江另一保理有限公司", "91330100MA2B00022"],
    ]);
    const clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    const treasurer = await api.keyWithRoles("dealer", ["finance"]);
    const issued = await api.call("POST", "/api/v1/finance/warehouse-receipts", clerk, {
      locationId: own,
      lines: [{ skuId, quantity: 10 }],
    });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    receiptId = issued.json.id;
    const pledged = await api.call("POST", `/api/v1/finance/warehouse-receipts/${receiptId}/pledge`, treasurer, {
      lenderId: api.ids.lenderA,
    });
    expect(pledged.status, JSON.stringify(pledged.json)).to.equal(200);
    lenderApprover = await api.keyWithRoles("lenderA", ["credit_approver"]);
    // Both sides subscribe to the collateral's events (events are kept for subscribers only).
    for (const key of [dealer, api.keys.lenderA!]) {
      const sub = await api.call("POST", "/api/v1/webhooks", key, {
        url: "http://127.0.0.1:9/partledger",
        events: ["collateral.*"],
      });
      expect(sub.status, JSON.stringify(sub.json)).to.equal(201);
    }
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("values at the median of other companies' pool prices; checks the loan-to-value against the terms", async () => {
    const before = await api.call("GET", `${base}/${receiptId}`, lenderApprover);
    expect(before.status, JSON.stringify(before.json)).to.equal(200);
    expect(before.json).to.deep.include({ valueFen: 120_000, terms: null, marginCall: false, ltvBp: null });
    expect(before.json.lines).to.deep.equal([{ skuId, quantity: 10, unitPriceFen: 12_000 }]);
    // Only the receipt's lender sets terms; the borrower may not, nor another lender.
    const terms = { securedFen: 84_000, maxLtvBp: 8000 };
    expect((await api.call("PUT", `${base}/${receiptId}/terms`, api.keys.dealer!, terms)).status).to.equal(403);
    expect(
      (
        await api.call(
          "PUT",
          `${base}/${receiptId}/terms`,
          await api.keyWithRoles("lenderB", ["credit_approver"]),
          terms,
        )
      ).status,
    ).to.equal(404);
    expect(
      (await api.call("PUT", `${base}/${receiptId}/terms`, lenderApprover, { ...terms, maxLtvBp: 20_000 })).json.field,
    ).to.equal("maxLtvBp");
    const set = await api.call("PUT", `${base}/${receiptId}/terms`, lenderApprover, terms);
    expect(set.status, JSON.stringify(set.json)).to.equal(200);
    expect(set.json).to.deep.include({ ltvBp: 7000, requiredFen: 105_000, marginCall: false, marginCallOpen: null });
  });

  it("opens one margin call as the price falls (concurrent readers too), tells both sides, cures it", async () => {
    await setPrices([80, 90, 100]); // median 90 → 90,000 fen → LTV 84,000 / 90,000 = 9,334 bp (rounded up)
    const reads = await Promise.all(
      [lenderApprover, api.keys.dealer!, lenderApprover, OPERATOR].map((t) =>
        api.call("GET", `${base}/${receiptId}`, t),
      ),
    );
    for (const r of reads) expect(r.json, JSON.stringify(r.json)).to.deep.include({ valueFen: 90_000, ltvBp: 9334 });
    expect(await calls()).to.deep.equal([{ reason: null, open: true }]);
    const events = await stack.svc.db.sql.query<{ companyId: string }>(
      `SELECT company_id AS "companyId" FROM webhook_events
        WHERE type = 'collateral.margin_call' AND payload->>'receiptId' = $1`,
      [receiptId],
    );
    expect(events.rows.map((e) => e.companyId).sort()).to.deep.equal([api.ids.dealer, api.ids.lenderA].sort());
    const listed = await api.call("GET", `${base}/margin-calls`, api.keys.dealer!);
    expect(listed.json.marginCalls[0]).to.deep.include({ receiptId, ltvBp: 9334, closedAt: null });
    expect((await api.call("GET", `${base}/margin-calls`, api.keys.lenderB!)).json.marginCalls).to.deep.equal([]);
    // The value comes back: the call closes as cured.
    await setPrices([100, 120, 140]);
    const cured = await api.call("GET", base, lenderApprover);
    expect(cured.json.collateral[0]).to.deep.include({
      receiptId,
      ltvBp: 7000,
      marginCall: false,
      marginCallOpen: null,
    });
    expect(await calls()).to.deep.equal([{ reason: "cured", open: false }]);
  });

  it("shows a receipt only to its lender, its borrower and the platform; closes a call when released", async () => {
    expect((await api.call("GET", `${base}/${receiptId}`, api.keys.lenderB!)).status).to.equal(404);
    expect((await api.call("GET", base, api.keys.lenderB!)).json.collateral).to.deep.equal([]);
    expect((await api.call("GET", base, api.keys.dealer!)).json.collateral).to.have.length(1);
    await setPrices([50, 50, 50]);
    await api.call("GET", `${base}/${receiptId}`, lenderApprover);
    expect((await calls()).at(-1)).to.deep.equal({ reason: null, open: true });
    const released = await api.call("POST", `/api/v1/finance/warehouse-receipts/${receiptId}/release`, lenderApprover, {
      reference: "repaid",
    });
    expect(released.status, JSON.stringify(released.json)).to.equal(200);
    expect((await api.call("GET", base, lenderApprover)).json.collateral).to.deep.equal([]);
    expect((await calls()).at(-1)).to.deep.equal({ reason: "released", open: false });
  });

  it("values lines as their sum, and calls exactly when secured ÷ value passes the ratio (random cases)", () => {
    const random = rng(20261202);
    for (let i = 0; i < 2000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => ({
        skuId: k,
        quantity: Math.floor(random() * 50),
        unitPriceFen: random() < 0.15 ? null : 1 + Math.floor(random() * 100_000),
      }));
      const terms = { securedFen: 1 + Math.floor(random() * 3_000_000), maxLtvBp: 100 + Math.floor(random() * 9901) };
      const v = valueCollateral(lines, terms);
      const sum = lines.reduce((s, l) => s + (l.unitPriceFen ?? 0) * l.quantity, 0);
      expect(v.valueFen).to.equal(sum);
      if (sum === 0) expect(v).to.deep.include({ ltvBp: null, marginCall: true });
      else {
        // Exact in integers: a call iff secured × 10,000 > maxLtv × value (the ratio strictly above the agreed one).
        expect(v.marginCall, JSON.stringify({ lines, terms })).to.equal(
          terms.securedFen * 10_000 > terms.maxLtvBp * sum,
        );
        expect(v.ltvBp! * sum).to.be.at.least(terms.securedFen * 10_000);
      }
    }
  });
});
