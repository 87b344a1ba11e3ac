/**
 * The console's browser-test harness (DECISIONS 57), for every screen's e2e test:
 *
 *   const h = await startConsole(this);             // in before(): full stack + built console + Chromium
 *   const page = await h.page("phone");             // a fresh context (zh-CN) on a phone or desktop viewport
 *   await login(page, mobile, "correct horse battery");
 *   const n = await counted(page); …; (await n.read()).total  // clicks + filled fields, for the benchmarks
 *   await checkA11y(page, "shop search");           // fails on serious/critical axe violations
 *   await shot(page, "shop-search-phone");          // test-output/shop-search-phone.png
 *   await h.close();                                // in after()
 *
 * The stack is the one the API tests use (test/helpers): a ledger on PGlite (or DATABASE_URL), the shared local
 * chain, createApp listening on a free port with a manufacturer, a distributor and two repair shops registered.
 * Chromium is Debian's (/usr/bin/chromium, CHROMIUM_PATH), driven by playwright-core; without it the suite is
 * skipped, unless REQUIRE_BROWSER is set (CI), where it fails.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { buildConsole } from "../../scripts/build-console.js";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const OUT = new URL("../../test-output/", import.meta.url).pathname;
/** The flags of /work/shared/TOOLCHAIN.md; playwright gives every launch a fresh temporary --user-data-dir. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

export const VIEWPORTS = {
  /** A 390×844 phone (iPhone 12–15 class), touch, 2× pixels. */
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1 },
} satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

export interface ConsoleHarness {
  stack: TestStack;
  api: Awaited<ReturnType<typeof startApi>>;
  browser: Browser;
  /** http://127.0.0.1:port */
  origin: string;
  /** origin + "/console" + path */
  url(path?: string): string;
  /** A page in a fresh browser context (its own storage), zh-CN unless `locale` says otherwise. */
  page(viewport?: ViewportName, opts?: { locale?: string }): Promise<Page>;
  /** Page errors and CSP violations seen on pages made by page(): a test asserts it stays empty. */
  problems: string[];
  close(): Promise<void>;
}

/** Skips the suite (or fails it under REQUIRE_BROWSER) when there is no Chromium. Call first in before(). */
export function requireBrowser(ctx: Mocha.Context) {
  if (existsSync(CHROMIUM)) return;
  if (process.env.REQUIRE_BROWSER) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium`);
  console.log(`      (no Chromium at ${CHROMIUM}: skipped; apt-get install chromium to run it)`);
  ctx.skip();
}

/** The whole stack, the console built (cached), Chromium launched. Use in before() with a generous timeout. */
export async function startConsole(ctx: Mocha.Context): Promise<ConsoleHarness> {
  requireBrowser(ctx);
  const build = await buildConsole();
  if (build.built) console.log(`      ${build.line}`);
  const stack = await openStack();
  const api = await startApi(stack);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(OUT, { recursive: true });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    stack,
    api,
    browser,
    origin: api.origin,
    problems,
    url: (path = "/") => `${api.origin}/console${path.startsWith("/") ? path : `/${path}`}`,
    async page(viewport = "desktop", opts = {}) {
      const context = await browser.newContext({
        ...VIEWPORTS[viewport],
        locale: opts.locale ?? "zh-CN",
        timezoneId: "Asia/Shanghai",
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
          problems.push(`csp: ${m.text()}`);
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await api.stop();
      await stack.close();
    },
  };
}

/** Logs in through the login page (the page must be on a console URL or blank) and waits for the layout. */
export async function login(page: Page, identifier: string, password: string, origin?: string) {
  if (origin) await page.goto(`${origin}/console/`);
  else if (!page.url().includes("/console")) throw new Error("login(): open a console URL first or pass the origin");
  const form = page.locator("form#login");
  await form.waitFor();
  await form.locator("#login_identifier").fill(identifier);
  await form.locator("#login_password").fill(password);
  await form.locator("button[type=submit]").click();
  await page.locator(".ant-pro-layout").waitFor({ timeout: 15_000 });
}

export interface Counter {
  /** Clicks (trusted, i.e. by the user or Playwright) and fields filled, since the start or the last reset. */
  read(): Promise<{ clicks: number; fills: number; total: number }>;
  reset(): Promise<void>;
}

const COUNTER_SCRIPT = () => {
  const w = window as unknown as { __plCount?: { clicks: number; fills: number; last: EventTarget | null } };
  if (w.__plCount) return;
  const c = (w.__plCount = { clicks: 0, fills: 0, last: null as EventTarget | null });
  document.addEventListener(
    "click",
    (e) => {
      if (e.isTrusted) c.clicks++;
    },
    true,
  );
  // A field counts once per stretch of typing into it (typing on into the same field is the same interaction).
  document.addEventListener(
    "input",
    (e) => {
      if (e.target !== c.last) c.fills++;
      c.last = e.target;
    },
    true,
  );
  document.addEventListener("focusin", (e) => {
    if (e.target !== c.last) c.last = null;
  });
};

/**
 * Counts what a user does on `page` — clicks and filled fields — for the interaction-count benchmarks
 * (e.g. shopOrderInteractions). Survives SPA navigation; a full reload starts again from zero.
 */
export async function counted(page: Page): Promise<Counter> {
  await page.addInitScript(COUNTER_SCRIPT);
  await page.evaluate(COUNTER_SCRIPT);
  const read = () =>
    page.evaluate(() => {
      const c = (window as unknown as { __plCount: { clicks: number; fills: number } }).__plCount;
      return { clicks: c.clicks, fills: c.fills, total: c.clicks + c.fills };
    });
  return {
    read,
    reset: () =>
      page.evaluate(() => {
        const c = (window as unknown as { __plCount: { clicks: number; fills: number; last: unknown } }).__plCount;
        c.clicks = 0;
        c.fills = 0;
        c.last = null;
      }),
  };
}

/** axe-core (WCAG 2.1 A/AA rules) on the page as it is; throws listing every serious or critical violation. */
export async function checkA11y(page: Page, label: string) {
  await settleAnimations(page);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length)
    throw new Error(
      `${label}: ${bad.length} serious/critical accessibility violation(s):\n` +
        bad
          .map(
            (v) =>
              `  [${v.impact}] ${v.id}: ${v.help}\n` +
              v.nodes
                .slice(0, 5)
                .map((n) => `      ${n.target.join(" ")} — ${n.failureSummary?.split("\n").join(" ")}`)
                .join("\n"),
          )
          .join("\n"),
    );
  return results;
}

/**
 * Waits (at most 3 s) until no finite CSS animation or transition is running (spinners loop forever and are
 * ignored): axe blends colours through opacity, so a modal still fading in reads as a contrast failure (CI saw
 * #cad8f0 on #346bc4, 3.6:1, on the API-key dialog's OK).
 */
export async function settleAnimations(page: Page) {
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity),
      undefined,
      {
        timeout: 3000,
        polling: 50,
      },
    )
    .catch(() => undefined);
}

/** A full-page PNG at test-output/<name>.png; answers the path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
