import { z } from "zod";

const companyId = z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…");

export const grantConsentBody = z.object({ lenderId: companyId }).strict();
export type GrantConsentBody = z.infer<typeof grantConsentBody>;
export const consentParams = z.object({ id: z.string().regex(/^cc_[0-9a-f]{16}$/, "a consent id cc_…") }).strict();
export const borrowerParams = z.object({ companyId }).strict();

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const consentSchema = z
  .object({
    id: z.string(),
    borrowerId: z.string(),
    lenderId: z.string(),
    grantedBy: z.string(),
    grantedAt: z.string(),
    revokedBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
    live: z.boolean().describe("granted and not revoked"),
  })
  .strict();
export const consentListResponse = z.object({ consents: z.array(consentSchema) }).strict();

/** The explainable score (DECISIONS 78): the total is the rounded sum of score × weight / 100 over the factors. */
export const creditSchema = z
  .object({
    score: z.number().int().describe("0–100"),
    factors: z.array(
      z.object({
        key: z.enum(["deliveries", "receipts", "punctuality", "counterfeit", "tenure"]),
        value: z.number(),
        score: z.number().int(),
        basis: z.string().describe("what the value counts and how it is scored"),
        weight: z.number().int().describe("percent; the weights sum to 100"),
        contribution: z.number(),
      }),
    ),
    deliveredValueFen: z.number().int(),
  })
  .strict();

export const borrowerProfileSchema = z
  .object({
    borrower: z.object({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      regionCode: z.string(),
      registeredAt: z.string(),
    }),
    consent: z.object({ id: z.string(), grantedAt: z.string() }),
    /** Warehouse receipts the borrower pledged to this lender (live or past). */
    pledgedToYou: z.array(z.object({ id: z.string(), status: z.string(), locationId: z.string(), units: z.number() })),
    credit: creditSchema,
  })
  .strict();
