import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { pinTrust } from "../../ledger-service/src/verify-browser.js";
import { DIST } from "../../scripts/build-console.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness, type ViewportName } from "./harness.js";
import { PASSWORD, fourEventPart, openVerifyPage, verifyLink } from "./stories/auditor.js";

/** Every listed check's status, by check name (a check runs once per event, batch or part it is about). */
async function listed(page: Page) {
  return page
    .locator("[data-testid=steps] li[data-check]")
    .evaluateAll((els) => els.map((e) => ({ check: e.dataset.check!, status: e.dataset.status! })));
}

/**
 * The auditor's page in Chromium (issue 12, DECISIONS 62, 65): a part link pasted → verified in the browser against
 * the local chain's RPC with the platform's trust anchor, every check listed; a tampered bundle file dropped →
 * failed, naming the check; the auditor's own trust file; the public /console/verify; the verifier out of the
 * first screen's chunks. Desktop and phone, axe, screenshots in test-output/auditor-*.png.
 */
describe("the auditor verifies a part in the browser (console) @e2e", function () {
  this.timeout(300_000);
  let h: ConsoleHarness;
  let mobile: string;
  let link: string;
  let tmp: string;
  let bundle: Record<string, any>;
  let trustDoc: Record<string, unknown>;

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    ({ link } = await fourEventPart(h.stack));
    ({ mobile } = await h.api.userWithRoles("maker", ["auditor"]));
    const path = new URL(link).pathname.match(/\/01\/(\d{14})\/21\/([^/?]+)/)!;
    bundle = (await (await fetch(`${h.origin}/api/v1/parts/${path[1]}/${path[2]}/bundle`)).json()) as Record<
      string,
      any
    >;
    trustDoc = (await (await fetch(`${h.origin}/.well-known/partledger-trust.json`)).json()) as Record<string, unknown>;
    tmp = mkdtempSync(join(tmpdir(), "auditor-e2e-"));
  });
  after(async () => {
    await h?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const viewport of ["desktop", "phone"] as ViewportName[]) {
    it(`pastes a part link: every check listed, all pass, verified in the browser (${viewport})`, async () => {
      const page = await h.page(viewport);
      const rpcCalls: string[] = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && r.url().startsWith(h.stack.chainUrl)) rpcCalls.push(r.url());
      });
      await login(page, mobile, PASSWORD, h.origin);
      await openVerifyPage(h, page);
      // The platform's anchor, fingerprinted in the page exactly as the published verifier does in Node.
      expect(await page.getByTestId("trust-fingerprint").textContent()).to.equal(
        pinTrust(trustDoc, "test").fingerprint,
      );
      expect(await page.getByTestId("verify-rpc").inputValue()).to.equal(h.stack.chainUrl);
      await checkA11y(page, `auditor verify, empty (${viewport})`);

      const r = await verifyLink(page, link);
      expect(r.verdict).to.equal("verified");
      // Twice more, warm (the same page, the same link): the median is the figure; the first is the cold one.
      const runs = [r, await verifyLink(page, link), await verifyLink(page, link)];
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      const click = median(runs.map((x) => x.ms));
      const verifier = median(runs.map((x) => x.verifierMs));
      console.log(
        `      auditor (${viewport}): click → verdict ${click} ms median (cold ${r.ms}), verifyInBrowser ` +
          `${verifier} ms median (cold ${r.verifierMs}); target ≤ 2,000`,
      );
      expect(runs.map((x) => x.verdict)).to.deep.equal(["verified", "verified", "verified"]);
      // The target (issue 12) for the page's verification of a 4-event bundle against the local chain; the click →
      // verdict time adds the platform's bundle endpoint and rendering, logged above.
      expect(verifier).to.be.at.most(2000);
      // The browser asked the chain itself (our server proxies nothing).
      expect(rpcCalls.length).to.be.above(0);

      const steps = await listed(page);
      expect(steps.filter((s) => s.status === "failed" || s.status === "running")).to.deep.equal([]);
      // Skipped only where a part bundle has nothing to check (no whole batch; an anchored-only part); the label's
      // s= is the maker's (label.signature passed).
      expect(steps.filter((s) => s.check === "label.signature").map((s) => s.status)).to.deep.equal(["ok"]);
      expect([...new Set(steps.filter((s) => s.status === "skipped").map((s) => s.check))].sort()).to.deep.equal([
        "batch.completeness",
        "part.registry-stage",
      ]);
      // Per-event checks once per event of the 4.
      expect(steps.filter((s) => s.check === "event.rendering" && s.status === "ok")).to.have.length(4);
      for (const check of ["bundle.schema", "trust.anchor-registry", "chain.read", "trust.deployment-block"])
        expect(
          steps.some((s) => s.check === check && s.status === "ok"),
          check,
        ).to.equal(true);
      // Translated by check name (zh-CN), grouped by what each check is about.
      const text = (await page.getByTestId("steps").textContent()) ?? "";
      expect(text).to.include("事件内容与其签名字段的生成结果完全一致").and.include("通过");
      expect(await page.locator("[data-testid=steps] section").count()).to.be.at.least(6);
      expect(await page.getByTestId("verdict").textContent()).to.match(/验证通过/);
      // What is proven, and what is not.
      expect(await page.getByText("上链记录").count()).to.equal(1);
      expect(await page.getByTestId("unproven").textContent()).to.include("由平台登记证明");
      await checkA11y(page, `auditor verified (${viewport})`);
      await shot(page, `auditor-verified-${viewport}`);
      await page.context().close();
    });

    it(`drops a tampered bundle file: failed, naming the check (${viewport})`, async () => {
      const tampered = structuredClone(bundle);
      tampered.events[2].event.eventTime = "2020-01-01T00:00:00.000Z";
      const file = join(tmp, `tampered-${viewport}.json`);
      writeFileSync(file, JSON.stringify(tampered));
      const page = await h.page(viewport);
      await login(page, mobile, PASSWORD, h.origin);
      await openVerifyPage(h, page);
      await page.locator(".ant-segmented-item", { hasText: "证据包文件" }).click();
      await page.locator("[data-testid=verify-bundle-drop] input[type=file]").setInputFiles(file);
      await page.getByTestId("verify-file-name").waitFor();
      await page.getByTestId("verify-run").click();
      const verdict = page.getByTestId("verdict");
      await verdict.waitFor({ timeout: 20_000 });
      await page.mouse.move(0, 0);
      expect(await verdict.getAttribute("data-verdict")).to.equal("failed");
      expect(await verdict.getAttribute("data-failed-check")).to.equal("event.rendering");
      const says = (await verdict.textContent()) ?? "";
      expect(says).to.include("验证失败：事件内容与其签名字段的生成结果完全一致").and.include("event.rendering");
      const failed = (await listed(page)).filter((s) => s.status === "failed");
      expect(failed.map((s) => s.check)).to.deep.equal(["event.rendering"]);
      await checkA11y(page, `auditor failed (${viewport})`);
      await shot(page, `auditor-tampered-${viewport}`);
      await page.context().close();
    });
  }

  it("pastes the link with its label signature s= altered: failed on the label check, as the scan page says", async () => {
    const page = await h.page("desktop");
    await login(page, mobile, PASSWORD, h.origin);
    await openVerifyPage(h, page);
    // (The genuine link passes it: the test above sees no failure and label.signature not skipped.)
    const sig = /[?&]s=([^&]+)/.exec(link)![1]!;
    const forged = link.replace(sig, `${sig.slice(0, 10)}${sig[10] === "A" ? "B" : "A"}${sig.slice(11)}`);
    const r = await verifyLink(page, forged);
    expect(r.verdict).to.equal("failed");
    const verdict = page.getByTestId("verdict");
    expect(await verdict.getAttribute("data-failed-check")).to.equal("label.signature");
    expect(await verdict.textContent())
      .to.include("验证失败")
      .and.include("label.signature");
    expect((await listed(page)).filter((s) => s.status === "failed").map((s) => s.check)).to.deep.equal([
      "label.signature",
    ]);
    await page.context().close();
  });

  it("takes the auditor's own pinned trust file: its fingerprint shown; a wrong one fails on the anchor", async () => {
    const page = await h.page("desktop");
    await login(page, mobile, PASSWORD, h.origin);
    await openVerifyPage(h, page);
    const platform = await page.getByTestId("trust-fingerprint").textContent();
    const wrong = { ...trustDoc, anchorRegistry: "0x000000000000000000000000000000000000dEaD" };
    const file = join(tmp, "my-trust.json");
    writeFileSync(file, JSON.stringify(wrong));
    await page.locator("[data-testid=verify-trust-drop] input[type=file]").setInputFiles(file);
    await page.getByText("您的信任锚文件：my-trust.json").waitFor();
    const mine = await page.getByTestId("trust-fingerprint").textContent();
    expect(mine).to.equal(pinTrust(wrong, "x").fingerprint).and.not.equal(platform);
    await verifyLink(page, link);
    expect(await page.getByTestId("verdict").getAttribute("data-failed-check")).to.equal("trust.anchor-registry");

    // A trust file that is no trust anchor: the error names the field.
    const bad = join(tmp, "bad-trust.json");
    writeFileSync(bad, JSON.stringify({ ...trustDoc, chainId: "many" }));
    await page.locator("[data-testid=verify-trust-drop] input[type=file]").setInputFiles(bad);
    await page.getByText(/信任锚文件无效：.*chainId/).waitFor();
    await shot(page, "auditor-own-trust-desktop");
    await page.context().close();
  });

  it("is public: /console/verify verifies without a login, in English too", async () => {
    const page = await h.page("phone", { locale: "en" });
    await page.goto(h.url("/verify"));
    await page.locator(".ant-segmented-item", { hasText: "EN" }).first().click();
    await openVerifyPage(h, page, "/verify");
    expect(await page.locator("form#login").count()).to.equal(0);
    const r = await verifyLink(page, link);
    expect(r.verdict).to.equal("verified");
    expect(await page.getByTestId("verdict").textContent()).to.match(/^Verified: all \d+ checks passed/);
    expect(await page.getByTestId("steps").textContent()).to.include("The event is exactly the rendering");
    await checkA11y(page, "public verify (phone, en)");
    await shot(page, "auditor-public-phone-en");
    await page.context().close();
  });

  it("keeps the verifier out of the first screen: the login page's JS+CSS ≤ 400 KB gzipped", async () => {
    const page = await h.page("desktop");
    const assets: string[] = [];
    page.on("response", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/console/assets/") && /\.(js|css)$/.test(u.pathname)) assets.push(u.pathname);
    });
    await page.goto(h.url("/"));
    await page.locator("form#login").waitFor();
    await page.waitForLoadState("networkidle");
    const files = assets.map((p) => readFileSync(join(DIST, p.slice("/console/".length))));
    const firstLoadKb = Math.round(files.reduce((n, f) => n + gzipSync(f).length, 0) / 1024);
    console.log(`      firstLoadKb (login page, gzipped JS+CSS): ${firstLoadKb} (target ≤ 400)`);
    expect(firstLoadKb).to.be.at.most(400);
    // The verifier (ethers' JSON-RPC client, the bundle validator) is in none of them.
    for (const f of files) expect(f.toString("utf8")).to.not.include("eth_chainId");
    // The console's policy lets the page ask the chain (connect-src) and still allows no eval.
    const res = await fetch(h.url("/verify"));
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).to.include(`connect-src 'self' ${new URL(h.stack.chainUrl).origin} https:`);
    expect(csp).to.include("script-src 'self';");
    expect(csp).to.not.include("unsafe-eval");
    expect(h.problems).to.deep.equal([]);
    await page.context().close();
  });
});
