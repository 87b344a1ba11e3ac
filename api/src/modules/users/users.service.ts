import { randomBytes } from "node:crypto";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { AppError, auditTrail, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import { sha256, type AccessService } from "../../security/access.js";
import {
  builtInPermissions,
  isBuiltIn,
  isPermission,
  isPrivileged,
  type Permission,
} from "../../security/permissions.js";
import { maskEmail, maskMobile, maskName, normaliseEmail, normaliseMobile } from "../../security/personal-data.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { usersRepository as repo, type UserRow } from "./users.repository.js";
import type { CreateUser, UpdateUser } from "./users.schema.js";

/** argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1 lane). */
const ARGON = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface LoginPolicy {
  sessionTtlMinutes: number;
  maxFailures: number;
  lockMinutes: number;
}

export interface UserView {
  id: string;
  companyId: string | null;
  name: string;
  mobile: string | null;
  email: string | null;
  roles: string[];
  status: string;
  createdAt: string;
  masked: boolean;
}

const aad = (id: string, field: string) => `user:${id}:${field}`;

/** A request of another kind than a role grant, as stored; its applier runs in the approving transaction. */
export interface ApprovalRow {
  id: string;
  /** null: a request of the platform's own (a kind registered with `platform: true`). */
  companyId: string | null;
  subjectId: string;
  payload: Record<string, unknown>;
}
/** Applies an approved request of one kind (throws to refuse it: the approval then does not happen). */
export type ApprovalApplier = (tx: Sql, ctx: AuditContext, approver: Principal, request: ApprovalRow) => Promise<void>;
/** Runs in the deciding transaction when a request of its kind is rejected or cancelled (throws to refuse that). */
export type ApprovalDecliner = (
  tx: Sql,
  ctx: AuditContext,
  decider: Principal,
  request: ApprovalRow,
  decision: "rejected" | "cancelled",
  reason: string | null,
) => Promise<void>;
export interface ApprovalKindOptions {
  /** Requests of this kind are the platform's (filed and decided by platform people; company_id null). */
  platform?: boolean;
  onDecline?: ApprovalDecliner;
}

/**
 * People: created by their company's admins, logging in with mobile or e-mail and an argon2id password, holding
 * roles. Names, mobiles and e-mails are encrypted; logins are found through blind indexes. Granting a privileged
 * role is a request a second person approves.
 */
export class UsersService {
  private readonly dummyHash: Promise<string>;
  private readonly appliers = new Map<string, ApprovalApplier>();
  private readonly kinds = new Map<string, ApprovalKindOptions>();

  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
    private readonly access: AccessService,
    private readonly policy: LoginPolicy,
  ) {
    // Unknown logins still pay for one argon2 verification, so timing does not tell which logins exist.
    this.dummyHash = argonHash(randomBytes(16).toString("hex"), ARGON);
  }

  /**
   * Creates a user in the caller's tenant — or, `initial`, the platform creating a new company's first admin inside
   * the registration's transaction `tx` (companyId null: a platform user; the demo seed bootstraps its operator so).
   */
  async create(
    ctx: AuditContext,
    principal: Principal,
    input: CreateUser,
    initial?: { companyId: string | null; kind: Principal["kind"]; tx: Sql },
  ): Promise<UserView> {
    const tenant = initial ? initial.companyId : principal.companyId;
    const tx = initial?.tx;
    const kind = initial ? initial.kind : principal.kind;
    await this.assertRoles(input.roles, kind, tenant, initial ? "create" : "create-direct");
    const mobile = input.mobile === undefined ? null : this.mobile(input.mobile);
    const email = input.email === undefined ? null : normaliseEmail(input.email);
    const indexes = [
      ...(mobile ? this.vault.blindIndexes("login", mobile) : []),
      ...(email ? this.vault.blindIndexes("login", email) : []),
    ];
    const passwordHash = await argonHash(input.password, ARGON);
    const id = `u_${randomBytes(8).toString("hex")}`;
    const write = async (t: Sql) => {
      if (await repo.loginTaken(t, indexes))
        throw new AppError("USER.LOGIN_TAKEN", "this mobile number or e-mail address already belongs to a user", 409, {
          field: mobile ? "mobile" : "email",
        });
      await repo.insert(t, {
        id,
        companyId: tenant,
        nameCt: this.vault.seal(input.name, aad(id, "name")),
        mobileCt: mobile ? this.vault.seal(mobile, aad(id, "mobile")) : null,
        mobileBidx: mobile ? this.vault.blindIndex("login", mobile) : null,
        emailCt: email ? this.vault.seal(email, aad(id, "email")) : null,
        emailBidx: email ? this.vault.blindIndex("login", email) : null,
        passwordHash,
        roles: input.roles,
      });
      await auditTrail.append(t, {
        ...ctx,
        companyId: tenant,
        action: "user.create",
        resource: "user",
        resourceId: id,
        changes: {
          name: { after: maskName(input.name) },
          mobile: { after: mobile && maskMobile(mobile) },
          email: { after: email && maskEmail(email) },
          roles: { after: input.roles },
        },
      });
    };
    if (tx) await write(tx);
    else await this.db.transaction(write);
    return this.view((await repo.byId(tx ?? this.db, id))!, false);
  }

  async list(principal: Principal, reveal: boolean, ctx: AuditContext): Promise<UserView[]> {
    const rows = await repo.list(this.db, principal.companyId);
    if (reveal)
      await this.logReveal(
        ctx,
        principal.companyId,
        rows.map((r) => r.id),
      );
    return rows.map((r) => this.view(r, reveal));
  }

  async get(ctx: AuditContext, principal: Principal, id: string, reveal: boolean): Promise<UserView> {
    const row = await this.own(ctx, principal, id);
    if (reveal) await this.logReveal(ctx, row.company_id, [id]);
    return this.view(row, reveal);
  }

  async update(ctx: AuditContext, principal: Principal, id: string, input: UpdateUser): Promise<UserView> {
    const row = await this.own(ctx, principal, id);
    const before = this.view(row, false);
    const set: Record<string, unknown> = {};
    const changes: Record<string, { before?: unknown; after?: unknown }> = {};
    if (input.name !== undefined) {
      set.name_ct = this.vault.seal(input.name, aad(id, "name"));
      changes.name = { before: before.name, after: maskName(input.name) };
    }
    const newIndexes: Buffer[] = [];
    if (input.mobile !== undefined) {
      const m = this.mobile(input.mobile);
      set.mobile_ct = this.vault.seal(m, aad(id, "mobile"));
      set.mobile_bidx = this.vault.blindIndex("login", m);
      newIndexes.push(...this.vault.blindIndexes("login", m));
      changes.mobile = { before: before.mobile, after: maskMobile(m) };
    }
    if (input.email !== undefined) {
      const e = normaliseEmail(input.email);
      set.email_ct = this.vault.seal(e, aad(id, "email"));
      set.email_bidx = this.vault.blindIndex("login", e);
      newIndexes.push(...this.vault.blindIndexes("login", e));
      changes.email = { before: before.email, after: maskEmail(e) };
    }
    if (input.password !== undefined) {
      set.password_hash = await argonHash(input.password, ARGON);
      changes.password = { after: "changed" };
    }
    await this.db.transaction(async (tx) => {
      if (newIndexes.length && (await repo.loginTaken(tx, newIndexes, id)))
        throw new AppError("USER.LOGIN_TAKEN", "this mobile number or e-mail address already belongs to a user", 409);
      await repo.update(tx, id, set);
      if (input.password !== undefined) await repo.revokeSessionsOf(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "user.update",
        resource: "user",
        resourceId: id,
        changes,
      });
    });
    this.access.invalidate();
    return this.view((await repo.byId(this.db, id))!, false);
  }

  /** Disables the user and ends its sessions (the record stays: the audit trail names it). */
  async disable(ctx: AuditContext, principal: Principal, id: string): Promise<void> {
    const row = await this.own(ctx, principal, id);
    if (principal.type === "user" && principal.id === id)
      throw new AppError("USER.SELF", "you cannot delete yourself; ask another admin", 409);
    await this.db.transaction(async (tx) => {
      await repo.update(tx, id, { status: "disabled" });
      const ended = await repo.revokeSessionsOf(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: "user.delete",
        resource: "user",
        resourceId: id,
        changes: { status: { before: row.status, after: "disabled" }, sessions: { after: ended } },
      });
    });
    this.access.invalidate();
  }

  async login(
    login: string,
    password: string,
    where: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    const normal = normaliseMobile(login) ?? normaliseEmail(login);
    const row = await repo.byLogin(this.db, this.vault.blindIndexes("login", normal));
    const ctx = { ...where, actorType: "anonymous" as const, actorId: null };
    // Both paths — a login that exists and one that does not — cost the same and answer the same: one lock per
    // login identifier (locked whether or not an account has it), one argon2 verification (of a dummy hash when
    // there is no account), one failure counted and audited, and the same delay schedule.
    const key = this.vault.blindIndex("login", normal);
    const lockedUntil = await repo.loginLock(this.db, key);
    if (lockedUntil && lockedUntil.getTime() > Date.now()) {
      const wait = Math.ceil((lockedUntil.getTime() - Date.now()) / 1000);
      throw new AppError(
        "AUTH.LOCKED",
        `too many failed logins: this login is locked for ${Math.ceil(wait / 60)} more minute(s)`,
        429,
        { retryAfter: wait },
      );
    }
    const hash = row ? row.password_hash : await this.dummyHash;
    const verified = await argonVerify(hash, password).catch(() => false);
    const ok = row !== undefined && row !== null && row.status === "active" && verified;
    if (!ok) {
      const failed = await repo.failedLogin(this.db, key, this.policy.maxFailures, this.policy.lockMinutes);
      const locked = failed.lockedUntil !== null && failed.lockedUntil.getTime() > Date.now();
      await this.db.transaction((tx) =>
        auditTrail.append(tx, {
          ...ctx,
          companyId: row?.company_id ?? null,
          action: locked ? "session.locked" : "session.create",
          resource: "session",
          resourceId: row?.id ?? null,
          outcome: "denied",
        }),
      );
      // Slow the next guess down: 0.2 s after the first failure, doubling up to 3 s.
      await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** Math.max(failed.failures - 1, 0), 3000)));
      throw invalidCredentials();
    }
    const token = `ps_${randomBytes(32).toString("base64url")}`;
    const sessionId = `s_${randomBytes(8).toString("hex")}`;
    const expiresAt = new Date(Date.now() + this.policy.sessionTtlMinutes * 60_000);
    await this.db.transaction(async (tx) => {
      await repo.insertSession(tx, {
        id: sessionId,
        tokenHash: sha256(token),
        userId: row.id,
        expiresAt,
        ip: where.ip,
        userAgent: where.userAgent,
      });
      await repo.clearLoginFailures(tx, key);
      await auditTrail.append(tx, {
        ...ctx,
        actorType: "user",
        actorId: row.id,
        companyId: row.company_id,
        action: "session.create",
        resource: "session",
        resourceId: sessionId,
      });
    });
    // The signed-in person's own name, unmasked: it is their own data (every other answer keeps it masked).
    const name = this.vault.openText(row.name_ct, aad(row.id, "name"));
    return { token, tokenType: "Bearer", expiresAt: expiresAt.toISOString(), user: this.view(row, false), name };
  }

  async logout(ctx: AuditContext, principal: Principal): Promise<void> {
    if (principal.type !== "user" || !principal.sessionId)
      throw new AppError(
        "AUTH.NOT_A_SESSION",
        "only a login session can be signed out; revoke an API key with DELETE /api/v1/api-keys/{id}",
        400,
      );
    await this.db.transaction(async (tx) => {
      await repo.revokeSession(tx, principal.sessionId!);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "session.revoke",
        resource: "session",
        resourceId: principal.sessionId!,
      });
    });
    this.access.invalidate();
  }

  /** Asks for roles to be granted to a user; a second person approves (POST /approvals/{id}/approve). */
  async requestRoleGrant(ctx: AuditContext, principal: Principal, userId: string, roles: string[], reason?: string) {
    const row = await this.own(ctx, principal, userId);
    if (!principal.companyId) throw new AppError("APPROVAL.PLATFORM", "role grants are for company users", 409);
    await this.assertRoles(roles, principal.kind, principal.companyId, "grant");
    const submittedBy = personOf(principal, "submit a request for a second person");
    const id = `ap_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      await repo.insertApproval(tx, {
        id,
        companyId: principal.companyId!,
        kind: "role_grant",
        subjectId: row.id,
        payload: { roles, ...(reason ? { reason } : {}) },
        submittedBy,
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "approval.submit",
        resource: "approval",
        resourceId: id,
        changes: { roles: { before: row.roles, after: [...new Set([...row.roles, ...roles])] } },
      });
    });
    return this.approval(ctx, principal, id);
  }

  /** Lets another module own a kind of request (e.g. access: "role_change"); it applies it when approved. */
  registerApprovalKind(kind: string, apply: ApprovalApplier, opts: ApprovalKindOptions = {}): void {
    this.appliers.set(kind, apply);
    this.kinds.set(kind, opts);
  }

  /** Files a request of a registered kind inside the caller's transaction; a second person approves it. */
  async submitApproval(
    tx: Sql,
    ctx: AuditContext,
    principal: Principal,
    kind: string,
    subjectId: string,
    payload: Record<string, unknown>,
    changes: Record<string, { before?: unknown; after?: unknown }>,
  ): Promise<string> {
    if (!this.appliers.has(kind)) throw new Error(`approval kind ${kind} has no applier`);
    const platform = this.kinds.get(kind)?.platform === true;
    if (!principal.companyId && !platform)
      throw new AppError("APPROVAL.PLATFORM", "approval requests are for companies", 409);
    if (principal.companyId && platform)
      throw new AppError("APPROVAL.PLATFORM_ONLY", `requests of kind ${kind} are the platform's`, 403);
    const submittedBy = personOf(principal, "submit a request for a second person");
    const id = `ap_${randomBytes(8).toString("hex")}`;
    await repo.insertApproval(tx, { id, companyId: principal.companyId, kind, subjectId, payload, submittedBy });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: principal.companyId,
      action: "approval.submit",
      resource: "approval",
      resourceId: id,
      changes,
    });
    return id;
  }

  async approval(ctx: AuditContext, principal: Principal, id: string) {
    const a = await repo.approval(this.db, id);
    if (!a) throw notFound("approval request", id);
    if (a.company_id !== principal.companyId)
      return crossTenant(this.db, ctx, principal, "approval request", id, a.company_id);
    const p = a.payload as { roles?: string[]; add?: string[] };
    const what =
      a.kind === "role_grant"
        ? { userId: a.subject_id, roles: p.roles }
        : a.kind === "role_change"
          ? { roleId: a.subject_id, permissions: p.add }
          : { subjectId: a.subject_id };
    return {
      id: a.id,
      kind: a.kind,
      ...what,
      status: a.status,
      submittedBy: a.submitted_by,
      submittedAt: a.submitted_at.toISOString(),
      decidedBy: a.decided_by,
      decidedAt: a.decided_at?.toISOString() ?? null,
      reason: a.reason ?? a.payload.reason ?? null,
    };
  }

  /** A request's status (for the module that filed it), null when there is none. */
  async approvalStatus(id: string, db: Sql = this.db) {
    return ((await repo.approval(db, id))?.status ?? null) as
      "submitted" | "approved" | "rejected" | "cancelled" | null;
  }

  /** The caller's company's requests; for the platform's people, the platform's own (e.g. company_onboarding). */
  async approvals(ctx: AuditContext, principal: Principal, status?: string) {
    return Promise.all(
      (await repo.approvals(this.db, principal.companyId, status)).map((id) => this.approval(ctx, principal, id)),
    );
  }

  /**
   * Approve, reject or cancel a submitted request. The submitter cannot approve or reject their own; only they can
   * cancel. Two distinct people: a key counts as its creator, and a key acting for nobody takes no part.
   */
  async decide(
    ctx: AuditContext,
    principal: Principal,
    id: string,
    decision: "approved" | "rejected" | "cancelled",
    reason?: string,
  ) {
    const a = await this.approval(ctx, principal, id);
    if (a.status !== "submitted")
      throw new AppError("APPROVAL.DECIDED", `approval request ${id} is already ${a.status}`, 409, {
        status: a.status,
      });
    const person = personOf(
      principal,
      decision === "cancelled" ? "cancel a request" : "approve or reject a request of the two-person rule",
    );
    if (decision === "cancelled" && a.submittedBy !== person)
      throw new AppError("APPROVAL.NOT_SUBMITTER", "only the person who submitted a request can cancel it", 403);
    if (decision !== "cancelled" && a.submittedBy === person) {
      const via = principal.type === "api_key" ? ` (API key ${principal.id} acts for ${person}, who submitted it)` : "";
      throw new AppError(
        "APPROVAL.SAME_PERSON",
        `two-person rule: the person who submitted a request cannot approve or reject it; another approver must${via}`,
        403,
      );
    }
    const row = (await repo.approval(this.db, id))!;
    const user = a.kind === "role_grant" ? await repo.byId(this.db, row.subject_id) : null;
    await this.db.transaction(async (tx) => {
      if (!(await repo.decide(tx, id, decision, person, reason ?? null)))
        throw new AppError("APPROVAL.DECIDED", `approval request ${id} was decided meanwhile`, 409);
      const changes: Record<string, { before?: unknown; after?: unknown }> = {
        status: { before: "submitted", after: decision },
      };
      if (decision === "approved" && user) {
        const roles = [...new Set([...user.roles, ...row.payload.roles])];
        await repo.update(tx, row.subject_id, { roles });
        changes.roles = { before: user.roles, after: roles };
      }
      const decline = this.kinds.get(row.kind)?.onDecline;
      if (decision !== "approved" && decline)
        await decline(
          tx,
          ctx,
          principal,
          {
            id,
            companyId: row.company_id,
            subjectId: row.subject_id,
            payload: row.payload as Record<string, unknown>,
          },
          decision,
          reason ?? null,
        );
      if (decision === "approved" && row.kind !== "role_grant") {
        const apply = this.appliers.get(row.kind);
        if (!apply)
          throw new AppError(
            "APPROVAL.UNKNOWN_KIND",
            `approval request ${id} is of kind ${row.kind}, which this server cannot apply`,
            409,
          );
        await apply(tx, ctx, principal, {
          id,
          companyId: row.company_id,
          subjectId: row.subject_id,
          payload: row.payload as Record<string, unknown>,
        });
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: `approval.${decision === "approved" ? "approve" : decision === "rejected" ? "reject" : "cancel"}`,
        resource: "approval",
        resourceId: id,
        changes,
      });
    });
    this.access.invalidate();
    return this.approval(ctx, principal, id);
  }

  /** The row if it is the caller's tenant's; 404 (logged) if another's; 404 if none. */
  private async own(ctx: AuditContext, principal: Principal, id: string): Promise<UserRow> {
    const row = await repo.byId(this.db, id);
    if (!row) throw notFound("user", id);
    if (row.company_id !== principal.companyId) return crossTenant(this.db, ctx, principal, "user", id, row.company_id);
    return row;
  }

  private async logReveal(ctx: AuditContext, companyId: string | null, ids: string[]) {
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "personal_data.reveal",
        resource: "user",
        resourceId: ids.join(",").slice(0, 500),
        changes: { fields: { after: ["name", "mobile", "email"] } },
      }),
    );
  }

  view(row: UserRow, reveal: boolean): UserView {
    const open = (ct: Uint8Array | null, field: string) => (ct ? this.vault.openText(ct, aad(row.id, field)) : null);
    const name = open(row.name_ct, "name")!;
    const mobile = open(row.mobile_ct, "mobile");
    const email = open(row.email_ct, "email");
    return {
      id: row.id,
      companyId: row.company_id,
      name: reveal ? name : maskName(name),
      mobile: mobile && (reveal ? mobile : maskMobile(mobile)),
      email: email && (reveal ? email : maskEmail(email)),
      roles: row.roles,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      masked: !reveal,
    };
  }

  private mobile(raw: string): string {
    const m = normaliseMobile(raw);
    if (!m)
      throw new AppError(
        "REQUEST.INVALID",
        `body.mobile: not a mainland China mobile number (11 digits starting 13-19, optionally +86), got ${JSON.stringify(raw.slice(0, 20))}`,
        400,
        { field: "mobile" },
      );
    return m;
  }

  /**
   * Every role must exist for this tenant (built-in for its kind, or its own custom role). "create-direct": a
   * privileged role cannot be given at creation — it goes through a role-grant request and a second person.
   */
  private async assertRoles(
    roles: string[],
    kind: Principal["kind"],
    companyId: string | null,
    mode: "create" | "create-direct" | "grant",
  ) {
    const custom = roles.filter((r) => !isBuiltIn(r));
    const found = companyId ? await repo.customRoles(this.db, companyId, custom) : [];
    for (const r of roles) {
      let perms: Permission[] | null;
      if (isBuiltIn(r)) perms = builtInPermissions(r, kind);
      else perms = (found.find((f) => f.id === r)?.permissions ?? null)?.filter(isPermission) ?? null;
      if (!perms) throw new AppError("ROLE.UNKNOWN", `role ${r} does not exist for a ${kind}`, 400, { field: "roles" });
      if (mode === "create-direct" && perms.some(isPrivileged)) {
        throw new AppError(
          "ROLE.NEEDS_APPROVAL",
          `role ${r} is privileged (it can approve, audit, administer or reveal personal data): create the user without it, then request it with POST /api/v1/users/{id}/role-grants for a second person to approve`,
          409,
          { field: "roles" },
        );
      }
    }
  }
}

const invalidCredentials = () => new AppError("AUTH.INVALID_CREDENTIALS", "login or password is wrong", 401);
