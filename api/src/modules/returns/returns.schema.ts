import { z } from "zod";
import { INSPECTIONS, RESOLUTIONS, RETURN_REASONS, RETURN_STATUSES, SWAP_KINDS } from "./return-states.js";

const part = z.object({ gtin: z.string().regex(/^\d{14}$/, "a GTIN-14"), serial: z.string().min(1).max(20) }).strict();

export const requestReturnBody = z
  .object({
    orderId: z.string().regex(/^ord_[0-9a-f]{16}$/, "an order id ord_…"),
    lineNo: z.number().int().min(1).max(200),
    /** A serialised unit: the one sold on this order (checked against the ledger's custody). */
    part: part.optional(),
    /** Units of the line (without `part`); a serialised return is one unit. */
    quantity: z.number().int().min(1).max(100_000).optional(),
    /** The warehouse that served the line, when it was split between several. */
    locationId: z
      .string()
      .regex(/^loc_[0-9a-f]{16}$/, "a warehouse id loc_…")
      .optional(),
    reason: z.enum(RETURN_REASONS),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const returnParams = z.object({ id: z.string().regex(/^rma_[0-9a-f]{16}$/, "a return id rma_…") }).strict();

export const returnListQuery = z
  .object({
    status: z.enum(RETURN_STATUSES).optional(),
    overdue: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => v === "true"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const swapListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const returnStatusBody = z
  .object({
    to: z.enum([
      "authorised",
      "partially_authorised",
      "refused",
      "shipped_back",
      "received",
      "inspected",
      "resolved",
      "closed",
    ]),
    /** partially_authorised: how many units of the request are authorised. */
    quantity: z.number().int().min(1).max(100_000).optional(),
    carrier: z.string().trim().min(1).max(40).optional(),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, "4-40 letters, digits or -")
      .optional(),
    /** received: the serial scanned on the unit that came back (serialised returns). */
    part: part.optional(),
    inspection: z.enum(INSPECTIONS).optional(),
    resolution: z.enum(RESOLUTIONS).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const compensationRuleBody = z
  .object({
    enabled: z.boolean(),
    reasons: z.array(z.enum(RETURN_REASONS)).min(1).max(6),
    warrantyDays: z.number().int().min(0).max(3650),
    requireProvenUnit: z.boolean(),
    maxInstalledDays: z.number().int().min(0).max(3650).nullable(),
    maxBuyerSwaps: z.number().int().min(0).max(100),
    maxBuyerRefunds30d: z.number().int().min(0).max(10_000),
    maxRefundFen: z.number().int().min(0).max(100_000_000),
    monthlyLimitFen: z.number().int().min(0).max(10_000_000_000),
  })
  .strict();

// ── Responses ──

const status = z.enum(RETURN_STATUSES);

export const compensationRuleSchema = compensationRuleBody
  .extend({ ownerId: z.string() })
  .meta({ id: "CompensationRule" });

export const returnSummarySchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    lineNo: z.number().int(),
    skuId: z.number().int(),
    buyerId: z.string(),
    requesterId: z.string(),
    sellerId: z.string(),
    locationId: z.string(),
    gtin: z.string().nullable(),
    serial: z.string().nullable(),
    quantity: z.number().int(),
    authorisedQuantity: z.number().int().nullable(),
    unitPriceFen: z.number().int(),
    reason: z.enum(RETURN_REASONS),
    status,
    decision: z.enum(["manual", "auto_approved"]),
    inspection: z.enum(INSPECTIONS).nullable(),
    resolution: z.enum(RESOLUTIONS).nullable(),
    custody: z.enum(["none", "ledger", "off_ledger"]).describe("where the return's own custody is recorded"),
    receivedSerial: z.string().nullable(),
    swapEvidence: z.record(z.string(), z.unknown()).nullable(),
    restocked: z.number().int(),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    note: z.string().nullable(),
    authoriseDue: z.string(),
    refundDue: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "ReturnSummary" });

export const returnPhotoSchema = z
  .object({
    id: z.string(),
    companyId: z.string().describe("the side that uploaded it"),
    media: z.enum(["image/jpeg", "image/png", "image/webp"]),
    bytes: z.number().int(),
    at: z.string(),
  })
  .meta({ id: "ReturnPhoto" });

export const photoParams = returnParams.extend({ photoId: z.string().regex(/^ph_[0-9a-f]{16}$/, "a photo id ph_…") });

export const returnSchema = returnSummarySchema
  .extend({
    history: z.array(
      z.object({ from: status.nullable(), to: status, actor: z.string(), note: z.string().nullable(), at: z.string() }),
    ),
    refund: z
      .object({ id: z.string(), amountFen: z.number().int(), kind: z.enum(["auto", "manual"]), createdAt: z.string() })
      .nullable(),
    photos: z.array(returnPhotoSchema),
    compensation: z
      .object({
        auto: z.boolean(),
        reason: z.string().optional(),
        checks: z.array(z.object({ owner: z.string(), rule: z.string(), passed: z.boolean(), evidence: z.string() })),
      })
      .optional()
      .describe("how the compensation rules decided (on the request's reply)"),
  })
  .meta({ id: "Return" });

export const swapSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    returnId: z.string().nullable(),
    sellerId: z.string(),
    requesterId: z.string(),
    gtin: z.string(),
    serial: z.string(),
    kind: z.enum(SWAP_KINDS),
    evidence: z.record(z.string(), z.unknown()),
    at: z.string(),
  })
  .meta({ id: "ReturnSwap" });
