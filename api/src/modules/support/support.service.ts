import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import { maskEmail, maskMobile, maskVin } from "../../security/personal-data.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { say } from "./answers.js";
import { classify, LOW_CONFIDENCE, type Classified } from "./intents.js";
import { KEYWORDS } from "./lexicon.js";
import { KnowledgeIndex } from "./knowledge.js";
import type { SupportLookups } from "./lookups.js";
import { maskText } from "./masking.js";
import { Segmenter } from "./segment.js";
import {
  supportRepository as repo,
  type ArticleRow,
  type ConversationRow,
  type ConversationStatus,
  type HandoverReason,
  type Lookup,
} from "./support.repository.js";

/** Failed answers in a row after which the conversation goes to a person. */
export const MAX_FAILURES = 2;

export interface Answer {
  text: string;
  /** The assistant could not answer (nothing found, a needed number missing): counts towards MAX_FAILURES. */
  failed: boolean;
  lookups: Lookup[];
}

/**
 * The support assistant: answers a company user's questions from that company's own data (orders, parts in its
 * custody, its installations — each read through the owning module as the asker) and policy questions from the
 * platform's knowledge base; hands the conversation to the platform's support queue when asked, when unsure, or after
 * MAX_FAILURES failed answers in a row. Everything kept is masked (masking.ts).
 */
export class SupportService {
  private index: { key: string; index: KnowledgeIndex } | null = null;

  constructor(
    private readonly db: Sql,
    private readonly lookups: SupportLookups,
    /** Opens a scan page visitor's contact, to show it masked (scan-support.service.ts seals it). */
    private readonly vault?: KeyVault,
  ) {}

  async start(ctx: AuditContext, p: Principal, text: string | undefined) {
    const companyId = requireCompany(p);
    const id = `sc_${randomBytes(8).toString("hex")}`;
    await this.db.transaction((tx) => repo.createConversation(tx, { id, companyId, userId: p.id }));
    if (text !== undefined) return this.post(ctx, p, id, text);
    return this.view((await repo.conversation(this.db, id))!);
  }

  async mine(p: Principal, limit: number) {
    const rows = await repo.conversationsOf(this.db, p.id, requireCompany(p), limit);
    return rows.map((r) => this.summary(r));
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    return this.view(await this.own(ctx, p, id));
  }

  /** A user's message: stored masked; answered by the assistant while the conversation is the assistant's. */
  async post(ctx: AuditContext, p: Principal, id: string, text: string) {
    const conv = await this.own(ctx, p, id);
    if (conv.status === "closed")
      throw new AppError("SUPPORT.CLOSED", `conversation ${id} is closed; start a new one`, 409);
    const c = classify(text);
    if (conv.status !== "bot") {
      await this.db.transaction(async (tx) => {
        await repo.addMessage(tx, { conversationId: id, author: "user", body: maskText(text) });
        await repo.update(tx, id, {});
      });
      return this.view((await repo.conversation(this.db, id))!);
    }
    let reason: HandoverReason | null = null;
    let answer: Answer | null = null;
    if (c.intent === "handover") reason = "asked";
    else if (c.intent === "unknown" || c.confidence < LOW_CONFIDENCE) reason = "low_confidence";
    else {
      answer = await this.answer(ctx, p, c, text);
      if (answer.failed && conv.failures + 1 >= MAX_FAILURES) reason = "failed_twice";
    }
    const lookups = [...conv.lookups, ...(answer?.lookups ?? [])];
    await this.db.transaction(async (tx) => {
      await repo.addMessage(tx, {
        conversationId: id,
        author: "user",
        body: maskText(text),
        intent: c.intent,
        confidence: c.confidence,
      });
      if (answer && reason !== "failed_twice")
        await repo.addMessage(tx, { conversationId: id, author: "assistant", body: maskText(answer.text) });
      if (reason) {
        await repo.addMessage(tx, { conversationId: id, author: "assistant", body: say.handover(reason) });
        await repo.update(tx, id, { status: "waiting", handoverReason: reason, handedOver: true, lookups });
        await auditTrail.append(tx, {
          ...ctx,
          companyId: conv.company_id,
          action: "support.handover",
          resource: "support_conversation",
          resourceId: id,
          changes: { status: { before: "bot", after: "waiting" }, reason: { after: reason } },
        });
      } else
        await repo.update(tx, id, {
          failures: answer?.failed ? conv.failures + 1 : answer ? 0 : conv.failures,
          lookups,
        });
    });
    return this.view((await repo.conversation(this.db, id))!);
  }

