import type { Sql } from "../db/sql.js";

/** One thing that is behind: what, how much, since when (UTC), and the threshold it passed. */
export interface HealthReason {
  /** Stable dotted code: ANCHORING.LAG, LIFECYCLE.FAILING, LIFECYCLE.LAG, AUDIT.CHECKPOINT_LAG, WEBHOOKS.LAG,
   * CHAIN.DOWN. */
  code: string;
  component: "anchoring" | "lifecycle" | "audit" | "webhooks" | "chain";
  message: string;
  behind: Record<string, unknown>;
  since: string;
  lagSeconds: number;
  thresholdSeconds?: number;
  lastError?: string;
  lastErrorAt?: string;
}

export interface LedgerHealthThresholds {
  /** Events not in a final batch for longer than this make anchoring "behind". */
  anchorLagMs: number;
  /** An unfinished PartRegistry write older than this makes lifecycle writes "behind". */
  lifecycleLagMs: number;
  /** The audit trail's head not checkpointed for longer than this. */
  checkpointLagMs: number;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * What the provenance ledger has not finished, and since when: events not yet in a final batch, on-chain lifecycle
 * writes pending or failing, and audit entries not yet checkpointed onto the ledger. A few indexed reads, no RPC.
 */
export async function ledgerHealth(db: Sql, t: LedgerHealthThresholds, now = Date.now()) {
  const reasons: HealthReason[] = [];
  const lag = (since: Date | string) => Math.max(0, now - new Date(since).getTime());

  // Batches become final in id order, so the events not final are exactly those after the last final batch.
  const a = (
    await db.query<{
      events: number;
      final_to: number;
      sealed_to: number;
      unfinal: number;
      since: Date | null;
      oldest_id: number | null;
      oldest_status: string | null;
      oldest_error: string | null;
    }>(
      `SELECT h.last_seq::int AS events,
              COALESCE((SELECT max(last_seq) FROM ledger_batches WHERE status = 'final'), 0)::int AS final_to,
              COALESCE((SELECT max(last_seq) FROM ledger_batches), 0)::int AS sealed_to,
              (SELECT count(*)::int FROM ledger_batches WHERE status <> 'final') AS unfinal,
              (SELECT recorded_at FROM ledger_events
                WHERE seq = COALESCE((SELECT max(last_seq) FROM ledger_batches WHERE status = 'final'), 0) + 1)
              AS since,
              b.id::int AS oldest_id, b.status AS oldest_status, b.last_error AS oldest_error
         FROM ledger_head h
         LEFT JOIN LATERAL (SELECT id, status, last_error FROM ledger_batches WHERE status <> 'final'
                             ORDER BY id LIMIT 1) b ON true`,
    )
  ).rows[0]!;
  const anchoring = {
    events: a.events,
    notFinal: a.events - a.final_to,
    unsealed: a.events - a.sealed_to,
    batchesNotFinal: a.unfinal,
    oldestBatch: a.oldest_id === null ? null : { id: a.oldest_id, status: a.oldest_status },
    since: a.since ? iso(a.since) : null,
  };
  if (a.since && lag(a.since) > t.anchorLagMs) {
    reasons.push({
      code: "ANCHORING.LAG",
      component: "anchoring",
      message:
        `${anchoring.notFinal} events are not anchored final (${anchoring.unsealed} not sealed, ` +
        `${a.unfinal} batches not final` +
        `${a.oldest_id === null ? "" : `, the oldest batch ${a.oldest_id} ${a.oldest_status}`})`,
      behind: {
        events: anchoring.notFinal,
        unsealedEvents: anchoring.unsealed,
        batches: a.unfinal,
        oldestBatch: anchoring.oldestBatch,
      },
      since: iso(a.since),
      lagSeconds: seconds(lag(a.since)),
      thresholdSeconds: seconds(t.anchorLagMs),
      ...(a.oldest_error ? { lastError: a.oldest_error } : {}),
    });
  }

  const w = (
    await db.query<{
      open: number;
      failing: number;
      oldest: Date | null;
      oldest_submission: number | null;
      failing_since: Date | null;
      last_error: string | null;
      last_error_at: Date | null;
    }>(
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS failing,
              min(created_at) AS oldest, min(submission_id)::int AS oldest_submission,
              min(created_at) FILTER (WHERE last_error IS NOT NULL) AS failing_since,
              (SELECT last_error FROM ledger_chain_writes WHERE status <> 'final' AND last_error IS NOT NULL
                ORDER BY last_error_at DESC LIMIT 1) AS last_error,
              max(last_error_at) AS last_error_at
         FROM ledger_chain_writes WHERE status <> 'final'`,
    )
  ).rows[0]!;
  const lifecycle = { open: w.open, failing: w.failing, since: w.oldest ? iso(w.oldest) : null };
  if (w.failing > 0) {
    reasons.push({
      code: "LIFECYCLE.FAILING",
      component: "lifecycle",
      message: `${w.failing} of ${w.open} unfinished PartRegistry writes are failing: ${w.last_error}`,
      behind: { writes: w.open, failing: w.failing, oldestSubmission: w.oldest_submission },
      since: iso(w.failing_since!),
      lagSeconds: seconds(lag(w.failing_since!)),
      lastError: w.last_error!,
      lastErrorAt: iso(w.last_error_at!),
    });
  } else if (w.oldest && lag(w.oldest) > t.lifecycleLagMs) {
    reasons.push({
      code: "LIFECYCLE.LAG",
      component: "lifecycle",
      message:
        `${w.open} PartRegistry writes are not final, ` +
        `the oldest (submission ${w.oldest_submission}) waiting since ${iso(w.oldest)}`,
      behind: { writes: w.open, oldestSubmission: w.oldest_submission },
      since: iso(w.oldest),
      lagSeconds: seconds(lag(w.oldest)),
      thresholdSeconds: seconds(t.lifecycleLagMs),
    });
  }

  // Entries after the last checkpointed seq (chained) and entries accepted but not yet chained.
  const c = (
    await db.query<{ head: number; done: number; first_at: Date | null; pending: number; pending_at: Date | null }>(
      `SELECT h.last_seq::int AS head, COALESCE((SELECT max(audit_seq) FROM audit_checkpoints), 0)::int AS done,
              (SELECT at FROM audit_log
                WHERE seq = COALESCE((SELECT max(audit_seq) FROM audit_checkpoints), 0) + 1) AS first_at,
              (SELECT count(*)::int FROM audit_pending) AS pending, (SELECT min(at) FROM audit_pending) AS pending_at
         FROM audit_head h WHERE h.id = 1`,
    )
  ).rows[0]!;
  const starts = [c.first_at, c.pending_at].filter((d): d is Date => d !== null).map((d) => new Date(d).getTime());
  const auditSince = starts.length ? new Date(Math.min(...starts)) : null;
  const audit = {
    entries: c.head,
    checkpointedTo: c.done,
    notCheckpointed: c.head - c.done + c.pending,
    since: auditSince ? iso(auditSince) : null,
  };
  if (auditSince && lag(auditSince) > t.checkpointLagMs) {
    reasons.push({
      code: "AUDIT.CHECKPOINT_LAG",
      component: "audit",
      message: `${audit.notCheckpointed} audit entries after entry ${c.done} are not checkpointed on the ledger`,
      behind: { entries: audit.notCheckpointed, lastCheckpointedEntry: c.done },
      since: iso(auditSince),
      lagSeconds: seconds(lag(auditSince)),
      thresholdSeconds: seconds(t.checkpointLagMs),
    });
  }
  return { reasons, anchoring, lifecycle, audit };
}
