import { Contract, Interface, type JsonRpcProvider } from "ethers";
import type { Hex } from "../events/bytes.js";
import type { Bundle } from "../proofs/bundle-format.js";
import { Stage } from "../lifecycle/transitions.js";
import type { TrustAnchor } from "./trust.js";
import { ANCHOR_REGISTRY_ABI, PART_REGISTRY_ABI } from "./verifier-abi.js";

/** What the receipt of a batch's anchoring transaction shows. */
export type TxFact =
  | { found: false }
  | {
      found: true;
      succeeded: boolean;
      blockNumber: number;
      /** BatchAnchored logs the PINNED AnchorRegistry emitted in this transaction. */
      anchored: Array<{ batchId: number; root: Hex; eventCount: number }>;
    };

/**
 * What the auditor reads from the chain about a bundle — from the pinned contracts only, never from addresses the
 * bundle names — and nothing else it trusts.
 */
export interface ChainFacts {
  trust: TrustAnchor;
  chainId: number;
  /** The chain's head block when the facts were read (confirmations are counted from it). */
  head: number;
  /** Whether the pinned contracts hold code on this chain. */
  code: { anchorRegistry: boolean; partRegistry: boolean | null };
  /** The hash of the pinned deployment block on this chain (null when none was pinned or the block does not exist). */
  deploymentBlockHash: Hex | null;
  /** Anchored root and count per batch id; null when the chain has no such batch. */
  anchors: Map<number, { root: Hex; eventCount: number } | null>;
  /** The receipt of each bundle batch's txHash, by batch id. */
  receipts: Map<number, TxFact>;
  /**
   * Whether an address may move parts to a stage, per PartRegistry's roles (audit checkpoints: AnchorRegistry's
   * ANCHORER_ROLE), key `${address}:${stage}`. Without a pinned PartRegistry only checkpoints have entries.
   */
  mayAct: Map<string, boolean>;
  /** PartRegistry's stage for each part key in the bundle (0 for anchored-only parts); null when none is pinned. */
  stages: Map<string, number> | null;
}

export const roleKey = (actor: string, step: number) => `${actor.toLowerCase()}:${step}`;

const anchorIface = () => new Interface(ANCHOR_REGISTRY_ABI);

/**
 * Reads every fact the bundle's checks need, with all requests in flight at once: one call per batch (its root and
 * its receipt), one per actor and step, and PartRegistry stages 2,000 parts a call — nothing per event.
 */
export async function readChainFacts(
  provider: JsonRpcProvider,
  bundle: Bundle,
  partKeys: string[],
  trust: TrustAnchor,
): Promise<ChainFacts> {
  const [network, head, anchorCode, partCode, deployBlock] = await Promise.all([
    provider.getNetwork(),
    provider.getBlockNumber(),
    provider.getCode(trust.anchorRegistry),
    trust.partRegistry ? provider.getCode(trust.partRegistry) : Promise.resolve(null),
    trust.deploymentBlock !== undefined ? provider.getBlock(trust.deploymentBlock) : Promise.resolve(null),
  ]);
  const facts: ChainFacts = {
    trust,
    chainId: Number(network.chainId),
    head,
    code: { anchorRegistry: anchorCode !== "0x", partRegistry: partCode === null ? null : partCode !== "0x" },
    deploymentBlockHash: (deployBlock?.hash?.toLowerCase() as Hex | undefined) ?? null,
    anchors: new Map(),
    receipts: new Map(),
    mayAct: new Map(),
    stages: null,
  };
  // On another chain, or without the contracts, there is nothing more worth asking: the first check fails.
  if (facts.chainId !== trust.chainId || !facts.code.anchorRegistry || facts.code.partRegistry === false) return facts;

  const iface = anchorIface();
  const anchorReg = new Contract(trust.anchorRegistry, iface, provider);
  const batchIds = [
    ...new Set(
      bundle.batches.map((b) => b.id).concat(bundle.events.flatMap((e) => (e.batchId === null ? [] : [e.batchId]))),
    ),
  ];
  const last = Number(await anchorReg.getFunction("lastBatchId")());
  const anchoredTopic = iface.getEvent("BatchAnchored")!.topicHash;
  await Promise.all([
    ...batchIds.map(async (id) => {
      if (id > last || id < 1) return facts.anchors.set(id, null);
      const a = await anchorReg.getFunction("anchorOf")(id);
      facts.anchors.set(id, { root: String(a.root).toLowerCase() as Hex, eventCount: Number(a.eventCount) });
    }),
    ...bundle.batches.map(async (b) => {
      if (!b.txHash) return;
      const r = await provider.getTransactionReceipt(b.txHash);
      if (!r) return facts.receipts.set(b.id, { found: false });
      const anchored = r.logs
        .filter((l) => l.address.toLowerCase() === trust.anchorRegistry.toLowerCase() && l.topics[0] === anchoredTopic)
        .map((l) => {
          const ev = iface.parseLog(l)!;
          return {
            batchId: Number(ev.args[0]),
            root: String(ev.args[1]).toLowerCase() as Hex,
            eventCount: Number(ev.args[2]),
          };
        });
      facts.receipts.set(b.id, { found: true, succeeded: r.status === 1, blockNumber: r.blockNumber, anchored });
    }),
  ]);

  const pairs = new Set(
    bundle.events.map((e) => roleKey(e.event["partledger:ledger"].actor, e.event["partledger:ledger"].step)),
  );
  const mayAct = facts.mayAct;
  const partReg = trust.partRegistry ? new Contract(trust.partRegistry, PART_REGISTRY_ABI, provider) : null;
  await Promise.all(
    [...pairs].map(async (k) => {
      const [actor, step] = k.split(":");
      // Audit checkpoints are the platform's: signed by the address that anchors batches (ANCHORER_ROLE). So is a
      // release the platform makes; a lender's own release is checked against the pledge it ends, not a role.
      if (Number(step) === Stage.AuditCheckpoint || Number(step) === Stage.Released) {
        mayAct.set(
          k,
          Boolean(await anchorReg.getFunction("hasRole")(await anchorReg.getFunction("ANCHORER_ROLE")(), actor)),
        );
      } else if (partReg) {
        // A pledge is made by a holder of parts: a company PartRegistry lets receive them (DECISIONS 107).
        const asStep = Number(step) === Stage.Pledged ? Stage.Received : Number(step);
        mayAct.set(k, Boolean(await partReg.getFunction("mayActFor")(actor, asStep)));
      }
    }),
  );
  if (!partReg) return facts;
  const stages = new Map<string, number>();
  const CHUNK = 2000;
  await Promise.all(
    Array.from({ length: Math.ceil(partKeys.length / CHUNK) }, async (_, c) => {
      const keys = partKeys.slice(c * CHUNK, (c + 1) * CHUNK);
      const got: bigint[] = await partReg.getFunction("stagesOf")(keys);
      keys.forEach((k, i) => stages.set(k, Number(got[i])));
    }),
  );
  facts.stages = stages;
  return facts;
}
