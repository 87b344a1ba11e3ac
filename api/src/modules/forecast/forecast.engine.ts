/**
 * The one door to the forecasting engine (branch `fc`, issue 14): everything in this module calls `fitSeries`, never
 * the engine directly, so the engine can change without touching the service.
 *
 * INTERIM: until the engine lands, a placeholder answers with the recent mean and Poisson quantiles around it (no model
 * choice, no cross-validation: `cvMase` null, `model` "interim-mean"). It is not a forecasting method — it only keeps
 * the storage, API and replenishment paths exercised.
 */
export interface EngineOptions {
  horizon: number;
  seasonPeriod: number;
  quantiles: readonly number[];
}

export interface EngineResult {
  model: string;
  mean: number[];
  /** Keyed by the level as written by `String(q)` ("0.1", "0.95"). */
  quantiles: Record<string, number[]>;
  cvMase: number | null;
}

/** Fits each history (oldest first, one value per period) and forecasts `horizon` periods ahead. */
export function fitSeries(histories: ReadonlyArray<ArrayLike<number>>, opts: EngineOptions): EngineResult[] {
  return histories.map((h) => interim(h, opts));
}

function interim(h: ArrayLike<number>, opts: EngineOptions): EngineResult {
  const n = Math.min(h.length, opts.seasonPeriod >= 12 ? 6 : 28);
  let sum = 0;
  for (let i = h.length - n; i < h.length; i++) sum += h[i]!;
  const level = n ? sum / n : 0;
  const quantiles: Record<string, number[]> = {};
  for (const q of opts.quantiles) quantiles[String(q)] = Array(opts.horizon).fill(poissonQuantile(level, q));
  return { model: "interim-mean", mean: Array(opts.horizon).fill(level), quantiles, cvMase: null };
}

function poissonQuantile(lambda: number, q: number): number {
  if (lambda <= 0) return 0;
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  while (cdf < q && k < 10_000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}
