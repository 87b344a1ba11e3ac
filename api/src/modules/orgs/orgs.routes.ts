import { Router, type RequestHandler } from "express";
import { validate } from "../../http/validate.js";
import { registerCompanyBody, type RegisterCompany } from "./orgs.schema.js";
import type { Company, OrgsService } from "./orgs.service.js";

export function orgsRoutes(orgs: OrgsService, operator: RequestHandler, company: RequestHandler): Router {
  const r = Router();

  /** The platform operator registers a company; the API key is in this response only. */
  r.post("/companies", operator, validate({ body: registerCompanyBody }), async (_req, res) => {
    const { company: c, apiKey } = await orgs.register(res.locals.body as RegisterCompany);
    res.status(201).json({ ...c, apiKey, apiKeyNotice: "store this key now: it is shown only once" });
  });

  r.get("/companies/me", company, async (_req, res) => {
    res.json(res.locals.company as Company);
  });

  return r;
}
