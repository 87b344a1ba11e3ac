import type { Sql } from "../../../../ledger-service/src/index.js";
import type { BillingMode, EnrolmentStatus, RentalStatus, ServiceCategory, SessionStatus } from "./service-states.js";

export interface SessionRow {
  id: string;
  courseId: string;
  providerId: string;
  startsAt: string;
  endsAt: string;
  place: string;
  seats: number;
  seatsTaken: number;
  seatsLeft: number;
  status: SessionStatus;
}
export interface CourseRow {
  id: string;
  providerId: string;
  providerName: string;
  title: string;
  description: string | null;
  priceFen: number;
  createdAt: string;
}
export interface EnrolmentRow {
  id: string;
  sessionId: string;
  courseId: string;
  courseTitle: string;
  providerId: string;
  providerName: string;
  shopId: string;
  shopName: string;
  attendee: string;
  priceFen: number;
  status: EnrolmentStatus;
  startsAt: string;
  createdAt: string;
  updatedAt: string;
}
export interface EquipmentRow {
  id: string;
  providerId: string;
  providerName: string;
  name: string;
  kind: "lift" | "diagnostic_tool" | "other";
  billing: BillingMode;
  rateFen: number;
  depositFen: number;
  place: string;
  status: "available" | "rented" | "retired";
  createdAt: string;
}
export interface RentalRow {
  id: string;
  equipmentId: string;
  equipmentName: string;
  providerId: string;
  providerName: string;
  shopId: string;
  shopName: string;
  status: RentalStatus;
  billing: BillingMode;
  rateFen: number;
  depositFen: number;
  startedAt: string;
  stoppedAt: string | null;
  meterStart: number | null;
  meterEnd: number | null;
  usage: number | null;
  chargeFen: number | null;
}
export interface ClaimRow {
  id: string;
  amountFen: number;
  reason: string;
  filedAt: string;
}
export interface SettlementRow {
  id: string;
  subjectId: string;
  providerId: string;
  providerName: string;
  shopId: string;
  shopName: string;
  category: ServiceCategory;
  grossFen: number;
  commissionRateBp: number;
  commissionFen: number;
  netFen: number;
  depositFen: number;
  claimsFen: number;
  refundFen: number;
  dueFen: number;
  settledAt: string;
}
export type NewSettlement = Omit<SettlementRow, "providerName" | "shopName" | "settledAt"> & { settledBy: string };

const SESSION_COLS = `s.id, s.course_id AS "courseId", s.provider_id AS "providerId", s.starts_at AS "startsAt",
  s.ends_at AS "endsAt", s.place, s.seats, s.seats_taken AS "seatsTaken", s.seats - s.seats_taken AS "seatsLeft",
  s.status`;
const ENROLMENT_FROM = `SELECT e.id, e.session_id AS "sessionId", s.course_id AS "courseId", c.title AS "courseTitle",
  e.provider_id AS "providerId", p.name AS "providerName", e.shop_id AS "shopId", sh.name AS "shopName", e.attendee,
  e.price_fen AS "priceFen", e.status, s.starts_at AS "startsAt", e.created_at AS "createdAt",
  e.updated_at AS "updatedAt"
  FROM service_enrolments e JOIN service_sessions s ON s.id = e.session_id JOIN service_courses c ON c.id = s.course_id
  JOIN companies p ON p.id = e.provider_id JOIN companies sh ON sh.id = e.shop_id`;
const EQUIPMENT_FROM = `SELECT q.id, q.provider_id AS "providerId", p.name AS "providerName", q.name, q.kind, q.billing,
  q.rate_fen AS "rateFen", q.deposit_fen AS "depositFen", q.place, q.status, q.created_at AS "createdAt"
  FROM service_equipment q JOIN companies p ON p.id = q.provider_id`;
const RENTAL_FROM = `SELECT r.id, r.equipment_id AS "equipmentId", q.name AS "equipmentName",
  r.provider_id AS "providerId",
  p.name AS "providerName", r.shop_id AS "shopId", sh.name AS "shopName", r.status, r.billing, r.rate_fen AS "rateFen",
  r.deposit_fen AS "depositFen", r.started_at AS "startedAt", r.stopped_at AS "stoppedAt",
  r.meter_start AS "meterStart",
  r.meter_end AS "meterEnd", r.usage, r.charge_fen AS "chargeFen"
  FROM service_rentals r JOIN service_equipment q ON q.id = r.equipment_id JOIN companies p ON p.id = r.provider_id
  JOIN companies sh ON sh.id = r.shop_id`;
