import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import {
  ENROLMENT_TRANSITIONS,
  RENTAL_TRANSITIONS,
  SESSION_TRANSITIONS,
  sidesOf,
  type ServiceCategory,
  type ServiceSide,
} from "./service-states.js";
import { chargeOf, claimableOf, commissionOf, settleDeposit, usageMinutes } from "./service-money.js";
import {
  servicesRepository as repo,
  type NewSettlement,
  type RentalRow,
  type SettlementRow,
} from "./services.repository.js";
import { serviceBill, type BillItems } from "./service-billing.js";
import type { ServiceBill } from "../finance/invoices.service.js";
import type { CreateCourse, CreateEquipment, CreateSession } from "./services.schema.js";

const hex = () => randomBytes(8).toString("hex");
const actorOf = (p: Principal) => p.person ?? p.id;
const iso = (v: string | Date) => new Date(v).toISOString();
/** The Asia/Shanghai calendar date of an instant (UTC+8, no daylight saving). */
const shanghaiDate = (v: string | Date) => new Date(new Date(v).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function companyOf(p: Principal, what: string): string {
  if (!p.companyId) throw new AppError("ORG.REQUIRED", `${what} is a company's`, 409);
  return p.companyId;
}

const refused = (what: string, from: string, to: string, side: ServiceSide | null) =>
  new AppError(
    "SERVICE.INVALID_TRANSITION",
    `${what} is ${from}; ${side ? `the ${side}` : "nobody"} cannot move it to ${to}`,
    409,
    { field: "status" },
  );

/** The finance module's port: a settlement's invoices, written inside the settlement's transaction (DECISIONS 114). */
export type BillService = (tx: Sql, ctx: AuditContext, bill: ServiceBill) => Promise<unknown>;

/**
 * The services marketplace (issue 17, DECISIONS 100-101). Providers list courses (sessions with seats) and equipment
 * (billed by time or meter, with a deposit); repair shops enrol and rent. Seats are taken by one conditional UPDATE,
 * so of racing enrolments for the last seat one wins; enrolment and rental start honour an Idempotency-Key; every
 * state change follows the tables in service-states.ts. Completing a session or settling a rental writes one
 * settlement per enrolment or rental with the platform's commission of its category (service-money.ts), and bills
 * it in finance in the same transaction (DECISIONS 114).
 */
export class ServicesService {
  constructor(
    private readonly db: Sql,
    private readonly bill: BillService,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records one settlement and bills it in finance, in the caller's transaction: both or neither. */
  private async settle(tx: Sql, ctx: AuditContext, s: NewSettlement, items: BillItems) {
    await repo.insertSettlement(tx, s);
    await this.bill(tx, ctx, serviceBill(s, items, s.settledBy));
  }

  async commissionRates() {
    return (await repo.commissionRates(this.db)).map((r) => ({ ...r, updatedAt: iso(r.updatedAt) }));
  }

  async setCommissionRate(ctx: AuditContext, p: Principal, category: ServiceCategory, rateBp: number) {
    await this.db.transaction(async (tx) => {
      const before = await repo.setCommissionRate(tx, category, rateBp, actorOf(p));
      await auditTrail.append(tx, {
        ...ctx,
        companyId: null,
        action: "service_commission.set",
        resource: "service_commission",
        resourceId: category,
        changes: { rateBp: { before, after: rateBp } },
      });
    });
    return (await this.commissionRates()).find((r) => r.category === category)!;
  }

  // ── courses and sessions ───────────────────────────────────────────────────────────────────────────────────────

  async createCourse(ctx: AuditContext, p: Principal, body: CreateCourse) {
    const providerId = companyOf(p, "a course");
    const id = `crs_${hex()}`;
    await this.db.transaction(async (tx) => {
      await repo.insertCourse(tx, {
        id,
        providerId,
        title: body.title,
        description: body.description ?? null,
        priceFen: body.priceFen,
        by: actorOf(p),
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: providerId,
        action: "service_course.create",
        resource: "service_course",
        resourceId: id,
        changes: { title: { after: body.title }, priceFen: { after: body.priceFen } },
      });
    });
    return (await this.courses(p, true, 1, id))[0]!;
  }

  /** Courses with their sessions: all providers' (browsing), or with `mine` my company's only. */
  async courses(p: Principal, mine: boolean, limit: number, id?: string) {
    const rows = await repo.courses(this.db, mine ? companyOf(p, "my catalogue") : null, limit, id);
    const sessions = await repo.sessionsOf(
      this.db,
      rows.map((c) => c.id),
    );
    return rows.map((c) => ({
      ...c,
      createdAt: iso(c.createdAt),
      sessions: sessions
        .filter((s) => s.courseId === c.id)
        .map(({ providerId: _, ...s }) => ({ ...s, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) })),
    }));
  }

  async addSession(ctx: AuditContext, p: Principal, courseId: string, body: CreateSession) {
    const providerId = companyOf(p, "a session");
    const course = (await repo.courses(this.db, null, 1, courseId))[0];
    if (!course || course.providerId !== providerId)
      return crossTenant(this.db, ctx, p, "course", courseId, course?.providerId ?? null);
    const id = `ses_${hex()}`;
    await this.db.transaction(async (tx) => {
      await repo.insertSession(tx, { id, courseId, providerId, ...body });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: providerId,
        action: "service_session.create",
        resource: "service_session",
        resourceId: id,
        changes: { courseId: { after: courseId }, seats: { after: body.seats }, startsAt: { after: body.startsAt } },
      });
    });
    return (await this.courses(p, true, 1, courseId))[0]!;
  }

  /** A seat for `attendee`, if one is left; with an Idempotency-Key a retry answers the first enrolment. */
  async enrol(ctx: AuditContext, p: Principal, sessionId: string, attendee: string, key?: string): Promise<Reply> {
    const shopId = companyOf(p, "an enrolment");
    const session = await repo.session(this.db, sessionId);
    if (!session) return crossTenant(this.db, ctx, p, "session", sessionId, null);
    return idempotent(this.db, shopId, "service.enrol", { sessionId, attendee }, key, async (within) => {
      const id = `enr_${hex()}`;
      try {
        await this.db.transaction(async (tx) => {
          if (!(await repo.takeSeat(tx, sessionId))) {
            const now = await repo.session(tx, sessionId);
            throw now?.status !== "scheduled"
              ? new AppError(
                  "SERVICE.SESSION_CLOSED",
                  `session ${sessionId} is ${now?.status}; it takes no enrolments`,
                  409,
                )
              : new AppError("SERVICE.FULLY_BOOKED", `session ${sessionId}: all ${now.seats} seats are taken`, 409);
          }
          await repo.insertEnrolment(tx, {
            id,
            sessionId,
            providerId: session.providerId,
            shopId,
            attendee,
            priceFen: session.priceFen,
            by: actorOf(p),
          });
          await repo.event(tx, [id], null, "enrolled", actorOf(p));
          await auditTrail.append(tx, {
            ...ctx,
            companyId: shopId,
            action: "service_enrolment.create",
            resource: "service_enrolment",
            resourceId: id,
            changes: {
              sessionId: { after: sessionId },
              attendee: { after: attendee },
              priceFen: { after: session.priceFen },
            },
          });
          await within(tx, { status: 201, body: await this.enrolmentView(tx, id) });
        });
      } catch (e) {
        if (uniqueViolation(e, "service_enrolments_live"))
          throw new AppError(
            "SERVICE.ALREADY_ENROLLED",
            `attendee: ${attendee} already holds a seat in session ${sessionId}`,
            409,
            { field: "attendee" },
          );
        throw e;
      }
      return { status: 201, body: await this.enrolmentView(this.db, id) };
    });
  }

  private async enrolmentView(db: Sql, id: string) {
    const e = (await repo.enrolment(db, id))!;
    return { ...e, startsAt: iso(e.startsAt), createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt) };
  }

  async enrolments(p: Principal, limit: number) {
    const rows = await repo.enrolments(this.db, companyOf(p, "enrolments"), limit);
    return rows.map((e) => ({
      ...e,
      startsAt: iso(e.startsAt),
      createdAt: iso(e.createdAt),
      updatedAt: iso(e.updatedAt),
    }));
  }

  /** Cancels a seat (the shop's or the provider's side) and frees it; cancelling it again changes nothing. */
  async cancelEnrolment(ctx: AuditContext, p: Principal, id: string) {
    const company = companyOf(p, "an enrolment");
    const seen = await repo.enrolment(this.db, id);
    if (!seen || (seen.shopId !== company && seen.providerId !== company))
      return crossTenant(this.db, ctx, p, "enrolment", id, seen?.shopId ?? null);
    await this.db.transaction(async (tx) => {
      const e = (await repo.enrolment(tx, id, true))!;
      if (e.status === "cancelled") return; // a retry: already done
      const side: ServiceSide = e.shopId === company ? "shop" : "provider";
      if (!sidesOf(ENROLMENT_TRANSITIONS, e.status, "cancelled").includes(side))
        throw refused(`enrolment ${id}`, e.status, "cancelled", side);
      await repo.setEnrolmentStatus(tx, [id], "cancelled");
      await repo.freeSeat(tx, e.sessionId);
      await repo.event(tx, [id], e.status, "cancelled", actorOf(p));
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company,
        action: "service_enrolment.cancel",
        resource: "service_enrolment",
        resourceId: id,
        changes: { status: { before: e.status, after: "cancelled" } },
      });
    });
    return this.enrolmentView(this.db, id);
  }

  /**
   * The provider closes a session: completed (its enrolled seats attended, each settled with the training
   * commission) or cancelled (its enrolled seats cancelled). Repeating the same close answers the session as it is.
   */
  async closeSession(ctx: AuditContext, p: Principal, sessionId: string, to: "completed" | "cancelled") {
    const providerId = companyOf(p, "a session");
    const seen = await repo.session(this.db, sessionId);
    if (!seen || seen.providerId !== providerId)
      return crossTenant(this.db, ctx, p, "session", sessionId, seen?.providerId ?? null);
    const courseId = await this.db.transaction(async (tx) => {
      const s = (await repo.session(tx, sessionId, true))!;
      if (s.status === to) return s.courseId;
      if (!sidesOf(SESSION_TRANSITIONS, s.status, to).includes("provider"))
        throw refused(`session ${sessionId}`, s.status, to, "provider");
      const enrolled = await repo.enrolledOf(tx, sessionId);
      const ids = enrolled.map((e) => e.id);
      const next = to === "completed" ? "attended" : "cancelled";
      await repo.setSessionStatus(tx, sessionId, to, to === "cancelled" ? 0 : undefined);
      if (ids.length) {
        await repo.setEnrolmentStatus(tx, ids, next);
        await repo.event(tx, ids, "enrolled", next, actorOf(p));
      }
      if (to === "completed") {
        const rateBp = await repo.commissionRate(tx, "training");
        for (const e of enrolled) {
          const commissionFen = commissionOf(e.priceFen, rateBp);
          await this.settle(
            tx,
            ctx,
            {
              id: `stl_${hex()}`,
              subjectId: e.id,
              providerId,
              shopId: e.shopId,
              category: "training",
              grossFen: e.priceFen,
              commissionRateBp: rateBp,
              commissionFen,
              netFen: e.priceFen - commissionFen,
              depositFen: 0,
              claimsFen: 0,
              refundFen: 0,
              dueFen: e.priceFen,
              settledBy: actorOf(p),
            },
            { service: `培训：${e.courseTitle}（${e.attendee}，${shanghaiDate(e.startsAt)}）` },
          );
        }
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: providerId,
        action: `service_session.${to === "completed" ? "complete" : "cancel"}`,
        resource: "service_session",
        resourceId: sessionId,
        changes: { status: { before: s.status, after: to }, enrolments: { after: ids.length } },
      });
      return s.courseId;
    });
    return (await this.courses(p, true, 1, courseId))[0]!;
  }

  // ── equipment and rentals ──────────────────────────────────────────────────────────────────────────────────────

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
      await this.settle(
        tx,
        ctx,
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

  /** Settlements: a provider's own, or every provider's (the platform), with totals of gross, commission and net. */
  async settlements(p: Principal, limit: number) {
    const rows = await repo.settlements(this.db, { providerId: p.companyId }, limit);
    const list = rows.map(settlementView);
    const sum = (k: "grossFen" | "commissionFen" | "netFen") => list.reduce((s, x) => s + x[k], 0);
    return {
      settlements: list,
      totals: { grossFen: sum("grossFen"), commissionFen: sum("commissionFen"), netFen: sum("netFen") },
    };
  }
}

const settlementView = (s: SettlementRow) => ({ ...s, settledAt: iso(s.settledAt) });
