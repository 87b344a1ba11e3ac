import type { Sql } from "../../../../ledger-service/src/index.js";
import type { CompensationRule } from "./compensation.js";
import type { ReturnReason, ReturnStatus, SwapKind } from "./return-states.js";
import type { UnitCustody } from "./unit-check.js";

export interface ReturnRow {
  id: string;
  orderId: string;
  lineNo: number;
  skuId: number;
  buyerId: string;
  requesterId: string;
  sellerId: string;
  locationId: string;
  gtin: string | null;
  serial: string | null;
  quantity: number;
  authorisedQuantity: number | null;
  unitPriceFen: number;
  reason: ReturnReason;
  status: ReturnStatus;
  decision: "manual" | "auto_approved";
  inspection: string | null;
  resolution: string | null;
  custody: "none" | "ledger" | "off_ledger";
  receivedSerial: string | null;
  swapEvidence: Record<string, unknown> | null;
  restocked: number;
  carrier: string | null;
  trackingNo: string | null;
  note: string | null;
  authoriseDue: string;
  refundDue: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLS = `r.id, r.order_id AS "orderId", r.line_no AS "lineNo", r.sku_id::int AS "skuId", r.buyer_id AS "buyerId",
  r.requester_id AS "requesterId", r.seller_id AS "sellerId", r.location_id AS "locationId", r.gtin, r.serial, r.quantity,
  r.authorised_quantity AS "authorisedQuantity", r.unit_price_fen::int AS "unitPriceFen", r.reason, r.status, r.decision,
  r.inspection, r.resolution, r.custody, r.received_serial AS "receivedSerial", r.swap_evidence AS "swapEvidence", r.restocked,
  r.carrier, r.tracking_no AS "trackingNo", r.note, r.authorise_due AS "authoriseDue", r.refund_due AS "refundDue",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const RULE_COLS = `owner_id AS "ownerId", enabled, reasons, warranty_days AS "warrantyDays", require_proven_unit AS "requireProvenUnit",
  max_installed_days AS "maxInstalledDays", max_buyer_swaps AS "maxBuyerSwaps", max_buyer_refunds_30d AS "maxBuyerRefunds30d",
  max_refund_fen::int AS "maxRefundFen", monthly_limit_fen::int AS "monthlyLimitFen"`;

export interface ReturnPhoto {
  id: string;
  companyId: string;
  media: string;
  bytes: number;
  at: string;
}

/** Changes a status change may carry (column → value). */
export type ReturnPatch = Partial<{
  authorised_quantity: number;
  decision: "auto_approved";
  inspection: string;
  resolution: string;
  custody: "ledger" | "off_ledger";
  received_serial: string;
  swap_evidence: Record<string, unknown>;
  restocked: number;
  carrier: string;
  tracking_no: string;
  refund_due: string;
}>;

/** The only SQL on returns, their history, swap attempts, compensation rules and refunds (and the ledger reads they need). */
export const returnsRepository = {
  async insert(
    tx: Sql,
    r: Omit<
      ReturnRow,
      | "authorisedQuantity"
      | "decision"
      | "inspection"
      | "resolution"
      | "custody"
      | "receivedSerial"
      | "swapEvidence"
      | "restocked"
      | "carrier"
      | "trackingNo"
      | "refundDue"
      | "createdAt"
      | "updatedAt"
      | "status"
    >,
    actor: string,
  ) {
    await tx.query(
      `INSERT INTO returns (id, order_id, line_no, sku_id, buyer_id, requester_id, seller_id, location_id, gtin, serial, quantity,
         unit_price_fen, reason, status, note, authorise_due)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'requested', $14, $15)`,
      [
        r.id,
        r.orderId,
        r.lineNo,
        r.skuId,
        r.buyerId,
        r.requesterId,
        r.sellerId,
        r.locationId,
        r.gtin,
        r.serial,
        r.quantity,
        r.unitPriceFen,
        r.reason,
        r.note,
        r.authoriseDue,
      ],
    );
    await tx.query(
      "INSERT INTO return_events (return_id, from_status, to_status, actor, note) VALUES ($1, NULL, 'requested', $2, $3)",
      [r.id, actor, r.note],
    );
  },

  async get(db: Sql, id: string, lock = false): Promise<ReturnRow | null> {
    const { rows } = await db.query<ReturnRow>(
      `SELECT ${COLS} FROM returns r WHERE r.id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async setStatus(
    tx: Sql,
    id: string,
    from: ReturnStatus,
    to: ReturnStatus,
    actor: string,
    note: string | null,
    patch: ReturnPatch,
  ) {
    const cols = Object.keys(patch) as Array<keyof ReturnPatch>;
    const sets = cols.map((c, i) => `${c} = $${i + 3}`);
    await tx.query(
      `UPDATE returns SET status = $2, updated_at = now()${sets.map((s) => `, ${s}`).join("")} WHERE id = $1`,
      [id, to, ...cols.map((c) => (c === "swap_evidence" ? JSON.stringify(patch[c]) : patch[c]))],
    );
    await tx.query(
      "INSERT INTO return_events (return_id, from_status, to_status, actor, note) VALUES ($1, $2, $3, $4, $5)",
      [id, from, to, actor, note],
    );
  },

  async events(db: Sql, id: string) {
    const { rows } = await db.query<{
      from: string | null;
      to: string;
      actor: string;
      note: string | null;
      at: string;
    }>(
      'SELECT from_status AS "from", to_status AS "to", actor, note, at FROM return_events WHERE return_id = $1 ORDER BY id',
      [id],
    );
    return rows;
  },

  /** Returns I requested or sell, newest first; `overdue`: past their SLA (undecided, or received and not refunded). */
  async list(
    db: Sql,
    companyId: string,
    q: { status?: ReturnStatus | undefined; overdue: boolean; limit: number; orderId?: string | undefined },
  ) {
    const { rows } = await db.query<ReturnRow>(
      `SELECT ${COLS} FROM returns r WHERE (r.requester_id = $1 OR r.seller_id = $1)
          AND ($2::text IS NULL OR r.status = $2) AND ($5::text IS NULL OR r.order_id = $5)
          AND (NOT $3 OR (r.status = 'requested' AND r.authorise_due < now())
               OR (r.status IN ('received', 'inspected') AND r.refund_due < now() AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.return_id = r.id)))
        ORDER BY r.created_at DESC LIMIT $4`,
      [companyId, q.status ?? null, q.overdue, q.limit, q.orderId ?? null],
    );
    return rows;
  },

  /** Units of a line a seller served that are already in a return not refused (so a line cannot be returned twice over). */
  async returnedQuantity(db: Sql, orderId: string, lineNo: number, sellerId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT COALESCE(sum(COALESCE(authorised_quantity, quantity)), 0)::int AS n FROM returns
        WHERE order_id = $1 AND line_no = $2 AND seller_id = $3 AND status <> 'refused' AND NOT (status = 'closed' AND resolution IS NULL)`,
      [orderId, lineNo, sellerId],
    );
    return rows[0]!.n;
  },

  /** Serialises return requests on one order line (a transaction-scoped advisory lock). */
  async lockLine(tx: Sql, orderId: string, lineNo: number) {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`return:${orderId}:${lineNo}`]);
  },

  async insertSwap(
    tx: Sql,
    s: {
      id: string;
      orderId: string;
      returnId: string | null;
      sellerId: string;
      requesterId: string;
      gtin: string;
      serial: string;
      kind: SwapKind;
      evidence: Record<string, unknown>;
    },
  ) {
    await tx.query(
      `INSERT INTO return_swaps (id, order_id, return_id, seller_id, requester_id, gtin, serial, kind, evidence)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.orderId, s.returnId, s.sellerId, s.requesterId, s.gtin, s.serial, s.kind, JSON.stringify(s.evidence)],
    );
  },

  /** Swap attempts against a seller (or all, for the platform: `sellerId` null), newest first. */
  async swaps(db: Sql, sellerId: string | null, limit: number) {
    const { rows } = await db.query(
      `SELECT id, order_id AS "orderId", return_id AS "returnId", seller_id AS "sellerId", requester_id AS "requesterId", gtin, serial,
              kind, evidence, at FROM return_swaps WHERE $1::text IS NULL OR seller_id = $1 ORDER BY at DESC, id LIMIT $2`,
      [sellerId, limit],
    );
    return rows as Array<Record<string, unknown>>;
  },

  /** The ledger's record of a serial: its head (holder company, stage) and events with their companies. */
  async custody(db: Sql, gtin: string, serial: string): Promise<Omit<UnitCustody, "sales">> {
    const head = await db.query<{ holderId: string | null; stage: number; partKey: Buffer }>(
      `SELECT a.id AS "holderId", p.stage, p.part_key AS "partKey" FROM ledger_parts p LEFT JOIN ledger_actors a ON a.address = p.holder
        WHERE p.gtin = $1 AND p.serial = $2`,
      [gtin, serial],
    );
    const h = head.rows[0];
    if (!h) return { head: null, events: [] };
    const { rows } = await db.query<{ seq: number; step: number; companyId: string | null; at: string }>(
      `SELECT e.seq::int AS seq, e.step, a.id AS "companyId", e.recorded_at AS at FROM ledger_events e
         LEFT JOIN ledger_actors a ON a.address = e.actor WHERE e.part_key = $1 ORDER BY e.seq`,
      [h.partKey],
    );
    return { head: { holderId: h.holderId, stage: h.stage }, events: rows };
  },

  async rule(db: Sql, ownerId: string): Promise<CompensationRule | null> {
    const { rows } = await db.query<CompensationRule>(
      `SELECT ${RULE_COLS} FROM compensation_rules WHERE owner_id = $1`,
      [ownerId],
    );
    return rows[0] ?? null;
  },

  async upsertRule(tx: Sql, r: CompensationRule, by: string) {
    await tx.query(
      `INSERT INTO compensation_rules (owner_id, enabled, reasons, warranty_days, require_proven_unit, max_installed_days, max_buyer_swaps,
         max_buyer_refunds_30d, max_refund_fen, monthly_limit_fen, updated_by)
       VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (owner_id) DO UPDATE SET enabled = EXCLUDED.enabled, reasons = EXCLUDED.reasons, warranty_days = EXCLUDED.warranty_days,
         require_proven_unit = EXCLUDED.require_proven_unit, max_installed_days = EXCLUDED.max_installed_days,
         max_buyer_swaps = EXCLUDED.max_buyer_swaps, max_buyer_refunds_30d = EXCLUDED.max_buyer_refunds_30d,
         max_refund_fen = EXCLUDED.max_refund_fen, monthly_limit_fen = EXCLUDED.monthly_limit_fen, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [
        r.ownerId,
        r.enabled,
        r.reasons,
        r.warrantyDays,
        r.requireProvenUnit,
        r.maxInstalledDays,
        r.maxBuyerSwaps,
        r.maxBuyerRefunds30d,
        r.maxRefundFen,
        r.monthlyLimitFen,
        by,
      ],
    );
  },

  /** The requester's history and the seller's month so far, for the compensation rules. */
  async history(db: Sql, requesterId: string, sellerId: string) {
    const { rows } = await db.query<{ swaps: number; refunds30d: number; monthFen: number }>(
      `SELECT (SELECT count(*)::int FROM return_swaps WHERE requester_id = $1 AND at > now() - interval '365 days') AS swaps,
              (SELECT count(*)::int FROM refunds WHERE payee_id = $1 AND created_at > now() - interval '30 days') AS "refunds30d",
              (SELECT COALESCE(sum(amount_fen), 0)::bigint::int FROM refunds WHERE seller_id = $2
                 AND created_at >= date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS "monthFen"`,
      [requesterId, sellerId],
    );
    return rows[0]!;
  },

  /** Credits a refund; false when the return already has one (a retry, or the automatic one): no money moves twice. */
  async insertRefund(
    tx: Sql,
    f: {
      id: string;
      returnId: string;
      sellerId: string;
      payeeId: string;
      amountFen: number;
      kind: "auto" | "manual" | "dispute";
      evidence: unknown;
    },
  ): Promise<boolean> {
    const settles = f.kind === "dispute" ? "dispute" : "return";
    const { rows } = await tx.query(
      `INSERT INTO refunds (id, return_id, seller_id, payee_id, amount_fen, kind, evidence, settles)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (return_id, settles) DO NOTHING RETURNING id`,
      [f.id, f.returnId, f.sellerId, f.payeeId, f.amountFen, f.kind, JSON.stringify(f.evidence), settles],
    );
    return rows.length > 0;
  },

  /** The refund a dispute over the return settled (null: none). */
  async disputeRefundOf(db: Sql, returnId: string) {
    const { rows } = await db.query<{ id: string; amountFen: number }>(
      `SELECT id, amount_fen::int AS "amountFen" FROM refunds WHERE return_id = $1 AND settles = 'dispute'`,
      [returnId],
    );
    return rows[0] ?? null;
  },

  async insertPhoto(
    tx: Sql,
    f: { id: string; returnId: string; companyId: string; media: string; bytes: number; sha256: string; file: string },
    by: string,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO return_photos (id, return_id, company_id, media, bytes, sha256, file, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (return_id, sha256) DO NOTHING RETURNING id`,
      [f.id, f.returnId, f.companyId, f.media, f.bytes, f.sha256, f.file, by],
    );
    return rows.length > 0;
  },

  async photos(db: Sql, returnId: string) {
    const { rows } = await db.query<ReturnPhoto & { file: string; sha256: string }>(
      `SELECT id, company_id AS "companyId", media, bytes, sha256, file, at FROM return_photos WHERE return_id = $1
        ORDER BY at, id`,
      [returnId],
    );
    return rows;
  },

  /** Serialises photo uploads on one return (their count is limited). */
  async lockReturn(tx: Sql, id: string) {
    await tx.query("SELECT id FROM returns WHERE id = $1 FOR UPDATE", [id]);
  },

  async refundOf(db: Sql, returnId: string) {
    const { rows } = await db.query<{ id: string; amountFen: number; kind: string; createdAt: string }>(
      `SELECT id, amount_fen::int AS "amountFen", kind, created_at AS "createdAt" FROM refunds
        WHERE return_id = $1 AND settles = 'return'`,
      [returnId],
    );
    return rows[0] ?? null;
  },
};
