import { z } from "zod";

const roleId = z
  .string()
  .regex(/^[a-z_]{2,40}$|^r_[0-9a-f]{16}$/, "a built-in role id (e.g. warehouse_clerk) or a custom role id r_…");
const name = z.string().trim().min(1).max(60);
const mobile = z.string().min(5).max(20);
const email = z.string().trim().min(3).max(254).email();
export const password = z.string().min(10, "at least 10 characters").max(128);

export const createUserBody = z
  .object({
    name,
    mobile: mobile.optional(),
    email: email.optional(),
    password,
    roles: z.array(roleId).max(10).default([]),
  })
  .strict()
  .refine((b) => b.mobile !== undefined || b.email !== undefined, {
    message: "a mobile number or an e-mail address is required to log in",
    path: ["mobile"],
  });

export const updateUserBody = z
  .object({ name: name.optional(), mobile: mobile.optional(), email: email.optional(), password: password.optional() })
  .strict();

export const roleGrantBody = z
  .object({ roles: z.array(roleId).min(1).max(10), reason: z.string().trim().max(200).optional() })
  .strict();

export const decisionBody = z.object({ reason: z.string().trim().max(200).optional() }).strict();

export const loginBody = z
  .object({ login: z.string().trim().min(3).max(254), password: z.string().min(1).max(128) })
  .strict();

export const idParams = z
  .object({ id: z.string().regex(/^[a-z]{1,3}_[0-9a-f]{16}$/, "an id like u_0123456789abcdef") })
  .strict();

export type CreateUser = z.infer<typeof createUserBody>;
export type UpdateUser = z.infer<typeof updateUserBody>;

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const userSchema = z
  .object({
    id: z.string(),
    companyId: z.string().nullable(),
    name: z.string().describe("masked unless revealed"),
    mobile: z.string().nullable(),
    email: z.string().nullable(),
    roles: z.array(z.string()),
    status: z.string(),
    createdAt: z.string().describe("ISO 8601"),
    masked: z.boolean(),
  })
  .meta({ id: "User" });

export const loginResponse = z
  .object({
    token: z.string(),
    tokenType: z.literal("Bearer"),
    expiresAt: z.string(),
    user: userSchema,
    name: z.string().describe("the signed-in user's own name, unmasked (their own data; `user` stays masked)"),
  })
  .meta({ id: "Session" });

export const meResponse = z
  .object({
    type: z.enum(["user", "api_key", "operator"]),
    id: z.string(),
    companyId: z.string().nullable(),
    kind: z
      .enum(["manufacturer", "distributor", "repair_shop", "lender", "service_provider", "platform"])
      .describe("the company kind, or platform"),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
  })
  .meta({ id: "Me" });

export const approvalSchema = z
  .object({
    id: z.string(),
    kind: z.string().describe("role_grant, role_change …"),
    userId: z.string().optional().describe("role_grant: the user"),
    roles: z.array(z.string()).optional().describe("role_grant: the roles asked for"),
    roleId: z.string().optional().describe("role_change: the custom role"),
    permissions: z.array(z.string()).optional().describe("role_change: the permissions added"),
    subjectId: z.string().optional().describe("other kinds: what the request is about"),
    status: z.enum(["submitted", "approved", "rejected", "cancelled"]),
    submittedBy: z.string(),
    submittedAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    reason: z.unknown().nullable(),
  })
  .meta({ id: "Approval" });
