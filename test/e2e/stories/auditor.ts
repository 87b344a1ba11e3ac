/**
 * The auditor's story (issue 12, DECISIONS 62), shared by test/e2e/auditor.e2e.test.ts and `npm run bench:console`:
 * a part made, shipped, received and installed (4 events, anchored and final on the local chain); an auditor logs
 * in, opens "verify in browser", pastes the part's GS1 Digital Link and clicks verify — the page fetches the public
 * bundle and checks every step against the chain's RPC in Chromium with the platform's pinned trust anchor.
 */
import { Stage, newSerial } from "../../../ledger-service/src/index.js";
import { GTIN, PLACE, VIN, handOver, type TestStack } from "../../helpers/stack.js";
import { login, type ConsoleHarness, type ViewportName } from "../harness.js";
import type { Page } from "playwright-core";

export const PASSWORD = "correct horse battery";

/** A part with 4 events (made, shipped, received, installed), anchored and final; answers its label's link. */
export async function fourEventPart(stack: TestStack, publicBase = "https://pl.example.cn") {
  const part = { gtin: GTIN, serial: newSerial(), lot: "L-AUD" };
  await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: [part], place: PLACE });
  await handOver(stack, "maker", "shop", [part]);
  await stack.svc.ledger.append({
    actorId: "shop",
    step: Stage.Installed,
    parts: [{ gtin: part.gtin, serial: part.serial }],
    place: PLACE,
    vin: VIN,
  });
  await stack.svc.worker.runUntilFinal();
  return { part, link: `${publicBase}/01/${part.gtin}/21/${part.serial}?10=${part.lot}` };
}

/** Opens the auditor page of a signed-in console (or the public /verify) and waits for the pinned trust anchor. */
export async function openVerifyPage(h: ConsoleHarness, page: Page, path = "/auditor/verify") {
  await page.goto(h.url(path));
  await page.getByTestId("trust-fingerprint").waitFor({ timeout: 15_000 });
  // The RPC URL the platform suggests (GET /api/v1/verify/config) is filled in.
  await page.waitForFunction(
    () => (document.querySelector("[data-testid=verify-rpc]") as HTMLInputElement | null)?.value !== "",
  );
}

/**
 * Pastes `link`, clicks verify and waits for the verdict. `ms`: from the click to the verdict on screen — the bundle
 * fetched, the RPC asked, every check run and listed — measured in the page (no human think time).
 */
export async function verifyLink(page: Page, link: string) {
  await page.getByTestId("verify-link").fill(link);
  await page.evaluate(() => {
    const w = window as unknown as { __verifyClick?: number };
    document
      .querySelector("[data-testid=verify-run]")!
      .addEventListener("click", () => (w.__verifyClick = performance.now()), { once: true, capture: true });
  });
  await page.getByTestId("verify-run").click();
  await page.getByTestId("verdict").waitFor({ timeout: 20_000 });
  const ms = await page.evaluate(
    () => performance.now() - (window as unknown as { __verifyClick: number }).__verifyClick,
  );
  return { ms: Math.round(ms), verdict: await page.getByTestId("verdict").getAttribute("data-verdict") };
}

/** The whole story for the benchmark: answers { verifyInBrowserMs } (target ≤ 2,000). */
export async function auditorStory(
  h: ConsoleHarness,
  viewport: ViewportName = "desktop",
): Promise<{ verifyInBrowserMs: number }> {
  const { link } = await fourEventPart(h.stack);
  const { mobile } = await h.api.userWithRoles("maker", ["auditor"]);
  const page = await h.page(viewport);
  try {
    await login(page, mobile, PASSWORD, h.origin);
    await openVerifyPage(h, page);
    const r = await verifyLink(page, link);
    if (r.verdict !== "verified") throw new Error(`auditor story: verdict ${r.verdict}, expected verified`);
    return { verifyInBrowserMs: r.ms };
  } finally {
    await page.context().close();
  }
}
