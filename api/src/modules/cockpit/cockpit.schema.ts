import { z } from "zod";
import { KPI_KEYS, METRIC_KEYS } from "./definitions.js";

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD (Asia/Shanghai)")
  .refine((d) => {
    // A day that exists (2026-02-30 does not: Date.parse would roll it into March) in years PostgreSQL dates take.
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d && d >= "0001-01-01";
  }, "a calendar date");

const periodFields = {
  from: date.optional().describe("first day of the period (default: 29 days before `to`)"),
  to: date.optional().describe("last day of the period, inclusive (default: today, Asia/Shanghai)"),
  companyId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("the platform only: one company's view (a company: its own)"),
};

export const periodQuery = z.object(periodFields).strict();
export const skusQuery = z
  .object({ ...periodFields, limit: z.coerce.number().int().min(1).max(100).default(10) })
  .strict();
export const regionsQuery = z
  .object({ ...periodFields, level: z.enum(["province", "city"]).default("province") })
  .strict();
export const rowsQuery = z
  .object({
    ...periodFields,
    metric: z.enum(METRIC_KEYS),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .describe(
        "the previous page's nextCursor: the next rows, newest first (event rows only; `page` is then ignored)",
      ),
  })
  .strict();
export const csvQuery = z.object({ ...periodFields, metric: z.enum(METRIC_KEYS) }).strict();

// ── Responses ──

const definition = z.object({ zh: z.string(), en: z.string() });
const period = z.object({ from: z.string(), to: z.string() });
const scope = z
  .object({
    scope: z.string().describe("'*' the platform, else the company id"),
    kind: z.string(),
    name: z.string().nullable(),
  })
  .meta({ id: "CockpitScope" });

export const summarySchema = z
  .object({
    scope,
    period,
    previousPeriod: period,
    refreshedAt: z.string().nullable().describe("when the rollups were last brought up to date"),
    kpis: z.array(
      z.object({
        key: z.enum(KPI_KEYS),
        value: z.number().nullable().describe("null: nothing to measure in the period"),
        previous: z.number().nullable(),
        change: z.number().nullable(),
        num: z.number().describe("the numerator the value is made of"),
        den: z.number().describe("the denominator"),
        unit: z.string(),
        verified: z.boolean().describe("built on ledger-verified events"),
        lowerIsBetter: z.boolean(),
        definition,
      }),
    ),
  })
  .meta({ id: "CockpitSummary" });

const skuRow = z.object({
  skuId: z.number().int(),
  name: z.string().nullable(),
  brand: z.string().nullable(),
  partNo: z.string().nullable(),
  current: z.number().int(),
  previous: z.number().int(),
  change: z.number().int(),
});
export const skusSchema = z
  .object({ scope, period, previousPeriod: period, hot: z.array(skuRow), risers: z.array(skuRow), definition })
  .meta({ id: "CockpitSkus" });

export const regionsSchema = z
  .object({
    scope,
    period,
    level: z.enum(["province", "city"]),
    regions: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        searches: z.number().int(),
        emptySearches: z.number().int(),
        ordered: z.number().int(),
        unfilled: z.number().int(),
        onHand: z.number().int(),
        available: z.number().int(),
        shortfall: z.number().int(),
      }),
    ),
    definition,
  })
  .meta({ id: "CockpitRegions" });

const channelMetric = z.object({
  value: z.number().nullable(),
  previous: z.number().nullable(),
  count: z.number().describe("the denominator (counterfeit_rate: the reports)"),
});
export const channelsSchema = z
  .object({
    scope,
    period,
    previousPeriod: period,
    channels: z.array(
      z.object({ companyId: z.string(), name: z.string(), metrics: z.record(z.string(), channelMetric) }),
    ),
    definitions: z.record(z.string(), definition),
  })
  .meta({ id: "CockpitChannels" });

export const rowsSchema = z
  .object({
    metric: z.enum(METRIC_KEYS),
    scope,
    period,
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().describe("the rows in the period, from the rollups (as of the last refresh)"),
    rows: z.array(z.record(z.string(), z.unknown())),
    nextCursor: z
      .string()
      .nullable()
      .describe("pass as `cursor` for the next page; null on the last page and for grouped rows"),
    verified: z.boolean(),
    definition,
  })
  .meta({ id: "CockpitRows" });

export const refreshSchema = z
  .object({
    days: z.number().int().describe("day buckets recomputed"),
    first: z.string(),
    last: z.string(),
    daysBySource: z.record(z.string(), z.number().int()),
    msByTable: z.record(z.string(), z.number().int()).describe("milliseconds each rollup table took"),
    refreshedAt: z.string(),
  })
  .meta({ id: "CockpitRefresh" });
