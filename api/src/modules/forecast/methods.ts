/**
 * Point-forecasting methods for one series: pure functions over a Float64Array history, each writing `h` future
 * means into `out`. Smoothing parameters are chosen by a small grid search on the one-step-ahead squared error of
 * the history (fast, deterministic, no optimiser to diverge); DECISIONS 71 lists the grids.
 */

export type Series = Float64Array;

/** The last value, repeated. */
export function naive(y: Series, out: Float64Array): void {
  out.fill(y.length ? y[y.length - 1]! : 0);
}

/** The value one season earlier (the last full season repeated); naive when the history is shorter than a season. */
export function seasonalNaive(y: Series, m: number, out: Float64Array): void {
  const n = y.length;
  if (n < m || m < 2) return naive(y, out);
  for (let i = 0; i < out.length; i++) out[i] = y[n - m + (i % m)]!;
}

/** The mean of the last `window` values (all of them when `window` ≥ the length). */
export function windowAverage(y: Series, window: number, out: Float64Array): void {
  const n = y.length;
  const from = Math.max(0, n - window);
  let s = 0;
  for (let t = from; t < n; t++) s += y[t]!;
  out.fill(n > from ? s / (n - from) : 0);
}

/** Simple exponential smoothing's final level and one-step squared error for a given alpha (level starts at y[0]). */
function sesRun(y: Series, alpha: number, from = 0, to = y.length): { level: number; sse: number } {
  let level = y[from]!;
  let sse = 0;
  for (let t = from + 1; t < to; t++) {
    const e = y[t]! - level;
    sse += e * e;
    level += alpha * e;
  }
  return { level, sse };
}

const SES_ALPHAS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9];

/** SES with the alpha of the grid that minimises the one-step squared error; returns the level and the alpha. */
export function sesFit(y: Series): { level: number; alpha: number } {
  if (y.length < 2) return { level: y.length ? y[0]! : 0, alpha: 0.1 };
  let best = { level: 0, sse: Infinity, alpha: 0.1 };
  for (const alpha of SES_ALPHAS) {
    const r = sesRun(y, alpha);
    if (r.sse < best.sse - 1e-12) best = { ...r, alpha };
  }
  return { level: best.level, alpha: best.alpha };
}

/** Simple exponential smoothing (ETS(A,N,N)), alpha from the grid. */
export function ses(y: Series, out: Float64Array): void {
  out.fill(sesFit(y).level);
}

/**
 * Croston's method with smoothing constant `alpha` on both the non-zero demand sizes and the intervals between
 * them; both start at the first demand (its size, and its position + 1 as the first interval). The forecast is
 * size / interval, times `factor` (1 for Croston, 1 − alpha/2 for the Syntetos-Boylan approximation).
 * A history without demand forecasts 0.
 */
export function croston(y: Series, out: Float64Array, alpha = 0.1, factor = 1): void {
  let z = 0;
  let p = 0;
  let q = 1;
  let started = false;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (v > 0) {
      if (!started) {
        z = v;
        p = t + 1;
        started = true;
      } else {
        z += alpha * (v - z);
        p += alpha * (q - p);
      }
      q = 1;
    } else if (started) q++;
  }
  out.fill(started ? (factor * z) / p : 0);
}

/** Syntetos-Boylan approximation: Croston's forecast times (1 − alpha/2), which removes its positive bias. */
export function sba(y: Series, out: Float64Array, alpha = 0.1): void {
  croston(y, out, alpha, 1 - alpha / 2);
}

const TSB_GRID: ReadonlyArray<readonly [number, number]> = [
  [0.1, 0.05],
  [0.1, 0.1],
  [0.2, 0.1],
  [0.1, 0.2],
  [0.3, 0.2],
];

/**
 * Teunter-Syntetos-Babai: the demand probability is smoothed every period (beta), the size only when demand occurs
 * (alpha), so an item that stops selling decays towards 0. (alpha, beta) from a small grid by one-step squared error.
 */
export function tsb(y: Series, out: Float64Array): void {
  const n = y.length;
  let first = -1;
  for (let t = 0; t < n; t++)
    if (y[t]! > 0) {
      first = t;
      break;
    }
  if (first < 0) return void out.fill(0);
  let nz = 0;
  for (let t = 0; t < n; t++) if (y[t]! > 0) nz++;
  let best = Infinity;
  let bestF = 0;
  for (const [alpha, beta] of TSB_GRID) {
    let z = y[first]!;
    let d = nz / n;
    let sse = 0;
    for (let t = 0; t < n; t++) {
      const v = y[t]!;
      const e = v - d * z;
      if (t > first) sse += e * e;
      if (v > 0) {
        d += beta * (1 - d);
        z += alpha * (v - z);
      } else d -= beta * d;
    }
    if (sse < best - 1e-12) {
      best = sse;
      bestF = d * z;
    }
  }
  out.fill(bestF);
}

const HOLT_GRID: ReadonlyArray<readonly [number, number, number]> = [
  [0.1, 0.01, 0.9],
  [0.1, 0.05, 0.9],
  [0.2, 0.05, 0.9],
  [0.2, 0.1, 0.8],
  [0.3, 0.05, 0.95],
  [0.3, 0.1, 0.9],
  [0.5, 0.1, 0.8],
  [0.5, 0.05, 0.95],
];

