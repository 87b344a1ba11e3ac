import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type AuditEntryInput, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { valueCollateral, type CollateralLine, type CollateralTerms, type CollateralValue } from "./collateral.js";

export interface MarginCall {
  id: string;
  valueFen: number;
  securedFen: number;
  ltvBp: number | null;
  maxLtvBp: number;
  openedAt: string;
}

export interface CollateralView extends CollateralValue {
  receiptId: string;
  borrowerId: string;
  lenderId: string;
  locationId: string;
  lines: CollateralLine[];
  terms: (CollateralTerms & { updatedAt: string }) | null;
  marginCallOpen: MarginCall | null;
}

type SystemContext = Pick<AuditEntryInput, "actorType" | "actorId">;
const SYSTEM: SystemContext = { actorType: "system", actorId: "collateral-monitor" };

/**
 * The lender's collateral monitor (issue 15; DECISIONS 110): each pledged warehouse receipt's locked units valued at
 * the pool price — the median of other companies' shared offers of the SKU, never the borrower's own — against the
 * amount the lender secured with it; a margin call opens when the loan-to-value passes the agreed ratio (webhook
 * `collateral.margin_call` to both sides, audited) and closes when the value is back, the terms change or the receipt
 * is released. Evaluated when anyone reads it and every few minutes (`start`).
 */
