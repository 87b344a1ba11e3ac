import type { Verdict } from "./verify.service.js";

export type Lang = "zh" | "en";

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
    verified: "已链上验证",
    pending: "等待上链",
    batch: "批次",
    tx: "交易",
    confirmations: "确认数",
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
    verified: "verified on chain",
    pending: "anchoring pending",
    batch: "batch",
    tx: "tx",
    confirmations: "confirmations",
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

const COLOR = {
  GENUINE: "#1a7f37",
  GENUINE_PENDING_ANCHOR: "#1a7f37",
  ALREADY_INSTALLED: "#b58100",
  SUSPECT_CLONE: "#cf222e",
  UNKNOWN: "#cf222e",
} as const;

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const shanghai = (iso: string) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

/** The verification page a phone shows after scanning a label: server-rendered, no script needed. */
export function renderVerifyPage(v: Verdict, lang: Lang, switchHref: string): string {
  const t = T[lang];
  const reason = REASONS[v.reason]?.[lang] ?? v.reason;
  const steps = v.timeline
    .map(
      (s) => `<li class="step">
  <div class="what">${esc(t[s.step])} · ${esc(s.by.name)}</div>
  <div class="meta">${esc(shanghai(s.at))} · ${esc(t.place)} ${esc(s.place)}${s.vin ? ` · ${esc(t.vin)} <span class="vin">${esc(s.vin)}</span>` : ""}</div>
  <div class="chain ${s.anchor.status}">${s.anchor.status === "final" ? `✔ ${esc(t.verified)} · ${esc(t.batch)} ${s.anchor.batchId} · ${esc(t.tx)} ${esc(s.anchor.txHash?.slice(0, 10))}… · ${esc(t.confirmations)} ${s.anchor.confirmations ?? "?"}` : `… ${esc(t.pending)}`}</div>
</li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="${lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · PartLedger</title>
<style>
  body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; background: #f6f8fa; color: #1f2328; }
  main { max-width: 560px; margin: 0 auto; padding: 16px; }
  .verdict { color: #fff; border-radius: 12px; padding: 18px 16px; font-size: 22px; font-weight: 600; }
  .reason { font-size: 14px; font-weight: 400; margin-top: 6px; opacity: .95; }
  section { background: #fff; border-radius: 12px; padding: 12px 16px; margin-top: 12px; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0; font-size: 15px; } dt { color: #656d76; } dd { margin: 0; overflow-wrap: anywhere; }
  ol { list-style: none; padding: 0; margin: 0; } .step { border-left: 3px solid #d0d7de; padding: 4px 0 10px 12px; }
  .what { font-weight: 600; } .meta, .chain { font-size: 13px; color: #656d76; overflow-wrap: anywhere; } .chain.final { color: #1a7f37; }
  nav { text-align: right; font-size: 14px; margin-bottom: 8px; } a { color: #0969da; }
</style>
</head>
<body><main>
<nav><a href="${esc(switchHref)}">${esc(t.switch)}</a></nav>
<div class="verdict" id="verdict" data-verdict="${v.verdict}" style="background:${COLOR[v.verdict]}">${esc(t[v.verdict])}
  <div class="reason" id="reason" data-reason="${esc(v.reason)}">${esc(t.reason)}${esc(reason)}</div></div>
<section><dl>
  ${v.part.name ? `<dt>${esc(t.product)}</dt><dd id="product">${esc(v.part.name)}</dd>` : ""}
  ${v.part.brand ? `<dt>${esc(t.brand)}</dt><dd>${esc(v.part.brand)}</dd>` : ""}
  <dt>${esc(t.maker)}</dt><dd>${esc(v.part.manufacturer ?? "—")}</dd>
  ${v.part.brandOwner ? `<dt>${esc(t.owner)}</dt><dd id="brand-owner">${esc(v.part.brandOwner)}</dd>` : v.timeline.length ? `<dt>${esc(t.owner)}</dt><dd id="brand-owner">${esc(t.notOwner)}</dd>` : ""}
  <dt>${esc(t.gtin)}</dt><dd>${esc(v.part.gtin)}</dd>
  <dt>${esc(t.serial)}</dt><dd>${esc(v.part.serial)}</dd>
  <dt>${esc(t.lot)}</dt><dd>${esc(v.part.lot ?? "—")}</dd>
</dl></section>
${v.timeline.length ? `<section><h2 style="font-size:16px;margin:4px 0 10px">${esc(t.history)}</h2><ol>${steps}</ol></section>` : ""}
${
  v.trust
    ? `<section id="trust" class="meta" data-anchor-registry="${esc(v.trust.anchorRegistry)}"
  data-chain-id="${v.trust.chainId}"><dl>
  <dt>${esc(t.trust)}</dt><dd>${esc(t.chain)} ${v.trust.chainId}</dd>
  <dt>${esc(t.anchorRegistry)}</dt><dd>${esc(v.trust.anchorRegistry)}</dd>
  ${v.trust.partRegistry ? `<dt>${esc(t.partRegistry)}</dt><dd>${esc(v.trust.partRegistry)}</dd>` : ""}
  <dt></dt><dd><a href="${esc(v.trust.document)}">${esc(t.trustDoc)}</a></dd>
</dl></section>`
    : ""
}
</main></body></html>`;
}
