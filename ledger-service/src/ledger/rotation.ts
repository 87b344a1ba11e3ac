import type { Sql } from "../db/sql.js";
import type { KeyVault } from "./key-vault.js";

/**
 * Every encrypted column, how to rebuild its AAD from the row, and the blind index it feeds (if any). Rotation
 * walks this list; a new encrypted column must be added here (test/security/keys.test.ts checks the schema).
 */
export const ENCRYPTED_COLUMNS: ReadonlyArray<{
  table: string;
  key: string;
  column: string;
  aad: (key: string) => string;
  /** Blind index column recomputed from the plaintext under the new key: [column, purpose]. */
  index?: [string, string];
}> = [
  { table: "ledger_actors", key: "id", column: "key_ciphertext", aad: (id) => `actor-key:${id}` },
  {
    table: "ledger_private_fields",
    key: "'0x' || encode(struct_hash, 'hex')",
    column: "ciphertext",
    aad: (h) => `private:${h}`,
  },
  { table: "users", key: "id", column: "name_ct", aad: (id) => `user:${id}:name` },
  { table: "users", key: "id", column: "mobile_ct", aad: (id) => `user:${id}:mobile`, index: ["mobile_bidx", "login"] },
  { table: "users", key: "id", column: "email_ct", aad: (id) => `user:${id}:email`, index: ["email_bidx", "login"] },
  {
    table: "installations",
    key: "id",
    column: "vin_ct",
    aad: (id) => `installation:${id}:vin`,
    index: ["vin_bidx", "vin"],
  },
  { table: "installations", key: "id", column: "owner_name_ct", aad: (id) => `installation:${id}:owner_name` },
  {
    table: "installations",
    key: "id",
    column: "owner_mobile_ct",
    aad: (id) => `installation:${id}:owner_mobile`,
    index: ["owner_mobile_bidx", "mobile"],
  },
  { table: "webhook_subscriptions", key: "id", column: "secret_ct", aad: (id) => `webhook:${id}:secret` },
  {
    table: "counterfeit_reports",
    key: "id",
    column: "contact_ct",
    aad: (id) => `counterfeit_report:${id}:contact`,
  },
  {
    table: "support_conversations",
    key: "id",
    column: "contact_ct",
    aad: (id) => `support_conversation:${id}:contact`,
  },
  { table: "demo_seed_steps", key: "step", column: "result_ct", aad: (step) => `demo_seed:${step}` },
];

export interface RotationReport {
  currentVersion: number;
  reencrypted: number;
  /** Ciphertexts per key version after the run, over every encrypted column. */
  byVersion: Record<string, number>;
}

/** Ciphertexts per key version (first bytes of each value: format, then key version). */
export async function keyVersionCounts(db: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of ENCRYPTED_COLUMNS) {
    const { rows } = await db.query<{ v: number; n: number }>(
      `SELECT CASE WHEN get_byte(${c.column}, 0) = 1 THEN 1 ELSE get_byte(${c.column}, 1) * 256 + get_byte(${c.column}, 2) END AS v, count(*)::int AS n
         FROM ${c.table} WHERE ${c.column} IS NOT NULL GROUP BY 1`,
    );
    for (const r of rows) out[r.v] = (out[r.v] ?? 0) + r.n;
  }
  return out;
}

/**
 * Re-encrypts every ciphertext not under the vault's current key version, and recomputes its blind index, in
 * small transactions. Each row is rewritten only if it still holds the ciphertext that was read (compare-and-swap),
 * so the service keeps running and writing throughout; a second run finishes what a killed one left.
 */
export async function rotateKeys(
  db: Sql,
  vault: KeyVault,
  opts: { batch?: number; log?: (line: string) => void } = {},
): Promise<RotationReport> {
  const current = vault.currentVersion;
  const batch = opts.batch ?? 500;
  let reencrypted = 0;
  for (const c of ENCRYPTED_COLUMNS) {
    const notCurrent = `${c.column} IS NOT NULL AND NOT (get_byte(${c.column}, 0) = 2 AND get_byte(${c.column}, 1) * 256 + get_byte(${c.column}, 2) = ${Number(current)})`;
    let done = 0;
    for (;;) {
      const { rows } = await db.query<{ k: string; ct: Uint8Array }>(
        `SELECT ${c.key} AS k, ${c.column} AS ct FROM ${c.table} WHERE ${notCurrent} LIMIT ${batch}`,
      );
      if (rows.length === 0) break;
      let updated = 0;
      await db.transaction(async (tx) => {
        for (const r of rows) {
          const plain = vault.open(r.ct, c.aad(r.k));
          const next = vault.seal(plain, c.aad(r.k));
          const set = c.index ? `, ${c.index[0]} = $4` : "";
          const args: unknown[] = [next, r.k, Buffer.from(r.ct)];
          if (c.index) args.push(vault.blindIndex(c.index[1], plain.toString("utf8")));
          updated += (
            await tx.query(
              `UPDATE ${c.table} SET ${c.column} = $1${set} WHERE ${c.key} = $2 AND ${c.column} = $3 RETURNING 1`,
              args,
            )
          ).rows.length;
        }
      });
      done += updated;
      if (updated === 0) {
        opts.log?.(
          `  ${c.table}.${c.column}: rows keep being rewritten under an older key — a server without key ${current}? Run again once every server has it.`,
        );
        break;
      }
    }
    if (done > 0) opts.log?.(`  ${c.table}.${c.column}: ${done} re-encrypted under key ${current}`);
    reencrypted += done;
  }
  return { currentVersion: current, reencrypted, byVersion: await keyVersionCounts(db) };
}
