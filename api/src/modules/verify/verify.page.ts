import { placeName } from "../../shared/regions.js";
import { COLOR, FORM_PAGE_CSP, esc, shanghai, shell, type Lang } from "./page-shell.js";
import { chatSection, type ScanChatForm } from "./scan-support.page.js";
import type { Verdict, VerdictCode } from "./verify.service.js";

export type { Lang };
export { FORM_PAGE_CSP };

const T = {
  zh: {
    title: "配件真伪验证",
    GENUINE: "正品",
    GENUINE_PENDING_ANCHOR: "正品（上链确认中）",
    UNKNOWN: "无法识别：非本平台签发的标签",
    ALREADY_INSTALLED: "注意：该配件已安装",
    SUSPECT_CLONE: "警告：疑似复制标签",
    part: "配件",
    maker: "制造商",
    brand: "品牌",
    owner: "品牌所有者",
    notOwner: "该商品条码的厂商识别代码未核验为此制造商所有",
    product: "名称",
    gtin: "商品条码 GTIN",
    serial: "序列号",
    lot: "批次",
    history: "流转记录",
    commissioning: "出厂赋码",
    receiving: "入库接收",
    installing: "装车安装",
    shipping: "发货在途",
    verified: "已在区块链上核验",
    pending: "正在写入区块链，稍后再扫可见结果",
    batch: "锚定批次",
    tx: "交易哈希",
    block: "区块高度",
    confirmations: "确认数",
    tech: "技术详情",
    reasonCode: "结论代码",
    scannedAt: "扫码时间",
    placeCode: "地点代码",
    seq: "账本序号",
    todo: "请这样做",
    doNotFit: "不要安装这个配件。",
    keep: "保留配件、包装和标签，拍照留存。",
    reportIt: "点下面的按钮举报，品牌方和平台都会收到。",
    supplier: "联系卖给您这个配件的供货商，说明扫码结果。",
    installedIntro: "记录显示这个配件已经装在一辆车上。如果您手里的是一个全新、没装过的配件，说明它的标签被复制了：",
    installedOk: "如果您扫的正是已经装在这辆车上的配件，无需处理。",
    note: "补充说明（可选，最多 500 字）",
    notePlaceholder: "例如：在哪里买的、包装有什么异常",
    contact: "联系方式（可选：手机号或邮箱）",
    contactHint: "加密保存，只有品牌方和平台可以查看，用于核实情况。",
    report: "举报假冒配件",
    vin: "车架号",
    place: "地点",
    switch: "English",
    reason: "原因：",
    trust: "链上核验依据",
    chain: "链",
    anchorRegistry: "锚定合约",
    partRegistry: "配件合约",
    trustDoc: "信任锚文件（审计方固定使用）",
  },
  en: {
    title: "Part verification",
    GENUINE: "Genuine",
    GENUINE_PENDING_ANCHOR: "Genuine (anchoring pending)",
    UNKNOWN: "Unknown: not a label issued on PartLedger",
    ALREADY_INSTALLED: "Caution: this part is already installed",
    SUSPECT_CLONE: "Warning: suspected copied label",
    part: "Part",
    maker: "Manufacturer",
    brand: "Brand",
    owner: "Brand owner",
    notOwner: "this GTIN's GS1 company prefix is not verified as this manufacturer's",
    product: "Product",
    gtin: "GTIN",
    serial: "Serial",
    lot: "Lot",
    history: "Custody history",
    commissioning: "Commissioned",
    receiving: "Received",
    installing: "Installed",
    shipping: "Shipped",
    verified: "checked on the blockchain",
    pending: "being written to the blockchain; scan again later to see it checked",
    batch: "anchor batch",
    tx: "transaction hash",
    block: "block number",
    confirmations: "confirmations",
    tech: "Technical details",
    reasonCode: "reason code",
    scannedAt: "scanned at",
    placeCode: "place code",
    seq: "ledger sequence",
    todo: "What to do",
    doNotFit: "Do not fit this part.",
    keep: "Keep the part, its box and label; take photos.",
    reportIt: "Report it with the button below: the brand owner and the platform both receive it.",
    supplier: "Tell the supplier who sold you the part what the scan showed.",
    installedIntro:
      "The record says this part is already fitted to a car. If the part in your hand is new and never fitted, its label was copied:",
    installedOk: "If you scanned the part on the car it was fitted to, nothing needs doing.",
    note: "Note (optional, up to 500 characters)",
    notePlaceholder: "e.g. where it was bought, what looked wrong with the box",
    contact: "Contact (optional: mobile number or e-mail)",
    contactHint: "Stored encrypted; only the brand owner and the platform can see it, to follow up.",
    report: "Report a counterfeit part",
    vin: "VIN",
    place: "Place",
    switch: "中文",
    reason: "Reason: ",
    trust: "Verified against",
    chain: "Chain",
    anchorRegistry: "AnchorRegistry",
    partRegistry: "PartRegistry",
    trustDoc: "trust anchor (what auditors pin)",
  },
} as const;

