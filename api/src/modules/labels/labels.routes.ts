import type { z } from "zod";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import { labelSettingsSchema, layoutQuery, partLabelParams, runParams } from "./labels.schema.js";
import type { LabelsService } from "./labels.service.js";

export function labelsRoutes(labels: LabelsService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/parts/:gtin/:serial/label.:format",
      { permission: "label:view" },
      "A part's QR label (PNG or SVG)",
      responds(raw("image/png")),
      responds(raw("image/svg+xml")),
      validate({ params: partLabelParams }),
      async (_req, res) => {
        const { gtin, serial, format } = res.locals.params as z.infer<typeof partLabelParams>;
        const company = res.locals.company as Company;
        if (format === "png") res.type("image/png").send(await labels.png(company, gtin, serial));
        else res.type("image/svg+xml").send(await labels.svg(company, gtin, serial));
      },
    ),
    route(
      "get",
      "/api/v1/labels/settings",
      { permission: "label:view" },
      "What the label screen shows: the base URL printed into codes (with a warning when phones cannot open it) and the layouts",
      responds(labelSettingsSchema),
      (_req, res) => {
        res.json(labels.settings());
      },
    ),
    route(
      "get",
      "/api/v1/mint/:runId/labels.pdf",
      { permission: "label:export" },
      "A mint run's labels as PDF: ?layout=a4 (sheet of 24, default) or roll-50x30 (thermal roll); an export, audited",
      responds(raw("application/pdf")),
      validate({ params: runParams, query: layoutQuery }),
      async (req, res) => {
        const { runId } = res.locals.params as z.infer<typeof runParams>;
        const { layout } = res.locals.query as z.infer<typeof layoutQuery>;
        const company = res.locals.company as Company;
        const pdf = await labels.sheet(auditContext(req, res), principalOf(res), company, runId, layout);
        res
          .type("application/pdf")
          .setHeader("Content-Disposition", `inline; filename="labels-${runId}-${layout}.pdf"`);
        res.send(pdf);
      },
    ),
    route(
      "get",
      "/api/v1/mint/:runId/label-preview.svg",
      { permission: "label:view" },
      "A preview of a mint run's first label in ?layout=a4 or roll-50x30 (SVG)",
      responds(raw("image/svg+xml")),
      validate({ params: runParams, query: layoutQuery }),
      async (req, res) => {
        const { runId } = res.locals.params as z.infer<typeof runParams>;
        const { layout } = res.locals.query as z.infer<typeof layoutQuery>;
        const company = res.locals.company as Company;
        const svg = await labels.preview(auditContext(req, res), principalOf(res), company, runId, layout);
        res.type("image/svg+xml").send(svg);
      },
    ),
  ];
}
