import { z } from "zod";

const partRef = z.object({ gtin: z.string().max(14), serial: z.string().max(20) }).strict();
const locationId = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "1-40 letters, digits or _.-");

export const dispatchBody = z
  .object({
    /** The receiving company (a distributor or a repair shop); only it can record the receipt. */
    to: z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…"),
    parts: z.array(partRef).min(1).max(10_000),
    /** The site the carton leaves from (default WAREHOUSE). */
    locationId: locationId.optional(),
  })
  .strict();

export type DispatchBody = z.infer<typeof dispatchBody>;

/** A carton code in a path: the dispatch id (d_…) or its SSCC-18, optionally with its application identifier (00). */
export const cartonCode = z
  .string()
  .regex(/^(d_[0-9a-f]{16}|(\(00\)|00)?[0-9]{18})$/, "a carton code: d_… or an SSCC-18 (optionally (00)…)");

/** The canonical lookup key of a carton code: the id or the 18-digit SSCC. */
export function cartonKey(code: string): string {
  const ai = /^\(?00\)?([0-9]{18})$/.exec(code);
  if (ai) return ai[1]!;
  return code;
}

export const dispatchParams = z.object({ code: cartonCode }).strict();
export const dispatchListQuery = z
  .object({
    direction: z.enum(["incoming", "outgoing", "all"]).default("all"),
    status: z.enum(["in_transit", "received"]).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type DispatchListQuery = z.infer<typeof dispatchListQuery>;

export const receiveCartonBody = z
  .object({
    /** Where the carton is put away (default WAREHOUSE). */
    locationId: locationId.optional(),
  })
  .strict();
export type ReceiveCartonBody = z.infer<typeof receiveCartonBody>;

/** A carton label's SSCC-18 (extension digit, GS1 company prefix, serial reference, check digit). */
export const sscc18 = z.string().regex(/^[0-9]{18}$/, "an SSCC-18 (18 digits)");

// ── Responses (what the handlers answer; checked against every answer in tests) ──

const companyRef = z.object({ id: z.string(), name: z.string() });

export const dispatchResponse = z
  .object({
    id: z.string().describe("the carton's dispatch id (d_…)"),
    sscc: sscc18.nullable().describe("its SSCC-18 when the sender holds a verified GS1 prefix, else null"),
    labelCode: z.string().describe("what the carton label's QR carries: a GS1 Digital Link …/00/{sscc}, or the id"),
    dispatched: z.number().int(),
    to: companyRef,
    submissionId: z.number().int(),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
    anchoring: z.literal("pending"),
  })
  .meta({ id: "Dispatch" });

/** GET /00/{sscc} asked for JSON: only where the label leads (nothing about the carton: the link is public). */
export const cartonLinkResponse = z.object({
  sscc: sscc18,
  receive: z.string().describe("the console's receiving screen with the code (it needs a login)"),
});

export const cartonSchema = z
  .object({
    id: z.string(),
    sscc: sscc18.nullable(),
    labelCode: z.string().describe("what the carton label's QR carries: a GS1 Digital Link …/00/{sscc}, or the id"),
    from: companyRef,
    to: companyRef,
    locationId: z.string().describe("the site it left from"),
    partCount: z.number().int(),
    status: z.enum(["in_transit", "received"]),
    createdAt: z.string(),
    receivedAt: z.string().nullable(),
    receivedLocationId: z.string().nullable(),
    submissionId: z.number().int().describe("the ledger submission of its shipping events"),
    receiptSubmissionId: z.number().int().nullable().describe("the ledger submission of its receiving events"),
  })
  .meta({ id: "Carton" });

export const cartonDetailResponse = cartonSchema
  .extend({
    parts: z.array(z.object({ gtin: z.string(), serial: z.string() })),
    gtins: z.array(z.object({ gtin: z.string(), count: z.number().int() })).describe("parts per GTIN"),
  })
  .meta({ id: "CartonDetail" });

export const cartonListResponse = z.object({ dispatches: z.array(cartonSchema) });

export const receiveCartonResponse = z
  .object({
    received: z.number().int(),
    alreadyReceived: z
      .boolean()
      .describe("true when the carton had already been received (an idempotent repeat): nothing was written"),
    dispatch: cartonSchema,
  })
  .meta({ id: "CartonReceipt" });
