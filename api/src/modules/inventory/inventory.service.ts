import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import type { CatalogSkus } from "../catalog/skus.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { inventoryRepository as repo, type MovementReason, type StockRow } from "./inventory.repository.js";
import type { TransfersService } from "./transfers.service.js";

/**
 * Stock per SKU per warehouse (the company's supplier locations): receipts, returns and adjustments by the owner,
 * reservations, releases and sales by orders — every change a movement in the same transaction. A company chooses
 * which warehouses and SKUs join the shared pool and at what price other companies buy from it.
 */
export class InventoryService {
  constructor(
    private readonly db: Sql,
    private readonly skus: CatalogSkus,
    private readonly webhooks: WebhooksService,
    private readonly transfers: TransfersService,
  ) {}

  /** Stock of these companies went down: look for shortages against reorder points soon (transfers.service.ts). */
  changed(companyIds: Iterable<string>) {
    this.transfers.touch(companyIds);
  }

  private async ownLocation(ctx: AuditContext, p: Principal, locationId: string) {
    const loc = await repo.location(this.db, locationId);
    if (!loc) throw notFound("warehouse", locationId);
    if (loc.companyId !== p.companyId) await crossTenant(this.db, ctx, p, "warehouse", locationId, loc.companyId);
    return loc;
  }

  private async knownSku(skuId: number) {
    if (!(await this.skus.exists(this.db, skuId)))
      throw new AppError("CATALOG.UNKNOWN_SKU", `skuId: no catalogue SKU ${skuId}`, 404, { field: "skuId" });
  }

  /**
   * A receipt or return adds to on hand; an adjustment changes it by a signed quantity (never below what is
   * reserved). With an Idempotency-Key a retry answers the first result and moves nothing again.
   */
  async record(
    ctx: AuditContext,
    p: Principal,
    m: {
      locationId: string;
      skuId: number;
      reason: "receipt" | "return" | "adjustment";
      quantity: number;
      ref?: string | undefined;
    },
    key?: string,
  ): Promise<Reply> {
    await this.ownLocation(ctx, p, m.locationId);
    await this.knownSku(m.skuId);
    if (m.reason !== "adjustment" && m.quantity <= 0)
      throw new AppError(
        "INVENTORY.INVALID_QUANTITY",
        `quantity: a ${m.reason} adds stock; give a positive quantity, got ${m.quantity}`,
        400,
        { field: "quantity" },
      );
    return idempotent(this.db, p.companyId!, "stock.movement", m, key, (within) =>
      this.db.transaction(async (tx) => {
        const row = await repo.move(tx, {
          locationId: m.locationId,
          skuId: m.skuId,
          onHand: m.quantity,
          reason: m.reason,
          ref: m.ref ?? null,
        });
        if (!row)
          throw new AppError(
            "INVENTORY.INSUFFICIENT_STOCK",
            `quantity: ${m.quantity} would take on hand below 0 or below what is reserved for orders`,
            409,
            { field: "quantity" },
          );
        await this.webhooks.emit(tx, "stock.changed", [p.companyId!], {
          ...row,
          reason: m.reason,
          quantity: m.quantity,
          ref: m.ref ?? null,
        });
        this.changed([p.companyId!]);
        await auditTrail.append(tx, {
          ...ctx,
          companyId: p.companyId,
          action: `stock.${m.reason}`,
          resource: "stock",
          resourceId: `${m.locationId}/${m.skuId}`,
          changes: { onHand: { before: row.onHand - m.quantity, after: row.onHand } },
        });
        const reply: Reply = { status: 201, body: row };
        await within(tx, reply);
        return reply;
      }),
    );
  }

