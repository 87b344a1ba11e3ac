import { expect } from "chai";
import { keccak256, toUtf8Bytes, type Contract, type JsonRpcProvider, type Wallet } from "ethers";
import { STAGES, Stage, isLegalTransition } from "../../ledger-service/src/lifecycle/transitions.js";
import { deploy, expectRevert, send, wallets } from "../helpers/contracts.js";

const key = (s: string) => keccak256(toUtf8Bytes(s));

describe("PartRegistry", () => {
  let provider: JsonRpcProvider;
  let admin: Wallet, maker: Wallet, dealer: Wallet, shop: Wallet, stranger: Wallet;
  let reg: Contract;
  const role = async (name: string) => reg.getFunction(name)();

  before(async () => {
    const w = wallets();
    provider = w.provider;
    [admin, maker, dealer, shop, stranger] = w.accounts as [Wallet, Wallet, Wallet, Wallet, Wallet];
    reg = await deploy("PartRegistry", admin);
    await send(reg, admin, "grantRole", [await role("MANUFACTURER_ROLE"), maker.address]);
    await send(reg, admin, "grantRole", [await role("DISTRIBUTOR_ROLE"), dealer.address]);
    await send(reg, admin, "grantRole", [await role("INSTALLER_ROLE"), shop.address]);
  });
  after(() => provider.destroy());

  it("declares the same transition table as the ledger, pair by pair", async () => {
    for (const from of STAGES) {
      for (const to of STAGES) {
        expect(await reg.getFunction("isLegalTransition")(from, to), `${Stage[from]} → ${Stage[to]}`).to.equal(
          isLegalTransition(from, to),
        );
      }
    }
  });

  // Who may move a part into each stage: the role table of PartRegistry.mayActFor.
  const ACTORS = {
    maker: [Stage.Commissioned, Stage.Shipped],
    dealer: [Stage.Received, Stage.Shipped],
    shop: [Stage.Received, Stage.Installed, Stage.Shipped],
    stranger: [] as Stage[],
  };

  it("lets each role act only for its stages", async () => {
    const byName = { maker, dealer, shop, stranger };
    for (const [name, allowed] of Object.entries(ACTORS)) {
      for (const to of STAGES) {
        const may = await reg.getFunction("mayActFor")(byName[name as keyof typeof byName].address, to);
        expect(may, `${name} → ${Stage[to]}`).to.equal(allowed.includes(to));
      }
    }
  });

  /** Brings a fresh part to `stage` along the legal path; returns its key. */
  async function partAt(stage: Stage, label: string): Promise<string> {
    const k = key(`/01/06901234567892/21/${label}`);
    const path: Record<Stage, Array<[Wallet, Stage]>> = {
      [Stage.None]: [],
      [Stage.Commissioned]: [[maker, Stage.Commissioned]],
      [Stage.Received]: [
        [maker, Stage.Commissioned],
        [dealer, Stage.Received],
      ],
      [Stage.Installed]: [
        [maker, Stage.Commissioned],
        [dealer, Stage.Received],
        [shop, Stage.Received],
        [shop, Stage.Installed],
      ],
      [Stage.Shipped]: [
        [maker, Stage.Commissioned],
        [dealer, Stage.Received],
        [dealer, Stage.Shipped],
      ],
      // Pledges and audit checkpoints are ledger-only steps: PartRegistry never sees them.
      [Stage.Pledged]: [],
      [Stage.Released]: [],
      [Stage.AuditCheckpoint]: [],
    };
    for (const [who, to] of path[stage]) await send(reg, who, "advance", [[k], to]);
    return k;
  }

  it("walks every from × to pair: legal moves are recorded with an event, illegal ones revert naming the part", async () => {
    // Shipping is the holder's act: the dealer holds a received part, the maker a commissioned one.
    const actorOf = (from: Stage, to: Stage): Wallet =>
      to === Stage.Shipped
        ? from === Stage.Received || from === Stage.Shipped
          ? dealer
          : maker
        : (
            {
              [Stage.None]: maker,
              [Stage.Commissioned]: maker,
              [Stage.Received]: shop,
              [Stage.Installed]: shop,
            } as Record<number, Wallet>
          )[to]!;
    let n = 0;
    for (const from of STAGES) {
      for (const to of STAGES) {
        const k = await partAt(from, `walk-${from}-${to}-${Date.now()}-${n++}`);
        if (from === Stage.Received && to === Stage.Installed) await send(reg, shop, "advance", [[k], Stage.Received]); // only the receiving shop installs
        const actor = actorOf(from, to);
        if (to === Stage.None) {
          await expectRevert(send(reg, actor, "advance", [[k], to]), reg.interface, "PartRegistryUnauthorizedActor", [
            actor.address,
            to,
          ]);
        } else if (isLegalTransition(from, to)) {
          const receipt = await send(reg, actor, "advance", [[k], to]);
          const log = receipt.logs.map((l) => reg.interface.parseLog(l)).find((l) => l?.name === "PartStageChanged");
          expect(log?.args.partKey).to.equal(k);
          expect(Number(log?.args.from)).to.equal(from);
          expect(Number(log?.args.to)).to.equal(to);
          expect(Number(await reg.getFunction("stageOf")(k))).to.equal(to);
          expect((await reg.getFunction("partOf")(k)).holder).to.equal(actor.address);
        } else {
          await expectRevert(send(reg, actor, "advance", [[k], to]), reg.interface, "PartRegistryInvalidTransition", [
            k,
            from,
            to,
          ]);
        }
      }
    }
  });

  it("lets only a part's holder ship it", async () => {
    const k = await partAt(Stage.Received, `ship-${Date.now()}`);
    await expectRevert(send(reg, maker, "advance", [[k], Stage.Shipped]), reg.interface, "PartRegistryNotHolder", [
      k,
      maker.address,
    ]);
    await send(reg, dealer, "advance", [[k], Stage.Shipped]);
    await expectRevert(
      send(reg, shop, "advance", [[k], Stage.Installed]),
      reg.interface,
      "PartRegistryInvalidTransition",
      [k, Stage.Shipped, Stage.Installed],
    );
    await send(reg, shop, "advance", [[k], Stage.Received]);
    expect((await reg.getFunction("partOf")(k)).holder).to.equal(shop.address);
  });

  it("lets a holder receive its own shipment at another of its sites (a transfer), and nothing else twice", async () => {
    const k = await partAt(Stage.Shipped, `move-${Date.now()}`); // the dealer shipped it
    await send(reg, dealer, "advance", [[k], Stage.Received]);
    expect((await reg.getFunction("partOf")(k)).holder).to.equal(dealer.address);
    await expectRevert(send(reg, dealer, "advance", [[k], Stage.Received]), reg.interface, "PartRegistryAlreadyHeld", [
      k,
      dealer.address,
    ]);
  });

  it("lets only the shop that received a part install it", async () => {
    const k = await partAt(Stage.Received, `fit-${Date.now()}`); // the dealer holds it
    await expectRevert(send(reg, shop, "advance", [[k], Stage.Installed]), reg.interface, "PartRegistryNotHolder", [
      k,
      shop.address,
    ]);
    expect(Number(await reg.getFunction("stageOf")(k))).to.equal(Stage.Received);
    await send(reg, shop, "advance", [[k], Stage.Received]);
    await send(reg, shop, "advance", [[k], Stage.Installed]);
    expect(Number(await reg.getFunction("stageOf")(k))).to.equal(Stage.Installed);
  });

  it("refuses a second receipt by the holder itself, and a second install", async () => {
    const k = await partAt(Stage.Received, `held-${Date.now()}`);
    await expectRevert(send(reg, dealer, "advance", [[k], Stage.Received]), reg.interface, "PartRegistryAlreadyHeld", [
      k,
      dealer.address,
    ]);
    await send(reg, shop, "advance", [[k], Stage.Received]); // the next level takes custody
    await send(reg, shop, "advance", [[k], Stage.Installed]);
    await expectRevert(
      send(reg, shop, "advance", [[k], Stage.Installed]),
      reg.interface,
      "PartRegistryInvalidTransition",
      [k, Stage.Installed, Stage.Installed],
    );
  });

  it("refuses every stage to an account without a role", async () => {
    for (const to of [Stage.Commissioned, Stage.Received, Stage.Installed]) {
      await expectRevert(
        send(reg, stranger, "advance", [[key(`stranger-${to}`)], to]),
        reg.interface,
        "PartRegistryUnauthorizedActor",
        [stranger.address, to],
      );
    }
  });

  it("records a whole carton in one transaction, or nothing when one part cannot move", async () => {
    const keys = Array.from({ length: 50 }, (_, i) => key(`carton-${Date.now()}-${i}`));
    const receipt = await send(reg, maker, "advance", [keys, Stage.Commissioned]);
    expect(receipt.logs.length).to.equal(50);
    const fresh = key(`carton-late-${Date.now()}`);
    await expectRevert(
      send(reg, dealer, "advance", [[...keys.slice(0, 3), fresh], Stage.Received]),
      reg.interface,
      "PartRegistryInvalidTransition",
      [fresh, Stage.None, Stage.Received],
    );
    expect(Number(await reg.getFunction("stageOf")(keys[0]))).to.equal(Stage.Commissioned);
    const stages = await reg.getFunction("stagesOf")([keys[0], fresh, keys[49]]);
    expect(stages.map(Number)).to.deep.equal([Stage.Commissioned, Stage.None, Stage.Commissioned]);
    await expectRevert(send(reg, maker, "advance", [[], Stage.Commissioned]), reg.interface, "PartRegistryEmptyBatch");
  });

  it("only the admin grants roles", async () => {
    await expectRevert(
      send(reg, stranger, "grantRole", [await role("MANUFACTURER_ROLE"), stranger.address]),
      reg.interface,
      "AccessControlUnauthorizedAccount",
      [stranger.address, await role("DEFAULT_ADMIN_ROLE")],
    );
  });
});
