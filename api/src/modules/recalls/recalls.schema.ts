import { z } from "zod";

const part = z.object({ gtin: z.string().regex(/^\d{14}$/, "a GTIN-14"), serial: z.string().min(1).max(20) }).strict();

export const createRecallBody = z
  .object({
    gtin: z.string().regex(/^\d{14}$/, "a GTIN-14"),
    /** One lot of the GTIN; without it (and without a range) the whole GTIN is recalled. */
    lot: z.string().min(1).max(20).optional(),
    /** A serial range (inclusive, compared as text). */
    serials: z
      .object({ from: z.string().min(1).max(20), to: z.string().min(1).max(20) })
      .strict()
      .optional(),
    reason: z.string().trim().min(2).max(500),
  })
  .strict();

export const recallParams = z.object({ id: z.string().regex(/^rc_[0-9a-f]{16}$/, "a recall id rc_…") }).strict();
export const recallListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const recallUnitsQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) }).strict();

export const recallProgressBody = z
  .object({
    progress: z.enum(["located", "returned", "replaced", "unreachable"]),
    parts: z.array(part).min(1).max(5000),
  })
  .strict();

// ── Responses ──

export const recallSchema = z
  .object({
    id: z.string(),
    manufacturerId: z.string(),
    gtin: z.string(),
    lot: z.string().nullable(),
    serialFrom: z.string().nullable(),
    serialTo: z.string().nullable(),
    skuId: z.number().int().nullable(),
    reason: z.string(),
    status: z.enum(["open", "closed"]),
    units: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Recall" });

export const recallProgressSchema = recallSchema
  .extend({
    progress: z.object({
      located: z.number().int(),
      returned: z.number().int(),
      replaced: z.number().int(),
      unreachable: z.number().int(),
    }),
    stages: z.record(z.string(), z.number().int()).describe("units by where the ledger last saw them"),
    holders: z.number().int(),
    installed: z.number().int(),
    installers: z.number().int().describe("repair shops notified to contact the vehicles' owners"),
  })
  .meta({ id: "RecallProgress" });

export const recallUnitSchema = z
  .object({
    gtin: z.string(),
    serial: z.string(),
    lot: z.string(),
    holderId: z.string().nullable(),
    stage: z.string(),
    installationId: z.string().nullable(),
    installerId: z.string().nullable(),
    progress: z.enum(["located", "returned", "replaced", "unreachable"]),
    updatedAt: z.string(),
  })
  .meta({ id: "RecallUnit" });
