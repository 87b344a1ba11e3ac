/**
 * The forecasting engine: for one demand history, fit every eligible method, choose one by rolling-origin
 * cross-validation on the history alone, and return its mean forecast and quantiles. Pure (no database, no clock);
 * the batch form in `forecast.batch.ts` runs it over many series, in worker threads when asked.
 */
import { countLevelForShortage, countQuantiles, sampleQuantile } from "./distribution.js";
import {
  adida,
  croston,
  demandInterval,
  holtDamped,
  holtWinters,
  imapa,
  naive,
  sba,
  seasonalNaive,
  ses,
  theta,
  tsb,
  windowAverage,
  type Series,
} from "./methods.js";
import { pinball, seasonalScale } from "./metrics.js";

/**
 * The methods, in a fixed order: a model's index here is its code in batch results. The first candidate (the
 * combination) is the default that another method must beat in cross-validation by the selection margin.
 */
export const MODELS = [
  "combo",
  "naive",
  "seasonalNaive",
  "mean",
  "ses",
  "croston",
  "sba",
  "tsb",
  "adida",
  "imapa",
  "holtDamped",
  "holtWinters",
  "theta",
] as const;
export type ModelName = (typeof MODELS)[number];

/** The quantile levels of the weighted quantile loss (WQL) of the Chronos benchmark. */
export const WQL_LEVELS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface ForecastOptions {
  /** Steps to forecast. */
  horizon: number;
  /** Periods per season (12 for monthly data, 7 for daily with a weekly cycle); 1 for none. */
  seasonPeriod: number;
  /** Quantile levels in (0, 1); default the WQL levels 0.1 … 0.9. 0.5 is always computed (the median). */
  quantiles?: readonly number[];
  /** Candidate methods; default every method. */
  models?: readonly ModelName[];
  /** Cross-validation windows (rolling origins); default 3. */
  cvFolds?: number;
  /** Steps between origins; default half the horizon. */
  cvStep?: number;
  /** Fewest periods a cross-validation window trains on; default 6. */
  cvMinTrain?: number;
  /**
   * How much lower (as a fraction) another method's cross-validation score must be than the first candidate's
   * (the combination by default) to replace it; default 0.2.
   */
  selectionMargin?: number;
}

export interface ForecastResult {
  model: ModelName;
  /** The chosen method's mean forecast per step (≥ 0). */
  mean: number[];
  /** The median per step (the point forecast MASE is judged on). */
  median: number[];
  /** Quantile level (as written by `String(level)`) → forecast per step; non-decreasing in the level, ≥ 0. */
  quantiles: Record<string, number[]>;
  /**
   * Mean absolute error of the median in cross-validation over the seasonal naive scale of the history; NaN when
   * the history is too short for a cross-validation window or never changes at the seasonal lag (scale 0).
   */
  cvMase: number;
  /** The predictive distribution: a count distribution (variance = dispersion × mean) or empirical CV errors. */
  distribution: { kind: "count"; dispersion: number } | { kind: "empirical"; errors: number[] };
}

const run = (model: ModelName, y: Series, m: number, out: Float64Array): void => {
  switch (model) {
    case "naive":
      return naive(y, out);
    case "seasonalNaive":
      return seasonalNaive(y, m, out);
    case "mean":
      return windowAverage(y, y.length, out);
    case "ses":
      return ses(y, out);
    case "croston":
      return croston(y, out);
    case "sba":
      return sba(y, out);
    case "tsb":
      return tsb(y, out);
    case "adida":
      return adida(y, out);
    case "imapa":
      return imapa(y, out);
    case "holtDamped":
      return holtDamped(y, out);
    case "holtWinters":
      return holtWinters(y, m, out);
    case "theta":
      return theta(y, out);
    case "combo":
      return combo(y, m, out);
  }
};

/** The members of the combination: smoothing and the intermittent-demand methods (DECISIONS 71). */
export const COMBO_MEMBERS: readonly ModelName[] = ["ses", "sba", "tsb", "imapa", "adida", "theta"];

/**
 * The mean of several methods' forecasts. Forecast combination is the engine's default: on short, noisy demand
 * histories it beats choosing one method from a few cross-validation windows (DECISIONS 71).
 */
function combo(y: Series, m: number, out: Float64Array): void {
  const part = new Float64Array(out.length);
  out.fill(0);
  for (const model of COMBO_MEMBERS) {
    run(model, y, m, part);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + Math.max(0, part[i]!) / COMBO_MEMBERS.length;
  }
}

