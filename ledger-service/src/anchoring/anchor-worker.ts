import type { Sql } from "../db/sql.js";
import { toHex, type Hex } from "../events/bytes.js";
import { PLEDGE_STEPS } from "../lifecycle/transitions.js";
import type { Sealer } from "../batching/sealer.js";
import type { ChainConnector } from "../chain/chain-connector.js";
import type { ChainContext } from "../chain/deployment.js";
import type { LifecycleWriter } from "./lifecycle-writer.js";
import { broadcast, prepareTx, txState } from "../chain/tx-sender.js";
import { batchStore, type BatchRow } from "./batch-store.js";

/** Named points where a test can make the worker "die" (throw) to prove it resumes from any of them. */
export type FaultPoint =
  | "after-seal"
  | "after-store-tx"
  | "after-broadcast"
  | "after-confirm"
  | "after-final"
  /** A reorg took anchors away and their batches went back to `submitted`. */
  | "after-reopen"
  /** A stored transaction the chain lost (dropped, or reorganised away) was sent again as the same bytes. */
  | "after-resend";

export interface AnchorWorkerOptions {
  db: Sql;
  sealer: Sealer;
  chain: ChainConnector;
  /** Sends on-chain lifecycle writes (PartRegistry) after anchoring; optional. */
  lifecycle?: LifecycleWriter;
  /** Blocks on top of the anchoring block before a batch is final (1 = the block itself). */
  confirmationDepth: number;
  /** Called at each fault point; throwing there simulates a crash. */
  fault?: (point: FaultPoint, batchId: number) => void | Promise<void>;
  /** Runs at the start of every tick, before sealing (the audit trail's checkpoint); its errors are logged. */
  beforeSeal?: () => Promise<unknown>;
  log?: (line: string) => void;
  /** Only the holder of this lease ticks when several processes share the database (see WorkerLease). */
  lease?: { held(): Promise<boolean>; release(): Promise<void> };
}

export interface TickReport {
  sealed: number;
  moved: Array<{ batchId: number; from: BatchRow["status"]; to: BatchRow["status"] }>;
  /** Batches whose confirmed or final anchor a chain reorganisation took away (re-sent, then final again). */
  reorged: number[];
  chainError?: string;
}

/**
 * How far behind the head a confirmed or final anchor's block is re-checked by hash on every tick. Deeper reorgs
 * are still caught when they remove an anchor (AnchorRegistry.lastBatchId falls below the ledger's), at any depth.
 */
export const REORG_WATCH_BLOCKS = 256;

/**
 * The anchoring state machine, one batch at a time in id order: sealed → submitted → confirmed → final.
 * Every transition is written to the database before the next side effect, and the signed transaction is stored
 * before it is broadcast, so a worker killed anywhere resumes without losing a batch or anchoring one twice:
 * a stored transaction is only ever re-sent as the same bytes (same nonce), and the chain itself is asked
 * whether a batch id is already anchored before anything new is signed.
 */
