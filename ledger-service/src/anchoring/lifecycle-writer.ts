import { Wallet } from "ethers";
import type { Sql } from "../db/sql.js";
import type { ChainContext } from "../chain/deployment.js";
import { broadcast, prepareTx, txState } from "../chain/tx-sender.js";
import { maxCostOf, type GasFunder } from "../chain/gas-funder.js";
import { toHex } from "../events/bytes.js";
import type { ActorDirectory } from "../ledger/actors.js";
import { logger } from "../log.js";

interface WriteRow {
  submission_id: number;
  actor: string;
  stage: number;
  part_keys: Uint8Array;
  status: "pending" | "submitted" | "final";
  tx_hash: string | null;
  raw_tx: string | null;
  tx_nonce: number | null;
}

/**
 * The on-chain lifecycle path: each submission of parts in "onchain" mode becomes one PartRegistry.advance
 * transaction sent from the acting company's own address (so the contract checks that company's role), in
 * submission order. Same crash discipline as anchoring: the signed transaction is stored before it is sent. A key
 * that cannot pay for its write is topped up by the platform first (GasFunder). A write that fails keeps its error
 * and when (`last_error`, `last_error_at`: the health endpoint reports them) and is tried again on the next tick.
 */
export class LifecycleWriter {
  constructor(
    private readonly db: Sql,
    private readonly actors: ActorDirectory,
    private readonly funder: GasFunder,
    private readonly log?: (line: string) => void,
  ) {}

  async open(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_chain_writes WHERE status <> 'final'",
    );
    return rows[0]!.n;
  }

  /** True while the platform signer has a top-up in flight (anchoring must not sign with the same nonce). */
  platformBusy(): Promise<boolean> {
    return this.funder.inFlight();
  }

  /** Moves the oldest unfinished write one step; returns after the first write that must wait. */
  async tick(chain: ChainContext): Promise<void> {
    const { rows } = await this.db.query<WriteRow>(
      `SELECT submission_id, actor, stage, part_keys, status, tx_hash, raw_tx, tx_nonce FROM ledger_chain_writes
        WHERE status <> 'final' ORDER BY submission_id LIMIT 20`,
    );
    for (const w of rows) {
      let moved: boolean;
      try {
        moved = await this.step(chain, w);
      } catch (e) {
        const message = ((e as Error).message ?? String(e)).split("\n")[0]!.slice(0, 500);
        await this.db.query(
          "UPDATE ledger_chain_writes SET last_error = $2, last_error_at = now() WHERE submission_id = $1",
          [w.submission_id, message],
        );
        this.log?.(`on-chain lifecycle write ${w.submission_id} failed: ${message}`);
        return;
      }
      if (!moved) return;
    }
  }

  private async step(chain: ChainContext, w: WriteRow): Promise<boolean> {
    const actor = (await this.actors.list()).find((a) => a.address.toLowerCase() === w.actor.toLowerCase());
    if (w.status === "submitted") {
      const state = await txState(chain.provider, w.tx_hash!, w.actor, w.tx_nonce!);
      if (state.kind === "mined" && state.ok) {
        await this.db.query(
          "UPDATE ledger_chain_writes SET status = 'final', block_number = $2 WHERE submission_id = $1",
          [w.submission_id, state.blockNumber],
        );
        logger("lifecycle").info(
          { submissionId: w.submission_id, tx: w.tx_hash },
          `lifecycle write ${w.submission_id}: final`,
        );
        return true;
      }
      if (state.kind === "pending") return false;
      if (state.kind === "dropped") {
        // The node refused or forgot it (e.g. its sender could not pay): fund the key, then the same bytes again.
        if (actor && !(await this.funder.ensure(chain, actor, maxCostOf(w.raw_tx!)))) return false;
        await broadcast(chain.provider, w.raw_tx!);
        return false;
      }
      await this.db.query(
        `UPDATE ledger_chain_writes SET status = 'pending', last_error = $2, last_error_at = now()
          WHERE submission_id = $1`,
        [w.submission_id, `tx ${w.tx_hash} ${state.kind}`],
      );
      return false;
    }
    const key = actor ? await this.actors.privateKeyFor(actor.id) : null;
    if (!actor || !key)
      throw new Error(`on-chain lifecycle write ${w.submission_id}: no platform-kept key for ${w.actor}`);
    const keys = Array.from({ length: w.part_keys.length / 32 }, (_, i) =>
      toHex(new Uint8Array(w.part_keys).subarray(i * 32, i * 32 + 32)),
    );
    const wallet = new Wallet(key, chain.provider);
    const data = chain.partRegistry.interface.encodeFunctionData("advance", [keys, w.stage]);
    let tx;
    try {
      tx = await prepareTx(wallet, chain.provider, chain.addresses.partRegistry, data);
    } catch (e) {
      // Reverts in estimation when the chain already holds this step (sent before a crash, receipt not recorded).
      const stage = Number(await chain.partRegistry.getFunction("stageOf")(keys[0]!));
      const holder = (await chain.partRegistry.getFunction("partOf")(keys[0]!)).holder as string;
      if (stage === w.stage && holder.toLowerCase() === w.actor.toLowerCase()) {
        await this.db.query("UPDATE ledger_chain_writes SET status = 'final' WHERE submission_id = $1", [
          w.submission_id,
        ]);
        return true;
      }
      await this.db.query("UPDATE ledger_chain_writes SET attempts = attempts + 1 WHERE submission_id = $1", [
        w.submission_id,
      ]);
      throw e;
    }
    // Signed but neither stored nor sent: if the key cannot pay, the signature is dropped and the key funded first.
    if (!(await this.funder.ensure(chain, actor, tx.maxCost))) return false;
    await this.db.query(
      `UPDATE ledger_chain_writes SET status = 'submitted', tx_hash = $2, raw_tx = $3, tx_nonce = $4,
              attempts = attempts + 1,
              last_error = NULL, last_error_at = NULL
        WHERE submission_id = $1 AND status = 'pending'`,
      [w.submission_id, tx.txHash, tx.rawTx, tx.nonce],
    );
    await broadcast(chain.provider, tx.rawTx);
    logger("lifecycle").info(
      { submissionId: w.submission_id, tx: tx.txHash },
      `lifecycle write ${w.submission_id}: submitted`,
    );
    return false;
  }
}
