import { Router, type RequestHandler } from "express";
import { z } from "zod";
import { validate } from "../../http/validate.js";
import type { Company } from "../orgs/orgs.service.js";
import type { LabelsService } from "./labels.service.js";

const partLabelParams = z.object({ gtin: z.string().regex(/^\d{14}$/, "14 digits"), serial: z.string().min(1).max(20), format: z.enum(["png", "svg"]) }).strict();
const runParams = z.object({ runId: z.string().regex(/^run_[0-9a-f]{16}$/, "a mint run id") }).strict();

export function labelsRoutes(labels: LabelsService, manufacturer: RequestHandler): Router {
  const r = Router();

  r.get("/parts/:gtin/:serial/label.:format", manufacturer, validate({ params: partLabelParams }), async (_req, res) => {
    const { gtin, serial, format } = res.locals.params as z.infer<typeof partLabelParams>;
    const company = res.locals.company as Company;
    if (format === "png") res.type("image/png").send(await labels.png(company, gtin, serial));
    else res.type("image/svg+xml").send(await labels.svg(company, gtin, serial));
  });

  r.get("/mint/:runId/labels.pdf", manufacturer, validate({ params: runParams }), async (_req, res) => {
    const { runId } = res.locals.params as z.infer<typeof runParams>;
    res.type("application/pdf").setHeader("Content-Disposition", `inline; filename="labels-${runId}.pdf"`);
    res.send(await labels.sheet(res.locals.company as Company, runId));
  });

  return r;
}
