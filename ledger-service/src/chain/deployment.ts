import { Contract, ContractFactory, JsonRpcProvider, Network, Wallet, getAddress } from "ethers";
import type { Sql } from "../db/sql.js";
import { AppError } from "../errors.js";
import type { Hex } from "../events/bytes.js";
import type { Actor } from "../ledger/actors.js";
import { loadArtifact, type Artifact } from "./artifacts.js";
import { sendAndWait } from "./tx-sender.js";

export const ROLE_OF_KIND = {
  manufacturer: "MANUFACTURER_ROLE",
  distributor: "DISTRIBUTOR_ROLE",
  repair_shop: "INSTALLER_ROLE",
} as const;

/** Everything the ledger needs from the chain: a provider, the platform's key and the two registries. */
export interface ChainContext {
  provider: JsonRpcProvider;
  admin: Wallet;
  chainId: number;
  anchorRegistry: Contract;
  partRegistry: Contract;
  addresses: { anchorRegistry: Hex; partRegistry: Hex };
  /** True when PartLedger runs the chain itself (it may redeploy and fund accounts). */
  local: boolean;
  /** True when this connection found the local chain empty and deployed afresh. */
  redeployed: boolean;
}

export interface ConnectChainOptions {
  db: Sql;
  url: string;
  adminKey: string;
  local: boolean;
  chainId?: number;
  addresses?: { anchorRegistry: string; partRegistry: string };
  log?: (line: string) => void;
}

export function makeProvider(url: string, chainId?: number): JsonRpcProvider {
  return chainId === undefined
    ? new JsonRpcProvider(url, undefined, { polling: true, pollingInterval: 250, cacheTimeout: -1 })
    : new JsonRpcProvider(url, Network.from(chainId), {
        staticNetwork: true,
        polling: true,
        pollingInterval: 250,
        cacheTimeout: -1,
      });
}

/**
 * Connects to the chain and makes sure the contracts are there. On a chain we were given (CHAIN_RPC_URL) the
 * configured addresses must hold code. On the local chain, whose state dies with it, an empty chain gets a fresh
 * deployment and every batch and on-chain lifecycle write is reset to be sent again (DECISIONS.md).
 */
export async function connectChain(opts: ConnectChainOptions): Promise<ChainContext> {
  const provider = makeProvider(opts.url, opts.chainId);
  const chainId = Number((await provider.getNetwork()).chainId);
  const admin = new Wallet(opts.adminKey, provider);
  const anchorArt = loadArtifact("AnchorRegistry");
  const partArt = loadArtifact("PartRegistry");
  const at = (addresses: { anchorRegistry: string; partRegistry: string }, redeployed: boolean): ChainContext => ({
    provider,
    admin,
    chainId,
    anchorRegistry: new Contract(addresses.anchorRegistry, anchorArt.abi as never, admin),
    partRegistry: new Contract(addresses.partRegistry, partArt.abi as never, admin),
    addresses: {
      anchorRegistry: getAddress(addresses.anchorRegistry) as Hex,
      partRegistry: getAddress(addresses.partRegistry) as Hex,
    },
    local: opts.local,
    redeployed,
  });
  const hasCode = async (a: string) => (await provider.getCode(a)) !== "0x";

  if (opts.addresses) {
    for (const [name, address] of Object.entries(opts.addresses)) {
      if (!(await hasCode(address)))
        throw new AppError("CHAIN.NO_CONTRACT", `${name} ${address} holds no contract on chain ${chainId}`, 500);
    }
    return at(opts.addresses, false);
  }
  const { rows } = await opts.db.query<{ anchor_registry: string; part_registry: string; chain_id: number }>(
    "SELECT anchor_registry, part_registry, chain_id FROM ledger_deployments ORDER BY id DESC LIMIT 1",
  );
  const last = rows[0];
  if (
    last &&
    last.chain_id === chainId &&
    (await hasCode(last.anchor_registry)) &&
    (await hasCode(last.part_registry))
  ) {
    return at({ anchorRegistry: last.anchor_registry, partRegistry: last.part_registry }, false);
  }
  if (!opts.local)
    throw new AppError(
      "CHAIN.NO_CONTRACT",
      "no contract addresses configured for this chain: set ANCHOR_REGISTRY_ADDRESS and PART_REGISTRY_ADDRESS",
      500,
    );

  const addresses = await deployContracts(admin);
  const ctx = at(addresses, Boolean(last));
  const genesis = (await provider.getBlock(0))?.hash ?? "";
  await opts.db.transaction(async (tx) => {
    await tx.query(
      "INSERT INTO ledger_deployments (chain_id, genesis_hash, anchor_registry, part_registry) VALUES ($1, $2, $3, $4)",
      [chainId, genesis, addresses.anchorRegistry, addresses.partRegistry],
    );
    // The new contracts know nothing: every batch and every on-chain lifecycle write goes to them again, in order.
    await tx.query(
      `UPDATE ledger_batches SET status = 'sealed', tx_hash = NULL, raw_tx = NULL, tx_nonce = NULL, block_number = NULL,
              block_hash = NULL, last_error = NULL, updated_at = now()`,
    );
    await tx.query(
      "UPDATE ledger_chain_writes SET status = 'pending', tx_hash = NULL, raw_tx = NULL, tx_nonce = NULL, block_number = NULL",
    );
    // A top-up in flight went to the old chain: company keys are funded again on the new one when they need it.
    await tx.query(
      `UPDATE ledger_gas_topups SET status = 'failed', last_error = 'the local chain was redeployed', updated_at = now()
        WHERE status = 'submitted'`,
    );
  });
  opts.log?.(
    `${last ? "local chain was empty: redeployed" : "deployed"} AnchorRegistry ${addresses.anchorRegistry} and PartRegistry ${addresses.partRegistry} on chain ${chainId}` +
      (last ? "; every batch will be anchored again" : ""),
  );
  return ctx;
}

