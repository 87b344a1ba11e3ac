import { z } from "zod";

/** GET /api/v1/mint: `?limit=` (1–200, default 50), newest first. */
export const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const runParams = z.object({ runId: z.string().regex(/^run_[0-9a-f]{16}$/, "a mint run id run_…") }).strict();

// ── Responses (what the handlers answer, declared with responds(...); checked against every answer in tests) ──

/**
 * Where a run's events are on the way to the chain, counted per event and summed up in `state` (the least
 * advanced event): `recorded` — on the ledger, not yet in an anchoring transaction; `anchored` — in a transaction
 * sent to the chain, not yet CONFIRMATION_DEPTH blocks deep; `final` — every event in a final batch.
 */
export const RunAnchoringResponse = z
  .object({
    state: z.enum(["recorded", "anchored", "final"]),
    recorded: z.number().int(),
    anchored: z.number().int(),
    final: z.number().int(),
  })
  .strict()
  .meta({ id: "RunAnchoring" });

const runFields = {
  runId: z.string(),
  gtin: z.string(),
  lot: z.string(),
  productionDate: z.string(),
  count: z.number().int(),
  createdAt: z.string(),
  brand: z.string().nullable(),
  name: z.string().nullable(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  anchoring: RunAnchoringResponse,
};

export const MintRunSummaryResponse = z.object(runFields).strict().meta({ id: "MintRunSummary" });
export const MintRunsResponse = z.object({ runs: z.array(MintRunSummaryResponse) }).strict();
export const MintRunDetailResponse = z
  .object({ ...runFields, serials: z.array(z.string()) })
  .strict()
  .meta({ id: "MintRunDetail" });

/** A GTIN of my company: named (products) or minted (mint runs), with its runs and parts so far. */
export const ProductResponse = z
  .object({
    gtin: z.string(),
    brand: z.string().nullable(),
    name: z.string().nullable(),
    skuId: z.number().int().nullable(),
    runs: z.number().int(),
    parts: z.number().int(),
    lastMintedAt: z.string().nullable(),
  })
  .strict()
  .meta({ id: "Product" });
export const ProductsResponse = z.object({ products: z.array(ProductResponse) }).strict();

export type RunsQuery = z.infer<typeof runsQuery>;
export type MintRunSummary = z.infer<typeof MintRunSummaryResponse>;
export type MintRunDetail = z.infer<typeof MintRunDetailResponse>;
export type Product = z.infer<typeof ProductResponse>;
