import { randomBytes } from "node:crypto";
import {
  AppError,
  DeferredCheckFailed,
  Stage,
  auditTrail,
  type LedgerService,
  type Sql,
} from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { distanceMetres } from "../../shared/geo.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import type { CatalogSkus } from "../catalog/skus.service.js";
import { discounted, type OfferPromotion } from "../catalog/offers.service.js";
import type { PoolRow } from "../inventory/inventory.repository.js";
import type { InventoryService } from "../inventory/inventory.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import type { Company } from "../orgs/orgs.service.js";
import { allocateLine, type Candidate } from "./allocator.js";
import { sideFor, type OrderStatus } from "./order-states.js";
import { ordersRepository as repo, type AllocationRow, type OrderRow } from "./orders.repository.js";

/** Optimistic tries (read, then reserve what is unchanged) before an order locks the pool's rows. */
const OPTIMISTIC_ATTEMPTS = 2;

export interface PlaceOrder {
  lines: Array<{
    skuId: number;
    quantity: number;
    locationId?: string | undefined;
    /** A price agreed beforehand (an accepted quote, rfq module): it replaces the pool's price. Not on the HTTP body. */
    priceFen?: number | undefined;
  }>;
  urgent?: boolean | undefined;
  policy?: "all_or_nothing" | "partial" | undefined;
  shipTo?: { lng: number; lat: number } | undefined;
}

/**
 * Orders from the shared pool. Placing one reads the pool's stock of its SKUs, allocates each line to the nearest /
 * cheapest / fastest warehouses (allocator.ts) and writes the order with its reservations, webhook event, audit entry
 * and Idempotency-Key reply in one statement that reserves only stock still as it was read (DECISIONS 30); when stock
 * keeps changing under it, it locks the pool's rows in one global order and allocates under the locks. No oversell
 * under any concurrency (the stock CHECKs hold either way), no double order on retry.
 * Status changes follow the declared table (order-states.ts); cancelling releases reservations, shipping sells them.
 */
export class OrdersService {
  constructor(
    private readonly db: Sql,
    private readonly inventory: InventoryService,
    private readonly skus: CatalogSkus,
    private readonly webhooks: WebhooksService,
    private readonly ledger: LedgerService,
    /** The catalogue SKU each GTIN is named as (parts module), to check shipped serials belong to the order. */
    private readonly skuOfGtins: (gtins: string[]) => Promise<Map<string, number>>,
    /** Open recalls (recalls module): recalled stock is refused by orders. */
    private readonly recalls?: {
      blockedSkus(skuIds: number[]): Promise<Array<{ skuId: number; recallId: string }>>;
      recalledParts(
        parts: ReadonlyArray<{ gtin: string; serial: string }>,
      ): Promise<Array<{ gtin: string; serial: string; recallId: string }>>;
    },
    /** Running discounts the buyer sees (promotions module): the price the price comparison showed is the price billed. */
    private readonly promotions?: (shopId: string, skuIds: number[]) => Promise<OfferPromotion[]>,
    /**
     * Credit terms (finance module): refuses, inside the order's transaction, an order that would take the buyer past
     * a seller's 月结 credit limit (`ORDER.CREDIT_LIMIT`); `bySeller` is this order's total per seller in fen.
     */
    private readonly credit?: (tx: Sql, buyerId: string, bySeller: ReadonlyMap<string, number>) => Promise<void>,
  ) {}

  private cancelled: ((tx: Sql, ctx: AuditContext, orderId: string) => Promise<void>) | null = null;

  /** Lets the finance module act on a cancellation inside its transaction (order loans are called, DECISIONS 116). */
  onCancel(hook: (tx: Sql, ctx: AuditContext, orderId: string) => Promise<void>) {
    this.cancelled = hook;
  }

