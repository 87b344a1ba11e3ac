import { z } from "zod";
import { receiptId } from "./receipts.schema.js";

export const collateralParams = z.object({ id: receiptId }).strict();

export const collateralTermsBody = z
  .object({
    /** What the receipt secures (the loan's principal and what the lender counts with it), integer fen. */
    securedFen: z.number().int().positive().max(1e13),
    /** The largest loan-to-value the lender accepts, in basis points (7000 = 70 %). */
    maxLtvBp: z.number().int().min(100).max(10_000),
  })
  .strict();
export type CollateralTermsBody = z.infer<typeof collateralTermsBody>;

export const marginCallListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const marginCall = z.object({
  id: z.string(),
  valueFen: z.number(),
  securedFen: z.number(),
  ltvBp: z.number().nullable(),
  maxLtvBp: z.number(),
  openedAt: z.string(),
});

export const collateralSchema = z
  .object({
    receiptId: z.string(),
    borrowerId: z.string(),
    lenderId: z.string(),
    locationId: z.string(),
    lines: z.array(
      z.object({
        skuId: z.number(),
        quantity: z.number(),
        /** The pool's price of one unit: the median of other companies' shared offers; null when none is priced. */
        unitPriceFen: z.number().nullable(),
      }),
    ),
    valueFen: z.number(),
    unpricedUnits: z.number(),
    ltvBp: z.number().nullable(),
    requiredFen: z.number().nullable(),
    marginCall: z.boolean(),
    terms: z.object({ securedFen: z.number(), maxLtvBp: z.number(), updatedAt: z.string() }).nullable(),
    marginCallOpen: marginCall.nullable(),
  })
  .meta({ id: "Collateral" });

export const collateralListResponse = z.object({ collateral: z.array(collateralSchema) });

export const marginCallListResponse = z.object({
  marginCalls: z.array(
    marginCall.extend({
      receiptId: z.string(),
      lenderId: z.string(),
      borrowerId: z.string(),
      closedAt: z.string().nullable(),
      closedReason: z.string().nullable(),
    }),
  ),
});
