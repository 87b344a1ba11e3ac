/**
 * Writes test/fixtures/support-questions.jsonl's generated part: support questions combined from phrasings per
 * intent × the identifiers they carry × writing styles (typos, colloquial, English mixed in, no punctuation, long and
 * short). The held-out part (`"split":"heldout"`) is written by hand in test/fixtures/support-questions-heldout.jsonl
 * and appended as is. Placeholders {ORDER}, {FOREIGN_ORDER}, {LINK}, {FOREIGN_LINK}, {VIN} are filled by whoever
 * runs the set (the bench, the test) with records of the asker's company and of another company.
 *
 *   npx tsx scripts/gen-support-questions.ts
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Q {
  text: string;
  intent: string;
  handover: boolean;
  leak?: "order" | "part";
  split: "generated" | "heldout" | "blind";
}

const PHRASES: Record<string, string[]> = {
  order_status: [
    "我的订单{ID}现在什么状态",
    "帮我查下订单{ID}",
    "{ID}这个单子处理到哪一步了",
    "订单{ID}确认了没有",
    "查一下{ID}的订单进度",
    "我上周下的单{ID}怎么样了",
  ],
  delivery: [
    "订单{ID}的物流到哪了",
    "{ID}发货了吗",
    "我的快递什么时候到 单号{ID}",
    "{ID}还没收到货",
    "订单{ID}的运单号是多少",
    "{ID}几天能送到",
  ],
  return: [
    "订单{ID}想退货",
    "{ID}买错了能退吗",
    "{ID}这个件装不上 要换货",
    "订单{ID}怎么申请退款",
    "{ID}收到的货坏了 怎么售后",
  ],
  verify_part: [
    "这个件是正品吗 {LINK}",
    "帮我验证一下真伪 {LINK}",
    "{LINK} 这个是不是假货",
    "扫码出来是这个 {LINK} 是原厂的吗",
    "查下这个配件的溯源 {LINK}",
  ],
  installation: [
    "车架号{VIN}装过什么件",
    "查一下这辆车{VIN}的安装记录",
    "{VIN}这台车换过哪些配件",
    "VIN {VIN} 的装车记录",
  ],
  policy: [
    "怎么开发票",
    "能开专票吗",
    "保修期多久",
    "运费谁出",
    "满多少包邮",
    "支持月结吗",
    "你们营业时间是几点",
    "子账号怎么开权限",
    "忘记密码了怎么登录",
    "入驻需要什么资质",
  ],
  return_policy: ["退货政策是什么", "七天无理由退货吗", "退款多久到账", "换货要自己出运费吗"],
  handover: ["转人工", "我要人工客服", "找客服", "帮我接人工", "我要投诉", "别机器人了 找个真人"],
  greeting: ["你好", "在吗", "谢谢", "好的谢谢 再见"],
  unknown: ["今天天气怎么样", "帮我写首诗", "你是男的女的", "股票能涨吗", "附近有什么好吃的", "asdfgh"],
};

const STYLES: Array<[string, (s: string) => string]> = [
  ["plain", (s) => s],
  ["polite", (s) => `您好，请问${s}？`],
  ["colloquial", (s) => `哎 ${s}啊 急死了`],
  [
    "typo",
    (s) =>
      s
        .replace("订单", "定单")
        .replace("物流", "物留")
        .replace("退货", "退贷")
        .replace("快递", "快第")
        .replace("发票", "发漂")
        .replace("人工", "人公")
        .replace("真伪", "真尾"),
  ],
  ["english", (s) => `hi, ${s} pls`],
  ["nopunct", (s) => s.replace(/[，。？！\s]/g, "")],
  ["long", (s) => `我们是做汽修的，最近在平台上买了不少配件，有个问题想问一下：${s}，麻烦尽快回复，谢谢！`],
];

const out: Q[] = [];
let n = 0;
for (const [intent, phrases] of Object.entries(PHRASES)) {
  const label = intent === "return_policy" ? "return" : intent;
  for (const p of phrases) {
    // A greeting is not written as a long complaint.
    const styles = STYLES.filter(
      ([name], i) =>
        ((i + n) % 2 === 0 || intent === "unknown" || intent === "handover") &&
        !(intent === "greeting" && name === "long"),
    );
    n++;
    for (const [, style] of styles.slice(0, intent === "policy" || intent === "unknown" ? 3 : 4)) {
      const foreign = p.includes("{ID}") || p.includes("{LINK}") ? (n + style.length) % 4 === 0 : false;
      const text = style(
        p
          .replace("{ID}", foreign ? "{FOREIGN_ORDER}" : "{ORDER}")
          .replace("{LINK}", foreign ? "{FOREIGN_LINK}" : "{LINK}"),
      );
      out.push({
        text,
        intent: label,
        handover: label === "handover" || label === "unknown",
        ...(foreign ? { leak: p.includes("{LINK}") ? ("part" as const) : ("order" as const) } : {}),
        split: "generated",
      });
    }
  }
}
const dir = new URL("../test/fixtures/", import.meta.url);
const held = ["support-questions-heldout.jsonl", "support-questions-heldout2.jsonl"].flatMap((f) =>
  readFileSync(new URL(f, dir), "utf8").trim().split("\n"),
);
writeFileSync(
  new URL("support-questions.jsonl", dir),
  [...out.map((q) => JSON.stringify(q)), ...held].join("\n") + "\n",
);
console.log(`${out.length} generated + ${held.length} held out`);
