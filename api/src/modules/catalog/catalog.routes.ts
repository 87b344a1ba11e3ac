import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import { z } from "zod";
import { AppError } from "../../../../ledger-service/src/index.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { crossTenant } from "../../security/tenant.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  brandListSchema,
  synonymImportSchema,
  synonymListSchema,
  synonymSchema,
  categorySchema,
  compareQuery,
  createdLocationSchema,
  customerPriceBody,
  customerPriceResponse,
  decodedVinSchema,
  importReportSchema,
  importStartedSchema,
  matchCandidateSchema,
  matchDecisionResponse,
  matchReviewSchema,
  matchRunResponse,
  offersResponse,
  searchResponse,
  skuSchema,
  supplierLocationSchema,
  importIdParams,
  importQuery,
  locationBody,
  matchDecisionParams,
  matchQueueQuery,
  matchRunBody,
  searchQuery,
  skuParams,
  synonymBody,
  synonymParams,
  vinParams,
} from "./catalog.schema.js";
import { CATEGORY_TREE } from "./data/categories.js";
import type { CatalogImporter, ImportKind } from "./import.service.js";
import type { MatchService } from "./match.service.js";
import type { OffersService } from "./offers.service.js";
import type { SearchService } from "./search.service.js";
import { catalogRepository } from "./catalog.repository.js";
import { VocabularyService } from "./vocabulary.service.js";
import type { Sql } from "../../../../ledger-service/src/index.js";
import { empty, responds } from "../../http/responds.js";

/** Uploads are streamed; past this they are refused. */
const MAX_UPLOAD = 512 * 1024 * 1024;

async function* capped(req: Request): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    n += chunk.length;
    if (n > MAX_UPLOAD)
      throw new AppError(
        "HTTP.PAYLOAD_TOO_LARGE",
        `an import file may be at most ${MAX_UPLOAD / 1024 / 1024} MB; split it`,
        413,
      );
    yield chunk;
  }
}

function formatOf(req: Request, query: string | undefined): "csv" | "jsonl" {
  if (query === "csv" || query === "jsonl") return query;
  const type = req.header("content-type") ?? "";
  if (/text\/csv/.test(type)) return "csv";
  if (/ndjson|jsonl|jsonlines/.test(type)) return "jsonl";
  throw new AppError("IMPORT.FORMAT", "send Content-Type text/csv or application/x-ndjson (or ?format=csv|jsonl)", 415);
}

