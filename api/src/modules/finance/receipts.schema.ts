import { z } from "zod";

const partRef = z
  .object({ gtin: z.string().regex(/^[0-9]{14}$/, "a GTIN-14"), serial: z.string().min(1).max(20) })
  .strict();
const companyId = z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…");
export const receiptId = z.string().regex(/^wr_[0-9a-f]{16}$/, "a warehouse receipt id wr_…");

/**
 * A line: a quantity of a SKU, or its serials (then the quantity, if given, must be their count). A serialised SKU may
 * also be named by quantity with some serials: the serials count towards the quantity.
 */
const receiptLine = z
  .object({
    skuId: z.number().int().positive(),
    quantity: z.number().int().positive().max(1_000_000).optional(),
    parts: z.array(partRef).min(1).max(10_000).optional(),
  })
  .strict()
  .refine((l) => l.quantity !== undefined || l.parts !== undefined, "give a quantity, serials (parts), or both");

export const issueReceiptBody = z
  .object({
    /** The warehouse holding the goods (one of the issuing company's). */
    locationId: z.string().min(1).max(64),
    lines: z.array(receiptLine).min(1).max(200),
  })
  .strict();
export type IssueReceiptBody = z.infer<typeof issueReceiptBody>;

export const pledgeBody = z.object({ lenderId: companyId }).strict();
export type PledgeBody = z.infer<typeof pledgeBody>;

/**
 * A release: nothing named → everything the receipt still locks; else these quantities (of unserialised units) and
 * these serials. `reference`: what it is released against (a repayment's bank reference, the lender's instruction).
 */
export const releaseBody = z
  .object({
    reference: z.string().trim().min(1).max(100),
    lines: z
      .array(z.object({ skuId: z.number().int().positive(), quantity: z.number().int().positive() }).strict())
      .max(200)
      .optional(),
    parts: z.array(partRef).max(10_000).optional(),
  })
  .strict();
export type ReleaseBody = z.infer<typeof releaseBody>;

export const receiptParams = z.object({ id: receiptId }).strict();
export const receiptListQuery = z
  .object({
    status: z.enum(["issued", "pledged", "released", "cancelled", "enforcing", "enforced"]).optional(),
    gtin: z
      .string()
      .regex(/^[0-9]{14}$/)
      .optional(),
    serial: z.string().min(1).max(20).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ReceiptListQuery = z.infer<typeof receiptListQuery>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const receiptSchema = z
  .object({
    id: receiptId,
    companyId: z.string().describe("the holder of the goods, who issued the receipt"),
    locationId: z.string(),
    status: z.enum(["issued", "pledged", "released", "cancelled", "enforcing", "enforced"]),
    lenderId: z.string().nullable(),
    version: z.number().int().describe("bumped at every change of the receipt's document"),
    digest: z
      .string()
      .describe("sha256 (hex) of the canonical document at this version, as written to the audit trail (DECISIONS 75)"),
    lines: z.array(
      z.object({
        skuId: z.number().int(),
        issued: z.number().int(),
        quantity: z.number().int().describe("still locked"),
      }),
    ),
    parts: z
      .array(z.object({ gtin: z.string(), serial: z.string(), skuId: z.number().int(), released: z.boolean() }))
      .describe("serials named by the receipt"),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type ReceiptView = z.infer<typeof receiptSchema>;
export const receiptListResponse = z.object({ receipts: z.array(receiptSchema) }).strict();

/** The receipt bundle (DECISIONS 108); each part bundle's full format is docs/bundle.schema.json. */
export const receiptBundleSchema = z
  .object({
    format: z.literal("partledger.receipt-bundle/1"),
    createdAt: z.string(),
    receipt: z
      .object({
        id: receiptId,
        status: z.enum(["issued", "pledged", "released", "cancelled", "enforcing", "enforced"]),
        holder: z.object({ id: z.string(), address: z.string() }).strict(),
        lender: z.object({ id: z.string(), address: z.string() }).strict().nullable(),
        serials: z.array(z.object({ gtin: z.string(), serial: z.string(), released: z.boolean() }).strict()),
      })
      .strict()
      .describe("the receipt as the platform states it (attested, not proven by the chain)"),
    parts: z
      .array(z.looseObject({ format: z.string(), scope: z.looseObject({ kind: z.literal("part") }) }))
      .describe("one audit bundle per serial: its whole ledger history, each event with its Merkle proofs"),
  })
  .strict()
  .meta({ id: "ReceiptBundle" });
