import { expect } from "chai";
import { Stage, makeProvider, verifyBundle } from "../../ledger-service/src/index.js";
import { shared } from "../helpers/shared.js";
import { openStack, walkParts, type TestStack } from "../helpers/stack.js";

describe("the whole provenance story @smoke", () => {
  let stack: TestStack;
  before(async () => {
    stack = await openStack();
  });
  after(async () => stack.close());

  it("commissions parts, ships them to a dealer and then a shop, which receive them, the shop installs them, anchors them, and a bundle verifies against the chain alone", async () => {
    const parts = await walkParts(stack, 50, 2);
    await stack.svc.worker.runUntilFinal();
    const bundle = await stack.svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial);
    expect(bundle.events.map((e) => e.event.bizStep)).to.deep.equal([
      "commissioning",
      "shipping",
      "receiving",
      "shipping",
      "receiving",
      "installing",
    ]);
    expect(bundle.events.every((e) => e.batchId !== null)).to.equal(true);
    const provider = makeProvider(shared.chainUrl);
    const report = await verifyBundle(bundle, provider, await stack.svc.trustAnchor());
    provider.destroy();
    expect(report.failure).to.equal(null);
    expect(report.ok).to.equal(true);
    expect(report.eventsChecked).to.equal(6);
    // The VIN appears nowhere in the bundle: only its salted hash.
    expect(JSON.stringify(bundle)).not.to.contain("LSVAU2180");
    const head = (
      await stack.svc.db.sql.query<{ stage: number }>("SELECT stage FROM ledger_parts WHERE serial = $1", [
        parts[0]!.serial,
      ])
    ).rows[0];
    expect(head?.stage).to.equal(Stage.Installed);
  });
});
