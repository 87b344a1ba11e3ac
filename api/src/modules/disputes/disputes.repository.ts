import type { Sql } from "../../../../ledger-service/src/index.js";
import type { DisputeSide, DisputeStatus, Outcome } from "./dispute-states.js";

export interface DisputeRow {
  id: string;
  returnId: string;
  requesterId: string;
  sellerId: string;
  status: DisputeStatus;
  reason: string;
  claimFen: number;
  maxFen: number;
  arbiter: string | null;
  proposal: { outcome: Outcome; amountFen: number; note: string | null; by: string } | null;
  approvalId: string | null;
  outcome: Outcome | null;
  outcomeFen: number | null;
  refundId: string | null;
  createdAt: string;
  updatedAt: string;
  settledAt: string | null;
}

const COLS = `id, return_id AS "returnId", requester_id AS "requesterId", seller_id AS "sellerId", status, reason,
  claim_fen::int AS "claimFen", max_fen::int AS "maxFen", arbiter, proposal, approval_id AS "approvalId", outcome,
  outcome_fen::int AS "outcomeFen", refund_id AS "refundId", created_at AS "createdAt", updated_at AS "updatedAt",
  settled_at AS "settledAt"`;

export type DisputePatch = Partial<{
  arbiter: string;
  proposal: DisputeRow["proposal"];
  approval_id: string | null;
  outcome: Outcome;
  outcome_fen: number;
  refund_id: string | null;
  settled_at: string;
}>;

/** The only SQL on disputes and their events. */
export const disputesRepository = {
  async insert(
    tx: Sql,
    d: Pick<DisputeRow, "id" | "returnId" | "requesterId" | "sellerId" | "reason" | "claimFen" | "maxFen">,
    actor: string,
  ) {
    await tx.query(
      `INSERT INTO disputes (id, return_id, requester_id, seller_id, status, reason, claim_fen, max_fen, opened_by)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8)`,
      [d.id, d.returnId, d.requesterId, d.sellerId, d.reason, d.claimFen, d.maxFen, actor],
    );
    await this.event(tx, d.id, { kind: "status", from: null, to: "open", side: "requester", actor, body: d.reason });
  },

  async get(db: Sql, id: string, lock = false): Promise<DisputeRow | null> {
    const { rows } = await db.query<DisputeRow>(
      `SELECT ${COLS} FROM disputes WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async byReturn(db: Sql, returnId: string): Promise<DisputeRow | null> {
    const { rows } = await db.query<DisputeRow>(`SELECT ${COLS} FROM disputes WHERE return_id = $1`, [returnId]);
    return rows[0] ?? null;
  },

  /** A company's disputes (either side), or every dispute (the platform: `companyId` null), newest first. */
  async list(db: Sql, companyId: string | null, q: { status?: DisputeStatus | undefined; limit: number }) {
    const { rows } = await db.query<DisputeRow>(
      `SELECT ${COLS} FROM disputes
        WHERE ($1::text IS NULL OR requester_id = $1 OR seller_id = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY created_at DESC, id LIMIT $3`,
      [companyId, q.status ?? null, q.limit],
    );
    return rows;
  },

  async setStatus(
    tx: Sql,
    id: string,
    from: DisputeStatus,
    to: DisputeStatus,
    side: DisputeSide,
    actor: string,
    note: string | null,
    patch: DisputePatch,
  ) {
    const cols = Object.keys(patch) as Array<keyof DisputePatch>;
    const sets = cols.map((c, i) => `, ${c} = $${i + 3}`).join("");
    await tx.query(`UPDATE disputes SET status = $2, updated_at = now()${sets} WHERE id = $1`, [
      id,
      to,
      ...cols.map((c) => (c === "proposal" ? JSON.stringify(patch[c]) : patch[c])),
    ]);
    await this.event(tx, id, { kind: "status", from, to, side, actor, body: note });
  },

  async event(
    tx: Sql,
    id: string,
    e: {
      kind: "status" | "message";
      from?: string | null;
      to?: string | null;
      side: DisputeSide;
      actor: string;
      body: string | null;
    },
  ) {
    await tx.query(
      `INSERT INTO dispute_events (dispute_id, kind, from_status, to_status, side, actor, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, e.kind, e.from ?? null, e.to ?? null, e.side, e.actor, e.body],
    );
  },

  async events(db: Sql, id: string) {
    const { rows } = await db.query<{
      kind: "status" | "message";
      from: string | null;
      to: string | null;
      side: DisputeSide;
      actor: string;
      body: string | null;
      at: string;
    }>(
      `SELECT kind, from_status AS "from", to_status AS "to", side, actor, body, at FROM dispute_events
        WHERE dispute_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  },
};