  private async answer(ctx: AuditContext, p: Principal, c: Classified, text: string): Promise<Answer> {
    const at = new Date().toISOString();
    const ok = (t: string, lookups: Lookup[] = []): Answer => ({ text: t, failed: false, lookups });
    const fail = (t: string, lookups: Lookup[] = []): Answer => ({ text: t, failed: true, lookups });
    const can = (perm: string) => p.permissions.has(perm as never);
    switch (c.intent) {
      case "greeting":
        return ok(say.greeting());
      case "order_status":
      case "delivery":
      case "return": {
        if (c.intent === "return" && c.slots.returnId) {
          if (!can("return:view")) return fail(say.noPermission("退货"));
          const rows = await this.lookups.returns(ctx, p, { returnId: c.slots.returnId });
          const look: Lookup[] = [{ at, kind: "return", ref: c.slots.returnId, found: rows.length > 0 }];
          return rows.length ? ok(say.returns(rows), look) : fail(say.returnNotFound(c.slots.returnId), look);
        }
        if (!can("order:view")) return c.intent === "return" ? this.policy(text, at) : fail(say.noPermission("订单"));
        if (!c.slots.orderId) {
          if (c.intent === "return") return this.returnsOrPolicy(ctx, p, text, at);
          const recent = await this.lookups.recentOrders(p, 5);
          return ok(say.recent(recent, c.intent === "delivery"), [
            { at, kind: "orders", ref: null, found: recent.length > 0 },
          ]);
        }
        const o = await this.lookups.order(ctx, p, c.slots.orderId);
        const look: Lookup[] = [{ at, kind: "order", ref: c.slots.orderId, found: o !== null }];
        if (!o) return fail(say.orderNotFound(c.slots.orderId), look);
        if (c.intent === "return") {
          // Returns already asked for on this order are what the asker wants to hear about; else how to ask for one.
          if (can("return:view")) {
            const rows = await this.lookups.returns(ctx, p, { orderId: o.id });
            look.push({ at, kind: "return", ref: o.id, found: rows.length > 0 });
            if (rows.length) return ok(say.returns(rows), look);
          }
          const policy = this.search(await this.articles(), text);
          return ok(say.returnOf(o) + (policy ? `\n${say.article(policy.title, policy.body)}` : ""), [
            ...look,
            ...(policy ? [{ at, kind: "article" as const, ref: policy.id, found: true }] : []),
          ]);
        }
        return ok(c.intent === "delivery" ? say.delivery(o) : say.order(o), look);
      }
      case "verify_part": {
        if (!c.slots.gtin || !c.slots.serial) return fail(say.needPart());
        if (!can("part:view")) return fail(say.noPermission("配件"));
        const f = await this.lookups.part(p, c.slots.gtin, c.slots.serial);
        const look: Lookup[] = [{ at, kind: "part", ref: `${c.slots.gtin}/${c.slots.serial}`, found: f !== null }];
        return f ? ok(say.part(f), look) : fail(say.partNotFound(), look);
      }
      case "installation": {
        if (!c.slots.vin) return fail(say.needVin());
        if (!can("installation:view")) return fail(say.noPermission("装车记录"));
        const rows = await this.lookups.installations(ctx, p, c.slots.vin);
        const masked = maskVin(c.slots.vin);
        const look: Lookup[] = [{ at, kind: "installation", ref: masked, found: rows.length > 0 }];
        return rows.length ? ok(say.installations(masked, rows), look) : fail(say.noInstallations(masked), look);
      }
      default:
        return this.policy(text, at);
    }
  }

  /** A return question naming nothing: the policy it asks about, then the company's returns still open, if any. */
  private async returnsOrPolicy(ctx: AuditContext, p: Principal, text: string, at: string): Promise<Answer> {
    const policy = await this.policy(text, at);
    if (!p.permissions.has("return:view" as never)) return policy;
    const open = (await this.lookups.returns(ctx, p, {})).filter((r) => r.status !== "closed").slice(0, 3);
    if (!open.length) return policy;
    const look: Lookup = { at, kind: "return", ref: null, found: true };
    const text2 = policy.failed ? say.openReturns(open) : `${policy.text}\n${say.openReturns(open)}`;
    return { text: text2, failed: false, lookups: [...policy.lookups, look] };
  }

