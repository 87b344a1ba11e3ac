import { Contract, type JsonRpcProvider } from "ethers";
import { loadArtifact } from "../chain/artifacts.js";
import type { Hex } from "../events/bytes.js";
import type { Bundle } from "../proofs/bundle.js";
import { Stage } from "../lifecycle/transitions.js";

/** What the auditor reads from the chain about a bundle — and nothing else it trusts. */
export interface ChainFacts {
  chainId: number;
  /** Anchored root and count per batch id; null when the chain has no such batch. */
  anchors: Map<number, { root: Hex; eventCount: number } | null>;
  /** Whether an address may move parts to a stage, per PartRegistry's roles: key `${address}:${stage}`. */
  mayAct: Map<string, boolean>;
  /** PartRegistry's stage for each part key in the bundle (0 for anchored-only parts). */
  stages: Map<string, number>;
}

export const roleKey = (actor: string, step: number) => `${actor.toLowerCase()}:${step}`;

/** Reads every fact the bundle's checks need, with all requests in flight at once. */
export async function readChainFacts(provider: JsonRpcProvider, bundle: Bundle, partKeys: string[]): Promise<ChainFacts> {
  const anchorReg = new Contract(bundle.chain.anchorRegistry, loadArtifact("AnchorRegistry").abi as never, provider);
  const partReg = new Contract(bundle.chain.partRegistry, loadArtifact("PartRegistry").abi as never, provider);
  const chainId = Number((await provider.getNetwork()).chainId);
  const batchIds = [...new Set(bundle.batches.map((b) => b.id).concat(bundle.events.flatMap((e) => (e.batchId === null ? [] : [e.batchId]))))];
  const last = Number(await anchorReg.getFunction("lastBatchId")());
  const anchors = new Map<number, { root: Hex; eventCount: number } | null>();
  await Promise.all(
    batchIds.map(async (id) => {
      if (id > last || id < 1) return anchors.set(id, null);
      const a = await anchorReg.getFunction("anchorOf")(id);
      anchors.set(id, { root: String(a.root).toLowerCase() as Hex, eventCount: Number(a.eventCount) });
    }),
  );
  const pairs = new Set(bundle.events.map((e) => roleKey(e.event["partledger:ledger"].actor, e.event["partledger:ledger"].step)));
  const mayAct = new Map<string, boolean>();
  await Promise.all(
    [...pairs].map(async (k) => {
      const [actor, step] = k.split(":");
      // Audit checkpoints are the platform's: signed by the address that anchors batches (ANCHORER_ROLE).
      if (Number(step) === Stage.AuditCheckpoint) {
        mayAct.set(k, Boolean(await anchorReg.getFunction("hasRole")(await anchorReg.getFunction("ANCHORER_ROLE")(), actor)));
      } else mayAct.set(k, Boolean(await partReg.getFunction("mayActFor")(actor, Number(step))));
    }),
  );
  const stages = new Map<string, number>();
  const CHUNK = 2000;
  await Promise.all(
    Array.from({ length: Math.ceil(partKeys.length / CHUNK) }, async (_, c) => {
      const keys = partKeys.slice(c * CHUNK, (c + 1) * CHUNK);
      const got: bigint[] = await partReg.getFunction("stagesOf")(keys);
      keys.forEach((k, i) => stages.set(k, Number(got[i])));
    }),
  );
  return { chainId, anchors, mayAct, stages };
}
