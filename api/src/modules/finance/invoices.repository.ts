import type { Sql } from "../../../../ledger-service/src/index.js";

/** Where an invoice comes from (DECISIONS 114): a delivered order, or a service settlement (the service, the commission). */
export type InvoiceSource = "order" | "service" | "commission";

export interface InvoiceRow {
  id: string;
  source: InvoiceSource;
  orderId: string | null;
  settlementId: string | null;
  /** null: the platform (its commission invoices); a principal without a company is the platform too. */
  sellerId: string | null;
  buyerId: string;
  einvoiceNo: string | null;
  totalFen: number;
  taxRateBp: number;
  taxFen: number;
  netFen: number;
  paidFen: number;
  issueDate: string;
  dueDate: string;
  terms: string;
}

const COLS = `id, source, order_id AS "orderId", settlement_id AS "settlementId", seller_id AS "sellerId", buyer_id AS "buyerId", einvoice_no AS "einvoiceNo", total_fen::float8 AS "totalFen",
  tax_rate_bp AS "taxRateBp", tax_fen::float8 AS "taxFen", net_fen::float8 AS "netFen", paid_fen::float8 AS "paidFen",
  to_char(issue_date, 'YYYY-MM-DD') AS "issueDate", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", terms`;

/**
 * The condition on `invoices` for one party's side, its company id bound as $1: the platform (null) is the seller of
 * its commission invoices and the buyer of none.
 */
function partyOf(companyId: string | null, side: "receivable" | "payable", t = ""): string {
  if (companyId !== null) return `${t}${side === "receivable" ? "seller_id" : "buyer_id"} = $1`;
  return side === "receivable" ? `${t}seller_id IS NULL AND $1::text IS NULL` : "false AND $1::text IS NULL";
}

