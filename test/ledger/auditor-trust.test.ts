import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import {
  LOCAL_CHAIN_ID,
  LedgerService,
  Stage,
  loadConfig,
  makeProvider,
  startLocalChain,
  verifyBundle,
  type Bundle,
  type TrustAnchor,
} from "../../ledger-service/src/index.js";
import { sendAndWait } from "../../ledger-service/src/chain/tx-sender.js";
import { freePort } from "../../scripts/lib/free-port.js";
import { DEV_KEYS } from "../helpers/contracts.js";
import { freshDatabase } from "../helpers/database.js";
import { shared } from "../helpers/shared.js";
import { PLACE, handOver, newParts, openStack, walkParts, type TestStack } from "../helpers/stack.js";

const run = promisify(execFile);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

async function audit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", "scripts/audit.ts", ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("the auditor trusts only the pinned trust anchor (issue 18 item 1)", () => {
  let stack: TestStack;
  let forger: LedgerService;
  let dropForgerDb: () => Promise<void>;
  let trust: TrustAnchor;
  let forged: Bundle;
  let genuine: Bundle;
  let dir: string;
  const provider = () => makeProvider(shared.chainUrl);

  before(async function () {
    this.timeout(120_000);
    stack = await openStack();
    const [p] = await walkParts(stack, 3, 1);
    await stack.svc.worker.runUntilFinal();
    trust = await stack.svc.trustAnchor();
    genuine = await stack.svc.bundleForPart(p!.gtin, p!.serial);

    // An attacker deploys look-alike registries (admin and anchorer: his own key) and signs a "commissioning" of a
    // part with a real brand's name and GTIN as the manufacturer — everything internally consistent.
    const database = await freshDatabase();
    dropForgerDb = () => database.drop();
    const config = loadConfig({
      LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
      BATCH_MAX_AGE_MS: "0",
      CONFIRMATION_DEPTH: "2",
    });
    forger = await LedgerService.open({
      config,
      database,
      chainUrl: shared.chainUrl,
      adminKey: DEV_KEYS[4]!,
      localChain: true,
      chainId: LOCAL_CHAIN_ID,
    });
    await forger.registerCompany({ id: "bosch", name: "博世汽车部件(苏州)有限公司", kind: "manufacturer" });
    const fake = newParts(1)[0]!;
    await forger.ledger.append({
      actorId: "bosch",
      step: Stage.Commissioned,
      parts: [{ ...fake, gtin: p!.gtin }],
      place: PLACE,
    });
    await forger.worker.runUntilFinal();
    forged = await forger.bundleForPart(p!.gtin, fake.serial);
    dir = mkdtempSync(join(tmpdir(), "audit-trust-"));
  });
  after(async () => {
    await forger.close();
    await dropForgerDb();
    await stack.close();
  });

  it("the forgery is consistent in itself: pinned to the attacker's own contracts it would verify", async () => {
    expect(forged.chain.anchorRegistry).to.not.equal(trust.anchorRegistry);
    const p = provider();
    expect((await verifyBundle(forged, p, await forger.trustAnchor())).failure).to.equal(null);
    p.destroy();
  });

  it("fails against the platform's pin, naming the look-alike address and the pinned one", async () => {
    const p = provider();
    const r = await verifyBundle(forged, p, trust);
    expect(r.ok).to.equal(false);
    expect(r.failure!.check).to.equal("trust.anchor-registry");
    expect(r.failure!.reason).to.contain(forged.chain.anchorRegistry).and.to.contain(trust.anchorRegistry);
    // Relabelled to name the real contracts, the forged history is not anchored there.
    const relabelled = clone(forged);
    relabelled.chain = {
      chainId: trust.chainId,
      anchorRegistry: trust.anchorRegistry,
      partRegistry: trust.partRegistry!,
    };
    const r2 = await verifyBundle(relabelled, p, trust);
    expect(r2.ok).to.equal(false);
    expect(r2.failure!.check).to.match(/^batch\./);
    expect(r2.failure!.seq).to.equal(forged.events[0]!.seq);
    // Only the PartRegistry differs: named too.
    const halfway = clone(genuine);
    halfway.chain.partRegistry = forged.chain.partRegistry;
    expect((await verifyBundle(halfway, p, trust)).failure!.check).to.equal("trust.part-registry");
    p.destroy();
  });

  it("checks the pinned chain id against the bundle and against the RPC endpoint", async () => {
    const p = provider();
    const other = { ...trust, chainId: 4242 };
    expect((await verifyBundle(genuine, p, other)).failure!.check).to.equal("trust.chain-id");
    const b = clone(genuine);
    b.chain.chainId = 4242;
    const r = await verifyBundle(b, p, other);
    expect(r.failure!.check).to.equal("trust.rpc-chain-id");
    expect(r.failure!.reason).to.contain(`serves chain ${LOCAL_CHAIN_ID}`);
    // The pinned deployment block's hash must be this chain's.
    const reset = { ...trust, deploymentBlockHash: `0x${"77".repeat(32)}` as `0x${string}` };
    expect((await verifyBundle(genuine, p, reset)).failure!.check).to.equal("trust.deployment-block");
    p.destroy();
  });

  it("pinned by addresses alone (no PartRegistry), verifies what it can and says what it did not check", async () => {
    const p = provider();
    const r = await verifyBundle(genuine, p, {
      format: "partledger.trust/1",
      chainId: trust.chainId,
      anchorRegistry: trust.anchorRegistry,
    });
    expect(r.failure).to.equal(null);
    expect(r.unchecked.join()).to.contain("no PartRegistry pinned");
    p.destroy();
  });

  it("npm run audit: exit 2 without a pin; pinned by file or by flags, the look-alike fails", async function () {
    this.timeout(90_000);
    const forgedFile = join(dir, "forged.json");
    const trustFile = join(dir, "trust.json");
    writeFileSync(forgedFile, JSON.stringify(forged));
    writeFileSync(trustFile, JSON.stringify(trust));
    const [unpinned, byFile, byFlags, badPin] = await Promise.all([
      audit(["--bundle", forgedFile, "--rpc", shared.chainUrl]),
      audit(["--bundle", forgedFile, "--trust", trustFile, "--rpc", shared.chainUrl]),
      audit([
        "--bundle",
        forgedFile,
        "--anchor-registry",
        trust.anchorRegistry,
        "--chain-id",
        String(trust.chainId),
        "--rpc",
        shared.chainUrl,
      ]),
      audit(["--bundle", forgedFile, "--anchor-registry", "0x1234", "--chain-id", "31337", "--rpc", shared.chainUrl]),
    ]);
    expect(unpinned.code).to.equal(2);
    expect(unpinned.stderr).to.contain("no trust anchor pinned");
    expect(unpinned.stdout).to.not.contain("OK");
    for (const r of [byFile, byFlags]) {
      expect(r.code, r.stdout + r.stderr).to.equal(1);
      expect(r.stdout).to.contain("[check trust.anchor-registry]");
      expect(r.stdout).to.contain(forged.chain.anchorRegistry);
    }
    expect(badPin.code).to.equal(2);
    expect(badPin.stderr).to.contain("anchorRegistry must be a 0x address");
  });
});

