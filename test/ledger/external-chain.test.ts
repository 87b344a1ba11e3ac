import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Wallet } from "ethers";
import { expect } from "chai";
import {
  LedgerService,
  Stage,
  loadConfig,
  makeProvider,
  parseTrustAnchor,
  verifyBundle,
} from "../../ledger-service/src/index.js";
import { DEV_KEYS } from "../helpers/contracts.js";
import { freshDatabase } from "../helpers/database.js";
import { shared } from "../helpers/shared.js";
import { PLACE, newParts } from "../helpers/stack.js";

const run = promisify(execFile);

describe("a chain we are given (CHAIN_RPC_URL): npm run deploy, then configuration only", () => {
  it("deploys with the platform key, anchors to the configured contracts, and never redeploys", async function () {
    this.timeout(90_000);
    const key = DEV_KEYS[3]!;
    const trustFile = join(mkdtempSync(join(tmpdir(), "deploy-")), "partledger-trust.json");
    const deployArgs = ["--import", "tsx", "scripts/deploy.ts", "--rpc", shared.chainUrl, "--trust-out", trustFile];
    const out = await run(process.execPath, deployArgs, {
      env: { ...process.env, CHAIN_SIGNER_KEY: key },
    });
    const settings = Object.fromEntries(
      out.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("=") as [string, string]),
    );
    expect(settings.ANCHOR_REGISTRY_ADDRESS).to.match(/^0x[0-9a-fA-F]{40}$/);
    // The trust anchor auditors pin: printed and written to a file.
    const trust = parseTrustAnchor(JSON.parse(readFileSync(trustFile, "utf8")), trustFile);
    expect(out.stderr).to.contain(JSON.stringify(trust, null, 2));
    expect(trust).to.deep.include({
      chainId: 31337,
      anchorRegistry: settings.ANCHOR_REGISTRY_ADDRESS,
      partRegistry: settings.PART_REGISTRY_ADDRESS,
      deploymentBlock: Number(settings.DEPLOYMENT_BLOCK),
      anchorer: new Wallet(key).address,
    });
    const database = await freshDatabase();
    const config = loadConfig({
      ...settings,
      CHAIN_SIGNER_KEY: key,
      LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
      BATCH_MAX_AGE_MS: "0",
    });
    const svc = await LedgerService.open({
      config,
      database,
      chainUrl: config.CHAIN_RPC_URL!,
      adminKey: key,
      localChain: false,
      chainId: config.CHAIN_ID!,
    });
    try {
      await svc.registerCompany({ id: "maker", name: "maker", kind: "manufacturer" });
      const parts = newParts(5);
      await svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      await svc.worker.runUntilFinal(30_000);
      const ref = await svc.chainRef();
      expect(ref.addresses.anchorRegistry).to.equal(settings.ANCHOR_REGISTRY_ADDRESS);
      const provider = makeProvider(shared.chainUrl);
      expect(await svc.trustAnchor()).to.deep.equal(trust); // what the server serves is what deploy printed
      const bundle = await svc.bundleForPart(parts[0]!.gtin, parts[0]!.serial);
      expect((await verifyBundle(bundle, provider, trust)).failure).to.equal(null);
      provider.destroy();
      const { rows } = await svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_deployments");
      expect(rows[0]!.n).to.equal(0); // nothing deployed by the service itself
    } finally {
      await svc.close();
      await database.drop();
    }
  });

  it("refuses contract addresses that hold no code, instead of deploying", async () => {
    const database = await freshDatabase();
    const key = DEV_KEYS[3]!;
    const nowhere = "0x" + "12".repeat(20);
    const config = loadConfig({
      CHAIN_RPC_URL: shared.chainUrl,
      CHAIN_SIGNER_KEY: key,
      ANCHOR_REGISTRY_ADDRESS: nowhere,
      PART_REGISTRY_ADDRESS: nowhere,
      LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
    });
    const svc = await LedgerService.open({
      config,
      database,
      chainUrl: shared.chainUrl,
      adminKey: key,
      localChain: false,
      chainId: 31337,
    });
    try {
      const report = await svc.worker.tick();
      expect(report.chainError).to.contain("holds no contract");
    } finally {
      await svc.close();
      await database.drop();
    }
  });
});
