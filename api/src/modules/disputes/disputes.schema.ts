import { z } from "zod";
import { DISPUTE_STATUSES, OUTCOMES } from "./dispute-states.js";

export const openDisputeBody = z
  .object({
    returnId: z.string().regex(/^rma_[0-9a-f]{16}$/, "a return id rma_…"),
    reason: z.string().trim().min(2).max(1000),
    /** What the requester asks for, in fen; the most the return allows when absent. */
    claimFen: z.number().int().min(1).max(100_000_000_000).optional(),
  })
  .strict();

export const disputeParams = z.object({ id: z.string().regex(/^dsp_[0-9a-f]{16}$/, "a dispute id dsp_…") }).strict();

export const disputeListQuery = z
  .object({
    status: z.enum(DISPUTE_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const disputeMessageBody = z.object({ body: z.string().trim().min(1).max(2000) }).strict();

export const disputeStatusBody = z
  .object({
    to: z.enum(["under_review", "proposed", "settled", "withdrawn"]),
    /** proposed: the outcome put to a second platform person; settled (the seller concedes): refund_full or refund_part. */
    outcome: z.enum(OUTCOMES).optional(),
    /**
     * refund_part: the fen refunded — proposed: less than the most the return allows; settled by the seller: less than
     * the claim.
     */
    amountFen: z.number().int().min(1).max(100_000_000_000).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();

// ── Responses ──

export const disputeSummarySchema = z
  .object({
    id: z.string(),
    returnId: z.string(),
    requesterId: z.string(),
    sellerId: z.string(),
    status: z.enum(DISPUTE_STATUSES),
    reason: z.string(),
    claimFen: z.number().int(),
    maxFen: z.number().int().describe("the most a settlement may refund"),
    arbiter: z.string().nullable(),
    proposal: z
      .object({
        outcome: z.enum(OUTCOMES),
        amountFen: z.number().int(),
        note: z.string().nullable(),
        by: z.string(),
      })
      .nullable(),
    approvalId: z.string().nullable(),
    outcome: z.enum(OUTCOMES).nullable(),
    outcomeFen: z.number().int().nullable(),
    refundId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    settledAt: z.string().nullable(),
  })
  .meta({ id: "DisputeSummary" });

export const timelineItemSchema = z
  .object({
    at: z.string(),
    kind: z.enum(["return_status", "ledger", "photo", "message", "dispute_status"]),
    side: z.enum(["requester", "seller", "platform", "system"]).nullable(),
    actor: z.string().nullable(),
    text: z.string().nullable(),
    ref: z.string().nullable().describe("a photo id, a ledger sequence number, a status"),
  })
  .meta({ id: "DisputeTimelineItem" });

export const disputeSchema = disputeSummarySchema
  .extend({
    /** The side(s) the caller is: what it may do next. */
    sides: z.array(z.enum(["requester", "seller", "platform"])),
    approvalStatus: z.enum(["submitted", "approved", "rejected", "cancelled"]).nullable(),
    return: z.object({
      id: z.string(),
      orderId: z.string(),
      lineNo: z.number().int(),
      gtin: z.string().nullable(),
      serial: z.string().nullable(),
      quantity: z.number().int(),
      authorisedQuantity: z.number().int().nullable(),
      unitPriceFen: z.number().int(),
      reason: z.string(),
      status: z.string(),
      resolution: z.string().nullable(),
      note: z.string().nullable().describe("the requester's note on the return"),
      refusal: z.string().nullable().describe("why the seller refused it"),
    }),
    timeline: z.array(timelineItemSchema),
  })
  .meta({ id: "Dispute" });
