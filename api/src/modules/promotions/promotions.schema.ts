import { z } from "zod";

export const createPromotionBody = z
  .object({
    skuId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /** Shops whose region code starts with this GB/T 2260 prefix: 2 digits a province, 4 a city, 6 a district. */
    regionPrefix: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, "2, 4 or 6 digits of a GB/T 2260 region code"),
    percentOff: z.number().int().min(1).max(90).optional(),
    fenOff: z.number().int().min(1).max(100_000_000).optional(),
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }),
    /** Share of the region's shops (by a hash of shop and promotion) that do not see it, to measure the uplift. */
    holdoutPct: z.number().int().min(1).max(50).default(20),
  })
  .strict();

export const promotionParams = z.object({ id: z.string().regex(/^pr_[0-9a-f]{16}$/, "a promotion id pr_…") }).strict();
export const promotionListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const suggestionQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(365).default(30),
    minSearchers: z.coerce.number().int().min(1).max(1000).default(3),
  })
  .strict();

const group = z.object({ shops: z.number().int(), converted: z.number().int() });

export const promotionSchema = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    skuId: z.number().int(),
    regionPrefix: z.string(),
    percentOff: z.number().int().nullable(),
    fenOff: z.number().int().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    holdoutPct: z.number().int(),
    createdAt: z.string(),
    measured: z
      .object({
        treated: group.describe("shops of the region that searched the SKU while it ran and saw the discount"),
        heldOut: group.describe("the same, in the hold-out group (no discount shown)"),
        treatedRate: z.number().nullable(),
        heldOutRate: z.number().nullable(),
        uplift: z.number().nullable().describe("treated rate − hold-out rate (absolute)"),
        low: z.number().nullable().describe("95 % interval (Newcombe hybrid score)"),
        high: z.number().nullable(),
      })
      .describe("conversion: searched the SKU → ordered it before the end"),
  })
  .meta({ id: "Promotion" });

export const suggestionSchema = z
  .object({
    skuId: z.number().int(),
    brand: z.string(),
    partNo: z.string(),
    name: z.string(),
    regionPrefix: z.string().describe("the city (4-digit GB/T 2260 prefix) searching"),
    searches: z.number().int(),
    searchers: z.number().int().describe("shops searching"),
    orders: z.number().int().describe("shops of the city that ordered it"),
    available: z.number().int().describe("my available stock in that province"),
  })
  .meta({ id: "PromotionSuggestion" });
