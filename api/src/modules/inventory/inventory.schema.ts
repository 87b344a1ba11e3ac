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

// ── Responses (what the handlers answer; checked against every answer in tests) ──

/** A SKU's stock at one warehouse; prices in fen (1/100 yuan). */
export const stockSchema = z
  .object({
    locationId: z.string(),
    skuId: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int().describe("reserved for orders"),
    locked: z.number().int().describe("locked by live warehouse receipts (pledgeable collateral): not movable"),
    available: z.number().int().describe("on hand − reserved − locked"),
    inTransit: z.number().int(),
    reorderPoint: z.number().int(),
    shared: z.boolean().describe("in the shared pool"),
    priceFen: z.number().int().nullable().describe("the pool price"),
  })
  .meta({ id: "Stock" });

export const transferSchema = z
  .object({
    id: z.string(),
    companyId: z.string(),
    skuId: z.number().int(),
    fromLocation: z.string(),
    toLocation: z.string(),
    quantity: z.number().int(),
    distanceM: z.number().int(),
    status: z.enum(["proposed", "in_transit", "received", "rejected"]),
    proposedBy: z.string(),
    decidedBy: z.string().nullable(),
    parts: z.array(z.object({ gtin: z.string(), serial: z.string() })).describe("serialised parts travelling with it"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Transfer" });

export const heldPartParams = z
  .object({ gtin: z.string().regex(/^\d{14}$/), serial: z.string().min(1).max(20) })
  .strict();
export const heldPartResponse = z.object({ gtin: z.string(), serial: z.string(), held: z.boolean() });

export const heldSerialsResponse = z.object({
  skuId: z.number().int(),
  serials: z.array(z.object({ gtin: z.string(), serial: z.string(), lot: z.string(), stage: z.string() })),
});

export const syncResponse = z
  .object({
    documentId: z.string(),
    mode: z.enum(["set", "adjust"]),
    ok: z.number().int(),
    errors: z.number().int(),
    lines: z.array(
      z.object({
        line: z.number().int(),
        status: z.enum(["ok", "error"]),
        code: z.string().optional(),
        message: z.string().optional(),
        onHand: z.number().int().optional(),
        available: z.number().int().optional(),
      }),
    ),
  })
  .meta({ id: "StockSyncResult" });

/** The ERP sync log: each past sync document as it was answered, with when it arrived. */
export const syncLogResponse = z.object({
  documents: z.array(syncResponse.extend({ receivedAt: z.string() })),
});