export class AnchorWorker {
  /** The chain's block number as of the last tick that reached the chain (for confirmation counts). */
  lastHead: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly opts: AnchorWorkerOptions) {}

  /** Seals what is due, then moves every unfinished batch one step. Chain errors are reported, not thrown. */
  async tick(): Promise<TickReport> {
    const report: TickReport = { sealed: 0, moved: [], reorged: [] };
    await this.opts.beforeSeal?.().catch((e: Error) => this.opts.log?.(`before sealing: ${e.message}`));
    const sealed = await this.opts.sealer.sealDue();
    report.sealed = sealed.length;
    for (const b of sealed) await this.opts.fault?.("after-seal", b.id);
    try {
      const chain = await this.opts.chain.get();
      this.lastHead = await chain.provider.getBlockNumber();
      report.reorged = await this.watchReorgs(chain, this.lastHead);
      for (const id of report.reorged) await this.opts.fault?.("after-reopen", id);
      for (const batch of await batchStore.unfinished(this.opts.db)) {
        const to = await this.step(chain, batch);
        if (to !== batch.status) report.moved.push({ batchId: batch.id, from: batch.status, to });
        // Ids are sequential on chain: a batch cannot be sent before the one before it is mined.
        if (to === "sealed" || to === "submitted") break;
      }
      if (this.opts.lifecycle) await this.opts.lifecycle.tick(chain);
    } catch (e) {
      if (isFault(e)) throw e;
      report.chainError = (e as Error).message?.split("\n")[0] ?? String(e);
    }
    return report;
  }

  /** Ticks until every batch is final (or `timeoutMs` passes). For scripts and tests. */
  async runUntilFinal(timeoutMs = 60_000, pauseMs = 100): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const report = await this.tick();
      const lifecycleOpen = this.opts.lifecycle ? await this.opts.lifecycle.open() : 0;
      if ((await batchStore.unfinished(this.opts.db)).length === 0 && report.sealed === 0 && lifecycleOpen === 0)
        return;
      if (Date.now() > deadline)
        throw new Error(`batches not final after ${timeoutMs} ms${report.chainError ? `: ${report.chainError}` : ""}`);
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  start(intervalMs: number): void {
    const loop = async () => {
      this.running = (this.opts.lease?.held() ?? Promise.resolve(true))
        .then((lead) => (lead ? this.tick() : null))
        .then((r) => {
          if (!r) return;
          if (r.chainError) this.opts.log?.(`anchoring pending (chain: ${r.chainError})`);
          if (r.sealed > 0) this.opts.log?.(`sealed ${r.sealed} batch${r.sealed > 1 ? "es" : ""}`);
          for (const m of r.moved) this.opts.log?.(`batch ${m.batchId}: ${m.from} → ${m.to}`);
        })
        .catch((e) => this.opts.log?.(`anchor worker: ${(e as Error).message}`));
      await this.running;
      if (this.timer !== undefined) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.opts.lease?.release();
  }

  private async step(chain: ChainContext, b: BatchRow): Promise<BatchRow["status"]> {
    const { db } = this.opts;
    switch (b.status) {
      case "sealed": {
        const onChain = await this.anchoredOnChain(chain, b);
        if (onChain) {
          await batchStore.markSubmitted(db, b.id, onChain.txHash, null, null);
          return "submitted";
        }
        const last = Number(await chain.anchorRegistry.getFunction("lastBatchId")());
        if (last !== b.id - 1) return "sealed"; // an earlier batch is not on chain yet
        if (await this.opts.lifecycle?.platformBusy()) return "sealed"; // a gas top-up holds the signer's nonce
        const data = await anchorCallData(db, chain, b);
        const tx = await prepareTx(chain.admin, chain.provider, chain.addresses.anchorRegistry, data);
        await batchStore.markSubmitted(db, b.id, tx.txHash, tx.rawTx, tx.nonce);
        await this.opts.fault?.("after-store-tx", b.id);
        await broadcast(chain.provider, tx.rawTx);
        await this.opts.fault?.("after-broadcast", b.id);
        return "submitted";
      }
      case "submitted": {
        const state = await txState(
          chain.provider,
          b.txHash!,
          chain.admin.address,
          b.txNonce ?? Number.MAX_SAFE_INTEGER,
        );
        if (state.kind === "mined" && state.ok) {
          // A node may still answer a receipt from a block a reorg replaced: only a canonical block confirms.
          if ((await chain.provider.getBlock(state.blockNumber))?.hash !== state.blockHash) return "submitted";
          await batchStore.markConfirmed(db, b.id, state.blockNumber, state.blockHash);
          await this.opts.fault?.("after-confirm", b.id);
          return "confirmed";
        }
        if (state.kind === "pending") return "submitted";
        if (state.kind === "dropped" && b.rawTx) {
          await broadcast(chain.provider, b.rawTx); // the same signed bytes: it can only ever be mined once
          await this.opts.fault?.("after-resend", b.id);
          return "submitted";
        }
        // Reverted, replaced, or unknown: maybe anchored by another transaction of ours; otherwise start over.
        const onChain = await this.anchoredOnChain(chain, b);
        if (onChain && onChain.txHash !== b.txHash) {
          await batchStore.markSubmitted(db, b.id, onChain.txHash, null, null);
          return "submitted";
        }
        await batchStore.resetToSealed(
          db,
          b.id,
          `transaction ${b.txHash} ${state.kind === "mined" ? "reverted" : state.kind}`,
        );
        return "sealed";
      }
      case "confirmed": {
        // Final means CONFIRMATION_DEPTH blocks on the chain that still holds the receipt's block (by hash).
        const head = await chain.provider.getBlockNumber();
        const block = await chain.provider.getBlock(b.blockNumber!);
        if (block?.hash !== b.blockHash) {
          await this.reopen(b, `block ${b.blockNumber} ${b.blockHash} is no longer on the chain`); // look again
          return "submitted";
        }
        if (head - b.blockNumber! + 1 < this.opts.confirmationDepth) return "confirmed";
        await batchStore.markFinal(db, b.id);
        await this.opts.fault?.("after-final", b.id);
        return "final";
      }
      default:
        return b.status;
    }
  }

  /**
   * Finds confirmed and final batches whose anchor a chain reorganisation took away or moved, and sends them back
   * to `submitted` (DECISIONS "Reorgs"): anchors missing from AnchorRegistry at any depth (ids are sequential, so
   * every id above its lastBatchId is gone), and, within REORG_WATCH_BLOCKS of the head, anchors whose block hash
   * is no longer canonical. A final batch reopened here was reorganised deeper than CONFIRMATION_DEPTH: it is
   * logged as such and becomes final again only after CONFIRMATION_DEPTH blocks on the surviving chain.
   */
  private async watchReorgs(chain: ChainContext, head: number): Promise<number[]> {
    const { db } = this.opts;
    const reopened: number[] = [];
    const onChain = Number(await chain.anchorRegistry.getFunction("lastBatchId")());
    if (onChain < (await batchStore.lastAnchoredId(db))) {
      for (const b of await batchStore.all(db, onChain + 1)) {
        if (b.status !== "confirmed" && b.status !== "final") continue;
        if (await this.reopen(b, `its anchor is no longer on chain (AnchorRegistry.lastBatchId is ${onChain})`)) {
          reopened.push(b.id);
        }
      }
    }
    // Newest block first: a reorg that replaced a block replaced every later one, so the first anchor whose block is
    // still canonical vouches for all older ones (one getBlock per tick when nothing happened).
    const recent = await batchStore.anchoredSince(db, Math.max(0, head - REORG_WATCH_BLOCKS));
    recent.sort((a, b) => b.blockNumber! - a.blockNumber! || b.id - a.id);
    for (const b of recent) {
      if (reopened.includes(b.id)) continue;
      if ((await chain.provider.getBlock(b.blockNumber!))?.hash === b.blockHash) break;
      if (await this.reopen(b, `block ${b.blockNumber} ${b.blockHash} is no longer on the chain`)) reopened.push(b.id);
    }
    return reopened.sort((a, b) => a - b);
  }

  private async reopen(b: BatchRow, why: string): Promise<boolean> {
    const depth = this.opts.confirmationDepth;
    const beyond = b.status === "final" ? ` — a reorganisation deeper than CONFIRMATION_DEPTH ${depth}` : "";
    const reason = `CHAIN.REORG: batch ${b.id} was ${b.status}${beyond}; ${why}; re-sending transaction ${b.txHash}`;
    const done = await batchStore.reopen(this.opts.db, b.id, reason);
    if (done) this.opts.log?.(reason);
    return done;
  }

  /** The anchoring transaction of batch `b` if the chain already holds its root; throws if it holds another root. */
  private async anchoredOnChain(chain: ChainContext, b: BatchRow): Promise<{ txHash: Hex } | null> {
    const last = Number(await chain.anchorRegistry.getFunction("lastBatchId")());
    if (last < b.id) return null;
    const anchored = await chain.anchorRegistry.getFunction("anchorOf")(b.id);
    if (String(anchored.root).toLowerCase() !== b.root.toLowerCase()) {
      throw new Error(
        `CHAIN.ROOT_CONFLICT: batch ${b.id} is anchored with root ${anchored.root}, the ledger sealed ${b.root}`,
      );
    }
    const logs = await chain.anchorRegistry.queryFilter(chain.anchorRegistry.filters.BatchAnchored!(b.id), 0, "latest");
    const log = logs[0];
    if (!log) throw new Error(`batch ${b.id} is anchored but its BatchAnchored event was not found`);
    return { txHash: log.transactionHash as Hex };
  }
}

