import type { Sql } from "../../../../ledger-service/src/index.js";

export interface RoleRow {
  id: string;
  company_id: string;
  name: string;
  permissions: string[];
  created_at: Date;
}
export interface KeyRow {
  id: string;
  company_id: string;
  name: string;
  prefix: string;
  roles: string[];
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const KEY_COLS = "id, company_id, name, prefix, roles, created_by, created_at, expires_at, revoked_at";

/** The only SQL on custom roles and API keys. */
export const accessRepository = {
  async roles(db: Sql, companyId: string): Promise<RoleRow[]> {
    return (
      await db.query<RoleRow>(
        "SELECT id, company_id, name, permissions, created_at FROM roles WHERE company_id = $1 ORDER BY created_at, id",
        [companyId],
      )
    ).rows;
  },
  async role(db: Sql, id: string): Promise<RoleRow | null> {
    return (
      (await db.query<RoleRow>("SELECT id, company_id, name, permissions, created_at FROM roles WHERE id = $1", [id]))
        .rows[0] ?? null
    );
  },
  async insertRole(
    tx: Sql,
    r: { id: string; companyId: string; name: string; permissions: string[] },
  ): Promise<boolean> {
    return (
      (
        await tx.query(
          "INSERT INTO roles (id, company_id, name, permissions) VALUES ($1, $2, $3, $4::text[]) ON CONFLICT (company_id, name) DO NOTHING RETURNING 1",
          [r.id, r.companyId, r.name, r.permissions],
        )
      ).rows.length === 1
    );
  },
  async updateRole(tx: Sql, id: string, name: string, permissions: string[]) {
    await tx.query("UPDATE roles SET name = $2, permissions = $3::text[], updated_at = now() WHERE id = $1", [
      id,
      name,
      permissions,
    ]);
  },
  async deleteRole(tx: Sql, id: string) {
    await tx.query("DELETE FROM roles WHERE id = $1", [id]);
  },
  /** Users and live keys holding a role. */
  async holders(db: Sql, companyId: string, roleId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM users WHERE company_id = $1 AND $2 = ANY(roles) AND status = 'active')
             + (SELECT count(*) FROM api_keys WHERE company_id = $1 AND $2 = ANY(roles) AND revoked_at IS NULL))::int AS n`,
      [companyId, roleId],
    );
    return rows[0]!.n;
  },
  async insertKey(
    tx: Sql,
    k: {
      id: string;
      companyId: string;
      name: string;
      prefix: string;
      keyHash: Buffer;
      roles: string[];
      createdBy: string | null;
      expiresAt: Date | null;
    },
  ) {
    await tx.query(
      "INSERT INTO api_keys (id, company_id, name, prefix, key_hash, roles, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8)",
      [k.id, k.companyId, k.name, k.prefix, k.keyHash, k.roles, k.createdBy, k.expiresAt],
    );
  },
  async keys(db: Sql, companyId: string): Promise<KeyRow[]> {
    return (
      await db.query<KeyRow>(`SELECT ${KEY_COLS} FROM api_keys WHERE company_id = $1 ORDER BY created_at, id`, [
        companyId,
      ])
    ).rows;
  },
  async key(db: Sql, id: string): Promise<KeyRow | null> {
    return (await db.query<KeyRow>(`SELECT ${KEY_COLS} FROM api_keys WHERE id = $1`, [id])).rows[0] ?? null;
  },
  async setKeyCreator(tx: Sql, id: string, userId: string) {
    await tx.query("UPDATE api_keys SET created_by = $2 WHERE id = $1", [id, userId]);
  },
  /** "active", "disabled", or null when there is no such user. */
  async creatorStatus(db: Sql, userId: string): Promise<string | null> {
    return (
      (await db.query<{ status: string }>("SELECT status FROM users WHERE id = $1", [userId])).rows[0]?.status ?? null
    );
  },
  async revokeKey(tx: Sql, id: string): Promise<boolean> {
    return (
      (await tx.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING 1", [id]))
        .rows.length === 1
    );
  },
};
