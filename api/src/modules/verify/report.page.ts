import { linkPath } from "../../../../ledger-service/src/gs1/digital-link.js";
import { esc, shell, type Lang } from "./page-shell.js";
import type { FiledReport } from "./reports.service.js";

const T = {
  zh: {
    title: "举报已收到",
    received: "已收到您的举报",
    again: "这份举报之前已经提交过，没有重复记录。",
    number: "举报编号",
    routed: "已转给",
    brandOwner: "品牌方",
    platform: "平台",
    next: "接下来",
    doNotFit: "不要安装这个配件。",
    keep: "保留配件、包装和标签，品牌方核实时可能需要。",
    followUp: "如果您留了联系方式，品牌方或平台可能会联系您。",
    back: "返回扫码结果",
    invalidTitle: "举报没有提交成功",
    invalid: "请返回上一页，检查这一项后再提交：",
    fields: { contact: "联系方式", note: "补充说明", loc: "位置" } as Record<string, string>,
  },
  en: {
    title: "Report received",
    received: "Your report was received",
    again: "This report had been sent already; it was not recorded twice.",
    number: "Report number",
    routed: "Sent to",
    brandOwner: "the brand owner",
    platform: "the platform",
    next: "What now",
    doNotFit: "Do not fit this part.",
    keep: "Keep the part, its box and label: the brand owner may need them.",
    followUp: "If you left a contact, the brand owner or the platform may get in touch.",
    back: "Back to the scan result",
    invalidTitle: "The report was not sent",
    invalid: "Go back to the previous page, check this field and send it again:",
    fields: { contact: "Contact", note: "Note", loc: "Location" } as Record<string, string>,
  },
} as const;

const scanHref = (r: Pick<FiledReport, "gtin" | "serial" | "lot" | "signature">, lang: Lang) => {
  const path = linkPath({ gtin: r.gtin, serial: r.serial, lot: r.lot ?? undefined });
  return `${path}${path.includes("?") ? "&" : "?"}${r.signature ? `s=${r.signature}&` : ""}lang=${lang}`;
};

/** The page a plain form post (no script) lands on: the report's number, who received it, and what to do next. */
export function renderReportReceived(r: FiledReport, lang: Lang): string {
  const t = T[lang];
  return shell(
    lang,
    t.title,
    `<div class="verdict" id="verdict" data-report-id="${esc(r.id)}" data-duplicate="${r.duplicate}" style="background:#0550ae">
  <h1>${esc(t.received)}</h1>
  ${r.duplicate ? `<p class="reason" id="duplicate">${esc(t.again)}</p>` : ""}</div>
<section><dl>
  <dt>${esc(t.number)}</dt><dd id="report-id">${esc(r.id)}</dd>
  <dt>${esc(t.routed)}</dt><dd id="routed">${r.routedTo.map((w) => esc(w === "brand_owner" ? t.brandOwner : t.platform)).join(lang === "zh" ? "、" : ", ")}</dd>
</dl></section>
<section aria-labelledby="next-title"><h2 id="next-title">${esc(t.next)}</h2>
<ol style="padding-left:22px"><li><strong>${esc(t.doNotFit)}</strong></li><li>${esc(t.keep)}</li><li>${esc(t.followUp)}</li></ol>
<p><a href="${esc(scanHref(r, lang))}">${esc(t.back)}</a></p></section>`,
  );
}

/** A form post the server refused (400): which field, in words, without leaving the browser on a JSON answer. */
export function renderReportInvalid(field: string, message: string, lang: Lang): string {
  const t = T[lang];
  return shell(
    lang,
    t.invalidTitle,
    `<div class="verdict" id="verdict" data-field="${esc(field)}" style="background:#c4121f"><h1>${esc(t.invalidTitle)}</h1></div>
<section><p>${esc(t.invalid)} <strong id="field">${esc(t.fields[field] ?? field)}</strong></p>
<p class="hint">${esc(message)}</p></section>`,
  );
}
