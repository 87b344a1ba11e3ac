import { z } from "zod";

export const partParams = z.object({ gtin: z.string(), serial: z.string() }).strict();
export const seqParams = z.object({ seq: z.coerce.number().int().min(1) }).strict();
export const batchRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < 100, { message: "to must be ≥ from and at most 99 batches after it", path: ["to"] });
export const batchListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();

export const registerCompanyBody = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "1-64 letters, digits or _.:-"),
    name: z.string().min(1).max(200),
    kind: z.enum(["manufacturer", "distributor", "repair_shop"]),
    address: z.string().optional(),
    lifecycleMode: z.enum(["anchored", "onchain"]).optional(),
  })
  .strict();

const part = z.object({ gtin: z.string(), serial: z.string(), lot: z.string().optional() }).strict();

export const recordEventsBody = z
  .object({
    actorId: z.string().min(1),
    step: z.enum(["commissioning", "receiving", "installing"]),
    parts: z.array(part).min(1).max(10_000),
    place: z.object({ regionCode: z.string(), locationId: z.string() }).strict(),
    eventTime: z.string().datetime({ offset: true }).optional(),
    vin: z.string().optional(),
    salt: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
    signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte 0x signature").optional(),
  })
  .strict();
