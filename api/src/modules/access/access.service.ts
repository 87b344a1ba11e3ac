import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { sha256, type AccessService } from "../../security/access.js";
import { BUILT_IN_ROLES, builtInPermissions, isBuiltIn, isPermission, permissionsOfKind, type BuiltInRoleId, type Permission } from "../../security/permissions.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { accessRepository as repo, type KeyRow } from "./access.repository.js";

/** Custom roles and API keys of a company. A key never holds more than its creator: no escalation through keys. */
export class AccessAdminService {
  constructor(
    private readonly db: Sql,
    private readonly access: AccessService,
  ) {}

  async roles(principal: Principal) {
    const builtIn = (Object.keys(BUILT_IN_ROLES) as BuiltInRoleId[]).flatMap((id) => {
      const perms = builtInPermissions(id, principal.kind);
      return perms ? [{ id, name: BUILT_IN_ROLES[id].name, builtIn: true, permissions: perms }] : [];
    });
    const custom = principal.companyId ? (await repo.roles(this.db, principal.companyId)).map((r) => ({ id: r.id, name: r.name, builtIn: false, permissions: r.permissions })) : [];
    return { roles: [...builtIn, ...custom], grantable: permissionsOfKind(principal.kind) };
  }

  async createRole(ctx: AuditContext, principal: Principal, name: string, permissions: string[]) {
    const companyId = this.company(principal);
    const perms = this.assertPermissions(principal, permissions);
    const id = `r_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      if (!(await repo.insertRole(tx, { id, companyId, name, permissions: perms }))) throw new AppError("ROLE.EXISTS", `your company already has a role named ${name}`, 409, { field: "name" });
      await auditTrail.append(tx, { ...ctx, companyId, action: "role.create", resource: "role", resourceId: id, changes: { name: { after: name }, permissions: { after: perms } } });
    });
    return { id, name, builtIn: false, permissions: perms };
  }

  async updateRole(ctx: AuditContext, principal: Principal, id: string, name: string | undefined, permissions: string[] | undefined) {
    const row = await this.ownRole(ctx, principal, id);
    const perms = permissions ? this.assertPermissions(principal, permissions) : row.permissions;
    await this.db.transaction(async (tx) => {
      await repo.updateRole(tx, id, name ?? row.name, perms);
      await auditTrail.append(tx, { ...ctx, companyId: row.company_id, action: "role.update", resource: "role", resourceId: id, changes: { name: { before: row.name, after: name ?? row.name }, permissions: { before: row.permissions, after: perms } } });
    });
    this.access.invalidate();
    return { id, name: name ?? row.name, builtIn: false, permissions: perms };
  }

  async deleteRole(ctx: AuditContext, principal: Principal, id: string) {
    const row = await this.ownRole(ctx, principal, id);
    const holders = await repo.holders(this.db, row.company_id, id);
    if (holders > 0) throw new AppError("ROLE.IN_USE", `role ${row.name} is held by ${holders} user(s) or key(s); take it away first`, 409);
    await this.db.transaction(async (tx) => {
      await repo.deleteRole(tx, id);
      await auditTrail.append(tx, { ...ctx, companyId: row.company_id, action: "role.delete", resource: "role", resourceId: id, changes: { name: { before: row.name }, permissions: { before: row.permissions } } });
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
      if (!isBuiltIn(r) && !(await repo.role(this.db, r).then((x) => x?.company_id === companyId))) throw new AppError("ROLE.UNKNOWN", `role ${r} does not exist for your company`, 400, { field: "roles" });
      if (isBuiltIn(r) && !builtInPermissions(r, principal.kind)) throw new AppError("ROLE.UNKNOWN", `role ${r} does not exist for a ${principal.kind}`, 400, { field: "roles" });
    }
    const beyond = [...granted].filter((p) => !principal.permissions.has(p));
    if (beyond.length > 0) throw new AppError("AUTH.ESCALATION", `a key cannot hold permissions you do not hold yourself: ${beyond.join(", ")}`, 403, { field: "roles" });
    const key = `pl_${randomBytes(32).toString("base64url")}`;
    const id = `k_${randomBytes(8).toString("hex")}`;
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    await this.db.transaction(async (tx) => {
      await repo.insertKey(tx, { id, companyId, name, prefix: key.slice(0, 10), keyHash: sha256(key), roles, createdBy: principal.person, expiresAt });
      await auditTrail.append(tx, { ...ctx, companyId, action: "api_key.create", resource: "api_key", resourceId: id, changes: { name: { after: name }, roles: { after: roles }, expiresAt: { after: expiresAt?.toISOString() ?? null } } });
    });
    return { ...keyView((await repo.key(this.db, id))!), apiKey: key, apiKeyNotice: "store this key now: it is shown only once" };
  }

  async revokeKey(ctx: AuditContext, principal: Principal, id: string) {
    const row = await repo.key(this.db, id);
    if (!row) throw notFound("API key", id);
    if (row.company_id !== principal.companyId) await crossTenant(this.db, ctx, principal, "API key", id, row.company_id);
    await this.db.transaction(async (tx) => {
      if (!(await repo.revokeKey(tx, id))) throw new AppError("API_KEY.REVOKED", `API key ${id} is already revoked`, 409);
      await auditTrail.append(tx, { ...ctx, companyId: row.company_id, action: "api_key.revoke", resource: "api_key", resourceId: id, changes: { revokedAt: { before: null, after: "now" } } });
    });
    this.access.invalidate();
  }

  private async ownRole(ctx: AuditContext, principal: Principal, id: string) {
    const row = await repo.role(this.db, id);
    if (!row) throw notFound("role", id);
    if (row.company_id !== principal.companyId) return crossTenant(this.db, ctx, principal, "role", id, row.company_id);
    return row;
  }

  private company(principal: Principal): string {
    if (!principal.companyId) throw new AppError("ORG.REQUIRED", "custom roles and API keys belong to a company; the platform has none", 409);
    return principal.companyId;
  }

  private assertPermissions(principal: Principal, permissions: string[]): Permission[] {
    const allowed = new Set(permissionsOfKind(principal.kind));
    for (const p of permissions) {
      if (!isPermission(p)) throw new AppError("ROLE.UNKNOWN_PERMISSION", `${p} is not a permission (resource:level, see GET /api/v1/roles → grantable)`, 400, { field: "permissions" });
      if (!allowed.has(p)) throw new AppError("ROLE.PERMISSION_NOT_GRANTABLE", `a ${principal.kind} cannot hold ${p}`, 400, { field: "permissions" });
    }
    return [...new Set(permissions as Permission[])].sort();
  }
}

const keyView = (k: KeyRow) => ({
  id: k.id, name: k.name, prefix: k.prefix, roles: k.roles, createdBy: k.created_by, createdAt: k.created_at.toISOString(),
  expiresAt: k.expires_at?.toISOString() ?? null, revokedAt: k.revoked_at?.toISOString() ?? null,
});
