/**
 * Predictive distributions behind the forecast quantiles. Counts (unit sales) use a negative binomial with the
 * forecast as its mean and variance = dispersion × mean (NB1; Poisson when the dispersion is 1): its quantiles are
 * whole units and never negative, and a slow mover's median is 0 when most months sell nothing. Other series use
 * the forecast plus empirical quantiles of the cross-validation errors, cut at 0.
 */

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Quantiles (levels sorted ascending in `levels`) of the count distribution with mean `mean` and variance
 * `dispersion × mean`, written to `out`. Exact by summing the probability mass function; a normal approximation
 * (rounded, cut at 0) once the mean is so large that the sum would be long or underflow.
 */
export function countQuantiles(mean: number, dispersion: number, levels: ArrayLike<number>, out: Float64Array): void {
  const k = levels.length;
  if (!(mean > 1e-9)) return void out.fill(0, 0, k);
  const disp = Math.max(1, dispersion);
  const poisson = disp < 1 + 1e-6;
  const r = poisson ? Infinity : mean / (disp - 1);
  const p = 1 / disp;
  const logP0 = poisson ? -mean : r * Math.log(p);
  if (mean > 400 || logP0 < -600) {
    const sd = Math.sqrt(disp * mean);
    for (let j = 0; j < k; j++) out[j] = Math.max(0, Math.round(mean + sd * normalQuantile(levels[j]!)));
    return;
  }
  let pmf = Math.exp(logP0);
  let cdf = pmf;
  let x = 0;
  const cap = Math.ceil(mean + 40 * Math.sqrt(disp * mean) + 50);
  for (let j = 0; j < k; j++) {
    const target = levels[j]! - 1e-12;
    while (cdf < target && x < cap) {
      pmf *= poisson ? mean / (x + 1) : ((x + r) / (x + 1)) * (1 - p);
      x++;
      cdf += pmf;
    }
    out[j] = x;
  }
}

/** The `p` quantile of the sorted sample `sorted` (linear interpolation, type 7). */
export function sampleQuantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return 0;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * The smallest whole stock level S whose expected shortage E[(D − S)⁺] is at most `allowed`, for D the count
 * distribution with mean `mean` and variance `dispersion × mean` (the fill-rate, or β, service criterion).
 */
export function countLevelForShortage(mean: number, dispersion: number, allowed: number): number {
  if (!(mean > 1e-9)) return 0;
  const disp = Math.max(1, dispersion);
  const poisson = disp < 1 + 1e-6;
  const r = poisson ? Infinity : mean / (disp - 1);
  const p = 1 / disp;
  const logP0 = poisson ? -mean : r * Math.log(p);
  if (mean > 400 || logP0 < -600) {
    // Normal approximation: search S on the normal loss function.
    const sd = Math.sqrt(disp * mean);
    let s = Math.floor(mean);
    const loss = (x: number) => {
      const z = (x - mean) / sd;
      const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      return sd * (pdf - z * (1 - normalCdf(z)));
    };
    while (loss(s) > allowed) s++;
    return s;
  }
  // E[(D − S)⁺] = mean − Σ_{k<S} P(D > k).
  let pmf = Math.exp(logP0);
  let cdf = pmf;
  let shortage = mean;
  let s = 0;
  const cap = Math.ceil(mean + 60 * Math.sqrt(disp * mean) + 100);
  while (shortage > allowed && s < cap) {
    shortage -= 1 - cdf;
    s++;
    pmf *= poisson ? mean / s : ((s - 1 + r) / s) * (1 - p);
    cdf += pmf;
  }
  return s;
}

/** Standard normal distribution function (Abramowitz-Stegun 7.1.26 via erf, error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
