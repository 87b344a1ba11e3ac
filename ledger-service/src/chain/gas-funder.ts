import { Transaction } from "ethers";
import type { Sql } from "../db/sql.js";
import { auditTrail } from "../audit/trail.js";
import type { ChainContext } from "./deployment.js";
import { broadcast, prepareTx, txState } from "./tx-sender.js";

export interface GasFunderOptions {
  db: Sql;
  /** A key short of its next write's cost is topped up to this many times that cost (GAS_TOPUP_WRITES). */
  topUpWrites: number;
  log?: (line: string) => void;
  /** Called once a top-up is stored and before it is sent; throwing there simulates a crash (tests). */
  fault?: (point: "after-store-topup") => void | Promise<void>;
}

interface TopUpRow {
  id: string;
  actor_id: string;
  tx_hash: string;
  raw_tx: string;
  tx_nonce: number;
}

/** What a signed transaction can cost its sender at most (gas limit × max fee, plus value). */
export function maxCostOf(rawTx: string): bigint {
  const tx = Transaction.from(rawTx);
  return tx.gasLimit * (tx.maxFeePerGas ?? tx.gasPrice ?? 0n) + tx.value;
}

/**
 * Keeps platform-kept company keys able to pay for their own PartRegistry writes (DECISIONS "The platform funds
 * company keys"): when a key holds less than its next write can cost, the platform signer sends it `topUpWrites`
 * times that cost. On a chain whose gas is free (price 0) nothing is ever sent. A top-up is signed, stored with an
 * audit entry in one transaction, and only then broadcast; a stored one is only ever re-sent as the same bytes.
 * The platform signer never has two transactions in flight: a top-up waits for a submitted anchoring and the
 * anchoring worker waits for a top-up (`inFlight`) — and, once a top-up had to wait for anchoring, lets it go first,
 * so that a steady stream of batches cannot starve the companies' writes.
 */
export class GasFunder {
  /** When a top-up found the signer busy with anchoring: anchoring holds back until it is sent (at most a minute). */
  private wantedAt: number | null = null;

  constructor(private readonly opts: GasFunderOptions) {}

  /** True while a top-up is sent and not yet mined, or waits for its turn (the platform signer's nonce is taken). */
  async inFlight(): Promise<boolean> {
    if (this.wantedAt !== null && Date.now() - this.wantedAt < 60_000) return true;
    const { rows } = await this.opts.db.query<{ any: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM ledger_gas_topups WHERE status = 'submitted') AS any",
    );
    return rows[0]!.any;
  }

  /**
   * True when `actor` can pay `need` wei now; otherwise moves its funding one step (a top-up sent, or one in flight
   * looked at) and answers false: try again on a later tick. Throws when the platform signer cannot pay.
   */
  async ensure(chain: ChainContext, actor: { id: string; address: string }, need: bigint): Promise<boolean> {
    this.wantedAt = null; // set again below only while a top-up waits for anchoring
    if (need === 0n) return true; // gas is free on this chain
    if (!(await this.settle(chain))) return false;
    const balance = await chain.provider.getBalance(actor.address);
    if (balance >= need) return true;
    // An anchoring transaction of the platform signer is in flight: its nonce is taken until it is mined.
    const anchoring = await this.opts.db.query<{ any: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM ledger_batches WHERE status = 'submitted') AS any",
    );
    if (anchoring.rows[0]!.any) {
      this.wantedAt = Date.now();
      return false;
    }
    const amount = need * BigInt(this.opts.topUpWrites) - balance;
    const tx = await prepareTx(chain.admin, chain.provider, actor.address, "0x", amount);
    const funds = await chain.provider.getBalance(chain.admin.address);
    if (funds < tx.maxCost) {
      throw new Error(
        `the platform signer ${chain.admin.address} holds ${funds} wei and cannot fund ` +
          `${actor.id}'s key ${actor.address} ` +
          `(a top-up of ${amount} wei, for writes costing up to ${need} wei each)`,
      );
    }
    await this.opts.db.transaction(async (t) => {
      await t.query(
        `INSERT INTO ledger_gas_topups (actor_id, address, need_wei, amount_wei, status, tx_hash, raw_tx, tx_nonce)
         VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7)`,
        [actor.id, actor.address, need.toString(), amount.toString(), tx.txHash, tx.rawTx, tx.nonce],
      );
      await auditTrail.append(t, {
        companyId: actor.id,
        actorType: "system",
        actorId: "gas-funder",
        action: "chain.gas_topup",
        resource: "ledger_actor",
        resourceId: actor.id,
        changes: {
          balanceWei: { before: balance.toString(), after: (balance + amount).toString() },
          txHash: { after: tx.txHash },
          from: { after: chain.admin.address },
        },
      });
    });
    this.opts.log?.(`gas top-up for ${actor.id} (${actor.address}): ${amount} wei in ${tx.txHash}`);
    await this.opts.fault?.("after-store-topup");
    await broadcast(chain.provider, tx.rawTx);
    return false;
  }

  /** Moves the top-up in flight, if any; true when none is left in flight. */
  private async settle(chain: ChainContext): Promise<boolean> {
    const { rows } = await this.opts.db.query<TopUpRow>(
      "SELECT id::text, actor_id, tx_hash, raw_tx, tx_nonce::int FROM ledger_gas_topups WHERE status = 'submitted'",
    );
    const t = rows[0];
    if (!t) return true;
    const state = await txState(chain.provider, t.tx_hash, chain.admin.address, t.tx_nonce);
    if (state.kind === "pending") return false;
    if (state.kind === "dropped") {
      await broadcast(chain.provider, t.raw_tx); // the same signed bytes: it can only ever be mined once
      return false;
    }
    const done = state.kind === "mined" && state.ok;
    await this.opts.db.query(
      `UPDATE ledger_gas_topups SET status = $2, block_number = $3, last_error = $4, updated_at = now()
        WHERE id = $1 AND status = 'submitted'`,
      [
        t.id,
        done ? "final" : "failed",
        state.kind === "mined" ? state.blockNumber : null,
        done ? null : `transaction ${state.kind === "mined" ? "reverted" : state.kind}`,
      ],
    );
    return true;
  }
}
