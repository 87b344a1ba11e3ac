import { z } from "zod";

const locationId = z.string().regex(/^loc_[0-9a-f]{16}$/, "a warehouse id loc_… (GET /api/v1/suppliers/locations)");
const skuId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const serialsQuery = z
  .object({ skuId: z.coerce.number().int().min(1), limit: z.coerce.number().int().min(1).max(5000).default(1000) })
  .strict();
export const stockQuery = z
  .object({ locationId: locationId.optional(), skuId: z.coerce.number().int().min(1).optional() })
  .strict();

export const movementBody = z
  .object({
    locationId,
    skuId,
    reason: z.enum(["receipt", "return", "adjustment"]),
    quantity: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((q) => q !== 0, "quantity must not be 0"),
    ref: z.string().trim().min(1).max(64).optional(),
  })
  .strict();

export const stockSettingsBody = z
  .object({
    locationId,
    skuId,
    shared: z.boolean().optional(),
    price: z.number().gt(0).max(10_000_000).multipleOf(0.01).nullable().optional(),
    reorderPoint: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export const warehouseParams = z.object({ id: locationId }).strict();
export const warehouseBody = z.object({ shared: z.boolean() }).strict();

export const syncBody = z
  .object({
    documentId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "1-64 letters, digits or _.:- (your document number)"),
    mode: z.enum(["set", "adjust"]),
    lines: z
      .array(
        z
          .object({
            warehouse: z.string().min(1).max(40),
            brand: z.string().min(1).max(40),
            partNo: z.string().min(1).max(40),
            quantity: z.number().int().min(-1_000_000).max(1_000_000),
          })
          .strict(),
      )
      .min(1)
      .max(5000),
  })
  .strict();

export const syncLogQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const transfersQuery = z
  .object({ status: z.enum(["proposed", "in_transit", "received", "rejected"]).optional() })
  .strict();
export const transferParams = z.object({ id: z.string().regex(/^tr_[0-9a-f]{16}$/, "a transfer id tr_…") }).strict();
export const transferDecisionParams = z
  .object({ id: z.string().regex(/^tr_[0-9a-f]{16}$/, "a transfer id tr_…"), decision: z.enum(["approve", "reject"]) })
  .strict();
/** Approving may name the serialised parts that travel with the transfer (shipped on the ledger from the source). */
export const transferDecisionBody = z
  .object({
    parts: z
      .array(z.object({ gtin: z.string().regex(/^\d{14}$/, "a GTIN-14"), serial: z.string().min(1).max(20) }).strict())
      .min(1)
      .max(1000)
      .optional(),
  })
  .strict();
