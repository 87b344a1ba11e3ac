import type { Sql } from "../db/sql.js";
import { AppError } from "../errors.js";
import { toHex, type Hex } from "../events/bytes.js";
import { levelSizes, proofPositions } from "../merkle/tree.js";

export interface InclusionProof {
  seq: number;
  batchId: number;
  leafIndex: number;
  leafCount: number;
  /** 1: keccak256(keccak256(abi.encode(1, structHash))); 2: also binds seq and batchId (docs/verification.md). */
  leafVersion: number;
  leaf: Hex;
  root: Hex;
  proof: Hex[];
}

/**
 * The inclusion proof of event `seq` in its batch: two indexed lookups, reading only the ⌈log2 n⌉ sibling
 * slices of the stored tree (the tree column is stored uncompressed, so PostgreSQL reads just those pages).
 */
export async function inclusionProof(db: Sql, seq: number): Promise<InclusionProof> {
  type Row = { id: number; first_seq: number; event_count: number; root: Uint8Array; leaf_version: number };
  const { rows } = await db.query<Row>(
    `SELECT id, first_seq, event_count, root, leaf_version FROM ledger_batches
      WHERE last_seq >= $1 ORDER BY last_seq LIMIT 1`,
    [seq],
  );
  const batch = rows[0];
  if (!batch || batch.first_seq > seq) {
    throw new AppError("LEDGER.NOT_SEALED", `event ${seq} is not sealed into a batch yet (anchoring pending)`, 404, {
      seq,
    });
  }
  const index = seq - batch.first_seq;
  const positions = [index, ...proofPositions(batch.event_count, index)];
  const slices = positions.map((p, i) => `substring(tree from ${p * 32 + 1} for 32) AS n${i}`).join(", ");
  const nodes = await db.query<Record<string, Uint8Array>>(`SELECT ${slices} FROM ledger_batches WHERE id = $1`, [
    batch.id,
  ]);
  const row = nodes.rows[0]!;
  const hashes = positions.map((_, i) => toHex(new Uint8Array(row[`n${i}`]!)));
  return {
    seq,
    batchId: batch.id,
    leafIndex: index,
    leafCount: batch.event_count,
    leafVersion: batch.leaf_version,
    leaf: hashes[0]!,
    root: toHex(new Uint8Array(batch.root)),
    proof: hashes.slice(1),
  };
}

/** ⌈log2 n⌉: the most hashes a proof in a batch of n events can hold. */
export const maxProofLength = (n: number) => levelSizes(n).length - 1;