/** Runs methods on one history: model → mean forecast of `len` steps, cut at 0; a combination reuses its members. */
function runAll(models: readonly ModelName[], y: Series, m: number, len: number): Map<ModelName, Float64Array> {
  const res = new Map<ModelName, Float64Array>();
  const get = (model: ModelName): Float64Array => {
    let f = res.get(model);
    if (f) return f;
    f = new Float64Array(len);
    if (model === "combo") {
      for (const member of COMBO_MEMBERS) {
        const g = get(member);
        for (let i = 0; i < len; i++) f[i] = f[i]! + g[i]! / COMBO_MEMBERS.length;
      }
    } else {
      run(model, y, m, f);
      for (let i = 0; i < len; i++) if (!(f[i]! > 0)) f[i] = 0;
    }
    res.set(model, f);
    return f;
  };
  for (const model of models) get(model);
  return res;
}

/** Runs one method on a history and returns its mean forecast, cut at 0 (demand is never negative). */
export function pointForecast(model: ModelName, history: ArrayLike<number>, horizon: number, m: number): Float64Array {
  const out = new Float64Array(horizon);
  run(model, Float64Array.from(history), m, out);
  for (let i = 0; i < horizon; i++) if (!(out[i]! > 0)) out[i] = 0;
  return out;
}

/** Whether a method can be fitted to this history at all (long and dense enough for the seasonal ones). */
function eligible(model: ModelName, y: Series, m: number, zeroShare: number): boolean {
  const n = y.length;
  // Syntetos-Boylan-Croston: a mean demand interval ≥ 1.32 periods is intermittent (or lumpy) demand, where the
  // continuous-demand smoothing methods stand down for the Croston family (they stay inside the combination).
  const intermittent = zeroShare > 1 - 1 / 1.32;
  switch (model) {
    case "seasonalNaive":
      return m > 1 && n >= m && zeroShare < 0.3;
    case "holtWinters":
      return m > 1 && n >= 2 * m + 3 && zeroShare < 0.35;
    case "holtDamped":
    case "theta":
      return n >= 6 && !intermittent;
    case "ses":
      return !intermittent;
    case "croston":
    case "sba":
    case "tsb":
    case "adida":
    case "imapa":
      return zeroShare > 0;
    case "naive":
      // The last value says little about a series that is mostly zeros (DECISIONS 71: dropped for them).
      return zeroShare < 0.3;
    default:
      return true;
  }
}

function isCountSeries(y: Series): boolean {
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v < 0 || v !== Math.round(v)) return false;
  }
  return true;
}

/** Quantiles of one step from the mean forecast: `out[j]` for `levels[j]` (sorted ascending). */
function stepQuantiles(
  f: number,
  count: boolean,
  dispersion: number,
  errors: Float64Array,
  levels: readonly number[],
  out: Float64Array,
): void {
  if (count) return countQuantiles(f, dispersion, levels, out);
  for (let j = 0; j < levels.length; j++) out[j] = Math.max(0, f + sampleQuantile(errors, levels[j]!));
}

interface Candidate {
  model: ModelName;
  score: number;
  maeMedian: number;
  dispersion: number;
  errors: Float64Array;
}

/**
 * Forecasts one series. The history is the demand per period, oldest first (NaN or negative values are read as 0).
 * Every eligible method is run from `cvFolds` rolling origins on the history and scored by its median's mean absolute
 * error there (ties broken by the quantile loss). The first candidate (the combination) stays unless another method
 * scores lower by the selection margin; among the others the lowest score wins, ties to the earlier in MODELS.
 */
