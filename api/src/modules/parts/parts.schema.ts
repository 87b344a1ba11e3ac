import { z } from "zod";

const partRef = z.object({ gtin: z.string().max(14), serial: z.string().max(20) }).strict();
const locationId = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,40}$/, "1-40 letters, digits or _.-")
  .optional();

export const mintBody = z
  .object({
    gtin: z.string().max(14),
    lot: z.string().max(20),
    productionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"),
    count: z.number().int().min(1).max(10_000, "at most 10,000 identities per request"),
    locationId,
    /** What the GTIN is, shown on the scan page: brand and product name (set once, updatable by its owner), and its catalogue SKU. */
    product: z
      .object({
        brand: z.string().trim().min(1).max(60),
        name: z.string().trim().min(1).max(120),
        skuId: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const receiptBody = z.object({ parts: z.array(partRef).min(1).max(10_000), locationId }).strict();

export const installationBody = z
  .object({
    gtin: z.string().max(14),
    serial: z.string().max(20),
    vin: z.string().max(17),
    locationId,
    /** The car's owner, for the shop's own records: encrypted at rest, masked in every answer. */
    owner: z
      .object({ name: z.string().trim().min(1).max(60).optional(), mobile: z.string().min(5).max(20).optional() })
      .strict()
      .optional(),
  })
  .strict();

export type MintBody = z.infer<typeof mintBody>;
export type ReceiptBody = z.infer<typeof receiptBody>;
export type InstallationBody = z.infer<typeof installationBody>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

/** Events are written at once and anchored on the chain later (GET /ledger/batches shows when). */
const written = {
  submissionId: z.number().int(),
  anchoring: z.literal("pending"),
};

export const mintResponse = z
  .object({
    runId: z.string(),
    gtin: z.string(),
    lot: z.string(),
    productionDate: z.string(),
    count: z.number().int(),
    serials: z.array(z.string()),
    ...written,
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
  })
  .meta({ id: "MintRun" });

export const receiptResponse = z
  .object({ received: z.number().int(), ...written, firstSeq: z.number().int(), lastSeq: z.number().int() })
  .meta({ id: "Receipt" });

export const installResponse = z
  .object({
    id: z.string(),
    installed: z.object({ gtin: z.string(), serial: z.string() }),
    seq: z.number().int(),
    ...written,
  })
  .meta({ id: "InstallResult" });

export const installationSchema = z
  .object({
    id: z.string(),
    gtin: z.string(),
    serial: z.string(),
    ledgerSeq: z.number().int(),
    installedAt: z.string(),
    vin: z.string().describe("masked unless revealed"),
    owner: z.object({ name: z.string().nullable(), mobile: z.string().nullable() }),
    masked: z.boolean(),
  })
  .meta({ id: "Installation" });
