import type { SeasonalRow } from "./forecast.repository.js";

/**
 * The seasonal calendar as a lookup: a part type's factor in a province and month. A province's own row wins over
 * 'all'; among rows of one place, a manual row (the platform team's) wins over a learned one. The '*' rows (every
 * part type: the Spring Festival) multiply a part type's own factor, except a learned one (learned from demand that
 * already went through those months).
 */
export class SeasonalCalendar {
  private readonly byKey = new Map<string, SeasonalRow>();

  constructor(rows: readonly SeasonalRow[]) {
    for (const r of rows) this.byKey.set(`${r.partType}|${r.provinceCode}|${r.month}|${r.source}`, r);
  }

  private pick(partType: string, province: string, month: number): SeasonalRow | null {
    for (const place of [province, "all"])
      for (const source of ["manual", "learned"]) {
        const r = this.byKey.get(`${partType}|${place}|${month}|${source}`);
        if (r) return r;
      }
    return null;
  }

  /** The factor and the row that says why (the part type's own when there is one). */
  at(partType: string, province: string, month: number): { factor: number; row: SeasonalRow | null } {
    const own = this.pick(partType, province, month);
    const all = own?.source === "learned" ? null : this.pick("*", province, month);
    return { factor: (own?.factor ?? 1) * (all?.factor ?? 1), row: own ?? all };
  }
}