export function forecast(history: Float64Array | readonly number[], opts: ForecastOptions): ForecastResult {
  const h = opts.horizon;
  const m = Math.max(1, Math.round(opts.seasonPeriod));
  if (!(h >= 1) || !Number.isInteger(h)) throw new RangeError(`horizon must be an integer ≥ 1, got ${h}`);
  const levels = [...new Set([...(opts.quantiles ?? WQL_LEVELS), 0.5])].sort((a, b) => a - b);
  for (const q of levels) if (!(q > 0 && q < 1)) throw new RangeError(`quantile levels must be in (0, 1), got ${q}`);
  const y = Float64Array.from(history, (v) => (v > 0 ? v : 0));
  const n = y.length;
  const count = isCountSeries(y);
  let zeros = 0;
  for (let t = 0; t < n; t++) if (y[t] === 0) zeros++;
  const zeroShare = n ? zeros / n : 1;
  const models = (opts.models ?? MODELS).filter((mo) => eligible(mo, y, m, zeroShare));
  if (!models.length) models.push("mean");

  const folds = opts.cvFolds ?? 3;
  const step = opts.cvStep ?? Math.max(1, Math.round(h / 2));
  const minTrain = Math.min(Math.max(2, opts.cvMinTrain ?? 6), Math.max(2, n - h));
  const margin = 1 - (opts.selectionMargin ?? 0.2);
  const origins: number[] = [];
  for (let k = 0; k < folds; k++) {
    const o = n - Math.min(h, Math.max(1, n - minTrain)) - k * step;
    if (o >= minTrain && o < n && !origins.includes(o)) origins.push(o);
  }
  const medianIdx = levels.indexOf(0.5);
  const q = new Float64Array(levels.length);
  const fc = new Float64Array(h);
  let best: Candidate | null = null;
  let cvPoints = 0;
  // Every candidate's forecasts from every origin (the combination reuses its members' runs).
  const byOrigin = origins.map((o) => runAll(models, y.subarray(0, o), m, Math.min(h, n - o)));
  for (const model of models) {
    // First pass: point forecasts from each origin, and their errors.
    const preds: Float64Array[] = [];
    let se = 0;
    let fs = 0;
    let points = 0;
    const errs: number[] = [];
    origins.forEach((o, k) => {
      const f = byOrigin[k]!.get(model)!;
      for (let i = 0; i < f.length; i++) {
        const e = y[o + i]! - f[i]!;
        se += e * e;
        fs += f[i]!;
        if (!count) errs.push(e);
        points++;
      }
      preds.push(f);
    });
    const dispersion = fs > 0 ? Math.max(1, se / fs) : 1;
    const errors = Float64Array.from(errs).sort();
    // Second pass: the median's absolute error and the quantile loss, with this model's own distribution.
    let mae = 0;
    let ql = 0;
    let last = NaN;
    origins.forEach((o, k) => {
      const f = preds[k]!;
      for (let i = 0; i < f.length; i++) {
        if (f[i] !== last) {
          stepQuantiles(f[i]!, count, dispersion, errors, levels, q);
          last = f[i]!;
        }
        const v = y[o + i]!;
        mae += Math.abs(v - q[medianIdx]!);
        for (let j = 0; j < levels.length; j++) ql += pinball(v, q[j]!, levels[j]!);
      }
    });
    cvPoints = points;
    const score = mae + 1e-3 * ql;
    const bar = best && best.model === models[0] ? best.score * margin : (best?.score ?? Infinity);
    if (score < bar - 1e-9) best = { model, score, maeMedian: mae, dispersion, errors };
  }
  const chosen = best!;
  fc.set(runAll([chosen.model], y, m, h).get(chosen.model)!);
  const mean: number[] = [];
  const median: number[] = [];
  const quantiles: Record<string, number[]> = Object.fromEntries(levels.map((l) => [String(l), [] as number[]]));
  for (let i = 0; i < h; i++) {
    const f = fc[i]! > 0 ? fc[i]! : 0;
    mean.push(f);
    stepQuantiles(f, count, chosen.dispersion, chosen.errors, levels, q);
    for (let j = 1; j < levels.length; j++) if (q[j]! < q[j - 1]!) q[j] = q[j - 1]!;
    levels.forEach((l, j) => quantiles[String(l)]!.push(q[j]!));
    median.push(q[medianIdx]!);
  }
  const scale = seasonalScale(y, m);
  return {
    model: chosen.model,
    mean,
    median,
    quantiles,
    cvMase: cvPoints ? chosen.maeMedian / cvPoints / scale : NaN,
    distribution: count
      ? { kind: "count", dispersion: chosen.dispersion }
      : { kind: "empirical", errors: Array.from(chosen.errors) },
  };
}

/** Mean demand interval of a history (periods per non-zero demand), for callers that class series. */
export { demandInterval };

/**
 * The `level` quantile of the total demand over the first `steps` steps of a forecast (e.g. lead time + review
 * period, for an order-up-to level). Counts: the same count distribution with the summed mean (exact for independent
 * steps with a common dispersion); otherwise the summed mean plus √steps times the error quantile.
 */
export function totalDemandQuantile(result: ForecastResult, steps: number, level: number): number {
  let mu = 0;
  for (let i = 0; i < Math.min(steps, result.mean.length); i++) mu += result.mean[i]!;
  if (result.distribution.kind === "count") {
    const out = new Float64Array(1);
    countQuantiles(mu, result.distribution.dispersion, [level], out);
    return out[0]!;
  }
  return Math.max(0, mu + Math.sqrt(steps) * sampleQuantile(result.distribution.errors, level));
}

/**
 * The stock level that meets a fill-rate target: expected demand lost over the protection period (`steps`: lead
 * time + review) at most (1 − fillRate) × the demand of one review period (`reviewSteps`). Counts: exact under the
 * count distribution; otherwise the fill rate is used as the quantile level.
 */
export function fillRateLevel(result: ForecastResult, steps: number, reviewSteps: number, fillRate: number): number {
  if (result.distribution.kind !== "count") return totalDemandQuantile(result, steps, fillRate);
  let mu = 0;
  let review = 0;
  for (let i = 0; i < Math.min(steps, result.mean.length); i++) {
    mu += result.mean[i]!;
    if (i < reviewSteps) review += result.mean[i]!;
  }
  return countLevelForShortage(mu, result.distribution.dispersion, (1 - fillRate) * review);
}
