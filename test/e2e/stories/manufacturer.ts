/**
 * The manufacturer's story (issue 12), reusable by `npm run bench:console`: the company admin registers a GS1 prefix
 * in the console, the platform verifies it (through the API), and the label clerk mints a run of 20 under it, previews
 * a label, downloads the run's label PDF and watches the run go from recorded to final on the local chain.
 * Answers its figures: mintInteractions / mintMs (from an empty mint form to the result), labelsPdfBytes, and
 * recordedToFinalMs (while the anchoring worker runs).
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../../scripts/lib/identifiers.js";
import { OPERATOR } from "../../helpers/app.js";
import { checkA11y as axe, counted, login, shot, type ConsoleHarness, type ViewportName } from "../harness.js";

export const PASSWORD = "correct horse battery";

/** axe on the page as a user leaves it: the pointer moved off the button it just clicked (no hover colours). */
async function checkA11y(page: Page, label: string) {
  await page.mouse.move(1, 1);
  return axe(page, label);
}

export interface ManufacturerFigures {
  mintInteractions: number;
  mintMs: number;
  labelsPdfBytes: number;
  recordedToFinalMs: number;
  runId: string;
}

/** The admin registers `prefix` on the prefixes screen; the platform verifies it through the API; the screen shows it. */
export async function registerPrefix(h: ConsoleHarness, page: Page, viewport: ViewportName, prefix: string) {
  const admin = await h.api.userWithRoles("maker", ["company_admin"]);
  await page.goto(h.url("/manufacturer/prefixes"));
  await login(page, admin.mobile, PASSWORD);
  const form = page.locator("form#prefix");
  await form.waitFor();
  // A wrong prefix is refused in the form, naming the rule.
  await form.locator("#prefix_prefix").fill("12ab");
  await form.locator("#prefix_licenceRef").fill(`GS1CN-${prefix}`);
  await form.locator("button[type=submit]").click();
  await page.getByText("厂商识别码是 6–12 位数字").waitFor();
  await form.locator("#prefix_prefix").fill(prefix);
  await form.locator("button[type=submit]").click();
  const status = page.getByTestId(`prefix-status-${prefix}`);
  await status.waitFor();
  expect(await status.textContent()).to.equal("待平台审核");
  await checkA11y(page, `prefixes, submitted (${viewport})`);
  await shot(page, `manufacturer-prefix-submitted-${viewport}`);

  // The platform's operator checks the certificate and verifies it (API); the screen refreshes by itself.
  const queue = await h.api.call("GET", "/api/v1/gs1-prefixes?status=submitted", OPERATOR);
  const filed = (queue.json.prefixes as Array<{ id: string; prefix: string; licenceRef: string }>).find(
    (p) => p.prefix === prefix,
  )!;
  expect(filed.licenceRef).to.equal(`GS1CN-${prefix}`);
  const verified = await h.api.call("POST", `/api/v1/gs1-prefixes/${filed.id}/verify`, OPERATOR, {
    licenceRef: filed.licenceRef,
  });
  expect(verified.status, JSON.stringify(verified.json)).to.equal(200);
  await page.locator(`[data-testid="prefix-status-${prefix}"][data-status="verified"]`).waitFor({ timeout: 15_000 });
  expect(await status.textContent()).to.equal("已验证");
  await shot(page, `manufacturer-prefix-verified-${viewport}`);
}

