import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "../../../../ledger-service/src/index.js";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import {
  scanConversationSchema,
  scanQuestionBody,
  scanQuestionQuery,
  type ScanQuestionBody,
} from "../support/scan-support.schema.js";
import type { ScanSupportService } from "../support/scan-support.service.js";
import { FORM_PAGE_CSP } from "./page-shell.js";
import { renderChat, renderChatInvalid } from "./scan-support.page.js";

type Req = Parameters<RequestHandler>[0];
const wantsHtml = (req: Req) => req.accepts(["application/json", "text/html"]) === "text/html";
const langOf = (req: Req) => (req.query.lang === "en" ? "en" : "zh");

/** A refused form post from a browser answers a page naming the field (400); JSON clients get problem+json. */
const formErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (!(err instanceof AppError) || err.status !== 400 || !wantsHtml(req)) return next(err);
  const field = String((err.details as { field?: unknown } | undefined)?.field ?? "body");
  res
    .status(400)
    .type("html")
    .send(renderChatInvalid(field, err.message, langOf(req)));
};

/**
 * The support assistant on the public scan page: an anonymous visitor asks about the part the page showed, or about
 * policy; a plain form post (no script) answers a page, JSON answers the conversation. Rate-limited per client.
 */
export function scanSupportRoutes(scan: ScanSupportService, limit: RequestHandler): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/scan-support/questions",
      {
        public:
          "the scan page's support assistant: anyone holding a part may ask about it; answers only the page's " +
          "public verdict and the knowledge base; rate-limited per client, a resent post is answered once",
      },
      "Ask the support assistant from the scan page (the label and verdict the page showed, with its token; a " +
        "question; a contact and 转人工 to be handed over to a person). Form post → the answer page; JSON → the " +
        "conversation",
      responds(scanConversationSchema, 201),
      responds(scanConversationSchema, 200, { description: "this post had been answered already" }),
      responds(raw("text/html"), 201, { description: "the answer page (a form post)" }),
      responds(raw("text/html"), 200, { description: "the answer page of a post answered already" }),
      limit,
      validate({ query: scanQuestionQuery, body: scanQuestionBody }),
      async (req, res) => {
        const body = res.locals.body as ScanQuestionBody;
        const c = await scan.ask(auditContext(req, res), body, {
          idempotencyKey: idempotencyKey(req.header("idempotency-key")),
          client: req.ip ?? "unknown",
        });
        res.setHeader("Cache-Control", "no-store");
        res.status(c.duplicate ? 200 : 201);
        if (!wantsHtml(req)) return void res.json(c);
        res.setHeader("Content-Security-Policy", FORM_PAGE_CSP);
        const form = { ...body, conversation: { id: c.id, key: c.key } };
        res.type("html").send(renderChat(c, form, langOf(req)));
      },
      formErrors as unknown as RequestHandler,
    ),
  ];
}
