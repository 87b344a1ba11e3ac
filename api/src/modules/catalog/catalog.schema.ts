import { z } from "zod";

const lng = z.coerce
  .number()
  .min(73, "longitude in China (73-136, GCJ-02)")
  .max(136, "longitude in China (73-136, GCJ-02)");
const lat = z.coerce.number().min(3, "latitude in China (3-54, GCJ-02)").max(54, "latitude in China (3-54, GCJ-02)");

export const searchQuery = z
  .object({
    q: z.string().max(200, "at most 200 characters").optional(),
    vin: z.string().max(17, "a VIN has 17 characters").optional(),
    category: z
      .string()
      .regex(/^[a-z_]{2,40}$/, "a category id from GET /api/v1/catalog/categories")
      .optional(),
    brand: z.string().max(40).optional(),
    kind: z.enum(["oe", "aftermarket", "reman", "used"]).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

export const compareQuery = z
  .object({
    lng: lng.optional(),
    lat: lat.optional(),
    radiusKm: z.coerce
      .number()
      .gt(0, "radiusKm must be above 0")
      .max(100, "radiusKm at most 100 (a city and its outskirts)")
      .default(3),
    limit: z.coerce.number().int().min(1).max(50).default(5),
    sort: z.enum(["price", "distance", "delivery", "score"]).default("price"),
    number: z.string().min(1).max(40).optional(),
  })
  .strict();

export const skuParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict();
export const vinParams = z.object({ vin: z.string().max(17) }).strict();
export const importParams = z.object({ kind: z.enum(["skus", "crossrefs", "fitments", "offers"]) }).strict();
export const importQuery = z
  .object({ format: z.enum(["csv", "jsonl"]).optional(), async: z.enum(["true", "false"]).optional() })
  .strict();
export const importIdParams = z.object({ id: z.string().regex(/^imp_[0-9a-f]{16}$/, "an import id imp_…") }).strict();

export const locationBody = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "1-40 letters, digits or _.-"),
    name: z.string().trim().min(1).max(60),
    regionCode: z.string().regex(/^\d{6}$/, "a 6-digit GB/T 2260 region code"),
    location: z.object({ lng: z.number().min(73).max(136), lat: z.number().min(3).max(54) }).strict(),
    prepMinutes: z.number().int().min(0).max(1440).optional(),
  })
  .strict();

export const customerPriceBody = z
  .object({
    buyerId: z.string().regex(/^c_[0-9a-f]{16}$/, "a company id"),
    skuId: z.number().int().min(1),
    price: z.number().gt(0).max(10_000_000).multipleOf(0.01),
  })
  .strict();

export const matchRunBody = z.object({ skuIds: z.array(z.number().int().min(1)).min(1).max(1000).optional() }).strict();
export const matchParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict();
export const matchDecisionParams = z
  .object({
    id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    decision: z.enum(["merge", "reject", "undo"]),
  })
  .strict();
export const matchQueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export const synonymParams = z
  .object({ term: z.string().min(2, "term: at least 2 characters").max(40, "term: at most 40 characters") })
  .strict();

export const synonymBody = z
  .object({
    partTypes: z.array(z.string().max(40)).max(10, "partTypes: at most 10"),
    position: z.enum(["前", "后"]).nullable().optional(),
    kind: z.enum(["oe", "aftermarket", "reman", "used"]).nullable().optional(),
  })
  .strict();