/**
 * The anchoring call of batch `b`: `anchor`, or `anchorWithPledgeHeads` when the batch holds pledges or releases —
 * each part's last one in the batch moves its pledge head on chain in the same transaction (DECISIONS 117), so a
 * lender's auditor can tell a stale receipt bundle from the chain alone. Read from the sealed events only, so a
 * re-built call is the same bytes.
 */
async function anchorCallData(db: Sql, chain: ChainContext, b: BatchRow): Promise<string> {
  const { rows } = await db.query<{ part_key: Uint8Array; seq: string | number; step: number }>(
    `SELECT DISTINCT ON (part_key) part_key, seq, step FROM ledger_events
      WHERE seq BETWEEN $1 AND $2 AND step = ANY($3::smallint[]) ORDER BY part_key, seq DESC`,
    [b.firstSeq, b.lastSeq, PLEDGE_STEPS],
  );
  const iface = chain.anchorRegistry.interface;
  if (!rows.length) return iface.encodeFunctionData("anchor", [b.id, b.root, b.eventCount]);
  return iface.encodeFunctionData("anchorWithPledgeHeads", [
    b.id,
    b.root,
    b.eventCount,
    rows.map((r) => toHex(new Uint8Array(r.part_key))),
    rows.map((r) => BigInt(r.seq)),
    rows.map((r) => r.step),
  ]);
}

class InjectedFault extends Error {}
export const injectedFault = (point: string) => new InjectedFault(`injected fault at ${point}`);
const isFault = (e: unknown) => e instanceof InjectedFault;
