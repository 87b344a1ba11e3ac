import { readFileSync } from "node:fs";
import { expect } from "chai";
import { problemKey, problemText } from "../../api/web/src/app/problem-text.js";
import { zhCN } from "../../api/web/src/i18n/zh-CN.js";

/** The console's one API-error-to-sentence function, with the real message tables. */
const lookup =
  (table: Record<string, string>) =>
  (key: string, vars?: Record<string, string | number>): string =>
    (table[key] ?? key).replace(/\{(\w+)\}/g, (m, n: string) => String(vars?.[n] ?? m));
const keys = Object.keys(zhCN);
/** en.ts, read as text (it is compiled with the console's settings, not the server's). */
const en: Record<string, string> = Object.fromEntries(
  [...readFileSync("api/web/src/i18n/en.ts", "utf8").matchAll(/^\s*"([^"]+)":\s*"((?:[^"\\]|\\.)*)",?$/gm)].map((m) => [
    m[1],
    m[2],
  ]),
);
const zh = (code: string, params: Record<string, unknown> = {}, detail = "an English sentence") =>
  problemText(lookup(zhCN), keys, { code, detail, params });

describe("console: API problem → user message", () => {
  it("a wrong VIN check character says which character, in Chinese, without the server's English", () => {
    const s = zh("VIN.INVALID", { field: "vin", received: "1", expected: "X" });
    expect(s).to.equal("车架号（VIN）第 9 位校验位是 1，应为 X，请核对是否输错");
    expect(zh("VIN.INVALID", { field: "vin" })).to.match(/^车架号（VIN）应为 17 位/);
  });

  it("stage and order-status parameters are shown in words", () => {
    expect(zh("LEDGER.STAGE_OUT_OF_ORDER", { part: "x", from: "Installed", to: "Installed" })).to.equal(
      "该配件当前是“已安装”，不能再变为“已安装”",
    );
    expect(zh("ORDER.INVALID_TRANSITION", { field: "to", from: "delivered", to: "shipped" })).to.equal(
      "订单当前是“已收货”，不能变为“已发货”",
    );
  });

  it("translates the examples the newcomer met", () => {
    for (const [code, params] of [
      ["ORDER.SHIPMENT_REQUIRED", { field: "carrier" }],
      ["WEBHOOK.INVALID_URL", { field: "url" }],
      ["ORG.INVALID_USCC", { field: "uscc", received: "X", expected: "E" }],
      ["REQUEST.INVALID", { field: "vin" }],
    ] as const) {
      const s = zh(code, params);
      expect(s, code).to.match(/[\u4e00-\u9fff]/);
      expect(s, code).not.to.contain("an English sentence");
      expect(s, code).not.to.match(/\{\w+\}/);
    }
    expect(zh("ORG.INVALID_USCC", { received: "X", expected: "E" })).to.contain("应为 E");
  });

  it("a code without a translation becomes a generic Chinese sentence with the code, not the English detail", () => {
    const s = zh("SOMETHING.NEW", { field: "x" });
    expect(s).to.equal("操作没有成功（错误代码 SOMETHING.NEW），请检查输入后重试，或联系管理员");
  });

  it("prefers the variant whose parameters the problem carries", () => {
    expect(problemKey("VIN.INVALID", { received: "1", expected: "X" }, keys)).to.equal(
      "error.VIN.INVALID+expected+received",
    );
    expect(problemKey("VIN.INVALID", { received: "1" }, keys)).to.equal("error.VIN.INVALID");
    expect(problemKey("NOPE.NOPE", {}, keys)).to.equal(undefined);
  });

  it("every error message has an English twin and both name the same variables", () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of keys.filter((k) => k.startsWith("error.") && k !== "error.unknownCode" && !k.includes("REQUEST")))
      expect(vars(en[k] ?? "missing"), k).to.deep.equal(vars((zhCN as Record<string, string>)[k]!));
  });
});
