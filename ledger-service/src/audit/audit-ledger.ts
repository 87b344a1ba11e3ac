import type { Sql } from "../db/sql.js";
import { ZERO32, toHex, type Hex } from "../events/bytes.js";
import { batchLeafOf, structHashOf } from "../events/canonical.js";
import { canonicalOf } from "../events/epcis.js";
import { recoverSubmitter } from "../events/signing.js";
import { Stage, isLegalTransition } from "../lifecycle/transitions.js";
import { merkleRoot } from "../merkle/tree.js";
import { batchStore } from "../anchoring/batch-store.js";
import { ledgerStore } from "../ledger/ledger-store.js";
import type { Contract } from "ethers";
import type { AuditReport } from "./verify-bundle.js";

export interface LedgerAuditOptions {
  db: Sql;
  anchorRegistry: Contract;
  chainId: number;
  log?: (line: string) => void;
}

/**
 * `npm run audit -- --all`: recomputes every event's hash from its stored fields, every batch root from those,
 * and compares each root with the one anchored on chain; also re-checks submission signatures, hash chains and
 * stage order across the whole ledger. The first disagreement is reported with its event and batch.
 */
export async function auditLedger(opts: LedgerAuditOptions): Promise<AuditReport> {
  const { db } = opts;
  const batches = await batchStore.all(db);
  const lines: string[] = [];
  const heads = new Map<string, { hash: Hex; stage: Stage }>();
  const signatures = new Map<number, boolean>();
  let checked = 0;
  const failed = (seq: number | null, batchId: number | null, reason: string): AuditReport => ({
    ok: false,
    eventsChecked: checked,
    parts: heads.size,
    batches: batches.length,
    lines,
    failure: { seq, batchId, reason },
  });
  for (const b of batches) {
    const events = await ledgerStore.eventsInRange(db, b.firstSeq, b.lastSeq);
    const treeLeaves = await db.query<{ leaves: Uint8Array }>(
      "SELECT substring(tree from 1 for $2) AS leaves FROM ledger_batches WHERE id = $1",
      [b.id, b.eventCount * 32],
    );
    const sealedLeaves = new Uint8Array(treeLeaves.rows[0]!.leaves);
    if (events.length !== b.eventCount) {
      const have = new Set(events.map((e) => e.seq));
      let missing = b.firstSeq;
      while (have.has(missing)) missing++;
      return failed(
        missing,
        b.id,
        `batch ${b.id} was sealed with ${b.eventCount} events, the ledger now holds ${events.length}: event ${missing} is missing`,
      );
    }
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const f = e.fields;
      const c = canonicalOf(f);
      const structHash = structHashOf(c);
      const leaf = batchLeafOf(b.leafVersion, structHash, e.seq, b.id);
      const sealed = toHex(sealedLeaves.subarray(i * 32, i * 32 + 32));
      if (toHex(leaf) !== sealed || toHex(structHash) !== e.structHash) {
        return failed(
          e.seq,
          b.id,
          `event ${e.seq} in batch ${b.id} was altered: its stored fields hash to leaf ${toHex(leaf)}, the batch was sealed with ${sealed}`,
        );
      }
      if (!signatures.has(e.submissionId)) {
        const { rows } = await db.query<{
          actor: string;
          events_root: Uint8Array;
          event_count: number;
          signature: Uint8Array;
          hashes: Uint8Array[];
        }>(
          `SELECT s.actor, s.events_root, s.event_count, s.signature,
                  ARRAY(SELECT struct_hash FROM ledger_events WHERE submission_id = s.id ORDER BY submission_index) AS hashes
             FROM ledger_submissions s WHERE s.id = $1`,
          [e.submissionId],
        );
        const s = rows[0]!;
        const eventsRoot = toHex(new Uint8Array(s.events_root));
        const signer = recoverSubmitter(
          opts.chainId,
          { actor: s.actor as Hex, eventsRoot, eventCount: s.event_count },
          toHex(new Uint8Array(s.signature)),
        );
        const rebuilt = toHex(merkleRoot(s.hashes.map((h) => new Uint8Array(h))));
        signatures.set(
          e.submissionId,
          signer?.toLowerCase() === s.actor.toLowerCase() &&
            rebuilt === eventsRoot &&
            s.hashes.length === s.event_count,
        );
      }
      if (!signatures.get(e.submissionId))
        return failed(
          e.seq,
          b.id,
          `event ${e.seq}: submission ${e.submissionId}'s signature or events root does not verify`,
        );
      if (f.actor.toLowerCase() !== e.actor.toLowerCase())
        return failed(
          e.seq,
          b.id,
          `event ${e.seq}: actor column ${e.actor} disagrees with the signed actor ${f.actor}`,
        );
      const head = heads.get(c.partKey);
      const prev = head?.hash ?? toHex(ZERO32);
      if (f.prevHash !== prev)
        return failed(
          e.seq,
          b.id,
          `event ${e.seq} breaks ${f.gtin}/${f.serial}'s hash chain (points to ${f.prevHash}, previous is ${prev})`,
        );
      if (!isLegalTransition(head?.stage ?? Stage.None, f.step))
        return failed(e.seq, b.id, `event ${e.seq}: ${Stage[head?.stage ?? 0]} → ${Stage[f.step]} is not a legal move`);
      heads.set(c.partKey, { hash: toHex(structHash), stage: f.step });
      leaves.push(leaf);
      checked++;
    }
    const root = toHex(merkleRoot(leaves));
    if (root !== b.root)
      return failed(
        b.firstSeq,
        b.id,
        `batch ${b.id}: its events rebuild root ${root}, the ledger recorded ${b.root} (stored tree altered)`,
      );
    const last = Number(await opts.anchorRegistry.getFunction("lastBatchId")());
    if (b.id > last) {
      lines.push(`  … batch ${b.id} (${b.eventCount} events) consistent, not anchored yet (${b.status})`);
      continue;
    }
    const anchored = String((await opts.anchorRegistry.getFunction("anchorOf")(b.id)).root).toLowerCase();
    if (anchored !== root)
      return failed(
        b.firstSeq,
        b.id,
        `batch ${b.id}: recomputed root ${root} differs from the anchored root ${anchored}`,
      );
    lines.push(`  ✔ batch ${b.id}: ${b.eventCount} events, root ${root.slice(0, 18)}… matches chain`);
    opts.log?.(lines[lines.length - 1]!);
  }
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM ledger_events WHERE seq > COALESCE((SELECT max(last_seq) FROM ledger_batches), 0)",
  );
  if (rows[0]!.n > 0) lines.push(`  … ${rows[0]!.n} events not sealed yet (anchoring pending)`);
  // PartRegistry must follow the ledger for on-chain parts: a write that keeps failing leaves the chain behind, and
  // bundles of those parts would fail an outside auditor — the whole-ledger audit does not say ok then.
  const stuck = await db.query<{ submission_id: number; open: number; last_error: string; first_seq: number }>(
    `SELECT w.submission_id::int, count(*) OVER ()::int AS open, w.last_error,
            (SELECT min(seq)::int FROM ledger_events WHERE submission_id = w.submission_id) AS first_seq
       FROM ledger_chain_writes w WHERE w.status <> 'final' AND w.last_error IS NOT NULL
      ORDER BY w.submission_id LIMIT 1`,
  );
  const w = stuck.rows[0];
  if (w) {
    const reason =
      `${w.open} on-chain lifecycle writes are failing, PartRegistry is behind the ledger: ` +
      `submission ${w.submission_id} (event ${w.first_seq}): ${w.last_error}`;
    return failed(w.first_seq, null, reason);
  }
  const open = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM ledger_chain_writes WHERE status <> 'final'",
  );
  if (open.rows[0]!.n > 0) lines.push(`  … ${open.rows[0]!.n} on-chain lifecycle writes not final yet`);
  return { ok: true, eventsChecked: checked, parts: heads.size, batches: batches.length, lines, failure: null };
}
