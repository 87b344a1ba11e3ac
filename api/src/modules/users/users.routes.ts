import type { RequestHandler } from "express";
import { z } from "zod";
import { validate } from "../../http/validate.js";
import { wantsReveal } from "../../security/personal-data.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  createUserBody,
  decisionBody,
  idParams,
  loginBody,
  roleGrantBody,
  updateUserBody,
  approvalSchema,
  loginResponse,
  meResponse,
  userSchema,
  type CreateUser,
  type UpdateUser,
} from "./users.schema.js";
import type { UsersService } from "./users.service.js";
import { empty, responds } from "../../http/responds.js";

const approvalQuery = z
  .object({ status: z.enum(["submitted", "approved", "rejected", "cancelled"]).optional() })
  .strict();
const revealQuery = z.object({ reveal: z.enum(["true", "false"]).optional() }).strict();
const id = (res: { locals: Record<string, unknown> }) => (res.locals.params as { id: string }).id;

/** Login sessions, users of the caller's company, and the approval of role grants (two-person rule). */
export function usersRoutes(users: UsersService, loginLimit: RequestHandler): RouteSpec[] {
  return [
    route(
      "post",
      "/api/v1/auth/login",
      { public: "logging in; rate-limited per client address, accounts lock after repeated failures" },
      "Log in with mobile or e-mail and password",
      responds(loginResponse),
      loginLimit,
      validate({ body: loginBody }),
      async (req, res) => {
        const { login, password } = res.locals.body as z.infer<typeof loginBody>;
        res.json(
          await users.login(login, password, {
            ip: req.ip ?? null,
            userAgent: req.header("user-agent") ?? null,
            requestId: res.locals.requestId as string,
          }),
        );
      },
    ),
    route(
      "post",
      "/api/v1/auth/logout",
      { authenticated: true },
      "End this session",
      responds(empty(), 204),
      async (req, res) => {
        await users.logout(auditContext(req, res), principalOf(res));
        res.status(204).end();
      },
    ),
    route(
      "get",
      "/api/v1/auth/me",
      { authenticated: true },
      "Who am I: identity, company, roles and permissions",
      responds(meResponse),
      (_req, res) => {
        const p = principalOf(res);
        res.json({
          type: p.type,
          id: p.id,
          companyId: p.companyId,
          kind: p.kind,
          roles: p.roles,
          permissions: [...p.permissions].sort(),
        });
      },
    ),
    route(
      "get",
      "/api/v1/users",
      { permission: "user:view" },
      "Users of my company (personal data masked unless ?reveal=true)",
      responds(z.object({ users: z.array(userSchema) })),
      validate({ query: revealQuery }),
      async (req, res) => {
        const p = principalOf(res);
        res.json({ users: await users.list(p, wantsReveal(req, p), auditContext(req, res)) });
      },
    ),
    route(
      "post",
      "/api/v1/users",
      { permission: "user:create" },
      "Create a user in my company",
      responds(userSchema, 201),
      validate({ body: createUserBody }),
      async (req, res) => {
        res
          .status(201)
          .json(await users.create(auditContext(req, res), principalOf(res), res.locals.body as CreateUser));
      },
    ),
    route(
      "get",
      "/api/v1/users/:id",
      { permission: "user:view" },
      "One user of my company",
      responds(userSchema),
      validate({ params: idParams, query: revealQuery }),
      async (req, res) => {
        const p = principalOf(res);
        res.json(await users.get(auditContext(req, res), p, id(res), wantsReveal(req, p)));
      },
    ),
    route(
      "patch",
      "/api/v1/users/:id",
      { permission: "user:edit" },
      "Change a user's name, mobile, e-mail or password",
      responds(userSchema),
      validate({ params: idParams, body: updateUserBody }),
      async (req, res) => {
        res.json(await users.update(auditContext(req, res), principalOf(res), id(res), res.locals.body as UpdateUser));
      },
    ),
    route(
      "delete",
      "/api/v1/users/:id",
      { permission: "user:delete" },
      "Disable a user and end its sessions",
      responds(empty(), 204),
      validate({ params: idParams }),
      async (req, res) => {
        await users.disable(auditContext(req, res), principalOf(res), id(res));
        res.status(204).end();
      },
    ),
    route(
      "post",
      "/api/v1/users/:id/role-grants",
      { permission: "user:submit" },
      "Request roles for a user (a second person approves)",
      responds(approvalSchema, 202),
      validate({ params: idParams, body: roleGrantBody }),
      async (req, res) => {
        const { roles, reason } = res.locals.body as z.infer<typeof roleGrantBody>;
        res
          .status(202)
          .json(await users.requestRoleGrant(auditContext(req, res), principalOf(res), id(res), roles, reason));
      },
    ),
    route(
      "get",
      "/api/v1/approvals",
      { permission: "user:view" },
      "Approval requests of my company",
      responds(z.object({ approvals: z.array(approvalSchema) })),
      validate({ query: approvalQuery }),
      async (req, res) => {
        res.json({
          approvals: await users.approvals(
            auditContext(req, res),
            principalOf(res),
            (res.locals.query as z.infer<typeof approvalQuery>).status,
          ),
        });
      },
    ),
    route(
      "get",
      "/api/v1/approvals/:id",
      { permission: "user:view" },
      "One approval request",
      responds(approvalSchema),
      validate({ params: idParams }),
      async (req, res) => {
        res.json(await users.approval(auditContext(req, res), principalOf(res), id(res)));
      },
    ),
    ...(["approve", "reject", "cancel"] as const).map((verb) =>
      route(
        "post",
        `/api/v1/approvals/:id/${verb}`,
        { permission: `user:${verb}` },
        `${verb[0]!.toUpperCase()}${verb.slice(1)} a role-grant request`,
        responds(approvalSchema),
        validate({ params: idParams, body: decisionBody }),
        async (req, res) => {
          const decision = verb === "approve" ? "approved" : verb === "reject" ? "rejected" : "cancelled";
          res.json(
            await users.decide(
              auditContext(req, res),
              principalOf(res),
              id(res),
              decision,
              (res.locals.body as { reason?: string }).reason,
            ),
          );
        },
      ),
    ),
  ];
}
