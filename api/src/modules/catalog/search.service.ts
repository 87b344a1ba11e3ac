import { AppError, type Sql } from "../../../../ledger-service/src/index.js";
import { catalogRepository as repo } from "./catalog.repository.js";
import { partTypes } from "./data/categories.js";
import { MAKES } from "./data/vehicles.js";
import { editDistance, reversed } from "./numbers.js";
import { QueryParser, type ParsedQuery } from "./query-parser.js";
import { termsOf, tsquery } from "./terms.js";
import { decodeVin, type DecodedVin } from "./vin.js";

export interface SearchInput {
  q?: string | undefined;
  vin?: string | undefined;
  category?: string | undefined;
  brand?: string | undefined;
  kind?: "oe" | "aftermarket" | "reman" | "used" | undefined;
  limit: number;
}

type Vehicle = Awaited<ReturnType<typeof repo.vehicles>>[number];

/** Candidates considered per search (then filtered, faceted and ranked). */
const CANDIDATES = 500;
const TYPES = partTypes();

/**
 * One-box search: part numbers in any formatting (exact, then one character off), Chinese part names with synonyms
 * and colloquial names, vehicle + part ("帕萨特 前大灯", "卡罗拉 2019 机油滤"), a VIN narrowing to what fits, and
 * text for the rest; with category, brand and kind filters and facets. Every search is logged.
 */
export class SearchService {
  private vehicles: Vehicle[] = [];
  private parser = new QueryParser({ series: new Map(), makes: [] });
  private loadedAt = 0;

  constructor(private readonly db: Sql) {}

