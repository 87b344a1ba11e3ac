import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import { chargeOf, claimableOf, commissionOf, settleDeposit, usageMinutes } from "./service-money.js";
import {
  actorOf,
  companyOf,
  hex,
  iso,
  refused,
  settleAndBill,
  settlementView,
  type BillService,
} from "./service-kit.js";
import { RENTAL_TRANSITIONS, sidesOf, type ServiceSide } from "./service-states.js";
import { servicesRepository as repo, type RentalRow } from "./services.repository.js";
import type { CreateEquipment } from "./services.schema.js";

/**
 * Equipment rented by the services marketplace (issue 17, DECISIONS 100-101): a provider lists equipment billed by
 * time or by meter, with a deposit; a repair shop starts a rental (Idempotency-Key honoured; of two racing for the same
 * equipment one gets it), stops it (usage and charge fixed), the provider may claim damage from the deposit, and
 * settling pays charge and claims from the deposit, refunds the rest and bills it with the rental commission in finance
 * in one transaction (DECISIONS 114). Every move follows RENTAL_TRANSITIONS.
 */
export class RentalsService {
  constructor(
    private readonly db: Sql,
    private readonly bill: BillService,
    private readonly clock: () => number = Date.now,
  ) {}

  async createEquipment(ctx: AuditContext, p: Principal, body: CreateEquipment) {
    const providerId = companyOf(p, "equipment");
    const id = `eq_${hex()}`;
    await this.db.transaction(async (tx) => {
      await repo.insertEquipment(tx, { id, providerId, by: actorOf(p), ...body });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: providerId,
        action: "service_equipment.create",
        resource: "service_equipment",
        resourceId: id,
        changes: {
          name: { after: body.name },
          billing: { after: body.billing },
          rateFen: { after: body.rateFen },
          depositFen: { after: body.depositFen },
        },
      });
    });
    return (await this.equipment(p, true, 1, id))[0]!;
  }

  async equipment(p: Principal, mine: boolean, limit: number, id?: string) {
    const rows = await repo.equipment(this.db, mine ? companyOf(p, "my equipment") : null, limit, id);
    return rows.map((q) => ({ ...q, createdAt: iso(q.createdAt) }));
  }

  /** Starts a rental: the equipment must be available; its deposit is held. Idempotency-Key honoured. */
  async startRental(
    ctx: AuditContext,
    p: Principal,
    equipmentId: string,
    meterStart: number | undefined,
    key?: string,
  ): Promise<Reply> {
    const shopId = companyOf(p, "a rental");
    const found = (await repo.equipment(this.db, null, 1, equipmentId))[0];
    if (!found) return crossTenant(this.db, ctx, p, "equipment", equipmentId, null);
    if (found.billing === "meter" && meterStart === undefined)
      throw new AppError("SERVICE.METER_REQUIRED", `meterStart: ${found.name} is billed by its meter; read it`, 400, {
        field: "meterStart",
      });
    if (found.billing === "time" && meterStart !== undefined)
      throw new AppError("SERVICE.NO_METER", `meterStart: ${found.name} is billed by time; it has no meter`, 400, {
        field: "meterStart",
      });
    return idempotent(this.db, shopId, "service.rent", { equipmentId, meterStart }, key, async (within) => {
      const id = `rnt_${hex()}`;
      try {
        await this.db.transaction(async (tx) => {
          const q = (await repo.equipment(tx, null, 1, equipmentId, true))[0]!;
          if (q.status !== "available")
            throw new AppError("SERVICE.EQUIPMENT_BUSY", `equipment ${equipmentId} is ${q.status}`, 409);
          await repo.insertRental(tx, {
            id,
            equipmentId,
            providerId: q.providerId,
            shopId,
            billing: q.billing,
            rateFen: q.rateFen,
            depositFen: q.depositFen,
            meterStart: meterStart ?? null,
            startedAt: new Date(this.clock()).toISOString(),
            by: actorOf(p),
          });
          await repo.setEquipmentStatus(tx, equipmentId, "rented");
          await repo.event(tx, [id], null, "active", actorOf(p));
          await auditTrail.append(tx, {
            ...ctx,
            companyId: shopId,
            action: "service_rental.start",
            resource: "service_rental",
            resourceId: id,
            changes: { equipmentId: { after: equipmentId }, depositFen: { after: q.depositFen } },
          });
          await within(tx, { status: 201, body: await this.rentalView(tx, id) });
        });
      } catch (e) {
        if (uniqueViolation(e, "service_rentals_live"))
          throw new AppError("SERVICE.EQUIPMENT_BUSY", `equipment ${equipmentId} is rented`, 409);
        throw e;
      }
      return { status: 201, body: await this.rentalView(this.db, id) };
    });
  }

  private async rentalView(db: Sql, id: string) {
    const r = (await repo.rental(db, id))!;
    return (await this.rentalViews(db, [r]))[0]!;
  }

  private async rentalViews(db: Sql, rows: RentalRow[]) {
    const ids = rows.map((r) => r.id);
    const claims = await repo.claims(db, ids);
    const settled = ids.length ? await repo.settlements(db, { subjectIds: ids }, ids.length) : [];
    return rows.map((r) => {
      const mine = claims
        .filter((c) => c.rentalId === r.id)
        .map(({ rentalId: _, ...c }) => ({ ...c, filedAt: iso(c.filedAt) }));
      const claimed = mine.reduce((s, c) => s + c.amountFen, 0);
      const settlement = settled.find((s) => s.subjectId === r.id);
      return {
        ...r,
        startedAt: iso(r.startedAt),
        stoppedAt: r.stoppedAt === null ? null : iso(r.stoppedAt),
        claims: mine,
        claimableFen:
          r.status === "returned" && r.chargeFen !== null ? claimableOf(r.depositFen, r.chargeFen) - claimed : null,
        settlement: settlement ? settlementView(settlement) : null,
      };
    });
  }

  async rentals(p: Principal, limit: number) {
    return this.rentalViews(this.db, await repo.rentals(this.db, companyOf(p, "rentals"), limit));
  }

  /** The rental and my side of it; another company's (or none) answers 404 and is audited, outside any transaction. */
  private async partyOf(ctx: AuditContext, p: Principal, id: string) {
    const company = companyOf(p, "a rental");
    const r = await repo.rental(this.db, id);
    if (!r || (r.shopId !== company && r.providerId !== company))
      return crossTenant(this.db, ctx, p, "rental", id, r?.shopId ?? null);
    return { r, side: (r.shopId === company ? "shop" : "provider") as ServiceSide, company };
  }

  async rental(ctx: AuditContext, p: Principal, id: string) {
    await this.partyOf(ctx, p, id);
    return this.rentalView(this.db, id);
  }

  /** Stops an active rental: usage (minutes, or the meter's difference) and charge fixed; a repeat is a no-op. */
  async stopRental(ctx: AuditContext, p: Principal, id: string, meterEnd: number | undefined) {
    const { side, company } = await this.partyOf(ctx, p, id);
    await this.db.transaction(async (tx) => {
      const r = (await repo.rental(tx, id, true))!;
      if (r.status !== "active" && r.meterEnd === (meterEnd ?? null)) return; // a retry of the same stop
      if (!sidesOf(RENTAL_TRANSITIONS, r.status, "returned").includes(side))
        throw refused(`rental ${id}`, r.status, "returned", side);
      let usage: number;
      const stoppedAt = new Date(Math.max(this.clock(), new Date(r.startedAt).getTime()));
      if (r.billing === "meter") {
        if (meterEnd === undefined)
          throw new AppError("SERVICE.METER_REQUIRED", "meterEnd: this rental is billed by its meter; read it", 400, {
            field: "meterEnd",
          });
        if (meterEnd < r.meterStart!)
          throw new AppError(
            "SERVICE.METER_BACKWARDS",
            `meterEnd: ${meterEnd} is below the reading at start (${r.meterStart})`,
            400,
            { field: "meterEnd" },
          );
        usage = meterEnd - r.meterStart!;
      } else {
        if (meterEnd !== undefined)
          throw new AppError("SERVICE.NO_METER", "meterEnd: this rental is billed by time", 400, { field: "meterEnd" });
        usage = usageMinutes(new Date(r.startedAt).getTime(), stoppedAt.getTime());
      }
      const chargeFen = chargeOf(r.billing, usage, r.rateFen);
      await repo.stopRental(tx, id, {
        stoppedAt: stoppedAt.toISOString(),
        meterEnd: meterEnd ?? null,
        usage,
        chargeFen,
        by: actorOf(p),
      });
      await repo.setEquipmentStatus(tx, r.equipmentId, "available");
      await repo.event(tx, [id], "active", "returned", actorOf(p));
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company,
        action: "service_rental.stop",
        resource: "service_rental",
        resourceId: id,
        changes: {
          status: { before: "active", after: "returned" },
          usage: { after: usage },
          chargeFen: { after: chargeFen },
        },
      });
    });
    return this.rentalView(this.db, id);
  }

  /** The provider claims damage against a returned rental's deposit: at most what the charge leaves of it. */
  async fileClaim(ctx: AuditContext, p: Principal, id: string, amountFen: number, reason: string) {
    const { r: seen, side, company } = await this.partyOf(ctx, p, id);
    if (side !== "provider") return crossTenant(this.db, ctx, p, "rental", id, seen.shopId);
    await this.db.transaction(async (tx) => {
      const r = (await repo.rental(tx, id, true))!;
      if (r.status !== "returned")
        throw new AppError(
          "SERVICE.NOT_RETURNED",
          `rental ${id} is ${r.status}; claims are filed once it is returned and before settlement`,
          409,
        );
      const claimed = (await repo.claims(tx, [id])).reduce((s, c) => s + c.amountFen, 0);
      const left = claimableOf(r.depositFen, r.chargeFen!) - claimed;
      if (amountFen > left)
        throw new AppError(
          "SERVICE.CLAIM_EXCEEDS_DEPOSIT",
          `amountFen: ${amountFen} is more than the ${left} fen the deposit has left ` +
            "after the charge and earlier claims",
          409,
          { field: "amountFen" },
        );
      const claimId = `dmg_${hex()}`;
      await repo.insertClaim(tx, { id: claimId, rentalId: id, amountFen, reason, by: actorOf(p) });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company,
        action: "service_rental.claim",
        resource: "service_rental",
        resourceId: id,
        changes: { claimId: { after: claimId }, amountFen: { after: amountFen } },
      });
    });
    return this.rentalView(this.db, id);
  }

  /** Settles a returned rental: charge and claims from the deposit, the rest refunded, commission on the charge. */
  async settleRental(ctx: AuditContext, p: Principal, id: string) {
    const { r: seen, side, company } = await this.partyOf(ctx, p, id);
    if (side !== "provider") return crossTenant(this.db, ctx, p, "rental", id, seen.shopId);
    await this.db.transaction(async (tx) => {
      const r = (await repo.rental(tx, id, true))!;
      if (r.status === "settled") return; // a retry: settled once
      if (!sidesOf(RENTAL_TRANSITIONS, r.status, "settled").includes(side))
        throw refused(`rental ${id}`, r.status, "settled", side);
      const claims = await repo.claims(tx, [id]);
      const claimsFen = claims.reduce((s, c) => s + c.amountFen, 0);
      const grossFen = r.chargeFen!;
      const rateBp = await repo.commissionRate(tx, "equipment_rental");
      const commissionFen = commissionOf(grossFen, rateBp);
      const { refundFen, dueFen } = settleDeposit(r.depositFen, grossFen, claimsFen);
      const used = r.billing === "time" ? `${r.usage} 分钟` : `计量 ${r.usage} 单位`;
      await settleAndBill(
        tx,
        ctx,
        this.bill,
        {
          id: `stl_${hex()}`,
          subjectId: id,
          providerId: company,
          shopId: r.shopId,
          category: "equipment_rental",
          grossFen,
          commissionRateBp: rateBp,
          commissionFen,
          netFen: grossFen - commissionFen,
          depositFen: r.depositFen,
          claimsFen,
          refundFen,
          dueFen,
          settledBy: actorOf(p),
        },
        { service: `设备租赁：${r.equipmentName}，${used}`, claims },
      );
      await repo.setRentalStatus(tx, id, "settled");
      await repo.event(tx, [id], "returned", "settled", actorOf(p));
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company,
        action: "service_rental.settle",
        resource: "service_rental",
        resourceId: id,
        changes: {
          status: { before: "returned", after: "settled" },
          commissionFen: { after: commissionFen },
          refundFen: { after: refundFen },
        },
      });
    });
    return this.rentalView(this.db, id);
  }
}