export function catalogRoutes(
  db: Sql,
  search: SearchService,
  offers: OffersService,
  importer: CatalogImporter,
  matches: MatchService,
): RouteSpec[] {
  const who = (res: Parameters<typeof principalOf>[0]) => {
    const company = res.locals.company as Company | undefined;
    return { companyId: company?.id ?? null, regionCode: company?.regionCode ?? null };
  };
  const importRoute = (kind: ImportKind) =>
    route(
      "post",
      `/api/v1/catalog/imports/${kind}`,
      { permission: kind === "offers" ? "offer:create" : "catalog:create" },
      `Import ${kind} (CSV or JSON lines, streamed; bad rows reported by line)`,
      responds(importReportSchema),
      responds(importStartedSchema, 202),
      responds(importReportSchema, 422, { description: "the import failed (the report says why)" }),
      validate({ query: importQuery }),
      async (req, res) => {
        const q = res.locals.query as z.infer<typeof importQuery>;
        const format = formatOf(req, q.format);
        const total = Number(req.header("content-length") ?? 0);
        const ctx = { ...auditContext(req, res), companyId: principalOf(res).companyId };
        if (q.async === "true") {
          // Large files: the upload is kept in a temporary file, answered 202 with the job's id at once, and imported
          // in the background; GET /catalog/imports/{id} shows its progress, counts and errors as it goes.
          const dir = await mkdtemp(join(tmpdir(), "partledger-import-"));
          const file = join(dir, `upload.${format}`);
          await pipeline(Readable.from(capped(req)), createWriteStream(file));
          const size = (await stat(file)).size;
          const id = await importer.open(ctx, kind, format, size);
          res
            .status(202)
            .location(`/api/v1/catalog/imports/${id}`)
            .json({ id, kind, status: "running", totalBytes: size });
          void importer
            .run(ctx, kind, format, createReadStream(file, { highWaterMark: 1 << 20 }), size, undefined, id)
            .catch(() => undefined) // the job row carries the failure
            .finally(() => rm(dir, { recursive: true, force: true }));
          return;
        }
        const report = await importer.run(ctx, kind, format, capped(req), Number.isFinite(total) ? total : 0);
        res.status(report.status === "failed" ? 422 : 200).json(report);
      },
    );
  const vocabulary = new VocabularyService(db, () => search.invalidate());
  const ctxOf = (req: Request, res: Parameters<typeof principalOf>[0]) => ({
    ...auditContext(req, res),
    companyId: principalOf(res).companyId,
  });
  return [
    route(
      "get",
      "/api/v1/catalog/synonyms",
      { permission: "catalog:view" },
      "The search synonym table: a term → part types, a side, a kind of part (or a filler word)",
      responds(synonymListSchema),
      async (_req, res) => {
        res.json({ synonyms: await vocabulary.synonyms() });
      },
    ),
    route(
      "put",
      "/api/v1/catalog/synonyms/:term",
      { permission: "catalog:approve" },
      "Add or change a search synonym (the platform's catalogue team); search reads it at once",
      responds(synonymSchema),
      validate({ params: synonymParams, body: synonymBody }),
      async (req, res) => {
        const { term } = res.locals.params as z.infer<typeof synonymParams>;
        res.json(
          await vocabulary.putSynonym(ctxOf(req, res), {
            term,
            ...(res.locals.body as z.infer<typeof synonymBody>),
          }),
        );
      },
    ),
    route(
      "delete",
      "/api/v1/catalog/synonyms/:term",
      { permission: "catalog:approve" },
      "Remove a search synonym",
      responds(empty(), 204),
      validate({ params: synonymParams }),
      async (req, res) => {
        await vocabulary.deleteSynonym(ctxOf(req, res), (res.locals.params as z.infer<typeof synonymParams>).term);
        res.status(204).end();
      },
    ),
    route(
      "post",
      "/api/v1/catalog/synonyms/import",
      { permission: "catalog:approve" },
      "Import search synonyms from CSV (term,partTypes,position,kind; part types separated by ;): bad rows reported by line",
      responds(synonymImportSchema),
      async (req, res) => {
        if (!/text\/csv/.test(req.header("content-type") ?? ""))
          throw new AppError("IMPORT.FORMAT", "send Content-Type text/csv (term,partTypes,position,kind)", 415);
        const chunks: Uint8Array[] = [];
        let n = 0;
        for await (const chunk of req as AsyncIterable<Uint8Array>) {
          n += chunk.length;
          if (n > 5 * 1024 * 1024)
            throw new AppError("HTTP.PAYLOAD_TOO_LARGE", "a synonym file may be at most 5 MB", 413);
          chunks.push(chunk);
        }
        res.json(await vocabulary.importCsv(ctxOf(req, res), Buffer.concat(chunks).toString("utf8")));
      },
    ),
    route(
      "get",
      "/api/v1/catalog/brands",
      { permission: "catalog:view" },
      "Brands search knows by name: learned from every SKU import, with each spelling a file used",
      responds(brandListSchema),
      async (_req, res) => {
        res.json({ brands: await vocabulary.brands() });
      },
    ),
    route(
      "get",
      "/api/v1/catalog/search",
      { permission: "catalog:view" },
      "Search parts by number, name, vehicle + part, or VIN; filters and facets",
      responds(searchResponse),
      validate({ query: searchQuery }),
      async (_req, res) => {
        res.json(await search.search(res.locals.query as z.infer<typeof searchQuery>, who(res)));
      },
    ),
    route(
      "get",
      "/api/v1/catalog/vin/:vin",
      { permission: "catalog:view" },
      "Decode a VIN: maker, make, model year, series where known",
      responds(decodedVinSchema),
      validate({ params: vinParams }),
      async (_req, res) => {
        res.json(await search.decodeVin((res.locals.params as { vin: string }).vin));
      },
    ),
    route(
      "get",
      "/api/v1/catalog/categories",
      { permission: "catalog:view" },
      "The category tree with part types, synonyms and attributes",
      responds(z.object({ categories: z.array(categorySchema) })),
      (_req, res) => {
        res.json({ categories: CATEGORY_TREE });
      },
    ),
    route(
      "get",
      "/api/v1/catalog/skus/:id",
      { permission: "catalog:view" },
      "One SKU with its numbers and fitment",
      responds(skuSchema),
      validate({ params: skuParams }),
      async (_req, res) => {
        const id = (res.locals.params as { id: number }).id;
        const [sku] = await catalogRepository.skus(db, [id]);
        if (!sku) throw new AppError("NOT_FOUND", `no SKU ${id}`, 404);
        res.json({ ...sku, fits: (await catalogRepository.fitmentSummary(db, [id])).get(id) ?? [] });
      },
    ),
    route(
      "get",
      "/api/v1/catalog/skus/:id/offers",
      { permission: "offer:view" },
      "Offers for a SKU (and interchangeable SKUs) near me: price, stock, distance, delivery, provenance score",
      responds(offersResponse),
      validate({ params: skuParams, query: compareQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof compareQuery>;
        if (q.number !== undefined)
          throw new AppError("REQUEST.UNKNOWN_FIELD", "query.number: use GET /api/v1/catalog/offers?number=…", 400, {
            field: "number",
          });
        res.json(
          await offers.compare(who(res), { ...q, ...here(res, q), skuId: (res.locals.params as { id: number }).id }),
        );
      },
    ),
    route(
      "get",
      "/api/v1/catalog/offers",
      { permission: "offer:view" },
      "Offers near me for any part number (OE, brand or competitor)",
      responds(offersResponse),
      validate({ query: compareQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof compareQuery>;
        if (!q.number)
          throw new AppError("REQUEST.INVALID", "query.number: required (a part number in any formatting)", 400, {
            field: "number",
          });
        res.json(await offers.compare(who(res), { ...q, ...here(res, q), number: q.number }));
      },
    ),
    importRoute("skus"),
    importRoute("crossrefs"),
    importRoute("fitments"),
    importRoute("offers"),
    route(
      "get",
      "/api/v1/catalog/imports/:id",
      { permission: "catalog:view" },
      "An import's progress, counts and per-line errors",
      responds(importReportSchema),
      validate({ params: importIdParams }),
      async (req, res) => {
        const job = await importer.get((res.locals.params as { id: string }).id);
        const p = principalOf(res);
        if (job.companyId !== p.companyId)
          await crossTenant(db, auditContext(req, res), p, "catalog import", job.id, job.companyId);
        const { companyId: _c, ...report } = job;
        res.json(report);
      },
    ),
    route(
      "post",
      "/api/v1/catalog/matches/run",
      { permission: "catalog:create" },
      "Match supplier SKUs (unknown brands) to master SKUs: confident matches merge, uncertain ones go to review",
      responds(matchRunResponse),
      validate({ body: matchRunBody }),
      async (req, res) => {
        res.json(
          await matches.matchPending(
            { ...auditContext(req, res), companyId: principalOf(res).companyId },
            (res.locals.body as z.infer<typeof matchRunBody>).skuIds,
          ),
        );
      },
    ),
    route(
      "get",
      "/api/v1/catalog/matches",
      { permission: "catalog:approve" },
      "The review queue: uncertain matches, both SKUs side by side",
      responds(z.object({ matches: z.array(matchReviewSchema) })),
      validate({ query: matchQueueQuery }),
      async (_req, res) => {
        res.json({ matches: await matches.queue((res.locals.query as z.infer<typeof matchQueueQuery>).limit) });
      },
    ),
    route(
      "get",
      "/api/v1/catalog/skus/:id/matches",
      { permission: "catalog:approve" },
      "Match candidates for one SKU with method and confidence",
      responds(z.object({ candidates: z.array(matchCandidateSchema) })),
      validate({ params: skuParams }),
      async (_req, res) => {
        res.json({ candidates: await matches.candidates((res.locals.params as { id: number }).id) });
      },
    ),
    route(
      "post",
      "/api/v1/catalog/matches/:id/:decision",
      { permission: "catalog:approve" },
      "Decide a match in review (merge or reject), or undo a merge",
      responds(matchDecisionResponse),
      validate({ params: matchDecisionParams }),
      async (req, res) => {
        const { id, decision } = res.locals.params as z.infer<typeof matchDecisionParams>;
        const ctx = { ...auditContext(req, res), companyId: principalOf(res).companyId };
        res.json(decision === "undo" ? await matches.undo(ctx, id) : await matches.decide(ctx, id, decision));
      },
    ),
    route(
      "get",
      "/api/v1/suppliers/locations",
      { permission: "offer:view" },
      "My company's stock locations",
      responds(z.object({ locations: z.array(supplierLocationSchema) })),
      async (_req, res) => {
        res.json({ locations: await offers.locations(principalOf(res)) });
      },
    ),
    route(
      "post",
      "/api/v1/suppliers/locations",
      { permission: "offer:create" },
      "Add a stock location (GCJ-02) that offers are imported for",
      responds(createdLocationSchema, 201),
      validate({ body: locationBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await offers.addLocation(
              auditContext(req, res),
              principalOf(res),
              res.locals.body as z.infer<typeof locationBody>,
            ),
          );
      },
    ),
    route(
      "post",
      "/api/v1/suppliers/customer-prices",
      { permission: "offer:create" },
      "Set a customer-specific price",
      responds(customerPriceResponse, 201),
      validate({ body: customerPriceBody }),
      async (req, res) => {
        res
          .status(201)
          .json(
            await offers.setCustomerPrice(
              auditContext(req, res),
              principalOf(res),
              res.locals.body as z.infer<typeof customerPriceBody>,
            ),
          );
      },
    ),
  ];
}

/** Where the comparison centres: the given point, else the calling company's site. */
function here(res: { locals: Record<string, unknown> }, q: { lng?: number | undefined; lat?: number | undefined }) {
  if ((q.lng === undefined) !== (q.lat === undefined))
    throw new AppError("REQUEST.INVALID", "query: give lng and lat together", 400, {
      field: q.lng === undefined ? "lng" : "lat",
    });
  if (q.lng !== undefined) return { lng: q.lng, lat: q.lat! };
  const company = res.locals.company as Company | undefined;
  if (!company)
    throw new AppError("REQUEST.INVALID", "query: give lng and lat (the platform has no site of its own)", 400, {
      field: "lng",
    });
  return { lng: company.lng, lat: company.lat };
}
