import { vinCheckCharacter } from "../../../../ledger-service/src/gs1/vin.js";
import { normalise } from "./segment.js";

/**
 * What a support question is about. `unknown` is what the classifier says when nothing it knows was asked: the
 * conversation goes to a person.
 */
export const INTENTS = [
  "order_status",
  "delivery",
  "return",
  "verify_part",
  "installation",
  "policy",
  "greeting",
  "handover",
  "unknown",
] as const;
export type Intent = (typeof INTENTS)[number];

export interface Slots {
  orderId?: string;
  gtin?: string;
  serial?: string;
  vin?: string;
}

export interface Classified {
  intent: Intent;
  /** 0..1: how far the best intent stands above the runner-up (below LOW_CONFIDENCE: to a person). */
  confidence: number;
  slots: Slots;
}

/** Below this the assistant does not guess: the conversation goes to a person. */
export const LOW_CONFIDENCE = 0.34;

/**
 * Misspellings and spoken forms people type for the words below (homophones an input method offers first, pinyin,
 * net slang), rewritten before scoring. Keys are matched on the normalised (lower-case, half-width) text.
 */
const REWRITES: Array<[RegExp, string]> = [
  [/定单|订丹|钉单|丁单|dingdan/g, "订单"],
  [/物留|无流|勿流|wuliu/g, "物流"],
  [/快第|快地|块递|kuaidi/g, "快递"],
  [/退贷|退或|退活|推货|tuihuo/g, "退货"],
  [/退宽|退欵|tuikuan/g, "退款"],
  [/真尾|正伪|zhenwei/g, "真伪"],
  [/正品吗|正品么|正品嘛|zhengpin/g, "正品"],
  [/假贷|假活/g, "假货"],
  [/发活|发或|法货|fahuo/g, "发货"],
  [/车价号|车驾号|车甲号|车架好/g, "车架号"],
  [/人公|仁工|rengong|ren gong|\brg\b/g, "人工"],
  [/客fu|kefu|可服/g, "客服"],
  [/fapiao|发漂|发飘/g, "发票"],
  [/啥时候|什么时间|几时/g, "什么时候"],
  [/咋|肿么|怎麼/g, "怎么"],
  [/木有|没得|冇/g, "没有"],
  [/神马|啥/g, "什么"],
  [/到哪一步|哪一步了|哪个环节/g, "进度"],
  [/到哪儿|到哪里|在哪儿|在哪里|到那了|到哪啦/g, "到哪"],
  [/货到了没|到了没|到了吗|到没到/g, "到了没"],
  [/\bkf\b/g, "客服"],
];

