import { linkPath } from "../../../../ledger-service/src/gs1/digital-link.js";
import { esc, shell, type Lang } from "./page-shell.js";

const T = {
  zh: {
    title: "售后助手",
    ask: "问售后助手",
    intro: "可以问这个配件的扫码结果，或者退换货、质保等规则。助手看不到任何订单或客户信息。",
    question: "您的问题（最多 500 字）",
    placeholder: "例如：这个件是正品吗？质保多久？",
    contact: "联系方式（转人工时填写：手机号或邮箱）",
    contactHint: "加密保存，只有平台客服可以查看，用于回复您。",
    send: "提问",
    handover: "转人工",
    you: "您",
    assistant: "助手",
    agent: "客服",
    waiting: "已在人工客服队列中，客服会通过您留下的联系方式回复。",
    again: "这次提交之前已经收到过，没有重复记录。",
    back: "返回扫码结果",
    invalidTitle: "没有提交成功",
    invalid: "请返回上一页，检查这一项后再提交：",
    fields: { contact: "联系方式", text: "问题", page: "扫码页（请重新扫码）", key: "对话" } as Record<string, string>,
  },
  en: {
    title: "Support assistant",
    ask: "Ask the support assistant",
    intro:
      "Ask about this part's scan result, or about returns and warranty. The assistant sees no order or customer data.",
    question: "Your question (up to 500 characters)",
    placeholder: "e.g. Is this part genuine? How long is the warranty?",
    contact: "Contact (to talk to a person: mobile number or e-mail)",
    contactHint: "Stored encrypted; only the platform's support staff can see it, to answer you.",
    send: "Ask",
    handover: "Talk to a person",
    you: "You",
    assistant: "Assistant",
    agent: "Support",
    waiting: "In the support queue: a person will answer through the contact you left.",
    again: "This had been sent already; it was not recorded twice.",
    back: "Back to the scan result",
    invalidTitle: "Not sent",
    invalid: "Go back to the previous page, check this field and send it again:",
    fields: { contact: "Contact", text: "Question", page: "Scan page (scan again)", key: "Conversation" } as Record<
      string,
      string
    >,
  },
} as const;

/** What the assistant's form carries: the label and verdict the page showed, and the page's token vouching for them. */
export interface ScanChatForm {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  signature?: string | undefined;
  verdict: string;
  page: string;
  /** Carrying a conversation on (the answer page). */
  conversation?: { id: string; key: string };
}

const hidden = (name: string, value: string | undefined) =>
  value === undefined ? "" : `<input type="hidden" name="${name}" value="${esc(value)}">`;

/** The "问售后助手" form: on the scan page, and under each answer. Posts without script (CSP form-action 'self'). */
export function chatForm(f: ScanChatForm, lang: Lang, withContact = true): string {
  const t = T[lang];
  return `<form id="chat" method="post" action="/api/v1/scan-support/questions?lang=${lang}">
  ${hidden("gtin", f.gtin)}${hidden("serial", f.serial)}${hidden("lot", f.lot)}${hidden("signature", f.signature)}
  ${hidden("verdict", f.verdict)}${hidden("page", f.page)}
  ${hidden("conversation", f.conversation?.id)}${hidden("key", f.conversation?.key)}
  <label for="chat-text">${esc(t.question)}</label>
  <textarea id="chat-text" name="text" rows="2" maxlength="500" placeholder="${esc(t.placeholder)}"></textarea>
  ${
    withContact
      ? `<label for="chat-contact">${esc(t.contact)}</label>
  <input id="chat-contact" name="contact" type="text" maxlength="254" autocomplete="tel"
    aria-describedby="chat-contact-hint">
  <p class="hint" id="chat-contact-hint">${esc(t.contactHint)}</p>`
      : ""
  }
  <button type="submit" id="chat-send" style="background:#0550ae">${esc(t.send)}</button>
  <button type="submit" id="chat-handover" name="handover" value="1" style="background:#59636e">
    ${esc(t.handover)}</button>
</form>`;
}

/** The scan page's section holding the assistant's form. */
export function chatSection(f: ScanChatForm, lang: Lang): string {
  const t = T[lang];
  return `<section id="assistant" aria-labelledby="assistant-title"><h2 id="assistant-title">${esc(t.ask)}</h2>
<p class="hint">${esc(t.intro)}</p>
${chatForm(f, lang)}
</section>`;
}

interface ChatView {
  id: string;
  status: string;
  duplicate: boolean;
  contact: string | null;
  messages: Array<{ author: "user" | "assistant" | "agent"; body: string }>;
}

const scanHref = (f: ScanChatForm, lang: Lang) => {
  const path = linkPath({ gtin: f.gtin, serial: f.serial, lot: f.lot });
  return `${path}${path.includes("?") ? "&" : "?"}${f.signature ? `s=${f.signature}&` : ""}lang=${lang}`;
};

/** The answer page a form post lands on: the conversation (as stored: masked), and the form to carry it on. */
export function renderChat(c: ChatView, f: ScanChatForm, lang: Lang): string {
  const t = T[lang];
  const who = { user: t.you, assistant: t.assistant, agent: t.agent };
  const messages = c.messages
    .map(
      (m) => `<li class="step msg-${m.author}"><div class="what">${esc(who[m.author])}</div>
<div style="white-space:pre-line">${esc(m.body)}</div></li>`,
    )
    .join("\n");
  const open = c.status === "bot";
  const waiting = `<p id="waiting">${esc(t.waiting)}${c.contact ? ` (${esc(c.contact)})` : ""}</p>`;
  return shell(
    lang,
    t.title,
    `<div class="verdict" id="verdict" data-conversation="${esc(c.id)}" data-status="${esc(c.status)}"
  data-duplicate="${c.duplicate}" style="background:#0550ae">
  <h1>${esc(t.title)}</h1>
  ${c.duplicate ? `<p class="reason" id="duplicate">${esc(t.again)}</p>` : ""}</div>
<section aria-labelledby="conversation-title"><h2 id="conversation-title">${esc(t.ask)}</h2>
<ol class="steps" id="messages">${messages}</ol>
${open ? chatForm(f, lang, c.contact === null) : waiting}
<p><a href="${esc(scanHref(f, lang))}">${esc(t.back)}</a></p></section>`,
  );
}

/** A form post the server refused (400): which field, in words. */
export function renderChatInvalid(field: string, message: string, lang: Lang): string {
  const t = T[lang];
  return shell(
    lang,
    t.invalidTitle,
    `<div class="verdict" id="verdict" data-field="${esc(field)}" style="background:#c4121f">
  <h1>${esc(t.invalidTitle)}</h1></div>
<section><p>${esc(t.invalid)} <strong id="field">${esc(t.fields[field] ?? field)}</strong></p>
<p class="hint">${esc(message)}</p></section>`,
  );
}
