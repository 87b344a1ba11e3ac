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

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const skuSchema = z
  .object({
    id: z.number().int(),
    brand: z.string().describe("the brand's id (e.g. oe_volkswagen, bosch)"),
    brandName: z.string().describe("the brand as people read it: 博世, 大众原厂, or the catalogue files' spelling"),
    partNo: z.string(),
    name: z.string(),
    partType: z.string(),
    position: z.enum(["前", "后"]).nullable(),
    kind: z.enum(["oe", "aftermarket", "reman", "used"]),
    material: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    images: z.array(z.string()),
    gtin: z.string().nullable(),
    numbers: z.array(z.object({ number: z.string(), kind: z.enum(["oe", "brand", "competitor"]), brand: z.string() })),
    fits: z.array(z.string()).describe("vehicles it fits: series, years, engine (first 8)"),
  })
  .meta({ id: "Sku" });

export const decodedVinSchema = z
  .object({
    vin: z.string(),
    wmi: z.string(),
    manufacturer: z.string().nullable(),
    makers: z.array(z.string()),
    make: z.string().nullable(),
    country: z.string().nullable(),
    modelYear: z.number().int().nullable(),
    series: z.string().nullable(),
  })
  .meta({ id: "DecodedVin" });

const facet = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const searchResponse = z
  .object({
    query: z.string(),
    understood: z.object({
      numbers: z.array(z.string()),
      series: z.array(z.string()),
      makes: z.array(z.string()),
      year: z.number().int().nullable(),
      qualifiers: z.array(z.string()).describe("generation and engine words that narrowed the vehicles"),
      ignoredQualifiers: z.array(z.string()).optional().describe("qualifiers none of the named vehicles carries"),
      partType: z.string().nullable(),
      partTypes: z.array(z.string()),
      position: z.enum(["前", "后"]).nullable(),
      brand: z.string().nullable(),
      kind: z.string().nullable(),
      vin: z.string().nullable().describe("a VIN typed in the box"),
      words: z.string(),
      corrected: z.array(z.object({ typed: z.string(), meant: z.string(), how: z.enum(["typo", "sound", "pinyin"]) })),
    }),
    vin: decodedVinSchema.optional(),
    total: z.number().int(),
    results: z.array(skuSchema.extend({ category: z.array(z.string()), score: z.number() }).meta({ id: "SearchHit" })),
    facets: z.object({ partType: facet, brand: facet, kind: facet }),
    didYouMean: z.array(z.string()).optional().describe("nothing matched: the nearest names of the vocabulary"),
  })
  .meta({ id: "SearchResult" });

const attributeDef = z.object({ id: z.string(), name: z.string(), unit: z.string().optional() });
export interface CategoryNodeOut {
  id: string;
  name: string;
  children?: CategoryNodeOut[];
  types?: Array<{
    id: string;
    name: string;
    synonyms: string[];
    attributes?: Array<z.infer<typeof attributeDef>>;
    positions?: Array<"前" | "后">;
  }>;
}
export const categorySchema: z.ZodType<CategoryNodeOut> = z
  .object({
    id: z.string(),
    name: z.string(),
    get children() {
      return z.array(categorySchema).optional();
    },
    types: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          synonyms: z.array(z.string()),
          attributes: z.array(attributeDef).optional(),
          positions: z.array(z.enum(["前", "后"])).optional(),
        }),
      )
      .optional()
      .describe("leaves: part types"),
  })
  .meta({ id: "Category" });

/** One offer: price in fen (1/100 yuan), the customer's own price where the supplier set one. */
export const offerSchema = z
  .object({
    sku: z.object({
      id: z.number().int(),
      brand: z.string(),
      brandName: z.string().describe("the brand as people read it (博世, 大众原厂)"),
      partNo: z.string(),
      name: z.string(),
      requested: z.boolean().describe("the SKU asked for (else an interchangeable one)"),
    }),
    supplier: z.object({ companyId: z.string(), name: z.string(), location: z.string(), locationId: z.string() }),
    priceFen: z.number().int(),
    listPriceFen: z.number().int(),
    customerPrice: z.boolean(),
    promotion: z
      .object({ id: z.string(), endsAt: z.string(), priceBeforeFen: z.number().int() })
      .optional()
      .describe("a time-limited discount (限时折扣) this shop sees; priceFen is after it"),
    stock: z.number().int(),
    orderable: z.boolean().describe("in the shared pool: can be ordered through POST /orders"),
    distanceMetres: z.number().int(),
    deliveryMinutes: z.number().int(),
    provenance: z.object({
      score: z.number().nullable().describe("share of scans that verified genuine"),
      scanned: z.number().int(),
      genuine: z.number().int(),
    }),
  })
  .meta({ id: "Offer" });

