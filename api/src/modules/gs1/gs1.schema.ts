import { z } from "zod";

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const gs1PrefixSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    prefix: z.string().describe("GS1 company prefix (6-12 digits)"),
    licenceRef: z.string(),
    status: z.enum(["submitted", "verified", "rejected"]),
    submittedBy: z.string(),
    submittedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: "Gs1Prefix" });