/** The only SQL on payment terms, invoices and payments. */
export const invoicesRepository = {
  async setTerms(
    tx: Sql,
    t: { sellerId: string; buyerId: string; kind: string; days: number; creditLimitFen: number | null; by: string },
  ) {
    await tx.query(
      `INSERT INTO payment_terms (seller_id, buyer_id, kind, days, credit_limit_fen, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (seller_id, buyer_id) DO UPDATE SET kind = $3, days = $4, credit_limit_fen = $5, updated_by = $6, updated_at = now()`,
      [t.sellerId, t.buyerId, t.kind, t.days, t.creditLimitFen, t.by],
    );
  },

  /**
   * The credit terms (月结 with a limit) a buyer has with these sellers, locked (`FOR UPDATE`, seller order) so that
   * concurrent orders of one buyer with one seller serialize (DECISIONS 112). One query on the terms' primary key.
   */
  async lockCreditTerms(tx: Sql, buyerId: string, sellerIds: string[]) {
    const { rows } = await tx.query<{ sellerId: string; limitFen: number }>(
      `SELECT seller_id AS "sellerId", credit_limit_fen::float8 AS "limitFen" FROM payment_terms
        WHERE buyer_id = $1 AND seller_id = ANY($2::text[]) AND kind = 'net' AND credit_limit_fen IS NOT NULL
        ORDER BY seller_id FOR UPDATE`,
      [buyerId, sellerIds],
    );
    return rows;
  },

  /**
   * What a buyer owes each of these sellers: open invoices (total − paid) plus the seller's allocations on the
   * buyer's orders in flight (placed … delivered; the partial index orders_buyer_in_flight) not yet invoiced by it. A statement of its own after the terms' lock, so under
   * READ COMMITTED it sees every order committed by whoever held that lock before.
   */
  async exposure(tx: Sql, buyerId: string, sellerIds: string[]): Promise<Map<string, number>> {
    const { rows } = await tx.query<{ sellerId: string; fen: number }>(
      `SELECT s AS "sellerId",
              (COALESCE((SELECT sum(i.total_fen - i.paid_fen) FROM invoices i
                          WHERE i.seller_id = s AND i.buyer_id = $1 AND i.paid_fen < i.total_fen), 0)
             + COALESCE((SELECT sum(a.price_fen * a.quantity) FROM order_allocations a JOIN orders o ON o.id = a.order_id
                          WHERE a.seller_id = s AND o.buyer_id = $1
                            AND o.status IN ('placed', 'allocated', 'partially_fulfilled', 'picking', 'shipped', 'delivered')
                            AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id AND i.seller_id = s)), 0)
              )::float8 AS fen
         FROM unnest($2::text[]) AS s`,
      [buyerId, sellerIds],
    );
    return new Map(rows.map((r) => [r.sellerId, r.fen]));
  },

  /** A seller's terms (one customer, or all), with what each customer owes it. */
  async terms(db: Sql, sellerId: string, buyerId: string | null) {
    const { rows } = await db.query<{
      sellerId: string;
      buyerId: string;
      kind: "cash" | "net";
      days: number;
      creditLimitFen: number | null;
      outstandingFen: number;
    }>(
      `SELECT t.seller_id AS "sellerId", t.buyer_id AS "buyerId", t.kind, t.days, t.credit_limit_fen::float8 AS "creditLimitFen",
              COALESCE((SELECT sum(i.total_fen - i.paid_fen) FROM invoices i WHERE i.seller_id = t.seller_id AND i.buyer_id = t.buyer_id), 0)::float8 AS "outstandingFen"
         FROM payment_terms t WHERE t.seller_id = $1 AND ($2::text IS NULL OR t.buyer_id = $2) ORDER BY t.buyer_id`,
      [sellerId, buyerId],
    );
    return rows;
  },

  /**
   * Inserts an invoice and its lines; false (and nothing written) when its order already has this seller's invoice or
   * its settlement already has an invoice of this source (the unique constraints, DECISIONS 77 and 114).
   */
  async insert(
    tx: Sql,
    i: Omit<InvoiceRow, "paidFen" | "issueDate" | "dueDate"> & { days: number; issuedBy: string },
    lines: ReadonlyArray<{ skuId: number | null; description?: string; quantity: number; unitPriceFen: number }>,
  ): Promise<boolean> {
    const { rows } = await tx.query(
      `INSERT INTO invoices (id, order_id, seller_id, buyer_id, einvoice_no, total_fen, tax_rate_bp, tax_fen, net_fen, issue_date, due_date, terms, issued_by, source, settlement_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (now() AT TIME ZONE 'Asia/Shanghai')::date, (now() AT TIME ZONE 'Asia/Shanghai')::date + $10::int, $11, $12, $13, $14)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [
        i.id,
        i.orderId,
        i.sellerId,
        i.buyerId,
        i.einvoiceNo,
        i.totalFen,
        i.taxRateBp,
        i.taxFen,
        i.netFen,
        i.days,
        i.terms,
        i.issuedBy,
        i.source,
        i.settlementId,
      ],
    );
    if (!rows.length) return false;
    await tx.query(
      `INSERT INTO invoice_lines (invoice_id, line_no, sku_id, description, quantity, unit_price_fen, amount_fen)
       SELECT $1, n, s, d, q, p, q::bigint * p
         FROM unnest($2::int[], $3::bigint[], $4::text[], $5::int[], $6::bigint[]) AS k(n, s, d, q, p)`,
      [
        i.id,
        lines.map((_, n) => n + 1),
        lines.map((l) => l.skuId),
        lines.map((l) => l.description ?? null),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPriceFen),
      ],
    );
    return true;
  },

  /** A seller's invoice for an order (one at most), or null. */
  async ofOrder(db: Sql, orderId: string, sellerId: string): Promise<InvoiceRow | null> {
    const { rows } = await db.query<InvoiceRow>(`SELECT ${COLS} FROM invoices WHERE order_id = $1 AND seller_id = $2`, [
      orderId,
      sellerId,
    ]);
    return rows[0] ?? null;
  },

  async get(db: Sql, id: string, lock = false): Promise<InvoiceRow | null> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${COLS} FROM invoices WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },

  /** The invoices a service settlement produced (its service invoice and its commission invoice). */
  async ofSettlement(db: Sql, settlementId: string): Promise<InvoiceRow[]> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${COLS} FROM invoices WHERE settlement_id = $1 ORDER BY source DESC`,
      [settlementId],
    );
    return rows;
  },

  async lines(db: Sql, id: string) {
    const { rows } = await db.query<{
      lineNo: number;
      skuId: number | null;
      description: string | null;
      quantity: number;
      unitPriceFen: number;
      amountFen: number;
    }>(
      `SELECT line_no AS "lineNo", sku_id::int AS "skuId", description, quantity, unit_price_fen::float8 AS "unitPriceFen", amount_fen::float8 AS "amountFen"
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY line_no`,
      [id],
    );
    return rows;
  },

  async payments(db: Sql, id: string) {
    const { rows } = await db.query<{ id: string; amountFen: number; bankRef: string; paidOn: string }>(
      `SELECT id, amount_fen::float8 AS "amountFen", bank_ref AS "bankRef", to_char(paid_on, 'YYYY-MM-DD') AS "paidOn"
         FROM invoice_payments WHERE invoice_id = $1 ORDER BY created_at, id`,
      [id],
    );
    return rows;
  },

  /** Records a payment and raises the invoice's paid amount; false when the bank reference was already recorded. */
  async pay(
    tx: Sql,
    p: { id: string; invoiceId: string; amountFen: number; bankRef: string; paidOn: string | null; by: string },
  ) {
    const { rows } = await tx.query(
      `INSERT INTO invoice_payments (id, invoice_id, amount_fen, bank_ref, paid_on, recorded_by)
       VALUES ($1, $2, $3, $4, COALESCE($5::date, (now() AT TIME ZONE 'Asia/Shanghai')::date), $6)
       ON CONFLICT (invoice_id, bank_ref) DO NOTHING RETURNING 1`,
      [p.id, p.invoiceId, p.amountFen, p.bankRef, p.paidOn, p.by],
    );
    if (!rows.length) return false;
    await tx.query("UPDATE invoices SET paid_fen = paid_fen + $2 WHERE id = $1", [p.invoiceId, p.amountFen]);
    return true;
  },

  /**
   * A company's invoices on one side, or the platform's (`companyId` null: the commission invoices it issued; it
   * receives none). `counterparty` narrows to one company, or "platform" — a statement with that party.
   */
  async list(
    db: Sql,
    companyId: string | null,
    side: "receivable" | "payable",
    open: boolean | null,
    limit: number,
    counterparty: string | null = null,
  ) {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${COLS} FROM invoices WHERE ${partyOf(companyId, side)}
          AND ($2::boolean IS NULL OR (paid_fen < total_fen) = $2)
          AND ($4::text IS NULL OR COALESCE(${side === "receivable" ? "buyer_id" : "seller_id"}, 'platform') = $4)
        ORDER BY created_at DESC, id LIMIT $3`,
      [companyId, open, limit, counterparty],
    );
    return rows;
  },

  /**
   * What was open on `asOf` (Asia/Shanghai date; default today) — invoices issued by then, less payments made by then —
   * with its days past due on that date.
   */
  async open(db: Sql, companyId: string | null, side: "receivable" | "payable", asOf: string | null) {
    const other = side === "receivable" ? "buyer_id" : "seller_id";
    const { rows } = await db.query<{ counterparty: string; outstandingFen: number; daysPastDue: number }>(
      `WITH d AS (SELECT COALESCE($2::date, (now() AT TIME ZONE 'Asia/Shanghai')::date) AS as_of)
       SELECT COALESCE(i.${other}, 'platform') AS counterparty, (i.total_fen - COALESCE((SELECT sum(p.amount_fen) FROM invoice_payments p WHERE p.invoice_id = i.id AND p.paid_on <= d.as_of), 0))::float8 AS "outstandingFen",
              (d.as_of - i.due_date)::int AS "daysPastDue"
         FROM invoices i, d WHERE ${partyOf(companyId, side, "i.")} AND i.issue_date <= d.as_of`,
      [companyId, asOf],
    );
    return rows.filter((r) => r.outstandingFen > 0);
  },

  /** Of what `buyerId` owed on invoices now due, how much it paid by each due date (a payment counts up to the total). */
  async punctuality(db: Sql, buyerId: string): Promise<{ dueFen: number; paidOnTimeFen: number }> {
    const { rows } = await db.query<{ dueFen: number; paidOnTimeFen: number }>(
      `SELECT COALESCE(sum(i.total_fen), 0)::float8 AS "dueFen",
              COALESCE(sum(LEAST(i.total_fen, (SELECT COALESCE(sum(p.amount_fen), 0) FROM invoice_payments p WHERE p.invoice_id = i.id AND p.paid_on <= i.due_date))), 0)::float8 AS "paidOnTimeFen"
         FROM invoices i WHERE i.buyer_id = $1 AND i.due_date < (now() AT TIME ZONE 'Asia/Shanghai')::date`,
      [buyerId],
    );
    return rows[0]!;
  },

  async today(db: Sql): Promise<string> {
    const { rows } = await db.query<{ d: string }>(
      "SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS d",
    );
    return rows[0]!.d;
  },
};