export const offersResponse = z
  .object({
    skuIds: z.array(z.number().int()),
    center: z.object({ lng: z.number(), lat: z.number() }),
    radiusKm: z.number(),
    sort: z.enum(["price", "distance", "delivery", "score"]),
    found: z.number().int(),
    offers: z.array(offerSchema),
  })
  .meta({ id: "Offers" });

export const importReportSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["skus", "crossrefs", "fitments", "offers"]),
    status: z.enum(["running", "done", "failed"]),
    rowsOk: z.number().int(),
    rowsBad: z.number().int(),
    bytesDone: z.number().int(),
    totalBytes: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() })),
    failure: z.string().nullable(),
    listed: z.array(z.object({ line: z.number().int(), skuId: z.number().int(), reason: z.string() })).optional(),
    matching: z
      .object({
        examined: z.number().int(),
        merged: z.number().int(),
        review: z.number().int(),
        unmatched: z.number().int(),
      })
      .optional(),
  })
  .meta({ id: "ImportReport" });

export const importStartedSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["skus", "crossrefs", "fitments", "offers"]),
    status: z.literal("running"),
    totalBytes: z.number().int(),
  })
  .meta({ id: "ImportStarted" });

export const matchRunResponse = z.object({
  examined: z.number().int(),
  merged: z.number().int(),
  review: z.number().int(),
  unmatched: z.number().int(),
});

const skuBrief = z.object({ id: z.number().int(), brand: z.string(), partNo: z.string(), name: z.string() });
const matchMethod = z.enum(["oe_exact", "brand_number", "similarity"]);

export const matchReviewSchema = z
  .object({
    id: z.number().int(),
    method: matchMethod,
    confidence: z.number(),
    status: z.string(),
    createdAt: z.string(),
    supplierSku: skuBrief,
    masterSku: skuBrief,
  })
  .meta({ id: "MatchInReview" });

export const matchCandidateSchema = z
  .object({ master: z.number().int(), method: matchMethod, confidence: z.number() })
  .meta({ id: "MatchCandidate" });

export const matchDecisionResponse = z
  .object({
    id: z.number().int(),
    supplierSku: z.number().int(),
    masterSku: z.number().int(),
    status: z.enum(["merged", "rejected", "undone"]),
  })
  .meta({ id: "MatchDecision" });

export const supplierLocationSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    regionCode: z.string(),
    lng: z.number(),
    lat: z.number(),
    prepMinutes: z.number().int(),
    shared: z.boolean().describe("whether its stock is in the shared pool"),
  })
  .meta({ id: "SupplierLocation" });

/** As created (the point nested under `location`, unlike the list). */
export const createdLocationSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  regionCode: z.string(),
  location: z.object({ lng: z.number(), lat: z.number() }),
  prepMinutes: z.number().int(),
});

export const customerPriceResponse = z.object({
  buyerId: z.string(),
  skuId: z.number().int(),
  priceFen: z.number().int(),
});

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

/** One row of the search synonym table (a term → part types, a side, a kind of part; none of them: a filler word). */
export const synonymSchema = z
  .object({
    term: z.string(),
    partTypes: z.array(z.string()),
    position: z.enum(["前", "后"]).nullable(),
    kind: z.string().nullable(),
  })
  .meta({ id: "Synonym" });
export const synonymListSchema = z.object({
  synonyms: z.array(
    synonymSchema.extend({ source: z.string(), updatedBy: z.string().nullable(), updatedAt: z.string() }),
  ),
});
export const synonymImportSchema = z.object({
  rowsOk: z.number().int().describe("good rows (added + updated, a term repeated in the file counted each time)"),
  rowsAdded: z.number().int().describe("terms that were new"),
  rowsUpdated: z.number().int().describe("terms that existed and were replaced"),
  rowsBad: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), field: z.string(), reason: z.string() })),
});
export const brandListSchema = z.object({
  brands: z
    .array(
      z.object({
        id: z.string(),
        name: z.string().describe("the name the brand was first imported under"),
        names: z.array(z.string()).describe("every spelling search answers to (the name first)"),
        aliases: z.array(z.string()).describe("the other spellings files used"),
        pinyin: z.string().nullable().describe("full pinyin of the Chinese name, without tones"),
        initials: z.string().nullable().describe("pinyin initials of the Chinese name (two or more characters)"),
        nameEn: z.string().nullable().describe("the English (Latin-script) name where one is known"),
        skuCount: z.number().int().describe("SKUs listed under the brand now (merged ones not counted)"),
        source: z.string(),
        createdAt: z.string(),
      }),
    )
    .describe("brands learned from imports, most SKUs first"),
});
