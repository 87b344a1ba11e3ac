import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { sha256, type AccessService } from "../../security/access.js";
import {
  BUILT_IN_ROLES,
  builtInPermissions,
  isBuiltIn,
  isPermission,
  isPrivileged,
  permissionsOfKind,
  type BuiltInRoleId,
  type Permission,
} from "../../security/permissions.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import type { UsersService } from "../users/users.service.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { accessRepository as repo, type KeyRow } from "./access.repository.js";

/**
 * Custom roles and API keys of a company. Nobody puts into a role or a key a permission they do not hold; a role made
 * more privileged waits for a second person (an approval request of kind "role_change"), as a privileged grant does.
 */
export class AccessAdminService {
  constructor(
    private readonly db: Sql,
    private readonly access: AccessService,
    private readonly users: UsersService,
  ) {
    users.registerApprovalKind("role_change", (tx, ctx, approver, request) =>
      this.applyRoleChange(tx, ctx, approver, request.subjectId, request.payload.add as string[]),
    );
  }

  async roles(principal: Principal) {
    const builtIn = (Object.keys(BUILT_IN_ROLES) as BuiltInRoleId[]).flatMap((id) => {
      const perms = builtInPermissions(id, principal.kind);
      return perms ? [{ id, name: BUILT_IN_ROLES[id].name, builtIn: true, permissions: perms }] : [];
    });
    const custom = principal.companyId
      ? (await repo.roles(this.db, principal.companyId)).map((r) => ({
          id: r.id,
          name: r.name,
          builtIn: false,
          permissions: r.permissions,
        }))
      : [];
    return { roles: [...builtIn, ...custom], grantable: permissionsOfKind(principal.kind) };
  }