  /** A policy answer from the knowledge base (also the scan page's assistant's, scan-support.service.ts). */
  async policy(text: string, at: string): Promise<Answer> {
    const hit = this.search(await this.articles(), text);
    if (!hit)
      return { text: say.noArticle(), failed: true, lookups: [{ at, kind: "article", ref: null, found: false }] };
    return {
      text: say.article(hit.title, hit.body),
      failed: false,
      lookups: [{ at, kind: "article", ref: hit.id, found: true }],
    };
  }

  private search(index: KnowledgeIndex, text: string) {
    return index.search(text, 1)[0]?.article ?? null;
  }

  /** The knowledge index, rebuilt when an article changed (in this process or another: keyed by count and last change). */
  private async articles(): Promise<KnowledgeIndex> {
    const { rows } = await this.db.query<{ key: string }>(
      "SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') AS key FROM support_articles WHERE published",
    );
    const key = rows[0]!.key;
    if (this.index?.key !== key) {
      const articles = await repo.articles(this.db, true);
      this.index = { key, index: new KnowledgeIndex(new Segmenter(KEYWORDS), articles) };
    }
    return this.index.index;
  }

  // ── The support queue (the platform's support agents) ──

  async queue(status: ConversationStatus | undefined, limit: number) {
    const rows = await repo.queue(this.db, status ? [status] : ["waiting", "claimed"], limit);
    return Promise.all(rows.map((r) => this.view(r)));
  }

  async queued(id: string) {
    const row = await repo.conversation(this.db, id);
    if (!row || row.status === "bot") throw notFound("support conversation", id);
    return this.view(row);
  }