/** Keywords per intent with their weights (after REWRITES). Longer, more specific phrases weigh more. */
const LEXICON: Record<Exclude<Intent, "unknown">, Array<[string, number]>> = {
  handover: [
    ["机器", 2.5],
    ["真人来", 4],
    ["跟人", 3],
    ["转人工", 6],
    ["人工客服", 6],
    ["人工服务", 6],
    ["接人工", 6],
    ["找人工", 6],
    ["要人工", 6],
    ["人工", 4],
    ["真人", 4],
    ["活人", 4],
    ["找客服", 5],
    ["联系客服", 5],
    ["客服", 3],
    ["接线员", 4],
    ["投诉", 4],
    ["找个人", 4],
    ["跟人说", 4],
    ["和人说", 4],
    ["机器人", 2.5],
    ["领导", 3],
    ["经理", 4],
    ["human", 5],
    ["agent", 4],
    ["real person", 5],
    ["operator", 3],
    ["staff", 3],
  ],
  order_status: [
    ["订单状态", 4],
    ["订单", 2.5],
    ["单子", 2],
    ["下的单", 2.5],
    ["下单", 1.5],
    ["进度", 1.5],
    ["状态", 1.5],
    ["处理", 0.8],
    ["确认了", 1],
    ["取消", 1.5],
    ["备货", 2],
    ["拣货", 2],
    ["分配", 1],
    ["审核", 1],
    ["采购单", 2.5],
    ["最近的单", 2.5],
    ["order", 2.5],
    ["status", 1.5],
    ["买的", 0.8],
  ],
  delivery: [
    ["寄出", 3],
    ["寄了", 3],
    ["发出来", 3],
    ["动静", 2.5],
    ["能到", 3],
    ["到不", 3],
    ["到了吗", 3.5],
    ["where is", 3],
    ["arrive", 3],
    ["还没来", 3],
    ["物流", 4],
    ["快递", 4],
    ["运单", 4],
    ["发货", 3],
    ["发了吗", 3],
    ["发出", 2.5],
    ["到货", 3],
    ["到哪", 3.5],
    ["到了没", 3.5],
    ["送到", 3],
    ["送达", 3],
    ["配送", 3],
    ["几天到", 3.5],
    ["多久到", 3.5],
    ["什么时候到", 3.5],
    ["还没到", 3.5],
    ["没收到", 3],
    ["收不到", 3],
    ["收货", 2],
    ["签收", 3],
    ["运输", 2],
    ["在路上", 3],
    ["单号", 1.5],
    ["顺丰", 3],
    ["中通", 3],
    ["圆通", 3],
    ["韵达", 3],
    ["申通", 3],
    ["德邦", 3],
    ["tracking", 4],
    ["shipping", 3],
    ["shipped", 3],
    ["deliver", 3],
    ["logistics", 4],
    ["express", 2],
  ],
  return: [
    ["不要了", 3.5],
    ["退给我", 4],
    ["型号不对", 3.5],
    ["不对", 1.5],
    ["漏油", 3],
    ["漏水", 3],
    ["裂了", 3],
    ["碎了", 3],
    ["用不了", 3],
    ["不能用", 3],
    ["有毛病", 3],
    ["能不能赔", 3.5],
    ["赔", 2],
    ["退货", 4.5],
    ["退款", 4.5],
    ["换货", 4.5],
    ["退换", 4.5],
    ["退钱", 4.5],
    ["退回", 3],
    ["退了", 3],
    ["能退", 4],
    ["可以退", 4],
    ["想退", 4],
    ["要退", 4],
    ["售后", 3],
    ["返修", 3],
    ["不想要", 3],
    ["买错", 3.5],
    ["发错", 3.5],
    ["装不上", 3],
    ["不匹配", 2.5],
    ["质量问题", 3],
    ["坏了", 2.5],
    ["损坏", 2.5],
    ["破损", 2.5],
    ["赔偿", 3],
    ["补偿", 3],
    ["七天无理由", 4],
    ["无理由", 3],
    ["return", 4],
    ["refund", 4.5],
    ["exchange", 3],
    ["rma", 4],
  ],
  verify_part: [
    ["真假", 4],
    ["正品", 4],
    ["假货", 4],
    ["假的", 3.5],
    ["真伪", 4],
    ["防伪", 4],
    ["验证", 2.5],
    ["验真", 4],
    ["扫码", 2.5],
    ["扫一扫", 2.5],
    ["原厂", 3],
    ["原装", 3],
    ["真的吗", 3],
    ["是真的", 3],
    ["真的假的", 4],
    ["山寨", 4],
    ["仿冒", 4],
    ["仿品", 4],
    ["副厂", 3],
    ["溯源", 3.5],
    ["追溯", 3],
    ["序列号", 2],
    ["二维码", 2],
    ["来路", 2.5],
    ["靠谱吗", 1.5],
    ["genuine", 4],
    ["fake", 4],
    ["counterfeit", 4],
    ["authentic", 4],
    ["verify", 3],
    ["real or", 3],
  ],
  installation: [
    ["车架号", 4],
    ["vin", 4],
    ["装车", 3],
    ["安装记录", 4],
    ["装车记录", 4],
    ["装过", 3.5],
    ["装了什么", 4],
    ["装了哪些", 4],
    ["装的", 2],
    ["这辆车", 2.5],
    ["这台车", 2.5],
    ["车上", 2],
    ["维修记录", 3],
    ["换过", 3],
    ["换了什么", 3.5],
    ["装在", 2.5],
    ["installed", 4],
    ["installation", 4],
  ],
  policy: [
    ["几点", 3],
    ["有人上班", 3.5],
    ["政策", 2.5],
    ["规定", 2],
    ["规则", 2],
    ["发票", 4],
    ["开票", 4],
    ["专票", 4],
    ["普票", 4],
    ["保修", 3.5],
    ["质保", 3.5],
    ["保修期", 4],
    ["运费", 3.5],
    ["包邮", 3.5],
    ["邮费", 3.5],
    ["付款方式", 4],
    ["怎么付款", 4],
    ["支付", 2.5],
    ["账期", 4],
    ["对公", 3],
    ["月结", 3.5],
    ["营业时间", 4],
    ["上班时间", 4],
    ["工作时间", 4],
    ["几点下班", 4],
    ["注册", 2.5],
    ["入驻", 4],
    ["资质", 3],
    ["手续费", 3.5],
    ["优惠", 2],
    ["积分", 3],
    ["会员", 2.5],
    ["密码", 3],
    ["登录", 3],
    ["登陆", 3],
    ["账号", 2.5],
    ["子账号", 3.5],
    ["权限", 2.5],
    ["结算", 3],
    ["押金", 3],
    ["合同", 2.5],
    ["invoice", 4],
    ["warranty", 4],
    ["policy", 3],
    ["payment", 3],
    ["password", 3],
    ["login", 3],
  ],
  greeting: [
    ["早上好", 3],
    ["晚上好", 3],
    ["下午好", 3],
    ["早安", 3],
    ["你好", 2.5],
    ["您好", 2.5],
    ["在吗", 3],
    ["在不在", 3],
    ["哈喽", 3],
    ["谢谢", 3],
    ["多谢", 3],
    ["感谢", 3],
    ["再见", 3],
    ["拜拜", 3],
    ["hello", 3],
    ["hi", 2.5],
    ["thanks", 3],
    ["thank you", 3],
    ["bye", 3],
  ],
};

