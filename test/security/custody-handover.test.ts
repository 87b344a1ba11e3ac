import { expect } from "chai";
import { makeProvider, shipToHashOf, verifyBundle, type Bundle } from "../../ledger-service/src/index.js";
import { startApi } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

/**
 * Issue 19, item 5: serials are public, so a receipt alone must not move custody. A change of custody between
 * companies needs a shipment naming the receiver — an order, a transfer or a dispatch.
 */
describe("custody changes hands only through a shipment to the receiver", function () {
  this.timeout(180_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });
  const events = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;
  const mint = async (count: number) => {
    const r = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-H",
      productionDate: "2026-11-21",
      count,
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return (r.json.serials as string[]).map((serial) => ({ gtin: GTIN, serial }));
  };

  it("refuses a receipt of a part another company holds and never shipped to the receiver (409), and writes nothing", async () => {
    const parts = await mint(2);
    const before = await events();
    for (const who of ["dealer", "shop"]) {
      const r = await api.call("POST", "/api/v1/receipts", api.keys[who]!, { parts });
      expect([r.status, r.json.code], who).to.deep.equal([409, "LEDGER.NO_SHIPMENT"]);
      expect(r.json.detail).to.contain("only through a shipment to the receiver");
    }
    // The thief cannot install what it could not receive either.
    const install = await api.call("POST", "/api/v1/installations", api.keys.shop!, { ...parts[0], vin: VIN });
    expect([install.status, install.json.code]).to.deep.equal([409, "LEDGER.STAGE_OUT_OF_ORDER"]);
    expect(await events()).to.equal(before);
  });

  it("a manufacturer dispatches to a distributor; only that distributor receives; onward to a shop; the bundle verifies", async () => {
    const parts = await mint(3);
    const sent = await api.call("POST", "/api/v1/dispatches", api.keys.maker!, {
      to: api.ids.dealer,
      parts,
      locationId: "SZ-PLANT",
    });
    expect(sent.status, JSON.stringify(sent.json)).to.equal(201);
    expect(sent.json).to.deep.include({ dispatched: 3, to: { id: api.ids.dealer, name: "杭州汽配城经销商有限公司" } });
    // The shipping event signs its destination.
    const { rows } = await stack.svc.db.sql.query<{ ph: string }>(
      "SELECT fields->>'privateHash' AS ph FROM ledger_events WHERE seq = $1",
      [sent.json.firstSeq],
    );
    const dealerAddress = (await stack.svc.actors.get(api.ids.dealer!)).address;
    expect(rows[0]!.ph).to.equal(shipToHashOf(dealerAddress));

    // In transit to the dealer: another company's receipt is refused, the dealer's accepted.
    const stolen = await api.call("POST", "/api/v1/receipts", api.keys.farShop!, { parts });
    expect([stolen.status, stolen.json.code]).to.deep.equal([409, "LEDGER.NOT_CONSIGNEE"]);
    const received = await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts, locationId: "HZ-WH-3" });
    expect([received.status, received.json.received]).to.deep.equal([201, 3]);

    // The dealer's stock: the shop cannot take it, the dealer dispatches one part to it.
    expect(
      (await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts: parts.slice(0, 1) })).json.code,
    ).to.equal("LEDGER.NO_SHIPMENT");
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.dealer!, { to: api.ids.shop, parts: parts.slice(0, 1) }))
        .status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts: parts.slice(0, 1) })).status).to.equal(
      201,
    );
    expect(
      (await api.call("POST", "/api/v1/installations", api.keys.shop!, { ...parts[0], vin: VIN })).status,
    ).to.equal(201);

    await stack.svc.worker.runUntilFinal();
    const bundle = (await (
      await fetch(`${api.origin}/api/v1/parts/${GTIN}/${parts[0]!.serial}/bundle`)
    ).json()) as Bundle;
    expect(bundle.events.map((e) => e.event.bizStep)).to.deep.equal([
      "commissioning",
      "shipping",
      "receiving",
      "shipping",
      "receiving",
      "installing",
    ]);
    const provider = makeProvider(shared.chainUrl);
    try {
      expect((await verifyBundle(bundle, provider, await stack.svc.trustAnchor())).failure).to.equal(null);
    } finally {
      provider.destroy();
    }
  });

  it("dispatch is for the holder, to another company that can receive; shops do not dispatch", async () => {
    const parts = await mint(1);
    const cases: Array<[string, unknown, number, string]> = [
      ["dealer", { to: api.ids.shop, parts }, 409, "LEDGER.NOT_HOLDER"], // the maker holds it
      ["maker", { to: api.ids.maker, parts }, 409, "DISPATCH.TO_SELF"],
      ["maker", { to: "c_0123456789abcdef", parts }, 404, "DISPATCH.UNKNOWN_COMPANY"],
      ["shop", { to: api.ids.dealer, parts }, 403, "AUTH.FORBIDDEN"],
      ["maker", { to: api.ids.dealer, parts, price: 1 }, 400, "REQUEST.UNKNOWN_FIELD"],
    ];
    for (const [who, body, status, code] of cases) {
      const r = await api.call("POST", "/api/v1/dispatches", api.keys[who]!, body);
      expect([r.status, r.json.code], `${who} ${JSON.stringify(body)}`).to.deep.equal([status, code]);
    }
    // Handed to the dealer, the dealer cannot send it back up to a manufacturer (it cannot receive).
    await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts });
    await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts });
    const up = await api.call("POST", "/api/v1/dispatches", api.keys.dealer!, { to: api.ids.maker, parts });
    expect([up.status, up.json.code]).to.deep.equal([409, "LEDGER.INVALID_DESTINATION"]);
  });
});
