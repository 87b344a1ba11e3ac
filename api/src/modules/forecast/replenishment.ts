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

/** Above this size (units in one period) the compound distribution's convolution is not worth its time. */
const COMPOUND_MAX_SIZE = 500;

/**
 * The engine's policy for the stock decision (DECISIONS 93): demand per period is compound — an order comes or not
 * (probability p = the forecast's mean / the mean order size, at most 1), and when it comes its size is one the
 * history shows (the empirical sizes, scaled up when the forecast's mean exceeds the mean size). Lumpy part demand
 * (pairs of pads, a garage's box of ten filters) is far from Poisson: a count distribution fitted to the mean says
 * "1 or 2", the history says "0 or 6". S = the least stock whose expected shortage over lead time + review
 * (`protectionPeriods`) is at most (1 − fillRate) × the review period's forecast demand. Bounded by construction (at
 * most protectionPeriods × the largest size), so no cap is needed. Falls back to the count distribution when the
 * history has no sale, or a size above COMPOUND_MAX_SIZE.
 */
export function compoundOrderUpTo(
  fillRate: number,
  protectionPeriods: number,
  opts: Omit<ForecastOptions, "horizon" | "quantiles"> = { seasonPeriod: 12 },
  reviewPeriods = 1,
): OrderUpTo {
  return (history) => {
    const result = forecast(history, { ...opts, horizon: protectionPeriods });
    const sizes = history.filter((v) => v > 0);
    if (sizes.length === 0) return 0;
    const level = compoundFillRateLevel(sizes, result.mean.slice(0, protectionPeriods), reviewPeriods, fillRate);
    return level ?? fillRateLevel(result, protectionPeriods, reviewPeriods, fillRate);
  };
}

/**
 * The least S with E[(D − S)+] ≤ (1 − fillRate) × the first `reviewPeriods` means, D the sum over `means.length`
 * periods of independent compound demands (0, or a size drawn from `sizes`). Null when a size exceeds
 * COMPOUND_MAX_SIZE (the caller uses a parametric level). Exact over the integer support.
 */
export function compoundFillRateLevel(
  sizes: readonly number[],
  means: ArrayLike<number>,
  reviewPeriods: number,
  fillRate: number,
): number | null {
  const zMean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  let dist = new Float64Array([1]);
  let review = 0;
  for (let t = 0; t < means.length; t++) {
    const mu = Math.max(0, means[t]!);
    if (t < reviewPeriods) review += mu;
    const scale = Math.max(1, mu / zMean);
    const p = Math.min(1, mu / zMean);
    const zs = sizes.map((z) => Math.round(z * scale));
    const zMax = Math.max(...zs);
    if (zMax > COMPOUND_MAX_SIZE) return null;
    const step = new Float64Array(zMax + 1);
    step[0] = 1 - p;
    for (const z of zs) step[z]! += p / zs.length;
    const next = new Float64Array(dist.length + zMax);
    for (let i = 0; i < dist.length; i++) {
      const pi = dist[i]!;
      if (pi === 0) continue;
      for (let z = 0; z <= zMax; z++) if (step[z]) next[i + z]! += pi * step[z]!;
    }
    dist = next;
  }
  const allowed = (1 - fillRate) * review + 1e-12;
  // E[(D − S)+] for S = 0, 1, …: starts at E[D] and falls by P(D > S) with each unit.
  let short = 0;
  for (let d = 0; d < dist.length; d++) short += d * dist[d]!;
  let above = 1 - dist[0]!;
  for (let S = 0; S < dist.length; S++) {
    if (short <= allowed) return S;
    short -= above;
    above -= dist[S + 1] ?? 0;
  }
  return dist.length - 1;
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
