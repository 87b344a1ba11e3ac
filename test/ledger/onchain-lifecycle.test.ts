import { expect } from "chai";
import { Stage, makeProvider, verifyBundle } from "../../ledger-service/src/index.js";
import { shared } from "../helpers/shared.js";
import { handOver, newParts, openStack, PLACE, VIN } from "../helpers/stack.js";

describe("on-chain lifecycle mode", () => {
  it("writes every stage to PartRegistry from the acting company's own address, and the auditor checks it", async () => {
    const stack = await openStack({ makerMode: "onchain" });
    try {
      const parts = newParts(12);
      await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      await handOver(stack, "maker", "dealer", parts);
      await handOver(stack, "dealer", "shop", [parts[0]!]);
      await stack.svc.ledger.append({
        actorId: "shop",
        step: Stage.Installed,
        parts: [parts[0]!],
        place: PLACE,
        vin: VIN,
      });
      await stack.svc.worker.runUntilFinal(60_000);
      const chain = await stack.svc.chain.get();
      const { partKeyOf } = await import("../../ledger-service/src/events/canonical.js");
      const installed = await chain.partRegistry.getFunction("partOf")(partKeyOf(parts[0]!.gtin, parts[0]!.serial));
      expect(Number(installed.stage)).to.equal(Stage.Installed);
      expect(installed.holder).to.equal(stack.shop.address);
      const received = await chain.partRegistry.getFunction("partOf")(partKeyOf(parts[1]!.gtin, parts[1]!.serial));
      expect(Number(received.stage)).to.equal(Stage.Received);
      expect(received.holder).to.equal(stack.dealer.address);
      const { rows } = await stack.svc.db.sql.query<{ status: string }>(
        "SELECT status FROM ledger_chain_writes ORDER BY submission_id",
      );
      expect(rows.map((r) => r.status)).to.deep.equal(Array(6).fill("final"));

      const provider = makeProvider(shared.chainUrl);
      const bundle = await stack.svc.bundleForPart(parts[1]!.gtin, parts[1]!.serial);
      expect((await verifyBundle(bundle, provider, await stack.svc.trustAnchor())).failure).to.equal(null);
      // A bundle cut short is caught: the chain says the part has moved on.
      const full = await stack.svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial);
      full.events.pop();
      const r = await verifyBundle(full, provider, await stack.svc.trustAnchor());
      expect(r.ok).to.equal(false);
      expect(r.failure!.reason).to.contain("PartRegistry says Installed");
      provider.destroy();
    } finally {
      await stack.close();
    }
  });
});
