import type { Sql } from "../db/sql.js";
import { toHex } from "../events/bytes.js";
import { CURRENT_LEAF_VERSION, batchLeafOf } from "../events/canonical.js";
import { PLEDGE_STEPS } from "../lifecycle/transitions.js";
import { buildTree } from "../merkle/tree.js";

export interface SealerOptions {
  db: Sql;
  /** A batch is sealed as soon as this many events wait… */
  maxEvents: number;
  /** …or when the oldest waiting event is this old (milliseconds). */
  maxAgeMs: number;
  /**
   * At most this many pledges and releases in one batch (default MAX_PLEDGE_STEPS_PER_BATCH): each moves a pledge
   * head on chain in the batch's anchoring transaction (DECISIONS 117), which must fit in a block.
   */
  maxPledgeSteps?: number;
  /** Leaf version of new batches (default: CURRENT_LEAF_VERSION). 1 only reproduces a ledger sealed before leaf v2. */
  leafVersion?: number;
}

export interface SealedBatch {
  id: number;
  firstSeq: number;
  lastSeq: number;
  eventCount: number;
  root: string;
  leafVersion: number;
}

/** About 26,000 gas per pledge head written (a new slot and its log): 400 keep an anchoring call near 11 M gas. */
export const MAX_PLEDGE_STEPS_PER_BATCH = 400;

/**
 * Cuts the event log into batches: contiguous seq ranges, each with its Merkle tree stored whole so that proofs
 * are a few slices of it. Sealing is separate from accepting events and from anchoring; it never changes an event.
 * Leaves are computed here, where each event's seq and batch id are known (leaf v2 binds both), so appending
 * does no leaf work at all.
 */
export class Sealer {
  constructor(private readonly opts: SealerOptions) {}

  /** Seals every batch that is due; returns them in order. Concurrent sealers cannot both seal the same range. */
  async sealDue(): Promise<SealedBatch[]> {
    const sealed: SealedBatch[] = [];
    for (;;) {
      const batch = await this.sealOne();
      if (!batch) return sealed;
      sealed.push(batch);
    }
  }

  private async sealOne(): Promise<SealedBatch | null> {
    return this.opts.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(727275)");
      const { rows } = await tx.query<{ head: number; sealed: number; next_id: number; oldest_age_ms: number | null }>(
        `SELECT h.last_seq AS head,
                COALESCE((SELECT max(last_seq) FROM ledger_batches), 0) AS sealed,
                COALESCE((SELECT max(id) FROM ledger_batches), 0) + 1 AS next_id,
                (SELECT (extract(epoch FROM now() - recorded_at) * 1000)::float8 FROM ledger_events
                  WHERE seq = COALESCE((SELECT max(last_seq) FROM ledger_batches), 0) + 1) AS oldest_age_ms
           FROM ledger_head h WHERE h.id = 1`,
      );
      const { head, sealed, next_id: id, oldest_age_ms: age } = rows[0]!;
      const waiting = head - sealed;
      if (waiting <= 0) return null;
      const firstSeq = sealed + 1;
      let count = Math.min(waiting, this.opts.maxEvents);
      // The first pledge step over the cap starts the next batch; a batch full of pledge steps is due at once.
      const over = await tx.query<{ seq: string | number }>(
        `SELECT seq FROM ledger_events WHERE seq BETWEEN $1 AND $2 AND step = ANY($3::smallint[])
          ORDER BY seq OFFSET $4 LIMIT 1`,
        [firstSeq, firstSeq + count - 1, PLEDGE_STEPS, this.opts.maxPledgeSteps ?? MAX_PLEDGE_STEPS_PER_BATCH],
      );
      if (over.rows[0]) count = Number(over.rows[0].seq) - firstSeq;
      else if (waiting < this.opts.maxEvents && (age === null || age < this.opts.maxAgeMs)) return null;
      const lastSeq = sealed + count;
      const hashes = await tx.query<{ struct_hash: Uint8Array }>(
        "SELECT struct_hash FROM ledger_events WHERE seq BETWEEN $1 AND $2 ORDER BY seq",
        [firstSeq, lastSeq],
      );
      if (hashes.rows.length !== count)
        throw new Error(`ledger gap: expected ${count} events in ${firstSeq}..${lastSeq}, found ${hashes.rows.length}`);
      const version = this.opts.leafVersion ?? CURRENT_LEAF_VERSION;
      const leaves = hashes.rows.map((r, i) => batchLeafOf(version, new Uint8Array(r.struct_hash), firstSeq + i, id));
      const { root, flat } = buildTree(leaves);
      await tx.query(
        `INSERT INTO ledger_batches (id, first_seq, last_seq, event_count, root, tree, status, leaf_version)
         VALUES ($1, $2, $3, $4, decode($5, 'hex'), decode($6, 'hex'), 'sealed', $7)`,
        [id, firstSeq, lastSeq, count, Buffer.from(root).toString("hex"), Buffer.from(flat).toString("hex"), version],
      );
      return { id, firstSeq, lastSeq, eventCount: count, root: toHex(root), leafVersion: version };
    });
  }
}
