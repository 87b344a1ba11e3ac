import { z } from "zod";
import { gs1CheckDigit } from "../../../../ledger-service/src/gs1/gtin.js";
import { AI10_PATTERN, AI21_PATTERN } from "../../../../ledger-service/src/gs1/serial.js";
import { conversationSchema } from "./support.schema.js";

/** An HTML form sends an empty field as ""; an empty optional field is an absent one. */
const optional = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), s.optional());

export const SCAN_VERDICTS = [
  "GENUINE",
  "GENUINE_PENDING_ANCHOR",
  "UNKNOWN",
  "ALREADY_INSTALLED",
  "SUSPECT_CLONE",
] as const;

/**
 * A question to the assistant from the scan page (a plain form post or JSON): the label and verdict the page showed,
 * with the page's token that vouches for them, the question, and — to be handed over to a person — a contact.
 */
export const scanQuestionBody = z
  .object({
    gtin: z
      .string()
      .regex(/^\d{14}$/, "a GTIN-14: 14 digits")
      .refine((g) => gs1CheckDigit(g.slice(0, 13)) === Number(g[13]), "the GTIN's check digit is wrong"),
    serial: z.string().regex(AI21_PATTERN, "1-20 characters of GS1 AI 21's character set"),
    lot: optional(z.string().regex(AI10_PATTERN, "1-20 characters of GS1 AI 10's character set")),
    signature: optional(z.string().regex(/^[A-Za-z0-9_-]{86}$/, "the label signature as scanned: 86 characters")),
    verdict: z.enum(SCAN_VERDICTS),
    /** The scan page's token: the server's word that it showed this verdict for this label (today or yesterday). */
    page: z.string().regex(/^[0-9a-f]{32}$/, "the scan page's token: 32 hex digits"),
    text: optional(z.string().trim().min(1).max(500, "at most 500 characters")),
    contact: optional(z.string().trim().max(254, "at most 254 characters")),
    /** "1": the visitor pressed 转人工. */
    handover: optional(z.enum(["1"])),
    /** Carrying on a conversation: its id and the key the answer page carried. */
    conversation: optional(z.string().regex(/^sc_[0-9a-f]{16}$/, "a conversation id sc_…")),
    key: optional(z.string().regex(/^[0-9a-f]{32}$/, "the conversation's key: 32 hex digits")),
  })
  .strict()
  .refine((b) => b.text !== undefined || b.handover === "1", {
    message: "ask a question (text) or press 转人工 (handover=1)",
    path: ["text"],
  })
  .refine((b) => (b.conversation === undefined) === (b.key === undefined), {
    message: "a conversation is carried on with its key (both or neither)",
    path: ["key"],
  });
export type ScanQuestionBody = z.infer<typeof scanQuestionBody>;

export const scanQuestionQuery = z.object({ lang: z.enum(["zh", "en"]).optional() }).strict();

/** The visitor's conversation: what the answer page shows, and the key to carry it on. */
export const scanConversationSchema = conversationSchema
  .extend({
    key: z.string().describe("carries the conversation on (the next post's key)"),
    duplicate: z.boolean().describe("this post had been answered already: nothing new was stored"),
  })
  .meta({ id: "ScanSupportConversation" });
