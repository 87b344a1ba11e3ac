import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import {
  Stage,
  currencyVerdict,
  makeProvider,
  shipToHashOf,
  unitVerdict,
  verifyReceiptBundle,
  type Bundle,
  type ReceiptBundle,
  type TrustAnchor,
} from "../../ledger-service/src/index.js";
import { Sealer } from "../../ledger-service/src/batching/sealer.js";
import { partKeyOf } from "../../ledger-service/src/events/canonical.js";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared, registerLenders } from "../helpers/fixtures.js";
import { shared } from "../helpers/shared.js";
import { openStack, type TestStack } from "../helpers/stack.js";

const run = promisify(execFile);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return "accepted";
};

/**
 * A lender's independent check of a warehouse-receipt pledge (issue 15, DECISIONS 107–108): the receipt bundle from
 * the API, the pinned trust anchor, and `npm run audit -- --receipt` — nothing else.
 */
describe("finance: a lender proves a receipt's pledge from the chain (npm run audit -- --receipt)", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let serials: string[];
  let trustFile: string;
  let trust: TrustAnchor;
  let dir: string;
  let treasurer: string;
  let clerk: string;
  const gtin = gtin14("0690123456793");
  const receipts = "/api/v1/finance/warehouse-receipts";
  const address: Record<string, `0x${string}`> = {};

  const audit = async (receiptId: string, rb: unknown, lender?: string) => {
    const file = join(dir, `${receiptId}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(rb));
    const args = ["--import", "tsx", "scripts/audit.ts", "--receipt", receiptId, "--bundle", file];
    args.push("--trust", trustFile, "--rpc", shared.chainUrl, ...(lender ? ["--lender", lender] : []));
    try {
      const r = await run(process.execPath, args);
      return { code: 0, out: r.stdout };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, out: x.stdout + x.stderr };
    }
  };
  const bundleOf = async (id: string, token: string) => {
    await stack.svc.worker.runUntilFinal();
    const r = await api.call("GET", `${receipts}/${id}/bundle`, token);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    return r.json as ReceiptBundle;
  };
  const issue = async (wh: string, skuId: number, list: string[]) => {
    const r = await api.call("POST", receipts, clerk, {
      locationId: wh,
      lines: [{ skuId, parts: list.map((serial) => ({ gtin, serial })) }],
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json.id as string;
  };
  const pledge = async (id: string, lender: string) => {
    const r = await api.call("POST", `${receipts}/${id}/pledge`, treasurer, { lenderId: api.ids[lender] });
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
  };

  let sku: number;
  let wh: string;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    [sku] = (await importSkus(api, ["bosch,0 986 479 100,前刹车盘,brake_disc,aftermarket,前"])) as [number];
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-RA",
      productionDate: "2026-11-20",
      count: 4,
      product: { brand: "BOSCH 博世", name: "前刹车盘", skuId: sku },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const parts = serials.map((serial) => ({ gtin, serial }));
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts })).status).to.equal(201);
    await registerLenders(api, [
      ["lenderA", "杭州联合农村商业银行股份有限公司", "91330100MA2B00021"],
      ["lenderB", "浙江商业保理有限公司", "91330100MA2B00022"],
    ]);
    for (const a of await stack.svc.actors.list()) address[a.id] = a.address;
    clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    treasurer = await api.keyWithRoles("dealer", ["finance"]);
    const site = { code: "RA-1", name: "仓库RA-1", regionCode: "330106", location: { lng: 120.14, lat: 30.265 } };
    wh = await sharedWarehouse(api, api.keys.dealer!, site);
    await stockShared(api, api.keys.dealer!, {
      locationId: wh,
      skuId: sku,
      quantity: 4,
      price: 100,
      reason: "receipt",
    });
    trust = await stack.svc.trustAnchor();
    dir = mkdtempSync(join(tmpdir(), "partledger-receipt-"));
    trustFile = join(dir, "partledger-trust.json");
    writeFileSync(trustFile, JSON.stringify(trust));
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  let r1: string;
  let good: ReceiptBundle;
  it("a pledged receipt verifies: each unit's pledge is signed by its holder, in an anchored batch, and live", async () => {
    r1 = await issue(wh, sku, [serials[0]!, serials[1]!]);
    await pledge(r1, "lenderA");
    const officer = await api.keyWithRoles("lenderA", ["credit_officer"]);
    good = await bundleOf(r1, officer);
    expect(good.receipt).to.deep.include({ id: r1, status: "pledged" });
    expect(good.receipt.lender!.address).to.equal(address[api.ids.lenderA!]);
    expect(good.parts.map((b) => b.events.at(-1)!.event.bizStep)).to.deep.equal([
      "urn:partledger:bizstep:pledging",
      "urn:partledger:bizstep:pledging",
    ]);
    // Another lender, and a company that is neither party, see no bundle.
    expect((await api.call("GET", `${receipts}/${r1}/bundle`, api.keys.lenderB!)).status).to.equal(404);
    expect((await api.call("GET", `${receipts}/${r1}/bundle`, api.keys.shop!)).status).to.equal(403); // no receipts

    const ok = await audit(r1, good);
    expect(ok.code, ok.out).to.equal(0);
    expect(ok.out).to.contain(`OK: receipt ${r1} — 2 units pledged to ${address[api.ids.lenderA!]} and to no one else`);
    // Checked against the lender the auditor names, not the one the bundle names.
    const other = await audit(r1, good, address[api.ids.lenderB!]);
    expect(other.code, other.out).to.equal(1);
    expect(other.out).to.contain("names another lender than");
    // Another receipt id, or a bad one, is refused.
    expect((await audit("wr_0000000000000000", good)).out).to.contain("not a receipt bundle of wr_0000000000000000");
    expect((await audit("WR-1", good)).code).to.equal(2);

    // The ledger itself refuses a second pledge and any move of a pledged unit, whatever the database says.
    const again = stack.svc.ledger.append({
      actorId: api.ids.dealer!,
      step: Stage.Pledged,
      parts: [{ gtin, serial: serials[0]! }],
      place: { regionCode: "330106", locationId: "wr_ffffffffffffffff" },
      pledgee: api.ids.lenderB!,
    });
    expect(await refusal(again)).to.match(/LEDGER.ALREADY_PLEDGED: .*pledged on the ledger/);
    const moved = stack.svc.ledger.append({
      actorId: api.ids.dealer!,
      step: Stage.Shipped,
      parts: [{ gtin, serial: serials[0]! }],
      place: { regionCode: "330106", locationId: "WAREHOUSE" },
      shipTo: api.ids.shop!,
    });
    expect(await refusal(moved)).to.match(/LEDGER.PLEDGED: .*cannot move until its lender releases it/);
  });

  it("a tampered bundle fails: a pledge moved to another receipt or lender, a spliced second pledge, a unit dropped", async () => {
    const pledgeOf = (b: ReceiptBundle, i: number) => b.parts[i]!.events.at(-1)!;

    const otherReceipt = clone(good);
    const f = pledgeOf(otherReceipt, 0).event["partledger:ledger"];
    f.place = f.place.replace(r1, "wr_ffffffffffffffff");
    pledgeOf(otherReceipt, 0).event.readPoint.id = `urn:partledger:place:${f.place}`;
    const a = await audit(r1, otherReceipt);
    expect(a.code, a.out).to.equal(1);
    expect(a.out).to.match(/FAILED: the part bundle of .* does not verify/);

    const otherLender = clone(good);
    pledgeOf(otherLender, 1).event["partledger:ledger"].privateHash = shipToHashOf(address[api.ids.lenderB!]!);
    expect((await audit(r1, otherLender, address[api.ids.lenderB!])).code).to.equal(1);

    // A second pledge spliced into a unit's history (a copy of its pledge, renumbered) does not verify.
    const spliced = clone(good);
    const events = spliced.parts[0]!.events;
    const copy = clone(events.at(-1)!);
    copy.seq += 1000;
    events.push(copy);
    const s = await audit(r1, spliced);
    expect(s.code, s.out).to.equal(1);
    expect(s.out).to.contain("FAILED");

    // The receipt claims a unit whose part bundle is missing.
    const dropped = clone(good);
    dropped.parts.pop();
    const d = await audit(r1, dropped);
    expect(d.code, d.out).to.equal(1);
    expect(d.out).to.contain("no events of this unit in the bundle");
  });

  it("a second pledge in a unit's history is a double pledge, whatever else the history says", () => {
    const b = good.parts[0]!;
    const lender = address[api.ids.lenderA!]!;
    const first = b.events.at(-1)!;
    const second = { ...clone(first), seq: first.seq + 1 };
    const verdict = unitVerdict(b.scope as { gtin: string; serial: string }, [...b.events, second], r1, lender);
    expect(verdict).to.deep.include({ status: "double_pledge", seq: first.seq + 1 });
    const released = clone(first);
    released.seq = first.seq + 1;
    released.event["partledger:ledger"].step = Stage.Released;
    const third = { ...clone(first), seq: first.seq + 2 };
    const ok = unitVerdict(b.scope as { gtin: string; serial: string }, [...b.events, released, third], r1, lender);
    expect(ok.status).to.equal("pledged");
    expect(unitVerdict({ gtin, serial: "X" }, [], r1, lender).status).to.equal("missing");
  });

  it("a released and re-pledged unit: the new receipt verifies for its lender; the old one no longer covers it", async () => {
    // lender A releases serial 0 (a partial repayment); the holder issues a new receipt over it, pledged to lender B.
    const approverA = await api.keyWithRoles("lenderA", ["credit_approver"]);
    const rel = await api.call("POST", `${receipts}/${r1}/release`, approverA, {
      reference: "BANK-RA-1",
      parts: [{ gtin, serial: serials[0] }],
    });
    expect(rel.status, JSON.stringify(rel.json)).to.equal(200);
    const r2 = await issue(wh, sku, [serials[0]!]);
    await pledge(r2, "lenderB");

    const fresh2 = await bundleOf(r2, await api.keyWithRoles("lenderB", ["credit_officer"]));
    const steps = fresh2.parts[0]!.events.map((e) => e.event["partledger:ledger"].step);
    expect(steps.slice(-3)).to.deep.equal([Stage.Pledged, Stage.Released, Stage.Pledged]);
    const ok2 = await audit(r2, fresh2);
    expect(ok2.code, ok2.out).to.equal(0);
    expect(ok2.out).to.contain(`1 units pledged to ${address[api.ids.lenderB!]}`);
    expect((await audit(r2, fresh2, address[api.ids.lenderA!])).code).to.equal(1);

    // The old receipt still covers serial 1 only; a statement claiming serial 0 too is refused by the chain's history.
    const fresh1 = await bundleOf(r1, OPERATOR);
    const released = (b: ReceiptBundle) =>
      b.receipt.serials.map((x) => `${x.serial === serials[0] ? "s0" : "s1"}:${x.released}`).sort();
    expect(released(fresh1)).to.deep.equal(["s0:true", "s1:false"]);
    const ok1 = await audit(r1, fresh1);
    expect(ok1.code, ok1.out).to.equal(0);
    expect(ok1.out).to.contain("1 units pledged");
    const stale = clone(fresh1);
    stale.receipt.serials.find((x) => x.serial === serials[0])!.released = false;
    const bad = await audit(r1, stale);
    expect(bad.code, bad.out).to.equal(1);
    expect(bad.out).to.contain(`is under receipt ${r2}, not ${r1}`);

    // The same verdicts from the library the browser verifier shares.
    const provider = makeProvider(shared.chainUrl);
    try {
      const v = await verifyReceiptBundle(stale, r1, provider, trust);
      expect(v.ok).to.equal(false);
      expect(v.units.map((u) => `${u.serial === serials[0] ? "s0" : "s1"}:${u.status}`).sort()).to.deep.equal([
        "s0:other_receipt",
        "s1:pledged",
      ]);
      const w = await verifyReceiptBundle(fresh2, r2, provider, trust);
      expect(w.ok).to.equal(true);
    } finally {
      provider.destroy();
    }
    // The released serial's own part bundle: a plain audit verifies its pledge, release and new pledge.
    const part: Bundle = fresh2.parts[0]!;
    expect(part.actors.map((a) => a.kind).sort()).to.include("lender");
    fresh1Kept = fresh1;
    r2Kept = r2;
  });

  let fresh1Kept: ReceiptBundle;
  let r2Kept: string;
  it("a stale bundle is not current: the chain's pledge heads show the later pledge to B and the later release", async () => {
    // The attacker: the borrower shows lender A the bundle exported before A released serial 0, which is now
    // pledged to lender B. Every event in it is genuine and anchored; only the chain's pledge head tells.
    const lenderA = address[api.ids.lenderA!]!;
    const a = await audit(r1, good);
    expect(a.code, a.out).to.equal(1);
    expect(a.out).to.match(
      new RegExp(
        `✘ ${gtin}/${serials[0]}: bundle not current: the chain's latest pledge step for this unit is a ` +
          "pledge at event \\d+ \\(batch \\d+\\), later than the bundle's event \\d+: it was released and pledged again",
      ),
    );
    expect(a.out).to.contain(`✔ ${gtin}/${serials[1]}: pledged by event`);
    expect(a.out).to.contain(`FAILED: receipt ${r1} — 1 of 2 units not pledged to ${lenderA} alone`);

    // A releases the rest of r1 (repaid); the bundle exported before that still shows serial 1 pledged to A.
    const approverA = await api.keyWithRoles("lenderA", ["credit_approver"]);
    const rel = await api.call("POST", `${receipts}/${r1}/release`, approverA, { reference: "BANK-RA-2" });
    expect(rel.status, JSON.stringify(rel.json)).to.equal(200);
    await stack.svc.worker.runUntilFinal();
    const b = await audit(r1, fresh1Kept);
    expect(b.code, b.out).to.equal(1);
    expect(b.out).to.match(new RegExp(`✘ ${gtin}/${serials[1]}: bundle not current: .* is a release at event \\d+`));

    // The same from the library the browser shares: statuses, and the later event named by its seq.
    const provider = makeProvider(shared.chainUrl);
    try {
      const v = await verifyReceiptBundle(fresh1Kept, r1, provider, trust);
      expect(v.units.map((u) => u.status)).to.deep.equal(["released"]);
      expect(v.units[0]!.seq).to.be.greaterThan(fresh1Kept.parts[1]!.events.at(-1)!.seq);
      const w = await verifyReceiptBundle(good, r1, provider, trust, lenderA);
      expect(w.units.map((u) => u.status).sort()).to.deep.equal(["released", "superseded"]);
      // B's receipt is still current for B.
      const fresh2 = await bundleOf(r2Kept, OPERATOR);
      expect((await verifyReceiptBundle(fresh2, r2Kept, provider, trust)).ok).to.equal(true);
      // Against a registry that keeps no pledge heads, no pledge shows as current.
      const unit = fresh1Kept.parts[1]!;
      expect(currencyVerdict(unit.scope as never, unit.events, null)?.status).to.equal("not_current");
    } finally {
      provider.destroy();
    }
  });

  it("the chain's pledge head moves only forward, in the anchoring transaction of the batch that holds the step", async () => {
    const chain = await stack.svc.chain.get();
    const key = partKeyOf(gtin, serials[0]!);
    const [head] = await chain.anchorRegistry.getFunction("pledgeHeadsOf")([key]);
    const ev = (await chain.anchorRegistry.queryFilter(chain.anchorRegistry.filters.PledgeHeadMoved!(key))).map((l) =>
      Number((l as { args: unknown[] }).args[2]),
    );
    // Pledged under r1, released by A, pledged under r2: one move per batch that holds its steps (the last of them),
    // increasing, the last one being the head — r2's pledge, the last event of its bundle.
    expect(ev.length).to.be.within(2, 3);
    expect(ev).to.deep.equal([...new Set(ev)].sort((x, y) => x - y));
    expect(Number(head.seq)).to.equal(ev.at(-1));
    const fresh2 = await bundleOf(r2Kept, OPERATOR);
    expect(Number(head.seq)).to.equal(fresh2.parts[0]!.events.at(-1)!.seq);
    expect(Number(head.step)).to.equal(Stage.Pledged);
  });

  it("the sealer cuts a batch at its most pledge steps; each batch's call moves the heads it holds", async () => {
    // Two more units pledged in one submission, sealed with a cap of one pledge step a batch: two batches.
    const r3 = await issue(wh, sku, [serials[2]!, serials[3]!]);
    await pledge(r3, "lenderA");
    const sealed = await new Sealer({
      db: stack.svc.db.sql,
      maxEvents: 10_000,
      maxAgeMs: 0,
      maxPledgeSteps: 1,
    }).sealDue();
    expect(sealed.length).to.be.at.least(2);
    const bundle = await bundleOf(r3, OPERATOR);
    const chain = await stack.svc.chain.get();
    const got = await chain.anchorRegistry.getFunction("pledgeHeadsOf")([
      partKeyOf(gtin, serials[2]!),
      partKeyOf(gtin, serials[3]!),
    ]);
    const [h2, h3] = got.map((h: { batchId: bigint; seq: bigint }) => ({
      batch: Number(h.batchId),
      seq: Number(h.seq),
    }));
    expect(h2.batch).to.not.equal(h3.batch);
    const lastOf = (serial: string) =>
      bundle.parts.find((p) => (p.scope as { serial: string }).serial === serial)!.events.at(-1)!.seq;
    expect([h2.seq, h3.seq]).to.deep.equal([lastOf(serials[2]!), lastOf(serials[3]!)]);
    const ok = await audit(r3, bundle);
    expect(ok.code, ok.out).to.equal(0);
  });
});
