import { z } from "zod";

/** The resolver's path (Digital Link: /01/{gtin}/21/{serial}); the GTIN and serial are checked by the resolver. */
export const scanParams = z.object({ gtin: z.string(), serial: z.string() }).strict();

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const timelineStepSchema = z
  .object({
    seq: z.number().int(),
    step: z.enum(["commissioning", "receiving", "installing", "shipping"]),
    at: z.string(),
    by: z.object({ name: z.string(), kind: z.string(), address: z.string() }),
    place: z.string().describe("as the ledger records it: regionCode:locationId"),
    placeName: z.string().describe("region names (GB/T 2260) and the kind of site, for people"),
    vin: z.string().optional().describe("masked"),
    anchor: z.object({
      status: z.enum(["final", "pending"]),
      batchId: z.number().int().nullable(),
      txHash: z.string().nullable(),
      blockNumber: z.number().int().nullable(),
      confirmations: z.number().int().nullable(),
    }),
  })
  .meta({ id: "TimelineStep" });

export const verdictSchema = z
  .object({
    verdict: z.enum(["GENUINE", "GENUINE_PENDING_ANCHOR", "UNKNOWN", "ALREADY_INSTALLED", "SUSPECT_CLONE"]),
    reason: z.string().describe("a stable code: NEVER_ISSUED, LABEL_SIGNATURE_INVALID, SHIPPED_TO_THIS_SHOP …"),
    part: z.object({
      gtin: z.string(),
      serial: z.string(),
      lot: z.string().nullable(),
      manufacturer: z.string().nullable(),
      brandOwner: z.string().nullable(),
      brand: z.string().nullable(),
      name: z.string().nullable(),
    }),
    timeline: z.array(timelineStepSchema),
    scannedAt: z.string(),
    trust: z
      .object({
        chainId: z.number().int(),
        anchorRegistry: z.string(),
        partRegistry: z.string().optional(),
        deploymentBlock: z.number().int().optional(),
        document: z.string().describe("where the full trust anchor is"),
      })
      .nullable(),
  })
  .meta({ id: "ScanVerdict" });