const REASONS: Record<string, { zh: string; en: string }> = {
  CUSTODY_VERIFIED_ON_CHAIN: {
    zh: "每一步流转都已由签名公司签署并在链上锚定",
    en: "every custody step is signed by its company and anchored on chain",
  },
  ANCHORING_PENDING: {
    zh: "记录已签名，最新一步尚在上链确认中",
    en: "the record is signed; the latest step is still being anchored",
  },
  NEVER_ISSUED: { zh: "平台上没有这个序列号", en: "no part with this serial was ever issued" },
  LABEL_SIGNATURE_MISSING: { zh: "标签缺少制造商签名", en: "the label carries no manufacturer signature" },
  LABEL_SIGNATURE_INVALID: { zh: "标签签名与制造商不符", en: "the label's signature is not the manufacturer's" },
  LOT_MISMATCH: { zh: "标签上的批次与记录不符", en: "the label's lot differs from the record" },
  INSTALLED_BEFORE_THIS_SCAN: {
    zh: "该配件此前已装车，再次出现说明标签可能被复制",
    en: "the part was installed before; seeing it again suggests a copied label",
  },
  SHIPPED_TO_THIS_SHOP: {
    zh: "该配件已按本店订单发出、尚未确认收货；验收后请记录接收",
    en: "shipped against this shop's order and not yet received; record the receipt once checked",
  },
  SCANNED_BY_SHOP_THAT_NEVER_RECEIVED_IT: {
    zh: "扫码的修理厂从未接收过该配件",
    en: "scanned by a repair shop that never received this part",
  },
  SCANNED_TOO_FAR_APART: {
    zh: "同一序列号在短时间内于相距过远的两地被扫描",
    en: "the same serial was scanned too far apart for the time between scans",
  },
};

/** What the label said, as scanned: what a counterfeit report records, with the token that makes resubmits one report. */
export interface ReportForm {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  signature?: string | undefined;
  /** The scan's `loc` (lng,lat), when the scan carried one. */
  loc?: string | undefined;
  /** The same for this label, verdict and client all day: a second submit of this page's form records nothing new. */
  submission: string;
}

/** The verdicts that ask the mechanic to act: a code we cannot vouch for, a suspected copy, an installed part again. */
export const REPORTABLE: ReadonlySet<VerdictCode> = new Set(["UNKNOWN", "SUSPECT_CLONE", "ALREADY_INSTALLED"]);

const hidden = (name: string, value: string | undefined) =>
  value === undefined ? "" : `<input type="hidden" name="${name}" value="${esc(value)}">`;

function advice(v: Verdict, lang: Lang, form: ReportForm | undefined): string {
  if (!REPORTABLE.has(v.verdict)) return "";
  const t = T[lang];
  const installed = v.verdict === "ALREADY_INSTALLED";
  const steps = [t.doNotFit, t.keep, ...(form ? [t.reportIt] : []), t.supplier];
  const body = form
    ? `<form id="report" method="post" action="/api/v1/counterfeit-reports?lang=${lang}">
  ${hidden("gtin", form.gtin)}${hidden("serial", form.serial)}${hidden("lot", form.lot)}${hidden("signature", form.signature)}
  ${hidden("verdict", v.verdict)}${hidden("loc", form.loc)}${hidden("submission", form.submission)}
  <label for="note">${esc(t.note)}</label>
  <textarea id="note" name="note" rows="3" maxlength="500" placeholder="${esc(t.notePlaceholder)}"></textarea>
  <label for="contact">${esc(t.contact)}</label>
  <input id="contact" name="contact" type="text" maxlength="254" autocomplete="tel" aria-describedby="contact-hint">
  <p class="hint" id="contact-hint">${esc(t.contactHint)}</p>
  <button type="submit" id="report-button">${esc(t.report)}</button>
</form>`
    : "";
  return `<section id="advice" class="advice${installed ? " caution" : ""}" aria-labelledby="advice-title">
<h2 id="advice-title">${esc(t.todo)}</h2>
${installed ? `<p>${esc(t.installedIntro)}</p>` : ""}
<ol>${steps.map((s, i) => `<li>${i === 0 ? `<strong>${esc(s)}</strong>` : esc(s)}</li>`).join("")}</ol>
${installed ? `<p class="hint">${esc(t.installedOk)}</p>` : ""}
${body}
</section>`;
}

