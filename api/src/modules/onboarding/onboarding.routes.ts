import type { Request, RequestHandler } from "express";
import { validate } from "../../http/validate.js";
import { raw, responds } from "../../http/responds.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { LICENCE_MAX_BYTES, tooLarge } from "./licence-store.js";
import {
  applicationParams,
  applicationSchema,
  approveBody,
  licenceSchema,
  queueQuery,
  queueSchema,
  refuseBody,
  registeredSchema,
  registrationBody,
  resubmitBody,
  type QueueQuery,
  type Registration,
  type Resubmission,
} from "./onboarding.schema.js";
import type { OnboardingService } from "./onboarding.service.js";

const SELF = { public: "self-registration of a company (入驻申请): anyone may apply; rate-limited per client" };

/** The request body as bytes, refused (413) as soon as it passes the licence cap. */
async function bodyOf(req: Request): Promise<Uint8Array> {
  const declared = Number(req.header("content-length") ?? 0);
  if (declared > LICENCE_MAX_BYTES) throw tooLarge(declared);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > LICENCE_MAX_BYTES) throw tooLarge(n);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;

export function onboardingRoutes(svc: OnboardingService, limit: RequestHandler): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/onboarding/licences",
      SELF,
      "Upload a business licence scan (JPEG, PNG or PDF, at most 5 MB, the raw file as the body)",
      responds(licenceSchema, 201),
      limit,
      async (req, res) => {
        // A JSON body was read by the JSON parser already: its type is refused before the stream is read.
        const type = req.header("content-type");
        const body = /json/i.test(type ?? "") ? new Uint8Array() : await bodyOf(req);
        res.status(201).json(await svc.uploadLicence(auditContext(req, res), type, body));
      },
    ),
    route(
      "post",
      "/api/v1/onboarding/applications",
      SELF,
      "Register my company (no login): USCC, kind, region, the uploaded licence and the first admin; pending review",
      responds(registeredSchema, 201),
      limit,
      validate({ body: registrationBody }),
      async (req, res) => {
        const out = await svc.register(auditContext(req, res), res.locals.body as Registration);
        res.status(201).json({ application: out.application, admin: { id: out.adminId } });
      },
    ),
    route(
      "get",
      "/api/v1/onboarding/application",
      { permission: "company:view" },
      "My company's application: its status, the reasons of a refusal and every step",
      responds(applicationSchema),
      async (_req, res) => {
        res.json(await svc.mine(principalOf(res)));
      },
    ),
    route(
      "get",
      "/api/v1/onboarding/application/licence",
      { permission: "company:view" },
      "The business licence my company's application carries",
      responds(raw("application/octet-stream")),
      async (_req, res) => {
        const f = await svc.mineLicence(principalOf(res));
        res.type(f.type).setHeader("cache-control", "private, no-store").send(f.body);
      },
    ),
    route(
      "post",
      "/api/v1/onboarding/application/resubmit",
      { permission: "company:edit" },
      "Correct and resubmit my company's refused application (a new round of review)",
      responds(applicationSchema),
      validate({ body: resubmitBody }),
      async (req, res) => {
        res.json(await svc.resubmit(auditContext(req, res), principalOf(res), res.locals.body as Resubmission));
      },
    ),
    route(
      "get",
      "/api/v1/onboarding/applications",
      { permission: "company_application:view" },
      "The review queue (platform): applications by status, oldest first",
      responds(queueSchema),
      validate({ query: queueQuery }),
      async (_req, res) => {
        res.json(await svc.queue(res.locals.query as QueueQuery));
      },
    ),
    route(
      "get",
      "/api/v1/onboarding/applications/:id",
      { permission: "company_application:view" },
      "One application with its steps (platform)",
      responds(applicationSchema),
      validate({ params: applicationParams }),
      async (_req, res) => {
        res.json(await svc.get(id(res)));
      },
    ),
    route(
      "get",
      "/api/v1/onboarding/applications/:id/licence",
      { permission: "company_application:view" },
      "The business licence of an application (platform)",
      responds(raw("application/octet-stream")),
      validate({ params: applicationParams }),
      async (_req, res) => {
        const f = await svc.licenceOf(id(res));
        res.type(f.type).setHeader("cache-control", "private, no-store").send(f.body);
      },
    ),
    route(
      "post",
      "/api/v1/onboarding/applications/:id/approve",
      { permission: "company_application:approve" },
      "Approve an application: the first approval files a two-person request, a second person's approval admits it",
      responds(applicationSchema),
      validate({ params: applicationParams, body: approveBody }),
      async (req, res) => {
        res.json(await svc.approve(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/onboarding/applications/:id/refuse",
      { permission: "company_application:reject" },
      "Refuse an application, with the reason the applicant reads",
      responds(applicationSchema),
      validate({ params: applicationParams, body: refuseBody }),
      async (req, res) => {
        const { reason } = res.locals.body as { reason: string };
        res.json(await svc.refuse(auditContext(req, res), principalOf(res), id(res), reason));
      },
    ),
  ];
}
