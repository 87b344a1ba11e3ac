/** The standard normal distribution, as replenishment needs it (quantile, density, loss). */

/** Φ⁻¹(p): the one implementation, beside the count distributions. */
export { normalQuantile } from "./distribution.js";

const pdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** Φ(z) (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
function cdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = pdf(z) * poly;
  return z >= 0 ? 1 - upper : upper;
}

/** E[(D − x)⁺] for D ~ N(mu, sigma²): the units short when `x` are on hand. */
export function expectedShortage(mu: number, sigma: number, x: number): number {
  if (sigma <= 0) return Math.max(0, mu - x);
  const z = (x - mu) / sigma;
  return sigma * (pdf(z) - z * (1 - cdf(z)));
}
