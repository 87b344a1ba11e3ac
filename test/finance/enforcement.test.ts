import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import {
  ENFORCEMENT_MOVES,
  ENFORCEMENT_STATUSES,
  fromStates,
  type EnforcementAct,
} from "../../api/src/modules/finance/enforcement.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/**
 * Enforcement of a pledged warehouse receipt (issue 15, DECISIONS 112): started by one approver of the lender naming a
 * nominee, confirmed by a second, undoable while its window runs, then the transfer — serials released and shipped to
 * the nominee on the ledger, quantities moved by stock movements, the receipt `enforced` — once, whatever races it.
 */
describe("finance: enforcing a pledged receipt — two people, an undo window, the goods to the lender's nominee once", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let sku: number[] = [];
  const gtin = gtin14("0690123456793");
  let serials: string[] = [];
  let clerk = "";
  let treasurer = "";
  let approver1 = "";
  let approver2 = "";
  let nominee: { id: string; key: string; wh: string };
  let wh = "";
  const db = () => stack.svc.db.sql;
  const R = "/api/v1/finance/warehouse-receipts";
  const E = "/api/v1/finance/enforcements";
  let next = 0;

  /** A pledged receipt over `quantity` of SKU 0 and `n` fresh serials of SKU 1. */
  const pledged = async (quantity: number, n: number) => {
    const parts = serials.slice(next, next + n).map((serial) => ({ gtin, serial }));
    next += n;
    const lines: unknown[] = [{ skuId: sku[0], quantity }];
    if (n) lines.push({ skuId: sku[1], parts });
    const issued = await api.call("POST", R, clerk, { locationId: wh, lines });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    const p = await api.call("POST", `${R}/${issued.json.id}/pledge`, treasurer, { lenderId: api.ids.lenderA });
    expect(p.status, JSON.stringify(p.json)).to.equal(200);
    return { id: issued.json.id as string, parts };
  };
  const start = (receipt: string, token = approver1, extra: Record<string, unknown> = {}, key?: string) =>
    api.call(
      "POST",
      `${R}/${receipt}/enforcements`,
      token,
      {
        nomineeId: nominee.id,
        nomineeLocationId: nominee.wh,
        reason: "逾期未还, 追加保证金未到",
        undoHours: 2,
        ...extra,
      },
      key ? { "Idempotency-Key": key } : {},
    );
  const act = (id: string, step: "confirm" | "cancel" | "complete", token = approver2) =>
    api.call("POST", `${E}/${id}/${step}`, token);
  /** Moves the undo window into the past (the clock, not the rule, is what the test changes). */
  const windowPassed = (id: string) =>
    db().query("UPDATE receipt_enforcements SET undo_until = now() - interval '1 second' WHERE id = $1", [id]);
  const stockAt = async (locationId: string, skuId: number) =>
    (
      await db().query<{ onHand: number; locked: number }>(
        `SELECT COALESCE(sum(on_hand), 0)::int AS "onHand", COALESCE(sum(locked), 0)::int AS locked FROM stock
          WHERE location_id = $1 AND sku_id = $2`,
        [locationId, skuId],
      )
    ).rows[0]!;
  const heads = async (parts: Array<{ serial: string }>) =>
    (
      await db().query<{ stage: number; pledge: number }>(
        `SELECT stage, pledge_step AS pledge FROM ledger_parts WHERE gtin = $1 AND serial = ANY($2::text[]) ORDER BY serial`,
        [gtin, parts.map((p) => p.serial)],
      )
    ).rows;
  const invariants = async () => {
    const q = async (sql: string) => (await db().query<{ n: number }>(sql)).rows[0]!.n;
    return {
      drift: await q(
        `SELECT count(*)::int AS n FROM stock s LEFT JOIN (SELECT location_id, sku_id, sum(on_hand_delta) oh, sum(reserved_delta) rs, sum(locked_delta) lk
           FROM stock_movements GROUP BY 1, 2) m USING (location_id, sku_id)
          WHERE s.on_hand <> COALESCE(m.oh, 0) OR s.reserved <> COALESCE(m.rs, 0) OR s.locked <> COALESCE(m.lk, 0)`,
      ),
      lockedNotOnReceipts: await q(
        `SELECT count(*)::int AS n FROM stock s LEFT JOIN (
           SELECT r.location_id, l.sku_id, sum(l.quantity) q FROM warehouse_receipts r JOIN warehouse_receipt_lines l ON l.receipt_id = r.id
            WHERE r.status IN ('issued', 'pledged', 'enforcing') GROUP BY 1, 2) k USING (location_id, sku_id)
          WHERE s.locked <> COALESCE(k.q, 0)`,
      ),
      // Every serial of an enforced receipt was shipped exactly once after its pledge (never twice, never elsewhere).
      twiceShipped: await q(
        `SELECT count(*)::int AS n FROM (SELECT e.part_key FROM ledger_events e WHERE e.step = 4 GROUP BY e.part_key
           HAVING count(*) > 2) x`,
      ),
    };
  };
  const CLEAN = { drift: 0, lockedNotOnReceipts: 0, twiceShipped: 0 };

  before(async () => {
    stack = await openStack();
    api = await startApi(
      stack,
      10_000,
      { apiRatePerMinute: 600_000 },
      { webhooks: { intervalMs: 0, allowCidrs: ["127.0.0.0/8"] } },
    );
    sku = await importSkus(api, [
      "bosch,0 986 494 800,前刹车片,brake_pad,aftermarket,前",
      "bosch,0 986 494 900,后刹车盘,brake_disc,aftermarket,后",
    ]);
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-ENF",
      productionDate: "2026-12-01",
      count: 60,
      product: { brand: "BOSCH 博世", name: "后刹车盘", skuId: sku[1] },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const parts = serials.map((serial) => ({ gtin, serial }));
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts })).status).to.equal(201);
    wh = await sharedWarehouse(api, api.keys.dealer!, {
      code: "ENF-1",
      name: "质押仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, api.keys.dealer!, {
      locationId: wh,
      skuId: sku[0]!,
      quantity: 500,
      price: 50,
      reason: "receipt",
    });
    await stockShared(api, api.keys.dealer!, {
      locationId: wh,
      skuId: sku[1]!,
      quantity: 60,
      price: 300,
      reason: "receipt",
    });
    const n = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "嘉兴汽配处置经销有限公司",
      uscc: uscc("91330402MA2B00041"),
      kind: "distributor",
      regionCode: "330402",
      location: { lng: 120.75, lat: 30.75 },
    });
    expect(n.status, JSON.stringify(n.json)).to.equal(201);
    const nwh = await api.call("POST", "/api/v1/suppliers/locations", n.json.apiKey, {
      code: "NOM-1",
      name: "处置仓",
      regionCode: "330402",
      location: { lng: 120.75, lat: 30.75 },
    });
    expect(nwh.status, JSON.stringify(nwh.json)).to.equal(201);
    nominee = { id: n.json.id, key: n.json.apiKey, wh: nwh.json.id };
    await registerLenders(api, [
      ["lenderA", "湖州处置银行股份有限公司", "91330500MA2B00042"],
      ["lenderB", "温州另一保理有限公司", "91330300MA2B00043"],
    ]);
    clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
    approver1 = await api.keyWithRoles("lenderA", ["credit_approver"]);
    approver2 = await api.keyWithRoles("lenderA", ["credit_approver"]);
    for (const key of [api.keys.dealer!, nominee.key]) {
      const sub = await api.call("POST", "/api/v1/webhooks", key, {
        url: "http://127.0.0.1:9/partledger",
        events: ["warehouse_receipt.*"],
      });
      expect(sub.status, JSON.stringify(sub.json)).to.equal(201);
    }
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("declares its state table; every pair not in it is refused by the row update", () => {
    const acts: EnforcementAct[] = ["confirm", "cancel", "transfer", "complete"];
    const allowed: string[] = [];
    for (const from of ENFORCEMENT_STATUSES)
      for (const to of ENFORCEMENT_STATUSES)
        for (const a of acts) if (fromStates(to, a).includes(from)) allowed.push(`${from}-${a}->${to}`);
    expect(allowed.sort()).to.deep.equal(
      [
        "proposed-confirm->confirmed",
        "proposed-cancel->cancelled",
        "confirmed-cancel->cancelled",
        "confirmed-transfer->transferring",
        "confirmed-complete->completed",
        "transferring-complete->completed",
      ].sort(),
    );
    expect(ENFORCEMENT_MOVES.completed).to.deep.equal({});
    expect(ENFORCEMENT_MOVES.cancelled).to.deep.equal({});
  });

  it("start → confirm (another person) → undo window → transfer: serials shipped to the nominee, units moved, audited, webhooks", async () => {
    const { id: receipt, parts } = await pledged(8, 3);
    // Who may start: the receipt's lender's approver only; the nominee must take goods and have that warehouse.
    expect((await start(receipt, api.keys.dealer!)).status).to.equal(403);
    expect((await start(receipt, await api.keyWithRoles("lenderB", ["credit_approver"]))).status).to.equal(404);
    expect((await start(receipt, approver1, { nomineeId: api.ids.lenderB })).json.code).to.equal(
      "ENFORCEMENT.NOMINEE_KIND",
    );
    expect((await start(receipt, approver1, { nomineeId: api.ids.dealer })).json.code).to.equal(
      "ENFORCEMENT.NOMINEE_IS_BORROWER",
    );
    expect((await start(receipt, approver1, { nomineeLocationId: wh })).json.code).to.equal(
      "ENFORCEMENT.NOT_NOMINEE_WAREHOUSE",
    );
    expect((await start(receipt, approver1, { undoHours: 0 })).status).to.equal(400);
    const started = await start(receipt, approver1, {}, "enforce-key-1");
    expect(started.status, JSON.stringify(started.json)).to.equal(201);
    expect(started.json).to.deep.include({ status: "proposed", undoable: true, completable: false, undoUntil: null });
    const id = started.json.id as string;
    // A retry with the same key answers the same; a second start is refused.
    expect((await start(receipt, approver1, {}, "enforce-key-1")).json.id).to.equal(id);
    expect((await start(receipt, approver2)).json.code).to.equal("ENFORCEMENT.EXISTS");
    // While live, the receipt cannot be released.
    const rel = await api.call("POST", `${R}/${receipt}/release`, approver2, { reference: "还款" });
    expect(rel.json.code).to.equal("RECEIPT.ENFORCING");
    // Two people: the starter cannot confirm; completing before confirmation is a wrong state.
    expect((await act(id, "confirm", approver1)).json.code).to.equal("ENFORCEMENT.SAME_PERSON");
    expect((await act(id, "complete")).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    const confirmed = await act(id, "confirm");
    expect(confirmed.status, JSON.stringify(confirmed.json)).to.equal(200);
    expect(confirmed.json).to.deep.include({ status: "confirmed", undoable: true, completable: false });
    expect(Date.parse(confirmed.json.undoUntil) - Date.now()).to.be.within(7_100_000, 7_300_000); // 2 h
    expect((await act(id, "confirm")).json.status).to.equal("confirmed"); // the confirmer's retry
    // Inside the window the transfer waits.
    expect((await act(id, "complete")).json.code).to.equal("ENFORCEMENT.UNDO_WINDOW_OPEN");
    await windowPassed(id);
    expect((await api.call("GET", `${E}/${id}`, approver1)).json).to.deep.include({
      undoable: false,
      completable: true,
    });
    expect((await act(id, "cancel")).json.code).to.equal("ENFORCEMENT.UNDO_WINDOW_CLOSED");
    // Another company cannot complete it; the borrower and the nominee can read it.
    expect((await act(id, "complete", api.keys.dealer!)).status).to.equal(403);
    expect((await api.call("GET", `${E}/${id}`, nominee.key)).status).to.equal(200);
    expect((await api.call("GET", `${E}/${id}`, api.keys.lenderB!)).status).to.equal(404); // audited as cross access

    const before0 = await stockAt(wh, sku[0]!);
    const before1 = await stockAt(wh, sku[1]!);
    const done = await act(id, "complete");
    expect(done.status, JSON.stringify(done.json)).to.equal(200);
    expect(done.json).to.deep.include({ status: "completed", undoable: false, completable: false });
    expect((await act(id, "complete")).json.status).to.equal("completed"); // a retry answers the outcome
    const r = await api.call("GET", `${R}/${receipt}`, approver1);
    expect(r.json.status).to.equal("enforced");
    expect(r.json.lines.every((l: { quantity: number }) => l.quantity === 0)).to.equal(true);
    expect(r.json.parts.every((p: { released: boolean }) => p.released)).to.equal(true);
    // Quantities: out of the borrower's warehouse (and its locks), into the nominee's.
    expect(await stockAt(wh, sku[0]!)).to.deep.equal({ onHand: before0.onHand - 8, locked: before0.locked - 8 });
    expect(await stockAt(wh, sku[1]!)).to.deep.equal({ onHand: before1.onHand - 3, locked: before1.locked - 3 });
    expect(await stockAt(nominee.wh, sku[0]!)).to.deep.include({ onHand: 8, locked: 0 });
    // Serials: released (lender) then shipped to the nominee (borrower's key) on the ledger; the nominee receives them.
    expect(await heads(parts)).to.deep.equal(parts.map(() => ({ stage: 4, pledge: 0 })));
    const steps = await db().query<{ step: number; n: number }>(
      `SELECT e.step, count(*)::int AS n FROM ledger_events e JOIN ledger_parts p ON p.part_key = e.part_key
        WHERE p.gtin = $1 AND p.serial = ANY($2::text[]) GROUP BY e.step ORDER BY e.step`,
      [gtin, parts.map((p) => p.serial)],
    );
    expect(steps.rows.filter((s) => s.step >= 4)).to.deep.equal([
      { step: 4, n: 6 }, // the maker's dispatch and the enforcement's shipment
      { step: 5, n: 3 },
      { step: 6, n: 3 },
    ]);
    // The receipt's audit bundle shows every serial released (the lender proves the end of its pledge from the chain).
    const bundle = await api.call("GET", `${R}/${receipt}/bundle`, approver1);
    expect(bundle.status, JSON.stringify(bundle.json)).to.equal(200);
    expect(bundle.json.receipt.status).to.equal("enforced");
    expect(bundle.json.receipt.serials.every((x: { released: boolean }) => x.released)).to.equal(true);
    const received = await api.call("POST", "/api/v1/receipts", nominee.key, { parts });
    expect(received.status, JSON.stringify(received.json)).to.equal(201);
    // Audit trail and webhooks to both sides.
    await stack.svc.checkpointAuditTrail();
    const trail = await db().query<{ action: string }>(
      "SELECT action FROM audit_log WHERE resource IN ('receipt_enforcement', 'warehouse_receipt') AND (resource_id = $1 OR resource_id = $2) ORDER BY seq",
      [id, receipt],
    );
    expect(trail.rows.map((x) => x.action)).to.include.members([
      "warehouse_receipt.enforcement.start",
      "warehouse_receipt.enforcement.confirm",
      "warehouse_receipt.enforce",
      "warehouse_receipt.enforcement.complete",
    ]);
    const hooks = await db().query<{ type: string; companyId: string }>(
      `SELECT type, company_id AS "companyId" FROM webhook_events WHERE payload->>'id' = $1 ORDER BY type, company_id`,
      [id],
    );
    expect(hooks.rows).to.deep.include({ type: "warehouse_receipt.enforced", companyId: nominee.id });
    expect(hooks.rows).to.deep.include({ type: "warehouse_receipt.enforced", companyId: api.ids.dealer });
    expect(hooks.rows).to.deep.include({ type: "warehouse_receipt.enforcement_confirmed", companyId: nominee.id });
    expect(await invariants()).to.deep.equal(CLEAN);
  });

  it("undo: cancelled inside the window, the receipt stays pledged and can be released or enforced again", async () => {
    const { id: receipt } = await pledged(4, 1);
    const a = (await start(receipt)).json.id as string;
    expect((await act(a, "cancel", approver1)).json.status).to.equal("cancelled"); // proposed → cancelled
    expect((await act(a, "confirm")).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    const b = (await start(receipt)).json.id as string;
    expect((await act(b, "confirm")).json.status).to.equal("confirmed");
    const undone = await act(b, "cancel", approver1);
    expect(undone.json).to.deep.include({ status: "cancelled", undoable: false });
    expect((await act(b, "complete")).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    expect((await api.call("GET", `${R}/${receipt}`, approver1)).json.status).to.equal("pledged");
    const rel = await api.call("POST", `${R}/${receipt}/release`, approver2, { reference: "已还款" });
    expect(rel.status, JSON.stringify(rel.json)).to.equal(200);
    expect((await start(receipt)).json.code).to.equal("ENFORCEMENT.NOT_PLEDGED");
    expect(await invariants()).to.deep.equal(CLEAN);
  });

  it("a borrower that signs with its own key: refused before anything is released; a custodian's receipt is the way", async () => {
    // The borrower takes its ledger key into its own keeping after pledging (DECISIONS 117): the platform can no
    // longer sign the transfer's shipment, so neither a start nor a complete may release anything on the ledger.
    const { id: receipt, parts } = await pledged(2, 2);
    const second = await pledged(1, 1);
    const id = (await start(receipt)).json.id as string;
    expect((await act(id, "confirm")).json.status).to.equal("confirmed");
    await windowPassed(id);
    const key = await db().query<{ k: Uint8Array }>("SELECT key_ciphertext AS k FROM ledger_actors WHERE id = $1", [
      api.ids.dealer,
    ]);
    const ownKey = (k: Uint8Array | null) =>
      db().query("UPDATE ledger_actors SET key_ciphertext = $2 WHERE id = $1", [api.ids.dealer, k]);
    const events = async () =>
      (await db().query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;
    await ownKey(null);
    try {
      const before = await events();
      const refused = await act(id, "complete");
      expect(refused.status, JSON.stringify(refused.json)).to.equal(409);
      expect(refused.json.code).to.equal("ENFORCEMENT.BORROWER_SIGNS");
      expect(refused.json.detail).to.contain("signs its ledger events with its own key").and.contain("custodian");
      expect(await events()).to.equal(before); // no release on the ledger
      expect(await heads(parts)).to.deep.equal(parts.map(() => ({ stage: 2, pledge: 5 })));
      expect((await api.call("GET", `${E}/${id}`, approver1)).json.status).to.equal("confirmed");
      // A start over serials is refused too; a receipt of quantities only (not on the ledger) can still be enforced.
      const again = await start(second.id);
      expect(again.status, JSON.stringify(again.json)).to.equal(409);
      expect(again.json.code).to.equal("ENFORCEMENT.BORROWER_SIGNS");
      // Nor does it pledge serials any more: the custodian's way, or quantities only.
      const parts3 = [{ gtin, serial: serials[next++]! }];
      const issued = await api.call("POST", R, clerk, { locationId: wh, lines: [{ skuId: sku[1], parts: parts3 }] });
      expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
      const p = await api.call("POST", `${R}/${issued.json.id}/pledge`, treasurer, { lenderId: api.ids.lenderA });
      expect(p.status, JSON.stringify(p.json)).to.equal(409);
      expect(p.json.code).to.equal("RECEIPT.HOLDER_SIGNS");
      expect(await events()).to.equal(before);
      expect((await api.call("POST", `${R}/${issued.json.id}/cancel`, clerk)).status).to.equal(200);
      const other = await pledged(1, 0);
      const quantities = await start(other.id); // no serials: nothing to sign on the ledger
      expect(quantities.status, JSON.stringify(quantities.json)).to.equal(201);
      expect((await act(quantities.json.id, "cancel", approver1)).json.status).to.equal("cancelled");
    } finally {
      await ownKey(key.rows[0]!.k);
    }
    // With the key back in the platform's keeping (a custodian's receipt), the same enforcement completes.
    const done = await act(id, "complete");
    expect(done.json.status, JSON.stringify(done.json)).to.equal("completed");
    expect(await heads(parts)).to.deep.equal(parts.map(() => ({ stage: 4, pledge: 0 })));
    expect(await invariants()).to.deep.equal(CLEAN);
  });

  it("a borrower's shipment of a serial while the receipt is enforcing is refused at commit", async () => {
    const { id: receipt, parts } = await pledged(1, 1);
    const id = (await start(receipt)).json.id as string;
    await act(id, "confirm");
    await windowPassed(id);
    // Force the state between the ledger's release and the shipment (a crash there): release by hand, then resume.
    await db().query("UPDATE receipt_enforcements SET status = 'transferring', completed_by = 'x' WHERE id = $1", [id]);
    await db().query("UPDATE warehouse_receipts SET status = 'enforcing' WHERE id = $1", [receipt]);
    const rel = await stack.svc.ledger.append({
      actorId: api.ids.lenderA!,
      step: 6,
      parts,
      place: { regionCode: "330106", locationId: receipt },
    });
    expect(rel.events.length).to.equal(1);
    const rogue = await api.call("POST", "/api/v1/dispatches", api.keys.dealer!, { to: api.ids.shop, parts });
    expect(rogue.status).to.equal(409);
    expect(rogue.json.code).to.equal("RECEIPT.PART_LOCKED");
    // Transferring cannot be undone or confirmed again (a third approver), only completed.
    const third = await api.keyWithRoles("lenderA", ["credit_approver"]);
    expect((await act(id, "cancel", approver1)).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    expect((await act(id, "confirm", third)).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    const done = await act(id, "complete");
    expect(done.status, JSON.stringify(done.json)).to.equal(200);
    expect(done.json.status).to.equal("completed");
    expect(await heads(parts)).to.deep.equal([{ stage: 4, pledge: 0 }]);
    // Completed is final.
    expect((await act(id, "cancel", approver1)).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    expect((await act(id, "confirm", third)).json.code).to.equal("ENFORCEMENT.INVALID_TRANSITION");
    expect(await invariants()).to.deep.equal(CLEAN);
  });

  it("concurrent completes, undos and releases: each receipt's units move once, to one place", async () => {
    const ROUNDS = Number(process.env.ENFORCE_ROUNDS ?? 6);
    for (let round = 0; round < ROUNDS; round++) {
      const { id: receipt, parts } = await pledged(2, 1);
      const id = (await start(receipt)).json.id as string;
      await act(id, "confirm");
      if (round % 2 === 0) await windowPassed(id);
      const tries = await Promise.all([
        ...Array.from({ length: 4 }, () => act(id, "complete")),
        ...Array.from({ length: 3 }, () => act(id, "cancel", approver1)),
        ...Array.from({ length: 3 }, () =>
          api.call("POST", `${R}/${receipt}/release`, approver1, { reference: `R${round}` }),
        ),
      ]);
      expect(
        tries.filter((t) => t.status >= 500),
        JSON.stringify(tries.map((t) => t.json)),
      ).to.deep.equal([]);
      const e = (await api.call("GET", `${E}/${id}`, approver1)).json;
      const r = (await api.call("GET", `${R}/${receipt}`, approver1)).json;
      if (round % 2 === 0) {
        // The window is over: cancel is refused, releases are refused while live; the transfer happens once.
        expect(e.status).to.equal("completed");
        expect(r.status).to.equal("enforced");
        expect(await heads(parts)).to.deep.equal([{ stage: 4, pledge: 0 }]);
      } else {
        // Inside the window: the undo wins, completes wait; a release may follow the undo.
        expect(e.status).to.equal("cancelled");
        expect(["pledged", "released"]).to.include(r.status);
        expect(await heads(parts)).to.deep.equal([{ stage: 2, pledge: r.status === "released" ? 6 : 5 }]);
      }
    }
    expect(await invariants()).to.deep.equal(CLEAN);
  });
});
