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
