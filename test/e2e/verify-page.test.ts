import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { LabelsService } from "../../api/src/modules/labels/labels.service.js";
import { PUBLIC_BASE, startApi } from "../helpers/app.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUT = new URL("../../test-output/", import.meta.url).pathname;

describe("the verification page in a real browser (Chromium) @e2e", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let browser: Browser;
  const uris: Record<string, string> = {};

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      // .ci/run installs Debian's chromium and sets REQUIRE_BROWSER, so there this is a failure, never a skip.
      if (process.env.REQUIRE_BROWSER) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium`);
      console.log(`      (no Chromium at ${CHROMIUM}: skipped; apt-get install chromium to run it)`);
      this.skip();
    }
    stack = await openStack();
    api = await startApi(stack);
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-E2E",
      productionDate: "2026-11-20",
      count: 2,
      product: { brand: "BOSCH 博世", name: "前刹车片" },
    });
    const [genuine, copied] = mint.json.serials as [string, string];
    const parts = [genuine, copied].map((serial) => ({ gtin: GTIN, serial }));
    await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.shop, parts });
    await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts });
    await api.call("POST", "/api/v1/installations", api.keys.shop!, { gtin: GTIN, serial: copied, vin: VIN });
    await stack.svc.worker.runUntilFinal();
    await stack.svc.worker.tick();
    const me = (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json;
    const labels = new LabelsService(stack.svc, PUBLIC_BASE);
    const local = (u: string) => u.replace(PUBLIC_BASE, api.origin);
    uris.genuine = local(await labels.uriFor(me as never, GTIN, genuine));
    uris.copied = local(await labels.uriFor(me as never, GTIN, copied));
    const sig = new URL(uris.genuine).searchParams.get("s");
    uris.forged = `${api.origin}/01/${GTIN}/21/FORGED0000000001?10=L-E2E&s=${sig}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
      ],
    });
    mkdirSync(OUT, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await api?.stop();
    await stack?.close();
  });

  const PHONE = { width: 390, height: 844 };
  async function open(
    uri: string,
    name: string,
    locale = "zh-CN",
    opts: { javaScript?: boolean; viewport?: typeof PHONE } = {},
  ) {
    const context = await browser.newContext({
      locale,
      viewport: opts.viewport ?? PHONE,
      deviceScaleFactor: 2,
      javaScriptEnabled: opts.javaScript ?? true,
    });
    const page = await context.newPage();
    const res = await page.goto(uri);
    expect(res?.status()).to.equal(200);
    const verdict = await page.getAttribute("#verdict", "data-verdict");
    const text = (await page.textContent("#verdict"))?.trim() ?? "";
    await page.screenshot({ path: join(OUT, `verify-${name}.png`), fullPage: true });
    return { page, context, verdict, text };
  }

  /** axe-core in this browser: the serious and critical violations (WCAG 2.x A/AA and best practices). */
  async function violations(page: Page): Promise<string[]> {
    const result = await new AxeBuilder({ page }).analyze();
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }

  it("a genuine code: green GENUINE, its custody timeline marked verified on chain, in Chinese", async () => {
    const { page, context, verdict, text } = await open(uris.genuine!, "genuine");
    expect(verdict).to.equal("GENUINE");
    expect(text).to.contain("正品");
    expect(await page.textContent("#product")).to.equal("前刹车片");
    const steps = await page.locator(".step").allTextContents();
    expect(steps).to.have.length(3); // commissioned, shipped to the shop, received by it
    expect(steps[0]).to.contain("出厂赋码");
    expect(steps[2]).to.contain("杭州西湖汽车修理厂");
    expect(await page.locator(".chain.final").count()).to.equal(3);
    // Places in words, the site kind translated: the manufacturer is registered in 320505 (苏州市虎丘区).
    expect(await page.locator(".step .place").first().textContent()).to.equal("江苏省 苏州市 虎丘区 · 工厂");
    expect(steps.join("\n")).not.to.contain("320505:");
    // Chain details are collapsed: there, but not shown until the summary is opened (no script needed).
    const tx = page.locator("#tech code.tx").first();
    expect(await tx.textContent()).to.match(/^0x[0-9a-f]{64}$/);
    expect(await tx.isVisible()).to.equal(false);
    expect(await page.locator("#tech").getAttribute("open")).to.equal(null);
    expect(await page.innerText("main")).not.to.match(/0x[0-9a-f]{6}/); // what is shown: no hash anywhere
    await page.click("#tech summary");
    expect(await tx.isVisible()).to.equal(true);
    expect(await page.textContent("#tech")).to.contain("确认数");
    expect(await page.locator("#report").count()).to.equal(0); // nothing to report on a genuine part
    await page.click("nav a"); // switch to English
    expect(await page.textContent("#verdict")).to.contain("Genuine");
    await context.close();
  });

  it("a forged code: red UNKNOWN, what to do in plain words, and a report button", async () => {
    const { page, context, verdict, text } = await open(uris.forged!, "forged");
    expect(verdict).to.equal("UNKNOWN");
    expect(text).to.contain("无法识别");
    const advice = (await page.textContent("#advice")) ?? "";
    expect(advice).to.contain("不要安装这个配件");
    expect(advice).to.contain("举报");
    expect(await page.isVisible("#report-button")).to.equal(true);
    await context.close();
  });

  it("reports a forged code without JavaScript: one report however often the page is sent, with JavaScript too", async () => {
    const count = async () =>
      (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM counterfeit_reports")).rows[0]!.n;
    const before = await count();
    const { page, context } = await open(uris.forged!, "forged-nojs", "zh-CN", { javaScript: false });
    await page.fill("#note", "汽配城摊位买的，盒子印刷模糊");
    await page.fill("#contact", "13800131234");
    await Promise.all([page.waitForURL(/counterfeit-reports/), page.click("#report-button")]);
    const id = await page.textContent("#report-id");
    expect(id).to.match(/^cr_[0-9a-f]{16}$/);
    expect(await page.getAttribute("#verdict", "data-duplicate")).to.equal("false");
    expect(await page.textContent("#routed")).to.equal("品牌方、平台");
    await page.screenshot({ path: join(OUT, "verify-report-received.png"), fullPage: true });
    // Back to the form (the page is rendered again: it is never cached) and send it again — a double tap, a retry on
    // a bad network: still one report.
    await page.goBack();
    await Promise.all([page.waitForURL(/counterfeit-reports/), page.click("#report-button")]);
    expect(await page.textContent("#report-id")).to.equal(id);
    expect(await page.getAttribute("#verdict", "data-duplicate")).to.equal("true");
    expect(await count()).to.equal(before + 1);
    await context.close();
    // With JavaScript on: the same form works, and another forged label is another report.
    const js = await open(uris.forged!.replace("FORGED0000000001", "FORGED0000000002"), "forged-js");
    await Promise.all([js.page.waitForURL(/counterfeit-reports/), js.page.click("#report-button")]);
    const second = await js.page.textContent("#report-id");
    expect(second).to.match(/^cr_[0-9a-f]{16}$/);
    expect(second).not.to.equal(id);
    expect(await count()).to.equal(before + 2);
    const listed = await api.call("GET", "/api/v1/counterfeit-reports", api.keys.maker!);
    expect(listed.json.reports.map((r: { id: string }) => r.id)).to.include.members([id, second]);
    await js.context.close();
  });

  for (const [name, viewport] of [
    ["a phone (390×844)", PHONE],
    ["a desktop (1280×800)", { width: 1280, height: 800 }],
  ] as const) {
    it(`has no serious or critical accessibility violations (axe-core) on ${name}: genuine, installed, forged, report received, the assistant's answer`, async () => {
      const found: string[] = [];
      for (const which of ["genuine", "copied", "forged"] as const) {
        const { page, context } = await open(uris[which]!, `${which}-axe`, "zh-CN", { viewport });
        found.push(...(await violations(page)).map((v) => `${which}: ${v}`));
        await page.click("#tech summary"); // and with the technical details open
        found.push(...(await violations(page)).map((v) => `${which} (details open): ${v}`));
        if (which === "forged") {
          await Promise.all([page.waitForURL(/counterfeit-reports/), page.click("#report-button")]);
          found.push(...(await violations(page)).map((v) => `report received: ${v}`));
        }
        if (which === "genuine") {
          await page.fill("#chat-text", "质保多久");
          await Promise.all([page.waitForURL(/scan-support/), page.click("#chat-send")]);
          found.push(...(await violations(page)).map((v) => `assistant's answer: ${v}`));
        }
        await context.close();
      }
      expect(found, found.join("\n")).to.deep.equal([]);
    });
  }

  it("asks the support assistant without JavaScript: the answer names this part's verdict; 转人工 with a contact queues it", async () => {
    const { page, context } = await open(uris.genuine!, "assistant", "zh-CN", { javaScript: false });
    expect(await page.textContent("#assistant-title")).to.equal("问售后助手");
    await page.fill("#chat-text", "这个配件是正品吗");
    await Promise.all([page.waitForURL(/scan-support/), page.click("#chat-send")]);
    expect(await page.textContent("#messages"))
      .to.contain("扫码结果")
      .and.to.contain("正品");
    await page.screenshot({ path: join(OUT, "verify-assistant-answer.png"), fullPage: true });
    await page.fill("#chat-contact", "13912345678");
    await Promise.all([page.waitForURL(/scan-support/), page.click("#chat-handover")]);
    expect(await page.getAttribute("#verdict", "data-status")).to.equal("waiting");
    expect(await page.textContent("#waiting")).to.contain("139****5678");
    await page.screenshot({ path: join(OUT, "verify-assistant-handover.png"), fullPage: true });
    await context.close();
  });

  it("a copied label of an installed part: ALREADY_INSTALLED, the VIN masked", async () => {
    const { page, context, verdict } = await open(uris.copied!, "copied", "en-US");
    expect(verdict).to.equal("ALREADY_INSTALLED");
    expect(await page.textContent("#verdict")).to.contain("already installed");
    expect(await page.textContent(".vin")).to.equal(`${VIN.slice(0, 3)}**********${VIN.slice(-4)}`);
    // Installed before: what to do if the part in hand is new, and the report button.
    expect(await page.textContent("#advice")).to.contain("Do not fit this part");
    expect(await page.isVisible("#report-button")).to.equal(true);
    await context.close();
  });
});