  /**
   * The scan page visitor's full contact, for the agent who claimed the conversation (to answer them): audited as a
   * reveal of personal data. Anyone else, or before claiming: 409.
   */
  async revealContact(ctx: AuditContext, p: Principal, id: string) {
    const row = await repo.conversation(this.db, id);
    if (!row || row.status === "bot") throw notFound("support conversation", id);
    if (!row.contact_ct || !this.vault)
      throw new AppError("SUPPORT.NO_CONTACT", `conversation ${id} has no contact left by a visitor`, 409);
    if (row.status !== "claimed" || row.agent_id !== p.id)
      throw new AppError("SUPPORT.NOT_CLAIMED", `conversation ${id}: claim it before revealing its contact`, 409);
    const contact = this.vault.openText(row.contact_ct, contactAad(id));
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: null,
        action: "personal_data.reveal",
        resource: "support_conversation",
        resourceId: id,
        changes: { fields: { after: ["contact"] } },
      }),
    );
    return { id, contact };
  }

  async claim(ctx: AuditContext, p: Principal, id: string) {
    return this.agentStep(ctx, p, id, ["waiting"], "claimed", "support.claim");
  }

  async close(ctx: AuditContext, p: Principal, id: string) {
    return this.agentStep(ctx, p, id, ["claimed"], "closed", "support.close");
  }

  async reply(ctx: AuditContext, p: Principal, id: string, text: string) {
    await this.db.transaction(async (tx) => {
      const row = await repo.conversation(tx, id, true);
      if (!row || row.status === "bot") throw notFound("support conversation", id);
      if (row.status !== "claimed" || row.agent_id !== p.id)
        throw new AppError(
          "SUPPORT.NOT_CLAIMED",
          `conversation ${id}: claim it before replying (status ${row.status})`,
          409,
        );
      await repo.addMessage(tx, { conversationId: id, author: "agent", body: maskText(text) });
      await repo.update(tx, id, {});
    });
    return this.queued(id);
  }

  private async agentStep(
    ctx: AuditContext,
    p: Principal,
    id: string,
    from: ConversationStatus[],
    to: ConversationStatus,
    action: string,
  ) {
    await this.db.transaction(async (tx) => {
      const row = await repo.conversation(tx, id, true);
      if (!row || row.status === "bot") throw notFound("support conversation", id);
      if (!from.includes(row.status) || (to === "closed" && row.agent_id !== p.id))
        throw new AppError(
          "SUPPORT.INVALID_TRANSITION",
          `conversation ${id} is ${row.status}${row.agent_id && row.agent_id !== p.id ? " by another agent" : ""}; it cannot become ${to}`,
          409,
          { from: row.status, to },
        );
      await repo.update(tx, id, { status: to, ...(to === "claimed" ? { agentId: p.id } : {}) });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action,
        resource: "support_conversation",
        resourceId: id,
        changes: { status: { before: row.status, after: to } },
      });
    });
    return this.queued(id);
  }

  // ── The knowledge base ──

  async listArticles() {
    return (await repo.articles(this.db, false)).map(articleView);
  }

  async article(id: string) {
    const row = await repo.article(this.db, id);
    if (!row) throw notFound("support article", id);
    return articleView(row);
  }

  async saveArticle(
    ctx: AuditContext,
    p: Principal,
    id: string | null,
    a: { title: string; body: string; keywords: string[]; published: boolean },
  ) {
    const articleId = id ?? `kb_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      const before = id ? await repo.article(tx, id) : null;
      if (id && !before) throw notFound("support article", id);
      if (before) await repo.updateArticle(tx, articleId, { ...a, updatedBy: p.id });
      else await repo.insertArticle(tx, { id: articleId, ...a, updatedBy: p.id });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: null,
        action: before ? "support_article.update" : "support_article.create",
        resource: "support_article",
        resourceId: articleId,
        changes: {
          title: { ...(before ? { before: before.title } : {}), after: a.title },
          published: { ...(before ? { before: before.published } : {}), after: a.published },
        },
      });
    });
    return this.article(articleId);
  }

  async deleteArticle(ctx: AuditContext, id: string) {
    await this.db.transaction(async (tx) => {
      const before = await repo.article(tx, id);
      if (!before) throw notFound("support article", id);
      await repo.deleteArticle(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: null,
        action: "support_article.delete",
        resource: "support_article",
        resourceId: id,
        changes: { title: { before: before.title } },
      });
    });
  }

  private async own(ctx: AuditContext, p: Principal, id: string): Promise<ConversationRow> {
    const row = await repo.conversation(this.db, id);
    if (!row) throw notFound("support conversation", id);
    if (row.company_id !== p.companyId || row.user_id !== p.id)
      return crossTenant(this.db, ctx, p, "support conversation", id, row.company_id);
    return row;
  }

  /** A conversation as its reader sees it: every message (stored masked), what was looked up, the contact masked. */
  async view(row: ConversationRow) {
    const messages = await repo.messages(this.db, row.id);
    return {
      ...this.summary(row),
      lookups: row.lookups,
      messages: messages.map((m) => ({
        id: m.id,
        author: m.author,
        body: m.body,
        intent: m.intent,
        confidence: m.confidence,
        createdAt: m.created_at.toISOString(),
      })),
    };
  }

  private summary(r: ConversationRow) {
    return summary(
      r,
      r.contact_ct && this.vault ? maskContact(this.vault.openText(r.contact_ct, contactAad(r.id))) : null,
    );
  }
}

function requireCompany(p: Principal): string {
  if (!p.companyId) throw new AppError("ORG.REQUIRED", "the support assistant answers a company's users", 409);
  return p.companyId;
}

/** The AAD of a scan page visitor's contact (ledger-service/src/ledger/rotation.ts lists the column). */
export const contactAad = (id: string) => `support_conversation:${id}:contact`;
export const maskContact = (c: string) => (c.includes("@") ? maskEmail(c) : maskMobile(c));

function summary(r: ConversationRow, contact: string | null) {
  return {
    id: r.id,
    companyId: r.company_id,
    userId: r.user_id,
    channel: r.channel,
    part: r.gtin && r.serial ? { gtin: r.gtin, serial: r.serial } : null,
    contact,
    status: r.status,
    failures: r.failures,
    handoverReason: r.handover_reason,
    handedOverAt: r.handed_over_at?.toISOString() ?? null,
    agentId: r.agent_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function articleView(r: ArticleRow) {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    keywords: r.keywords,
    published: r.published,
    updatedBy: r.updated_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
