import { z } from "zod";
import { APPLICATION_STATUSES } from "./onboarding-states.js";
import { LICENCE_TYPES } from "./licence-store.js";
import { COMPANY_KIND_VALUES } from "../orgs/orgs.schema.js";

const location = z.object({ lng: z.number().min(73).max(136), lat: z.number().min(3).max(54) }).strict();
const licence = z.string().regex(/^[0-9a-f]{64}$/, "the sha256 that POST /api/v1/onboarding/licences answered");

/** What a company fills in when it registers itself (no login): the registration and its first administrator. */
export const registrationBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    /** 统一社会信用代码: 18 characters with the GB 32100-2015 check character (checked by the service). */
    uscc: z.string().trim().max(18),
    /** Lenders are registered by the platform; service providers (training, rental, logistics) apply like traders. */
    kind: z.enum(["manufacturer", "distributor", "repair_shop", "service_provider"]),
    regionCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 region code"),
    /** GCJ-02 coordinates of the main site; the region's centre when absent. */
    location: location.optional(),
    licence,
    admin: z
      .object({
        name: z.string().trim().min(1).max(60),
        mobile: z.string().regex(/^1[3-9]\d{9}$/, "an 11-digit mainland mobile number"),
        email: z.string().trim().max(254).email().optional(),
        password: z.string().min(10).max(128),
      })
      .strict(),
  })
  .strict();
export type Registration = z.infer<typeof registrationBody>;

/** A refused application, corrected and sent again by the applicant's admin. */
export const resubmitBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    uscc: z.string().trim().max(18),
    regionCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 region code"),
    location: location.optional(),
    licence,
  })
  .strict();
export type Resubmission = z.infer<typeof resubmitBody>;

export const refuseBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();
export const approveBody = z.object({}).strict();
export const applicationParams = z
  .object({ id: z.string().regex(/^oa_[0-9a-f]{16}$/, "an application id oa_…") })
  .strict();
export const queueQuery = z
  .object({
    status: z.enum(APPLICATION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type QueueQuery = z.infer<typeof queueQuery>;

// ── Responses ──

export const licenceSchema = z
  .object({
    sha256: z.string().describe("what the registration names as `licence`"),
    type: z.enum(LICENCE_TYPES),
    bytes: z.number().int(),
  })
  .meta({ id: "LicenceUpload" });

export const applicationSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    company: z.object({
      name: z.string(),
      uscc: z.string(),
      kind: z.enum(COMPANY_KIND_VALUES),
      regionCode: z.string(),
      lng: z.number(),
      lat: z.number(),
      onboarding: z.enum(["pending", "approved"]),
    }),
    status: z.enum(APPLICATION_STATUSES),
    round: z.number().int().describe("1 for the first submission, +1 per resubmission"),
    licence: licenceSchema,
    approvalId: z.string().nullable().describe("the two-person request the first approval filed"),
    firstApprovedBy: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable().describe("why it was refused"),
    submittedAt: z.string(),
    updatedAt: z.string(),
    steps: z.array(
      z.object({
        seq: z.number().int(),
        round: z.number().int(),
        step: z.enum(["submitted", "first_approved", "approved", "refused", "withdrawn"]),
        actor: z.string().nullable(),
        reason: z.string().nullable(),
        at: z.string(),
      }),
    ),
  })
  .meta({ id: "CompanyApplication" });
export type ApplicationView = z.infer<typeof applicationSchema>;

export const registeredSchema = z
  .object({
    application: applicationSchema,
    admin: z.object({ id: z.string() }).describe("the first administrator: logs in with the mobile number given"),
  })
  .meta({ id: "SelfRegistration" });

export const queueSchema = z
  .object({
    applications: z.array(applicationSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: "CompanyApplicationQueue" });
