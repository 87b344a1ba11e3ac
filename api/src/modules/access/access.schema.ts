import { z } from "zod";
import { approvalSchema } from "../users/users.schema.js";

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const roleSchema = z
  .object({ id: z.string(), name: z.string(), builtIn: z.boolean(), permissions: z.array(z.string()) })
  .meta({ id: "Role" });

export const rolesResponse = z
  .object({
    roles: z.array(roleSchema),
    grantable: z.array(z.string()).describe("the permissions my company's roles and keys can hold"),
  })
  .meta({ id: "Roles" });

/** A role whose privileged additions wait for a second person (202). */
export const rolePendingResponse = roleSchema
  .extend({ pendingApproval: approvalSchema })
  .meta({ id: "RolePendingApproval" });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe("the first characters of the key, to recognise it"),
    roles: z.array(z.string()),
    createdBy: z.string().nullable().describe("the person the key acts for"),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: "ApiKey" });

export const apiKeysResponse = z.object({ apiKeys: z.array(apiKeySchema) });

export const createdApiKeyResponse = apiKeySchema
  .extend({ apiKey: z.string().describe("the key itself, shown only once"), apiKeyNotice: z.string() })
  .meta({ id: "CreatedApiKey" });
