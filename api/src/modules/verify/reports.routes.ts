import type { ErrorRequestHandler, RequestHandler } from "express";
import type { z } from "zod";
import { AppError } from "../../../../ledger-service/src/index.js";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { wantsReveal } from "../../security/personal-data.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { renderReportInvalid, renderReportReceived } from "./report.page.js";
import {
  counterfeitReportListSchema,
  counterfeitReportSchema,
  filedReportSchema,
  reportBody,
  reportListQuery,
  reportEvidenceSchema,
  reportParams,
  reportQuery,
  reportRepeatsSchema,
  repeatsQuery,
  reportStatusBody,
  revealQuery,
  type ReportBody,
} from "./reports.schema.js";
import type { ReportsService } from "./reports.service.js";

const wantsHtml = (req: Parameters<RequestHandler>[0]) =>
  req.accepts(["application/json", "text/html"]) === "text/html";
const langOf = (req: Parameters<RequestHandler>[0]) => (req.query.lang === "en" ? "en" : "zh");

/**
 * A refused form post from a browser answers a page naming the field (400), not problem+json; JSON clients get the
 * usual problem answer from the app's handler.
 */
const formErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (!(err instanceof AppError) || err.status !== 400 || !wantsHtml(req)) return next(err);
  const field = String((err.details as { field?: unknown } | undefined)?.field ?? "body");
  res
    .status(400)
    .type("html")
    .send(renderReportInvalid(field, err.message, langOf(req)));
};

/**
 * Counterfeit reports: filed by anyone from the scan page (a plain form post, or JSON), rate-limited per client like
 * scans; read and moved along (new → reviewing → confirmed | dismissed) by the brand owner and the platform.
 */
export function reportsRoutes(reports: ReportsService, limit: RequestHandler): RouteSpec[] {
  const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;
  return [
    route(
      "post",
      "/api/v1/counterfeit-reports",
      {
        public:
          "a counterfeit report from the scan page: anyone holding a part may report it; rate-limited per client, a resubmitted page is one report",
      },
      "Report a counterfeit or suspect part (the label as scanned, the verdict shown, an optional note, contact and lng,lat); to the brand owner and the platform. Form post → confirmation page; JSON → the report's number",
      responds(filedReportSchema, 201),
      responds(filedReportSchema),
      responds(raw("text/html"), 201, { description: "the confirmation page (a form post)" }),
      responds(raw("text/html"), 200, { description: "the confirmation page of a submission recorded already" }),
      limit,
      validate({ query: reportQuery, body: reportBody }),
      async (req, res) => {
        const filed = await reports.file(auditContext(req, res), res.locals.body as ReportBody, {
          idempotencyKey: idempotencyKey(req.header("idempotency-key")),
          client: req.ip ?? "unknown",
        });
        res.setHeader("Cache-Control", "no-store");
        res.status(filed.duplicate ? 200 : 201);
        if (wantsHtml(req)) res.type("html").send(renderReportReceived(filed, langOf(req)));
        else res.json(filed);
      },
      formErrors as unknown as RequestHandler,
    ),
    route(
      "get",
      "/api/v1/counterfeit-reports",
      { permission: "counterfeit_report:view" },
      "Counterfeit reports: a brand owner's (its GTINs), the platform's (all); contacts masked unless ?reveal=true (personal_data:view)",
      responds(counterfeitReportListSchema),
      validate({ query: reportListQuery }),
      async (req, res) => {
        const p = principalOf(res);
        const q = res.locals.query as z.infer<typeof reportListQuery>;
        res.json({ reports: await reports.list(auditContext(req, res), p, q, wantsReveal(req, p)) });
      },
    ),
    route(
      "get",
      "/api/v1/counterfeit-reports/repeats",
      { permission: "counterfeit_report:view" },
      "Where counterfeit reports repeat: places (0.01° cells), last companies of record (sellers) and serials named by at least ?min reports over ?days days — a brand owner's reports, or all (the platform)",
      responds(reportRepeatsSchema),
      validate({ query: repeatsQuery }),
      async (_req, res) => {
        res.json(await reports.repeats(principalOf(res), res.locals.query as z.infer<typeof repeatsQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/counterfeit-reports/:id/evidence",
      { permission: "counterfeit_report:view" },
      "A report's evidence: the part's custody on the ledger, its recent scans, reports of the same serial, its last company of record",
      responds(reportEvidenceSchema),
      validate({ params: reportParams }),
      async (req, res) => {
        res.json(await reports.evidence(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "get",
      "/api/v1/counterfeit-reports/:id",
      { permission: "counterfeit_report:view" },
      "One counterfeit report",
      responds(counterfeitReportSchema),
      validate({ params: reportParams, query: revealQuery }),
      async (req, res) => {
        const p = principalOf(res);
        res.json(await reports.get(auditContext(req, res), p, id(res), wantsReveal(req, p)));
      },
    ),
    route(
      "patch",
      "/api/v1/counterfeit-reports/:id",
      { permission: "counterfeit_report:edit" },
      "Move a counterfeit report along: new → reviewing → confirmed | dismissed (audited)",
      responds(counterfeitReportSchema),
      validate({ params: reportParams, body: reportStatusBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof reportStatusBody>;
        res.json(await reports.setStatus(auditContext(req, res), principalOf(res), id(res), b.status, b.resolution));
      },
    ),
  ];
}
