import { once } from "node:events";
import type { z } from "zod";
import { auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  channelsSchema,
  csvQuery,
  periodQuery,
  refreshSchema,
  regionsQuery,
  regionsSchema,
  rowsQuery,
  rowsSchema,
  skusQuery,
  skusSchema,
  summarySchema,
} from "./cockpit.schema.js";
import type { CockpitService } from "./cockpit.service.js";
import { cockpitPdf } from "./report-pdf.js";

/** The management cockpit (issue 17, DECISIONS 88): read from day rollups, a company's own business only. */
export function cockpitRoutes(db: Sql, cockpit: CockpitService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/cockpit/summary",
      { permission: "cockpit:view" },
      "The KPIs over a period with the previous period's values, each with its definition and whether it rests on ledger-verified events",
      responds(summarySchema),
      validate({ query: periodQuery }),
      async (_req, res) => {
        res.json(await cockpit.summary(principalOf(res), res.locals.query as z.infer<typeof periodQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/skus",
      { permission: "cockpit:view" },
      "Hot SKUs and risers over a period against the previous one (a distributor: what it sold; a manufacturer: its SKUs)",
      responds(skusSchema),
      validate({ query: skusQuery }),
      async (_req, res) => {
        res.json(await cockpit.skus(principalOf(res), res.locals.query as z.infer<typeof skusQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/regions",
      { permission: "cockpit:view" },
      "Regional supply–demand gaps by province or city: searches, units ordered and unfilled, stock available, shortfall",
      responds(regionsSchema),
      validate({ query: regionsQuery }),
      async (_req, res) => {
        res.json(await cockpit.regions(principalOf(res), res.locals.query as z.infer<typeof regionsQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/channels",
      { permission: "cockpit:view" },
      "Channel health per distributor: fill rate, on-time shipping, cancellations, counterfeit reports, fulfilment time (a distributor: itself)",
      responds(channelsSchema),
      validate({ query: periodQuery }),
      async (_req, res) => {
        res.json(await cockpit.channels(principalOf(res), res.locals.query as z.infer<typeof periodQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/rows",
      { permission: "cockpit:view" },
      "The rows behind one cockpit number (orders, scans, reports, installed parts, stock lines, SKUs, regions), a page at a time",
      responds(rowsSchema),
      validate({ query: rowsQuery }),
      async (_req, res) => {
        res.json(await cockpit.rows(principalOf(res), res.locals.query as z.infer<typeof rowsQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/rows.csv",
      { permission: "cockpit:export" },
      "Every row behind one cockpit number as CSV (UTF-8 with BOM; the export is audited)",
      responds(raw("text/csv")),
      validate({ query: csvQuery }),
      async (req, res) => {
        const p = principalOf(res);
        const q = res.locals.query as z.infer<typeof csvQuery>;
        const out = await cockpit.csv(p, q);
        // Audited before the first byte: the filter and the rollup's count of the rows it covers.
        await db.transaction((tx) =>
          auditTrail.append(tx, {
            ...auditContext(req, res),
            companyId: p.companyId,
            action: "cockpit.export",
            resource: "cockpit",
            resourceId: q.metric,
            changes: { rows: { after: out.total }, filter: { after: q } },
          }),
        );
        res.type("text/csv").setHeader("Content-Disposition", `attachment; filename="${out.filename}"`);
        // Streamed a batch at a time; a failure after the first byte can only cut the response short.
        try {
          for await (const chunk of out.lines) if (!res.write(chunk)) await once(res, "drain");
          res.end();
        } catch (e) {
          if (!res.headersSent) throw e;
          res.destroy(e as Error);
        }
      },
    ),
    route(
      "get",
      "/api/v1/cockpit/report.pdf",
      { permission: "cockpit:export" },
      "A printable A4 report (Chinese): the KPIs with the previous period and definitions, hot SKUs, regional gaps (audited)",
      responds(raw("application/pdf")),
      validate({ query: periodQuery }),
      async (req, res) => {
        const p = principalOf(res);
        const q = res.locals.query as z.infer<typeof periodQuery>;
        const [summary, skus, regions] = await Promise.all([
          cockpit.summary(p, q),
          cockpit.skus(p, { ...q, limit: 10 }),
          cockpit.regions(p, { ...q, level: "city" }),
        ]);
        const pdf = await cockpitPdf(summary, skus, regions, new Date());
        await db.transaction((tx) =>
          auditTrail.append(tx, {
            ...auditContext(req, res),
            companyId: p.companyId,
            action: "cockpit.report",
            resource: "cockpit",
            resourceId: null,
            changes: { filter: { after: q } },
          }),
        );
        res
          .type("application/pdf")
          .setHeader(
            "Content-Disposition",
            `attachment; filename="partledger-cockpit-${summary.period.from}-${summary.period.to}.pdf"`,
          );
        res.send(pdf);
      },
    ),
    route(
      "post",
      "/api/v1/cockpit/refresh",
      { permission: "cockpit:edit" },
      "Bring the cockpit's rollups up to date now (also done on a timer): the days touched since each source's watermark",
      responds(refreshSchema),
      async (req, res) => {
        const out = await cockpit.refresh();
        await db.transaction((tx) =>
          auditTrail.append(tx, {
            ...auditContext(req, res),
            companyId: principalOf(res).companyId,
            action: "cockpit.refresh",
            resource: "cockpit",
            resourceId: null,
            changes: { days: { after: out.days } },
          }),
        );
        res.json(out);
      },
    ),
  ];
}
