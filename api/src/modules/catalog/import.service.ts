import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { catalogRepository as repo, type NewNumber, type NewSku } from "./catalog.repository.js";
import { importsRepository as jobs } from "./imports.repository.js";
import { vocabularyRepository } from "./vocabulary.repository.js";
import { offersRepository } from "./offers.repository.js";
import { csvRecords, FileError, jsonlRecords } from "./csv.js";
import { parseRecord } from "./import-rows.js";
import { reversed } from "./numbers.js";
import { fold } from "./terms.js";

export type ImportKind = "skus" | "crossrefs" | "fitments" | "offers";
export type ImportFormat = "csv" | "jsonl";

export const COLUMNS: Record<ImportKind, { required: string[]; optional: string[] }> = {
  skus: {
    required: ["brand", "partNo", "name", "partType", "kind"],
    optional: ["position", "material", "oeNumbers", "attributes", "images", "gtin"],
  },
  crossrefs: {
    required: ["brand", "partNo", "number", "numberKind"],
    optional: ["numberBrand", "source", "conditions"],
  },
  fitments: {
    required: ["brand", "partNo", "make", "series", "yearFrom", "yearTo"],
    optional: ["maker", "model", "engine"],
  },
  offers: { required: ["location", "brand", "partNo", "price", "stock"], optional: ["visibility"] },
};

export interface ImportReport {
  id: string;
  kind: ImportKind;
  status: "running" | "done" | "failed";
  rowsOk: number;
  rowsBad: number;
  bytesDone: number;
  totalBytes: number;
  errors: Array<{ line: number; field: string; reason: string }>;
  failure: string | null;
  /**
   * Rows naming a SKU whose brand owner is another company: accepted as that company's listing of the master (its
   * offers and stock can refer to it), the master left as it is (first 1,000 kept).
   */
  listed?: Array<{ line: number; skuId: number; reason: string }>;
  /** After a SKU import: supplier SKUs matched to master SKUs (when the importer was given a matcher). */
  matching?: { examined: number; merged: number; review: number; unmatched: number };
}

/** What follows an import: search re-reads vehicles after fitment; supplier SKUs are matched after SKUs. */
export interface ImportHooks {
  onFitments?: () => void;
  /** After SKUs: brands are learned from the rows (search re-reads its vocabulary). */
  onSkus?: () => void;
  matchSkus?: (ctx: AuditContext & { companyId: string | null }) => Promise<NonNullable<ImportReport["matching"]>>;
  /** The verified owner of a GTIN's GS1 company prefix (modules/gs1): a SKU with a GTIN is its brand owner's. */
  gtinOwners?: (gtins: string[]) => Promise<Map<string, string>>;
}

const BATCH = 5000;
/** Records parsed between two turns of the event loop (so that the database's answers are read promptly). */
const YIELD_EVERY = 200;
const MAX_ERRORS = 1000;

/**
 * Imports SKUs, cross-references, fitment and supplier offers from CSV or JSON lines. Good rows commit in batches of
 * 5,000 while bad ones are reported with line, field and reason; rows are upserted by natural keys (brand + part
 * number; vehicle; supplier location + SKU), so importing a file again changes nothing. Progress is kept on the job
 * row, readable while the import runs.
 */
export class CatalogImporter {
  /** Where the last imports' time went, in milliseconds by phase (bench:catalog prints it). */
  readonly phases: Record<string, number> = {};
  private time<T>(phase: string, t0: number, v: T): T {
    this.phases[phase] = (this.phases[phase] ?? 0) + performance.now() - t0;
    return v;
  }
  private async timed<T>(phase: string, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    return this.time(phase, t0, await f());
  }

  constructor(
    private readonly db: Sql,
    private readonly hooks: ImportHooks = {},
  ) {}

  /** Creates the job row (status running) so that its id can be handed out before the rows are read. */
  async open(
    ctx: { companyId: string | null },
    kind: ImportKind,
    format: ImportFormat,
    totalBytes: number,
  ): Promise<string> {
    const id = `imp_${randomBytes(8).toString("hex")}`;
    await jobs.openImport(this.db, { id, companyId: ctx.companyId, kind, format, totalBytes });
    return id;
  }

