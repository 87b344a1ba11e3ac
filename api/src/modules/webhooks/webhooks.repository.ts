import type { Sql } from "../../../../ledger-service/src/index.js";

export interface SubscriptionRow {
  id: string;
  companyId: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

export interface DueDelivery {
  id: number;
  eventId: string;
  type: string;
  payload: unknown;
  createdAt: string;
  subscriptionId: string;
  url: string;
  secretCt: Buffer;
  attempts: number;
}

const SUB_COLS = `id, company_id AS "companyId", url, events, active, created_at AS "createdAt"`;

/** The only SQL on webhook subscriptions, the event outbox and deliveries. */
export const webhooksRepository = {
  async insertSubscription(
    tx: Sql,
    s: { id: string; companyId: string; url: string; events: string[]; secretCt: Buffer },
  ): Promise<SubscriptionRow> {
    const { rows } = await tx.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (id, company_id, url, events, secret_ct) VALUES ($1, $2, $3, $4, $5) RETURNING ${SUB_COLS}`,
      [s.id, s.companyId, s.url, s.events, s.secretCt],
    );
    return rows[0]!;
  },

  async subscription(db: Sql, id: string): Promise<SubscriptionRow | null> {
    const { rows } = await db.query<SubscriptionRow>(`SELECT ${SUB_COLS} FROM webhook_subscriptions WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  },

  async subscriptions(db: Sql, companyId: string): Promise<SubscriptionRow[]> {
    const { rows } = await db.query<SubscriptionRow>(
      `SELECT ${SUB_COLS} FROM webhook_subscriptions WHERE company_id = $1 AND active ORDER BY created_at`,
      [companyId],
    );
    return rows;
  },

  async deactivate(tx: Sql, id: string) {
    await tx.query("UPDATE webhook_subscriptions SET active = false WHERE id = $1", [id]);
    await tx.query(
      "UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription removed' WHERE subscription_id = $1 AND status = 'pending'",
      [id],
    );
  },

  /**
   * An event per company that subscribed to its type, and a pending delivery per matching subscription (nothing for
   * the others). Deferred (Sql.defer): sent with the transaction's other writes, so it commits or rolls back with them.
   */
  async emit(tx: Sql, events: Array<{ id: string; companyId: string; type: string; payload: unknown }>) {
    if (!events.length) return;
    await tx.defer(
      `WITH wh_new AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS u(id, company_id, type, payload)),
            wh_match AS (SELECT u.id AS event_id, s.id AS subscription_id FROM wh_new u JOIN webhook_subscriptions s ON s.company_id = u.company_id AND s.active
                   WHERE EXISTS (SELECT 1 FROM unnest(s.events) p WHERE p = '*' OR p = u.type OR (right(p, 2) = '.*' AND u.type LIKE left(p, -1) || '%'))),
            wh_events AS (INSERT INTO webhook_events (id, company_id, type, payload) SELECT * FROM wh_new u WHERE u.id IN (SELECT event_id FROM wh_match) RETURNING id)
       INSERT INTO webhook_deliveries (event_id, subscription_id, status) SELECT m.event_id, m.subscription_id, 'pending' FROM wh_match m JOIN wh_events e ON e.id = m.event_id`,
      [
        events.map((e) => e.id),
        events.map((e) => e.companyId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.payload)),
      ],
    );
  },

  /**
   * Claims up to `limit` due deliveries: each gets its attempt counted and its next try pushed out by `leaseMs`, in a
   * statement of its own (one round trip, atomic without a transaction: the dispatcher runs every second beside
   * the orders), so another worker (or this one after a crash) takes it again only when the lease ends.
   */
  async claimDue(db: Sql, limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const { rows } = await db.query<DueDelivery>(
      `WITH due AS (SELECT d.id FROM webhook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at <= now() ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
              up AS (UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + ($2::int * interval '1 millisecond') FROM due WHERE d.id = due.id RETURNING d.*)
         SELECT up.id::int AS id, e.id AS "eventId", e.type, e.payload, e.created_at AS "createdAt", s.id AS "subscriptionId", s.url, s.secret_ct AS "secretCt", up.attempts
           FROM up JOIN webhook_events e ON e.id = up.event_id JOIN webhook_subscriptions s ON s.id = up.subscription_id`,
      [limit, leaseMs],
    );
    return rows;
  },

  async delivered(db: Sql, id: number, status: number) {
    await db.query(
      "UPDATE webhook_deliveries SET status = 'delivered', last_status = $2, last_error = NULL, delivered_at = now() WHERE id = $1",
      [id, status],
    );
  },

  async retryLater(db: Sql, id: number, status: number | null, error: string, delayMs: number, giveUp: boolean) {
    await db.query(
      `UPDATE webhook_deliveries SET status = CASE WHEN $5 THEN 'failed' ELSE 'pending' END, last_status = $2, last_error = $3,
              next_attempt_at = now() + ($4::int * interval '1 millisecond') WHERE id = $1`,
      [id, status, error.slice(0, 300), delayMs, giveUp],
    );
  },

  async deliveries(db: Sql, subscriptionId: string, limit: number) {
    const { rows } = await db.query(
      `SELECT d.id::int AS id, d.event_id AS "eventId", e.type, d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt", d.last_status AS "lastStatus",
              d.last_error AS "lastError", d.delivered_at AS "deliveredAt", e.created_at AS "createdAt"
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.subscription_id = $1 ORDER BY d.id DESC LIMIT $2`,
      [subscriptionId, limit],
    );
    return rows;
  },

  /** Deliveries still to be made, the oldest one's event time, and the last error seen on one of them (health). */
  async backlog(db: Sql): Promise<{ pending: number; oldest: Date | null; lastError: string | null }> {
    const { rows } = await db.query<{ pending: number; oldest: Date | null; last_error: string | null }>(
      `SELECT count(*)::int AS pending, min(e.created_at) AS oldest,
              (SELECT d2.last_error FROM webhook_deliveries d2 WHERE d2.status = 'pending' AND d2.last_error IS NOT NULL
                ORDER BY d2.id LIMIT 1) AS last_error
         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.status = 'pending'`,
    );
    const r = rows[0]!;
    return { pending: r.pending, oldest: r.oldest, lastError: r.last_error };
  },
};
