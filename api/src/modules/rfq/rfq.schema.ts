import { z } from "zod";
import { RFQ_STATUSES } from "./rfq-states.js";

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

export const createRfqBody = z
  .object({
    /** Narrows the words of each line to parts that fit the vehicle (catalogue search with a VIN). */
    vin: z.string().trim().toUpperCase().regex(VIN, "17 letters and digits, no I, O or Q").optional(),
    lines: z
      .array(
        z
          .object({
            /** Words or a part number ("帕萨特 前大灯", "0 986 494 100"): the catalogue search picks the SKU. */
            query: z.string().trim().min(1).max(200).optional(),
            /** Or the SKU itself (a search hit the shop chose). */
            skuId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
            quantity: z.number().int().min(1, "quantity must be at least 1").max(10_000),
          })
          .strict()
          .refine((l) => (l.query === undefined) !== (l.skuId === undefined), "give either query or skuId"),
      )
      .min(1)
      .max(20),
    neededBy: z.iso.date("a date YYYY-MM-DD"),
    /** Suppliers with orderable stock within this distance of the shop are asked. */
    radiusKm: z.number().int().min(1).max(200).default(30),
    /** How long suppliers may quote. */
    quoteWindowHours: z.number().int().min(1).max(168).default(24),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const quoteBody = z
  .object({
    /** The supplier's shared-pool warehouse the parts come from (GET /api/v1/suppliers/locations). */
    locationId: z.string().regex(/^loc_[0-9a-f]{16}$/, "a warehouse id loc_…"),
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1).max(20),
            /** The SKU offered: the one asked for or one sharing its OE number (another brand). */
            skuId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
            unitPriceFen: z.number().int().min(1).max(100_000_000),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    /** Promised delivery; by default the warehouse's preparation time plus the drive at city speed. */
    deliveryMinutes: z.number().int().min(1).max(43_200).optional(),
    /** How long the price holds. */
    validHours: z.number().int().min(1).max(720).default(48),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const acceptBody = z.object({ quoteId: z.string().regex(/^q_[0-9a-f]{16}$/, "a quote id q_…") }).strict();
export const rfqParams = z.object({ id: z.string().regex(/^rfq_[0-9a-f]{16}$/, "a request id rfq_…") }).strict();
export const rfqListQuery = z
  .object({
    status: z.enum(RFQ_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

// ── Responses ──

const status = z.enum(RFQ_STATUSES);

export const quoteSchema = z
  .object({
    id: z.string(),
    supplierId: z.string(),
    supplierName: z.string(),
    locationId: z.string(),
    distanceM: z.number().int(),
    deliveryMinutes: z.number().int(),
    validUntil: z.string(),
    totalFen: z.number().int().describe("sum of unit price × quantity, fen"),
    note: z.string().nullable(),
    createdAt: z.string(),
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        skuId: z.number().int(),
        brand: z.string(),
        partNo: z.string(),
        name: z.string(),
        unitPriceFen: z.number().int(),
      }),
    ),
  })
  .meta({ id: "RfqQuote" });

export const rfqSummarySchema = z
  .object({
    id: z.string(),
    buyerId: z.string(),
    buyerName: z.string(),
    status,
    vin: z.string().nullable(),
    radiusKm: z.number().int(),
    neededBy: z.string(),
    note: z.string().nullable(),
    closesAt: z.string(),
    expiresAt: z.string(),
    acceptedQuoteId: z.string().nullable(),
    orderId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    recipients: z.number().int().describe("suppliers asked"),
    quotes: z.number().int().describe("quotes received (a supplier: its own, 0 or 1)"),
  })
  .meta({ id: "RfqSummary" });

export const rfqSchema = rfqSummarySchema
  .extend({
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        query: z.string(),
        skuId: z.number().int(),
        skuIds: z.array(z.number().int()).describe("SKUs a quote may name for this line"),
        brand: z.string(),
        partNo: z.string(),
        name: z.string(),
        quantity: z.number().int(),
      }),
    ),
    quoteList: z.array(quoteSchema).describe("the buyer: every quote, cheapest first; a supplier: its own only"),
    history: z.array(z.object({ from: status.nullable(), to: status, actor: z.string(), at: z.string() })),
  })
  .meta({ id: "Rfq" });