function technical(v: Verdict, lang: Lang): string {
  const t = T[lang];
  const steps = v.timeline
    .map(
      (s) => `<li><dl>
  <dt>${esc(t.seq)}</dt><dd>${s.seq} · ${esc(t[s.step])}</dd>
  <dt>${esc(t.placeCode)}</dt><dd><code>${esc(s.place)}</code></dd>
  <dt>${esc(t.batch)}</dt><dd>${s.anchor.batchId ?? "—"}</dd>
  <dt>${esc(t.tx)}</dt><dd><code class="tx">${esc(s.anchor.txHash ?? "—")}</code></dd>
  <dt>${esc(t.block)}</dt><dd>${s.anchor.blockNumber ?? "—"}</dd>
  <dt>${esc(t.confirmations)}</dt><dd>${s.anchor.confirmations ?? "—"}</dd>
</dl></li>`,
    )
    .join("\n");
  const trust = v.trust
    ? `<div id="trust" data-anchor-registry="${esc(v.trust.anchorRegistry)}" data-chain-id="${v.trust.chainId}"><dl>
  <dt>${esc(t.trust)}</dt><dd>${esc(t.chain)} ${v.trust.chainId}</dd>
  <dt>${esc(t.anchorRegistry)}</dt><dd><code>${esc(v.trust.anchorRegistry)}</code></dd>
  ${v.trust.partRegistry ? `<dt>${esc(t.partRegistry)}</dt><dd><code>${esc(v.trust.partRegistry)}</code></dd>` : ""}
  <dt>${esc(t.trustDoc)}</dt><dd><a href="${esc(v.trust.document)}">${esc(v.trust.document)}</a></dd>
</dl></div>`
    : "";
  return `<details id="tech" class="tech">
<summary>${esc(t.tech)}</summary>
<dl>
  <dt>${esc(t.reasonCode)}</dt><dd><code>${esc(v.verdict)} / ${esc(v.reason)}</code></dd>
  <dt>${esc(t.scannedAt)}</dt><dd>${esc(shanghai(v.scannedAt))}</dd>
</dl>
${steps ? `<ol class="tech-steps">${steps}</ol>` : ""}
${trust}
</details>`;
}

/**
 * The verification page a phone shows after scanning a label: server-rendered, no script needed. The banner and what
 * to do come first; chain details (hashes, blocks, confirmations, the trust anchor) sit in a collapsed <details>.
 * `form`: the scanned label, for the report button on a verdict that asks for one; `chat`: the label and verdict for
 * the support assistant's form (问售后助手).
 */
export function renderVerifyPage(
  v: Verdict,
  lang: Lang,
  switchHref: string,
  form?: ReportForm,
  chat?: ScanChatForm,
): string {
  const t = T[lang];
  const reason = REASONS[v.reason]?.[lang] ?? v.reason;
  const steps = v.timeline
    .map(
      (s) => `<li class="step">
  <div class="what">${esc(t[s.step])} · ${esc(s.by.name)}</div>
  <div class="meta">${esc(shanghai(s.at))} · ${esc(t.place)} <span class="place">${esc(placeName(s.place, lang))}</span>${s.vin ? ` · ${esc(t.vin)} <span class="vin">${esc(s.vin)}</span>` : ""}</div>
  <div class="chain ${s.anchor.status}">${s.anchor.status === "final" ? `✔ ${esc(t.verified)}` : `… ${esc(t.pending)}`}</div>
</li>`,
    )
    .join("\n");
  return shell(
    lang,
    t.title,
    `<nav><a href="${esc(switchHref)}" lang="${lang === "zh" ? "en" : "zh-CN"}">${esc(t.switch)}</a></nav>
<div class="verdict" id="verdict" data-verdict="${v.verdict}" style="background:${COLOR[v.verdict]}">
  <h1>${esc(t[v.verdict])}</h1>
  <p class="reason" id="reason" data-reason="${esc(v.reason)}">${esc(t.reason)}${esc(reason)}</p></div>
${advice(v, lang, form)}
<section aria-label="${esc(t.part)}"><dl>
  ${v.part.name ? `<dt>${esc(t.product)}</dt><dd id="product">${esc(v.part.name)}</dd>` : ""}
  ${v.part.brand ? `<dt>${esc(t.brand)}</dt><dd>${esc(v.part.brand)}</dd>` : ""}
  <dt>${esc(t.maker)}</dt><dd>${esc(v.part.manufacturer ?? "—")}</dd>
  ${v.part.brandOwner ? `<dt>${esc(t.owner)}</dt><dd id="brand-owner">${esc(v.part.brandOwner)}</dd>` : v.timeline.length ? `<dt>${esc(t.owner)}</dt><dd id="brand-owner">${esc(t.notOwner)}</dd>` : ""}
  <dt>${esc(t.gtin)}</dt><dd>${esc(v.part.gtin)}</dd>
  <dt>${esc(t.serial)}</dt><dd>${esc(v.part.serial)}</dd>
  <dt>${esc(t.lot)}</dt><dd>${esc(v.part.lot ?? "—")}</dd>
</dl></section>
${chat ? chatSection(chat, lang) : ""}
${v.timeline.length ? `<section aria-labelledby="history-title"><h2 id="history-title">${esc(t.history)}</h2><ol class="steps">${steps}</ol></section>` : ""}
${technical(v, lang)}`,
  );
}
