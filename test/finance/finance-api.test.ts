import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import type { TransfersService } from "../../api/src/modules/inventory/transfers.service.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";

/**
 * Warehouse receipts and pledges (issue 15, DECISIONS 75): units a receipt locks cannot be reserved, sold, adjusted,
 * transferred, shipped or locked again — by the database, whichever path tries — and a receipt is pledged once.
 * The concurrency rounds run on PGlite in the normal suite and on a real PostgreSQL server where DATABASE_URL is set
 * (CI). The issue's full check is 64 concurrent attempts × 1,000 rounds on PostgreSQL: RECEIPT_FULL=1 (or
 * RECEIPT_ROUNDS / RECEIPT_CONCURRENCY) sets it; the suite runs 64 × 30 on PostgreSQL and 64 × 4 on PGlite.
 */
const SIZE = {
  rounds: Number(process.env.RECEIPT_ROUNDS ?? (process.env.RECEIPT_FULL ? 1000 : process.env.DATABASE_URL ? 30 : 4)),
  concurrency: Number(process.env.RECEIPT_CONCURRENCY ?? 64),
};
describe("finance: warehouse receipts lock their units, a receipt is pledged once; consents; invoices and aging @smoke", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const sku: number[] = [];
  const gtin = gtin14("0690123456786");
  let serials: string[] = [];
  let clerk: string;
  let treasurer: string;
  let approver: string;
  let dealer2: string;
  const dealer = () => api.keys.dealer!;
  const db = () => stack.svc.db.sql;

  const warehouse = async (code: string, shared: boolean) => {
    const site = { code, name: `仓库${code}`, regionCode: "330106", location: { lng: 120.14, lat: 30.265 } };
    if (shared) return sharedWarehouse(api, dealer(), site);
    const r = await api.call("POST", "/api/v1/suppliers/locations", dealer(), site);
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json.id as string;
  };
  const stockIn = (locationId: string, skuId: number, quantity: number) =>
    stockShared(api, dealer(), { locationId, skuId, quantity, price: 100, reason: "receipt" });
  const stock = async (locationId: string, skuId: number) =>
    (await api.call("GET", `/api/v1/inventory/stock?locationId=${locationId}&skuId=${skuId}`, dealer())).json
      .stock[0] as { onHand: number; reserved: number; locked: number; available: number };
  const receipts = "/api/v1/finance/warehouse-receipts";

  /** Invariants over the whole database: locks within on hand, balances equal to movements, locks equal to live receipts. */
  const invariants = async () => {
    const q = async (sql: string) => (await db().query<{ n: number }>(sql)).rows[0]!.n;
    return {
      overLocked: await q("SELECT count(*)::int AS n FROM stock WHERE reserved + locked > on_hand OR on_hand < 0"),
      drift: await q(
        `SELECT count(*)::int AS n FROM stock s LEFT JOIN (SELECT location_id, sku_id, sum(on_hand_delta) oh, sum(reserved_delta) rs, sum(locked_delta) lk, sum(in_transit_delta) it
           FROM stock_movements GROUP BY 1, 2) m USING (location_id, sku_id)
          WHERE s.on_hand <> COALESCE(m.oh, 0) OR s.reserved <> COALESCE(m.rs, 0) OR s.locked <> COALESCE(m.lk, 0) OR s.in_transit <> COALESCE(m.it, 0)`,
      ),
      lockedNotOnReceipts: await q(
        `SELECT count(*)::int AS n FROM stock s LEFT JOIN (
           SELECT r.location_id, l.sku_id, sum(l.quantity) q FROM warehouse_receipts r JOIN warehouse_receipt_lines l ON l.receipt_id = r.id
            WHERE r.status IN ('issued', 'pledged') GROUP BY 1, 2) k USING (location_id, sku_id)
          WHERE s.locked <> COALESCE(k.q, 0)`,
      ),
      // A serial under a live receipt is still held (received) by the receipt's company, on the ledger.
      lockedSerialMoved: await q(
        `SELECT count(*)::int AS n FROM warehouse_receipt_parts p JOIN warehouse_receipts r ON r.id = p.receipt_id
           JOIN ledger_parts lp ON lp.gtin = p.gtin AND lp.serial = p.serial
          WHERE p.released_at IS NULL AND (lp.stage <> 2 OR r.status NOT IN ('issued', 'pledged'))`,
      ),
    };
  };
  const CLEAN = { overLocked: 0, drift: 0, lockedNotOnReceipts: 0, lockedSerialMoved: 0 };

  before(async () => {
    stack = await openStack();
    // The per-credential request budget is not under test here: the concurrency rounds send ~20 requests a second.
    api = await startApi(stack, 10_000, { apiRatePerMinute: 600_000 });
    sku.push(
      ...(await importSkus(api, [
        "bosch,0 986 494 200,后刹车片,brake_pad,aftermarket,后",
        "bosch,0 986 494 300,刹车盘,brake_disc,aftermarket,前",
      ])),
    );
    // Serialised brake discs (SKU 1), handed from the maker to the dealer on the ledger.
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-WR",
      productionDate: "2026-11-20",
      count: 12 + 2 * SIZE.rounds,
      product: { brand: "BOSCH 博世", name: "刹车盘", skuId: sku[1] },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const parts = serials.map((serial) => ({ gtin, serial }));
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", dealer(), { parts })).status).to.equal(201);
    const other = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "宁波汽配经销有限公司",
      uscc: uscc("91330203MA2B00009"),
      kind: "distributor",
      regionCode: "330203",
      location: { lng: 121.55, lat: 29.87 },
    });
    expect(other.status, JSON.stringify(other.json)).to.equal(201);
    dealer2 = other.json.apiKey;
    await registerLenders(api, [
      ["lenderA", "杭州联合农村商业银行股份有限公司", "91330100MA2B00011"],
      ["lenderB", "浙江商业保理有限公司", "91330100MA2B00012"],
    ]);
    clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
    approver = await api.keyWithRoles("dealer", ["company_admin"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("issues, pledges once, refuses every move of locked units, releases in part and in full — each step in the audit trail", async () => {
    const wh = await warehouse("WR-1", true);
    await stockIn(wh, sku[0]!, 10);
    await stockIn(wh, sku[1]!, 3);
    const [s0, s1, s2] = serials as [string, string, string];
    const issued = await api.call("POST", receipts, clerk, {
      locationId: wh,
      lines: [
        { skuId: sku[0], quantity: 6 },
        {
          skuId: sku[1],
          parts: [
            { gtin, serial: s0 },
            { gtin, serial: s1 },
          ],
        },
      ],
    });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    const id = issued.json.id as string;
    expect(issued.json).to.deep.include({ status: "issued", lenderId: null, version: 1 });
    expect(issued.json.lines).to.deep.equal([
      { skuId: Math.min(sku[0]!, sku[1]!), issued: sku[0]! < sku[1]! ? 6 : 2, quantity: sku[0]! < sku[1]! ? 6 : 2 },
      { skuId: Math.max(sku[0]!, sku[1]!), issued: sku[0]! < sku[1]! ? 2 : 6, quantity: sku[0]! < sku[1]! ? 2 : 6 },
    ]);
    expect(await stock(wh, sku[0]!)).to.include({ onHand: 10, locked: 6, available: 4 });
    expect(await stock(wh, sku[1]!)).to.include({ onHand: 3, locked: 2, available: 1 });

    // Locked units cannot be locked again, reserved, adjusted away, or shipped.
    const again = (lines: unknown) => api.call("POST", receipts, clerk, { locationId: wh, lines });
    expect((await again([{ skuId: sku[0], quantity: 5 }])).json.code).to.equal("RECEIPT.INSUFFICIENT_STOCK");
    expect((await again([{ skuId: sku[1], parts: [{ gtin, serial: s1 }] }])).json.code).to.equal("RECEIPT.PART_LOCKED");
    expect((await again([{ skuId: sku[1], parts: [{ gtin, serial: "NOPE1" }] }])).json.code).to.equal(
      "RECEIPT.PART_NOT_HELD",
    );
    const order = await api.call("POST", "/api/v1/orders", api.keys.shop!, {
      lines: [{ skuId: sku[0], quantity: 5 }],
      policy: "all_or_nothing",
    });
    expect(order.json.code, JSON.stringify(order.json)).to.equal("ORDER.INSUFFICIENT_STOCK");
    const adjust = await api.call("POST", "/api/v1/inventory/movements", dealer(), {
      locationId: wh,
      skuId: sku[0],
      reason: "adjustment",
      quantity: -5,
    });
    expect(adjust.json.code).to.equal("INVENTORY.INSUFFICIENT_STOCK");
    const ship = await api.call("POST", "/api/v1/dispatches", dealer(), {
      to: api.ids.shop,
      parts: [{ gtin, serial: s0 }],
    });
    expect(ship.status).to.equal(409);
    expect(ship.json.code).to.equal("RECEIPT.PART_LOCKED");
    expect(ship.json.detail).to.contain(id);
    // The free unit of each still moves.
    expect(
      (await api.call("POST", "/api/v1/dispatches", dealer(), { to: api.ids.shop, parts: [{ gtin, serial: s2 }] }))
        .status,
    ).to.equal(201);

    // Pledged once, by another person than its issuer, to a company other than itself.
    const pledge = (token: string, lenderId: string) =>
      api.call("POST", `${receipts}/${id}/pledge`, token, { lenderId });
    expect((await pledge(clerk, api.ids.lenderA!)).json.code).to.equal("AUTH.FORBIDDEN"); // a clerk issues, finance pledges
    expect((await pledge(treasurer, api.ids.dealer!)).json.code).to.equal("RECEIPT.SELF_PLEDGE");
    expect((await pledge(treasurer, api.ids.maker!)).json.code).to.equal("CONSENT.NOT_A_LENDER");
    const pledged = await pledge(treasurer, api.ids.lenderA!);
    expect(pledged.status, JSON.stringify(pledged.json)).to.equal(200);
    expect(pledged.json).to.deep.include({ status: "pledged", lenderId: api.ids.lenderA, version: 2 });
    expect((await pledge(treasurer, api.ids.lenderB!)).json.code).to.equal("RECEIPT.ALREADY_PLEDGED");
    expect((await api.call("POST", `${receipts}/${id}/cancel`, clerk, {})).json.code).to.equal(
      "RECEIPT.INVALID_TRANSITION",
    );
    const own = await api.call("POST", receipts, approver, { locationId: wh, lines: [{ skuId: sku[0], quantity: 1 }] });
    expect(own.status).to.equal(201);
    expect(
      (await api.call("POST", `${receipts}/${own.json.id}/pledge`, approver, { lenderId: api.ids.lenderA })).json.code,
    ).to.equal("RECEIPT.SAME_PERSON");
    expect((await api.call("POST", `${receipts}/${own.json.id}/cancel`, clerk, {})).json.status).to.equal("cancelled");

    // Its holder, its lender and the platform see it; any other company gets 404.
    expect((await api.call("GET", `${receipts}/${id}`, api.keys.lenderA!)).json.status).to.equal("pledged");
    expect((await api.call("GET", `${receipts}/${id}`, api.keys.lenderB!)).status).to.equal(404);
    expect((await api.call("GET", `${receipts}/${id}`, OPERATOR)).json.status).to.equal("pledged");
    expect((await api.call("GET", `${receipts}/${id}`, dealer2)).status).to.equal(404);
    expect((await api.call("GET", `${receipts}?gtin=${gtin}`, dealer2)).json.receipts).to.deep.equal([]);
    const bySerial = await api.call("GET", `${receipts}?gtin=${gtin}&serial=${s0}`, api.keys.lenderA!);
    expect(bySerial.json.receipts.map((r: { id: string }) => r.id)).to.deep.equal([id]);

    // Released by its lender's approver (or the platform): serialised units by naming their serials.
    const lenderApprover = await api.keyWithRoles("lenderA", ["credit_approver"]);
    const release = (body: unknown, token = lenderApprover) =>
      api.call("POST", `${receipts}/${id}/release`, token, body);
    expect((await release({ reference: "R1" }, treasurer)).json.code).to.equal("AUTH.FORBIDDEN");
    expect(
      (await release({ reference: "R1" }, await api.keyWithRoles("lenderA", ["credit_officer"]))).json.code,
    ).to.equal("AUTH.FORBIDDEN");
    expect(
      (await release({ reference: "R1" }, await api.keyWithRoles("lenderB", ["credit_approver"]))).status,
    ).to.equal(404);
    expect((await release({ reference: "R1", lines: [{ skuId: sku[1], quantity: 1 }] })).json.code).to.equal(
      "RECEIPT.NAME_SERIALS",
    );
    expect((await release({ reference: "R1", lines: [{ skuId: sku[0], quantity: 7 }] })).json.code).to.equal(
      "RECEIPT.RELEASE_TOO_LARGE",
    );
    const part = await release({
      reference: "BANK-20261201-0001",
      lines: [{ skuId: sku[0], quantity: 2 }],
      parts: [{ gtin, serial: s0 }],
    });
    expect(part.status, JSON.stringify(part.json)).to.equal(200);
    expect(part.json).to.deep.include({ status: "pledged", version: 3 });
    expect(await stock(wh, sku[0]!)).to.include({ locked: 4, available: 6 });
    expect(await stock(wh, sku[1]!)).to.include({ locked: 1 });
    expect(
      (await api.call("POST", "/api/v1/dispatches", dealer(), { to: api.ids.shop, parts: [{ gtin, serial: s0 }] }))
        .status,
    ).to.equal(201); // released: it moves again
    const full = await release({ reference: "BANK-20261201-0002" }, OPERATOR);
    expect(full.json).to.deep.include({ status: "released", lenderId: api.ids.lenderA, version: 4 });
    expect(await stock(wh, sku[0]!)).to.include({ locked: 0, available: 10 });
    expect((await release({ reference: "again" })).json.code).to.equal("RECEIPT.INVALID_TRANSITION");

    // On the ledger (DECISIONS 107): each serial's pledge signed by the holder under this receipt, its release by the
    // lender (s0, in part) or the platform (s1, in full); the released s0 then shipped.
    const history = async (serial: string) =>
      (
        await db().query<{ step: number; by: string; place: string }>(
          `SELECT e.step, a.id AS by, e.fields->>'place' AS place FROM ledger_events e
             JOIN ledger_actors a ON a.address = e.actor WHERE e.part_key = (
               SELECT part_key FROM ledger_parts WHERE gtin = $1 AND serial = $2) ORDER BY e.seq`,
          [gtin, serial],
        )
      ).rows.map((r) => `${r.step}:${r.by}:${r.place.split(":")[1]}`);
    expect((await history(s0)).slice(-3)).to.deep.equal([
      `5:${api.ids.dealer}:${id}`,
      `6:${api.ids.lenderA}:${id}`,
      `4:${api.ids.dealer}:WAREHOUSE`,
    ]);
    expect((await history(s1)).slice(-2)).to.deep.equal([`5:${api.ids.dealer}:${id}`, `6:platform:${id}`]);
    const pledgeSteps = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_parts WHERE gtin = $1 AND serial = ANY($2) AND pledge_step = 6",
      [gtin, [s1]],
    );
    expect(pledgeSteps.rows[0]!.n).to.equal(1);

    // Every state's digest is in the audit trail, and the platform's next checkpoint puts it on the ledger.
    await stack.svc.checkpointAuditTrail(); // seals the accepted entries, then checkpoints the trail's head
    const trail = await db().query<{ seq: number; action: string; digest: string }>(
      "SELECT seq::int, action, changes->'digest'->>'after' AS digest FROM audit_log WHERE resource = 'warehouse_receipt' AND resource_id = $1 AND action LIKE 'warehouse_receipt.%' ORDER BY seq",
      [id],
    );
    expect(trail.rows.map((r) => r.action)).to.deep.equal([
      "warehouse_receipt.issue",
      "warehouse_receipt.pledge",
      "warehouse_receipt.release",
      "warehouse_receipt.release",
    ]);
    expect(trail.rows.at(-1)!.digest).to.equal(full.json.digest);
    const cp = await db().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_checkpoints WHERE audit_seq >= $1",
      [trail.rows.at(-1)!.seq],
    );
    expect(cp.rows[0]!.n).to.equal(1);
    expect(await invariants()).to.deep.equal(CLEAN);
    await api.call("PATCH", `/api/v1/inventory/warehouses/${wh}`, dealer(), { shared: false });
  });

  it("a lender sees a borrower's profile only with its live consent; granting, viewing, refusing and revoking are audited", async () => {
    const consents = "/api/v1/finance/consents";
    const officerA = await api.keyWithRoles("lenderA", ["credit_officer"]);
    const officerB = await api.keyWithRoles("lenderB", ["credit_officer"]);
    const profile = (token: string, companyId = api.ids.dealer!) =>
      api.call("GET", `/api/v1/finance/borrowers/${companyId}/profile`, token);
    expect((await profile(officerA)).status).to.equal(404); // no consent yet: nothing, as if there were no such company
    expect((await api.call("POST", consents, treasurer, { lenderId: api.ids.maker })).json.code).to.equal(
      "CONSENT.NOT_A_LENDER",
    );
    expect((await api.call("POST", consents, officerA, { lenderId: api.ids.lenderA })).json.code).to.equal(
      "AUTH.FORBIDDEN",
    );
    const granted = await api.call("POST", consents, treasurer, { lenderId: api.ids.lenderA });
    expect(granted.status, JSON.stringify(granted.json)).to.equal(201);
    expect(granted.json).to.include({ borrowerId: api.ids.dealer, lenderId: api.ids.lenderA, live: true });
    expect((await api.call("POST", consents, treasurer, { lenderId: api.ids.lenderA })).json.code).to.equal(
      "CONSENT.EXISTS",
    );

    const seen = await profile(officerA);
    expect(seen.status, JSON.stringify(seen.json)).to.equal(200);
    expect(seen.json.borrower).to.include({ id: api.ids.dealer, kind: "distributor" });
    expect(seen.json.consent.id).to.equal(granted.json.id);
    expect(seen.json.pledgedToYou.length).to.be.greaterThan(0); // the receipts pledged to lender A above
    expect((await profile(officerB)).status).to.equal(404); // another lender: nothing
    expect((await profile(officerA, api.ids.shop!)).status).to.equal(404); // another borrower: nothing
    expect((await profile(treasurer)).json.code).to.equal("AUTH.FORBIDDEN"); // borrowers read no profiles
    const held = await api.call("GET", consents, officerA);
    expect(held.json.consents.map((c: { id: string }) => c.id)).to.deep.equal([granted.json.id]);
    expect((await api.call("GET", consents, officerB)).json.consents).to.deep.equal([]);

    expect((await api.call("POST", `${consents}/${granted.json.id}/revoke`, api.keys.shop!, {})).status).to.equal(404);
    const revoked = await api.call("POST", `${consents}/${granted.json.id}/revoke`, treasurer, {});
    expect(revoked.json).to.include({ live: false });
    expect((await api.call("POST", `${consents}/${granted.json.id}/revoke`, treasurer, {})).json.code).to.equal(
      "CONSENT.REVOKED",
    );
    expect((await profile(officerA)).status).to.equal(404);

    await stack.svc.checkpointAuditTrail();
    const trail = await db().query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_log WHERE company_id = $1 AND resource IN ('credit_consent', 'credit_profile') ORDER BY seq`,
      [api.ids.dealer],
    );
    expect(trail.rows.map((r) => `${r.action}:${r.outcome}`)).to.deep.equal([
      "tenant.cross_access:denied", // lender A before the consent
      "credit_consent.grant:ok",
      "credit_profile.view:ok",
      "tenant.cross_access:denied", // lender B
      "tenant.cross_access:denied", // the shop trying to revoke
      "credit_consent.revoke:ok",
      "tenant.cross_access:denied", // lender A after the revocation
    ]);
  });

  it("invoices a delivered order (VAT inside the total, rounded once), takes partial payments, ages what is open", async () => {
    const wh = await warehouse("WB-1", true);
    const r = await api.call("POST", "/api/v1/inventory/movements", dealer(), {
      locationId: wh,
      skuId: sku[0],
      reason: "receipt",
      quantity: 5,
    });
    expect(r.status).to.equal(201);
    await api.call("PATCH", "/api/v1/inventory/stock", dealer(), {
      locationId: wh,
      skuId: sku[0],
      shared: true,
      price: 33.33,
    });
    const terms = await api.call("PUT", `/api/v1/finance/terms/${api.ids.shop}`, treasurer, {
      kind: "net",
      days: 30,
      creditLimitFen: 50_000,
    });
    expect(terms.json).to.deep.include({ kind: "net", days: 30, creditLimitFen: 50_000, outstandingFen: 0 });
    const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, {
      lines: [{ skuId: sku[0], quantity: 3 }],
    });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const orderId = placed.json.id as string;
    const invoice = (body: unknown, token = treasurer) => api.call("POST", "/api/v1/finance/invoices", token, body);
    expect((await invoice({ orderId })).json.code).to.equal("INVOICE.NOT_DELIVERED");
    const step = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${orderId}/status`, token, body);
    expect((await step(dealer(), { to: "picking" })).status).to.equal(200);
    expect((await step(dealer(), { to: "shipped", carrier: "顺丰", trackingNo: "SF0000000009" })).status).to.equal(200);
    expect((await step(api.keys.shop!, { to: "delivered" })).status).to.equal(200);

    expect((await invoice({ orderId }, api.keys.shop!)).json.code).to.equal("AUTH.FORBIDDEN"); // the buyer does not invoice
    const issued = await invoice({ orderId, einvoiceNo: "26332000000012345678" });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    // 3 × ¥33.33 = 9,999 fen tax-inclusive; VAT 13 % inside it: 9999 × 1300 / 11300 = 1150.3 → 1150.
    expect(issued.json).to.deep.include({ totalFen: 9999, taxRateBp: 1300, taxFen: 1150, netFen: 8849, paidFen: 0 });
    expect(issued.json.terms).to.equal("net30");
    const day = (d: string, n: number) =>
      new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const issueDate = issued.json.issueDate as string;
    expect(issued.json.dueDate).to.equal(day(issueDate, 30));
    expect((await invoice({ orderId })).json.code).to.equal("INVOICE.EXISTS");
    const id = issued.json.id as string;
    expect((await api.call("GET", `/api/v1/finance/invoices/${id}`, api.keys.shop!)).status).to.equal(200);
    expect((await api.call("GET", `/api/v1/finance/invoices/${id}`, api.keys.farShop!)).status).to.equal(404);

    const pay = (amountFen: number, bankRef: string, paidOn = issueDate) =>
      api.call("POST", `/api/v1/finance/invoices/${id}/payments`, treasurer, { amountFen, bankRef, paidOn });
    expect((await pay(4000, "B1")).json).to.deep.include({ paidFen: 4000, outstandingFen: 5999 });
    expect((await pay(4000, "B1")).json.code).to.equal("PAYMENT.DUPLICATE");
    expect((await pay(6000, "B2")).json.code).to.equal("INVOICE.OVERPAID");
    const aging = async (token: string, side: string, asOf: string) =>
      (await api.call("GET", `/api/v1/finance/aging?side=${side}&asOf=${asOf}`, token)).json;
    const mine = (a: Record<string, unknown>, who: string) =>
      (a.counterparties as Array<{ counterparty: string; buckets: Record<string, number> }>).find(
        (c) => c.counterparty === who,
      )?.buckets;
    expect(mine(await aging(treasurer, "receivable", issueDate), api.ids.shop!)).to.include({ current: 5999 });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, 45)), api.ids.shop!)).to.include({ "1-30": 5999 });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, 100)), api.ids.shop!)).to.include({
      "61-90": 5999,
    });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, 121)), api.ids.shop!)).to.include({ "90+": 5999 });
    expect(mine(await aging(api.keys.shop!, "payable", day(issueDate, 31)), api.ids.dealer!)).to.include({
      "1-30": 5999,
    });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, -1)), api.ids.shop!)).to.equal(undefined); // not issued yet
    const listed = (await api.call("GET", "/api/v1/finance/terms", treasurer)).json.terms;
    expect(listed.find((t: { buyerId: string }) => t.buyerId === api.ids.shop)).to.include({
      outstandingFen: 5999,
      overLimit: false,
    });
    // A later payment leaves the earlier dates' aging as it was.
    expect((await pay(5999, "B3", day(issueDate, 50))).json).to.deep.include({ outstandingFen: 0 });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, 45)), api.ids.shop!)).to.include({ "1-30": 5999 });
    expect(mine(await aging(treasurer, "receivable", day(issueDate, 50)), api.ids.shop!)).to.equal(undefined);
    await api.call("PATCH", `/api/v1/inventory/warehouses/${wh}`, dealer(), { shared: false });
  });

  it("scores credit from evidence others signed or confirmed; every factor shown with its weight; a lender sees it only with consent", async () => {
    // The billing story's invoice, moved 60 days back so it fell due: 4,000 of its 9,999 fen were paid by the due date.
    await db().query("UPDATE invoices SET issue_date = issue_date - 60, due_date = due_date - 60 WHERE buyer_id = $1", [
      api.ids.shop,
    ]);
    await db().query(
      "UPDATE invoice_payments SET paid_on = paid_on - 60 WHERE invoice_id IN (SELECT id FROM invoices WHERE buyer_id = $1)",
      [api.ids.shop],
    );
    const shop = (await api.call("GET", "/api/v1/finance/credit-profile", api.keys.shop!)).json;
    type Factor = { key: string; value: number; score: number; weight: number };
    const factor = (c: Record<string, unknown>, key: string) => (c.factors as Factor[]).find((f) => f.key === key);
    expect(factor(shop, "punctuality")).to.include({ value: 4000, score: 40, weight: 30 });
    // A confirmed counterfeit report on a part the dealer handled costs it 50 of the factor's 100.
    await db().query(
      "INSERT INTO counterfeit_reports (id, submission_key, gtin, serial, verdict, status) VALUES ('cr_0000000000000001', '\\x01', $1, $2, 'SUSPECT_CLONE', 'confirmed')",
      [gtin, serials[0]],
    );
    const dealerCredit = (await api.call("GET", "/api/v1/finance/credit-profile", treasurer)).json;
    expect(factor(dealerCredit, "receipts")).to.include({ value: serials.length });
    expect(factor(dealerCredit, "counterfeit")).to.include({ value: 1, score: 50 });
    expect(factor(dealerCredit, "deliveries")!.value).to.be.at.least(1);
    expect(factor(dealerCredit, "punctuality")).to.include({ score: 50 }); // it owes nothing that fell due
    const weights = dealerCredit.factors.reduce((t: number, f: { weight: number }) => t + f.weight, 0);
    expect(weights).to.equal(100);
    expect(dealerCredit.score).to.equal(
      Math.round(
        dealerCredit.factors.reduce((t: number, f: { score: number; weight: number }) => t + f.score * f.weight, 0) /
          100,
      ),
    );
    // The lender with a live consent sees the same score; without one, nothing.
    const officerA = await api.keyWithRoles("lenderA", ["credit_officer"]);
    const profile = () => api.call("GET", `/api/v1/finance/borrowers/${api.ids.dealer}/profile`, officerA);
    expect((await profile()).status).to.equal(404);
    const c = await api.call("POST", "/api/v1/finance/consents", treasurer, { lenderId: api.ids.lenderA });
    expect((await profile()).json.credit).to.deep.equal(dealerCredit);
    await api.call("POST", `/api/v1/finance/consents/${c.json.id}/revoke`, treasurer, {});
    expect((await profile()).status).to.equal(404);
  });

  it("64 concurrent pledges, sales, reservations, transfers, adjustments and shipments of the same units: none pledged twice, none moved while pledged, balances equal to movements", async function () {
    const { rounds, concurrency } = SIZE;
    this.timeout(Math.max(600_000, rounds * 20_000));
    const transfers = api.app.locals.services.transfers as TransfersService;
    const seed = Number(process.env.RECEIPT_SEED ?? Date.now());
    const started = Date.now();
    console.log(
      `      ${rounds} rounds × ${concurrency} concurrent attempts on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"} (seed ${seed}; RECEIPT_SEED replays)`,
    );
    // Each kind's share of the attempts (of 64); scaled to RECEIPT_CONCURRENCY, at least one of each.
    const SHARE = {
      pledge: 16,
      receipt: 8,
      serialReceipt: 6,
      relockPledged: 2,
      order: 12,
      adjust: 6,
      transfer: 4,
      shipPledged: 4,
      ship: 6,
    } as const;
    const q = async (sql: string) => (await db().query<{ n: number }>(sql)).rows[0]!.n;
    /** The whole database's invariants, checked every 100 rounds (a partial run's evidence) and at the end. */
    const checkAll = async (after: number) => {
      expect(await invariants()).to.deep.equal(CLEAN);
      expect(
        await q(
          "SELECT count(*)::int AS n FROM (SELECT gtin, serial FROM warehouse_receipt_parts WHERE released_at IS NULL GROUP BY 1, 2 HAVING count(*) > 1) d",
        ),
      ).to.equal(0);
      // The ledger's own record agrees, read from the events alone: no pledge follows a live pledge, nothing but a
      // release follows a pledge, and the parts pledged on the ledger are exactly the live serials of pledged receipts.
      const ledger = {
        pledgedTwice: await q(
          `SELECT count(*)::int AS n FROM (SELECT step, lag(step) OVER (PARTITION BY part_key ORDER BY seq) AS prev
             FROM ledger_events WHERE step IN (5, 6)) x WHERE step = 5 AND prev = 5`,
        ),
        movedWhilePledged: await q(
          `SELECT count(*)::int AS n FROM (SELECT step, lag(step) OVER (PARTITION BY part_key ORDER BY seq) AS prev
             FROM ledger_events) x WHERE prev = 5 AND step <> 6`,
        ),
        pledgedNotOnReceipt: await q(
          `SELECT count(*)::int AS n FROM ledger_parts lp WHERE lp.pledge_step = 5 AND NOT EXISTS (
             SELECT 1 FROM warehouse_receipt_parts p JOIN warehouse_receipts r ON r.id = p.receipt_id
              WHERE p.gtin = lp.gtin AND p.serial = lp.serial AND p.released_at IS NULL AND r.status = 'pledged')`,
        ),
        receiptNotPledged: await q(
          `SELECT count(*)::int AS n FROM warehouse_receipt_parts p JOIN warehouse_receipts r ON r.id = p.receipt_id
             JOIN ledger_parts lp ON lp.gtin = p.gtin AND lp.serial = p.serial
            WHERE p.released_at IS NULL AND r.status = 'pledged' AND lp.pledge_step <> 5`,
        ),
      };
      expect(ledger).to.deep.equal({
        pledgedTwice: 0,
        movedWhilePledged: 0,
        pledgedNotOnReceipt: 0,
        receiptNotPledged: 0,
      });
      console.log(`      … ${after} rounds in ${((Date.now() - started) / 1000).toFixed(0)} s: invariants hold`);
    };
    const unexpected: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const wh = await warehouse(`WR-C${round}`, true);
      await stockIn(wh, sku[0]!, 8);
      await stockIn(wh, sku[1]!, 2);
      const pledged = serials[10 + 2 * round]!; // on the receipt pledged this round
      const free = serials[11 + 2 * round]!; // free: locked by one receipt or shipped once
      const dest = await warehouse(`WR-D${round}`, false);
      const t = await transfers.proposeOne(
        { actorType: "system", actorId: null, ip: null, userAgent: null, requestId: null },
        { companyId: api.ids.dealer!, skuId: sku[0]!, fromLocation: wh, toLocation: dest, quantity: 3, by: "system" },
      );
      // The receipt the pledges contend for: 2 of the 8 brake pads and one serialised disc. 6 pads stay free.
      const p = await api.call("POST", receipts, clerk, {
        locationId: wh,
        lines: [
          { skuId: sku[0], quantity: 2 },
          { skuId: sku[1], parts: [{ gtin, serial: pledged }] },
        ],
      });
      expect(p.status, JSON.stringify(p.json)).to.equal(201);
      const pid = p.json.id as string;
      const make: Record<keyof typeof SHARE, (i: number) => ReturnType<typeof api.call>> = {
        pledge: (i) =>
          api.call("POST", `${receipts}/${pid}/pledge`, treasurer, {
            lenderId: i % 2 ? api.ids.lenderA : api.ids.lenderB,
          }),
        receipt: () => api.call("POST", receipts, clerk, { locationId: wh, lines: [{ skuId: sku[0], quantity: 5 }] }),
        serialReceipt: () =>
          api.call("POST", receipts, clerk, {
            locationId: wh,
            lines: [{ skuId: sku[1], parts: [{ gtin, serial: free }] }],
          }),
        relockPledged: () =>
          api.call("POST", receipts, clerk, {
            locationId: wh,
            lines: [{ skuId: sku[1], parts: [{ gtin, serial: pledged }] }],
          }),
        order: () =>
          api.call("POST", "/api/v1/orders", api.keys.shop!, {
            lines: [{ skuId: sku[0], quantity: 3 }],
            policy: "all_or_nothing",
          }),
        adjust: () =>
          api.call("POST", "/api/v1/inventory/movements", dealer(), {
            locationId: wh,
            skuId: sku[0],
            reason: "adjustment",
            quantity: -3,
          }),
        transfer: () => api.call("POST", `/api/v1/inventory/transfers/${t.id}/approve`, approver, {}),
        shipPledged: () =>
          api.call("POST", "/api/v1/dispatches", dealer(), { to: api.ids.shop, parts: [{ gtin, serial: pledged }] }),
        ship: () =>
          api.call("POST", "/api/v1/dispatches", dealer(), { to: api.ids.shop, parts: [{ gtin, serial: free }] }),
      };
      const attempts = (Object.keys(SHARE) as Array<keyof typeof SHARE>).flatMap((kind) =>
        Array.from({ length: Math.max(1, Math.round((SHARE[kind] * concurrency) / 64)) }, (_, i) => ({
          kind,
          run: () => make[kind](i),
        })),
      );
      // Shuffled by the seed so each round interleaves differently.
      let s = seed + round;
      const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      attempts.sort(() => rand() - 0.5);
      const results = await Promise.all(attempts.map(async (a) => ({ kind: a.kind, res: await a.run() })));
      const ok = (kind: string) => results.filter((r) => r.kind === kind && r.res.status < 300);
      for (const r of results)
        if (r.res.status >= 500 || (r.res.status >= 300 && r.res.status !== 409))
          unexpected.push(`round ${round} ${r.kind}: ${r.res.status} ${JSON.stringify(r.res.json)}`);
      const summary = `round ${round} (seed ${seed}): ${results.map((r) => `${r.kind}:${r.res.status}:${r.res.json.code ?? ""}`).join(" ")}`;
      // Quantities: everything that succeeded fits in the 6 free pads; the balances say exactly what succeeded.
      const took = 5 * ok("receipt").length + 3 * (ok("order").length + ok("adjust").length + ok("transfer").length);
      expect(took, summary).to.be.at.most(6);
      expect(ok("transfer").length, summary).to.be.at.most(1);
      expect(await stock(wh, sku[0]!), summary).to.include({
        onHand: 8 - 3 * (ok("adjust").length + ok("transfer").length),
        reserved: 3 * ok("order").length,
        locked: 2 + 5 * ok("receipt").length,
      });
      // The free serial: locked by one receipt, or shipped once — never both, never twice.
      expect(ok("serialReceipt").length + ok("ship").length, summary).to.equal(1);
      // The pledged serial: never shipped, never locked again; the receipt pledged exactly once.
      expect(ok("shipPledged").length + ok("relockPledged").length, summary).to.equal(0);
      const won = ok("pledge");
      expect(won.length, summary).to.equal(1);
      const lost = results.filter((r) => r.kind === "pledge" && r.res.status !== 200).map((r) => r.res.json.code);
      expect(new Set(lost), summary).to.deep.equal(new Set(["RECEIPT.ALREADY_PLEDGED"]));
      const now = (await api.call("GET", `${receipts}/${pid}`, treasurer)).json;
      expect(now, summary).to.deep.include({ status: "pledged", lenderId: won[0]!.res.json.lenderId, version: 2 });
      // Out of the pool before the next round, so the next round's orders contend for its own warehouse only.
      await api.call("PATCH", `/api/v1/inventory/warehouses/${wh}`, dealer(), { shared: false });
      if ((round + 1) % 100 === 0 && round + 1 < rounds) {
        expect(unexpected, unexpected.join("\n")).to.deep.equal([]);
        await checkAll(round + 1);
      }
    }
    expect(unexpected, unexpected.join("\n")).to.deep.equal([]);
    await checkAll(rounds);
    expect(await q("SELECT count(*)::int AS n FROM ledger_parts WHERE pledge_step = 5")).to.be.at.least(rounds);
  });
});
