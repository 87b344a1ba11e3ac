import { createHash, timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import { AppError, type Channel, type Sql } from "../../../ledger-service/src/index.js";
import { builtInPermissions, isBuiltIn, isPermission, type Permission, type TenantKind } from "./permissions.js";
import type { Principal } from "./principal.js";

export const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** The credential in `Authorization: Bearer …`: an API key `pl_…`, a session `ps_…`, or the operator token. */
export function bearer(req: Request): string | undefined {
  const m = /^Bearer ([\x21-\x7e]{1,200})$/.exec(req.header("authorization") ?? "");
  return m?.[1];
}

interface Cached {
  principal: Principal;
  /** Until when the cached answer may be used (ms); a session's or key's own expiry caps it. */
  until: number;
}

/**
 * How long an authenticated credential is remembered. Revocations apply at once in this process and, through the
 * `credentials` notification channel, in every other process on the database; a process that is not listening
 * (connection lost) caches nothing until it listens again.
 */
const CACHE_MS = 10_000;

/**
 * Turns a bearer credential into a Principal with its effective permissions (built-in roles ∩ what the tenant's
 * kind may hold, plus the company's custom roles). Answers are cached for CACHE_MS; any change to users, keys,
 * sessions or roles in this process clears the cache.
 */
export class AccessService {
  private readonly cache = new Map<string, Cached>();
  /** Bumped on every invalidation: a look-up that straddles one is not cached (it may have read the old row). */
  private generation = 0;

  constructor(
    private readonly db: Sql,
    private readonly operatorToken: string,
    private readonly changes?: Channel,
  ) {
    changes?.subscribe(() => this.forget());
  }

  /** Forget every cached credential (called after a revocation, a role change, a disabled user …), in every process. */
  invalidate(): void {
    this.forget();
    void this.changes?.publish().catch(() => undefined);
  }

  /** Stops listening for other processes' revocations (shutdown). */
  close(): Promise<void> {
    return this.changes?.close() ?? Promise.resolve();
  }

  private forget() {
    this.cache.clear();
    this.generation++;
  }

  async authenticate(token: string): Promise<Principal> {
    const now = Date.now();
    const hash = sha256(token);
    const cacheKey = hash.toString("base64");
    const hit = this.cache.get(cacheKey);
    if (hit && hit.until > now) return hit.principal;
    const generation = this.generation;
    const found = token.startsWith("pl_")
      ? await this.apiKey(hash, now)
      : token.startsWith("ps_")
        ? await this.session(hash, now)
        : this.operator(token);
    if (generation !== this.generation || (this.changes && !this.changes.live)) return found.principal;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(cacheKey, {
      principal: found.principal,
      until: Math.min(now + CACHE_MS, found.expires ?? Infinity),
    });
    return found.principal;
  }

  private operator(token: string): { principal: Principal; expires?: number } {
    const want = Buffer.from(this.operatorToken);
    const got = Buffer.from(token);
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw unauthenticated("the credential is not a valid API key, session or operator token");
    return {
      principal: {
        type: "operator",
        id: "operator",
        person: "operator",
        companyId: null,
        kind: "platform",
        roles: ["platform_operator"],
        permissions: new Set(builtInPermissions("platform_operator", "platform")),
      },
    };
  }

  private async apiKey(hash: Buffer, now: number): Promise<{ principal: Principal; expires?: number }> {
    const { rows } = await this.db.query<{
      id: string;
      company_id: string;
      kind: CompanyKindRow;
      roles: string[];
      created_by: string | null;
      creator_status: string | null;
      expires_at: Date | null;
      revoked_at: Date | null;
    }>(
      `SELECT k.id, k.company_id, c.kind, k.roles, k.created_by, u.status AS creator_status, k.expires_at, k.revoked_at
         FROM api_keys k JOIN companies c ON c.id = k.company_id LEFT JOIN users u ON u.id = k.created_by WHERE k.key_hash = $1`,
      [hash],
    );
    const k = rows[0];
    if (!k) throw unauthenticated("this API key is not known");
    if (k.revoked_at)
      throw new AppError("AUTH.KEY_REVOKED", `API key ${k.id} was revoked at ${k.revoked_at.toISOString()}`, 401);
    if (k.expires_at && k.expires_at.getTime() <= now)
      throw new AppError("AUTH.KEY_EXPIRED", `API key ${k.id} expired at ${k.expires_at.toISOString()}`, 401);
    // A key acts for its creator: when that person is disabled (or gone) the key stops, until an admin adopts it.
    if (k.created_by && k.creator_status !== "active") {
      throw new AppError(
        "AUTH.KEY_OWNER_DISABLED",
        `API key ${k.id} acts for user ${k.created_by}, who is disabled; an admin can adopt it (POST /api/v1/api-keys/${k.id}/adopt)`,
        401,
      );
    }
    const principal: Principal = {
      type: "api_key",
      id: k.id,
      person: k.created_by,
      companyId: k.company_id,
      kind: k.kind,
      roles: k.roles,
      permissions: await this.permissionsOf(k.roles, k.kind, k.company_id),
    };
    return { principal, ...(k.expires_at ? { expires: k.expires_at.getTime() } : {}) };
  }

  private async session(hash: Buffer, now: number): Promise<{ principal: Principal; expires?: number }> {
    const { rows } = await this.db.query<{
      id: string;
      user_id: string;
      company_id: string | null;
      kind: CompanyKindRow | null;
      roles: string[];
      status: string;
      expires_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT s.id, s.user_id, u.company_id, c.kind, u.roles, u.status, s.expires_at, s.revoked_at
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN companies c ON c.id = u.company_id WHERE s.token_hash = $1`,
      [hash],
    );
    const s = rows[0];
    if (!s) throw unauthenticated("this session token is not known (mistyped, tampered with, or from another server)");
    if (s.revoked_at)
      throw new AppError("AUTH.SESSION_REVOKED", "this session was signed out or revoked; log in again", 401);
    if (s.expires_at.getTime() <= now)
      throw new AppError(
        "AUTH.SESSION_EXPIRED",
        `this session expired at ${s.expires_at.toISOString()}; log in again`,
        401,
      );
    if (s.status !== "active") throw new AppError("AUTH.USER_DISABLED", "this user is disabled", 401);
    const kind: TenantKind = s.kind ?? "platform";
    return {
      principal: {
        type: "user",
        id: s.user_id,
        person: s.user_id,
        companyId: s.company_id,
        kind,
        roles: s.roles,
        permissions: await this.permissionsOf(s.roles, kind, s.company_id),
        sessionId: s.id,
      },
      expires: s.expires_at.getTime(),
    };
  }

  /** Built-in roles as the tenant's kind allows, plus the company's custom roles. */
  async permissionsOf(roles: readonly string[], kind: TenantKind, companyId: string | null): Promise<Set<Permission>> {
    const out = new Set<Permission>();
    const custom: string[] = [];
    for (const r of roles) {
      if (isBuiltIn(r)) for (const p of builtInPermissions(r, kind) ?? []) out.add(p);
      else custom.push(r);
    }
    if (custom.length > 0 && companyId) {
      const { rows } = await this.db.query<{ permissions: string[] }>(
        "SELECT permissions FROM roles WHERE company_id = $1 AND id = ANY($2::text[])",
        [companyId, custom],
      );
      for (const r of rows) for (const p of r.permissions) if (isPermission(p)) out.add(p);
    }
    return out;
  }
}

type CompanyKindRow = "manufacturer" | "distributor" | "repair_shop" | "lender" | "service_provider";

const unauthenticated = (detail: string) => new AppError("AUTH.INVALID_TOKEN", detail, 401);
