import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError, auditTrail, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import { normaliseEmail, normaliseMobile } from "../../security/personal-data.js";
import type { AuditContext } from "../../security/principal.js";
import { sayScan } from "./answers.js";
import { classify, LOW_CONFIDENCE, type Classified } from "./intents.js";
import { maskText } from "./masking.js";
import type { ScanQuestionBody } from "./scan-support.schema.js";
import {
  supportRepository as repo,
  type ConversationRow,
  type HandoverReason,
  type Lookup,
} from "./support.repository.js";
import { contactAad, MAX_FAILURES, maskContact, type Answer, type SupportService } from "./support.service.js";

/** The label and verdict a scan page showed: all the assistant may know about the part. */
export interface ScanLabel {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  signature?: string | undefined;
  verdict: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** Intents whose answer is a company's own data (orders, returns, installations): never on the public page. */
const PRIVATE = new Set(["order_status", "delivery", "installation"]);

/**
 * The support assistant on the public scan page, for an anonymous visitor: it answers from the verdict the page showed
 * (vouched for by the page's token) and from the knowledge base — never from any company's data — and hands the
 * conversation to the platform's support queue, with the part and a contact the visitor leaves (sealed with the key
 * vault, shown masked), when asked, when unsure, or after MAX_FAILURES failed answers. A form post sent again is
 * recognised by its submission key and answered from what was stored.
 */
export class ScanSupportService {
  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
    private readonly support: SupportService,
  ) {}

  /** The token the scan page's assistant form carries: the server's word that it showed `verdict` for this label. */
  pageToken(label: ScanLabel, now = new Date()): string {
    const what = [label.gtin, label.serial, label.lot ?? null, label.signature ?? null, label.verdict];
    return this.vault
      .blindIndex("support.scan.page", JSON.stringify([...what, now.toISOString().slice(0, 10)]))
      .toString("hex")
      .slice(0, 32);
  }

  /** The key that carries an anonymous conversation on (only its answer page holds it). */
  conversationKey(id: string): string {
    return this.vault.blindIndex("support.scan.conversation", id).toString("hex").slice(0, 32);
  }

  async ask(ctx: AuditContext, body: ScanQuestionBody, from: { idempotencyKey?: string | undefined; client: string }) {
    const label: ScanLabel = body;
    const now = new Date();
    const days = [now, new Date(now.getTime() - 86_400_000)];
    if (!days.some((d) => same(this.pageToken(label, d), body.page)))
      throw new AppError(
        "SUPPORT.PAGE_EXPIRED",
        "body.page: not the token of this label's scan page (or more than a day old): scan the label again",
        400,
        { field: "page" },
      );
    const contact = body.contact === undefined ? null : normaliseContact(body.contact);
    const key = submissionKey(body, from);
    const known = await repo.bySubmission(this.db, key);
    if (known) return this.view(known, true);

    let conv: ConversationRow | null = null;
    if (body.conversation) {
      if (!same(this.conversationKey(body.conversation), body.key!))
        throw new AppError("SUPPORT.BAD_KEY", "body.key: not this conversation's key", 400, { field: "key" });
      conv = await repo.conversation(this.db, body.conversation);
      if (!conv || conv.channel !== "scan" || conv.gtin !== body.gtin || conv.serial !== body.serial)
        throw new AppError("SUPPORT.NOT_FOUND", `no conversation ${body.conversation} about this part`, 404);
      if (conv.status === "closed")
        throw new AppError("SUPPORT.CLOSED", `conversation ${conv.id} is closed; ask a new question`, 409);
    }
    const id = conv?.id ?? `sc_${randomBytes(8).toString("hex")}`;
    const at = now.toISOString();
    const c = body.text === undefined ? null : classify(body.text);
    const botTurn = !conv || conv.status === "bot";
    let reason: HandoverReason | null = null;
    let answer: Answer | null = null;
    if (botTurn) {
      if (body.handover === "1" || c?.intent === "handover") reason = conv?.handover_reason ?? "asked";
      else if (c && (c.intent === "unknown" || c.confidence < LOW_CONFIDENCE)) reason = "low_confidence";
      else if (c) {
        answer = await this.answer(c, body.text!, label, at);
        if (answer.failed && (conv?.failures ?? 0) + 1 >= MAX_FAILURES) reason = "failed_twice";
      }
    }
    const hasContact = contact !== null || conv?.contact_ct != null;
    const lookups = [...(conv?.lookups ?? []), ...(answer?.lookups ?? [])];
    const duplicate = await this.db
      .transaction(async (tx) => {
        if (!conv) await repo.createScanConversation(tx, { id, gtin: body.gtin, serial: body.serial });
        if (!(await repo.claimSubmission(tx, key, id))) throw DUPLICATE; // sent twice at once: the other one answers
        if (contact) await repo.setContact(tx, id, this.vault.seal(contact, contactAad(id)));
        if (body.text !== undefined)
          await repo.addMessage(tx, {
            conversationId: id,
            author: "user",
            body: maskText(body.text),
            ...(c ? { intent: c.intent, confidence: c.confidence } : {}),
          });
        if (!botTurn) {
          await repo.update(tx, id, {});
          return false;
        }
        if (answer && reason !== "failed_twice")
          await repo.addMessage(tx, { conversationId: id, author: "assistant", body: maskText(answer.text) });
        if (reason && hasContact) {
          const masked = contact ? maskContact(contact) : "您留下的联系方式";
          await repo.addMessage(tx, { conversationId: id, author: "assistant", body: sayScan.handedOver(masked) });
          await repo.update(tx, id, { status: "waiting", handoverReason: reason, handedOver: true, lookups });
          await auditTrail.append(tx, {
            ...ctx,
            companyId: null,
            action: "support.handover",
            resource: "support_conversation",
            resourceId: id,
            changes: {
              status: { before: "bot", after: "waiting" },
              reason: { after: reason },
              channel: { after: "scan" },
            },
          });
        } else {
          // To a person, but nobody could answer the visitor back: ask for a contact first.
          if (reason)
            await repo.addMessage(tx, { conversationId: id, author: "assistant", body: sayScan.needContact() });
          await repo.update(tx, id, {
            ...(reason ? { handoverReason: reason } : {}),
            failures: answer?.failed ? (conv?.failures ?? 0) + 1 : answer ? 0 : (conv?.failures ?? 0),
            lookups,
          });
        }
        return false;
      })
      .catch((e: unknown) => {
        if (e === DUPLICATE) return true;
        throw e;
      });
    return this.view(duplicate ? (await repo.bySubmission(this.db, key))! : id, duplicate);
  }