  async createRole(ctx: AuditContext, principal: Principal, name: string, permissions: string[]) {
    const companyId = this.company(principal);
    const perms = this.assertPermissions(principal, permissions);
    assertHeld(principal, perms);
    const id = `r_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      if (!(await repo.insertRole(tx, { id, companyId, name, permissions: perms })))
        throw new AppError("ROLE.EXISTS", `your company already has a role named ${name}`, 409, { field: "name" });
      await auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "role.create",
        resource: "role",
        resourceId: id,
        changes: { name: { after: name }, permissions: { after: perms } },
      });
    });
    return { id, name, builtIn: false, permissions: perms };
  }

  /**
   * Renames a role and changes its permissions. Removals and non-privileged additions apply at once; privileged
   * additions (approve, audit, administer, configure, personal-data reveal) become a request a second person approves
   * (`pendingApproval` in the answer, 202). Every permission added must be one the editor holds.
   */
  async updateRole(
    ctx: AuditContext,
    principal: Principal,
    id: string,
    name: string | undefined,
    permissions: string[] | undefined,
  ) {
    const row = await this.ownRole(ctx, principal, id);
    const wanted = permissions ? this.assertPermissions(principal, permissions) : (row.permissions as Permission[]);
    const added = wanted.filter((p) => !row.permissions.includes(p));
    assertHeld(principal, added);
    const pending = added.filter(isPrivileged);
    const now = wanted.filter((p) => !pending.includes(p));
    let approvalId: string | null = null;
    if (pending.length > 0) personOf(principal, "make a role more privileged (a second person approves it)");
    await this.db.transaction(async (tx) => {
      await repo.updateRole(tx, id, name ?? row.name, now);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "role.update",
        resource: "role",
        resourceId: id,
        changes: {
          name: { before: row.name, after: name ?? row.name },
          permissions: { before: row.permissions, after: now },
        },
      });
      if (pending.length > 0) {
        approvalId = await this.users.submitApproval(
          tx,
          ctx,
          principal,
          "role_change",
          id,
          { add: pending },
          { permissions: { before: now, after: [...now, ...pending].sort() } },
        );
      }
    });
    this.access.invalidate();
    const role = { id, name: name ?? row.name, builtIn: false, permissions: now };
    return approvalId ? { ...role, pendingApproval: await this.users.approval(ctx, principal, approvalId) } : role;
  }

  /** An approved "role_change": the approver, too, must hold what is added; the role must still exist. */
  private async applyRoleChange(tx: Sql, ctx: AuditContext, approver: Principal, id: string, add: string[]) {
    const row = await repo.role(tx, id);
    if (!row)
      throw new AppError("APPROVAL.SUBJECT_GONE", `role ${id} was deleted after the request; nothing to approve`, 409);
    const perms = add.filter(isPermission);
    assertHeld(approver, perms);
    const after = [...new Set([...row.permissions, ...perms])].sort();
    await repo.updateRole(tx, id, row.name, after);
    await auditTrail.append(tx, {
      ...ctx,
      companyId: row.company_id,
      action: "role.update",
      resource: "role",
      resourceId: id,
      changes: { permissions: { before: row.permissions, after } },
    });
  }

  async deleteRole(ctx: AuditContext, principal: Principal, id: string) {
    const row = await this.ownRole(ctx, principal, id);
    const holders = await repo.holders(this.db, row.company_id, id);
    if (holders > 0)
      throw new AppError(
        "ROLE.IN_USE",
        `role ${row.name} is held by ${holders} user(s) or key(s); take it away first`,
        409,
      );
    await this.db.transaction(async (tx) => {
      await repo.deleteRole(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "role.delete",
        resource: "role",
        resourceId: id,
        changes: { name: { before: row.name }, permissions: { before: row.permissions } },
      });
    });
    this.access.invalidate();
  }

  async keys(principal: Principal) {
    return (await repo.keys(this.db, this.company(principal))).map(keyView);
  }

  /** A new API key holding `roles` — each within the creator's own permissions. The key is in this answer only. */
  async createKey(ctx: AuditContext, principal: Principal, name: string, roles: string[], expiresInDays?: number) {
    const companyId = this.company(principal);
    const granted = await this.access.permissionsOf(roles, principal.kind, companyId);
    for (const r of roles) {
      if (!isBuiltIn(r) && !(await repo.role(this.db, r).then((x) => x?.company_id === companyId)))
        throw new AppError("ROLE.UNKNOWN", `role ${r} does not exist for your company`, 400, { field: "roles" });
      if (isBuiltIn(r) && !builtInPermissions(r, principal.kind))
        throw new AppError("ROLE.UNKNOWN", `role ${r} does not exist for a ${principal.kind}`, 400, { field: "roles" });
    }
    const beyond = [...granted].filter((p) => !principal.permissions.has(p));
    if (beyond.length > 0)
      throw new AppError(
        "AUTH.ESCALATION",
        `a key cannot hold permissions you do not hold yourself: ${beyond.join(", ")}`,
        403,
        { field: "roles" },
      );
    const key = `pl_${randomBytes(32).toString("base64url")}`;
    const id = `k_${randomBytes(8).toString("hex")}`;
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    await this.db.transaction(async (tx) => {
      await repo.insertKey(tx, {
        id,
        companyId,
        name,
        prefix: key.slice(0, 10),
        keyHash: sha256(key),
        roles,
        createdBy: principal.person,
        expiresAt,
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "api_key.create",
        resource: "api_key",
        resourceId: id,
        changes: {
          name: { after: name },
          roles: { after: roles },
          expiresAt: { after: expiresAt?.toISOString() ?? null },
        },
      });
    });
    return {
      ...keyView((await repo.key(this.db, id))!),
      apiKey: key,
      apiKeyNotice: "store this key now: it is shown only once",
    };
  }

  async revokeKey(ctx: AuditContext, principal: Principal, id: string) {
    const row = await repo.key(this.db, id);
    if (!row) throw notFound("API key", id);
    if (row.company_id !== principal.companyId)
      await crossTenant(this.db, ctx, principal, "API key", id, row.company_id);
    await this.db.transaction(async (tx) => {
      if (!(await repo.revokeKey(tx, id)))
        throw new AppError("API_KEY.REVOKED", `API key ${id} is already revoked`, 409);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "api_key.revoke",
        resource: "api_key",
        resourceId: id,
        changes: { revokedAt: { before: null, after: "now" } },
      });
    });
    this.access.invalidate();
  }

  /**
   * The calling person takes over a key whose creator is disabled or gone (or that acts for nobody): from now on it
   * acts for the caller, so it must not hold more than the caller does. Audited.
   */
  async adoptKey(ctx: AuditContext, principal: Principal, id: string) {
    if (principal.type !== "user")
      throw new AppError(
        "API_KEY.ADOPT_NEEDS_PERSON",
        "a key is adopted by a person (a login session), who then answers for it",
        403,
      );
    const row = await repo.key(this.db, id);
    if (!row) throw notFound("API key", id);
    if (row.company_id !== principal.companyId)
      await crossTenant(this.db, ctx, principal, "API key", id, row.company_id);
    if (row.revoked_at) throw new AppError("API_KEY.REVOKED", `API key ${id} is revoked`, 409);
    const creator = row.created_by ? await repo.creatorStatus(this.db, row.created_by) : null;
    if (creator === "active")
      throw new AppError(
        "API_KEY.OWNER_ACTIVE",
        `API key ${id} acts for ${row.created_by}, who is active; only a key whose creator is disabled can be adopted`,
        409,
      );
    const granted = await this.access.permissionsOf(row.roles, principal.kind, row.company_id);
    const beyond = [...granted].filter((p) => !principal.permissions.has(p));
    if (beyond.length > 0)
      throw new AppError(
        "AUTH.ESCALATION",
        `this key holds permissions you do not hold yourself: ${beyond.join(", ")}`,
        403,
        { permissions: beyond },
      );
    await this.db.transaction(async (tx) => {
      await repo.setKeyCreator(tx, id, principal.id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "api_key.adopt",
        resource: "api_key",
        resourceId: id,
        changes: { createdBy: { before: row.created_by, after: principal.id } },
      });
    });
    this.access.invalidate();
    return keyView((await repo.key(this.db, id))!);
  }

  private async ownRole(ctx: AuditContext, principal: Principal, id: string) {
    const row = await repo.role(this.db, id);
    if (!row) throw notFound("role", id);
    if (row.company_id !== principal.companyId) return crossTenant(this.db, ctx, principal, "role", id, row.company_id);
    return row;
  }

  private company(principal: Principal): string {
    if (!principal.companyId)
      throw new AppError("ORG.REQUIRED", "custom roles and API keys belong to a company; the platform has none", 409);
    return principal.companyId;
  }

  private assertPermissions(principal: Principal, permissions: string[]): Permission[] {
    const allowed = new Set(permissionsOfKind(principal.kind));
    for (const p of permissions) {
      if (!isPermission(p))
        throw new AppError(
          "ROLE.UNKNOWN_PERMISSION",
          `${p} is not a permission (resource:level, see GET /api/v1/roles → grantable)`,
          400,
          { field: "permissions" },
        );
      if (!allowed.has(p))
        throw new AppError("ROLE.PERMISSION_NOT_GRANTABLE", `a ${principal.kind} cannot hold ${p}`, 400, {
          field: "permissions",
        });
    }
    return [...new Set(permissions as Permission[])].sort();
  }
}

/** Nobody puts into a role a permission they do not hold themselves. */
function assertHeld(principal: Principal, perms: readonly Permission[]) {
  const missing = perms.filter((p) => !principal.permissions.has(p));
  if (missing.length > 0) {
    throw new AppError(
      "ROLE.PERMISSION_NOT_HELD",
      `you cannot put into a role what you do not hold yourself: ${missing.join(", ")}`,
      403,
      { field: "permissions", permissions: missing },
    );
  }
}

const keyView = (k: KeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  roles: k.roles,
  createdBy: k.created_by,
  createdAt: k.created_at.toISOString(),
  expiresAt: k.expires_at?.toISOString() ?? null,
  revokedAt: k.revoked_at?.toISOString() ?? null,
});
