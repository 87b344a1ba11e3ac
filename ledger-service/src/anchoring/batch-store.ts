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
    const { rows } = await db.query(`SELECT ${COLUMNS} FROM ledger_batches WHERE id BETWEEN $1 AND $2 ORDER BY id`, [
      fromId,
      toId,
    ]);
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
    await db.query(
      "UPDATE ledger_batches SET status = 'final', updated_at = now() WHERE id = $1 AND status = 'confirmed'",
      [id],
    );
  },
  /** Confirmed or final batches anchored in a block at or after `fromBlock` (the reorg watch). */
  async anchoredSince(db: Sql, fromBlock: number): Promise<BatchRow[]> {
    const { rows } = await db.query(
      `SELECT ${COLUMNS} FROM ledger_batches WHERE status IN ('confirmed', 'final') AND block_number >= $1 ORDER BY id`,
      [fromBlock],
    );
    return rows.map(toRow);
  },
  /** The highest id whose anchor the ledger holds as mined (confirmed or final); 0 if none. */
  async lastAnchoredId(db: Sql): Promise<number> {
    const { rows } = await db.query<{ id: number | null }>(
      "SELECT max(id)::int AS id FROM ledger_batches WHERE status IN ('confirmed', 'final')",
    );
    return rows[0]?.id ?? 0;
  },
  /**
   * A chain reorganisation took away a confirmed or final anchor: back to `submitted` with the same stored
   * transaction, which the worker re-sends as the same bytes, finds mined elsewhere, or replaces if its nonce was
   * taken (DECISIONS "Reorgs"). `reason` stays in last_error until the batch is confirmed again.
   */
  async reopen(db: Sql, id: number, reason: string): Promise<boolean> {
    const { rows } = await db.query(
      `UPDATE ledger_batches SET status = 'submitted', block_number = NULL, block_hash = NULL, last_error = $2,
              updated_at = now() WHERE id = $1 AND status IN ('confirmed', 'final') RETURNING id`,
      [id, reason],
    );
    return rows.length > 0;
  },
  async resetToSealed(db: Sql, id: number, reason: string): Promise<void> {
    await db.query(
      `UPDATE ledger_batches SET status = 'sealed', tx_hash = NULL, raw_tx = NULL, tx_nonce = NULL, last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'submitted'`,
      [id, reason],
    );
  },
};
