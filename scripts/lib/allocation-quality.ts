/**
 * Allocation quality against an exact optimum. Scenarios are built over real district centroids
 * (data/regions, GCJ-02): a shop in one district of a city, warehouses in that city's districts, stock and
 * prices drawn from a seed, a line quantity. The allocator (api/src/modules/orders/allocator.ts) answers each; the
 * same landed-cost objective — goods + one parcel (fixed + per km) per warehouse used — is solved exactly as a MIP by
 * HiGHS (npm `highs`). Reported: the ratio of total costs, the worst scenario, splits and parcel kilometres.
 */
import * as highsModule from "highs";
import { allocateLine, cost, shipmentFen, type Candidate } from "../../api/src/modules/orders/allocator.js";
import { distanceMetres } from "../../api/src/shared/geo.js";
import { rng } from "./catalog-generator.js";
import { districts, type District } from "./regions.js";

// `highs` is CommonJS whose types declare an ES default export: the loader is the namespace's `default`.
type Loader = () => Promise<{
  solve(
    lp: string,
    options?: { output_flag?: boolean },
  ): { Status: string; ObjectiveValue: number; Columns: Record<string, unknown> };
}>;
const loadHighs = (highsModule as unknown as { default: Loader }).default;

export interface QualityReport {
  scenarios: number;
  allocatorCostFen: number;
  optimalCostFen: number;
  ratio: number;
  worstRatio: number;
  allocatorSplits: number;
  optimalSplits: number;
  allocatorKm: number;
  optimalKm: number;
}

export async function allocationQuality(opts: { scenarios: number; seed: number }): Promise<QualityReport> {
  const highs = await loadHighs();
  const r = rng(opts.seed);
  const byCity = new Map<string, District[]>();
  for (const d of districts()) byCity.set(d.city, [...(byCity.get(d.city) ?? []), d]);
  const cities = [...byCity.values()].filter((ds) => ds.length >= 5);
  const report: QualityReport = {
    scenarios: 0,
    allocatorCostFen: 0,
    optimalCostFen: 0,
    ratio: 1,
    worstRatio: 1,
    allocatorSplits: 0,
    optimalSplits: 0,
    allocatorKm: 0,
    optimalKm: 0,
  };
  const jitter = () => (r() - 0.5) * 0.02;
  while (report.scenarios < opts.scenarios) {
    const city = cities[Math.floor(r() * cities.length)]!;
    const home = city[Math.floor(r() * city.length)]!;
    const shop = { lng: home.lng + jitter(), lat: home.lat + jitter() };
    const base = 2000 + Math.floor(r() * 50_000);
    const n = 4 + Math.floor(r() * 9);
    const candidates: Candidate[] = Array.from({ length: n }, (_, i) => {
      const d = city[Math.floor(r() * city.length)]!;
      const at = { lng: d.lng + jitter(), lat: d.lat + jitter() };
      return {
        locationId: `w${i}`,
        sellerId: `s${i}`,
        skuId: 1,
        available: Math.floor(r() * 30),
        priceFen: Math.round(base * (0.85 + r() * 0.3)),
        distanceM: Math.round(distanceMetres(shop, at)),
        prepMinutes: 20 + Math.floor(r() * 40),
      };
    });
    const total = candidates.reduce((s, c) => s + c.available, 0);
    if (total === 0) continue;
    const quantity = 1 + Math.floor(r() * Math.min(total, 40));
    const ours = allocateLine(quantity, candidates, false);
    const usable = candidates.filter((c) => c.available > 0);
    const lp = [
      "Minimize",
      ` obj: ${usable.map((c, i) => `${c.priceFen} x${i} + ${shipmentFen(c.distanceM)} y${i}`).join(" + ")}`,
      "Subject To",
      ` demand: ${usable.map((_, i) => `x${i}`).join(" + ")} = ${quantity}`,
      ...usable.map((c, i) => ` cap${i}: x${i} - ${c.available} y${i} <= 0`),
      "Bounds",
      ...usable.flatMap((c, i) => [` 0 <= x${i} <= ${c.available}`, ` 0 <= y${i} <= 1`]),
      "Generals",
      ` ${usable.flatMap((_, i) => [`x${i}`, `y${i}`]).join(" ")}`,
      "End",
    ].join("\n");
    const sol = highs.solve(lp, { output_flag: false });
    if (sol.Status !== "Optimal")
      throw new Error(`HiGHS: ${sol.Status} on scenario ${report.scenarios} (seed ${opts.seed})`);
    const optimal = Math.round(sol.ObjectiveValue);
    const mine = cost(ours);
    const used = usable.filter((_, i) => ((sol.Columns[`x${i}`] as { Primal: number }).Primal ?? 0) > 0.5);
    report.scenarios++;
    report.allocatorCostFen += mine;
    report.optimalCostFen += optimal;
    report.worstRatio = Math.max(report.worstRatio, mine / optimal);
    report.allocatorSplits += ours.length - 1;
    report.optimalSplits += used.length - 1;
    report.allocatorKm += ours.reduce((s, a) => s + a.candidate.distanceM, 0) / 1000;
    report.optimalKm += used.reduce((s, c) => s + c.distanceM, 0) / 1000;
  }
  report.ratio = Number((report.allocatorCostFen / report.optimalCostFen).toFixed(4));
  report.worstRatio = Number(report.worstRatio.toFixed(4));
  report.allocatorKm = Math.round(report.allocatorKm);
  report.optimalKm = Math.round(report.optimalKm);
  return report;
}
