import { z } from "zod";
import { validate } from "../../http/validate.js";
import { wantsReveal } from "../../security/personal-data.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { Company } from "../orgs/orgs.service.js";
import type { InstallationsService } from "./installations.service.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import {
  installationBody,
  installationSchema,
  installResponse,
  mintResponse,
  receiptResponse,
  mintBody,
  receiptBody,
  type InstallationBody,
  type MintBody,
  type ReceiptBody,
} from "./parts.schema.js";
import type { PartsService } from "./parts.service.js";
import { responds } from "../../http/responds.js";

const listQuery = z
  .object({
    vin: z.string().max(17).optional(),
    mobile: z.string().max(20).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    reveal: z.enum(["true", "false"]).optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().regex(/^in_[0-9a-f]{16}$/, "an installation id in_…") }).strict();
const revealQuery = z.object({ reveal: z.enum(["true", "false"]).optional() }).strict();

export function partsRoutes(parts: PartsService, installations: InstallationsService): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/mint",
      { permission: "part:create" },
      "Mint part identities (commissioning events)",
      responds(mintResponse, 201),
      validate({ body: mintBody }),
      async (req, res) => {
        const reply = await parts.mint(
          auditContext(req, res),
          res.locals.company as Company,
          res.locals.body as MintBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "post",
      "/api/v1/receipts",
      { permission: "custody:create" },
      "Receive parts (receiving events)",
      responds(receiptResponse, 201),
      validate({ body: receiptBody }),
      async (req, res) => {
        const reply = await parts.receive(
          auditContext(req, res),
          res.locals.company as Company,
          res.locals.body as ReceiptBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "post",
      "/api/v1/installations",
      { permission: "installation:create" },
      "Install a part in a car (installing event; VIN and owner encrypted)",
      responds(installResponse, 201),
      validate({ body: installationBody }),
      async (req, res) => {
        const reply = await parts.install(
          auditContext(req, res),
          res.locals.company as Company,
          res.locals.body as InstallationBody,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/installations",
      { permission: "installation:view" },
      "My installation records; ?vin= or ?mobile= search by blind index; masked unless ?reveal=true",
      responds(z.object({ installations: z.array(installationSchema) })),
      validate({ query: listQuery }),
      async (req, res) => {
        const p = principalOf(res);
        const q = res.locals.query as z.infer<typeof listQuery>;
        res.json({ installations: await installations.list(auditContext(req, res), p, q, wantsReveal(req, p)) });
      },
    ),
    route(
      "get",
      "/api/v1/installations/:id",
      { permission: "installation:view" },
      "One installation record",
      responds(installationSchema),
      validate({ params: idParams, query: revealQuery }),
      async (req, res) => {
        const p = principalOf(res);
        res.json(
          await installations.get(
            auditContext(req, res),
            p,
            (res.locals.params as { id: string }).id,
            wantsReveal(req, p),
          ),
        );
      },
    ),
  ];
}