/**
 * Deploys AnchorRegistry and PartRegistry with `admin` as their admin and as the anchorer
 * (`npm run deploy` for a real chain; the local chain gets this automatically).
 */
export async function deployContracts(
  admin: Wallet,
): Promise<{ anchorRegistry: Hex; partRegistry: Hex; deploymentBlock: number }> {
  let deploymentBlock = -1;
  const deploy = async (art: Artifact) => {
    const req = await new ContractFactory(art.abi as never, art.bytecode, admin).getDeployTransaction(admin.address);
    const receipt = await sendAndWait(admin, req);
    if (deploymentBlock < 0) deploymentBlock = receipt.blockNumber; // AnchorRegistry's block: the trust anchor's
    return getAddress(receipt.contractAddress!) as Hex;
  };
  const anchorArt = loadArtifact("AnchorRegistry");
  const anchorRegistry = await deploy(anchorArt);
  const addresses = { anchorRegistry, partRegistry: await deploy(loadArtifact("PartRegistry")), deploymentBlock };
  const anchor = new Contract(addresses.anchorRegistry, anchorArt.abi as never, admin);
  const anchorerRole = await anchor.getFunction("ANCHORER_ROLE")();
  await sendAndWait(admin, {
    to: addresses.anchorRegistry,
    data: anchor.interface.encodeFunctionData("grantRole", [anchorerRole, admin.address]),
  });
  return addresses;
}

/**
 * Grants each company the role of its kind on PartRegistry. Safe to repeat: it only sends what is missing. (Gas for
 * the companies' own PartRegistry writes comes from GasFunder, on any chain, when a write needs it.)
 */
export async function syncRoles(chain: ChainContext, actors: Actor[]): Promise<number> {
  let sent = 0;
  for (const actor of actors) {
    if (actor.kind === "platform") continue; // the platform signs audit checkpoints with the anchorer's key
    if (actor.kind === "lender") continue; // a lender moves no parts: it has no PartRegistry role
    if (actor.kind === "service_provider") continue; // nor does a service provider (issue 17)
    const role = await chain.partRegistry.getFunction(ROLE_OF_KIND[actor.kind])();
    if (!(await chain.partRegistry.getFunction("hasRole")(role, actor.address))) {
      await sendAndWait(chain.admin, {
        to: chain.addresses.partRegistry,
        data: chain.partRegistry.interface.encodeFunctionData("grantRole", [role, actor.address]),
      });
      sent++;
    }
  }
  return sent;
}
