import { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Gs1Service } from "./gs1.service.js";
import { responds } from "../../http/responds.js";
import { gs1PrefixSchema } from "./gs1.schema.js";

const licenceRef = z.string().trim().min(3).max(80);
const registerBody = z.object({ prefix: z.string().max(20), licenceRef }).strict();
const listQuery = z.object({ status: z.enum(["submitted", "verified", "rejected"]).optional() }).strict();
const idParams = z.object({ id: z.string().regex(/^gp_[0-9a-f]{16}$/, "a GS1 prefix id gp_…") }).strict();
const verifyBody = z.object({ licenceRef }).strict();
const rejectBody = z.object({ reason: z.string().trim().min(1).max(200) }).strict();
const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;

/** GS1 company prefixes: registered by manufacturers, verified by the platform operator; minting follows them. */
export function gs1Routes(gs1: Gs1Service): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/gs1-prefixes",
      { permission: "gs1_prefix:create" },
      "Register a GS1 company prefix of my company, with its licence reference (the platform verifies it)",
      responds(gs1PrefixSchema, 201),
      validate({ body: registerBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof registerBody>;
        res.status(201).json(await gs1.register(auditContext(req, res), principalOf(res), b.prefix, b.licenceRef));
      },
    ),
    route(
      "get",
      "/api/v1/gs1-prefixes",
      { permission: "gs1_prefix:view" },
      "My company's GS1 prefixes (the platform: every company's)",
      responds(z.object({ prefixes: z.array(gs1PrefixSchema) })),
      validate({ query: listQuery }),
      async (_req, res) => {
        res.json({
          prefixes: await gs1.list(principalOf(res), (res.locals.query as z.infer<typeof listQuery>).status ?? null),
        });
      },
    ),
    route(
      "get",
      "/api/v1/gs1-prefixes/:id",
      { permission: "gs1_prefix:view" },
      "One GS1 prefix registration",
      responds(gs1PrefixSchema),
      validate({ params: idParams }),
      async (req, res) => {
        res.json(await gs1.get(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "post",
      "/api/v1/gs1-prefixes/:id/verify",
      { permission: "gs1_prefix:approve" },
      "Verify a GS1 prefix against its licence (platform); refused when it overlaps another company's",
      responds(gs1PrefixSchema),
      validate({ params: idParams, body: verifyBody }),
      async (req, res) => {
        res.json(
          await gs1.decide(
            auditContext(req, res),
            principalOf(res),
            id(res),
            "verify",
            res.locals.body as z.infer<typeof verifyBody>,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/gs1-prefixes/:id/reject",
      { permission: "gs1_prefix:reject" },
      "Reject a GS1 prefix registration, with the reason (platform)",
      responds(gs1PrefixSchema),
      validate({ params: idParams, body: rejectBody }),
      async (req, res) => {
        res.json(
          await gs1.decide(
            auditContext(req, res),
            principalOf(res),
            id(res),
            "reject",
            res.locals.body as z.infer<typeof rejectBody>,
          ),
        );
      },
    ),
  ];
}
