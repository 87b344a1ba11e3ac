import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import { commissionOf } from "./service-money.js";
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
import {
  ENROLMENT_TRANSITIONS,
  SESSION_TRANSITIONS,
  sidesOf,
  type ServiceCategory,
  type ServiceSide,
} from "./service-states.js";
import { servicesRepository as repo } from "./services.repository.js";
import type { CreateCourse, CreateSession } from "./services.schema.js";

/** The Asia/Shanghai calendar date of an instant (UTC+8, no daylight saving). */
const shanghaiDate = (v: string | Date) => new Date(new Date(v).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The services marketplace's training (issue 17, DECISIONS 100-101), its commission rates and its settlements list
 * (equipment and rentals: rentals.service.ts). Providers list courses with sessions of so many seats; repair shops
 * enrol. Seats are taken by one conditional UPDATE, so of racing enrolments for the last seat one wins; an enrolment
 * honours an Idempotency-Key; every state change follows the tables in service-states.ts. Completing a session writes
 * one settlement per attended seat with the training commission (service-money.ts) and bills it in finance in the
 * same transaction (DECISIONS 114).
 */
export class ServicesService {
  constructor(
    private readonly db: Sql,
    private readonly bill: BillService,
  ) {}

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
          await settleAndBill(
            tx,
            ctx,
            this.bill,
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
