import { forecast } from "./forecast.engine.js";

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
}

/** Fits each history (oldest first, one value per period) and forecasts `horizon` periods ahead. */
export function fitSeries(histories: ReadonlyArray<readonly number[]>, opts: EngineOptions): EngineResult[] {
  return histories.map((h) => {
    const r = forecast(h, { horizon: opts.horizon, seasonPeriod: opts.seasonPeriod, quantiles: opts.quantiles });
    return {
      model: r.model,
      mean: r.mean,
      quantiles: r.quantiles,
      cvMase: Number.isFinite(r.cvMase) ? r.cvMase : null,
    };
  });
}
