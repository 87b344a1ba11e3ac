import type { Sql } from "../db/sql.js";
import { toHex, type Hex } from "../events/bytes.js";

export interface BatchRow {
  id: number;
  firstSeq: number;
  lastSeq: number;
  eventCount: number;
  root: Hex;
  /** The leaf version the batch's tree was built with (1 before leaf v2, 2 since). */
  leafVersion: number;
  status: "sealed" | "submitted" | "confirmed" | "final";
  txHash: Hex | null;
  rawTx: Hex | null;
  txNonce: number | null;
  blockNumber: number | null;
  blockHash: Hex | null;
  attempts: number;
  lastError: string | null;
}

const COLUMNS =
  "id, first_seq, last_seq, event_count, root, status, tx_hash, raw_tx, tx_nonce, block_number, block_hash, " +
  "attempts, last_error, leaf_version";

function toRow(r: Record<string, unknown>): BatchRow {
  return {
    id: r.id as number,
    firstSeq: r.first_seq as number,
    lastSeq: r.last_seq as number,
    eventCount: r.event_count as number,
    root: toHex(new Uint8Array(r.root as Uint8Array)),
    leafVersion: r.leaf_version as number,
    status: r.status as BatchRow["status"],
    txHash: r.tx_hash as Hex | null,
    rawTx: r.raw_tx as Hex | null,
    txNonce: r.tx_nonce as number | null,
    blockNumber: r.block_number as number | null,
    blockHash: r.block_hash as Hex | null,
    attempts: r.attempts as number,
    lastError: r.last_error as string | null,
  };
}

/** The anchoring state of batches. Each transition is one guarded UPDATE, so a repeat is harmless. */
export const batchStore = {
  async unfinished(db: Sql): Promise<BatchRow[]> {
    const { rows } = await db.query(`SELECT ${COLUMNS} FROM ledger_batches WHERE status <> 'final' ORDER BY id`);
    return rows.map(toRow);
  },
  async all(db: Sql, fromId = 1, toId = Number.MAX_SAFE_INTEGER): Promise<BatchRow[]> {
    const { rows } = await db.query(`SELECT ${COLUMNS} FROM ledger_batches WHERE id BETWEEN $1 AND $2 ORDER BY id`, [fromId, toId]);
    return rows.map(toRow);
  },
  async byId(db: Sql, id: number): Promise<BatchRow | null> {
    const { rows } = await db.query(`SELECT ${COLUMNS} FROM ledger_batches WHERE id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  },
  async markSubmitted(db: Sql, id: number, txHash: string, rawTx: string | null, nonce: number | null): Promise<void> {
    await db.query(
      `UPDATE ledger_batches SET status = 'submitted', tx_hash = $2, raw_tx = $3, tx_nonce = $4, block_number = NULL, block_hash = NULL,
              attempts = attempts + 1, updated_at = now() WHERE id = $1 AND status IN ('sealed', 'submitted', 'confirmed')`,
      [id, txHash, rawTx, nonce],
    );
  },
  async markConfirmed(db: Sql, id: number, blockNumber: number, blockHash: string): Promise<void> {
    await db.query(
      "UPDATE ledger_batches SET status = 'confirmed', block_number = $2, block_hash = $3, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'submitted'",
      [id, blockNumber, blockHash],
    );
  },
  async markFinal(db: Sql, id: number): Promise<void> {
    await db.query("UPDATE ledger_batches SET status = 'final', updated_at = now() WHERE id = $1 AND status = 'confirmed'", [id]);
  },
  async resetToSealed(db: Sql, id: number, reason: string): Promise<void> {
    await db.query(
      `UPDATE ledger_batches SET status = 'sealed', tx_hash = NULL, raw_tx = NULL, tx_nonce = NULL, last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'submitted'`,
      [id, reason],
    );
  },
};
