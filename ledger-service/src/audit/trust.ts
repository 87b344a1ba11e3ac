import { getAddress, id as topicOf, type JsonRpcProvider } from "ethers";
import { z } from "zod";
import { AppError } from "../errors.js";
import type { Hex } from "../events/bytes.js";

export const TRUST_FORMAT = "partledger.trust/1";

/** Where the platform publishes its trust anchor (public, no credentials). */
export const TRUST_PATH = "/.well-known/partledger-trust.json";

/**
 * The trust anchor an auditor pins: which chain and which contracts hold the truth. It comes from the platform's
 * published document (or the auditor's own command line), never from the bundle being checked (docs/verification.md,
 * "Trust anchor"). Only `chainId` and `anchorRegistry` are required; an absent field is a check not made.
 */
export interface TrustAnchor {
  format: typeof TRUST_FORMAT;
  chainId: number;
  anchorRegistry: Hex;
  partRegistry?: Hex;
  /** The block AnchorRegistry was deployed in: no batch can be anchored before it. */
  deploymentBlock?: number;
  /** That block's hash: pins the chain's history, so a reset or look-alike chain with the same id is noticed. */
  deploymentBlockHash?: Hex;
  /** The platform's anchoring address (it sends the anchoring transactions and signs audit checkpoints). */
  anchorer?: Hex;
}

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address of 40 hex digits")
  .transform((a) => getAddress(a.toLowerCase()) as Hex);
const trustSchema = z
  .object({
    format: z.literal(TRUST_FORMAT),
    chainId: z.number().int().min(1),
    anchorRegistry: address,
    partRegistry: address.optional(),
    deploymentBlock: z.number().int().min(0).optional(),
    deploymentBlockHash: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte 0x hash")
      .transform((h) => h.toLowerCase() as Hex)
      .optional(),
    anchorer: address.optional(),
  })
  .strict();

/** Parses a trust document; a bad one throws TRUST.INVALID naming the field, the value and what is wanted. */
export function parseTrustAnchor(doc: unknown, source: string): TrustAnchor {
  const parsed = trustSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "(document)";
    const got = issue.path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k as string], doc);
    throw new AppError(
      "TRUST.INVALID",
      `${source}: ${field} ${issue.message} (got ${JSON.stringify(got ?? null)})`,
      400,
      { field },
    );
  }
  return parsed.data as TrustAnchor;
}

const ROLE_GRANTED = topicOf("RoleGranted(bytes32,address,address)");

/**
 * The platform's trust anchor for a deployment. `deploymentBlock` is taken as given (DEPLOYMENT_BLOCK, printed by
 * `npm run deploy`) or found as the block of AnchorRegistry's first RoleGranted log (its constructor's grant).
 */
export async function trustAnchorOf(
  provider: JsonRpcProvider,
  d: { chainId: number; anchorRegistry: Hex; partRegistry: Hex; anchorer: Hex; deploymentBlock?: number | undefined },
): Promise<TrustAnchor> {
  let block = d.deploymentBlock;
  if (block === undefined) {
    const logs = await provider.getLogs({
      address: d.anchorRegistry,
      topics: [ROLE_GRANTED],
      fromBlock: 0,
      toBlock: "latest",
    });
    if (logs.length === 0) {
      throw new AppError(
        "TRUST.NO_DEPLOYMENT_BLOCK",
        `cannot find AnchorRegistry ${d.anchorRegistry}'s deployment block: set DEPLOYMENT_BLOCK`,
        503,
      );
    }
    block = Math.min(...logs.map((l) => l.blockNumber));
  }
  const hash = (await provider.getBlock(block))?.hash;
  if (!hash)
    throw new AppError("TRUST.NO_DEPLOYMENT_BLOCK", `chain ${d.chainId} has no block ${block} (DEPLOYMENT_BLOCK)`, 503);
  return {
    format: TRUST_FORMAT,
    chainId: d.chainId,
    anchorRegistry: getAddress(d.anchorRegistry) as Hex,
    partRegistry: getAddress(d.partRegistry) as Hex,
    deploymentBlock: block,
    deploymentBlockHash: hash.toLowerCase() as Hex,
    anchorer: getAddress(d.anchorer) as Hex,
  };
}
