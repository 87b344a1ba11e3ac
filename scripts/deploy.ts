/**
 * `npm run deploy -- --rpc URL`: deploys AnchorRegistry and PartRegistry to a chain with CHAIN_SIGNER_KEY as their
 * admin and anchorer, and prints the settings for `npm start`. (The local chain of `npm start` needs no deploy.)
 */
import { parseArgs } from "node:util";
import { Wallet } from "ethers";
import { deployContracts } from "../ledger-service/src/chain/deployment.js";
import { makeProvider } from "../ledger-service/src/index.js";

let rpc: string;
try {
  const { values } = parseArgs({ options: { rpc: { type: "string" } }, strict: true });
  rpc = values.rpc ?? process.env.CHAIN_RPC_URL ?? "";
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
  console.error("deploy: CHAIN_SIGNER_KEY must hold the platform's 32-byte hex private key (it pays for and administers the contracts)");
  process.exit(2);
}
const provider = makeProvider(rpc);
try {
  const chainId = Number((await provider.getNetwork()).chainId);
  const admin = new Wallet(key, provider);
  const addresses = await deployContracts(admin);
  console.error(`deployed on chain ${chainId} by ${admin.address}; start PartLedger with:`);
  console.log(`CHAIN_RPC_URL=${rpc}`);
  console.log(`CHAIN_ID=${chainId}`);
  console.log(`ANCHOR_REGISTRY_ADDRESS=${addresses.anchorRegistry}`);
  console.log(`PART_REGISTRY_ADDRESS=${addresses.partRegistry}`);
} catch (e) {
  console.error(`deploy: ${(e as Error).message.split("\n")[0]}`);
  process.exitCode = 1;
} finally {
  provider.destroy();
}
