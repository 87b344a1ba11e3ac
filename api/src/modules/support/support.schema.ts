import { z } from "zod";

const text = z.string().trim().min(1).max(1000);

export const startBody = z.object({ text: text.optional() }).strict();
export const messageBody = z.object({ text }).strict();
export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
export const queueQuery = z
  .object({
    status: z.enum(["waiting", "claimed", "closed"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export const conversationParams = z
  .object({ id: z.string().regex(/^sc_[0-9a-f]{16}$/, "a conversation id sc_…") })
  .strict();
export const articleParams = z.object({ id: z.string().regex(/^kb_[0-9a-f]{16}$/, "an article id kb_…") }).strict();
export const articleBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(4000),
    keywords: z.array(z.string().trim().min(1).max(40)).max(30).default([]),
    published: z.boolean().default(true),
  })
  .strict();

// ── Responses ──

const status = z.enum(["bot", "waiting", "claimed", "closed"]);
export const conversationSummarySchema = z
  .object({
    id: z.string(),
    companyId: z.string().nullable().describe("null: an anonymous visitor on the scan page"),
    userId: z.string().nullable(),
    channel: z.enum(["console", "scan"]).describe("console: a company user; scan: a visitor of the public scan page"),
    part: z
      .object({ gtin: z.string(), serial: z.string() })
      .nullable()
      .describe("the part whose scan page the visitor asked on (channel scan)"),
    contact: z.string().nullable().describe("the scan page visitor's contact, masked (138****1234, a***@example.cn)"),
    status: status.describe("bot: the assistant answers; waiting/claimed: in the support queue; closed"),
    failures: z.number().int().describe("failed answers in a row (two: to a person)"),
    handoverReason: z.enum(["asked", "low_confidence", "failed_twice"]).nullable(),
    handedOverAt: z.string().nullable(),
    agentId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "SupportConversationSummary" });

export const conversationSchema = conversationSummarySchema
  .extend({
    lookups: z
      .array(
        z.object({
          at: z.string(),
          kind: z.enum(["order", "orders", "return", "part", "installation", "article", "verdict"]),
          ref: z.string().nullable(),
          found: z.boolean(),
        }),
      )
      .describe("what the assistant looked up (for the person taking over)"),
    messages: z.array(
      z.object({
        id: z.string(),
        author: z.enum(["user", "assistant", "agent"]),
        body: z.string().describe("as stored: mobile numbers, VINs and e-mail addresses masked"),
        intent: z.string().nullable(),
        confidence: z.number().nullable(),
        createdAt: z.string(),
      }),
    ),
  })
  .meta({ id: "SupportConversation" });

export const articleSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    keywords: z.array(z.string()),
    published: z.boolean(),
    updatedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "SupportArticle" });
