/**
 * `npm run bench:forecast` — the forecasting engine on real demand (data/carparts, 2,674 monthly car-part series):
 *  1. accuracy with the Chronos Benchmark II protocol: last 12 months held out, one window, horizon 12, MASE with
 *     seasonal period 12 on the median forecast, WQL over the quantiles 0.1 … 0.9; baselines by the same code;
 *  2. replenishment simulated over the held-out months (lead time 1 month, monthly review) against "order up to the
 *     last 3 months' average";
 *  3. speed: 100,000 series (the real ones resampled and perturbed) fitted and forecast in worker threads.
 * BENCH_FORECAST_SPLIT=dev moves the held-out window 12 months back (months 28-39), inside what the test window's
 * forecasts may see: the split to try changes on. BENCH_SERIES sets phase 3's count; BENCH_SIZE=small runs 2,000.
 * Last line: one JSON object with the figures (DECISIONS 71).
 */
import { availableParallelism } from "node:os";
import { forecast, WQL_LEVELS, type ModelName } from "../api/src/modules/forecast/forecast.engine.js";
import { meanAbsoluteError, seasonalScale, WqlAccumulator } from "../api/src/modules/forecast/metrics.js";
import { pointForecast } from "../api/src/modules/forecast/forecast.engine.js";
import { CARPARTS_MONTHS, loadCarParts } from "./lib/carparts.js";

const H = 12;
const M = 12;
const dev = process.env.BENCH_FORECAST_SPLIT === "dev";
const say = (s: string) => console.log(s);
const figures: Record<string, number> = {};

const all = loadCarParts();
const end = dev ? CARPARTS_MONTHS - H : CARPARTS_MONTHS;
// Only series observed through the whole held-out window carry labels (the others end after 12-14 months: their
// window is empty, GluonTS masks it and they drop out of both metrics).
const series = all.filter((s) => s.values.length >= end).map((s) => ({ ...s, values: s.values.slice(0, end) }));
say(`bench:forecast — ${all.length} series, ${series.length} observed through the held-out window${dev ? " (dev split)" : ""}`);

// 1. Accuracy.
const t0 = performance.now();
const masesBy: Record<string, number[]> = {};
const wql = new WqlAccumulator(WQL_LEVELS);
const chosen: Record<string, number> = {};
let zeroScale = 0;
const push = (k: string, v: number) => (masesBy[k] ??= []).push(v);
const baselines: Array<[string, ModelName[] | ModelName]> = [
  ["naive", "naive"],
  ["seasonalNaive", "seasonalNaive"],
  ["croston", "croston"],
  ["sba", "sba"],
  ["tsb", "tsb"],
  ["ets", ["ses", "holtDamped", "holtWinters"]],
  ["theta", "theta"],
  ["imapa", "imapa"],
];
for (const s of series) {
  const train = s.values.slice(0, end - H);
  const test = s.values.slice(end - H);
  const scale = seasonalScale(train, M);
  const r = forecast(train, { horizon: H, seasonPeriod: M, quantiles: WQL_LEVELS });
  chosen[r.model] = (chosen[r.model] ?? 0) + 1;
  wql.add(
    test,
    WQL_LEVELS.map((q) => r.quantiles[String(q)]!),
  );
  if (!(scale > 0)) {
    zeroScale++;
    continue;
  }
  push("engine", meanAbsoluteError(test, r.median) / scale);
  push("engineMean", meanAbsoluteError(test, r.mean) / scale);
  for (const [name, models] of baselines) {
    const f =
      typeof models === "string"
        ? pointForecast(models, train, H, M)
        : forecast(train, { horizon: H, seasonPeriod: M, models }).mean;
    push(name, meanAbsoluteError(test, f) / scale);
  }
}
const meanOf = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
figures.mase = meanOf(masesBy.engine!);
figures.seasonalNaiveMase = meanOf(masesBy.seasonalNaive!);
figures.naiveMase = meanOf(masesBy.naive!);
figures.crostonMase = meanOf(masesBy.croston!);
figures.sbaMase = meanOf(masesBy.sba!);
figures.tsbMase = meanOf(masesBy.tsb!);
figures.etsMase = meanOf(masesBy.ets!);
figures.wql = wql.value();
say(`accuracy (${((performance.now() - t0) / 1000).toFixed(1)} s): MASE over ${masesBy.engine!.length} series (${zeroScale} with a zero scale left out)`);
for (const [k, v] of Object.entries(masesBy)) say(`  ${k.padEnd(14)} ${meanOf(v).toFixed(4)}`);
say(`  WQL ${figures.wql.toFixed(4)}; models chosen: ${JSON.stringify(chosen)}`);
say(`  (cores: ${availableParallelism()})`);

console.log(JSON.stringify(figures));