describe("a range bundle that ends before a part's latest event (issue 18 item 6)", () => {
  it("verifies ?from=1&to=1 of parts that later advanced; compares PartRegistry only where it claims", async () => {
    const stack = await openStack({ makerMode: "onchain" });
    const p = makeProvider(shared.chainUrl);
    try {
      const parts = newParts(3);
      await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      await stack.svc.worker.runUntilFinal(60_000);
      await handOver(stack, "maker", "dealer", parts);
      await stack.svc.worker.runUntilFinal(60_000);
      const trust = await stack.svc.trustAnchor();
      const chain = await stack.svc.chain.get();
      const { partKeyOf } = await import("../../ledger-service/src/events/canonical.js");
      expect(
        Number((await chain.partRegistry.getFunction("partOf")(partKeyOf(parts[0]!.gtin, parts[0]!.serial))).stage),
      ).to.equal(Stage.Received);

      const first = await stack.svc.bundleForBatches(1, 1);
      expect(first.parts.map((x) => x.latestIncluded)).to.deep.equal([false, false, false]);
      const r = await verifyBundle(first, p, trust);
      expect(r.failure).to.equal(null);
      expect(r.partsPartial).to.equal(3);

      const last = await stack.svc.db.sql.query<{ id: number }>("SELECT max(id)::int AS id FROM ledger_batches");
      const both = await stack.svc.bundleForBatches(1, last.rows[0]!.id);
      expect(both.parts.every((x) => x.latestIncluded)).to.equal(true);
      const r2 = await verifyBundle(both, p, trust);
      expect(r2.failure).to.equal(null);
      expect(r2.partsComplete).to.equal(3);

      // Claiming the latest event where the chain knows better is caught, naming the part and its last event.
      const claims = clone(first);
      claims.parts[1]!.latestIncluded = true;
      const r3 = await verifyBundle(claims, p, trust);
      expect(r3.failure!.check).to.equal("part.registry-stage");
      expect(r3.failure!.part).to.deep.equal({ gtin: parts[1]!.gtin, serial: parts[1]!.serial });
      expect(r3.failure!.reason).to.contain("PartRegistry says Received");
      // A part bundle is a whole history: it may not disclaim its latest event.
      const whole = await stack.svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial);
      whole.parts[0]!.latestIncluded = false;
      expect((await verifyBundle(whole, p, trust)).failure!.check).to.equal("bundle.parts");
      // Every part of the events must be listed.
      const unlisted = clone(first);
      unlisted.parts.pop();
      expect((await verifyBundle(unlisted, p, trust)).failure!.check).to.equal("bundle.parts");
    } finally {
      p.destroy();
      await stack.close();
    }
  });
});