/** Additive damped-trend exponential smoothing (ETS(A,Ad,N)), (alpha, beta, phi) from a small grid. */
export function holtDamped(y: Series, out: Float64Array): void {
  const n = y.length;
  if (n < 4) return ses(y, out);
  let best = Infinity;
  let bl = 0;
  let bb = 0;
  let bphi = 0.9;
  const b0 = (y[Math.min(n - 1, 3)]! - y[0]!) / Math.min(n - 1, 3);
  for (const [alpha, beta, phi] of HOLT_GRID) {
    let l = y[0]!;
    let b = b0;
    let sse = 0;
    for (let t = 1; t < n; t++) {
      const f = l + phi * b;
      const e = y[t]! - f;
      sse += e * e;
      const lNew = f + alpha * e;
      b = phi * b + alpha * beta * e;
      l = lNew;
    }
    if (sse < best - 1e-12) {
      best = sse;
      bl = l;
      bb = b;
      bphi = phi;
    }
  }
  let damp = 0;
  let pw = 1;
  for (let i = 0; i < out.length; i++) {
    pw *= bphi;
    damp += pw;
    out[i] = bl + damp * bb;
  }
}

const HW_GRID: ReadonlyArray<readonly [number, number]> = [
  [0.05, 0.05],
  [0.1, 0.1],
  [0.2, 0.1],
  [0.1, 0.3],
  [0.3, 0.2],
];

/**
 * Additive seasonal exponential smoothing without trend (ETS(A,N,A)), for series at least two seasons long: level
 * starts at the first season's mean, the seasonal indices at its deviations from it. (alpha, gamma) from a grid.
 */
export function holtWinters(y: Series, m: number, out: Float64Array): void {
  const n = y.length;
  if (n < 2 * m) return ses(y, out);
  let mean0 = 0;
  for (let i = 0; i < m; i++) mean0 += y[i]!;
  mean0 /= m;
  const s = new Float64Array(m);
  const bestS = new Float64Array(m);
  let best = Infinity;
  let bestL = 0;
  for (const [alpha, gamma] of HW_GRID) {
    for (let i = 0; i < m; i++) s[i] = y[i]! - mean0;
    let l = mean0;
    let sse = 0;
    for (let t = m; t < n; t++) {
      const k = t % m;
      const e = y[t]! - l - s[k]!;
      sse += e * e;
      const lNew = l + alpha * e;
      s[k] = s[k]! + gamma * (1 - alpha) * e;
      l = lNew;
    }
    if (sse < best - 1e-12) {
      best = sse;
      bestL = l;
      bestS.set(s);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = bestL + bestS[(n + i) % m]!;
}

/**
 * The Theta method (Assimakopoulos & Nikolopoulos; as SES with drift, Hyndman & Billah): SES on the series plus half
 * the slope of its least-squares line. Forecasts below 0 are cut to 0 by the engine, not here.
 */
export function theta(y: Series, out: Float64Array): void {
  const n = y.length;
  if (n < 3) return ses(y, out);
  const { level, alpha } = sesFit(y);
  const tm = (n - 1) / 2;
  let ym = 0;
  for (let t = 0; t < n; t++) ym += y[t]!;
  ym /= n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tm) * (y[t]! - ym);
    sxx += (t - tm) * (t - tm);
  }
  const b = sxy / sxx;
  const base = (1 - Math.pow(1 - alpha, n)) / alpha;
  for (let i = 0; i < out.length; i++) out[i] = level + (b / 2) * (i + base);
}

/** Mean interval between non-zero demands (average demand interval, ADI); Infinity when there is no demand. */
export function demandInterval(y: Series): number {
  let nz = 0;
  for (let t = 0; t < y.length; t++) if (y[t]! > 0) nz++;
  return nz ? y.length / nz : Infinity;
}

/** SES on the series summed in non-overlapping buckets of `k` periods (aligned to the end), per period. */
function aggregatedSes(y: Series, k: number): number {
  const buckets = Math.floor(y.length / k);
  if (buckets < 2) {
    let s = 0;
    for (let t = 0; t < y.length; t++) s += y[t]!;
    return y.length ? s / y.length : 0;
  }
  const agg = new Float64Array(buckets);
  const start = y.length - buckets * k;
  for (let b = 0; b < buckets; b++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += y[start + b * k + j]!;
    agg[b] = s;
  }
  return sesFit(agg).level / k;
}

/**
 * ADIDA (Nikolopoulos et al.): aggregate into buckets as long as the mean demand interval, forecast the buckets with
 * SES, spread the forecast evenly over the periods.
 */
export function adida(y: Series, out: Float64Array): void {
  const adi = demandInterval(y);
  if (!Number.isFinite(adi)) return void out.fill(0);
  out.fill(aggregatedSes(y, Math.max(1, Math.round(adi))));
}

/** IMAPA (Petropoulos & Kourentzes): the mean of the aggregated SES forecasts over levels 1 … max(2, ADI). */
export function imapa(y: Series, out: Float64Array): void {
  const adi = demandInterval(y);
  if (!Number.isFinite(adi)) return void out.fill(0);
  const top = Math.max(2, Math.min(12, Math.round(adi)));
  let s = 0;
  for (let k = 1; k <= top; k++) s += aggregatedSes(y, k);
  out.fill(s / top);
}
