import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  companyListQuery,
  companyListResponse,
  companySchema,
  receiversResponse,
  registerCompanyBody,
  registeredCompanyResponse,
  type CompanyListQuery,
  type RegisterCompany,
} from "./orgs.schema.js";
import type { Company, OrgsService } from "./orgs.service.js";
import { responds } from "../../http/responds.js";

export function orgsRoutes(orgs: OrgsService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/companies",
      { permission: "company:create" },
      "Register a company (platform); its first API key is in this answer only",
      responds(registeredCompanyResponse, 201),
      validate({ body: registerCompanyBody }),
      async (req, res) => {
        const {
          company: c,
          apiKey,
          admin,
        } = await orgs.register(auditContext(req, res), principalOf(res), res.locals.body as RegisterCompany);
        res.status(201).json({ ...c, apiKey, apiKeyNotice: "store this key now: it is shown only once", admin });
      },
    ),
    route(
      "get",
      "/api/v1/companies/receivers",
      { permission: "dispatch:create" },
      "Companies a carton may be sent to (distributors and repair shops): id, name, kind, region",
      responds(receiversResponse),
      async (_req, res) => {
        res.json({ companies: await orgs.receivers(res.locals.company as Company | undefined) });
      },
    ),
    route(
      "get",
      "/api/v1/companies",
      { permission: "company:administer" },
      "Registered companies (platform): filter by kind and name, a page at a time",
      responds(companyListResponse),
      validate({ query: companyListQuery }),
      async (_req, res) => {
        res.json(await orgs.list(res.locals.query as CompanyListQuery));
      },
    ),
    route(
      "get",
      "/api/v1/companies/me",
      { permission: "company:view" },
      "My company",
      responds(companySchema),
      async (_req, res) => {
        res.json(res.locals.company as Company);
      },
    ),
  ];
}
