import { z } from "zod";

export const partParams = z.object({ gtin: z.string(), serial: z.string() }).strict();
export const seqParams = z.object({ seq: z.coerce.number().int().min(1) }).strict();
export const batchRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < 100, {
    message: "to must be ≥ from and at most 99 batches after it",
    path: ["to"],
  });
export const batchListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
/** Most events one EPCIS export answers (a 10,000-event document is ~7 MB). */
export const EPCIS_MAX_EVENTS = 10_000;
export const seqRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < EPCIS_MAX_EVENTS, {
    message: `to must be ≥ from and at most ${EPCIS_MAX_EVENTS - 1} events after it`,
    path: ["to"],
  });
