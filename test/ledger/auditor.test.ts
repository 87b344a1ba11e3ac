import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { Wallet, type JsonRpcProvider } from "ethers";
import {
  Stage,
  auditLedger,
  makeProvider,
  verifyBundle,
  whereOf,
  type Bundle,
  type TrustAnchor,
} from "../../ledger-service/src/index.js";
import { shared } from "../helpers/shared.js";
import { PLACE, VIN, handOver, openStack, walkParts, type TestStack } from "../helpers/stack.js";

const run = promisify(execFile);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe("the auditor @smoke", () => {
  let stack: TestStack;
  let provider: JsonRpcProvider;
  let part: Bundle;
  let range: Bundle;
  let parts: Array<{ gtin: string; serial: string }>;
  let trust: TrustAnchor;

  before(async () => {
    stack = await openStack({ env: { BATCH_MAX_EVENTS: "25" } });
    parts = await walkParts(stack, 30, 2);
    // Shipped on down the chain: the part has a six-event history (commissioned, shipped and received twice, installed).
    await handOver(stack, "dealer", "shop", [parts[5]!]);
    await stack.svc.ledger.append({
      actorId: "shop",
      step: Stage.Installed,
      parts: [{ gtin: parts[5]!.gtin, serial: parts[5]!.serial }],
      place: PLACE,
      vin: VIN,
    });
    await stack.svc.worker.runUntilFinal();
    part = await stack.svc.bundleForPart(parts[5]!.gtin, parts[5]!.serial);
    range = await stack.svc.bundleForBatches(1, 3);
    provider = makeProvider(shared.chainUrl);
    trust = await stack.svc.trustAnchor();
  });
  after(async () => {
    provider.destroy();
    await stack.close();
  });

  it("verifies an untouched part bundle and an untouched batch-range bundle", async () => {
    const steps = ["commissioning", "shipping", "receiving", "shipping", "receiving", "installing"];
    expect(part.events.map((e) => e.event.bizStep)).to.deep.equal(steps);
    const r1 = await verifyBundle(part, provider, trust);
    expect(r1.failure).to.equal(null);
    expect(r1.eventsChecked).to.equal(6);
    const r2 = await verifyBundle(range, provider, trust);
    expect(r2.failure).to.equal(null);
    expect(r2.eventsChecked).to.equal(range.events.length);
    expect(range.batches.map((b) => b.id)).to.deep.equal([1, 2, 3]);
  });

  describe("catches each kind of tampering and names the first failing event", () => {
    it("an event changed", async () => {
      const b = clone(part);
      b.events[1]!.event["partledger:ledger"].place = "110101:ELSEWHERE";
      b.events[1]!.event.readPoint.id = "urn:partledger:place:110101:ELSEWHERE";
      const r = await verifyBundle(b, provider, trust);
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(part.events[1]!.seq);
      expect(r.failure!.reason).to.contain("does not verify against batch");
    });

    it("an event's readable EPCIS fields changed without its ledger fields", async () => {
      const b = clone(part);
      b.events[0]!.event.bizStep = "shipping";
      const r = await verifyBundle(b, provider, trust);
      expect(r.failure!.seq).to.equal(part.events[0]!.seq);
      expect(r.failure!.reason).to.contain("bizStep");
    });

    it("an event removed from a part's history", async () => {
      const b = clone(part);
      b.events.splice(1, 1);
      const r = await verifyBundle(b, provider, trust);
      expect(r.failure!.seq).to.equal(part.events[2]!.seq);
      expect(r.failure!.reason).to.contain("hash chain");
    });

    it("an event removed from a batch range", async () => {
      const b = clone(range);
      const removed = b.events.splice(7, 1)[0]!;
      const r = await verifyBundle(b, provider, trust);
      expect(r.ok).to.equal(false);
      expect(r.failure!.reason).to.match(/expected leaf 7 next|removed/);
      expect(r.failure!.seq).to.equal(removed.seq + 1);
    });

    it("events reordered", async () => {
      const b = clone(part);
      [b.events[1], b.events[2]] = [b.events[2]!, b.events[1]!];
      const r = await verifyBundle(b, provider, trust);
      // The first event out of place is the later receipt, now second: it does not follow the commissioning.
      expect(r.failure!.seq).to.equal(part.events[2]!.seq);
      expect(r.failure!.reason).to.contain("hash chain");
      const c = clone(part);
      // Renumbered to look ordered: leaf v2 binds each event's seq, so the first renumbered event fails its proof.
      [c.events[1], c.events[2]] = [c.events[2]!, c.events[1]!];
      [c.events[1]!.seq, c.events[2]!.seq] = [c.events[2]!.seq, c.events[1]!.seq];
      const r2 = await verifyBundle(c, provider, trust);
      expect(r2.ok).to.equal(false);
      expect(r2.failure!.reason).to.contain("does not verify against batch");
    });

    it("a forged signature", async () => {
      const b = clone(part);
      const sub = b.submissions.find((s) => s.id === b.events[1]!.submissionId)!;
      const forger = Wallet.createRandom();
      const { submissionDigest } = await import("../../ledger-service/src/events/signing.js");
      sub.signature = forger.signingKey.sign(submissionDigest(b.chain.chainId, sub)).serialized as `0x${string}`;
      const r = await verifyBundle(b, provider, trust);
      expect(r.failure!.seq).to.equal(part.events[1]!.seq);
      expect(r.failure!.reason).to.contain("forged signature");
      expect(r.failure!.reason).to.contain(forger.address);
    });

    it("a wrong root", async () => {
      const b = clone(part);
      b.batches[0]!.root = `0x${"ab".repeat(32)}`;
      const r = await verifyBundle(b, provider, trust);
      expect(r.failure!.batchId).to.equal(b.batches[0]!.id);
      expect(r.failure!.reason).to.contain("wrong root");
    });

    it("an actor without the role on chain", async () => {
      const b = clone(part);
      b.events[0]!.event["partledger:ledger"].actor = stack.dealer.address as `0x${string}`;
      const r = await verifyBundle(b, provider, trust);
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(part.events[0]!.seq);
    });
  });

  describe("refuses content the signatures do not cover, naming the field (issue 18 item 3)", () => {
    const cases: Array<[string, (ev: Record<string, unknown>) => void, string]> = [
      ["an added bizLocation", (ev) => (ev.bizLocation = { id: "urn:epc:id:sgln:0614141.00777.0" }), "bizLocation"],
      ["an added bizTransactionList", (ev) => (ev.bizTransactionList = [{ type: "po" }]), "bizTransactionList"],
      ["an extension field", (ev) => (ev["example:recalled"] = false), "example:recalled"],
      [
        "an extra key inside partledger:ledger",
        (ev) => ((ev["partledger:ledger"] as Record<string, unknown>).verifiedBy = "SGS"),
        "partledger:ledger.verifiedBy",
      ],
      ["a changed eventTimeZoneOffset", (ev) => (ev.eventTimeZoneOffset = "+00:00"), "eventTimeZoneOffset"],
      ["a changed disposition", (ev) => (ev.disposition = "recalled"), "disposition"],
      ["an extra readPoint key", (ev) => ((ev.readPoint as Record<string, unknown>).name = "Suzhou"), "readPoint.name"],
      ["a second EPC", (ev) => (ev.epcList as string[]).push("https://id.gs1.org/01/0/21/X"), "epcList[1]"],
      ["an ilmd on a receipt", (ev) => (ev.ilmd = { "cbvmda:lotNumber": "L1" }), "ilmd"],
      ["the lot removed from a commissioning", (ev) => delete ev.ilmd, "ilmd"],
    ];
    for (const [what, change, path] of cases) {
      it(what, async () => {
        const b = clone(part);
        const i = path === "ilmd" && what.includes("removed") ? 0 : 1;
        change(b.events[i]!.event as unknown as Record<string, unknown>);
        const r = await verifyBundle(b, provider, trust);
        expect(r.ok).to.equal(false);
        expect(r.failure!.check).to.equal("event.rendering");
        expect(r.failure!.seq).to.equal(part.events[i]!.seq);
        expect(r.failure!.reason).to.contain(path);
      });
    }
  });

  it("checks each batch's anchoring transaction; reports its block and confirmations", async () => {
    const r = await verifyBundle(part, provider, trust);
    expect(r.anchoring.map((a) => a.batchId)).to.deep.equal(part.batches.map((b) => b.id));
    for (const a of r.anchoring) {
      const receipt = await provider.getTransactionReceipt(a.txHash);
      expect(a.blockNumber).to.equal(receipt!.blockNumber);
      expect(a.confirmations).to.be.at.least(1);
    }
    const missing = clone(part);
    missing.batches[0]!.txHash = `0x${"5a".repeat(32)}`;
    const r1 = await verifyBundle(missing, provider, trust);
    expect(r1.failure).to.include({ check: "batch.transaction", batchId: part.batches[0]!.id });
    expect(r1.failure!.reason).to.contain("does not have");
    expect(r1.failure!.seq).to.be.a("number");
    // A real transaction of the registry that anchored another batch.
    const other = clone(range);
    [other.batches[0]!.txHash, other.batches[1]!.txHash] = [range.batches[1]!.txHash, range.batches[0]!.txHash];
    const r2 = await verifyBundle(other, provider, trust);
    expect(r2.failure!.check).to.equal("batch.transaction");
    expect(r2.failure!.reason).to.contain("emitted no BatchAnchored for batch 1");
    // A transaction that is not an anchoring at all.
    const chain = await stack.svc.chain.get();
    const unrelated = await (await chain.admin.sendTransaction({ to: chain.admin.address, value: 1n })).wait();
    const plain = clone(part);
    plain.batches[0]!.txHash = unrelated!.hash as `0x${string}`;
    plain.batches[0]!.blockNumber = unrelated!.blockNumber;
    expect((await verifyBundle(plain, provider, trust)).failure!.reason).to.contain("emitted no BatchAnchored");
  });

  it("names the event, its part and step, and the check in every failure (never `event ?`)", async () => {
    const b = clone(range);
    b.batches[1]!.root = `0x${"cd".repeat(32)}`;
    const r = await verifyBundle(b, provider, trust);
    const first = range.events.find((e) => e.batchId === range.batches[1]!.id)!;
    const batchId = range.batches[1]!.id;
    expect(r.failure).to.deep.include({ check: "batch.root", seq: first.seq, batchId, step: first.event.bizStep });
    const { gtin, serial } = first.event["partledger:ledger"];
    expect(r.failure!.part).to.deep.equal({ gtin, serial });
    const where = `event ${first.seq} (${gtin}/${serial}, ${first.event.bizStep}) in batch ${batchId}`;
    expect(whereOf(r.failure!)).to.equal(where);
    const cut = clone(range);
    cut.events.pop(); // the last batch now misses its last event
    const r2 = await verifyBundle(cut, provider, trust);
    expect(r2.failure!.check).to.equal("batch.completeness");
    expect(r2.failure!.seq).to.be.a("number");
    expect(r2.failure!.part).to.not.equal(null);
  });

  it("lists each company as attested by the platform, not proven by the chain", async () => {
    expect(part.actors.map((a) => [a.name, a.kind, a.attestedBy])).to.have.deep.members([
      ["博世汽车部件(苏州)有限公司", "manufacturer", "platform"],
      ["杭州汽配经销商", "distributor", "platform"],
      ["西湖汽车修理厂", "repair_shop", "platform"],
    ]);
    const addresses = [stack.maker.address, stack.dealer.address, stack.shop.address];
    expect(part.actors.map((a) => a.address)).to.have.members(addresses);
  });

  it("npm run audit -- --bundle: exit 0 for a good bundle, non-zero naming the event for a bad one", async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), "audit-"));
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    const trustFile = join(dir, "trust.json");
    writeFileSync(trustFile, JSON.stringify(trust));
    writeFileSync(good, JSON.stringify(part));
    const b = clone(part);
    b.events[2]!.event["partledger:ledger"].eventTimeMs += 1;
    b.events[2]!.event.eventTime = new Date(b.events[2]!.event["partledger:ledger"].eventTimeMs).toISOString();
    writeFileSync(bad, JSON.stringify(b));
    const rpc = shared.chainUrl;
    const AUDIT = ["--import", "tsx", "scripts/audit.ts"];
    const audit = (file: string) =>
      run(process.execPath, [...AUDIT, "--bundle", file, "--trust", trustFile, "--rpc", rpc]);
    const ok = await audit(good);
    expect(ok.stdout).to.contain("OK: bundle");
    expect(ok.stdout).to.contain(`pinned trust anchor: chain ${trust.chainId}, AnchorRegistry ${trust.anchorRegistry}`);
    expect(ok.stdout).to.contain("(attested by the platform, not by the chain)");
    expect(ok.stdout).to.match(/batch \d+: anchored by tx 0x[0-9a-f]{64} in block \d+, \d+ confirmations/);
    let failed: { code?: number; stdout?: string } = {};
    try {
      await audit(bad);
    } catch (e) {
      failed = e as typeof failed;
    }
    expect(failed.code).to.equal(1);
    const f = part.events[2]!;
    const { gtin, serial } = f.event["partledger:ledger"];
    const where = `event ${f.seq} (${gtin}/${serial}, receiving) in batch ${f.batchId}`;
    expect(failed.stdout).to.contain(`FAILED at ${where} [check`);
    expect(failed.stdout).to.not.contain("event ?");
  });

  describe("--all: recomputes every batch from the database", () => {
    it("npm run audit -- --all against a PostgreSQL ledger (runs when DATABASE_URL is set)", async function () {
      if (!stack.databaseUrl) this.skip(); // an in-memory PGlite cannot be opened by a second process
      this.timeout(60_000);
      const env = {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        LEDGER_MASTER_KEY: stack.config.LEDGER_MASTER_KEY!,
      };
      const ok = await run(
        process.execPath,
        ["--import", "tsx", "scripts/audit.ts", "--all", "--rpc", shared.chainUrl],
        { env },
      );
      expect(ok.stdout).to.match(/OK: ledger — \d+ events/);
    });

    it("passes on an untouched ledger", async () => {
      const chain = await stack.svc.chain.get();
      const r = await auditLedger({
        db: stack.svc.db.sql,
        anchorRegistry: chain.anchorRegistry,
        chainId: chain.chainId,
      });
      expect(r.failure).to.equal(null);
      expect(r.eventsChecked).to.equal(
        (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n,
      );
    });

    it("names the event and batch when one byte of one stored event changes", async () => {
      const chain = await stack.svc.chain.get();
      const { rows } = await stack.svc.db.sql.query<{ seq: number; id: number; serial: string }>(
        "SELECT e.seq, b.id, e.fields->>'serial' AS serial FROM ledger_events e JOIN ledger_batches b ON e.seq BETWEEN b.first_seq AND b.last_seq WHERE e.seq = 33",
      );
      const target = rows[0]!;
      const altered = (target.serial[0] === "A" ? "B" : "A") + target.serial.slice(1);
      await stack.svc.db.sql.exec("ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only");
      await stack.svc.db.sql.query(
        "UPDATE ledger_events SET fields = jsonb_set(fields, '{serial}', to_jsonb($2::text)) WHERE seq = $1",
        [target.seq, altered],
      );
      await stack.svc.db.sql.exec("ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_append_only");
      const r = await auditLedger({
        db: stack.svc.db.sql,
        anchorRegistry: chain.anchorRegistry,
        chainId: chain.chainId,
      });
      expect(r.ok).to.equal(false);
      expect(r.failure!.seq).to.equal(target.seq);
      expect(r.failure!.batchId).to.equal(target.id);
      expect(r.failure!.reason).to.contain(`event ${target.seq} in batch ${target.id}`);
    });
  });
});
