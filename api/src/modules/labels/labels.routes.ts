import { z } from "zod";
import { raw, responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import type { LabelsService } from "./labels.service.js";

const partLabelParams = z
  .object({
    gtin: z.string().regex(/^\d{14}$/, "14 digits"),
    serial: z.string().min(1).max(20),
    format: z.enum(["png", "svg"]),
  })
  .strict();
const runParams = z.object({ runId: z.string().regex(/^run_[0-9a-f]{16}$/, "a mint run id") }).strict();

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
      "/api/v1/mint/:runId/labels.pdf",
      { permission: "label:export" },
      "A mint run's A4 label sheet (PDF; an export, audited)",
      responds(raw("application/pdf")),
      validate({ params: runParams }),
      async (req, res) => {
        const { runId } = res.locals.params as z.infer<typeof runParams>;
        const pdf = await labels.sheet(auditContext(req, res), principalOf(res), res.locals.company as Company, runId);
        res.type("application/pdf").setHeader("Content-Disposition", `inline; filename="labels-${runId}.pdf"`);
        res.send(pdf);
      },
    ),
  ];
}
