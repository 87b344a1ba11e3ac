import { z } from "zod";
import { partTypes } from "../catalog/data/categories.js";
import { stockSchema, transferSchema } from "../inventory/inventory.schema.js";
import { approvalSchema } from "../users/users.schema.js";

const locationId = z.string().regex(/^loc_[0-9a-f]{16}$/, "a warehouse id loc_… (GET /api/v1/suppliers/locations)");
const skuId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const scope = z.enum(["warehouse", "city", "province"]);
const granularity = z.enum(["day", "month"]);
const provinceCode = z.string().regex(/^\d{2}0000$/, "a GB/T 2260 province code (440000) or all");
const partType = z
  .string()
  .refine(
    (t) => t === "*" || partTypes().some((x) => x.id === t),
    "a catalogue part type (GET /catalog/categories) or *",
  );

export const forecastQuery = z
  .object({
    scope,
    scopeId: z.string().min(1).max(40).describe("warehouse id loc_…, or a city / province GB/T 2260 code"),
    skuId,
    granularity: granularity.default("day"),
  })
  .strict();

export const refitBody = z
  .object({
    scope: scope.optional().describe("default: warehouse"),
    scopeId: z.string().min(1).max(40).optional().describe("one warehouse, city or province (default: all of mine)"),
    skuIds: z.array(z.number().int().min(1)).min(1).max(10_000).optional(),
    granularity: z.enum(["day", "month", "both"]).default("both"),
  })
  .strict();

const csvOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(item).min(1).max(500));

export const regionalQuery = z
  .object({
    skuIds: csvOf(z.coerce.number().int().min(1)).optional().describe("comma-separated SKU ids (default: my products)"),
    gtins: csvOf(z.string().regex(/^\d{14}$/, "a GTIN-14"))
      .optional()
      .describe("comma-separated GTIN-14s"),
    months: z.coerce.number().int().min(1).max(36).default(12),
  })
  .strict();

export const replenishmentQuery = z.object({ locationId: locationId.optional() }).strict();

export const actBody = z
  .object({
    locationId,
    skuId: z.number().int().min(1),
    action: z.enum(["transfer", "buy", "prestock", "apply_reorder_point"]),
    quantity: z.number().int().min(1).max(1_000_000).optional().describe("overrides the proposed quantity"),
  })
  .strict();

const level = z.number().gt(0.5).lt(1);
export const settingsBody = z
  .object({
    criticalLevel: level,
    normalLevel: level,
    slowLevel: level,
    leadDays: z.number().int().min(1).max(6),
    reviewDays: z.number().int().min(1).max(6),
  })
  .strict()
  .refine((s) => s.leadDays + s.reviewDays <= 7, {
    message: "leadDays + reviewDays must be at most 7 (the daily forecast's horizon)",
    path: ["reviewDays"],
  });

export const seasonalQuery = z
  .object({ partType: partType.optional(), provinceCode: z.union([provinceCode, z.literal("all")]).optional() })
  .strict();

export const seasonalBody = z
  .object({
    partType,
    provinceCode: z.union([provinceCode, z.literal("all")]),
    month: z.number().int().min(1).max(12),
    factor: z.number().gt(0).max(20),
    reasonZh: z.string().trim().min(1).max(100),
    reasonEn: z.string().trim().max(200).default(""),
  })
  .strict();

// ── Responses ──

const quantiles = z
  .record(z.string(), z.array(z.number()))
  .describe("level → value per period (non-decreasing in the level)");

export const forecastViewSchema = z
  .object({
    scope,
    scopeId: z.string(),
    scopeName: z.string().nullable(),
    skuId: z.number().int(),
    granularity,
    history: z.object({ periods: z.array(z.string()), quantity: z.array(z.number()) }),
    forecast: z
      .object({
        origin: z.string(),
        periods: z.array(z.string()),
        fittedAt: z.string(),
        model: z.string(),
        mean: z.array(z.number()),
        quantiles,
        cvMase: z.number().nullable(),
        seasonal: z.array(z.number()).describe("calendar multipliers applied per period (monthly, short history)"),
      })
      .nullable(),
    accuracy: z
      .object({
        forecastsEvaluated: z.number().int(),
        mase: z.number().nullable(),
        medianTotalApe: z.number().nullable().describe("absolute % error of the forecast total (the 7-day total)"),
        coverage80: z.number().nullable().describe("share of actual periods inside the 10-90% band"),
      })
      .nullable()
      .describe("earlier forecasts of this series against the demand that then happened; null before any"),
  })
  .meta({ id: "ForecastView" });