  private async answer(c: Classified, text: string, label: ScanLabel, at: string): Promise<Answer> {
    const ok = (t: string, lookups: Lookup[] = []): Answer => ({ text: t, failed: false, lookups });
    const part = `${label.gtin}/${label.serial}`;
    const verdict = (): Answer =>
      ok(sayScan.verdict(label.gtin, label.serial, label.verdict), [{ at, kind: "verdict", ref: part, found: true }]);
    if (c.intent === "greeting") return ok(sayScan.greeting());
    // Order, delivery, installation and numbered return questions are about a company's own data: nothing looked up.
    if (PRIVATE.has(c.intent) || (c.intent === "return" && (c.slots.orderId || c.slots.returnId)))
      return { text: sayScan.private(), failed: true, lookups: [] };
    if (c.intent === "verify_part") {
      const other =
        (c.slots.gtin && c.slots.gtin !== label.gtin) || (c.slots.serial && c.slots.serial !== label.serial);
      const v = verdict();
      return other ? { ...v, text: `${sayScan.otherPart()}\n${v.text}` } : v;
    }
    return this.support.policy(text, at);
  }

  private async view(id: string, duplicate: boolean) {
    const row = (await repo.conversation(this.db, id))!;
    return { ...(await this.support.view(row)), key: this.conversationKey(id), duplicate };
  }
}

const DUPLICATE = Symbol("duplicate submission");

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function normaliseContact(raw: string): string {
  const mobile = normaliseMobile(raw);
  if (mobile) return mobile;
  if (EMAIL.test(raw.trim())) return normaliseEmail(raw);
  throw new AppError(
    "REQUEST.INVALID",
    "body.contact: a mainland China mobile number (11 digits) or an e-mail address, or leave it empty",
    400,
    { field: "contact" },
  );
}

/** The post as sent: its page, conversation, question, contact and button, and the Idempotency-Key or the client. */
function submissionKey(body: ScanQuestionBody, from: { idempotencyKey?: string | undefined; client: string }) {
  const h = createHash("sha256");
  if (from.idempotencyKey) h.update(`key\n${from.idempotencyKey}\n`);
  else h.update(`client\n${from.client}\n${new Date().toISOString().slice(0, 10)}\n`);
  const { lot: _l, signature: _s, verdict: _v, key: _k, ...rest } = body;
  h.update(JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
  return h.digest();
}