  /** Re-reads vehicles (after a fitment import; otherwise at most once a minute). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private async ready(): Promise<void> {
    if (Date.now() - this.loadedAt < 60_000) return;
    this.vehicles = await repo.vehicles(this.db);
    const series = new Map<string, string[]>();
    for (const m of MAKES) for (const s of m.series) series.set(s.series, s.aliases ?? []);
    for (const v of this.vehicles) if (!series.has(v.series)) series.set(v.series, []);
    this.parser = new QueryParser({
      series,
      makes: [...new Set([...MAKES.map((m) => m.make), ...this.vehicles.map((v) => v.make)])],
    });
    this.loadedAt = Date.now();
  }

  async decodeVin(vin: string): Promise<DecodedVin> {
    await this.ready();
    return decodeVin(vin, this.vehicles);
  }

  async search(input: SearchInput, who: { companyId: string | null; regionCode: string | null }) {
    const started = performance.now();
    const q = (input.q ?? "").trim();
    if (!q && !input.vin)
      throw new AppError("SEARCH.EMPTY_QUERY", "q: type a part number, a part name, a vehicle, or give a vin", 400, {
        field: "q",
      });
    if (q.length > 200)
      throw new AppError("SEARCH.QUERY_TOO_LONG", `q: at most 200 characters, got ${q.length}`, 400, { field: "q" });
    await this.ready();
    const parsed: ParsedQuery = this.parser.parse(q);
    const vin = input.vin ? decodeVin(input.vin, this.vehicles) : null;
    const scores = new Map<number, number>();
    const add = (ids: number[], score: number) =>
      ids.forEach((id, i) => scores.set(id, Math.max(scores.get(id) ?? 0, score - i * 1e-6)));

    // 1. Numbers: exact (OE and brand numbers first), else one character off.
    if (parsed.numbers.length) {
      let exact = await repo.byNumbers(this.db, parsed.numbers);
      if (exact.length === 0 && parsed.numberParts.length) exact = await repo.byNumbers(this.db, parsed.numberParts);
      add(
        exact.filter((h) => h.kind !== "competitor").map((h) => h.skuId),
        100,
      );
      add(
        exact.filter((h) => h.kind === "competitor").map((h) => h.skuId),
        95,
      );
      if (exact.length === 0) {
        for (const n of parsed.numbers) {
          const half = Math.max(3, Math.floor(n.length / 2));
          const near = [
            ...(await repo.numbersLike(this.db, n.slice(0, half), false)),
            ...(await repo.numbersLike(this.db, reversed(n).slice(0, half), true)),
          ];
          add(
            near.filter((h) => editDistance(h.norm, n, 1) <= 1).map((h) => h.skuId),
            80,
          );
        }
      }
    }
    // 2. Vehicle (+ part type): what fits.
    const vehicleIds = this.vehicleIds(parsed, vin);
    if (vehicleIds !== null && (parsed.partType || scores.size === 0)) {
      if (vehicleIds.length)
        add(
          await repo.fitting(this.db, vehicleIds, parsed.partType, parsed.position, CANDIDATES),
          parsed.partType ? 70 : 50,
        );
    } else if (parsed.partType && scores.size === 0) {
      add(await repo.ofType(this.db, parsed.partType, parsed.position, input.brand ?? parsed.brand, CANDIDATES), 40);
    }
    // 3. Text for the rest (all terms, then any).
    if (scores.size === 0 && vehicleIds === null) {
      const terms = termsOf(
        [parsed.words, parsed.partType ? TYPES.find((t) => t.id === parsed.partType)!.name : ""].join(" "),
      );
      if (terms.length) {
        add(await repo.text(this.db, tsquery(terms, "&"), CANDIDATES), 30);
        if (scores.size === 0 && terms.length > 1) add(await repo.text(this.db, tsquery(terms, "|"), CANDIDATES), 20);
      }
    }

    // Filters, facets and ranking over the candidates.
    const meta = await repo.kinds(this.db, [...scores.keys()]);
    const brand = input.brand ?? parsed.brand;
    const types = input.category ? this.typesUnder(input.category) : null;
    const kept = meta.filter(
      (m) =>
        (!brand || m.brand === brand) && (!input.kind || m.kind === input.kind) && (!types || types.has(m.partType)),
    );
    const facets = {
      partType: count(kept.map((m) => m.partType)),
      brand: count(kept.map((m) => m.brand)),
      kind: count(kept.map((m) => m.kind)),
    };
    kept.sort((a, b) => scores.get(b.id)! - scores.get(a.id)! || rankKind(a.kind) - rankKind(b.kind) || a.id - b.id);
    const top = kept.slice(0, input.limit);
    const [rows, fits] = await Promise.all([
      repo.skus(
        this.db,
        top.map((t) => t.id),
      ),
      repo.fitmentSummary(
        this.db,
        top.map((t) => t.id),
      ),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const results = top.map((t) => ({
      ...byId.get(t.id)!,
      category: TYPES.find((x) => x.id === t.partType)?.path ?? [],
      fits: fits.get(t.id) ?? [],
      score: Number(scores.get(t.id)!.toFixed(3)),
    }));
    const tookMs = performance.now() - started;
    const filters = {
      category: input.category ?? null,
      brand: input.brand ?? null,
      kind: input.kind ?? null,
      vin: vin ? vin.wmi + "…" : null,
    };
    await repo.logSearch(this.db, {
      companyId: who.companyId,
      regionCode: who.regionCode,
      query: q || `vin:${vin!.wmi}`,
      filters,
      resultCount: kept.length,
      tookMs,
    });
    return {
      query: q,
      understood: {
        numbers: parsed.numbers,
        series: parsed.series,
        makes: parsed.makes,
        year: parsed.year ?? vin?.modelYear ?? null,
        partType: parsed.partType,
        position: parsed.position,
        brand: parsed.brand,
        words: parsed.words,
        corrected: parsed.corrected,
      },
      ...(vin ? { vin } : {}),
      total: kept.length,
      results,
      facets,
    };
  }

  /** Vehicles the query names (series/make, year) or the VIN decodes to; null when it names none. */
  private vehicleIds(p: ParsedQuery, vin: DecodedVin | null): string[] | null {
    if (!p.series.length && !p.makes.length && !vin) return null;
    const year = p.year ?? vin?.modelYear ?? null;
    return this.vehicles
      .filter((v) => (p.series.length ? p.series.includes(v.series) : p.makes.length ? p.makes.includes(v.make) : true))
      .filter((v) => !vin || !vin.makers.length || vin.makers.includes(v.maker))
      .filter((v) => year === null || (v.yearFrom <= year && year <= v.yearTo))
      .map((v) => v.id);
  }

  private typesUnder(category: string): Set<string> {
    const ids = TYPES.filter((t) => t.categoryIds.includes(category)).map((t) => t.id);
    if (ids.length === 0)
      throw new AppError(
        "SEARCH.UNKNOWN_CATEGORY",
        `category ${category} is not in the category tree (GET /api/v1/catalog/categories)`,
        400,
        { field: "category" },
      );
    return new Set(ids);
  }
}

const rankKind = (k: string) => (k === "oe" ? 0 : k === "aftermarket" ? 1 : 2);

function count(values: string[]): Array<{ value: string; count: number }> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m]
    .map(([value, n]) => ({ value, count: n }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 20);
}
