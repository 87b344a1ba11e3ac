/**
 * `npm run check:benches` — every `bench:*` script of package.json at its small size (BENCH_SIZE=small), one after
 * another, so that a change that breaks a benchmark fails CI like a broken test (.ci/run). A run fails on a non-zero
 * exit, on a last line that is not a JSON object, or on a figure of its phases missing or not a finite number
 * (scripts/lib/bench-output.ts), or when it takes longer than BENCH_CHECK_TIMEOUT_S (300) seconds.
 * The figures of a small run say only that each phase works, not how fast: nothing here compares them with targets.
 * `npm run check:benches -- bench:orders …` runs only the named scripts.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { checkBenchOutput } from "./lib/bench-output.js";

const timeoutS = Number(process.env.BENCH_CHECK_TIMEOUT_S ?? 300);
if (!(timeoutS > 0))
  throw new Error(`BENCH_CHECK_TIMEOUT_S must be a number of seconds > 0, got ${process.env.BENCH_CHECK_TIMEOUT_S}`);
const scripts = Object.keys(
  (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts,
).filter((s) => s.startsWith("bench:"));
const chosen = process.argv.slice(2);
for (const c of chosen)
  if (!scripts.includes(c)) throw new Error(`no script ${c} in package.json (bench scripts: ${scripts.join(", ")})`);

function runSmall(script: string): Promise<{ code: number | null; stdout: string; seconds: number }> {
  const started = performance.now();
  // Its own process group, so that a timeout ends the script and everything it started (chain, load processes).
  const child = spawn("npm", ["run", "-s", script], {
    env: { ...process.env, BENCH_SIZE: "small" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (b: Buffer) => {
    stdout += b.toString();
    process.stdout.write(b);
  });
  child.stderr.on("data", (b: Buffer) => process.stderr.write(b));
  const timer = setTimeout(() => {
    console.error(`${script}: no result after ${timeoutS} s, stopping it`);
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, timeoutS * 1000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, seconds: (performance.now() - started) / 1000 });
    });
  });
}

const results: Array<{ script: string; seconds: number; problems: string[] }> = [];
for (const script of chosen.length ? chosen : scripts) {
  console.log(`== ${script} (BENCH_SIZE=small)`);
  const { code, stdout, seconds } = await runSmall(script);
  results.push({ script, seconds, problems: checkBenchOutput(script, code, stdout).problems });
}
console.log("== benchmarks at the small size");
for (const r of results) {
  console.log(`${r.problems.length ? "FAIL" : "ok  "} ${r.script.padEnd(14)} ${r.seconds.toFixed(0).padStart(4)} s`);
  for (const p of r.problems) console.log(`     ${p}`);
}
console.log(`total ${results.reduce((a, r) => a + r.seconds, 0).toFixed(0)} s`);
if (results.some((r) => r.problems.length)) process.exitCode = 1;
