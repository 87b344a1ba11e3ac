import type { Sql } from "../../../ledger-service/src/index.js";

export interface LedgerFigures {
  accepted: number;
  sealed: number;
  anchored: number;
  anchoringLagSeconds: number;
  batches: Record<string, number>;
  lifecycleOpen: number;
  lifecycleLagSeconds: number;
  webhookBacklog: number;
  webhookLagSeconds: number;
  auditPending: number;
}

/**
 * The figures Prometheus reads, each an indexed look-up or a scan of a small table (batches hold thousands of
 * events each; open lifecycle writes and pending deliveries through their partial indexes). One statement a scrape.
 */
export async function ledgerFigures(db: Sql): Promise<LedgerFigures> {
  const { rows } = await db.query<{
    accepted: number;
    sealed: number;
    anchored: number;
    lag: number;
    batches: Record<string, number> | null;
    lc_open: number;
    lc_lag: number;
    wh_backlog: number;
    wh_lag: number;
    audit_pending: number;
  }>(
    `WITH head AS (SELECT last_seq FROM ledger_head WHERE id = 1),
          b AS (SELECT COALESCE(max(last_seq), 0) AS sealed,
                       COALESCE(max(last_seq) FILTER (WHERE status = 'final'), 0) AS anchored FROM ledger_batches),
          lc AS (SELECT count(*)::int AS n, min(submission_id) AS oldest FROM ledger_chain_writes WHERE status <> 'final'),
          wh AS (SELECT count(*)::int AS n, min(next_attempt_at) AS oldest FROM webhook_deliveries WHERE status = 'pending')
     SELECT head.last_seq::float8 AS accepted, b.sealed::float8 AS sealed, b.anchored::float8 AS anchored,
            COALESCE((SELECT extract(epoch FROM now() - recorded_at) FROM ledger_events WHERE seq = b.anchored + 1), 0)::float8 AS lag,
            (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM ledger_batches GROUP BY status) s) AS batches,
            lc.n AS lc_open,
            COALESCE((SELECT extract(epoch FROM now() - recorded_at) FROM ledger_submissions WHERE id = lc.oldest), 0)::float8 AS lc_lag,
            wh.n AS wh_backlog, GREATEST(COALESCE(extract(epoch FROM now() - wh.oldest), 0), 0)::float8 AS wh_lag,
            (SELECT count(*)::int FROM audit_pending) AS audit_pending
       FROM head, b, lc, wh`,
  );
  const r = rows[0]!;
  return {
    accepted: r.accepted,
    sealed: r.sealed,
    anchored: r.anchored,
    anchoringLagSeconds: r.lag,
    batches: r.batches ?? {},
    lifecycleOpen: r.lc_open,
    lifecycleLagSeconds: r.lc_lag,
    webhookBacklog: r.wh_backlog,
    webhookLagSeconds: r.wh_lag,
    auditPending: r.audit_pending,
  };
}
