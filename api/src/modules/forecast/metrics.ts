/**
 * Accuracy measures as the Chronos Benchmark II computes them (GluonTS): MASE scaled by the in-sample mean absolute
 * error of the seasonal naive forecast, and the weighted quantile loss summed over series and horizon.
 */

/**
 * The MASE scale: mean |y[t] − y[t−m]| over the history (GluonTS `seasonal_error`: lag 1 when the history is not
 * longer than a season). 0 for a history that never changes at that lag; NaN for fewer than two values.
 */
export function seasonalScale(y: ArrayLike<number>, m: number): number {
  const n = y.length;
  const lag = m < n ? m : 1;
  if (n <= lag) return NaN;
  let s = 0;
  for (let t = lag; t < n; t++) s += Math.abs(y[t]! - y[t - lag]!);
  return s / (n - lag);
}

/** Mean absolute error of `forecast` against `actual` (same length). */
export function meanAbsoluteError(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - forecast[i]!);
  return s / actual.length;
}

/** MASE of one forecast: its mean absolute error over `scale` (Infinity or NaN when the scale is 0). */
export function mase(actual: ArrayLike<number>, forecast: ArrayLike<number>, scale: number): number {
  return meanAbsoluteError(actual, forecast) / scale;
}

/** Pinball (quantile) loss of forecast quantile `f` at level `q` for outcome `y`. */
export function pinball(y: number, f: number, q: number): number {
  return y >= f ? q * (y - f) : (1 - q) * (f - y);
}

/**
 * Accumulates the weighted quantile loss over many series: WQL = mean over levels of 2 Σ pinball / Σ |y|
 * (GluonTS `MeanWeightedSumQuantileLoss`).
 */
export class WqlAccumulator {
  private readonly loss: Float64Array;
  private absSum = 0;
  constructor(private readonly levels: readonly number[]) {
    this.loss = new Float64Array(levels.length);
  }
  /** Adds one series: `quantiles[j][i]` is level j's forecast for step i. */
  add(actual: ArrayLike<number>, quantiles: ReadonlyArray<ArrayLike<number>>): void {
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i]!;
      this.absSum += Math.abs(y);
      for (let j = 0; j < this.levels.length; j++)
        this.loss[j] = this.loss[j]! + pinball(y, quantiles[j]![i]!, this.levels[j]!);
    }
  }
  value(): number {
    let s = 0;
    for (let j = 0; j < this.levels.length; j++) s += (2 * this.loss[j]!) / this.absSum;
    return s / this.levels.length;
  }
}
