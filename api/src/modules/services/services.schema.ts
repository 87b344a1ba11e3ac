import { z } from "zod";
import {
  BILLING_MODES,
  ENROLMENT_STATUSES,
  EQUIPMENT_KINDS,
  RENTAL_STATUSES,
  SERVICE_CATEGORIES,
  SESSION_STATUSES,
} from "./service-states.js";

const fen = (what: string) => z.number().int(`${what}: whole fen`).min(1, `${what}: at least 1 fen`).max(1e12);
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{16}$`), `an id ${prefix}_…`);

export const courseParams = z.object({ id: id("crs") }).strict();
export const sessionParams = z.object({ id: id("ses") }).strict();
export const enrolmentParams = z.object({ id: id("enr") }).strict();
export const equipmentParams = z.object({ id: id("eq") }).strict();
export const rentalParams = z.object({ id: id("rnt") }).strict();
export const categoryParams = z.object({ category: z.enum(SERVICE_CATEGORIES) }).strict();

export const commissionBody = z
  .object({ rateBp: z.number().int().min(0).max(10_000).describe("basis points: 500 = 5%") })
  .strict();
export const commissionRateSchema = z
  .object({ category: z.enum(SERVICE_CATEGORIES), rateBp: z.number().int(), updatedAt: z.string() })
  .strict();

export const createCourseBody = z
  .object({
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().max(2000).optional(),
    priceFen: fen("priceFen").describe("per seat, tax-inclusive"),
  })
  .strict();
export type CreateCourse = z.infer<typeof createCourseBody>;

export const createSessionBody = z
  .object({
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    place: z.string().trim().min(2).max(200),
    seats: z.number().int().min(1, "seats: at least 1").max(1000),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: "endsAt must be after startsAt",
    path: ["endsAt"],
  });
export type CreateSession = z.infer<typeof createSessionBody>;

export const sessionSchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    place: z.string(),
    seats: z.number().int(),
    seatsTaken: z.number().int(),
    seatsLeft: z.number().int(),
    status: z.enum(SESSION_STATUSES),
  })
  .strict();

export const courseSchema = z
  .object({
    id: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    priceFen: z.number().int(),
    createdAt: z.string(),
    sessions: z.array(sessionSchema),
  })
  .strict();

export const listQuery = z
  .object({
    /** true: only my company's (a provider's catalogue; a shop's bookings are always its own). */
    mine: z.enum(["true", "false"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const enrolBody = z.object({ attendee: z.string().trim().min(1).max(100) }).strict();

export const enrolmentSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    courseId: z.string(),
    courseTitle: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    attendee: z.string(),
    priceFen: z.number().int(),
    status: z.enum(ENROLMENT_STATUSES),
    startsAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();

export const createEquipmentBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    kind: z.enum(EQUIPMENT_KINDS),
    billing: z.enum(BILLING_MODES).describe("time: per hour of use (start/stop); meter: per unit of its meter"),
    rateFen: fen("rateFen").describe("per hour (time) or per meter unit (meter)"),
    depositFen: z.number().int().min(0).max(1e12).describe("held when a rental starts"),
    place: z.string().trim().min(2).max(200),
  })
  .strict();
export type CreateEquipment = z.infer<typeof createEquipmentBody>;

export const equipmentSchema = z
  .object({
    id: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    name: z.string(),
    kind: z.enum(EQUIPMENT_KINDS),
    billing: z.enum(BILLING_MODES),
    rateFen: z.number().int(),
    depositFen: z.number().int(),
    place: z.string(),
    status: z.enum(["available", "rented", "retired"]),
    createdAt: z.string(),
  })
  .strict();

const meter = z.number().int().min(0).max(1e12);
export const startRentalBody = z
  .object({ meterStart: meter.optional().describe("the meter reading at hand-over (meter billing only)") })
  .strict();
export const stopRentalBody = z
  .object({ meterEnd: meter.optional().describe("the meter reading at return (meter billing only)") })
  .strict();
export const claimBody = z.object({ amountFen: fen("amountFen"), reason: z.string().trim().min(2).max(500) }).strict();

export const settlementSchema = z
  .object({
    id: z.string(),
    subjectId: z.string().describe("the enrolment (enr_…) or rental (rnt_…) settled"),
    providerId: z.string(),
    providerName: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    category: z.enum(SERVICE_CATEGORIES),
    grossFen: z.number().int(),
    commissionRateBp: z.number().int(),
    commissionFen: z.number().int(),
    netFen: z.number().int(),
    depositFen: z.number().int(),
    claimsFen: z.number().int(),
    refundFen: z.number().int(),
    dueFen: z.number().int(),
    settledAt: z.string(),
  })
  .strict();

export const rentalSchema = z
  .object({
    id: z.string(),
    equipmentId: z.string(),
    equipmentName: z.string(),
    providerId: z.string(),
    providerName: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    status: z.enum(RENTAL_STATUSES),
    billing: z.enum(BILLING_MODES),
    rateFen: z.number().int(),
    depositFen: z.number().int(),
    startedAt: z.string(),
    stoppedAt: z.string().nullable(),
    meterStart: z.number().int().nullable(),
    meterEnd: z.number().int().nullable(),
    usage: z.number().int().nullable().describe("minutes (time) or meter units (meter)"),
    chargeFen: z.number().int().nullable(),
    claims: z.array(
      z.object({ id: z.string(), amountFen: z.number().int(), reason: z.string(), filedAt: z.string() }).strict(),
    ),
    claimableFen: z.number().int().nullable().describe("what claims may still take from the deposit"),
    settlement: settlementSchema.nullable(),
  })
  .strict();

export const settlementsSchema = z
  .object({
    settlements: z.array(settlementSchema),
    totals: z
      .object({ grossFen: z.number().int(), commissionFen: z.number().int(), netFen: z.number().int() })
      .strict(),
  })
  .strict();
