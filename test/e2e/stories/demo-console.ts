/**
 * The demo world (scripts/lib/demo-world.ts) behind a console in Chromium, for the stories and `npm run bench:console`.
 * Not the harness's stack (test/e2e/harness.ts): that one pre-registers companies and the GS1 prefix the demo world
 * claims, so this opens its own fresh database, ledger service and app, seeds the demo world through the HTTP API, and
 * launches Chromium with the harness's flags and viewports.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createApp, type buildServices } from "../../../api/src/app.js";
import { keepConnections } from "../../../api/src/server.js";
import { LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, loadConfig } from "../../../ledger-service/src/index.js";
import { buildConsole } from "../../../scripts/build-console.js";
import { seedDemoWorld, type DemoWorld } from "../../../scripts/lib/demo-world.js";
import { freshDatabase } from "../../helpers/database.js";
import { CHROMIUM, CHROMIUM_ARGS, OUT, VIEWPORTS, type ViewportName } from "../harness.js";

export const DEMO_PUBLIC_BASE = "https://pl.example.cn";

export interface DemoConsole {
  origin: string;
  url(path?: string): string;
  world: DemoWorld;
  ledger: LedgerService;
  browser: Browser;
  /** Seconds the demo world took to seed. */
  seedSeconds: number;
  page(viewport?: ViewportName): Promise<Page>;
  /** The signed label URL of one of the demo maker's parts, as its QR code holds it. */
  labelUrl(gtin: string, serial: string): Promise<string>;
  /** Page errors and CSP violations seen on pages made by page(). */
  problems: string[];
  close(): Promise<void>;
}

export async function openDemoConsole(chainUrl: string, log: (line: string) => void = () => {}): Promise<DemoConsole> {
  const build = await buildConsole();
  if (build.built) log(build.line);
  const database = await freshDatabase();
  const ledger = await LedgerService.open({
    config: loadConfig({ LEDGER_MASTER_KEY: randomBytes(32).toString("hex"), BATCH_MAX_AGE_MS: "0" }),
    database,
    chainUrl,
    adminKey: LOCAL_ADMIN_KEY,
    localChain: true,
    chainId: LOCAL_CHAIN_ID,
  });
  const operatorToken = `op-${randomBytes(12).toString("hex")}`;
  const app = createApp({
    ledger,
    chainUrl,
    operatorToken,
    publicBaseUrl: DEMO_PUBLIC_BASE,
    webhooks: { intervalMs: 0 },
    transferCheckMs: 0,
  });
  const server: Server = keepConnections(app.listen(0, "127.0.0.1"));
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const t0 = performance.now();
  const world = await seedDemoWorld({ ledger, services: app.locals.services, origin, operatorToken, log });
  const seedSeconds = (performance.now() - t0) / 1000;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(OUT, { recursive: true });
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  return {
    origin,
    url: (path = "/") => `${origin}/console${path.startsWith("/") ? path : `/${path}`}`,
    world,
    ledger,
    browser,
    seedSeconds,
    problems,
    async labelUrl(gtin, serial) {
      const services = app.locals.services as ReturnType<typeof buildServices>;
      return services.labels.uriFor(await services.orgs.get(world.maker.id), gtin, serial);
    },
    async page(viewport = "phone") {
      const context = await browser.newContext({
        ...VIEWPORTS[viewport],
        locale: "zh-CN",
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
      server.close();
      await (app.locals.shutdown as () => Promise<void>)?.();
      await ledger.close();
      await database.drop();
    },
  };
}
