/**
 * `npm run bench:console` — the console's experience figures (issue 12), measured in Debian's Chromium like the e2e
 * harness: a local chain, a fresh database, the app with the built console, the demo world seeded through the API,
 * then every story of test/e2e/stories/ that exists. Prints the figures, and as its last line one JSON object:
 *
 *   shopOrderInteractions  clicks + typed fields from an empty search box to a placed order (target ≤ 6)
 *   shopOrderMs            that path's server + page time, no think time; median of the runs (target ≤ 3,000)
 *   verifyInBrowserMs      the auditor page verifying a 4-event part bundle against the local chain: click → verdict,
 *                          median of the runs (test/e2e/stories/auditor.ts; target ≤ 2,000)
 *   receiveCartonInteractions  clicks + typed fields for a distributor receiving a carton of 100 parts (target ≤ 3;
 *                          test/e2e/stories/distributor.ts); receiveCartonMs its server + page time, median of the runs
 *   firstLoadKb            gzipped JS + CSS the login page loads, sizes taken from the built files (target ≤ 400)
 *   staticAssetMs          the same-run baseline for the times above: the browser loading one built file of the
 *                          console from the same server (median), so a time can be judged on a slower machine
 *
 * A story is a module under test/e2e/stories/ exporting `bench(c: DemoConsole, runs: number)` that answers its
 * figures; STORIES lists which module gives which figures, and a module not (yet) present gives nulls.
 * BENCH_SIZE=small (npm run check:benches) runs each story once; full runs BENCH_CONSOLE_RUNS (5).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { startLocalChain } from "../ledger-service/src/index.js";
import { DIST } from "./build-console.js";
import { sized, small } from "./lib/bench-size.js";
import { freePort } from "./lib/free-port.js";
import type { DemoConsole } from "../test/e2e/stories/demo-console.js";

interface StoryEntry {
  /** Module path relative to test/e2e/stories/, without extension. */
  module: string;
  figures: readonly string[];
}

/** Every story the console's benchmark knows of; a missing module answers null figures. */
export const STORIES: readonly StoryEntry[] = [
  { module: "shop", figures: ["shopOrderInteractions", "shopOrderMs"] },
  { module: "distributor", figures: ["receiveCartonInteractions", "receiveCartonMs"] },
  { module: "auditor", figures: ["verifyInBrowserMs"] },
  { module: "manufacturer", figures: [] },
  { module: "platform", figures: [] },
];

const STORIES_DIR = new URL("../test/e2e/stories/", import.meta.url);

/** Gzipped size (KiB) of the JS and CSS the login page loads, as Chromium requested them, from dist/. */
async function firstLoadKb(c: DemoConsole): Promise<{ kb: number; files: Array<{ file: string; gz: number }> }> {
  const page = await c.page("desktop");
  const urls: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/console/") && /\.(js|css)$/.test(u.pathname)) urls.push(u.pathname);
  });
  await page.goto(c.url("/"));
  await page.locator("form#login").waitFor();
  await page.waitForLoadState("networkidle");
  await page.context().close();
  const files = [...new Set(urls)].map((p) => {
    const file = join(DIST, p.replace(/^\/console\//, ""));
    return { file: p, gz: gzipSync(readFileSync(file)).length };
  });
  const kb = Math.round((files.reduce((s, f) => s + f.gz, 0) / 1024) * 10) / 10;
  return { kb, files };
}

/** Median time for the browser to load one static file of the built console: the machine's floor for a page step. */
async function staticAssetMs(c: DemoConsole, file: string, n: number): Promise<number> {
  const page = await c.page("desktop");
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await page.goto(c.url(file));
    times.push(performance.now() - t0);
  }
  await page.context().close();
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
}

const runs = sized("BENCH_CONSOLE_RUNS", 5, 1);
const log = (line: string) => console.log(line);
const chain = await startLocalChain({ port: await freePort(), blockMs: 200 });
const { openDemoConsole } = await import("../test/e2e/stories/demo-console.js");
let c: DemoConsole | undefined;
const figures: Record<string, number | null> = {};
try {
  c = await openDemoConsole(chain.url, (l) => log(`  seed: ${l.trim()}`));
  log(`demo world seeded in ${c.seedSeconds.toFixed(1)} s${small ? " (BENCH_SIZE=small: one run per story)" : ""}`);
  const first = await firstLoadKb(c);
  log(`first load (login page): ${first.files.length} JS/CSS files, ${first.kb} KiB gzipped`);
  for (const f of first.files) log(`  ${f.file}  ${(f.gz / 1024).toFixed(1)} KiB`);
  figures.firstLoadKb = first.kb;
  const asset = first.files.reduce((a, b) => (b.gz < a.gz ? b : a)).file;
  figures.staticAssetMs = await staticAssetMs(c, asset, Math.max(5, runs * 3));
  log(`baseline: the browser loads ${asset} in ${figures.staticAssetMs} ms (median)`);
  for (const s of STORIES) {
    for (const name of s.figures) figures[name] = null;
    const path = new URL(`${s.module}.ts`, STORIES_DIR);
    if (!existsSync(path)) {
      if (s.figures.length) log(`story ${s.module}: not present (${s.figures.join(", ")} null)`);
      continue;
    }
    const mod = (await import(path.href)) as {
      bench?: (c: DemoConsole, runs: number) => Promise<Record<string, number>>;
    };
    if (typeof mod.bench !== "function") {
      log(`story ${s.module}: exports no bench(c, runs)`);
      continue;
    }
    const got = await mod.bench(c, runs);
    for (const [k, v] of Object.entries(got)) figures[k] = v;
    log(
      `story ${s.module}: ${Object.entries(got)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }
  if (c.problems.length) log(`page problems: ${c.problems.join("; ")}`);
} finally {
  await c?.close();
  await chain.stop();
}
console.log(JSON.stringify(figures));
process.exit(0);
