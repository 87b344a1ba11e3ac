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