  async run(
    ctx: AuditContext & { companyId: string | null },
    kind: ImportKind,
    format: ImportFormat,
    source: AsyncIterable<Uint8Array | string>,
    totalBytes: number,
    progress?: (r: ImportReport) => void,
    jobId?: string,
  ): Promise<ImportReport> {
    const id = jobId ?? (await this.open(ctx, kind, format, totalBytes));
    const report: ImportReport = {
      id,
      kind,
      status: "running",
      rowsOk: 0,
      rowsBad: 0,
      bytesDone: 0,
      totalBytes,
      errors: [],
      failure: null,
    };
    const records = format === "csv" ? csvRecords(source, COLUMNS[kind].required) : jsonlRecords(source);
    let batch: Array<{ line: number; row: unknown }> = [];
    const bad = (line: number, field: string, reason: string) => {
      report.rowsBad++;
      if (report.errors.length < MAX_ERRORS) report.errors.push({ line, field, reason });
    };
    // One batch is written while the next is parsed: parsing (CPU here) overlaps the database's work. Batches still
    // commit one after another, in file order.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      const w0 = performance.now();
      await inFlight;
      this.time("waitForDb", w0, 0);
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      inFlight = (async () => {
        const { failed, listed } = await this.write(kind, rows, ctx.companyId);
        for (const f of failed) bad(f.line, f.field, f.reason);
        if (listed.length) report.listed = [...(report.listed ?? []), ...listed].slice(0, MAX_ERRORS);
        report.rowsOk += rows.length - failed.length;
        await this.save(report);
        progress?.(report);
      })();
      inFlight.catch(() => undefined); // awaited at the next flush or the end
    };
    try {
      let p0 = performance.now();
      let parsedSinceYield = 0;
      for await (const rec of records) {
        this.time("read", p0, 0);
        p0 = performance.now();
        report.bytesDone = Math.max(report.bytesDone, rec.bytes);
        const parsed = this.time("parse", p0, parseRecord(kind, rec));
        if ("error" in parsed) bad(rec.line, parsed.error.field, parsed.error.message);
        else batch.push({ line: rec.line, row: parsed.row });
        if (batch.length >= BATCH) await flush();
        // Records of a read chunk arrive as resolved promises (microtasks): without a turn of the event loop now and
        // then, the answer to the batch being written waits until the whole chunk is parsed, and the database idles.
        else if (++parsedSinceYield >= YIELD_EVERY) {
          parsedSinceYield = 0;
          await new Promise<void>((res) => setImmediate(res));
        }
        p0 = performance.now();
      }
      await flush();
      await inFlight;
      report.status = "done";
      report.bytesDone = totalBytes || report.bytesDone;
    } catch (e) {
      await inFlight.catch(() => undefined);
      report.status = "failed";
      report.failure =
        e instanceof FileError
          ? e.message
          : e instanceof AppError
            ? e.message
            : `import stopped: ${(e as Error).message}`;
      if (e instanceof FileError && e.line !== null)
        report.errors.unshift({
          line: e.line,
          field: e.code === "IMPORT.MISSING_COLUMN" ? "header" : "file",
          reason: e.message,
        });
    }
    await this.save(report, true);
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        action: `catalog.import`,
        resource: "catalog_import",
        resourceId: report.id,
        outcome: report.status === "failed" ? "denied" : "ok",
        changes: { kind: { after: kind }, rowsOk: { after: report.rowsOk }, rowsBad: { after: report.rowsBad } },
      }),
    );
    // Fresh statistics for what was loaded: plans for the next searches see the rows (DECISIONS 63, 120).
    const g0 = performance.now();
    if (report.rowsOk > 0 && kind === "skus") await repo.flushPending(this.db, ["catalog_skus_terms"]);
    this.time("indexFlush", g0, 0);
    const a0 = performance.now();
    if (report.rowsOk > 0)
      await repo.analyze(
        this.db,
        {
          skus: ["catalog_skus", "catalog_numbers", "catalog_brands"],
          crossrefs: ["catalog_numbers"],
          fitments: ["catalog_fitments", "catalog_vehicles"],
          offers: ["supplier_offers"],
        }[kind],
      );
    this.time("analyze", a0, 0);
    if (kind === "fitments") this.hooks.onFitments?.();
    if (kind === "skus") this.hooks.onSkus?.();
    // Supplier SKUs (brands the catalogue does not know) are matched to master SKUs as they arrive.
    if (kind === "skus" && report.rowsOk > 0 && this.hooks.matchSkus) report.matching = await this.hooks.matchSkus(ctx);
    progress?.(report);
    return report;
  }

  /**
   * An import's state. A job still `running` with no committed batch for two minutes was interrupted (the process
   * died): it is marked failed, keeping the rows it committed — importing the file again completes it (upserts).
   */
  async get(id: string): Promise<ImportReport & { companyId: string | null }> {
    await jobs.failSilentImport(
      this.db,
      id,
      "interrupted: no progress for over 2 minutes (the server stopped?); the rows counted are kept — import the file again to complete it",
    );
    const job = await jobs.importJob(this.db, id);
    if (!job) throw new AppError("NOT_FOUND", `no catalog import ${id}`, 404);
    return job as ImportReport & { companyId: string | null };
  }

  private async save(r: ImportReport, final = false) {
    await jobs.saveImport(this.db, r, final);
  }

  /**
   * Who may edit a SKU (DECISIONS NN): its brand owner — the verified owner of its GTIN's GS1 prefix, else the company
   * that created it — or the platform's catalogue team (`companyId` null), which may edit every SKU.
   */
  private brandOwner(
    sku: { owner: string | null; gtin: string | null },
    owners: Map<string, string | null>,
  ): string | null {
    return (sku.gtin ? owners.get(sku.gtin) : null) ?? sku.owner;
  }

  /**
   * Writes one batch in one transaction; rows that refer to what does not exist, or (crossrefs, fitments) to a SKU
   * another company owns, come back as errors; SKU rows for another brand owner's SKU come back as listings.
   */
  private async write(kind: ImportKind, rows: Array<{ line: number; row: unknown }>, companyId: string | null) {
    const failed: Array<{ line: number; field: string; reason: string }> = [];
    const listed: Array<{ line: number; skuId: number; reason: string }> = [];
    const notYours = (id: number, owner: string | null) =>
      `SKU ${id} is edited only by its brand owner (${owner ? "another company" : "the platform's catalogue team"}) or the platform's catalogue team`;
    // Ownership is read before the batch's transaction (GS1 prefixes are another module's, on its own connection);
    // the upsert itself refuses to touch a row created meanwhile by someone else.
    const keyOf = (r: { brand: string; norm: string }) => `${r.brand}\n${r.norm}`;
    const keys = rows.map((r) => {
      const row = r.row as { sku?: NewSku; brand?: string; norm?: string };
      return row.sku
        ? { brand: row.sku.brand, norm: row.sku.partNoNorm, gtin: row.sku.gtin }
        : { brand: row.brand!, norm: row.norm!, gtin: null };
    });
    const existing = companyId
      ? await this.timed("owners", () => repo.skuOwners(this.db, keys))
      : new Map<string, { id: number; owner: string | null; gtin: string | null }>();
    const gtins = [...keys.map((k) => k.gtin), ...[...existing.values()].map((e) => e.gtin)].filter(
      (g): g is string => !!g,
    );
    const gtinOwners: Map<string, string | null> =
      companyId && gtins.length && this.hooks.gtinOwners ? await this.hooks.gtinOwners(gtins) : new Map();
    const tx0 = performance.now();
    await this.db.transaction(async (tx) => {
      if (kind === "skus" || kind === "crossrefs") await repo.bulkWriteSettings(tx);
      if (kind === "skus") {
        // The last row wins when a file names the same SKU twice.
        const list = rows.map((r) => ({
          line: r.line,
          ...(r.row as {
            sku: NewSku;
            brandName: string;
            oe: Array<{ brand: string; display: string; norm: string }>;
          }),
        }));
        const unique = new Map(list.map((r) => [`${r.sku.brand}\n${r.sku.partNoNorm}`, r]));
        const editable: number[] = [];
        if (companyId) {
          for (const [key, r] of unique) {
            // A company puts on a SKU only a GTIN that is not another company's.
            const gtinOwner = r.sku.gtin ? gtinOwners.get(r.sku.gtin) : null;
            if (gtinOwner && gtinOwner !== companyId) {
              failed.push({
                line: r.line,
                field: "gtin",
                reason: `GTIN ${r.sku.gtin} is under another company's verified GS1 company prefix`,
              });
              unique.delete(key);
              continue;
            }
            const sku = existing.get(key);
            if (!sku) continue;
            const owner = this.brandOwner(sku, gtinOwners);
            if (owner === companyId) editable.push(sku.id);
            else {
              listed.push({
                line: r.line,
                skuId: sku.id,
                reason: `${notYours(sku.id, owner)}: your row is a listing of it; the master is unchanged`,
              });
              unique.delete(key);
            }
          }
        }
        const ids = await this.timed("skuUpsert", () =>
          repo.upsertSkus(
            tx,
            [...unique.values()].map((r) => r.sku),
            companyId,
            editable,
          ),
        );
        // Every brand name in the rows becomes searchable (id → the spellings files used).
        const names = new Map<string, { id: string; name: string }>();
        for (const r of unique.values())
          names.set(`${r.sku.brand}\n${r.brandName}`, { id: r.sku.brand, name: r.brandName });
        await this.timed("brands", () => vocabularyRepository.learnBrands(tx, [...names.values()]));
        const numbers: NewNumber[] = [];
        for (const [key, r] of unique) {
          const skuId = ids.get(key);
          if (skuId === undefined) {
            // Created by another company meanwhile (between the look-up and the write): left alone, like above.
            listed.push({
              line: r.line,
              skuId: 0,
              reason: "another company created this SKU while the batch was written: your row is a listing of it",
            });
            continue;
          }
          numbers.push({
            skuId,
            norm: r.sku.partNoNorm,
            rev: reversed(r.sku.partNoNorm),
            number: r.sku.partNo,
            kind: "brand",
            brand: r.sku.brand,
            source: "import",
            conditions: null,
          });
          for (const o of r.oe)
            numbers.push({
              skuId,
              norm: o.norm,
              rev: reversed(o.norm),
              number: o.display,
              kind: "oe",
              brand: o.brand,
              source: "import",
              conditions: null,
            });
        }
        await this.timed("numbers", () => repo.upsertNumbers(tx, numbers));
        return;
      }
      const keyed = rows.map((r) => ({ ...r, row: r.row as { brand: string; norm: string } & Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any -- rows of any import kind
      const ids = await this.timed("skuIds", () =>
        repo.skuRefs(
          tx,
          keyed.map((r) => ({ brand: r.row.brand, norm: r.row.norm })),
        ),
      );
      const ok: typeof keyed = [];
      for (const r of keyed) {
        const ref = ids.get(keyOf(r.row));
        const id = ref?.id;
        const sku = existing.get(keyOf(r.row));
        if (id === undefined)
          failed.push({
            line: r.line,
            field: "partNo",
            reason: `no SKU ${r.row.brand} ${r.row.norm} in the catalog (import it first)`,
          });
        else if (kind !== "offers" && companyId && (!sku || this.brandOwner(sku, gtinOwners) !== companyId)) {
          // Numbers and fitment are part of the master: only its brand owner or the platform adds them.
          failed.push({
            line: r.line,
            field: "brand",
            reason: notYours(id, sku ? this.brandOwner(sku, gtinOwners) : null),
          });
        } else {
          r.row.skuId = id;
          r.row.partType = ref!.partType;
          ok.push(r);
        }
      }
      if (kind === "crossrefs") {
        await this.timed("crossrefNumbers", () =>
          repo.upsertNumbers(
            tx,
            ok.map((r) => ({
              skuId: r.row.skuId,
              norm: r.row.numberNorm,
              rev: reversed(r.row.numberNorm),
              number: r.row.number,
              kind: r.row.kind,
              brand: fold(r.row.numberBrand),
              source: r.row.source,
              conditions: r.row.conditions,
            })),
          ),
        );
      } else if (kind === "fitments") {
        const vehicles = new Map(ok.map((r) => [r.row.vehicle.id, r.row.vehicle]));
        await this.timed("vehicles", () => repo.upsertVehicles(tx, [...vehicles.values()]));
        await this.timed("fitments", () =>
          repo.insertFitments(
            tx,
            ok.map((r) => ({ vehicleId: r.row.vehicle.id, skuId: r.row.skuId, partType: r.row.partType })),
          ),
        );
      } else {
        if (!companyId) {
          for (const r of ok)
            failed.push({
              line: r.line,
              field: "location",
              reason: "offers belong to a supplier company; import them with a company's credentials",
            });
          return;
        }
        const loc = new Map(
          ((await offersRepository.locations(tx, companyId)) as Array<{ id: string; code: string }>).map((l) => [
            l.code,
            l.id,
          ]),
        );
        const good = ok.filter((r) => {
          if (!loc.has(r.row.location))
            failed.push({
              line: r.line,
              field: "location",
              reason: `your company has no location with code ${JSON.stringify(r.row.location)} (POST /api/v1/suppliers/locations)`,
            });
          return loc.has(r.row.location);
        });
        const unique = new Map(good.map((r) => [`${r.row.skuId}\n${loc.get(r.row.location)}`, r.row]));
        await this.timed("offers", () =>
          offersRepository.upsertOffers(
            tx,
            [...unique.values()].map((r) => ({
              skuId: r.skuId,
              locationId: loc.get(r.location)!,
              priceFen: r.priceFen,
              stock: r.stock,
              visibility: r.visibility,
            })),
          ),
        );
      }
    });
    this.time("batchTransaction", tx0, 0);
    return { failed, listed };
  }
}
