/**
 * `npm run deploy -- --rpc URL [--trust-out FILE]`: deploys AnchorRegistry and PartRegistry to a chain with
 * CHAIN_SIGNER_KEY as their admin and anchorer, prints the settings for `npm start` (stdout, KEY=VALUE lines) and the
 * trust anchor auditors pin (stderr), and writes that trust anchor to FILE (default ./partledger-trust.json).
 * (The local chain of `npm start` needs no deploy.)
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Wallet } from "ethers";
import { deployContracts } from "../ledger-service/src/chain/deployment.js";
import { TRUST_PATH, makeProvider, trustAnchorOf, type TrustAnchor } from "../ledger-service/src/index.js";
import type { Hex } from "../ledger-service/src/events/bytes.js";

let rpc: string;
let trustOut: string;
try {
  const { values } = parseArgs({ options: { rpc: { type: "string" }, "trust-out": { type: "string" } }, strict: true });
  rpc = values.rpc ?? process.env.CHAIN_RPC_URL ?? "";
  trustOut = resolve(values["trust-out"] ?? "partledger-trust.json");
} catch (e) {
  console.error(`deploy: ${(e as Error).message}`);
  process.exit(2);
}
const key = process.env.CHAIN_SIGNER_KEY ?? "";
if (!rpc) {
  console.error("deploy: give --rpc URL (or CHAIN_RPC_URL)");
  process.exit(2);
}
if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
  console.error(
    "deploy: CHAIN_SIGNER_KEY must hold the platform's 32-byte hex private key (it pays for and administers the contracts)",
  );
  process.exit(2);
}
const provider = makeProvider(rpc);
try {
  const chainId = Number((await provider.getNetwork()).chainId);
  const admin = new Wallet(key, provider);
  const addresses = await deployContracts(admin);
  const trust: TrustAnchor = await trustAnchorOf(provider, { chainId, ...addresses, anchorer: admin.address as Hex });
  writeFileSync(trustOut, JSON.stringify(trust, null, 2) + "\n");
  console.error(`deployed on chain ${chainId} by ${admin.address} in block ${addresses.deploymentBlock}.`);
  console.error(`trust anchor (publish it; auditors pin it with --trust; the server serves it at ${TRUST_PATH}),`);
  console.error(`written to ${trustOut}:`);
  console.error(JSON.stringify(trust, null, 2));
  console.error("start PartLedger with:");
  console.log(`CHAIN_RPC_URL=${rpc}`);
  console.log(`CHAIN_ID=${chainId}`);
  console.log(`ANCHOR_REGISTRY_ADDRESS=${addresses.anchorRegistry}`);
  console.log(`PART_REGISTRY_ADDRESS=${addresses.partRegistry}`);
  console.log(`DEPLOYMENT_BLOCK=${addresses.deploymentBlock}`);
} catch (e) {
  console.error(`deploy: ${(e as Error).message.split("\n")[0]}`);
  process.exitCode = 1;
} finally {
  provider.destroy();
}
