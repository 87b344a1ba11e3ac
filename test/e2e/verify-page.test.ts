import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { chromium, type Browser } from "playwright-core";
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

  async function open(uri: string, name: string, locale = "zh-CN") {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const res = await page.goto(uri);
    expect(res?.status()).to.equal(200);
    const verdict = await page.getAttribute("#verdict", "data-verdict");
    const text = (await page.textContent("#verdict"))?.trim() ?? "";
    await page.screenshot({ path: join(OUT, `verify-${name}.png`), fullPage: true });
    return { page, context, verdict, text };
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
    await page.click("nav a"); // switch to English
    expect(await page.textContent("#verdict")).to.contain("Genuine");
    await context.close();
  });

  it("a forged code: red UNKNOWN", async () => {
    const { context, verdict, text } = await open(uris.forged!, "forged");
    expect(verdict).to.equal("UNKNOWN");
    expect(text).to.contain("无法识别");
    await context.close();
  });

  it("a copied label of an installed part: ALREADY_INSTALLED, the VIN masked", async () => {
    const { page, context, verdict } = await open(uris.copied!, "copied", "en-US");
    expect(verdict).to.equal("ALREADY_INSTALLED");
    expect(await page.textContent("#verdict")).to.contain("already installed");
    expect(await page.textContent(".vin")).to.equal(`${VIN.slice(0, 3)}**********${VIN.slice(-4)}`);
    await context.close();
  });
});
