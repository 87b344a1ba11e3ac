import { z } from "zod";
import { ENFORCEMENT_STATUSES, type EnforcementStatus } from "./enforcement.js";
import { receiptId } from "./receipts.schema.js";

const statuses = ENFORCEMENT_STATUSES as [EnforcementStatus, ...EnforcementStatus[]];
export const enforcementId = z.string().regex(/^enf_[0-9a-f]{16}$/, "an enforcement id enf_…");

/**
 * Enforcement of a pledged receipt (DECISIONS 112): the goods go to the lender's nominee — a distributor or repair shop
 * that takes them — into one of its warehouses, after a second person confirmed and an undo window of `undoHours`.
 */
export const startEnforcementBody = z
  .object({
    nomineeId: z.string().regex(/^c_[0-9a-f]{16}$/, "a company id c_…"),
    nomineeLocationId: z.string().min(1).max(64),
    reason: z.string().trim().min(1).max(500).describe("why (a default, a margin call left uncured), for the record"),
    undoHours: z.number().int().min(1).max(168).default(24).describe("how long the lender can undo once confirmed"),
  })
  .strict();
export type StartEnforcementBody = z.infer<typeof startEnforcementBody>;

export const receiptEnforceParams = z.object({ id: receiptId }).strict();
export const enforcementParams = z.object({ id: enforcementId }).strict();
export const enforcementListQuery = z
  .object({
    status: z.enum(statuses).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type EnforcementListQuery = z.infer<typeof enforcementListQuery>;

export const enforcementSchema = z
  .object({
    id: enforcementId,
    receiptId,
    lenderId: z.string(),
    borrowerId: z.string(),
    nomineeId: z.string(),
    nomineeLocationId: z.string(),
    status: z.enum(statuses),
    reason: z.string(),
    undoHours: z.number().int(),
    undoUntil: z.string().nullable().describe("the end of the undo window (set when confirmed)"),
    undoable: z.boolean().describe("whether the lender can still cancel it"),
    completable: z.boolean().describe("whether the transfer can run now (confirmed, the window over)"),
    startedBy: z.string(),
    confirmedBy: z.string().nullable(),
    cancelledBy: z.string().nullable(),
    completedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict()
  .meta({ id: "ReceiptEnforcement" });
export type EnforcementView = z.infer<typeof enforcementSchema>;
export const enforcementListResponse = z
  .object({ enforcements: z.array(enforcementSchema) })
  .strict()
  .meta({ id: "ReceiptEnforcementList" });
