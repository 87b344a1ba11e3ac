import { expect } from "chai";
import { Wallet } from "ethers";
import { LOCAL_ADMIN_KEY, Stage, auditTrail, makeProvider } from "../../ledger-service/src/index.js";
import { deployContracts } from "../../ledger-service/src/chain/deployment.js";
import { GasFunder } from "../../ledger-service/src/chain/gas-funder.js";
import { partKeyOf } from "../../ledger-service/src/events/canonical.js";
import { startAnvil } from "../helpers/anvil-chain.js";
import { newParts, openStack, PLACE, VIN, type TestStack } from "../helpers/stack.js";

/** Commission and ship three parts (maker), receive them and ship two (dealer), receive and install one (shop). */
async function walk(stack: TestStack) {
  const [a, b, c] = newParts(3);
  const ref = (p: typeof a) => ({ gtin: p!.gtin, serial: p!.serial });
  await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: [a!, b!, c!], place: PLACE });
  await stack.svc.ledger.append({
    actorId: "maker",
    step: Stage.Shipped,
    parts: [ref(a), ref(b), ref(c)],
    place: PLACE,
    shipTo: "dealer",
  });
  await stack.svc.ledger.append({
    actorId: "dealer",
    step: Stage.Received,
    parts: [ref(a), ref(b), ref(c)],
    place: PLACE,
  });
  await stack.svc.ledger.append({
    actorId: "dealer",
    step: Stage.Shipped,
    parts: [ref(a), ref(b)],
    place: PLACE,
    shipTo: "shop",
  });
  await stack.svc.ledger.append({ actorId: "shop", step: Stage.Received, parts: [ref(a)], place: PLACE });
  await stack.svc.ledger.append({ actorId: "shop", step: Stage.Installed, parts: [ref(a)], place: PLACE, vin: VIN });
  await stack.svc.worker.runUntilFinal(90_000);
  const chain = await stack.svc.chain.get();
  const onChain = async (p: typeof a) => {
    const r = await chain.partRegistry.getFunction("partOf")(partKeyOf(p!.gtin, p!.serial));
    return [Stage[Number(r.stage)], r.holder as string];
  };
  expect(await onChain(a)).to.deep.equal(["Installed", stack.shop.address]);
  expect(await onChain(b)).to.deep.equal(["Shipped", stack.dealer.address]);
  expect(await onChain(c)).to.deep.equal(["Received", stack.dealer.address]);
  const writes = await stack.svc.db.sql.query<{ status: string }>(
    "SELECT status FROM ledger_chain_writes ORDER BY submission_id",
  );
  expect(writes.rows.map((r) => r.status)).to.deep.equal(["final", "final", "final", "final", "final", "final"]);
}

const topups = async (stack: TestStack) =>
  (
    await stack.svc.db.sql.query<{ actor_id: string; status: string; tx_hash: string }>(
      "SELECT actor_id, status, tx_hash FROM ledger_gas_topups ORDER BY id",
    )
  ).rows;

/**
 * Issue 18 item 7: only the manufacturer is in on-chain mode; the distributor and the shop act on its parts with keys
 * nobody funded by hand. Their PartRegistry writes must still land: the platform tops their keys up.
 */
describe("on-chain lifecycle: companies' keys are funded by the platform", function () {
  this.timeout(180_000);

  it("receiving, shipping and installing by never-funded companies reach PartRegistry, and each top-up is audited", async () => {
    const stack = await openStack({ makerMode: "onchain", othersMode: "anchored" });
    try {
      const chain = await stack.svc.chain.get();
      expect(await chain.provider.getBalance(stack.dealer.address)).to.equal(0n);
      expect(await chain.provider.getBalance(stack.shop.address)).to.equal(0n);
      await walk(stack);
      // Funded by the platform signer, once per company here, each top-up stored and audited.
      const sent = await topups(stack);
      expect(sent.map((r) => [r.actor_id, r.status])).to.deep.equal([
        ["maker", "final"],
        ["dealer", "final"],
        ["shop", "final"],
      ]);
      for (const t of sent) {
        const tx = await chain.provider.getTransaction(t.tx_hash);
        expect(tx!.from).to.equal(chain.admin.address);
      }
      const audited = await auditTrail.query(stack.svc.db.sql, { action: "chain.gas_topup", limit: 10 });
      expect(audited.map((e) => [e.resourceId, e.actorType])).to.deep.equal([
        ["maker", "system"],
        ["dealer", "system"],
        ["shop", "system"],
      ]);
      expect(audited[1]!.changes!.txHash!.after).to.equal(sent[1]!.tx_hash);
      expect((await chain.provider.getBalance(stack.dealer.address)) > 0n).to.equal(true);
    } finally {
      await stack.close();
    }
  });

  // A chain we are given (configured addresses, never redeployed): anvil, with and without a price for gas.
  for (const { name, args, funded } of [
    { name: "pays for gas: keys are topped up there too", args: [], funded: true },
    {
      name: "has free gas (a consortium chain): nothing is ever sent",
      args: ["--base-fee", "0", "--gas-price", "0", "--no-priority-fee"],
      funded: false,
    },
  ]) {
    it(`on a chain we are given that ${name}`, async () => {
      const anvil = await startAnvil(args);
      const provider = makeProvider(anvil.url);
      let stack: TestStack | undefined;
      try {
        const addresses = await deployContracts(new Wallet(LOCAL_ADMIN_KEY, provider));
        stack = await openStack({
          chainUrl: anvil.url,
          makerMode: "onchain",
          othersMode: "anchored",
          env: { ANCHOR_REGISTRY_ADDRESS: addresses.anchorRegistry, PART_REGISTRY_ADDRESS: addresses.partRegistry },
        });
        await walk(stack);
        const sent = await topups(stack);
        expect(sent.map((r) => r.actor_id)).to.deep.equal(funded ? ["maker", "dealer", "shop"] : []);
        expect((await provider.getBalance(stack.shop.address)) > 0n).to.equal(funded);
      } finally {
        await stack?.close();
        provider.destroy();
        await anvil.stop();
      }
    });
  }

  it("a crash between storing a top-up and sending it sends the same bytes later: one top-up, never two", async () => {
    const stack = await openStack({ makerMode: "onchain" });
    try {
      const chain = await stack.svc.chain.get();
      const need = 10n ** 15n;
      const crashing = new GasFunder({
        db: stack.svc.db.sql,
        topUpWrites: 3,
        fault: () => {
          throw new Error("killed");
        },
      });
      let died = "";
      await crashing.ensure(chain, stack.dealer, need).catch((e: Error) => (died = e.message));
      expect(died).to.equal("killed");
      expect(await crashing.inFlight()).to.equal(true); // stored, never broadcast: the signer's nonce stays reserved
      expect(await chain.provider.getBalance(stack.dealer.address)).to.equal(0n);
      const funder = new GasFunder({ db: stack.svc.db.sql, topUpWrites: 3 });
      const deadline = Date.now() + 30_000;
      while (!(await funder.ensure(chain, stack.dealer, need))) {
        expect(Date.now()).to.be.below(deadline);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await chain.provider.getBalance(stack.dealer.address)).to.equal(3n * need);
      const sent = await topups(stack);
      expect(sent.map((r) => [r.actor_id, r.status])).to.deep.equal([["dealer", "final"]]);
      expect((await auditTrail.query(stack.svc.db.sql, { action: "chain.gas_topup", limit: 10 })).length).to.equal(1);
    } finally {
      await stack.close();
    }
  });
});
