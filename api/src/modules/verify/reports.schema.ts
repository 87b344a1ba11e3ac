import { z } from "zod";
import { gs1CheckDigit } from "../../../../ledger-service/src/gs1/gtin.js";
import { AI10_PATTERN, AI21_PATTERN } from "../../../../ledger-service/src/gs1/serial.js";

/** An HTML form sends an empty field as ""; an empty optional field is an absent one. */
const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), s.optional());

export const VERDICTS = ["GENUINE", "GENUINE_PENDING_ANCHOR", "UNKNOWN", "ALREADY_INSTALLED", "SUSPECT_CLONE"] as const;
export const REPORT_STATUSES = ["new", "reviewing", "confirmed", "dismissed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * A counterfeit report as the scan page's form (application/x-www-form-urlencoded) or a client (JSON) sends it: the
 * label as scanned, the verdict the page showed, and what the reporter adds.
 */
export const reportBody = z
  .object({
    gtin: z
      .string()
      .regex(/^\d{14}$/, "a GTIN-14: 14 digits")
      .refine((g) => gs1CheckDigit(g.slice(0, 13)) === Number(g[13]), "the GTIN's check digit is wrong"),
    serial: z.string().regex(AI21_PATTERN, "1-20 characters of GS1 AI 21's character set"),
    lot: optional(z.string().regex(AI10_PATTERN, "1-20 characters of GS1 AI 10's character set")),
    signature: optional(
      z.string().regex(/^[A-Za-z0-9_-]{86}$/, "the label signature as scanned: 86 base64url characters"),
    ),
    verdict: z.enum(VERDICTS),
    note: optional(z.string().trim().max(500, "at most 500 characters")),
    contact: optional(z.string().trim().max(254, "at most 254 characters")),
    loc: optional(z.string().regex(/^-?\d{1,3}(?:\.\d+)?,-?\d{1,2}(?:\.\d+)?$/, '"lng,lat" in GCJ-02 degrees')),
    /** The scan page's token (one per label, verdict and client a day): sending that page's form again records nothing new. */
    submission: optional(z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, "16-128 letters, digits, _ or -")),
  })
  .strict();
export type ReportBody = z.infer<typeof reportBody>;

export const reportQuery = z.object({ lang: z.enum(["zh", "en"]).optional() }).strict();

export const reportListQuery = z
  .object({
    status: z.enum(REPORT_STATUSES).optional(),
    gtin: z
      .string()
      .regex(/^\d{14}$/, "a GTIN-14: 14 digits")
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    reveal: z.enum(["true", "false"]).optional(),
  })
  .strict();

export const reportParams = z.object({ id: z.string().regex(/^cr_[0-9a-f]{16}$/, "a report id cr_…") }).strict();
export const revealQuery = z.object({ reveal: z.enum(["true", "false"]).optional() }).strict();

export const reportStatusBody = z
  .object({
    status: z.enum(["reviewing", "confirmed", "dismissed"]),
    /** Why it was confirmed or dismissed (what the brand found). */
    resolution: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/** The answer to a filed report (201 new, 200 when the same submission was recorded already). */
export const filedReportSchema = z
  .object({
    id: z.string(),
    status: z.enum(REPORT_STATUSES),
    duplicate: z.boolean(),
    routedTo: z.array(z.enum(["brand_owner", "platform"])),
    createdAt: z.string(),
    gtin: z.string(),
    serial: z.string(),
    lot: z.string().nullable(),
    signature: z.string().nullable(),
  })
  .meta({ id: "FiledCounterfeitReport" });

/** A counterfeit report as its brand owner and the platform see it (contact masked unless revealed). */
export const counterfeitReportSchema = z
  .object({
    id: z.string(),
    gtin: z.string(),
    serial: z.string(),
    lot: z.string().nullable(),
    signature: z.string().nullable(),
    verdict: z.string(),
    note: z.string().nullable(),
    contact: z.string().nullable(),
    location: z.object({ lng: z.number(), lat: z.number() }).nullable(),
    brandOwnerId: z.string().nullable(),
    status: z.enum(REPORT_STATUSES),
    resolution: z.string().nullable(),
    decidedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    masked: z.boolean(),
  })
  .meta({ id: "CounterfeitReport" });
export const counterfeitReportListSchema = z.object({ reports: z.array(counterfeitReportSchema) });

export const repeatsQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(3650).default(90),
    min: z.coerce.number().int().min(2).max(1000).default(2),
  })
  .strict();

const location = z.object({ lng: z.number(), lat: z.number() }).nullable();
export const reportEvidenceSchema = z
  .object({
    report: counterfeitReportSchema,
    custody: z
      .array(
        z.object({
          step: z.string(),
          at: z.string(),
          by: z.object({ name: z.string(), kind: z.string() }),
          placeName: z.string(),
          anchored: z.boolean(),
        }),
      )
      .describe("the part's custody as the ledger records it (empty: never issued)"),
    scans: z
      .array(z.object({ scannedAt: z.string(), location, byCompany: z.boolean() }))
      .describe("recent scans of the serial, newest first, places to 0.01°"),
    reportsOfSameSerial: z.number().int(),
    lastHolder: z
      .object({ companyId: z.string(), name: z.string(), kind: z.string() })
      .nullable()
      .describe("the last company of record in the part's custody"),
  })
  .meta({ id: "CounterfeitReportEvidence" });

export const reportRepeatsSchema = z
  .object({
    reportsConsidered: z.number().int(),
    locations: z.array(
      z.object({
        location: z.object({ lng: z.number(), lat: z.number() }),
        reports: z.number().int(),
        serials: z.number().int(),
        lastAt: z.string(),
      }),
    ),
    sellers: z.array(
      z.object({
        companyId: z.string(),
        name: z.string(),
        kind: z.string(),
        reports: z.number().int(),
        serials: z.number().int(),
      }),
    ),
    serials: z.array(
      z.object({ gtin: z.string(), serial: z.string(), reports: z.number().int(), places: z.number().int() }),
    ),
  })
  .meta({ id: "CounterfeitReportRepeats" });
