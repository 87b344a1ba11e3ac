import { z } from "zod";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  articleBody,
  articleParams,
  articleSchema,
  conversationParams,
  conversationSchema,
  conversationSummarySchema,
  listQuery,
  messageBody,
  queueQuery,
  startBody,
} from "./support.schema.js";
import type { SupportService } from "./support.service.js";

const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;

/**
 * The support assistant (a company user's conversations), the platform's support queue (hand-overs: list, claim,
 * reply, close) and the knowledge base the platform edits.
 */
export function supportRoutes(support: SupportService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/support/conversations",
      { permission: "support_chat:create" },
      "Start a conversation with the support assistant (optionally with the first question: answered at once)",
      responds(conversationSchema, 201),
      validate({ body: startBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof startBody>;
        res.status(201).json(await support.start(auditContext(req, res), principalOf(res), b.text));
      },
    ),
    route(
      "get",
      "/api/v1/support/conversations",
      { permission: "support_chat:view" },
      "My conversations with the support assistant, latest first",
      responds(z.object({ conversations: z.array(conversationSummarySchema) })),
      validate({ query: listQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof listQuery>;
        res.json({ conversations: await support.mine(principalOf(res), q.limit) });
      },
    ),
    route(
      "get",
      "/api/v1/support/conversations/:id",
      { permission: "support_chat:view" },
      "One of my conversations, every message (masked) and what the assistant looked up",
      responds(conversationSchema),
      validate({ params: conversationParams }),
      async (req, res) => {
        res.json(await support.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/support/conversations/:id/messages",
      { permission: "support_chat:create" },
      "Ask in a conversation: the assistant answers from my company's data and the knowledge base, or hands over to a person (转人工, unsure, two failed answers)",
      responds(conversationSchema),
      validate({ params: conversationParams, body: messageBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof messageBody>;
        res.json(await support.post(auditContext(req, res), principalOf(res), id(res), b.text));
      },
    ),
    route(
      "get",
      "/api/v1/support/queue",
      { permission: "support_queue:view" },
      "The support queue: conversations handed over to a person (waiting and claimed by default), with every message and lookup",
      responds(z.object({ conversations: z.array(conversationSchema) })),
      validate({ query: queueQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof queueQuery>;
        res.json({ conversations: await support.queue(q.status, q.limit) });
      },
    ),
    route(
      "get",
      "/api/v1/support/queue/:id",
      { permission: "support_queue:view" },
      "One handed-over conversation",
      responds(conversationSchema),
      validate({ params: conversationParams }),
      async (_req, res) => {
        res.json(await support.queued(id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/support/queue/:id/claim",
      { permission: "support_queue:edit" },
      "Claim a waiting conversation (one agent at a time; audited)",
      responds(conversationSchema),
      validate({ params: conversationParams, body: z.object({}).strict() }),
      async (req, res) => {
        res.json(await support.claim(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/support/queue/:id/reveal-contact",
      { permission: "support_queue:edit" },
      "The full contact a scan page visitor left, for the agent who claimed the conversation (audited as a reveal)",
      responds(z.object({ id: z.string(), contact: z.string() })),
      validate({ params: conversationParams, body: z.object({}).strict() }),
      async (req, res) => {
        res.json(await support.revealContact(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/support/queue/:id/reply",
      { permission: "support_queue:edit" },
      "Reply in a conversation I claimed (stored masked)",
      responds(conversationSchema),
      validate({ params: conversationParams, body: messageBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof messageBody>;
        res.json(await support.reply(auditContext(req, res), principalOf(res), id(res), b.text));
      },
    ),
    route(
      "post",
      "/api/v1/support/queue/:id/close",
      { permission: "support_queue:edit" },
      "Close a conversation I claimed (audited)",
      responds(conversationSchema),
      validate({ params: conversationParams, body: z.object({}).strict() }),
      async (req, res) => {
        res.json(await support.close(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "get",
      "/api/v1/support/articles",
      { permission: "knowledge_base:view" },
      "The knowledge base: every article, published or not",
      responds(z.object({ articles: z.array(articleSchema) })),
      async (_req, res) => {
        res.json({ articles: await support.listArticles() });
      },
    ),
    route(
      "post",
      "/api/v1/support/articles",
      { permission: "knowledge_base:create" },
      "Write a knowledge-base article (title, body, keywords); the assistant answers policy questions from published ones",
      responds(articleSchema, 201),
      validate({ body: articleBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof articleBody>;
        res.status(201).json(await support.saveArticle(auditContext(req, res), principalOf(res), null, b));
      },
    ),
    route(
      "get",
      "/api/v1/support/articles/:id",
      { permission: "knowledge_base:view" },
      "One knowledge-base article",
      responds(articleSchema),
      validate({ params: articleParams }),
      async (_req, res) => {
        res.json(await support.article(id(res)));
      },
    ),
    route(
      "put",
      "/api/v1/support/articles/:id",
      { permission: "knowledge_base:edit" },
      "Replace a knowledge-base article (audited)",
      responds(articleSchema),
      validate({ params: articleParams, body: articleBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof articleBody>;
        res.json(await support.saveArticle(auditContext(req, res), principalOf(res), id(res), b));
      },
    ),
    route(
      "delete",
      "/api/v1/support/articles/:id",
      { permission: "knowledge_base:delete" },
      "Delete a knowledge-base article (audited)",
      responds(z.object({ deleted: z.literal(true) })),
      validate({ params: articleParams }),
      async (req, res) => {
        await support.deleteArticle(auditContext(req, res), id(res));
        res.json({ deleted: true });
      },
    ),
  ];
}
