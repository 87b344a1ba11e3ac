import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import { deliveriesRepository as repo, type DeliveryRow } from "./deliveries.repository.js";
import type { ShipmentRow } from "../orders/orders.repository.js";
import type { BookDelivery, CreateTariff } from "./deliveries.schema.js";
import { actorOf, companyOf, hex, iso, settleAndBill, type BillService } from "./service-kit.js";
import { commissionOf, deliveryChargeOf, inArea } from "./service-money.js";
import { DELIVERY_TRANSITIONS, sidesOf, type DeliveryStatus, type ServiceSide } from "./service-states.js";
import { servicesRepository } from "./services.repository.js";

/** What a delivery needs of the orders module: one warehouse's shipment of an order, its parties and its distance. */
export type ShipmentOf = (
  orderId: string,
  locationId: string,
) => Promise<{
  orderStatus: string;
  buyerId: string;
  buyerName: string;
  buyerRegion: string;
  sellerId: string;
  pickup: { name: string; regionCode: string };
  drop: { lng: number; lat: number };
  /** Warehouse to ship-to point in metres, as the order allocated it. */
  distanceM: number;
} | null>;

/** What the delivery form offers: each warehouse's part of my orders still to leave, newest first. */
export type ShipmentsOf = (
  companyId: string,
  statuses: string[],
  limit: number,
  offset: number,
) => Promise<ShipmentRow[]>;

/** The companies party to an order, its buyer first then its sellers; none when there is no such order. */
export type PartiesOf = (orderId: string) => Promise<string[]>;

/** Order states in which a shipment is still to leave its warehouse: a delivery may be booked for it. */
const BOOKABLE = ["allocated", "partially_fulfilled", "picking"];

/**
 * Logistics offerings (issue 17, DECISIONS 115): a provider's delivery tariffs (同城配送: base + per km + per kg over a
 * service area), deliveries booked by a party of an order for one warehouse's shipment, moved along
 * DELIVERY_TRANSITIONS, and settled with the logistics commission — and billed in finance — when delivered.
 */
export class DeliveriesService {
  constructor(
    private readonly db: Sql,
    private readonly bill: BillService,
    private readonly shipmentOf: ShipmentOf,
    private readonly shipmentsOf: ShipmentsOf,
    private readonly partiesOf: PartiesOf,
  ) {}

  /**
   * The shipments I may book a delivery for (as the order's buyer, or the seller of that warehouse's part): orders
   * still to leave, without a live delivery — so a form offers them instead of asking for typed ids.
   */
  async shipments(p: Principal, limit: number) {
    const me = companyOf(p, "shipments");
    const out = [];
    // Read newest first a page at a time until `limit` shipments without a live delivery are found.
    for (let offset = 0; out.length < limit; offset += limit) {
      const rows = await this.shipmentsOf(me, BOOKABLE, limit, offset);
      const booked = await repo.liveFor(
        this.db,
        rows.map((r) => r.orderId),
      );
      for (const r of rows)
        if (!booked.has(`${r.orderId} ${r.locationId}`) && out.length < limit)
          out.push({
            ...r,
            side: r.buyerId === me ? ("buyer" as const) : ("seller" as const),
            createdAt: iso(r.createdAt),
          });
      if (rows.length < limit) break;
    }
    return out;
  }

