import { forecast, totalDemandQuantile, type ForecastResult } from "./forecast.engine.js";

/**
 * The one door from the data and replenishment side to the forecasting engine (forecast.engine.ts): the services
 * call `fitSeries`, never the engine directly, so the engine's signature can change in one place.
 */
export interface EngineOptions {
  horizon: number;
  seasonPeriod: number;
  quantiles: readonly number[];
}

export interface EngineResult {
  model: string;
  mean: number[];
  /** Keyed by the level as written by `String(q)` ("0.1", "0.95"); non-decreasing in the level. */
  quantiles: Record<string, number[]>;
  /** Cross-validated MASE of the chosen model; null when the history was too short to cross-validate. */
  cvMase: number | null;
  /** The predictive distribution, kept with the forecast so that demand over several periods can be summed. */
  distribution: ForecastResult["distribution"];
}

/**
 * Fits each history (oldest first, one value per period) and forecasts `horizon` periods ahead. Runs in this thread in
 * chunks of `chunk` series, yielding to the event loop between them so that requests are still answered during a
 * scheduled refit of many series.
 */
export async function fitSeries(
  histories: ReadonlyArray<readonly number[]>,
  opts: EngineOptions,
  chunk = 100,
): Promise<EngineResult[]> {
  const out: EngineResult[] = [];
  for (let i = 0; i < histories.length; i += chunk) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    for (const h of histories.slice(i, i + chunk)) {
      const r = forecast(h, { horizon: opts.horizon, seasonPeriod: opts.seasonPeriod, quantiles: opts.quantiles });
      out.push({
        model: r.model,
        mean: r.mean,
        quantiles: r.quantiles,
        cvMase: Number.isFinite(r.cvMase) ? r.cvMase : null,
        distribution: r.distribution,
      });
    }
  }
  return out;
}

/**
 * The `level` quantile of total demand over the first `steps` periods of a stored forecast, by the engine's own
 * distribution (a count distribution summed exactly); null when the forecast was stored without one.
 */
export function totalQuantile(
  f: { mean: readonly number[]; distribution: ForecastResult["distribution"] | null },
  steps: number,
  level: number,
): number | null {
  if (!f.distribution) return null;
  return totalDemandQuantile({ mean: [...f.mean], distribution: f.distribution } as ForecastResult, steps, level);
}
