import { AppError, type Sql } from "../../../../ledger-service/src/index.js";
import { catalogRepository as repo } from "./catalog.repository.js";
import { vocabularyRepository } from "./vocabulary.repository.js";
import { partTypes } from "./data/categories.js";
import { MAKES } from "./data/vehicles.js";
import { swapDistance } from "./numbers.js";
import { QueryParser, type ParsedQuery } from "./query-parser.js";
import { fold } from "./terms.js";
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
  private qualifiersOf = new Map<string, Set<string>>();
  private parser = new QueryParser({ series: new Map(), makes: [] });
  private loadedAt = 0;
  /** Counts invalidations: a read that began before one is stale when it ends. */
  private generation = 0;

  constructor(private readonly db: Sql) {}

  /** Re-reads the vocabulary: vehicles, brands, synonyms (after an import or an edit; otherwise at most once a minute). */
  invalidate(): void {
    this.generation++;
    this.loadedAt = 0;
  }

  private async ready(): Promise<void> {
    if (Date.now() - this.loadedAt < 60_000) return;
    const generation = this.generation;
    const [vehicles, brands, synonyms] = await Promise.all([
      repo.vehicles(this.db),
      vocabularyRepository.brands(this.db),
      vocabularyRepository.synonyms(this.db),
    ]);
    // Invalidated while reading (an edit committed after this read began): what was read may miss it — read again,
    // rather than mark the old words fresh for a minute.
    if (generation !== this.generation) return this.ready();
    this.vehicles = vehicles;
    this.qualifiersOf = new Map(vehicles.map((v) => [v.id, qualifierWords(v)]));
    const series = new Map<string, string[]>();
    for (const m of MAKES) for (const s of m.series) series.set(s.series, s.aliases ?? []);
    for (const v of this.vehicles) if (!series.has(v.series)) series.set(v.series, []);
    this.parser = new QueryParser({
      series,
      makes: [...new Set([...MAKES.map((m) => m.make), ...this.vehicles.map((v) => v.make)])],
      brands,
      synonyms,
      qualifiers: new Set([...this.qualifiersOf.values()].flatMap((x) => [...x])),
    });
    this.loadedAt = Date.now();
  }

  /** The parser in use (for "did you mean" and tests). */
  async understand(q: string): Promise<ParsedQuery> {
    await this.ready();
    return this.parser.parse(q);
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
    const vinRaw = input.vin ?? parsed.vin;
    const vin = vinRaw ? decodeVin(vinRaw, this.vehicles) : null;
    const brand = input.brand ?? parsed.brand;
    const kind = input.kind ?? parsed.kind;
    const scores = new Map<number, number>();
    const add = (ids: number[], score: number) =>
      ids.forEach((id, i) => scores.set(id, Math.max(scores.get(id) ?? 0, score - i * 1e-6)));

    // 1. Numbers: exact (OE and brand numbers first), else one edit, else two (adjacent swaps included).
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
          // Numbers within two edits (seven characters or more; one below), nearest first: a swap of neighbours
          // counts one edit, then shared trigrams. One pass — its ranges hold the one-edit neighbours too.
          const near = await repo.numbersNear(this.db, n, n.length >= 7 ? 2 : 1, CANDIDATES);
          near
            .map((h) => ({ ...h, d: swapDistance(h.norm, n) }))
            .sort((a, b) => a.d - b.d || b.similarity - a.similarity || a.norm.localeCompare(b.norm))
            .forEach((h, i) => add([h.skuId], 80 - 5 * h.d - i * 1e-4));
        }
      }
    }
    // 2. Vehicle, part types, brand, kind and the rest of the words, together: what fits all of them.
    const vehicles = this.vehicleIds(parsed, vin);
    const terms = termsOf(parsed.words);
    const text = terms.length ? tsquery(terms, "&") : null;
    const filters = {
      partTypes: parsed.partTypes.length ? parsed.partTypes : null,
      position: parsed.position,
      brand,
      kind: kind ?? null,
      text,
    };
    if (scores.size === 0 || (parsed.partTypes.length && vehicles.ids !== null)) {
      if (vehicles.ids !== null) {
        if (vehicles.ids.length)
          add(
            await repo.candidates(this.db, { vehicleIds: vehicles.ids, ...filters }, CANDIDATES),
            parsed.partTypes.length ? 70 : 50,
          );
      } else if (parsed.partTypes.length || brand || (kind && text)) {
        add(await repo.candidates(this.db, { vehicleIds: null, ...filters }, CANDIDATES), 40);
      } else if (text) {
        // 3. Text alone: every term (a word the vocabulary does not know narrows; it is never dropped).
        add(await repo.text(this.db, text, CANDIDATES), 30);
      }
    }

    // Filters, facets and ranking over the candidates.
    const meta = await repo.kinds(this.db, [...scores.keys()]);
    const types = input.category ? this.typesUnder(input.category) : null;
    const kept = meta.filter(
      (m) => (!brand || m.brand === brand) && (!kind || m.kind === kind) && (!types || types.has(m.partType)),
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
    const logged = {
      category: input.category ?? null,
      brand: input.brand ?? null,
      kind: input.kind ?? null,
      vin: vin ? vin.wmi + "…" : null,
    };
    await repo.logSearch(this.db, {
      companyId: who.companyId,
      regionCode: who.regionCode,
      query: q || `vin:${vin!.wmi}`,
      filters: logged,
      resultCount: kept.length,
      tookMs,
      topSkuId: results[0]?.id ?? null,
    });
    return {
      query: q,
      understood: {
        numbers: parsed.numbers,
        series: parsed.series,
        makes: parsed.makes,
        year: parsed.year ?? vin?.modelYear ?? null,
        qualifiers: vehicles.qualifiers,
        ...(vehicles.ignored.length ? { ignoredQualifiers: vehicles.ignored } : {}),
        partType: parsed.partType,
        partTypes: parsed.partTypes,
        position: parsed.position,
        brand: parsed.brand,
        kind: parsed.kind,
        vin: parsed.vin,
        words: parsed.words,
        corrected: parsed.corrected,
      },
      ...(vin ? { vin } : {}),
      total: kept.length,
      results,
      facets,
      // Nothing matched: the nearest names of the vocabulary, never an unrelated list presented as a match.
      ...(kept.length === 0 ? { didYouMean: this.parser.suggest(parsed.words || q) } : {}),
    };
  }

  /**
   * Vehicles the query names (series/make, year, generation and engine words) or the VIN decodes to; null when it
   * names none. A qualifier that none of the named vehicles carries is reported as ignored, not applied.
   */
  private vehicleIds(
    p: ParsedQuery,
    vin: DecodedVin | null,
  ): { ids: string[] | null; qualifiers: string[]; ignored: string[] } {
    const engineOnly = p.qualifiers.filter((x) => /^\d\.\d[tl]$/.test(x));
    if (!p.series.length && !p.makes.length && !vin && !engineOnly.length)
      return { ids: null, qualifiers: [], ignored: p.qualifiers };
    const year = p.year ?? vin?.modelYear ?? null;
    let list = this.vehicles
      .filter((v) => (p.series.length ? p.series.includes(v.series) : p.makes.length ? p.makes.includes(v.make) : true))
      .filter((v) => !vin || !vin.makers.length || vin.makers.includes(v.maker))
      .filter((v) => year === null || (v.yearFrom <= year && year <= v.yearTo));
    const applied: string[] = [];
    const ignored: string[] = [];
    for (const qual of p.qualifiers) {
      const narrowed = list.filter((v) => this.qualifiersOf.get(v.id)?.has(qual));
      if (narrowed.length) {
        list = narrowed;
        applied.push(qual);
      } else ignored.push(qual);
    }
    return { ids: list.map((v) => v.id), qualifiers: applied, ignored };
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

/** The generation and engine words of a vehicle: its model without the series name, and its engine (folded). */
export function qualifierWords(v: { series: string; model: string; engine: string }): Set<string> {
  const model = fold(v.model).replace(fold(v.series), " ");
  const out = new Set<string>();
  for (const t of `${model} ${fold(v.engine)}`.split(/\s+/)) {
    for (const part of [
      t,
      ...t.split(/(?<=\p{Script=Han})(?=[^\p{Script=Han}])|(?<=[^\p{Script=Han}])(?=\p{Script=Han})/u),
    ]) {
      if (!part) continue;
      if (/\p{Script=Han}/u.test(part) ? [...part].length >= 2 : part.length >= 1) out.add(part);
    }
  }
  return out;
}