  async createTariff(ctx: AuditContext, p: Principal, body: CreateTariff) {
    const providerId = companyOf(p, "a delivery tariff");
    const id = `trf_${hex()}`;
    await this.db.transaction(async (tx) => {
      await repo.insertTariff(tx, { id, providerId, by: actorOf(p), ...body, areaCodes: [...new Set(body.areaCodes)] });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: providerId,
        action: "service_tariff.create",
        resource: "service_tariff",
        resourceId: id,
        changes: {
          baseFen: { after: body.baseFen },
          perKmFen: { after: body.perKmFen },
          perKgFen: { after: body.perKgFen },
          areaCodes: { after: body.areaCodes },
        },
      });
    });
    return (await this.tariffs(p, true, 1, id))[0]!;
  }

  async tariffs(p: Principal, mine: boolean, limit: number, id?: string) {
    const rows = await repo.tariffs(this.db, mine ? companyOf(p, "my tariffs") : null, limit, id);
    return rows.map((t) => ({ ...t, createdAt: iso(t.createdAt) }));
  }

  /**
   * Books a delivery of one warehouse's shipment of my order (as its buyer or its seller) with a provider's tariff:
   * both ends in the tariff's area, the charge fixed now from the allocation's distance and the declared weight.
   * One live delivery per shipment; Idempotency-Key honoured.
   */
  async book(ctx: AuditContext, p: Principal, tariffId: string, body: BookDelivery, key?: string): Promise<Reply> {
    const customerId = companyOf(p, "a delivery");
    const tariff = (await repo.tariffs(this.db, null, 1, tariffId))[0];
    if (!tariff) throw notFound("delivery tariff", tariffId);
    const s = await this.shipmentOf(body.orderId, body.locationId);
    if (!s || (s.buyerId !== customerId && s.sellerId !== customerId)) {
      // A party of the order naming a warehouse whose shipment is not its own (none, or another seller's — which the
      // order's own page already shows it) is told so; anyone else learns nothing, and the attempt is audited.
      const parties = await this.partiesOf(body.orderId);
      if (parties.includes(customerId))
        throw new AppError(
          "SERVICE.NO_SHIPMENT",
          `order ${body.orderId} ${s ? "ships another seller's part" : "ships nothing"} from warehouse ` +
            `${body.locationId}: book one of your shipments (GET /api/v1/services/deliveries/shipments lists them)`,
          404,
          { field: "locationId" },
        );
      return crossTenant(this.db, ctx, p, "order", body.orderId, s?.buyerId ?? parties[0] ?? null);
    }
    if (tariff.providerId === customerId)
      throw new AppError("SERVICE.SELF_DELIVERY", "tariff: a provider does not book its own deliveries", 409);
    if (!BOOKABLE.includes(s.orderStatus))
      throw new AppError(
        "SERVICE.NOT_SHIPPABLE",
        `order ${body.orderId} is ${s.orderStatus}; a delivery is booked while its shipment is still to leave ` +
          `(${BOOKABLE.join(", ")})`,
        409,
      );
    for (const [end, region] of [
      ["pickup", s.pickup.regionCode],
      ["drop", s.buyerRegion],
    ] as const)
      if (!inArea(tariff.areaCodes, region))
        throw new AppError(
          "SERVICE.OUT_OF_AREA",
          `the ${end} (region ${region}) is outside ${tariff.name}'s area (${tariff.areaCodes.join(", ")})`,
          409,
          { field: end },
        );
    const chargeFen = deliveryChargeOf(tariff, s.distanceM, body.weightG);
    return idempotent(this.db, customerId, "service.deliver", { tariffId, ...body }, key, async (within) => {
      const id = `dlv_${hex()}`;
      try {
        await this.db.transaction(async (tx) => {
          await repo.insert(tx, {
            id,
            tariffId,
            providerId: tariff.providerId,
            customerId,
            orderId: body.orderId,
            locationId: body.locationId,
            pickupName: s.pickup.name,
            pickupRegion: s.pickup.regionCode,
            dropName: s.buyerName,
            dropRegion: s.buyerRegion,
            dropLng: s.drop.lng,
            dropLat: s.drop.lat,
            distanceM: s.distanceM,
            weightG: body.weightG,
            baseFen: tariff.baseFen,
            perKmFen: tariff.perKmFen,
            perKgFen: tariff.perKgFen,
            chargeFen,
            by: actorOf(p),
          });
          await servicesRepository.event(tx, [id], null, "requested", actorOf(p));
          await auditTrail.append(tx, {
            ...ctx,
            companyId: customerId,
            action: "service_delivery.book",
            resource: "service_delivery",
            resourceId: id,
            changes: { orderId: { after: body.orderId }, chargeFen: { after: chargeFen } },
          });
          await within(tx, { status: 201, body: await this.view(tx, id) });
        });
      } catch (e) {
        if (uniqueViolation(e, "service_deliveries_live"))
          throw new AppError(
            "SERVICE.ALREADY_BOOKED",
            `order ${body.orderId}'s shipment from ${body.locationId} already has a live delivery`,
            409,
            { field: "locationId" },
          );
        throw e;
      }
      return { status: 201, body: await this.view(this.db, id) };
    });
  }

  private async partyOf(ctx: AuditContext, p: Principal, id: string) {
    const company = companyOf(p, "a delivery");
    const d = await repo.get(this.db, id);
    if (!d || (d.customerId !== company && d.providerId !== company))
      return crossTenant(this.db, ctx, p, "delivery", id, d?.customerId ?? null);
    return { d, company, side: (d.providerId === company ? "provider" : "customer") as ServiceSide };
  }

  /** One delivery, for its customer and provider, and (to read) for the other party of the order's shipment. */
  async get(ctx: AuditContext, p: Principal, id: string) {
    const company = companyOf(p, "a delivery");
    const d = await repo.get(this.db, id);
    if (d && d.customerId !== company && d.providerId !== company) {
      const s = await this.shipmentOf(d.orderId, d.locationId);
      if (s && (s.buyerId === company || s.sellerId === company)) return this.view(this.db, id);
    }
    await this.partyOf(ctx, p, id);
    return this.view(this.db, id);
  }

  async list(p: Principal, limit: number) {
    return this.views(this.db, await repo.list(this.db, companyOf(p, "deliveries"), limit));
  }

  /**
   * The order must still want the delivery: accepting it, that its shipment is still to leave (not shipped by other
   * means, not cancelled); picking up, that it is not cancelled (the seller may mark it shipped as it hands over).
   * Delivering what was picked up, or cancelling, is always possible.
   */
  private async assertOrderAllows(d: DeliveryRow, to: DeliveryStatus) {
    if (to !== "accepted" && to !== "picked_up") return;
    const status = (await this.shipmentOf(d.orderId, d.locationId))?.orderStatus ?? "cancelled";
    if (to === "accepted" ? BOOKABLE.includes(status) : status !== "cancelled") return;
    throw new AppError(
      "SERVICE.NOT_SHIPPABLE",
      `order ${d.orderId} is ${status}: delivery ${d.id} can no longer be ` +
        `${to === "accepted" ? "accepted" : "picked up"}; cancel it`,
      409,
      { field: "to" },
    );
  }

  /**
   * Moves a delivery along DELIVERY_TRANSITIONS by my side; the same move again answers it as it is. Delivering
   * settles it (the logistics commission, DECISIONS 101) and bills it in finance (DECISIONS 114), in one transaction.
   */
  async move(ctx: AuditContext, p: Principal, id: string, to: DeliveryStatus) {
    const { side, company, d: before } = await this.partyOf(ctx, p, id);
    // Read outside the transaction: the embedded database has one connection, which the transaction holds.
    if (before.status !== to) await this.assertOrderAllows(before, to);
    await this.db.transaction(async (tx) => {
      const d = (await repo.get(tx, id, true))!;
      if (d.status === to) return; // a retry
      if (!sidesOf(DELIVERY_TRANSITIONS, d.status, to).includes(side))
        throw new AppError(
          "SERVICE.INVALID_TRANSITION",
          `delivery ${id} is ${d.status}; the ${side} cannot move it to ${to}`,
          409,
          { field: "to" },
        );
      await repo.setStatus(tx, id, to);
      await servicesRepository.event(tx, [id], d.status, to, actorOf(p));
      if (to === "delivered") {
        const rateBp = await servicesRepository.commissionRate(tx, "logistics");
        const commissionFen = commissionOf(d.chargeFen, rateBp);
        const s = {
          id: `stl_${hex()}`,
          subjectId: id,
          providerId: d.providerId,
          shopId: d.customerId,
          category: "logistics" as const,
          grossFen: d.chargeFen,
          commissionRateBp: rateBp,
          commissionFen,
          netFen: d.chargeFen - commissionFen,
          depositFen: 0,
          claimsFen: 0,
          refundFen: 0,
          dueFen: d.chargeFen,
          settledBy: actorOf(p),
        };
        const km = (d.distanceM / 1000).toFixed(1);
        const kg = String(d.weightG / 1000);
        const line = `同城配送：${d.pickupName} → ${d.dropName}，${km} km，${kg} kg（订单 ${d.orderId}）`;
        await settleAndBill(tx, ctx, this.bill, s, { service: line });
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company,
        action: `service_delivery.${to}`,
        resource: "service_delivery",
        resourceId: id,
        changes: { status: { before: d.status, after: to } },
      });
    });
    return this.view(this.db, id);
  }

  private async view(db: Sql, id: string) {
    return (await this.views(db, [(await repo.get(db, id))!]))[0]!;
  }

  private async views(db: Sql, rows: DeliveryRow[]) {
    const ids = rows.map((r) => r.id);
    const settled = ids.length ? await servicesRepository.settlements(db, { subjectIds: ids }, ids.length) : [];
    return rows.map((d) => {
      const s = settled.find((x) => x.subjectId === d.id);
      return {
        ...d,
        createdAt: iso(d.createdAt),
        updatedAt: iso(d.updatedAt),
        next: Object.keys(DELIVERY_TRANSITIONS[d.status]) as DeliveryStatus[],
        settlement: s ? { ...s, settledAt: iso(s.settledAt) } : null,
      };
    });
  }
}