describe("after a local-chain reset (issue 18 item 4)", () => {
  it("an old bundle citing transactions of the old chain fails, and so does the old pin", async function () {
    this.timeout(180_000);
    const port = await freePort();
    let chain = await startLocalChain({ port, blockMs: 200 });
    const stack = await openStack({ chainUrl: chain.url });
    try {
      const [p] = await walkParts(stack, 4, 1);
      await stack.svc.worker.runUntilFinal(30_000);
      const oldTrust = await stack.svc.trustAnchor();
      const old = await stack.svc.bundleForPart(p!.gtin, p!.serial);
      await chain.stop();
      chain = await startLocalChain({ port, blockMs: 200 }); // empty again: the service redeploys and re-anchors
      const ctx = await stack.svc.chain.get(); // redeploys (same addresses: same key, same nonces)
      // One more transaction from the platform's key first: the re-anchoring transactions get other nonces and hashes.
      await sendAndWait(ctx.admin, { to: ctx.admin.address, value: 1n });
      await stack.svc.worker.runUntilFinal(60_000);
      const trust = await stack.svc.trustAnchor();
      const provider = makeProvider(chain.url);
      try {
        const stale = await verifyBundle(old, provider, oldTrust);
        expect(stale.failure!.check).to.equal("trust.deployment-block");
        const r = await verifyBundle(old, provider, trust);
        expect(r.ok).to.equal(false);
        expect(r.failure!.check).to.equal("batch.transaction");
        expect(r.failure!.seq).to.equal(old.events[0]!.seq);
        const fresh = await stack.svc.bundleForPart(p!.gtin, p!.serial);
        expect((await verifyBundle(fresh, provider, trust)).failure).to.equal(null);
      } finally {
        provider.destroy();
      }
    } finally {
      await stack.close();
      await chain.stop();
    }
  });
});