/** Every keyword, for the segmenter's dictionary. */
export const KEYWORDS: string[] = Object.values(LEXICON).flatMap((l) => l.map(([w]) => w));

const ORDER_ID = /\bord_[0-9a-f]{16}\b/i;
const LINK = /\/01\/(\d{14})\/21\/([^/?#\s]{1,60})/;
const GTIN = /(?<!\d)(\d{14})(?!\d)/;
const SERIAL_AFTER = /(?:序列号|序号|编号|serial|sn|s\/n|码)\s*(?:是|为|:|：|#)?\s*([0-9A-Za-z]{6,20})/i;
const BASE32_16 = /(?<![0-9A-Za-z])([0-9A-HJKMNP-TV-Z]{16})(?![0-9A-Za-z])/;
const VIN_LIKE = /(?<![0-9A-Za-z])([A-HJ-NPR-Za-hj-npr-z0-9]{17})(?![0-9A-Za-z])/g;

/** A 17-character VIN whose check character (position 9) is right; the text may have it in lower case. */
export function findVins(text: string): string[] {
  return [...text.matchAll(VIN_LIKE)]
    .map((m) => m[1]!.toUpperCase())
    .filter((v) => /[A-Z]/.test(v) && /\d/.test(v) && vinCheckCharacter(v) === v[8]);
}

/** Order number, GS1 Digital Link / GTIN + serial, VIN: what the question names. */
export function extractSlots(text: string): Slots {
  const slots: Slots = {};
  const order = ORDER_ID.exec(text);
  if (order) slots.orderId = order[0].toLowerCase();
  const link = LINK.exec(text);
  if (link) {
    slots.gtin = link[1]!;
    try {
      slots.serial = decodeURIComponent(link[2]!);
    } catch {
      slots.serial = link[2]!;
    }
  }
  const vins = findVins(text);
  if (vins.length) slots.vin = vins[0]!;
  const rest = text.replace(ORDER_ID, " ").replace(VIN_LIKE, (v) => (vins.includes(v.toUpperCase()) ? " " : v));
  if (!slots.gtin) {
    const g = GTIN.exec(rest);
    if (g) slots.gtin = g[1]!;
  }
  if (!slots.serial) {
    const after = SERIAL_AFTER.exec(rest.replace(GTIN, " "));
    const bare = BASE32_16.exec(rest.toUpperCase());
    if (after && !/^\d{14}$/.test(after[1]!)) slots.serial = after[1]!.toUpperCase();
    else if (bare && /\d/.test(bare[1]!) && /[A-Z]/.test(bare[1]!)) slots.serial = bare[1]!;
  }
  return slots;
}

/** The text as the lexicon reads it: normalised, spelling fixed, identifiers removed (they are slots). */
export function rewrite(text: string): string {
  let t = normalise(text)
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\bord_[0-9a-f]{16}\b/g, " ");
  for (const [re, to] of REWRITES) t = t.replace(re, to);
  return t;
}

/** Scores every intent by its keywords (each counted once; a word inside a longer matched word is not counted again). */
export function scores(text: string): Record<Exclude<Intent, "unknown">, number> {
  const t = rewrite(text);
  const out = {} as Record<Exclude<Intent, "unknown">, number>;
  for (const [intent, words] of Object.entries(LEXICON) as Array<
    [Exclude<Intent, "unknown">, Array<[string, number]>]
  >) {
    let score = 0;
    const matched: string[] = [];
    for (const [w, weight] of [...words].sort((a, b) => b[0].length - a[0].length)) {
      const ascii = /^[a-z ]+$/.test(w);
      const hit = ascii ? new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(t) : t.includes(w);
      if (!hit || matched.some((m) => m.includes(w))) continue;
      matched.push(w);
      score += weight;
    }
    out[intent] = score;
  }
  return out;
}

/**
 * The intent of one message, with slots. Slots tip the balance when words do not: an order number alone asks about
 * the order, a part's code about the part, a VIN about the car. Asking for a person wins over everything.
 */
export function classify(text: string): Classified {
  const slots = extractSlots(text);
  const s = scores(text);
  if (s.handover >= 4) return { intent: "handover", confidence: 1, slots };
  if (slots.orderId) {
    // The number names the order; what is asked about it (where, refund) is in the other words.
    const t = rewrite(text);
    const naming = ["订单", "单子", "order"].some((w) => t.includes(w));
    s.order_status += naming ? 0.5 : 3;
    s.delivery += 1;
    s.return += 1;
  }
  if (slots.serial || slots.gtin) s.verify_part += 2;
  if (slots.vin) s.installation += 2.5;
  // A question that names an order and asks where it is, is about delivery; about a refund, about the return.
  const ranked = (Object.entries(s) as Array<[Exclude<Intent, "unknown">, number]>)
    .filter(([i]) => i !== "handover")
    .sort((a, b) => b[1] - a[1]);
  const [best, second] = [ranked[0]!, ranked[1]!];
  if (best[1] < 1.5) return { intent: "unknown", confidence: 0, slots };
  // Greetings mixed with a question are about the question; a greeting before something nobody here knows is not one.
  if (best[0] === "greeting" && second[1] >= 1.5) return finish(second[0], second[1], ranked[2]![1], slots);
  if (best[0] === "greeting" && leftover(text) > 3) return { intent: "unknown", confidence: 0, slots };
  return finish(best[0], best[1], second[0] === "greeting" ? ranked[2]![1] : second[1], slots);
}

/** Characters of a message left after its greeting words and punctuation. */
function leftover(text: string): number {
  let t = rewrite(text);
  for (const [w] of LEXICON.greeting) t = t.replaceAll(w, "");
  t = t.replace(/请问|问一下|问下|[啊呀哎吗呢吧哦嗯哈啦]/g, "");
  return [...t.replace(/[\s\p{P}\p{S}]/gu, "")].length;
}

function finish(intent: Exclude<Intent, "unknown">, top: number, next: number, slots: Slots): Classified {
  const margin = (top - next) / top;
  const strength = Math.min(1, top / 3);
  return { intent, confidence: Math.round(Math.min(1, 0.25 + 0.75 * margin) * strength * 100) / 100, slots };
}
