import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { distanceMetres } from "../../shared/geo.js";
import type { OffersService } from "../catalog/offers.service.js";
import type { SearchService } from "../catalog/search.service.js";
import type { Company } from "../orgs/orgs.service.js";
import type { OrdersService } from "../orders/orders.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { rfqSideFor, type RfqSide, type RfqStatus } from "./rfq-states.js";
import { rfqRepository as repo, type RfqRow } from "./rfq.repository.js";

/** City delivery speed for a quote's default delivery estimate (the price comparison's). */
const CITY_KMH = 25;

export interface CreateRfq {
  vin?: string | undefined;
  lines: Array<{ query?: string | undefined; skuId?: number | undefined; quantity: number }>;
  neededBy: string;
  radiusKm: number;
  quoteWindowHours: number;
  note?: string | undefined;
}

export interface SubmitQuote {
  locationId: string;
  lines: Array<{ lineNo: number; skuId: number; unitPriceFen: number }>;
  deliveryMinutes?: number | undefined;
  validHours: number;
  note?: string | undefined;
}

/**
 * Requests for quotes (询价/报价, DECISIONS 94). A repair shop names parts in words or numbers; the catalogue search
 * resolves each to a SKU, the price comparison finds the suppliers within the radius holding orderable stock of it or
 * of a SKU sharing its OE number, and those suppliers — only those — are notified (a recipient row and an
 * `rfq.requested` webhook event) and may quote once each until the window closes. The shop sees every quote side by
 * side; a supplier sees its own only. Accepting one places an order through the orders service at the quoted prices
 * from the quoted warehouse, in one step and idempotently (the order's Idempotency-Key is the request's id).
 * Status changes follow the declared table (rfq-states.ts).
 */
export class RfqService {
  constructor(
    private readonly db: Sql,
    private readonly search: SearchService,
    private readonly offers: OffersService,
    private readonly orders: OrdersService,
    private readonly webhooks: WebhooksService,
  ) {}

  async create(ctx: AuditContext, buyer: Company, body: CreateRfq) {
    const today = new Date().toISOString().slice(0, 10);
    if (body.neededBy < today)
      throw new AppError("RFQ.NEEDED_BY_PAST", `neededBy: ${body.neededBy} is before today (${today})`, 400, {
        field: "neededBy",
        received: body.neededBy,
        expected: today,
      });
    const who = { companyId: buyer.id, regionCode: buyer.regionCode };
    const lines: Array<{ lineNo: number; query: string; skuId: number; skuIds: number[]; quantity: number }> = [];
    const nearest = new Map<string, number>();
    for (const [i, l] of body.lines.entries()) {
      let skuId = l.skuId;
      const query = l.query ?? `#${l.skuId}`;
      if (skuId === undefined) {
        const found = await this.search.search({ q: l.query, vin: body.vin, limit: 1 }, who);
        skuId = found.results[0]?.id;
        if (skuId === undefined)
          throw new AppError(
            "RFQ.PART_NOT_FOUND",
            `lines[${i}].query: nothing in the catalogue answers to ${JSON.stringify(l.query)}${body.vin ? " for this VIN" : ""}`,
            422,
            {
              field: `lines[${i}].query`,
              received: l.query,
              ...(found.didYouMean ? { didYouMean: found.didYouMean } : {}),
            },
          );
      }
      if (lines.some((x) => x.skuId === skuId))
        throw new AppError(
          "RFQ.DUPLICATE_LINE",
          `lines[${i}]: SKU ${skuId} is already asked for; put the quantities together`,
          400,
          {
            field: `lines[${i}]`,
          },
        );
      // The price comparison's own search: the SKU and its OE equivalents, offers within the radius, by distance.
      const near = await this.offers.compare(
        { companyId: buyer.id },
        { skuId, lng: buyer.lng, lat: buyer.lat, radiusKm: body.radiusKm, limit: 500, sort: "distance" },
      );
      for (const o of near.offers)
        if (o.orderable && o.supplier.companyId !== buyer.id)
          nearest.set(o.supplier.companyId, Math.min(nearest.get(o.supplier.companyId) ?? Infinity, o.distanceMetres));
      lines.push({ lineNo: i + 1, query, skuId, skuIds: near.skuIds, quantity: l.quantity });
    }
    const recipients = [...nearest].map(([companyId, distanceM]) => ({ companyId, distanceM }));
    const id = `rfq_${randomBytes(8).toString("hex")}`;
    const actor = ctx.actorId ?? "unknown";
    await this.db.transaction(async (tx) => {
      await repo.insert(
        tx,
        {
          id,
          buyerId: buyer.id,
          vin: body.vin ?? null,
          lng: buyer.lng,
          lat: buyer.lat,
          radiusKm: body.radiusKm,
          neededBy: body.neededBy,
          note: body.note ?? null,
          closesAt: new Date(Date.now() + body.quoteWindowHours * 3_600_000).toISOString(),
          actor,
        },
        lines,
        recipients,
      );
      await this.webhooks.emit(
        tx,
        "rfq.requested",
        recipients.map((r) => r.companyId),
        {
          rfqId: id,
          neededBy: body.neededBy,
          lines: lines.map((l) => ({ lineNo: l.lineNo, skuIds: l.skuIds, quantity: l.quantity })),
        },
      );
      await auditTrail.append(tx, {
        ...ctx,
        companyId: buyer.id,
        action: "rfq.create",
        resource: "rfq",
        resourceId: id,
        changes: {
          status: { after: "open" },
          lines: { after: lines.length },
          recipients: { after: recipients.length },
        },
      });
    });
    return this.view(this.db, id);
  }

