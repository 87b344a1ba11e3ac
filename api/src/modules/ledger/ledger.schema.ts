import { z } from "zod";

export const partParams = z.object({ gtin: z.string(), serial: z.string() }).strict();
export const seqParams = z.object({ seq: z.coerce.number().int().min(1) }).strict();
export const batchRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < 100, { message: "to must be ≥ from and at most 99 batches after it", path: ["to"] });
export const batchListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