/** The clerk's part: products, mint a run of `count`, preview a label, download the PDF, watch the anchoring. */
export async function clerkStory(
  h: ConsoleHarness,
  page: Page,
  viewport: ViewportName,
  opts: { prefix: string; itemRef: string; count: number; lot: string },
): Promise<ManufacturerFigures> {
  const clerk = await h.api.userWithRoles("maker", ["warehouse_clerk"]);
  await page.goto(h.url("/manufacturer/products"));
  await login(page, clerk.mobile, PASSWORD);
  await page.getByTestId("may-mint").waitFor();
  expect(await page.getByTestId("may-mint").textContent()).to.include(opts.prefix);
  // The clerk holds no gs1_prefix:create: the prefixes screen has no register form for them.
  await checkA11y(page, `products (${viewport})`);
  await shot(page, `manufacturer-products-${viewport}`);

  // Mint: a GTIN-13 typed from the box; a wrong check digit is caught in the form first.
  const gtin = gtin14(`0${opts.prefix}${opts.itemRef}`.slice(0, 13));
  const gtin13 = gtin.slice(1);
  const wrong = gtin13.slice(0, 12) + String((Number(gtin13[12]) + 1) % 10);
  await page.goto(h.url("/manufacturer/mint"));
  const form = page.locator("form#mint");
  await form.waitFor();
  const n = await counted(page);
  const started = Date.now();
  await form.locator("#mint_gtin").fill(wrong);
  await form.locator("#mint_count").fill(String(opts.count));
  await form.locator("#mint_lot").fill(opts.lot);
  await form.locator("#mint_brand").fill("BOSCH 博世");
  await form.locator("#mint_name").fill("前刹车片 0 986 AB1 234");
  await form.locator("button[type=submit]").click();
  await page.getByText(`校验位错误：最后一位应为 ${gtin13[12]}`).waitFor();
  await checkA11y(page, `mint, wrong check digit (${viewport})`);
  await shot(page, `manufacturer-mint-check-digit-${viewport}`);
  await form.locator("#mint_gtin").fill(gtin13);
  await page.keyboard.press("Escape"); // closes the suggestions of known GTINs
  await form.locator("button[type=submit]").click();
  await page.getByTestId("mint-result").waitFor();
  const mintMs = Date.now() - started;
  const mintInteractions = (await n.read()).total;
  const result = (await page.getByTestId("mint-result").textContent()) ?? "";
  expect(result).to.include(`已生成 ${opts.count} 个标识`);
  const runId = /run_[0-9a-f]{16}/.exec(result)![0];
  const run = await h.api.call("GET", `/api/v1/mint/${runId}`, clerk.token);
  expect(run.json).to.deep.include({ gtin, count: opts.count, lot: opts.lot, brand: "BOSCH 博世" });
  await checkA11y(page, `mint result (${viewport})`);
  await shot(page, `manufacturer-mint-result-${viewport}`);

  // Labels: preview one, then the run's PDF.
  await page.getByRole("button", { name: "预览并打印标签" }).click();
  const img = page.locator('[data-testid="label-preview"] img, img[data-testid="label-preview"]').first();
  await img.waitFor();
  await page.waitForFunction(() => {
    const i = document.querySelector<HTMLImageElement>("img[alt^='序列号']");
    return !!i && i.complete && i.naturalWidth > 100;
  });
  expect(await img.getAttribute("alt")).to.equal(`序列号 ${run.json.serials[0]} 的标签二维码`);
  expect(await page.getByTestId("layouts").locator("input[type=radio]").count()).to.be.at.least(1);
  await checkA11y(page, `labels (${viewport})`);
  await shot(page, `manufacturer-labels-${viewport}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "下载整批标签 PDF" }).click(),
  ]);
  const pdf = readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString("latin1")).to.equal("%PDF-");
  expect(download.suggestedFilename()).to.match(new RegExp(`^labels-${runId}.*\\.pdf$`));

  // Runs: recorded → on chain → final, as the anchoring worker moves (the screen refreshes by itself).
  await page.goto(h.url("/manufacturer/runs"));
  const state = (s: string) =>
    page.locator(`[data-testid="run-${runId}"] [data-testid="anchoring"][data-state="${s}"]`);
  await state("recorded").waitFor();
  expect(await state("recorded").textContent()).to.equal("已记录，等待上链");
  await checkA11y(page, `runs, recorded (${viewport})`);
  await shot(page, `manufacturer-runs-recorded-${viewport}`);
  const t0 = Date.now();
  // The worker moves a batch one step a tick (seal, send, confirm, final): tick until the run is on the chain.
  let anchoring = "recorded";
  let report: unknown;
  for (const until = Date.now() + 60_000; anchoring === "recorded" && Date.now() < until;) {
    report = await h.stack.svc.worker.tick();
    anchoring = (await h.api.call("GET", `/api/v1/mint/${runId}`, clerk.token)).json.anchoring.state;
    if (anchoring === "recorded") await new Promise((r) => setTimeout(r, 250));
  }
  expect(anchoring, JSON.stringify(report)).to.equal("anchored");
  await state("anchored").waitFor({ timeout: 15_000 });
  expect(await state("anchored").textContent()).to.equal("已上链，等待确认");
  await shot(page, `manufacturer-runs-anchored-${viewport}`);
  await h.stack.svc.worker.runUntilFinal();
  await state("final").waitFor({ timeout: 15_000 });
  const recordedToFinalMs = Date.now() - t0;
  expect(await state("final").textContent()).to.equal("已最终确认");
  await checkA11y(page, `runs, final (${viewport})`);
  await shot(page, `manufacturer-runs-final-${viewport}`);
  return { mintInteractions, mintMs, labelsPdfBytes: pdf.length, recordedToFinalMs, runId };
}
