/**
 * Periodic-review replenishment, order-up-to: at each review the stock position is raised to a level S (what is
 * ordered arrives after the lead time). `simulateReplenishment` replays one part's real demand under a policy that
 * sets S from the history seen so far; unmet demand is lost (an urgent order goes elsewhere). Pure.
 */
import { fillRateLevel, forecast, type ForecastOptions } from "./forecast.engine.js";

/** S from the demand history seen so far (oldest first), at one review. */
export type OrderUpTo = (history: readonly number[]) => number;

/**
 * The engine's policy: S = the stock that leaves an expected (1 − fillRate) of a review period's forecast demand
 * unserved over lead time + review period (`protectionPeriods`), under the forecast's distribution — but never more
 * than `capFactor` × the largest demand the history shows over that many periods (a heavy-tailed distribution fitted
 * to a few sales would otherwise stock a slow mover for years).
 */
export function forecastOrderUpTo(
  fillRate: number,
  protectionPeriods: number,
  opts: Omit<ForecastOptions, "horizon" | "quantiles"> = { seasonPeriod: 12 },
  reviewPeriods = 1,
  capFactor = 1,
): OrderUpTo {
  return (history) =>
    Math.min(
      fillRateLevel(
        forecast(history, { ...opts, horizon: protectionPeriods }),
        protectionPeriods,
        reviewPeriods,
        fillRate,
      ),
      Math.ceil(maxWindowDemand(history, protectionPeriods) * capFactor),
    );
}

/** The largest total demand of any `window` consecutive periods of the history. */
export function maxWindowDemand(history: readonly number[], window: number): number {
  let best = 0;
  let sum = 0;
  for (let t = 0; t < history.length; t++) {
    sum += history[t]!;
    if (t >= window) sum -= history[t - window]!;
    if (sum > best) best = sum;
  }
  return best;
}

/** The rule of thumb: S = `factor` × the mean of the last 3 periods, rounded up to whole units. */
export function recentAverageOrderUpTo(factor = 1, window = 3): OrderUpTo {
  return (history) => {
    const last = history.slice(-window);
    const avg = last.length ? last.reduce((a, b) => a + b, 0) / last.length : 0;
    return Math.ceil(factor * avg - 1e-9);
  };
}

export interface ReplenishmentOutcome {
  demand: number;
  sold: number;
  /** Sum over periods of the mean stock on hand in the period (start after receipt, end). */
  stockPeriods: number;
  /** Sum over periods of the stock at the period's end, and of the part of it with no demand in the last 3 periods. */
  endStock: number;
  slowEndStock: number;
  periods: number;
}

/**
 * Replays `future` demand period by period: receive what was ordered `leadTime` periods ago, review (order up to
 * S computed from `past` plus the future periods already seen), then serve the period's demand from stock.
 * The first period starts with S on hand.
 */
export function simulateReplenishment(
  past: readonly number[],
  future: readonly number[],
  policy: OrderUpTo,
  leadTime = 1,
): ReplenishmentOutcome {
  const seen = [...past];
  const pipeline = new Array<number>(leadTime + 1).fill(0);
  let onHand = policy(seen);
  const o: ReplenishmentOutcome = { demand: 0, sold: 0, stockPeriods: 0, endStock: 0, slowEndStock: 0, periods: 0 };
  for (let t = 0; t < future.length; t++) {
    onHand += pipeline.shift()!;
    pipeline.push(0);
    const position = onHand + pipeline.reduce((a, b) => a + b, 0);
    const target = t === 0 ? onHand : policy(seen);
    if (target > position) pipeline[leadTime - 1] = pipeline[leadTime - 1]! + (target - position);
    const d = future[t]!;
    const sold = Math.min(d, onHand);
    const start = onHand;
    onHand -= sold;
    seen.push(d);
    o.demand += d;
    o.sold += sold;
    o.stockPeriods += (start + onHand) / 2;
    o.endStock += onHand;
    const recent = seen.slice(-3);
    if (recent.every((v) => v === 0)) o.slowEndStock += onHand;
    o.periods++;
  }
  return o;
}
