import { ORDER_STATUSES } from "./order-states.js";
import { z } from "zod";

export const placeOrderBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            skuId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
            quantity: z.number().int().min(1, "quantity must be at least 1").max(100_000),
            /** Take the line from this shared-pool warehouse only (an offer the buyer chose), else the allocator picks. */
            locationId: z
              .string()
              .regex(/^loc_[0-9a-f]{16}$/, "a warehouse id loc_… (an offer's supplier.locationId)")
              .optional(),
          })
          .strict(),
      )
      .min(1)
      .max(200),
    urgent: z.boolean().optional(),
    policy: z.enum(["all_or_nothing", "partial"]).optional(),
    shipTo: z
      .object({ lng: z.number().min(73).max(136), lat: z.number().min(3).max(54) })
      .strict()
      .optional(),
  })
  .strict();

export const orderParams = z.object({ id: z.string().regex(/^ord_[0-9a-f]{16}$/, "an order id ord_…") }).strict();
export const orderListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const statusBody = z
  .object({
    to: z.enum(["picking", "shipped", "delivered", "completed"]),
    carrier: z.string().trim().min(1).max(40).optional(),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, "4-40 letters, digits or -")
      .optional(),
    /** Serialised parts in the parcel (shipping only): recorded as EPCIS shipping on the ledger. */
    parts: z
      .array(z.object({ gtin: z.string().regex(/^\d{14}$/, "a GTIN-14"), serial: z.string().min(1).max(20) }).strict())
      .min(1)
      .max(1000)
      .optional(),
  })
  .strict();

// ── Responses (what the handlers answer; checked against every answer in tests) ──

const orderStatus = z.enum(ORDER_STATUSES);

/** An order as listed (no lines). Money in fen (1/100 yuan). */
export const orderSummarySchema = z
  .object({
    id: z.string(),
    buyerId: z.string(),
    status: orderStatus,
    urgent: z.boolean(),
    policy: z.enum(["all_or_nothing", "partial"]),
    shipTo: z.object({ lng: z.number(), lat: z.number() }),
    totalFen: z.number().int(),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "OrderSummary" });

export const orderAllocationSchema = z
  .object({
    locationId: z.string(),
    sellerId: z.string(),
    quantity: z.number().int(),
    priceFen: z.number().int(),
    distanceM: z.number().int(),
  })
  .meta({ id: "OrderAllocation" });

export const orderSchema = orderSummarySchema
  .extend({
    lines: z.array(
      z.object({
        lineNo: z.number().int(),
        skuId: z.number().int(),
        quantity: z.number().int(),
        allocated: z.number().int(),
        allocations: z.array(orderAllocationSchema),
      }),
    ),
    history: z.array(z.object({ from: orderStatus.nullable(), to: orderStatus, actor: z.string(), at: z.string() })),
    parts: z.array(z.object({ gtin: z.string(), serial: z.string() })).describe("serialised parts shipped with it"),
  })
  .meta({ id: "Order" });
