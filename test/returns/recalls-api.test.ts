import { expect } from "chai";
import { gtin14, vinWithCheck } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/**
 * Recalls (issue 16): a lot, a serial range or a whole GTIN traced forward to every current holder and installation
 * (checked against the ledger), holders and the installing shop notified without the VIN, recalled stock refused by
 * orders, and progress recorded.
 */
describe("recalls: traced to every holder and installed vehicle, blocked from orders @smoke", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const gtin = gtin14("0690123456771");
  const vin = vinWithCheck("LSVAU2180N2183294");
  let lot1: string[] = [];
  let lot2: string[] = [];
  let skuId = 0;
  let loc = "";
  const maker = () => api.keys.maker!;
  const dealer = () => api.keys.dealer!;
  const shop = () => api.keys.shop!;
  const part = (serial: string) => ({ gtin, serial });
  const mint = async (lot: string, count: number) => {
    const r = await api.call("POST", "/api/v1/mint", maker(), {
      gtin,
      lot,
      productionDate: "2026-11-20",
      count,
      product: { brand: "NGK", name: "火花塞", skuId },
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json.serials as string[];
  };
  /** An order by the shop shipped by the dealer with `serials`; answers the error of the shipping, or delivers. */
  const sellToShop = async (serials: string[]) => {
    const placed = await api.call("POST", "/api/v1/orders", shop(), { lines: [{ skuId, quantity: serials.length }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const status = (token: string, body: unknown) =>
      api.call("POST", `/api/v1/orders/${placed.json.id}/status`, token, body);
    await status(dealer(), { to: "picking" });
    const shipped = await status(dealer(), {
      to: "shipped",
      carrier: "顺丰",
      trackingNo: `SF${placed.json.id.slice(4, 14)}`,
      parts: serials.map(part),
    });
    if (shipped.status !== 200) return shipped.json;
    expect((await status(shop(), { to: "delivered" })).status).to.equal(200);
    return null;
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { webhooks: { intervalMs: 0, allowCidrs: ["127.0.0.0/8"] } });
    [skuId] = (await importSkus(api, ["ngk,93175,火花塞,spark_plug,aftermarket,"])) as [number];
    loc = await sharedWarehouse(api, dealer(), {
      code: "WH-RC",
      name: "召回测试仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, dealer(), { locationId: loc, skuId, quantity: 20, price: 30 });
    lot1 = await mint("L-RC1", 8);
    lot2 = (await mint("L-RC2", 4)).sort();
    const carton = [...lot1.slice(0, 7), ...lot2].map(part); // lot1[7] stays at the factory
    expect(
      (await api.call("POST", "/api/v1/dispatches", maker(), { to: api.ids.dealer, parts: carton })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", dealer(), { parts: carton })).status).to.equal(201);
    expect(await sellToShop(lot1.slice(0, 3))).to.equal(null); // the shop holds lot1[0..2]
    const installed = await api.call("POST", "/api/v1/installations", shop(), { gtin, serial: lot1[0], vin });
    expect(installed.status, JSON.stringify(installed.json)).to.equal(201);
    // The shop listens for recalls.
    const sub = await api.call("POST", "/api/v1/webhooks", shop(), {
      url: "http://127.0.0.1:9/hooks",
      events: ["recall.*"],
    });
    expect(sub.status, JSON.stringify(sub.json)).to.equal(201);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("traces a lot to every holder and installation, as the ledger records them, and notifies the installing shop without the VIN", async () => {
    expect((await api.call("POST", "/api/v1/recalls", shop(), { gtin, lot: "L-RC1", reason: "x" })).status).to.equal(
      403,
    );
    const r = await api.call("POST", "/api/v1/recalls", maker(), {
      gtin,
      lot: "L-RC1",
      reason: "绝缘体裂纹，可能失火",
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    expect(r.json).to.deep.include({
      status: "open",
      units: 8,
      holders: 3,
      installed: 1,
      installers: 1,
      progress: { located: 8, returned: 0, replaced: 0, unreachable: 0 },
    });
    expect(r.json.stages).to.deep.equal({ commissioned: 1, received: 6, installed: 1 });
    // Every unit's holder is the ledger's.
    const units = (await api.call("GET", `/api/v1/recalls/${r.json.id}/units`, maker())).json.units as Array<{
      serial: string;
      holderId: string;
      installationId: string | null;
      installerId: string | null;
    }>;
    const ledger = await stack.svc.db.sql.query<{ serial: string; holder: string }>(
      "SELECT p.serial, a.id AS holder FROM ledger_parts p JOIN ledger_actors a ON a.address = p.holder WHERE p.gtin = $1 AND p.lot = 'L-RC1' ORDER BY p.serial",
      [gtin],
    );
    expect(units.map((u) => [u.serial, u.holderId])).to.deep.equal(ledger.rows.map((x) => [x.serial, x.holder]));
    const installedUnit = units.find((u) => u.serial === lot1[0])!;
    expect(installedUnit.installerId).to.equal(api.ids.shop);
    expect(installedUnit.installationId).to.match(/^in_/);
    expect(JSON.stringify(units)).to.not.contain(vin);
    // The shop: notified of its installation (the event carries no VIN), and sees its own units only.
    const events = await stack.svc.db.sql.query<{ type: string; payload: { installations?: string[] } }>(
      "SELECT type, payload FROM webhook_events WHERE company_id = $1 AND type LIKE 'recall.%' ORDER BY type",
      [api.ids.shop],
    );
    expect(events.rows.map((e) => e.type)).to.deep.equal(["recall.installed", "recall.opened"]);
    expect(events.rows[0]!.payload.installations).to.deep.equal([installedUnit.installationId]);
    expect(JSON.stringify(events.rows)).to.not.contain(vin);
    const mine = (await api.call("GET", `/api/v1/recalls/${r.json.id}/units`, shop())).json.units;
    expect(mine.map((u: { serial: string }) => u.serial).sort()).to.deep.equal(lot1.slice(0, 3).sort());
    expect((await api.call("GET", "/api/v1/recalls/affecting-me", shop())).json.recalls[0]).to.include({
      id: r.json.id,
      mine: 3,
    });
    expect((await api.call("GET", `/api/v1/recalls/${r.json.id}`, dealer())).status).to.equal(404);
    expect((await api.call("GET", `/api/v1/recalls/${r.json.id}`, OPERATOR)).status).to.equal(200);
  });

  it("refuses recalled units in orders until the recall closes; records progress; a serial range and a whole GTIN", async () => {
    const recall = (await api.call("GET", "/api/v1/recalls", maker())).json.recalls[0];
    const refused = await sellToShop([lot1[4]!]);
    expect(refused).to.include({ code: "ORDER.PART_RECALLED" });
    expect(await sellToShop([lot2[0]!])).to.equal(null); // another lot sells
    const prog = await api.call("POST", `/api/v1/recalls/${recall.id}/progress`, maker(), {
      progress: "returned",
      parts: [part(lot1[3]!), part(lot1[4]!)],
    });
    expect(prog.json.progress).to.deep.equal({ located: 6, returned: 2, replaced: 0, unreachable: 0 });
    const unknown = await api.call("POST", `/api/v1/recalls/${recall.id}/progress`, maker(), {
      progress: "unreachable",
      parts: [part(lot2[1]!)],
    });
    expect(unknown.json.code).to.equal("RECALL.UNIT_NOT_RECALLED");
    expect((await api.call("POST", `/api/v1/recalls/${recall.id}/close`, maker(), {})).json.status).to.equal("closed");
    // A range from lot2's second serial to its third (sorted).
    const range = await api.call("POST", "/api/v1/recalls", maker(), {
      gtin,
      serials: { from: lot2[1], to: lot2[2] },
      reason: "批次抽检不合格",
    });
    // A range covers every serial of the GTIN between its ends (compared as text), whatever its lot.
    const inRange = [...lot1, ...lot2].filter((x) => x >= lot2[1]! && x <= lot2[2]!);
    expect(range.json).to.include({ units: inRange.length });
    const rangeUnits = (await api.call("GET", `/api/v1/recalls/${range.json.id}/units`, maker())).json.units;
    expect(rangeUnits.map((u: { serial: string }) => u.serial)).to.deep.equal(inRange.sort());
    expect(await sellToShop([lot2[3]!])).to.equal(null); // outside the range
    // The whole GTIN: its SKU cannot be ordered.
    const all = await api.call("POST", "/api/v1/recalls", maker(), { gtin, reason: "全部召回" });
    expect(all.json).to.include({ units: 12, skuId });
    const blocked = await api.call("POST", "/api/v1/orders", shop(), { lines: [{ skuId, quantity: 1 }] });
    expect([blocked.status, blocked.json.code]).to.deep.equal([409, "ORDER.SKU_RECALLED"]);
    await api.call("POST", `/api/v1/recalls/${all.json.id}/close`, maker(), {});
    expect((await api.call("POST", "/api/v1/orders", shop(), { lines: [{ skuId, quantity: 1 }] })).status).to.equal(
      201,
    );
  });
});
