import { z } from "zod";
import { userSchema } from "../users/users.schema.js";

/** The company kinds (a service provider: training, equipment rental, logistics; issue 17). */
export const COMPANY_KIND_VALUES = [
  "manufacturer",
  "distributor",
  "repair_shop",
  "lender",
  "service_provider",
] as const;

export const registerCompanyBody = z
  .object({
    name: z.string().trim().min(2).max(200),
    uscc: z.string().max(18),
    kind: z.enum(COMPANY_KIND_VALUES),
    regionCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 region code"),
    /** GCJ-02 coordinates of the company's main site. */
    location: z.object({ lng: z.number().min(73).max(136), lat: z.number().min(3).max(54) }).strict(),
    /** The company's own EVM address when it signs its ledger events itself. */
    address: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/)
      .optional(),
    lifecycleMode: z.enum(["anchored", "onchain"]).optional(),
    /** The company's first administrator, who logs in and creates the other users. */
    admin: z
      .object({
        name: z.string().trim().min(1).max(60),
        mobile: z.string().min(5).max(20).optional(),
        email: z.string().trim().max(254).email().optional(),
        password: z.string().min(10).max(128),
      })
      .strict()
      .refine((a) => a.mobile !== undefined || a.email !== undefined, {
        message: "a mobile number or an e-mail address is required",
        path: ["mobile"],
      })
      .optional(),
  })
  .strict();

export type RegisterCompany = z.infer<typeof registerCompanyBody>;

/** `GET /api/v1/companies` (platform): filter by kind and by a part of the name, a page at a time. */
export const companyListQuery = z
  .object({
    kind: z.enum(COMPANY_KIND_VALUES).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type CompanyListQuery = z.infer<typeof companyListQuery>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const companySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    uscc: z.string().describe("unified social credit code"),
    kind: z.enum(COMPANY_KIND_VALUES),
    regionCode: z.string(),
    lng: z.number(),
    lat: z.number(),
    onboarding: z.enum(["pending", "approved"]).describe("pending: self-registered, not yet approved; it cannot trade"),
    createdAt: z.string(),
    address: z.string().describe("the company's chain address"),
    custodial: z.boolean().describe("the platform signs its ledger events"),
    labelPublicKey: z.string().nullable().describe("Ed25519 public key (base64url) verifying its labels offline"),
  })
  .meta({ id: "Company" });

/** A company a carton may be sent to (DECISIONS 64): names and regions only. */
export const receiversResponse = z.object({
  companies: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(["distributor", "repair_shop"]),
      regionCode: z.string(),
    }),
  ),
});

export const registeredCompanyResponse = companySchema
  .extend({
    apiKey: z.string().describe("the company's first API key, shown only once"),
    apiKeyNotice: z.string(),
    admin: userSchema.nullable().describe("the first administrator, when one was given"),
  })
  .meta({ id: "RegisteredCompany" });

/** One company as the platform's list shows it: the registered fields and how many active users it has. */
export const companySummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    uscc: z.string().describe("unified social credit code"),
    kind: z.enum(COMPANY_KIND_VALUES),
    regionCode: z.string(),
    lng: z.number(),
    lat: z.number(),
    onboarding: z.enum(["pending", "approved"]),
    createdAt: z.string(),
    users: z.number().int().describe("active users"),
  })
  .meta({ id: "CompanySummary" });

export const companyListResponse = z
  .object({
    companies: z.array(companySummarySchema),
    total: z.number().int().describe("companies matching the filter (all pages)"),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: "CompanyList" });
export type CompanyList = z.infer<typeof companyListResponse>;
