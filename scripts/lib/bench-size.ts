/**
 * The size a benchmark runs at. `BENCH_SIZE=small` (or `--small` after `npm run bench:x --`) runs every phase of a
 * benchmark at a size that takes seconds, for CI (`npm run check:benches`); the figures then only show that each
 * phase works, not how fast. `BENCH_SIZE=full` (the default) is the measured run. An explicit setting of a figure's
 * own variable (BENCH_EVENTS, BENCH_SECONDS, …) wins over either size.
 */
const size = process.argv.includes("--small") ? "small" : (process.env.BENCH_SIZE ?? "full");
if (size !== "small" && size !== "full")
  throw new Error(`BENCH_SIZE must be "small" or "full", got ${JSON.stringify(size)}`);

/** Whether this run is the small (CI) size. */
export const small = size === "small";

/** The setting `name` from the environment (a number ≥ 0), else `full` or `smallValue` for this run's size. */
export function sized(name: string, full: number, smallValue: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return small ? smallValue : full;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  return n;
}