export class CollateralService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Sql,
    private readonly webhooks: WebhooksService,
  ) {}

  start(intervalMs: number) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.evaluate(SYSTEM).catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Pledged receipts I lend against or borrowed on (the platform: all), valued now. */
  async list(ctx: AuditContext, p: Principal): Promise<CollateralView[]> {
    await this.evaluate(ctx, p.companyId);
    return this.views(p.companyId, null);
  }

  /** One pledged receipt's valuation, for its lender, its borrower and the platform (others: 404). */
  async get(ctx: AuditContext, p: Principal, receiptId: string): Promise<CollateralView> {
    await this.sides(ctx, p, receiptId);
    await this.evaluate(ctx, null, [receiptId]);
    const [view] = await this.views(null, [receiptId]);
    if (!view)
      throw new AppError("COLLATERAL.NOT_PLEDGED", `receipt ${receiptId} is not pledged: nothing secures a loan`, 409);
    return view;
  }

  /** The lender agrees what the receipt secures and the largest loan-to-value it accepts; re-evaluated at once. */
  async setTerms(ctx: AuditContext, p: Principal, receiptId: string, terms: CollateralTerms): Promise<CollateralView> {
    const person = personOf(p, "set collateral terms");
    const r = await this.sides(ctx, p, receiptId);
    if (r.lenderId !== p.companyId || r.status !== "pledged")
      throw new AppError(
        r.status !== "pledged" ? "COLLATERAL.NOT_PLEDGED" : "COLLATERAL.NOT_LENDER",
        r.status !== "pledged"
          ? `receipt ${receiptId} is ${r.status}; terms are agreed on a pledged receipt`
          : `only the lender the receipt is pledged to sets its terms`,
        r.status !== "pledged" ? 409 : 403,
      );
    await this.db.transaction(async (tx) => {
      const before = await tx.query<{ securedFen: number; maxLtvBp: number }>(
        `SELECT secured_fen::bigint::float8 AS "securedFen", max_ltv_bp AS "maxLtvBp" FROM collateral_terms
          WHERE receipt_id = $1 FOR UPDATE`,
        [receiptId],
      );
      await tx.query(
        `INSERT INTO collateral_terms (receipt_id, lender_id, secured_fen, max_ltv_bp, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (receipt_id) DO UPDATE SET lender_id = $2, secured_fen = $3, max_ltv_bp = $4, updated_by = $5,
           updated_at = now()`,
        [receiptId, r.lenderId, terms.securedFen, terms.maxLtvBp, person],
      );
      // A call opened under the old terms is closed; the evaluation below opens one under the new terms if due.
      await tx.query(
        `UPDATE margin_calls SET closed_at = now(), closed_reason = 'terms_changed'
          WHERE receipt_id = $1 AND closed_at IS NULL`,
        [receiptId],
      );
      const old = before.rows[0];
      await auditTrail.append(tx, {
        ...ctx,
        companyId: r.lenderId,
        action: "collateral_terms.set",
        resource: "warehouse_receipt",
        resourceId: receiptId,
        changes: {
          securedFen: { before: old?.securedFen ?? null, after: terms.securedFen },
          maxLtvBp: { before: old?.maxLtvBp ?? null, after: terms.maxLtvBp },
        },
      });
    });
    await this.evaluate(ctx, null, [receiptId]);
    return (await this.views(null, [receiptId]))[0]!;
  }

  /**
   * Opens the margin calls now due and closes those no longer due, for the receipts of `companyId` (as lender or
   * borrower; null: all) or the named ones. Each change is its own transaction; the open-call index makes concurrent
   * evaluations open a call once. Answers the calls opened.
   */
  async evaluate(ctx: AuditContext | SystemContext, companyId: string | null = null, ids: string[] | null = null) {
    let opened = 0;
    // Calls of receipts no longer pledged (released, enforced) close as released.
    await this.db.query(
      `UPDATE margin_calls m SET closed_at = now(), closed_reason = 'released' FROM warehouse_receipts r
        WHERE r.id = m.receipt_id AND m.closed_at IS NULL AND r.status <> 'pledged'
          AND ($1::text IS NULL OR r.lender_id = $1 OR r.company_id = $1) AND ($2::text[] IS NULL OR r.id = ANY($2))`,
      [companyId, ids],
    );
    for (const v of await this.views(companyId, ids)) {
      if (!v.terms) continue;
      if (v.marginCall && !v.marginCallOpen) {
        const id = `mc_${randomBytes(8).toString("hex")}`;
        await this.db.transaction(async (tx) => {
          const { rows: made } = await tx.query(
            `INSERT INTO margin_calls
               (id, receipt_id, lender_id, borrower_id, value_fen, secured_fen, ltv_bp, max_ltv_bp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (receipt_id) WHERE closed_at IS NULL DO NOTHING
             RETURNING id`,
            [id, v.receiptId, v.lenderId, v.borrowerId, v.valueFen, v.terms!.securedFen, v.ltvBp, v.terms!.maxLtvBp],
          );
          if (!made.length) return;
          opened++;
          const payload = {
            marginCallId: id,
            receiptId: v.receiptId,
            valueFen: v.valueFen,
            securedFen: v.terms!.securedFen,
            ltvBp: v.ltvBp,
            maxLtvBp: v.terms!.maxLtvBp,
            requiredFen: v.requiredFen,
          };
          await this.webhooks.emit(tx, "collateral.margin_call", [v.lenderId, v.borrowerId], payload);
          await auditTrail.append(tx, {
            ...ctx,
            companyId: v.lenderId,
            action: "margin_call.open",
            resource: "warehouse_receipt",
            resourceId: v.receiptId,
            changes: { ltvBp: { after: v.ltvBp }, valueFen: { after: v.valueFen } },
          });
        });
      } else if (!v.marginCall && v.marginCallOpen) {
        await this.db.transaction(async (tx) => {
          const { rows: closed } = await tx.query(
            `UPDATE margin_calls SET closed_at = now(), closed_reason = 'cured' WHERE id = $1 AND closed_at IS NULL
             RETURNING id`,
            [v.marginCallOpen!.id],
          );
          if (!closed.length) return;
          await this.webhooks.emit(tx, "collateral.margin_call_cured", [v.lenderId, v.borrowerId], {
            marginCallId: v.marginCallOpen!.id,
            receiptId: v.receiptId,
            valueFen: v.valueFen,
            ltvBp: v.ltvBp,
          });
          await auditTrail.append(tx, {
            ...ctx,
            companyId: v.lenderId,
            action: "margin_call.close",
            resource: "warehouse_receipt",
            resourceId: v.receiptId,
            changes: { ltvBp: { before: v.marginCallOpen!.ltvBp, after: v.ltvBp } },
          });
        });
      }
    }
    return opened;
  }

  /** The margin calls of my receipts (as lender or borrower; the platform: all), newest first. */
  async calls(p: Principal, limit: number) {
    const { rows } = await this.db.query<
      MarginCall & { receiptId: string; lenderId: string; borrowerId: string; closedAt: string | null }
    >(
      `SELECT id, receipt_id AS "receiptId", lender_id AS "lenderId", borrower_id AS "borrowerId",
              value_fen::bigint::float8 AS "valueFen", secured_fen::bigint::float8 AS "securedFen", ltv_bp AS "ltvBp",
              max_ltv_bp AS "maxLtvBp", opened_at AS "openedAt", closed_at AS "closedAt",
              closed_reason AS "closedReason"
         FROM margin_calls WHERE $1::text IS NULL OR lender_id = $1 OR borrower_id = $1
        ORDER BY opened_at DESC, id LIMIT $2`,
      [p.companyId, limit],
    );
    return rows;
  }

  private async sides(ctx: AuditContext, p: Principal, receiptId: string) {
    const { rows } = await this.db.query<{ companyId: string; lenderId: string | null; status: string }>(
      `SELECT company_id AS "companyId", lender_id AS "lenderId", status FROM warehouse_receipts WHERE id = $1`,
      [receiptId],
    );
    const r = rows[0];
    if (!r) throw notFound("warehouse receipt", receiptId);
    if (p.companyId !== null && p.companyId !== r.companyId && p.companyId !== r.lenderId)
      await crossTenant(this.db, ctx, p, "warehouse_receipt", receiptId, r.companyId);
    return r;
  }

  private async views(companyId: string | null, ids: string[] | null): Promise<CollateralView[]> {
    const { rows } = await this.db.query<{
      receiptId: string;
      borrowerId: string;
      lenderId: string;
      locationId: string;
      skuId: number;
      quantity: number;
      unitPriceFen: number | null;
    }>(
      `SELECT r.id AS "receiptId", r.company_id AS "borrowerId", r.lender_id AS "lenderId",
              r.location_id AS "locationId",
              l.sku_id::int AS "skuId", l.quantity, pp.price::bigint::float8 AS "unitPriceFen"
         FROM warehouse_receipts r JOIN warehouse_receipt_lines l ON l.receipt_id = r.id
         LEFT JOIN LATERAL (
           SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY s.price_fen) AS price
             FROM stock s JOIN supplier_locations sl ON sl.id = s.location_id
            WHERE s.sku_id = l.sku_id AND s.shared AND sl.shared AND s.price_fen IS NOT NULL
              AND sl.company_id <> r.company_id) pp ON true
        WHERE r.status = 'pledged' AND ($1::text IS NULL OR r.lender_id = $1 OR r.company_id = $1)
          AND ($2::text[] IS NULL OR r.id = ANY($2))
        ORDER BY r.id, l.sku_id`,
      [companyId, ids],
    );
    const receiptIds = [...new Set(rows.map((r) => r.receiptId))];
    if (!receiptIds.length) return [];
    const terms = await this.db.query<CollateralTerms & { receiptId: string; updatedAt: string }>(
      `SELECT receipt_id AS "receiptId", secured_fen::bigint::float8 AS "securedFen", max_ltv_bp AS "maxLtvBp",
              updated_at AS "updatedAt" FROM collateral_terms WHERE receipt_id = ANY($1::text[])`,
      [receiptIds],
    );
    const open = await this.db.query<MarginCall & { receiptId: string }>(
      `SELECT id, receipt_id AS "receiptId", value_fen::bigint::float8 AS "valueFen",
              secured_fen::bigint::float8 AS "securedFen", ltv_bp AS "ltvBp", max_ltv_bp AS "maxLtvBp",
              opened_at AS "openedAt"
         FROM margin_calls WHERE receipt_id = ANY($1::text[]) AND closed_at IS NULL`,
      [receiptIds],
    );
    const termsOf = new Map(terms.rows.map((t) => [t.receiptId, t]));
    const openOf = new Map(open.rows.map((c) => [c.receiptId, c]));
    return receiptIds.map((id) => {
      const mine = rows.filter((r) => r.receiptId === id);
      const lines = mine.map((r) => ({ skuId: r.skuId, quantity: r.quantity, unitPriceFen: r.unitPriceFen }));
      const t = termsOf.get(id);
      const c = openOf.get(id);
      return {
        receiptId: id,
        borrowerId: mine[0]!.borrowerId,
        lenderId: mine[0]!.lenderId,
        locationId: mine[0]!.locationId,
        lines,
        ...valueCollateral(lines, t ? { securedFen: t.securedFen, maxLtvBp: t.maxLtvBp } : null),
        terms: t
          ? { securedFen: t.securedFen, maxLtvBp: t.maxLtvBp, updatedAt: new Date(t.updatedAt).toISOString() }
          : null,
        marginCallOpen: c
          ? {
              id: c.id,
              valueFen: c.valueFen,
              securedFen: c.securedFen,
              ltvBp: c.ltvBp,
              maxLtvBp: c.maxLtvBp,
              openedAt: new Date(c.openedAt).toISOString(),
            }
          : null,
      };
    });
  }
}