export const refitResponse = z.object({ fitted: z.number().int(), byScope: z.record(z.string(), z.number().int()) });

export const regionalResponse = z
  .object({
    skuIds: z.array(z.number().int()),
    periods: z.array(z.string()),
    provinces: z.array(
      z.object({
        provinceCode: z.string(),
        name: z.string(),
        quantity: z.array(z.number()),
        total: z.number(),
        unfilled: z.number(),
        forecastNextMonth: z.number().nullable(),
        forecast12Months: z.number().nullable(),
        emptySearches: z.number().int(),
      }),
    ),
  })
  .meta({ id: "RegionalDemand" });

export const settingsSchema = z
  .object({
    criticalLevel: z.number(),
    normalLevel: z.number(),
    slowLevel: z.number(),
    leadDays: z.number().int(),
    reviewDays: z.number().int(),
  })
  .meta({ id: "ReplenishmentSettings" });

export const partClassBody = z
  .object({
    skuId: z.number().int().positive(),
    partClass: z
      .enum(["critical", "normal", "slow"])
      .nullable()
      .describe("null: back to the class inferred from demand (urgent share, selling days)"),
  })
  .strict();
export const partClassResponse = z
  .object({
    skuId: z.number().int(),
    partClass: z.enum(["critical", "normal", "slow"]).nullable(),
    before: z.enum(["critical", "normal", "slow"]).nullable(),
  })
  .meta({ id: "PartClassSet" });

const proposalSchema = z.object({
  id: z.string(),
  kind: z.enum(["transfer", "buy", "prestock"]),
  quantity: z.number().int(),
  fromLocation: z.string().nullable(),
  distanceM: z.number().int().nullable(),
  supplierId: z.string().nullable(),
  reasonZh: z.string(),
  reasonEn: z.string(),
});

export const replenishmentResponse = z
  .object({
    settings: settingsSchema,
    items: z.array(
      z.object({
        locationId: z.string(),
        skuId: z.number().int(),
        skuName: z.string().nullable(),
        partType: z.string().nullable(),
        partClass: z.enum(["critical", "normal", "slow"]),
        partClassSet: z.boolean().describe("set by my company (PUT /replenishment/part-classes), else inferred"),
        serviceLevel: z.number(),
        forecast: z.object({
          origin: z.string(),
          fittedAt: z.string(),
          model: z.string(),
          leadTimeDemand: z.number(),
          coverDemand: z.number().describe("over lead time + review period"),
        }),
        onHand: z.number().int(),
        available: z.number().int(),
        inTransit: z.number().int(),
        position: z.number().int().describe("available + in transit"),
        currentReorderPoint: z.number().int(),
        reorderPoint: z.number().int(),
        orderUpTo: z.number().int(),
        need: z.number().int(),
        expectedShortUnits: z.number(),
        stockoutCostFen: z.number().int(),
        proposals: z.array(proposalSchema),
      }),
    ),
  })
  .meta({ id: "Replenishment" });

export const actResponse = z.object({
  action: z.enum(["transfer", "buy", "prestock", "apply_reorder_point"]),
  transfer: transferSchema.optional(),
  approval: approvalSchema.optional(),
  stock: stockSchema.optional(),
});

export const seasonalSchema = z
  .object({
    id: z.number().int(),
    partType: z.string(),
    provinceCode: z.string(),
    month: z.number().int(),
    factor: z.number(),
    reasonZh: z.string(),
    reasonEn: z.string(),
    source: z.enum(["manual", "learned"]),
    updatedBy: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: "SeasonalFactor" });