  /**
   * The ERP/WMS sync: lines by the caller's own codes (warehouse code, brand + part number), each either setting on
   * hand to a count (`set`, a stocktake) or adding a signed quantity (`adjust`). Good lines apply and bad ones are
   * reported, line by line, in one transaction; the document id makes a retry answer the first result and change
   * nothing more.
   */
  async sync(
    ctx: AuditContext,
    p: Principal,
    doc: {
      documentId: string;
      mode: "set" | "adjust";
      lines: Array<{ warehouse: string; brand: string; partNo: string; quantity: number }>;
    },
  ): Promise<Reply> {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "stock belongs to a company", 409);
    const companyId = p.companyId;
    if (doc.mode === "set" && doc.lines.some((l) => l.quantity < 0)) {
      const i = doc.lines.findIndex((l) => l.quantity < 0);
      throw new AppError(
        "REQUEST.INVALID",
        `lines[${i}].quantity: a count to set cannot be negative, got ${doc.lines[i]!.quantity}`,
        400,
        { field: `lines[${i}].quantity` },
      );
    }
    return idempotent(this.db, companyId, "inventory.sync", doc, `doc:${doc.documentId}`, (within) =>
      this.db.transaction(async (tx) => {
        const locations = await repo.locationsByCode(tx, companyId, [...new Set(doc.lines.map((l) => l.warehouse))]);
        const skus = await this.skus.resolve(tx, doc.lines);
        const results: Array<{
          line: number;
          status: "ok" | "error";
          code?: string;
          message?: string;
          onHand?: number;
          available?: number;
        }> = [];
        for (const [i, l] of doc.lines.entries()) {
          const line = i + 1;
          const locationId = locations.get(l.warehouse);
          const skuId = skus.get(i);
          if (!locationId) {
            results.push({
              line,
              status: "error",
              code: "INVENTORY.UNKNOWN_WAREHOUSE",
              message: `warehouse ${JSON.stringify(l.warehouse)} is not one of your warehouse codes`,
            });
            continue;
          }
          if (skuId === undefined) {
            results.push({
              line,
              status: "error",
              code: "CATALOG.UNKNOWN_SKU",
              message: `no catalogue SKU ${l.brand} ${l.partNo}`,
            });
            continue;
          }
          const before = await repo.lockOne(tx, locationId, skuId);
          const delta = doc.mode === "set" ? l.quantity - before.onHand : l.quantity;
          if (delta === 0) {
            results.push({
              line,
              status: "ok",
              onHand: before.onHand,
              available: before.onHand - before.reserved - before.locked,
            });
            continue;
          }
          const row = await repo.move(tx, {
            locationId,
            skuId,
            onHand: delta,
            reason: "adjustment",
            ref: doc.documentId,
          });
          if (!row)
            results.push({
              line,
              status: "error",
              code: "INVENTORY.INSUFFICIENT_STOCK",
              message: `on hand ${before.onHand} ${delta < 0 ? "−" : "+"} ${Math.abs(delta)} would fall below 0 or below the ${before.reserved} reserved for orders and ${before.locked} locked by warehouse receipts`,
            });
          else results.push({ line, status: "ok", onHand: row.onHand, available: row.available });
        }
        const ok = results.filter((r) => r.status === "ok").length;
        const reply: Reply = {
          status: 200,
          body: { documentId: doc.documentId, mode: doc.mode, ok, errors: results.length - ok, lines: results },
        };
        this.changed([companyId]);
        await this.webhooks.emit(tx, "stock.synced", [companyId], {
          documentId: doc.documentId,
          mode: doc.mode,
          ok,
          errors: results.length - ok,
        });
        await within(tx, reply);
        await auditTrail.append(tx, {
          ...ctx,
          companyId,
          action: "stock.sync",
          resource: "stock_document",
          resourceId: doc.documentId,
          changes: { lines: { after: results.length }, ok: { after: ok } },
        });
        return reply;
      }),
    );
  }

  /** The ERP sync log: past sync documents and their per-line results (GET /inventory/sync). */
  async syncLog(p: Principal, limit: number) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "stock belongs to a company", 409);
    return repo.syncLog(this.db, p.companyId, limit);
  }

  async configure(
    ctx: AuditContext,
    p: Principal,
    c: {
      locationId: string;
      skuId: number;
      shared?: boolean | undefined;
      price?: number | null | undefined;
      reorderPoint?: number | undefined;
    },
  ): Promise<StockRow> {
    await this.ownLocation(ctx, p, c.locationId);
    await this.knownSku(c.skuId);
    const priceFen = c.price === undefined ? undefined : c.price === null ? null : Math.round(c.price * 100);
    if (c.shared && priceFen === null)
      throw new AppError("INVENTORY.PRICE_REQUIRED", "price: shared stock needs a price for other companies", 400, {
        field: "price",
      });
    return this.db.transaction(async (tx) => {
      const row = await repo.configure(tx, {
        locationId: c.locationId,
        skuId: c.skuId,
        shared: c.shared,
        priceFen,
        reorderPoint: c.reorderPoint,
      });
      if (row.shared && row.priceFen === null)
        throw new AppError("INVENTORY.PRICE_REQUIRED", "price: shared stock needs a price for other companies", 400, {
          field: "price",
        });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "stock.configure",
        resource: "stock",
        resourceId: `${c.locationId}/${c.skuId}`,
        changes: {
          shared: { after: row.shared },
          priceFen: { after: row.priceFen },
          reorderPoint: { after: row.reorderPoint },
        },
      });
      return row;
    });
  }

  async shareLocation(ctx: AuditContext, p: Principal, locationId: string, shared: boolean) {
    const loc = await this.ownLocation(ctx, p, locationId);
    await this.db.transaction(async (tx) => {
      await repo.setLocationShared(tx, locationId, shared);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "warehouse.share",
        resource: "warehouse",
        resourceId: locationId,
        changes: { shared: { before: loc.shared, after: shared } },
      });
    });
    return { id: locationId, shared };
  }

  stock(p: Principal, filter: { locationId?: string | undefined; skuId?: number | undefined }) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "stock belongs to a company", 409);
    return repo.stockOf(this.db, p.companyId, filter);
  }

  // For orders: the pool read with or without locks, and its reservation, release or sale.
  lockShared = (tx: Sql, skuIds: number[], buyerId: string) => repo.shared(tx, skuIds, buyerId, true);
  /** The shared stock of these SKUs a buyer may take, read without locks (reserve with reserveIfUnchanged). */
  shared = (skuIds: number[], buyerId: string) => repo.shared(this.db, skuIds, buyerId, false);
  /** Reserves what was read with `shared` or `lockShared` if it is still there (deferred; DeferredCheckFailed STOCK.CHANGED if not). */
  reserveIfUnchanged = (
    tx: Sql,
    allocations: ReadonlyArray<{ locationId: string; skuId: number; quantity: number; priceFen: number }>,
    orderId: string,
  ) => repo.reserveIfUnchanged(tx, allocations, orderId);
  /** Releases or sells an order's allocations in one statement; false (nothing may be kept) when any row refused. */
  async forOrder(
    tx: Sql,
    op: "release" | "sell",
    allocations: ReadonlyArray<{ locationId: string; skuId: number; quantity: number }>,
    orderId: string,
  ): Promise<boolean> {
    const rows = allocations.map((a) => ({
      locationId: a.locationId,
      skuId: a.skuId,
      onHand: op === "sell" ? -a.quantity : 0,
      reserved: -a.quantity,
    }));
    // Taken here in the same global order as placing an order takes them (lockShared), so no deadlock between the two.
    await repo.lockRows(tx, rows);
    return (await repo.moveMany(tx, rows, op === "release" ? "release" : "sale", orderId)) === rows.length;
  }

  /**
   * Puts returned units back on hand (reason `return`) in the caller's transaction (returns module: what came back
   * sellable). False when the warehouse row refused the change.
   */
  async restock(tx: Sql, m: { locationId: string; skuId: number; quantity: number; ref: string; companyId: string }) {
    const row = await repo.move(tx, {
      locationId: m.locationId,
      skuId: m.skuId,
      onHand: m.quantity,
      reason: "return",
      ref: m.ref,
    });
    if (!row) return false;
    await this.webhooks.emit(tx, "stock.changed", [m.companyId], {
      ...row,
      reason: "return",
      quantity: m.quantity,
      ref: m.ref,
    });
    this.changed([m.companyId]);
    return true;
  }

  /**
   * For warehouse receipts (finance module): locks (`delta` > 0) or unlocks (< 0) quantities at one warehouse in the
   * caller's transaction; false — nothing may be kept — unless every row changed (a lock takes only units neither
   * reserved nor already locked).
   */
  async lockUnits(
    tx: Sql,
    companyId: string,
    locationId: string,
    rows: ReadonlyArray<{ skuId: number; delta: number }>,
    ref: string,
  ): Promise<boolean> {
    const ok = (await repo.lockUnits(tx, locationId, rows, ref)) === rows.length;
    if (ok) this.changed([companyId]);
    return ok;
  }

  /**
   * For the enforcement of a warehouse receipt (finance module, DECISIONS 112): unlocks the units at the borrower's
   * warehouse and moves them out of it and into the nominee's, in the caller's transaction, each balance change with
   * its movement (reasons `unlock` and `transfer`, `ref` the enforcement). False — roll back — unless every row moved.
   */
  async enforceTransfer(
    tx: Sql,
    from: { companyId: string; locationId: string },
    to: { companyId: string; locationId: string },
    rows: ReadonlyArray<{ skuId: number; quantity: number }>,
    ref: string,
  ): Promise<boolean> {
    if (rows.length === 0) return true;
    const unlocked = await repo.lockUnits(
      tx,
      from.locationId,
      rows.map((r) => ({ skuId: r.skuId, delta: -r.quantity })),
      ref,
    );
    if (unlocked !== rows.length) return false;
    // Rows in the global (location, SKU) order: the source's then the destination's, as every other path locks them.
    const moves = [
      ...rows.map((r) => ({ locationId: from.locationId, skuId: r.skuId, onHand: -r.quantity, reserved: 0 })),
      ...rows.map((r) => ({ locationId: to.locationId, skuId: r.skuId, onHand: r.quantity, reserved: 0 })),
    ].sort((a, b) => (a.locationId === b.locationId ? a.skuId - b.skuId : a.locationId < b.locationId ? -1 : 1));
    for (const m of moves) if (!(await repo.move(tx, { ...m, reason: "transfer", ref }))) return false;
    this.changed([from.companyId, to.companyId]);
    return true;
  }

  /** A warehouse and its company (null when unknown). */
  location = (id: string) => repo.location(this.db, id);
  /** A warehouse's name and region (null when unknown). */
  place = (id: string) => repo.place(this.db, id);

  /** What the shared pool offers near a point (for the catalogue's price comparison): live, orderable stock. */
  poolNear = (
    skuIds: number[],
    box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
    buyerId: string,
  ) => repo.poolNear(this.db, skuIds, box, buyerId);
}

export type { MovementReason };