  /** The buyer's requests (mine), with every quote counted. */
  async mine(p: Principal, status: RfqStatus | undefined, limit: number) {
    const companyId = this.company(p);
    await this.expireDue();
    return (await repo.listOfBuyer(this.db, companyId, status, limit)).map(summary);
  }

  /** Requests the supplier was asked to quote (it was within range with stock); its own quote counted only. */
  async incoming(p: Principal, status: RfqStatus | undefined, limit: number) {
    const companyId = this.company(p);
    await this.expireDue();
    return (await repo.listOfRecipient(this.db, companyId, status, limit)).map((r) => ({
      ...summary(r),
      distanceM: r.distanceM,
    }));
  }

  /** A request as its buyer (all quotes) or one of its recipients (its own quote) sees it; anyone else 404. */
  async get(ctx: AuditContext, p: Principal, id: string) {
    await this.expireDue();
    const side = await this.sideOf(ctx, p, id);
    return this.view(this.db, id, side === "supplier" ? p.companyId! : undefined);
  }

  async quote(ctx: AuditContext, p: Principal, id: string, body: SubmitQuote) {
    await this.expireDue();
    const supplierId = this.company(p);
    await this.sideOf(ctx, p, id, "supplier");
    const lines = await repo.lines(this.db, id);
    const seen = new Set<number>();
    for (const [i, q] of body.lines.entries()) {
      const line = lines.find((l) => l.lineNo === q.lineNo);
      if (!line || seen.has(q.lineNo))
        throw new AppError(
          "RFQ.QUOTE_LINES",
          `lines[${i}].lineNo: ${q.lineNo} is ${line ? "quoted twice" : `not a line of this request (1-${lines.length})`}`,
          400,
          { field: `lines[${i}].lineNo` },
        );
      seen.add(q.lineNo);
      if (!line.skuIds.includes(q.skuId))
        throw new AppError(
          "RFQ.SKU_NOT_ASKED",
          `lines[${i}].skuId: SKU ${q.skuId} is not ${line.skuId} or a SKU sharing its OE number (${line.skuIds.join(", ")})`,
          400,
          { field: `lines[${i}].skuId`, received: q.skuId },
        );
    }
    if (seen.size !== lines.length)
      throw new AppError(
        "RFQ.QUOTE_LINES",
        `lines: quote every line of the request (${lines.map((l) => l.lineNo).join(", ")}); got ${[...seen].join(", ")}`,
        400,
        { field: "lines" },
      );
    const location = (
      (await this.offers.locations(p)) as Array<{ id: string; lng: number; lat: number; prepMinutes: number }>
    ).find((l) => l.id === body.locationId);
    if (!location)
      throw new AppError("RFQ.UNKNOWN_LOCATION", `locationId: ${body.locationId} is not one of your warehouses`, 404, {
        field: "locationId",
      });
    const rfq = (await repo.get(this.db, id))!;
    const deliveryMinutes =
      body.deliveryMinutes ?? Math.round(location.prepMinutes + (distanceMetres(rfq, location) / 1000 / CITY_KMH) * 60);
    const quantity = new Map(lines.map((l) => [l.lineNo, l.quantity]));
    const totalFen = body.lines.reduce((s, l) => s + l.unitPriceFen * quantity.get(l.lineNo)!, 0);
    const quoteId = `q_${randomBytes(8).toString("hex")}`;
    const actor = ctx.actorId ?? "unknown";
    await this.db.transaction(async (tx) => {
      const locked = (await repo.get(tx, id, { lock: true }))!;
      this.assertStep(locked, "quoted", "supplier");
      if (Date.parse(locked.closesAt) <= Date.now())
        throw new AppError("RFQ.WINDOW_CLOSED", `request ${id} stopped taking quotes at ${locked.closesAt}`, 409, {
          closesAt: locked.closesAt,
        });
      const added = await repo.insertQuote(
        tx,
        {
          id: quoteId,
          rfqId: id,
          supplierId,
          locationId: body.locationId,
          deliveryMinutes,
          validHours: body.validHours,
          totalFen,
          note: body.note ?? null,
          actor,
        },
        body.lines,
      );
      if (!added)
        throw new AppError("RFQ.ALREADY_QUOTED", `your company has quoted request ${id} already`, 409, { field: "id" });
      await repo.setStatus(tx, id, locked.status, "quoted", actor);
      await this.webhooks.emit(tx, "rfq.quoted", [locked.buyerId], { rfqId: id, quoteId, totalFen, deliveryMinutes });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: supplierId,
        action: "rfq.quote",
        resource: "rfq",
        resourceId: id,
        changes: { quoteId: { after: quoteId }, totalFen: { after: totalFen } },
      });
    });
    return this.view(this.db, id, supplierId);
  }

  /**
   * Accepts a quote and places its order, as a workflow with an undo step: the request is marked accepted (under its
   * lock, so two accepts cannot both win), then the order is placed with the request's id as Idempotency-Key — at the
   * quoted prices from the quoted warehouse, all or nothing; if the order is refused (stock gone) the request goes back
   * to quoted. Accepting the same quote again answers the same request and order (a retry after a crash between the
   * two steps places the order it missed, or replays it).
   */
  async accept(ctx: AuditContext, p: Principal, buyer: Company, id: string, quoteId: string) {
    await this.expireDue();
    await this.sideOf(ctx, p, id, "buyer");
    const quote = await repo.quote(this.db, id, quoteId);
    if (!quote) throw notFound("quote", quoteId);
    const actor = ctx.actorId ?? "unknown";
    const before = await this.db.transaction(async (tx) => {
      const locked = (await repo.get(tx, id, { lock: true }))!;
      if (locked.status === "accepted" && locked.acceptedQuoteId === quoteId) return locked;
      if (locked.status === "accepted")
        throw new AppError("RFQ.ALREADY_ACCEPTED", `request ${id} has accepted quote ${locked.acceptedQuoteId}`, 409, {
          field: "quoteId",
        });
      this.assertStep(locked, "accepted", "buyer");
      if (!quote.live)
        throw new AppError("RFQ.QUOTE_EXPIRED", `quote ${quoteId} was valid until ${quote.validUntil}`, 409, {
          field: "quoteId",
        });
      await repo.setStatus(tx, id, locked.status, "accepted", actor, { acceptedQuoteId: quoteId });
      return locked;
    });
    if (before.status === "accepted" && before.orderId) return this.view(this.db, id);
    const lines = await repo.lines(this.db, id);
    const priced = (await repo.quoteLines(this.db, [quoteId])).sort((a, b) => a.lineNo - b.lineNo);
    let order: { id: string };
    try {
      const reply = await this.orders.place(
        ctx,
        buyer,
        {
          lines: priced.map((q) => ({
            skuId: q.skuId,
            quantity: lines.find((l) => l.lineNo === q.lineNo)!.quantity,
            locationId: quote.locationId,
            priceFen: q.unitPriceFen,
          })),
          policy: "all_or_nothing",
          shipTo: { lng: before.lng, lat: before.lat },
        },
        id,
      );
      order = reply.body as { id: string };
    } catch (e) {
      // Undo: no order, so the request is quoted again (a compensation, not a step of the table) and may accept another.
      await this.db.transaction((tx) =>
        repo.setStatus(tx, id, "accepted", "quoted", "system", { acceptedQuoteId: null }),
      );
      throw e;
    }
    await this.db.transaction(async (tx) => {
      await repo.setOrder(tx, id, order.id);
      await this.webhooks.emit(tx, "rfq.accepted", [before.buyerId, quote.supplierId], {
        rfqId: id,
        quoteId,
        orderId: order.id,
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: before.buyerId,
        action: "rfq.accept",
        resource: "rfq",
        resourceId: id,
        changes: { status: { before: before.status, after: "accepted" }, orderId: { after: order.id } },
      });
    });
    return this.view(this.db, id);
  }

  async cancel(ctx: AuditContext, p: Principal, id: string) {
    await this.expireDue();
    await this.sideOf(ctx, p, id, "buyer");
    const actor = ctx.actorId ?? "unknown";
    await this.db.transaction(async (tx) => {
      const locked = (await repo.get(tx, id, { lock: true }))!;
      this.assertStep(locked, "cancelled", "buyer");
      await repo.setStatus(tx, id, locked.status, "cancelled", actor);
      await this.webhooks.emit(tx, "rfq.cancelled", await repo.recipients(tx, id), { rfqId: id });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: locked.buyerId,
        action: "rfq.cancel",
        resource: "rfq",
        resourceId: id,
        changes: { status: { before: locked.status, after: "cancelled" } },
      });
    });
    return this.view(this.db, id);
  }

  /** Expires requests whose time is up; their buyers and recipients hear of it (rfq.expired). */
  async expireDue(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const gone = await repo.expireDue(tx);
      for (const r of gone)
        await this.webhooks.emit(tx, "rfq.expired", [r.buyerId, ...r.recipients], { rfqId: r.id, from: r.from });
      return gone.length;
    });
  }

  private company(p: Principal): string {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "requests for quotes belong to companies", 409);
    return p.companyId;
  }

  private assertStep(r: { id: string; status: RfqStatus }, to: RfqStatus, side: RfqSide) {
    const needs = rfqSideFor(r.status, to);
    // A request already quoted takes further quotes without changing status.
    if (to === "quoted" && r.status === "quoted" && side === "supplier") return;
    if (!needs || needs !== side)
      throw new AppError("RFQ.INVALID_TRANSITION", `request ${r.id} is ${r.status}; it cannot become ${to}`, 409, {
        from: r.status,
        to,
      });
  }

  /**
   * Which side of the request the principal is on: its buyer, or a supplier it was sent to. Anyone else — another
   * shop, a supplier out of range — gets 404, and the attempt is logged. `want`: the side the action needs.
   */
  private async sideOf(
    ctx: AuditContext,
    p: Principal,
    id: string,
    want?: "buyer" | "supplier",
  ): Promise<"buyer" | "supplier"> {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("rfq", id);
    let side: "buyer" | "supplier" | null = null;
    if (r.buyerId === p.companyId) side = "buyer";
    else if (p.companyId && (await repo.recipient(this.db, id, p.companyId))) side = "supplier";
    if (!side) return crossTenant(this.db, ctx, p, "rfq", id, r.buyerId);
    if (want && side !== want)
      throw new AppError(
        "RFQ.NOT_YOUR_STEP",
        want === "buyer"
          ? `only the shop that asked accepts or cancels request ${id}`
          : `a shop does not quote its own request ${id}`,
        403,
        { field: "id" },
      );
    return side;
  }

  private async view(db: Sql, id: string, supplier?: string) {
    const r = (await repo.get(db, id, supplier ? { supplier } : {}))!;
    const lines = await repo.lines(db, id);
    const quotes = await repo.quotes(db, id, supplier);
    const qLines = quotes.length
      ? await repo.quoteLines(
          db,
          quotes.map((q) => q.id),
        )
      : [];
    const history = await repo.events(db, id);
    return {
      ...summary(r),
      lines,
      quoteList: quotes.map((q) => ({
        ...q,
        lines: qLines.filter((l) => l.quoteId === q.id).map(({ quoteId: _q, ...l }) => l),
      })),
      history,
    };
  }
}

function summary(r: RfqRow) {
  const { lng: _lng, lat: _lat, ...rest } = r;
  return rest;
}
