import { randomBytes } from "node:crypto";
import { AppError, Stage, auditTrail, type LedgerService, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import type { InventoryService } from "../inventory/inventory.service.js";
import type { OrdersService } from "../orders/orders.service.js";
import type { Company } from "../orgs/orgs.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { decide, type CompensationRule, type Decision } from "./compensation.js";
import { sidesFor, type ReturnReason, type ReturnSide, type ReturnStatus } from "./return-states.js";
import { returnsRepository as repo, type ReturnPatch, type ReturnRow } from "./returns.repository.js";
import { checkUnit } from "./unit-check.js";
import type { PhotoStore } from "./return-photos.js";
import { MAX_PHOTOS_PER_RETURN, photoKey, readPhoto } from "./return-photos.js";
import type { Readable } from "node:stream";
import { uniqueViolation } from "../../shared/pg-errors.js";

const DAY = 86_400_000;
/** SLA: days a seller has to decide a request, and to settle a return after receiving it. */
export const SLA = { authoriseDays: 2, refundDays: 3 } as const;
/** The owner id of the platform's compensation rules. */
export const PLATFORM_RULES = "platform";

const hex = () => randomBytes(8).toString("hex");

export interface RequestReturn {
  orderId: string;
  lineNo: number;
  part?: { gtin: string; serial: string } | undefined;
  quantity?: number | undefined;
  locationId?: string | undefined;
  reason: ReturnReason;
  note?: string | undefined;
}

export interface ReturnStep {
  to: ReturnStatus;
  quantity?: number | undefined;
  carrier?: string | undefined;
  trackingNo?: string | undefined;
  part?: { gtin: string; serial: string } | undefined;
  inspection?: string | undefined;
  resolution?: string | undefined;
  note?: string | undefined;
}

/**
 * Returns (RMA): requested per order line or per serial, moved along the declared table (return-states.ts) by the
 * side it names. A serialised return is accepted only for the unit the seller sold on that order, as the ledger's
 * custody shows (unit-check.ts); anything else is a swap attempt, kept with its evidence for the seller and the
 * platform. A request the compensation rules approve is authorised and refunded in its own transaction (compensation.ts).
 * The return's custody goes on the ledger where the lifecycle table allows it (a distributor ships back to a
 * distributor); what comes back sellable is restocked at the warehouse that served it.
 */
export class ReturnsService {
  constructor(
    private readonly db: Sql,
    private readonly orders: OrdersService,
    private readonly inventory: InventoryService,
    private readonly webhooks: WebhooksService,
    private readonly ledger: LedgerService,
    private readonly companyOf: (id: string) => Promise<Company>,
    readonly photos: { store: PhotoStore; maxBytes: number },
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Adds a photo to a return (either side, until it is closed): checked by its bytes (JPEG, PNG, WebP) and size,
   * written whole to the photo store, then recorded (DECISIONS 104, 118). The same picture twice is one photo
   * (answered again, 200). A store that fails answers 503 and nothing is recorded.
   */
  async addPhoto(
    ctx: AuditContext,
    p: Principal,
    id: string,
    upload: { body: Readable; type?: string; length?: string },
  ) {
    const { row } = await this.sidesOf(ctx, p, id);
    if (row.status === "closed") {
      upload.body.resume();
      throw new AppError("RETURN.CLOSED", `return ${id} is closed; photos can no longer be added`, 409);
    }
    const { bytes, media, sha256 } = await readPhoto(upload.body, upload.type, upload.length, this.photos.maxBytes);
    const strip = ({ file: _f, sha256: _s, ...photo }: Awaited<ReturnType<typeof repo.photos>>[number]) => photo;
    /** The same picture again is that photo; past the limit is refused. Checked before the store (no object for
     * nothing) and again under the return's lock, which decides. */
    const check = (have: Awaited<ReturnType<typeof repo.photos>>) => {
      const same = have.find((f) => f.sha256 === sha256);
      if (!same && have.length >= MAX_PHOTOS_PER_RETURN)
        throw new AppError("RETURN.TOO_MANY_PHOTOS", `return ${id} has ${have.length} photos, the most allowed`, 409, {
          max: MAX_PHOTOS_PER_RETURN,
        });
      return same;
    };
    const known = check(await repo.photos(this.db, id));
    if (known) return { status: 200, photo: strip(known) };
    const photoId = `ph_${hex()}`;
    const file = photoKey(id, photoId, media);
    await this.photos.store.put(file, media, bytes);
    try {
      const added = await this.db.transaction(async (tx) => {
        await repo.lockReturn(tx, id);
        const same = check(await repo.photos(tx, id));
        if (same) return { photo: same, created: false };
        const companyId = p.companyId!;
        const rec = { id: photoId, returnId: id, companyId, media, bytes: bytes.length, sha256, file };
        await repo.insertPhoto(tx, rec, ctx.actorId ?? "unknown");
        await auditTrail.append(tx, {
          ...ctx,
          companyId: row.sellerId,
          action: "return.photo_add",
          resource: "return",
          resourceId: id,
          changes: { photo: { after: `${photoId} ${media} ${bytes.length} B sha256:${sha256.slice(0, 16)}` } },
        });
        return { photo: (await repo.photos(tx, id)).find((f) => f.id === photoId)!, created: true };
      });
      if (!added.created) await this.photos.store.remove(file);
      return { status: added.created ? 201 : 200, photo: strip(added.photo) };
    } catch (e) {
      await this.photos.store.remove(file);
      throw e;
    }
  }

  /** A photo's bytes, for either side of the return (and the platform). */
  async photo(ctx: AuditContext, p: Principal, id: string, photoId: string) {
    if (p.companyId) await this.sidesOf(ctx, p, id);
    const f = (await repo.photos(this.db, id)).find((x) => x.id === photoId);
    if (!f) throw notFound("photo", photoId);
    return { media: f.media, bytes: await this.photos.store.get(f.file) };
  }

  /**
   * What a dispute over a return rests on: the return with its history and photos, and — for a serialised return —
   * the serial's ledger events with their companies. For the disputes module (it never reads these tables itself).
   */
  async evidence(id: string, db: Sql = this.db) {
    const row = await repo.get(db, id);
    if (!row) return null;
    const ledger = row.gtin && row.serial ? (await repo.custody(db, row.gtin, row.serial)).events : [];
    return { ...(await this.view(db, id)), ledger };
  }

  /**
   * Credits the refund a dispute settled, in the caller's transaction, through the same refunds table the compensation
   * uses; false when the dispute already settled one (a retry moves no money twice).
   */
  async creditDisputeRefund(
    tx: Sql,
    f: { refundId: string; returnId: string; sellerId: string; payeeId: string; amountFen: number; evidence: unknown },
  ) {
    return repo.insertRefund(tx, {
      id: f.refundId,
      returnId: f.returnId,
      sellerId: f.sellerId,
      payeeId: f.payeeId,
      amountFen: f.amountFen,
      kind: "dispute",
      evidence: f.evidence,
    });
  }

  /** The refund a dispute over the return settled (null: none). */
  disputeRefundOf(db: Sql, returnId: string) {
    return repo.disputeRefundOf(db, returnId);
  }

  async request(ctx: AuditContext, p: Principal, company: Company, body: RequestReturn, key?: string): Promise<Reply> {
    const sale = await this.orders.sale(body.orderId);
    if (!sale) throw notFound("order", body.orderId);
    const isBuyer = sale.order.buyerId === company.id;
    if (!isBuyer && !body.part) await crossTenant(this.db, ctx, p, "order", body.orderId, sale.order.buyerId);
    const line = sale.lines.find((l) => l.lineNo === body.lineNo);
    if (!line)
      throw new AppError("RETURN.UNKNOWN_LINE", `lineNo: order ${body.orderId} has no line ${body.lineNo}`, 400, {
        field: "lineNo",
      });
    if (body.part && body.quantity !== undefined && body.quantity !== 1)
      throw new AppError(
        "RETURN.SERIAL_IS_ONE_UNIT",
        `quantity: a serialised return is one unit, got ${body.quantity}`,
        400,
        {
          field: "quantity",
        },
      );
    const quantity = body.part ? 1 : (body.quantity ?? 1);
    const served = sale.allocations.filter(
      (a) => a.lineNo === body.lineNo && (body.locationId === undefined || a.locationId === body.locationId),
    );
    let custodyProven = false;
    let installedAt: string | null = null;
    let receivedAt: string | null = null;
    let allocation = served.length === 1 ? served[0]! : undefined;
    if (body.part) {
      const { gtin, serial } = body.part;
      const sales = await this.orders.salesOfSerial(gtin, serial);
      const shipper = sales.find((s) => s.orderId === body.orderId)?.shippedBy;
      allocation = served.find((a) => a.sellerId === shipper) ?? allocation ?? served[0];
      if (!allocation)
        throw new AppError("RETURN.NOTHING_SOLD", `line ${body.lineNo} of ${body.orderId} was never allocated`, 409);
      const custody = await repo.custody(this.db, gtin, serial);
      const verdict = checkUnit(
        { ...custody, sales },
        { orderId: body.orderId, buyerId: sale.order.buyerId, sellerId: allocation.sellerId, requesterId: company.id },
      );
      // Someone outside the order with no custody of the unit learns nothing about the order.
      if (!isBuyer && !verdict.ok) await crossTenant(this.db, ctx, p, "order", body.orderId, sale.order.buyerId);
      if (!verdict.ok) {
        const id = `sw_${hex()}`;
        await this.db.transaction(async (tx) => {
          await repo.insertSwap(tx, {
            id,
            orderId: body.orderId,
            returnId: null,
            sellerId: allocation!.sellerId,
            requesterId: company.id,
            gtin,
            serial,
            kind: verdict.kind,
            evidence: verdict.evidence,
          });
          await this.webhooks.emit(tx, "return.swap_suspected", [allocation!.sellerId], {
            swapId: id,
            orderId: body.orderId,
            gtin,
            serial,
            kind: verdict.kind,
          });
          await auditTrail.append(tx, {
            ...ctx,
            companyId: allocation!.sellerId,
            action: "return.swap_suspected",
            resource: "return_swap",
            resourceId: id,
            outcome: "denied",
            changes: { kind: { after: verdict.kind }, serial: { after: `${gtin}/${serial}` } },
          });
        });
        throw new AppError(
          "RETURN.NOT_THE_UNIT_SOLD",
          `part: ${gtin}/${serial} is not the unit sold to you on ${body.orderId} (${verdict.kind.replace(/_/g, " ")}); the attempt is recorded as ${id}`,
          409,
          { field: "part", kind: verdict.kind, swapId: id },
        );
      }
      custodyProven = true;
      const byRequester = custody.events.filter((e) => e.companyId === company.id);
      installedAt = byRequester.findLast((e) => e.step === Stage.Installed)?.at ?? null;
      receivedAt = byRequester.find((e) => e.step === Stage.Received)?.at ?? null;
    }
    if (!allocation)
      throw new AppError(
        served.length ? "RETURN.WAREHOUSE_REQUIRED" : "RETURN.NOTHING_SOLD",
        served.length
          ? `locationId: line ${body.lineNo} was served by ${served.length} warehouses; name the one this return goes back to`
          : `line ${body.lineNo} of ${body.orderId} was never allocated`,
        served.length ? 400 : 409,
        { field: "locationId" },
      );
    if (!["shipped", "delivered", "completed"].includes(sale.order.status))
      throw new AppError(
        "RETURN.NOT_SHIPPED",
        `order ${body.orderId} is ${sale.order.status}; only what was shipped can be returned`,
        409,
        {
          field: "orderId",
        },
      );
    const seller = allocation;
    const now = this.clock();
    const refundFen = seller.priceFen * quantity;
    return idempotent(this.db, company.id, "return", body, key, (within) =>
      this.db
        .transaction(async (tx) => {
          await repo.lockLine(tx, body.orderId, body.lineNo);
          const taken = await repo.returnedQuantity(tx, body.orderId, body.lineNo, seller.sellerId);
          if (taken + quantity > seller.quantity)
            throw new AppError(
              "RETURN.QUANTITY_EXCEEDED",
              `quantity: ${quantity} more would return ${taken + quantity} of the ${seller.quantity} units this warehouse served on line ${body.lineNo}`,
              409,
              { field: "quantity" },
            );
          const id = `rma_${hex()}`;
          const actor = ctx.actorId ?? "unknown";
          await repo.insert(
            tx,
            {
              id,
              orderId: body.orderId,
              lineNo: body.lineNo,
              skuId: line.skuId,
              buyerId: sale.order.buyerId,
              requesterId: company.id,
              sellerId: seller.sellerId,
              locationId: seller.locationId,
              gtin: body.part?.gtin ?? null,
              serial: body.part?.serial ?? null,
              quantity,
              unitPriceFen: seller.priceFen,
              reason: body.reason,
              note: body.note ?? null,
              authoriseDue: new Date(now + SLA.authoriseDays * DAY).toISOString(),
            },
            actor,
          );
          const history = await repo.history(tx, company.id, seller.sellerId);
          const since = receivedAt ?? sale.deliveredAt ?? sale.order.createdAt;
          const decision = decide(await repo.rule(tx, PLATFORM_RULES), await repo.rule(tx, seller.sellerId), {
            reason: body.reason,
            daysSinceDelivery: Math.floor((now - new Date(since).getTime()) / DAY),
            provenUnit: custodyProven,
            installedDaysAgo: installedAt === null ? null : Math.floor((now - new Date(installedAt).getTime()) / DAY),
            buyerSwaps: history.swaps,
            buyerRefunds30d: history.refunds30d,
            refundFen,
            sellerMonthFen: history.monthFen,
          });
          if (decision.auto) {
            await repo.setStatus(tx, id, "requested", "authorised", "system", "compensation rules", {
              authorised_quantity: quantity,
              decision: "auto_approved",
            });
            await repo.insertRefund(tx, {
              id: `rf_${hex()}`,
              returnId: id,
              sellerId: seller.sellerId,
              payeeId: company.id,
              amountFen: refundFen,
              kind: "auto",
              evidence: decision.checks,
            });
          }
          await this.webhooks.emit(tx, "return.requested", [seller.sellerId, company.id], {
            returnId: id,
            orderId: body.orderId,
            decision: decision.auto ? "auto_approved" : "manual",
          });
          await auditTrail.append(tx, {
            ...ctx,
            companyId: seller.sellerId,
            action: decision.auto ? "return.auto_approved" : "return.request",
            resource: "return",
            resourceId: id,
            changes: {
              status: { after: decision.auto ? "authorised" : "requested" },
              ...(decision.auto ? { refundFen: { after: refundFen } } : {}),
              evidence: {
                after: decision.checks.map((c) => `${c.owner}.${c.rule}: ${c.evidence}`).join(" | ") || decision.reason,
              },
            },
          });
          const reply: Reply = { status: 201, body: { ...(await this.view(tx, id)), compensation: compact(decision) } };
          await within(tx, reply);
          return reply;
        })
        .catch((e: unknown) => {
          if (uniqueViolation(e, "returns_open_serial"))
            throw new AppError(
              "RETURN.ALREADY_OPEN",
              `part: ${body.part!.gtin}/${body.part!.serial} already has an open return`,
              409,
              { field: "part" },
            );
          throw e;
        }),
    );
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    await this.sidesOf(ctx, p, id);
    return this.view(this.db, id);
  }

  async list(
    p: Principal,
    q: { status?: ReturnStatus | undefined; overdue: boolean; limit: number; orderId?: string | undefined },
  ) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "returns belong to companies", 409);
    return repo.list(this.db, p.companyId, q);
  }

  /** Swap attempts against my sales (a seller), or all of them (the platform). */
  swaps(p: Principal, limit: number) {
    return repo.swaps(this.db, p.companyId, limit);
  }

  async rules(p: Principal) {
    return {
      platform: await repo.rule(this.db, PLATFORM_RULES),
      mine: p.companyId ? await repo.rule(this.db, p.companyId) : null,
    };
  }

  async setRules(ctx: AuditContext, p: Principal, body: Omit<CompensationRule, "ownerId">) {
    const rule: CompensationRule = { ...body, ownerId: p.companyId ?? PLATFORM_RULES };
    await this.db.transaction(async (tx) => {
      const before = await repo.rule(tx, rule.ownerId);
      await repo.upsertRule(tx, rule, ctx.actorId ?? "unknown");
      await auditTrail.append(tx, {
        ...ctx,
        companyId: p.companyId,
        action: "compensation_rules.configure",
        resource: "compensation_rules",
        resourceId: rule.ownerId,
        changes: { rules: { before: before ? JSON.stringify(before) : null, after: JSON.stringify(rule) } },
      });
    });
    return rule;
  }

  /** Moves a return along the declared table by the side it names. */
  async transition(ctx: AuditContext, p: Principal, id: string, step: ReturnStep) {
    const { row, sides } = await this.sidesOf(ctx, p, id);
    this.assertStep(row, step.to, sides);
    const patch: ReturnPatch = {};
    const need = (field: keyof ReturnStep, when: string) => {
      if (step[field] === undefined)
        throw new AppError("RETURN.FIELD_REQUIRED", `${field} is required ${when}`, 400, { field });
    };
    switch (step.to) {
      case "authorised":
        patch.authorised_quantity = row.quantity;
        break;
      case "partially_authorised":
        need("quantity", "to authorise part of a return");
        if (step.quantity! >= row.quantity)
          throw new AppError(
            "RETURN.INVALID_QUANTITY",
            `quantity: a partial authorisation is fewer than the ${row.quantity} units requested, got ${step.quantity}`,
            400,
            { field: "quantity" },
          );
        patch.authorised_quantity = step.quantity!;
        break;
      case "refused":
        need("note", "to refuse a return (the reason the buyer reads)");
        break;
      case "shipped_back":
        need("carrier", "to ship a return back");
        need("trackingNo", "to ship a return back");
        patch.carrier = step.carrier!;
        patch.tracking_no = step.trackingNo!;
        break;
      case "received":
        if (row.serial) {
          need("part", "to receive a serialised return (the serial scanned on the unit)");
          const got = step.part!;
          patch.received_serial = got.serial;
          if (got.gtin !== row.gtin || got.serial !== row.serial)
            patch.swap_evidence = {
              kind: "different_serial",
              expected: { gtin: row.gtin, serial: row.serial },
              received: got,
              receivedOnLedger: (await repo.custody(this.db, got.gtin, got.serial)).head !== null,
            };
        }
        patch.refund_due = new Date(this.clock() + SLA.refundDays * DAY).toISOString();
        break;
      case "inspected":
        need("inspection", "to record an inspection");
        patch.inspection = step.inspection!;
        break;
      case "resolved":
        need("resolution", "to resolve a return");
        if (row.swapEvidence && step.resolution !== "refusal")
          throw new AppError(
            "RETURN.SWAP_MUST_BE_REFUSED",
            `resolution: a different unit came back (${String(row.swapEvidence.kind)}); the only resolution is refusal`,
            409,
            { field: "resolution" },
          );
        patch.resolution = step.resolution!;
        break;
      default:
        break;
    }
    const onLedger = await this.ledgerStep(row, step, patch);
    const work = (tx: Sql) => this.move(tx, ctx, row, step, patch);
    if (onLedger) {
      let out: Awaited<ReturnType<typeof this.view>> | undefined;
      await this.ledger.ledger.append(onLedger, { within: async (tx) => void (out = await work(tx)) });
      return out!;
    }
    return this.db.transaction(work);
  }

  /**
   * The ledger event of a step, when the return's custody goes on the ledger: a serialised return shipped back by the
   * company that holds it received (a distributor, or a repair shop that did not fit it) to the seller, and its receipt
   * by that seller. An installed unit cannot ship under the lifecycle table: its custody is kept off the ledger.
   */
  private async ledgerStep(row: ReturnRow, step: ReturnStep, patch: ReturnPatch) {
    if (!row.serial || !row.gtin) return null;
    const parts = [{ gtin: row.gtin, serial: row.serial }];
    if (step.to === "shipped_back") {
      const [from, to] = [await this.companyOf(row.requesterId), await this.companyOf(row.sellerId)];
      const custody = await repo.custody(this.db, row.gtin, row.serial);
      const canShip =
        (from.kind === "distributor" || from.kind === "repair_shop") &&
        to.kind === "distributor" &&
        custody.head?.holderId === from.id &&
        custody.head.stage === Stage.Received;
      patch.custody = canShip ? "ledger" : "off_ledger";
      if (!canShip) return null;
      return {
        actorId: from.id,
        step: Stage.Shipped as const,
        parts,
        place: { regionCode: from.regionCode, locationId: row.id },
        shipTo: to.id,
      };
    }
    if (step.to === "received" && row.custody === "ledger" && !patch.swap_evidence) {
      const seller = await this.companyOf(row.sellerId);
      return {
        actorId: seller.id,
        step: Stage.Received as const,
        parts,
        place: { regionCode: seller.regionCode, locationId: row.locationId },
      };
    }
    return null;
  }

  private async move(tx: Sql, ctx: AuditContext, before: ReturnRow, step: ReturnStep, patch: ReturnPatch) {
    const row = (await repo.get(tx, before.id, true))!;
    this.assertStep(row, step.to, ["requester", "seller"]);
    const units = row.authorisedQuantity ?? row.quantity;
    let refundFen = 0;
    if (step.to === "resolved" && step.resolution !== "refusal") {
      if (step.resolution === "refund") {
        refundFen = row.unitPriceFen * units;
        const credited = await repo.insertRefund(tx, {
          id: `rf_${hex()}`,
          returnId: row.id,
          sellerId: row.sellerId,
          payeeId: row.requesterId,
          amountFen: refundFen,
          kind: "manual",
          evidence: { resolvedBy: ctx.actorId, inspection: row.inspection },
        });
        if (!credited) refundFen = 0; // already refunded (automatically at request): no money moves twice
      }
      if (row.inspection === "sellable") {
        const ok = await this.inventory.restock(tx, {
          locationId: row.locationId,
          skuId: row.skuId,
          quantity: units,
          ref: row.id,
          companyId: row.sellerId,
        });
        if (!ok) throw new Error(`return ${row.id}: warehouse ${row.locationId} refused the restock`);
        patch.restocked = units;
      }
    }
    if (patch.swap_evidence) {
      await repo.insertSwap(tx, {
        id: `sw_${hex()}`,
        orderId: row.orderId,
        returnId: row.id,
        sellerId: row.sellerId,
        requesterId: row.requesterId,
        gtin: row.gtin!,
        serial: patch.received_serial!,
        kind: "different_serial",
        evidence: patch.swap_evidence,
      });
    }
    await repo.setStatus(tx, row.id, row.status, step.to, ctx.actorId ?? "unknown", step.note ?? null, patch);
    await this.webhooks.emit(tx, `return.${step.to}`, [row.sellerId, row.requesterId], {
      returnId: row.id,
      from: row.status,
      to: step.to,
      ...(patch.swap_evidence ? { swap: patch.swap_evidence } : {}),
    });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.sellerId,
      action: `return.${step.to}`,
      resource: "return",
      resourceId: row.id,
      changes: {
        status: { before: row.status, after: step.to },
        ...(refundFen ? { refundFen: { after: refundFen } } : {}),
        ...(patch.restocked ? { restocked: { after: patch.restocked } } : {}),
        ...(patch.swap_evidence ? { swap: { after: JSON.stringify(patch.swap_evidence) } } : {}),
      },
    });
    return this.view(tx, row.id);
  }

  private assertStep(row: ReturnRow, to: ReturnStatus, sides: ReadonlyArray<ReturnSide>) {
    const needs = sidesFor(row.status, to).filter((s) => s !== "system");
    if (!needs.length)
      throw new AppError(
        "RETURN.INVALID_TRANSITION",
        `return ${row.id} is ${row.status}; it cannot become ${to}`,
        409,
        {
          field: "to",
          from: row.status,
          to,
        },
      );
    if (!needs.some((s) => sides.includes(s)))
      throw new AppError(
        "RETURN.NOT_YOUR_STEP",
        `${row.status} → ${to} is the ${needs.join(" or ")}'s step; you are the return's ${sides.join(" and ")}`,
        403,
        { field: "to" },
      );
  }

  private async sidesOf(ctx: AuditContext, p: Principal, id: string) {
    const row = await repo.get(this.db, id);
    if (!row) throw notFound("return", id);
    const sides: ReturnSide[] = [];
    if (row.requesterId === p.companyId) sides.push("requester");
    if (row.sellerId === p.companyId) sides.push("seller");
    if (!sides.length) await crossTenant(this.db, ctx, p, "return", id, row.sellerId);
    return { row, sides };
  }

  private async view(db: Sql, id: string) {
    const row = (await repo.get(db, id))!;
    const history = await repo.events(db, id);
    const refund = await repo.refundOf(db, id);
    const photos = (await repo.photos(db, id)).map(({ file: _f, sha256: _s, ...rest }) => rest);
    return { ...row, history, refund, photos };
  }
}

const compact = (d: Decision) => ({ auto: d.auto, checks: d.checks, ...(d.reason ? { reason: d.reason } : {}) });
