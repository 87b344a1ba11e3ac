import { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import type { AccessAdminService } from "./access.service.js";
import { empty, responds } from "../../http/responds.js";
import {
  apiKeySchema,
  apiKeysResponse,
  createdApiKeyResponse,
  rolePendingResponse,
  roleSchema,
  rolesResponse,
} from "./access.schema.js";

const roleBody = z
  .object({ name: z.string().trim().min(1).max(60), permissions: z.array(z.string().max(60)).min(1).max(100) })
  .strict();
const roleUpdate = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    permissions: z.array(z.string().max(60)).min(1).max(100).optional(),
  })
  .strict();
const keyBody = z
  .object({
    name: z.string().trim().min(1).max(60),
    roles: z
      .array(z.string().regex(/^[a-z_]{2,40}$|^r_[0-9a-f]{16}$/, "a role id"))
      .min(1)
      .max(10),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
const roleParams = z.object({ id: z.string().regex(/^r_[0-9a-f]{16}$/, "a custom role id r_…") }).strict();
const keyParams = z.object({ id: z.string().regex(/^k_[0-9a-f]{16}$/, "an API key id k_…") }).strict();
const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;

export function accessRoutes(svc: AccessAdminService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/roles",
      { permission: "role:view" },
      "Built-in and custom roles, and the permissions my company can grant",
      responds(rolesResponse),
      async (_req, res) => {
        res.json(await svc.roles(principalOf(res)));
      },
    ),
    route(
      "post",
      "/api/v1/roles",
      { permission: "role:create" },
      "Create a custom role",
      responds(roleSchema, 201),
      validate({ body: roleBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof roleBody>;
        res.status(201).json(await svc.createRole(auditContext(req, res), principalOf(res), b.name, b.permissions));
      },
    ),
    route(
      "patch",
      "/api/v1/roles/:id",
      { permission: "role:edit" },
      "Rename a custom role or change its permissions (privileged additions wait for a second person: 202)",
      responds(roleSchema),
      responds(rolePendingResponse, 202),
      validate({ params: roleParams, body: roleUpdate }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof roleUpdate>;
        const out = await svc.updateRole(auditContext(req, res), principalOf(res), id(res), b.name, b.permissions);
        res.status("pendingApproval" in out ? 202 : 200).json(out);
      },
    ),
    route(
      "delete",
      "/api/v1/roles/:id",
      { permission: "role:delete" },
      "Delete a custom role nobody holds",
      responds(empty(), 204),
      validate({ params: roleParams }),
      async (req, res) => {
        await svc.deleteRole(auditContext(req, res), principalOf(res), id(res));
        res.status(204).end();
      },
    ),
    route(
      "get",
      "/api/v1/api-keys",
      { permission: "api_key:view" },
      "API keys of my company (never the keys themselves)",
      responds(apiKeysResponse),
      async (_req, res) => {
        res.json({ apiKeys: await svc.keys(principalOf(res)) });
      },
    ),
    route(
      "post",
      "/api/v1/api-keys",
      { permission: "api_key:create" },
      "Create a scoped API key (shown once)",
      responds(createdApiKeyResponse, 201),
      validate({ body: keyBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof keyBody>;
        res
          .status(201)
          .json(await svc.createKey(auditContext(req, res), principalOf(res), b.name, b.roles, b.expiresInDays));
      },
    ),
    route(
      "post",
      "/api/v1/api-keys/:id/adopt",
      { permission: "api_key:create" },
      "Take over a key whose creator is disabled: it then acts for me (audited)",
      responds(apiKeySchema),
      validate({ params: keyParams }),
      async (req, res) => {
        res.json(await svc.adoptKey(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    route(
      "delete",
      "/api/v1/api-keys/:id",
      { permission: "api_key:delete" },
      "Revoke an API key",
      responds(empty(), 204),
      validate({ params: keyParams }),
      async (req, res) => {
        await svc.revokeKey(auditContext(req, res), principalOf(res), id(res));
        res.status(204).end();
      },
    ),
  ];
}
