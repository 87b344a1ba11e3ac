import { z } from "zod";

const partRef = z.object({ gtin: z.string().max(14), serial: z.string().max(20) }).strict();

export const dispatchBody = z
  .object({
    /** The receiving company (a distributor or a repair shop); only it can record the receipt. */
    to: z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…"),
    parts: z.array(partRef).min(1).max(10_000),
    /** The site the carton leaves from (default WAREHOUSE). */
    locationId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, "1-40 letters, digits or _.-")
      .optional(),
  })
  .strict();

export type DispatchBody = z.infer<typeof dispatchBody>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const dispatchResponse = z
  .object({
    dispatched: z.number().int(),
    to: z.object({ id: z.string(), name: z.string() }),
    submissionId: z.number().int(),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
    anchoring: z.literal("pending"),
  })
  .meta({ id: "Dispatch" });