const SETTLEMENT_FROM = `SELECT t.id, t.subject_id AS "subjectId", t.provider_id AS "providerId",
  p.name AS "providerName",
  t.shop_id AS "shopId", sh.name AS "shopName", t.category, t.gross_fen AS "grossFen",
  t.commission_rate_bp AS "commissionRateBp", t.commission_fen AS "commissionFen", t.net_fen AS "netFen",
  t.deposit_fen AS "depositFen", t.claims_fen AS "claimsFen", t.refund_fen AS "refundFen", t.due_fen AS "dueFen",
  t.settled_at AS "settledAt"
  FROM service_settlements t JOIN companies p ON p.id = t.provider_id JOIN companies sh ON sh.id = t.shop_id`;

/** The only SQL on the services marketplace's tables. */
export const servicesRepository = {
  async commissionRates(db: Sql) {
    const { rows } = await db.query<{ category: ServiceCategory; rateBp: number; updatedAt: string }>(
      `SELECT category, rate_bp AS "rateBp", updated_at AS "updatedAt" FROM service_commission_rates ORDER BY category`,
    );
    return rows;
  },
  async setCommissionRate(tx: Sql, category: ServiceCategory, rateBp: number, by: string) {
    const { rows } = await tx.query<{ before: number | null }>(
      `WITH old AS (SELECT rate_bp FROM service_commission_rates WHERE category = $1 FOR UPDATE)
       INSERT INTO service_commission_rates (category, rate_bp, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (category) DO UPDATE SET rate_bp = $2, updated_by = $3, updated_at = now()
       RETURNING (SELECT rate_bp FROM old) AS before`,
      [category, rateBp, by],
    );
    return rows[0]?.before ?? null;
  },
  async commissionRate(tx: Sql, category: ServiceCategory): Promise<number> {
    const { rows } = await tx.query<{ rateBp: number }>(
      `SELECT rate_bp AS "rateBp" FROM service_commission_rates WHERE category = $1`,
      [category],
    );
    return rows[0]?.rateBp ?? 500;
  },

  async insertCourse(
    tx: Sql,
    c: { id: string; providerId: string; title: string; description: string | null; priceFen: number; by: string },
  ) {
    await tx.query(
      `INSERT INTO service_courses (id, provider_id, title, description, price_fen, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, c.providerId, c.title, c.description, c.priceFen, c.by],
    );
  },
  async courses(db: Sql, providerId: string | null, limit: number, id?: string): Promise<CourseRow[]> {
    const { rows } = await db.query<CourseRow>(
      `SELECT c.id, c.provider_id AS "providerId", p.name AS "providerName", c.title, c.description,
              c.price_fen AS "priceFen", c.created_at AS "createdAt"
         FROM service_courses c JOIN companies p ON p.id = c.provider_id
        WHERE ($1::text IS NULL OR c.provider_id = $1) AND ($3::text IS NULL OR c.id = $3)
        ORDER BY c.created_at DESC, c.id LIMIT $2`,
      [providerId, limit, id ?? null],
    );
    return rows;
  },
  async sessionsOf(db: Sql, courseIds: string[]): Promise<SessionRow[]> {
    if (!courseIds.length) return [];
    const { rows } = await db.query<SessionRow>(
      `SELECT ${SESSION_COLS} FROM service_sessions s WHERE s.course_id = ANY($1::text[]) ORDER BY s.starts_at, s.id`,
      [courseIds],
    );
    return rows;
  },
  async insertSession(
    tx: Sql,
    s: {
      id: string;
      courseId: string;
      providerId: string;
      startsAt: string;
      endsAt: string;
      place: string;
      seats: number;
    },
  ) {
    await tx.query(
      `INSERT INTO service_sessions (id, course_id, provider_id, starts_at, ends_at, place, seats)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.id, s.courseId, s.providerId, s.startsAt, s.endsAt, s.place, s.seats],
    );
  },
  async session(db: Sql, id: string, lock = false): Promise<(SessionRow & { priceFen: number; title: string }) | null> {
    const { rows } = await db.query<SessionRow & { priceFen: number; title: string }>(
      `SELECT ${SESSION_COLS}, c.price_fen AS "priceFen", c.title FROM service_sessions s
         JOIN service_courses c ON c.id = s.course_id WHERE s.id = $1${lock ? " FOR UPDATE OF s" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },
  /** Takes one seat if one is left: the conditional update is atomic, so of two racing for the last seat one wins. */
  async takeSeat(tx: Sql, sessionId: string): Promise<boolean> {
    const { rows } = await tx.query(
      `UPDATE service_sessions SET seats_taken = seats_taken + 1
        WHERE id = $1 AND status = 'scheduled' AND seats_taken < seats RETURNING id`,
      [sessionId],
    );
    return rows.length === 1;
  },
  async freeSeat(tx: Sql, sessionId: string) {
    await tx.query(`UPDATE service_sessions SET seats_taken = seats_taken - 1 WHERE id = $1`, [sessionId]);
  },
  async setSessionStatus(tx: Sql, id: string, status: SessionStatus, seatsTaken?: number) {
    await tx.query(`UPDATE service_sessions SET status = $2, seats_taken = COALESCE($3, seats_taken) WHERE id = $1`, [
      id,
      status,
      seatsTaken ?? null,
    ]);
  },
  async insertEnrolment(
    tx: Sql,
    e: {
      id: string;
      sessionId: string;
      providerId: string;
      shopId: string;
      attendee: string;
      priceFen: number;
      by: string;
    },
  ) {
    await tx.query(
      `INSERT INTO service_enrolments (id, session_id, provider_id, shop_id, attendee, price_fen, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.id, e.sessionId, e.providerId, e.shopId, e.attendee, e.priceFen, e.by],
    );
  },
  async enrolment(db: Sql, id: string, lock = false): Promise<EnrolmentRow | null> {
    const { rows } = await db.query<EnrolmentRow>(
      `${ENROLMENT_FROM} WHERE e.id = $1${lock ? " FOR UPDATE OF e" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  },
  async enrolments(db: Sql, companyId: string, limit: number): Promise<EnrolmentRow[]> {
    const { rows } = await db.query<EnrolmentRow>(
      `${ENROLMENT_FROM} WHERE e.shop_id = $1 OR e.provider_id = $1 ORDER BY e.created_at DESC, e.id LIMIT $2`,
      [companyId, limit],
    );
    return rows;
  },
  async enrolledOf(tx: Sql, sessionId: string): Promise<EnrolmentRow[]> {
    const { rows } = await tx.query<EnrolmentRow>(
      `${ENROLMENT_FROM} WHERE e.session_id = $1 AND e.status = 'enrolled' ORDER BY e.id`,
      [sessionId],
    );
    return rows;
  },
  async setEnrolmentStatus(tx: Sql, ids: string[], status: EnrolmentStatus) {
    await tx.query(`UPDATE service_enrolments SET status = $2, updated_at = now() WHERE id = ANY($1::text[])`, [
      ids,
      status,
    ]);
  },

  async insertEquipment(
    tx: Sql,
    q: { id: string; providerId: string; by: string } & Omit<
      EquipmentRow,
      "id" | "providerId" | "providerName" | "status" | "createdAt"
    >,
  ) {
    await tx.query(
      `INSERT INTO service_equipment (id, provider_id, name, kind, billing, rate_fen, deposit_fen, place, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [q.id, q.providerId, q.name, q.kind, q.billing, q.rateFen, q.depositFen, q.place, q.by],
    );
  },
  async equipment(
    db: Sql,
    providerId: string | null,
    limit: number,
    id?: string,
    lock = false,
  ): Promise<EquipmentRow[]> {
    const { rows } = await db.query<EquipmentRow>(
      `${EQUIPMENT_FROM} WHERE ($1::text IS NULL OR q.provider_id = $1) AND ($3::text IS NULL OR q.id = $3)
        ORDER BY q.created_at DESC, q.id LIMIT $2${lock ? " FOR UPDATE OF q" : ""}`,
      [providerId, limit, id ?? null],
    );
    return rows;
  },
  async setEquipmentStatus(tx: Sql, id: string, status: EquipmentRow["status"]) {
    await tx.query(`UPDATE service_equipment SET status = $2 WHERE id = $1`, [id, status]);
  },
  async insertRental(
    tx: Sql,
    r: {
      id: string;
      equipmentId: string;
      providerId: string;
      shopId: string;
      billing: BillingMode;
      rateFen: number;
      depositFen: number;
      meterStart: number | null;
      startedAt: string;
      by: string;
    },
  ) {
    await tx.query(
      `INSERT INTO service_rentals (id, equipment_id, provider_id, shop_id, billing, rate_fen, deposit_fen, meter_start,
         started_at, started_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.id,
        r.equipmentId,
        r.providerId,
        r.shopId,
        r.billing,
        r.rateFen,
        r.depositFen,
        r.meterStart,
        r.startedAt,
        r.by,
      ],
    );
  },
  async rental(db: Sql, id: string, lock = false): Promise<RentalRow | null> {
    const { rows } = await db.query<RentalRow>(`${RENTAL_FROM} WHERE r.id = $1${lock ? " FOR UPDATE OF r" : ""}`, [id]);
    return rows[0] ?? null;
  },
  async rentals(db: Sql, companyId: string, limit: number): Promise<RentalRow[]> {
    const { rows } = await db.query<RentalRow>(
      `${RENTAL_FROM} WHERE r.shop_id = $1 OR r.provider_id = $1 ORDER BY r.started_at DESC, r.id LIMIT $2`,
      [companyId, limit],
    );
    return rows;
  },
  async stopRental(
    tx: Sql,
    id: string,
    r: { stoppedAt: string; meterEnd: number | null; usage: number; chargeFen: number; by: string },
  ) {
    await tx.query(
      `UPDATE service_rentals SET status = 'returned', stopped_at = $2, meter_end = $3, usage = $4, charge_fen = $5,
         stopped_by = $6
        WHERE id = $1`,
      [id, r.stoppedAt, r.meterEnd, r.usage, r.chargeFen, r.by],
    );
  },
  async setRentalStatus(tx: Sql, id: string, status: RentalStatus) {
    await tx.query(`UPDATE service_rentals SET status = $2 WHERE id = $1`, [id, status]);
  },
  async claims(db: Sql, rentalIds: string[]): Promise<Array<ClaimRow & { rentalId: string }>> {
    if (!rentalIds.length) return [];
    const { rows } = await db.query<ClaimRow & { rentalId: string }>(
      `SELECT id, rental_id AS "rentalId", amount_fen AS "amountFen", reason, filed_at AS "filedAt"
         FROM service_damage_claims WHERE rental_id = ANY($1::text[]) ORDER BY filed_at, id`,
      [rentalIds],
    );
    return rows;
  },
  async insertClaim(tx: Sql, c: { id: string; rentalId: string; amountFen: number; reason: string; by: string }) {
    await tx.query(
      `INSERT INTO service_damage_claims (id, rental_id, amount_fen, reason, filed_by) VALUES ($1, $2, $3, $4, $5)`,
      [c.id, c.rentalId, c.amountFen, c.reason, c.by],
    );
  },

  async event(tx: Sql, subjectIds: string[], from: string | null, to: string, actor: string) {
    await tx.query(
      `INSERT INTO service_events (subject_id, from_status, to_status, actor) SELECT unnest($1::text[]), $2, $3, $4`,
      [subjectIds, from, to, actor],
    );
  },
  async insertSettlement(tx: Sql, s: NewSettlement) {
    await tx.query(
      `INSERT INTO service_settlements (id, subject_id, provider_id, shop_id, category, gross_fen, commission_rate_bp,
         commission_fen, net_fen, deposit_fen, claims_fen, refund_fen, due_fen, settled_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        s.id,
        s.subjectId,
        s.providerId,
        s.shopId,
        s.category,
        s.grossFen,
        s.commissionRateBp,
        s.commissionFen,
        s.netFen,
        s.depositFen,
        s.claimsFen,
        s.refundFen,
        s.dueFen,
        s.settledBy,
      ],
    );
  },
  async settlements(
    db: Sql,
    filter: { providerId?: string | null; subjectIds?: string[] },
    limit: number,
  ): Promise<SettlementRow[]> {
    const { rows } = await db.query<SettlementRow>(
      `${SETTLEMENT_FROM} WHERE ($1::text IS NULL OR t.provider_id = $1)
         AND ($2::text[] IS NULL OR t.subject_id = ANY($2::text[]))
        ORDER BY t.settled_at DESC, t.id LIMIT $3`,
      [filter.providerId ?? null, filter.subjectIds ?? null, limit],
    );
    return rows;
  },
};