  async place(ctx: AuditContext, buyer: Company, body: PlaceOrder, key?: string): Promise<Reply> {
    const seen = new Map<number, number>();
    for (const [i, l] of body.lines.entries()) {
      if (seen.has(l.skuId))
        throw new AppError(
          "ORDER.DUPLICATE_LINE",
          `lines[${i}].skuId: SKU ${l.skuId} is already on line ${seen.get(l.skuId)! + 1}; put the quantities together`,
          400,
          { field: `lines[${i}].skuId` },
        );
      seen.set(l.skuId, i);
    }
    const shipTo = body.shipTo ?? { lng: buyer.lng, lat: buyer.lat };
    const urgent = body.urgent ?? false;
    const policy = body.policy ?? "partial";
    const skuIds = [...seen.keys()];
    // Two lookups on the hot path, run together: open recalls of these SKUs and the discounts this buyer sees.
    const [recalled, promotions] = await Promise.all([
      this.recalls?.blockedSkus(skuIds) ?? [],
      this.promotions ? this.promotions(buyer.id, skuIds) : [],
    ]);
    if (recalled.length) {
      const i = body.lines.findIndex((l) => l.skuId === recalled[0]!.skuId);
      throw new AppError(
        "ORDER.SKU_RECALLED",
        `lines[${i}].skuId: SKU ${recalled[0]!.skuId} is under recall ${recalled[0]!.recallId}; it cannot be ordered until the recall closes`,
        409,
        { field: `lines[${i}].skuId`, recallId: recalled[0]!.recallId },
      );
    }
    const place = { buyer, body, shipTo, urgent, policy, promotions };
    return idempotent(
      this.db,
      buyer.id,
      "order",
      body,
      key,
      async (within) => {
        // Optimistic first: read the pool without locks, allocate, and write everything — reservations only where the
        // stock is still as read — in one statement. Stock changed under us: read again; after that, take the locks.
        for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
          const pool = await this.inventory.shared(skuIds, buyer.id);
          try {
            return await this.db.transaction((tx) => this.write(tx, ctx, place, pool, within));
          } catch (e) {
            if (!(e instanceof DeferredCheckFailed) && (e as { code?: string }).code !== "40P01") throw e; // 40P01: deadlock, rolled back
          }
        }
        // Contended: lock the pool's rows in the one global order and allocate under the locks (so the write's "still as
        // read" holds by construction).
        // A deadlock here (stock rows, then a seller's credit terms row, against an optimistic order holding them the
        // other way round) was rolled back by PostgreSQL: take the locks again.
        for (let attempt = 1; ; attempt++) {
          try {
            return await this.db.transaction(async (tx) =>
              this.write(tx, ctx, place, await this.inventory.lockShared(tx, skuIds, buyer.id), within),
            );
          } catch (e) {
            if ((e as { code?: string }).code !== "40P01" || attempt >= 4) throw e;
          }
        }
      },
      { checkFirst: false },
    ); // a retry finds its key taken at the reply's insert, or its stock gone first; both replay
  }

  /**
   * Allocates an order's lines over `pool` and writes it: reservations of stock still as `pool` read it, the order, its
   * webhook event, its stored reply and its audit entry — all deferred (Sql.defer), so they reach the database as one
   * statement.
   */
  private async write(
    tx: Sql,
    ctx: AuditContext,
    o: {
      buyer: Company;
      body: PlaceOrder;
      shipTo: { lng: number; lat: number };
      urgent: boolean;
      policy: "all_or_nothing" | "partial";
      promotions: OfferPromotion[];
    },
    pool: PoolRow[],
    within: (tx: Sql, reply: Reply) => Promise<void>,
  ): Promise<Reply> {
    const { buyer, body, shipTo, urgent, policy } = o;
    // A SKU with no pool stock may not exist at all: that is a 404, not a shortage (a rare read in the transaction).
    const stocked = new Set(pool.map((c) => c.skuId));
    const unstocked = body.lines.filter((l) => !stocked.has(l.skuId)).map((l) => l.skuId);
    if (unstocked.length) {
      const known = await this.skus.existing(tx, unstocked);
      const unknown = body.lines.findIndex((l) => !stocked.has(l.skuId) && !known.has(l.skuId));
      if (unknown >= 0)
        throw new AppError(
          "CATALOG.UNKNOWN_SKU",
          `lines[${unknown}].skuId: no catalogue SKU ${body.lines[unknown]!.skuId}`,
          404,
          { field: `lines[${unknown}].skuId` },
        );
    }
    const id = `ord_${randomBytes(8).toString("hex")}`;
    const allocations: AllocationRow[] = [];
    /** The stock as read (pool prices), which the reservation checks is unchanged; an agreed price only bills. */
    const reads: Array<{ locationId: string; skuId: number; quantity: number; priceFen: number }> = [];
    const lines = body.lines.map((l, i) => {
      const candidates: Candidate[] = pool
        .filter((c) => c.skuId === l.skuId && (l.locationId === undefined || c.locationId === l.locationId))
        .map((c) => ({ ...c, distanceM: Math.round(distanceMetres(shipTo, c)) }));
      const got = allocateLine(l.quantity, candidates, urgent);
      for (const a of got) {
        reads.push({
          locationId: a.candidate.locationId,
          skuId: l.skuId,
          quantity: a.quantity,
          priceFen: a.candidate.priceFen,
        });
        allocations.push({
          lineNo: i + 1,
          skuId: l.skuId,
          locationId: a.candidate.locationId,
          sellerId: a.candidate.sellerId,
          quantity: a.quantity,
          priceFen: l.priceFen ?? promoted(o.promotions, a.candidate),
          distanceM: a.candidate.distanceM,
        });
      }
      return {
        lineNo: i + 1,
        skuId: l.skuId,
        quantity: l.quantity,
        allocated: got.reduce((sum, a) => sum + a.quantity, 0),
      };
    });
    const short = lines.filter((l) => l.allocated < l.quantity);
    if (lines.every((l) => l.allocated === 0) || (policy === "all_or_nothing" && short.length)) {
      const what = short
        .map((l) => `line ${l.lineNo} (SKU ${l.skuId}): ${l.allocated} of ${l.quantity} available`)
        .join("; ");
      throw new AppError(
        "ORDER.INSUFFICIENT_STOCK",
        `not enough shared stock to ${policy === "all_or_nothing" ? "fill the whole order" : "fill any line"}: ${what}`,
        409,
        { lines: short },
      );
    }
    if (this.credit) {
      const bySeller = new Map<string, number>();
      for (const a of allocations) bySeller.set(a.sellerId, (bySeller.get(a.sellerId) ?? 0) + a.priceFen * a.quantity);
      await this.credit(tx, buyer.id, bySeller);
    }
    await this.inventory.reserveIfUnchanged(tx, reads, id);
    const status: OrderStatus = short.length ? "partially_fulfilled" : "allocated";
    const totalFen = allocations.reduce((sum, a) => sum + a.priceFen * a.quantity, 0);
    const actor = ctx.actorId ?? "unknown";
    const createdAt = new Date().toISOString();
    await repo.insert(
      tx,
      { id, buyerId: buyer.id, status, urgent, policy, shipTo, totalFen },
      lines,
      allocations,
      actor,
      createdAt,
    );
    const reply: Reply = {
      status: 201,
      body: {
        id,
        buyerId: buyer.id,
        status,
        urgent,
        policy,
        shipTo,
        totalFen,
        carrier: null,
        trackingNo: null,
        createdAt,
        updatedAt: createdAt,
        lines: withAllocations(lines, allocations),
        history: [
          { from: null, to: "placed", actor, at: createdAt },
          { from: "placed", to: status, actor: "system", at: createdAt },
        ],
        parts: [],
      },
    };
    await this.webhooks.emit(tx, "order.created", [buyer.id, ...allocations.map((a) => a.sellerId)], reply.body);
    await within(tx, reply);
    await auditTrail.append(tx, {
      ...ctx,
      companyId: buyer.id,
      action: "order.create",
      resource: "order",
      resourceId: id,
      changes: { status: { after: status }, totalFen: { after: totalFen }, lines: { after: lines.length } },
    });
    this.inventory.changed(allocations.map((a) => a.sellerId));
    return reply;
  }

  /** An order as its buyer or one of its sellers sees it; anyone else gets 404 (and the attempt is logged). */
  async get(ctx: AuditContext, p: Principal, id: string) {
    await this.sideOf(ctx, p, id);
    return this.view(this.db, id);
  }

  /** Orders a seller took part in that their buyers confirmed delivered (or completed) in the last `days` days, and their value. */
  deliveredAsSeller(companyId: string, days: number) {
    return repo.deliveredAsSeller(this.db, companyId, days);
  }

  /** An order and its allocations read inside `tx` with the order's row locked (order loans judge it stable). */
  async forFinance(tx: Sql, id: string, lock = true) {
    const order = await repo.get(tx, id, lock);
    return order ? { order, allocations: await repo.allocations(tx, id) } : null;
  }

  /** An order and its allocations (who sold what at which price), for invoicing by the finance module; null if none. */
  async forBilling(id: string) {
    const order = await repo.get(this.db, id);
    return order ? { order, allocations: await repo.allocations(this.db, id) } : null;
  }

  /** Each warehouse's part of a company's orders in `statuses`, newest first (DECISIONS 115: what deliveries carry). */
  async shipmentsFor(companyId: string, statuses: string[], limit: number, offset = 0) {
    return repo.shipmentsFor(this.db, companyId, statuses, limit, offset);
  }

  async list(p: Principal, limit: number) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "orders belong to companies", 409);
    return repo.listFor(this.db, p.companyId, limit);
  }

  /**
   * Moves an order along the declared table, by the side the table names; stock follows (release or sale).
   * Shipping with `parts` records their EPCIS shipping on the ledger (by the seller, who must hold them) and delivery
   * their receiving (by the buyer), in the transaction of the status change: custody is always known.
   */
  async transition(
    ctx: AuditContext,
    p: Principal,
    id: string,
    to: OrderStatus,
    shipment?: {
      carrier?: string | undefined;
      trackingNo?: string | undefined;
      parts?: Array<{ gtin: string; serial: string }> | undefined;
    },
    company?: { id: string; regionCode: string },
  ) {
    const { order, sides: side } = await this.sideOf(ctx, p, id);
    // Answered before any ledger work; checked again under the order's lock.
    this.assertStep(order, id, to, side);
    if (to === "shipped" && (!shipment?.carrier || !shipment.trackingNo))
      throw new AppError("ORDER.SHIPMENT_REQUIRED", "carrier and trackingNo are required to ship", 400, {
        field: shipment?.carrier ? "trackingNo" : "carrier",
      });
    const parts = to === "shipped" ? (shipment?.parts ?? []) : to === "delivered" ? await repo.parts(this.db, id) : [];
    if (to === "shipped" && parts.length) {
      const lines = await repo.lines(this.db, id);
      const skus = await this.skuOfGtins([...new Set(parts.map((x) => x.gtin))]);
      const bad = parts.findIndex((x) => !lines.some((l) => l.skuId === skus.get(x.gtin)));
      if (bad >= 0)
        throw new AppError(
          "ORDER.PART_NOT_ORDERED",
          `parts[${bad}]: GTIN ${parts[bad]!.gtin} is not named as a SKU of this order (POST /mint with product.skuId names it)`,
          409,
          { field: `parts[${bad}].gtin` },
        );
      const recalled = (await this.recalls?.recalledParts(parts)) ?? [];
      if (recalled.length) {
        const i = parts.findIndex((x) => x.gtin === recalled[0]!.gtin && x.serial === recalled[0]!.serial);
        throw new AppError(
          "ORDER.PART_RECALLED",
          `parts[${i}]: ${recalled[0]!.gtin}/${recalled[0]!.serial} is under recall ${recalled[0]!.recallId}; it cannot be sold`,
          409,
          { field: `parts[${i}]`, recallId: recalled[0]!.recallId },
        );
      }
      const shipped = lines.reduce((sum, l) => sum + l.allocated, 0);
      if (parts.length > shipped)
        throw new AppError(
          "ORDER.TOO_MANY_PARTS",
          `parts: ${parts.length} serials for ${shipped} allocated units`,
          409,
          { field: "parts" },
        );
    }
    if (parts.length) {
      if (!company) throw new AppError("ORG.REQUIRED", "custody is recorded by a company", 409);
      let out: Awaited<ReturnType<typeof this.move>> | undefined;
      await this.ledger.ledger.append(
        {
          actorId: company.id,
          step: to === "shipped" ? Stage.Shipped : Stage.Received,
          parts,
          place: { regionCode: company.regionCode, locationId: id },
          ...(to === "shipped" ? { shipTo: order.buyerId } : {}),
        },
        {
          within: async (tx) =>
            void (out = await this.move(tx, ctx, p, id, to, side, shipment, to === "shipped" ? parts : [])),
        },
      );
      return out!;
    }
    return this.db.transaction((tx) => this.move(tx, ctx, p, id, to, side, shipment, []));
  }

  private async move(
    tx: Sql,
    ctx: AuditContext,
    p: Principal,
    id: string,
    to: OrderStatus,
    side: Array<"buyer" | "seller">,
    shipment: { carrier?: string | undefined; trackingNo?: string | undefined } | undefined,
    shippedParts: ReadonlyArray<{ gtin: string; serial: string }>,
  ) {
    const order = (await repo.get(tx, id, true))!;
    this.assertStep(order, id, to, side);
    const allocations = await repo.allocations(tx, id);
    if (to === "cancelled" || to === "shipped") {
      if (!(await this.inventory.forOrder(tx, to === "cancelled" ? "release" : "sell", allocations, id)))
        throw new Error(`order ${id}: stock does not hold its reservations`);
    }
    await repo.setStatus(
      tx,
      id,
      order.status,
      to,
      ctx.actorId ?? "unknown",
      to === "shipped" ? { carrier: shipment!.carrier!, trackingNo: shipment!.trackingNo! } : undefined,
    );
    if (shippedParts.length) await repo.insertParts(tx, id, shippedParts, p.companyId!);
    if (to === "cancelled") await this.cancelled?.(tx, ctx, id);
    await this.webhooks.emit(tx, `order.${to}`, [order.buyerId, ...allocations.map((a) => a.sellerId)], {
      orderId: id,
      from: order.status,
      to,
      ...(to === "shipped" ? { carrier: shipment!.carrier, trackingNo: shipment!.trackingNo } : {}),
    });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: order.buyerId,
      action: `order.${to}`,
      resource: "order",
      resourceId: id,
      changes: { status: { before: order.status, after: to } },
    });
    return this.view(tx, id);
  }

  private assertStep(
    order: { status: OrderStatus },
    id: string,
    to: OrderStatus,
    side: ReadonlyArray<"buyer" | "seller">,
  ) {
    const needs = sideFor(order.status, to);
    if (!needs || needs === "system")
      throw new AppError("ORDER.INVALID_TRANSITION", `order ${id} is ${order.status}; it cannot become ${to}`, 409, {
        field: "to",
        from: order.status,
        to,
      });
    if (!side.includes(needs))
      throw new AppError(
        "ORDER.NOT_YOUR_STEP",
        `${order.status} → ${to} is the ${needs}'s step; you are the order's ${side.join(" and ")}`,
        403,
        { field: "to" },
      );
  }

  /** Which sides of the order the principal is on (buyer, seller); 404 and a logged attempt when neither. */
  private async sideOf(
    ctx: AuditContext,
    p: Principal,
    id: string,
  ): Promise<{ order: OrderRow; sides: Array<"buyer" | "seller"> }> {
    const order = await repo.get(this.db, id);
    if (!order) throw notFound("order", id);
    const sides: Array<"buyer" | "seller"> = [];
    if (order.buyerId === p.companyId) sides.push("buyer");
    if ((await repo.allocations(this.db, id)).some((a) => a.sellerId === p.companyId)) sides.push("seller");
    if (!sides.length) await crossTenant(this.db, ctx, p, "order", id, order.buyerId);
    return { order, sides };
  }

  /**
   * What was sold on an order, for after-sales (returns module): the order, its lines and allocations, when it was
   * delivered. null when there is no such order. Answers to no principal: the caller checks who may see it.
   */
  async sale(id: string) {
    const order = await repo.get(this.db, id);
    if (!order) return null;
    const lines = await repo.lines(this.db, id);
    const allocations = await repo.allocations(this.db, id);
    return { order, lines, allocations, deliveredAt: await repo.deliveredAt(this.db, id) };
  }

  /** Every order a serial was shipped on: buyer and shipping seller (returns: the unit is the one sold). */
  salesOfSerial(gtin: string, serial: string) {
    return repo.salesOfSerial(this.db, gtin, serial);
  }

  private async view(db: Sql, id: string) {
    // One after another: inside a transaction they share one connection.
    const order = await repo.get(db, id);
    const lines = await repo.lines(db, id);
    const allocations = await repo.allocations(db, id);
    const history = await repo.events(db, id);
    const parts = await repo.parts(db, id);
    return { ...order!, lines: withAllocations(lines, allocations), history, parts };
  }
}

/** Order lines with their allocations nested, as every order reply shows them. */
function withAllocations<L extends { lineNo: number }>(lines: L[], allocations: AllocationRow[]) {
  return lines.map((l) => ({
    ...l,
    allocations: allocations.filter((a) => a.lineNo === l.lineNo).map(({ lineNo: _l, skuId: _s, ...a }) => a),
  }));
}

/** The pool price, less a running promotion of its seller on its SKU that the buyer sees. */
function promoted(promotions: OfferPromotion[], c: { sellerId: string; skuId: number; priceFen: number }): number {
  const p = promotions.find((x) => x.sellerId === c.sellerId && x.skuId === c.skuId);
  return p ? discounted(c.priceFen, p) : c.priceFen;
}
