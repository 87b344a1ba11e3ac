import { createHash } from "node:crypto";
import type { Sql } from "../db/sql.js";
import { toHex, type Hex } from "../events/bytes.js";
import { AUDIT_TRAIL_PART, Stage } from "../lifecycle/transitions.js";
import type { Ledger } from "../ledger/ledger.js";
import { PLATFORM_ACTOR } from "../ledger/actors.js";

export type AuditActorType = "user" | "api_key" | "operator" | "system" | "anonymous";

/** One accountable action: who, what, when, from where, and the before/after of the fields it changed. */
export interface AuditEntryInput {
  /** The tenant whose data it concerns; null for the platform's own. */
  companyId: string | null;
  actorType: AuditActorType;
  actorId: string | null;
  /** `<resource>.<verb>`, e.g. user.create, personal_data.reveal, tenant.cross_access. */
  action: string;
  resource: string;
  resourceId?: string | null | undefined;
  outcome?: "ok" | "denied";
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
  requestId?: string | null | undefined;
  /** Changed fields: { field: { before, after } }; personal data already masked by the caller. */
  changes?: Record<string, { before?: unknown; after?: unknown }> | null | undefined;
}

export interface AuditEntry extends Required<Omit<AuditEntryInput, "changes">> {
  seq: number;
  at: string;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  prevHash: Hex;
  hash: Hex;
}

/** JSON with object keys sorted at every level: JSONB reorders keys, the hash must not depend on it. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/** hash = sha256(prevHash ‖ canonical JSON of the entry's fields). */
export function entryHash(prev: Uint8Array, e: Omit<AuditEntry, "prevHash" | "hash">): Uint8Array {
  const body = canonicalJson([
    e.seq,
    e.at,
    e.companyId,
    e.actorType,
    e.actorId,
    e.action,
    e.resource,
    e.resourceId,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.changes,
  ]);
  return new Uint8Array(createHash("sha256").update(prev).update(body).digest());
}

const COLUMNS = `seq::int AS seq, at, company_id AS "companyId", actor_type AS "actorType", actor_id AS "actorId", action, resource,
  resource_id AS "resourceId", outcome, ip, user_agent AS "userAgent", request_id AS "requestId", changes, prev_hash AS "prevHash", hash`;

type Row = Omit<AuditEntry, "at" | "prevHash" | "hash"> & { at: Date; prevHash: Uint8Array; hash: Uint8Array };

const toEntry = (r: Row): AuditEntry => ({
  ...r,
  at: r.at.toISOString(),
  prevHash: toHex(new Uint8Array(r.prevHash)),
  hash: toHex(new Uint8Array(r.hash)),
});

export interface AuditQuery {
  companyId?: string | null | undefined;
  action?: string | undefined;
  actorId?: string | undefined;
  resourceId?: string | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

export interface TrailReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  failure: { seq: number | null; reason: string } | null;
}

type PendingRow = Omit<AuditEntry, "seq" | "at" | "prevHash" | "hash"> & { id: string; at: Date };

const PENDING_COLUMNS = `id::text AS id, at, company_id AS "companyId", actor_type AS "actorType", actor_id AS "actorId", action, resource,
  resource_id AS "resourceId", outcome, ip, user_agent AS "userAgent", request_id AS "requestId", changes`;

/** How many accepted entries one sealing transaction chains. */
const SEAL_BATCH = 2000;

/**
 * The audit trail: an append-only, hash-chained log. An entry is *accepted* in the same transaction as the change it
 * records (one deferred INSERT into audit_pending, sent with the transaction's other writes; no shared row is touched, so
 * audited writes commit side by side), then
 * *sealed*: `seal` moves committed entries in acceptance order into audit_log under the one-row audit head, giving
 * each its contiguous seq and hash. The anchor worker seals on every tick, and every read of the trail (query,
 * verify, checkpoint) seals first, so readers see every committed entry chained (DECISIONS 29).
 */
export const auditTrail = {
  async append(tx: Sql, input: AuditEntryInput): Promise<void> {
    await tx.defer(
      `INSERT INTO audit_pending (at, company_id, actor_type, actor_id, action, resource, resource_id, outcome, ip, user_agent, request_id, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        new Date().toISOString(),
        input.companyId,
        input.actorType,
        input.actorId,
        input.action,
        input.resource,
        input.resourceId ?? null,
        input.outcome ?? "ok",
        input.ip ?? null,
        input.userAgent?.slice(0, 200) ?? null,
        input.requestId ?? null,
        input.changes == null ? null : JSON.stringify(input.changes),
      ],
    );
  },

  /**
   * Chains every committed accepted entry: per batch, one transaction locks the head, hashes the entries in id
   * order from the head's hash, moves them from audit_pending into audit_log (one statement) and moves the head.
   * Safe to run from several processes at once (they queue on the head). Returns how many entries it sealed.
   */
  async seal(db: Sql): Promise<number> {
    let sealed = 0;
    for (;;) {
      const waiting = await db.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM audit_pending) AS any");
      if (!waiting.rows[0]!.any) return sealed;
      const n = await db.transaction(async (tx) => {
        const head = (
          await tx.query<{ seq: number; hash: Uint8Array }>(
            "SELECT last_seq::int AS seq, last_hash AS hash FROM audit_head WHERE id = 1 FOR UPDATE",
          )
        ).rows[0]!;
        const { rows } = await tx.query<PendingRow>(
          `SELECT ${PENDING_COLUMNS} FROM audit_pending ORDER BY id LIMIT ${SEAL_BATCH}`,
        );
        if (rows.length === 0) return 0;
        // Hash in id order from the head; the entries' fields move over in SQL, only seq and the hashes come from here.
        let prev: Uint8Array = new Uint8Array(head.hash);
        let seq = head.seq;
        const chained = rows.map((r) => {
          const e = {
            seq: ++seq,
            at: r.at.toISOString(),
            companyId: r.companyId,
            actorType: r.actorType,
            actorId: r.actorId,
            action: r.action,
            resource: r.resource,
            resourceId: r.resourceId,
            outcome: r.outcome,
            ip: r.ip,
            userAgent: r.userAgent,
            requestId: r.requestId,
            changes: r.changes,
          };
          const hash = entryHash(prev, e);
          const link = { id: r.id, seq: e.seq, prev: toHex(prev).slice(2), hash: toHex(hash).slice(2) };
          prev = hash;
          return link;
        });
        await tx.query(
          `WITH moved AS (DELETE FROM audit_pending p USING unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS t (id, seq, prev_hash, hash)
                           WHERE p.id = t.id RETURNING p.*, t.seq, t.prev_hash, t.hash)
           INSERT INTO audit_log (seq, at, company_id, actor_type, actor_id, action, resource, resource_id, outcome, ip, user_agent, request_id, changes, prev_hash, hash)
           SELECT seq, at, company_id, actor_type, actor_id, action, resource, resource_id, outcome, ip, user_agent, request_id, changes, decode(prev_hash, 'hex'), decode(hash, 'hex') FROM moved`,
          [chained.map((c) => c.id), chained.map((c) => c.seq), chained.map((c) => c.prev), chained.map((c) => c.hash)],
        );
        await tx.query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", [seq, Buffer.from(prev)]);
        return rows.length;
      });
      sealed += n;
      if (n < SEAL_BATCH) return sealed;
    }
  },

  async query(db: Sql, q: AuditQuery): Promise<AuditEntry[]> {
    await auditTrail.seal(db);
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace("?", `$${args.length}`));
    };
    if (q.companyId !== undefined) add("company_id = ?", q.companyId);
    if (q.action) add("action = ?", q.action);
    if (q.actorId) add("actor_id = ?", q.actorId);
    if (q.resourceId) add("resource_id = ?", q.resourceId);
    if (q.afterSeq) add("seq > ?", q.afterSeq);
    args.push(q.limit);
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq LIMIT $${args.length}`,
      args,
    );
    return rows.map(toEntry);
  },

  /**
   * Re-computes the whole chain: contiguous seq from 1, each prev_hash the previous hash, each hash its entry's,
   * the head row agreeing with the last entry, and every checkpoint (whose hash is on the ledger, and so on chain)
   * matching the chain at its seq — so a deleted tail is caught even when the head row was rewound too.
   */
  async verify(db: Sql): Promise<TrailReport> {
    await auditTrail.seal(db);
    const cps = await db.query<{
      audit_seq: number;
      audit_hash: Uint8Array;
      ledger_seq: number;
      private_hash: string | null;
      lot: string | null;
    }>(
      `SELECT c.audit_seq::int, c.audit_hash, c.ledger_seq::int, e.fields->>'privateHash' AS private_hash, e.fields->>'lot' AS lot
         FROM audit_checkpoints c LEFT JOIN ledger_events e ON e.seq = c.ledger_seq ORDER BY c.audit_seq`,
    );
    const checkpoints = new Map(cps.rows.map((c) => [c.audit_seq, c]));
    const fail = (seq: number | null, reason: string, entries: number): TrailReport => ({
      ok: false,
      entries,
      checkpoints: cps.rows.length,
      failure: { seq, reason },
    });
    for (const c of cps.rows) {
      if (c.private_hash !== toHex(new Uint8Array(c.audit_hash)) || c.lot !== String(c.audit_seq)) {
        return fail(
          c.audit_seq,
          `checkpoint at entry ${c.audit_seq} disagrees with its ledger event ${c.ledger_seq}`,
          0,
        );
      }
    }
    let prev: Uint8Array = new Uint8Array(32);
    let expected = 1;
    for (let after = 0; ;) {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000`, [
        after,
      ]);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.seq !== expected)
          return fail(
            expected,
            `entry ${expected} is missing (next present is ${r.seq}): entries were deleted`,
            expected - 1,
          );
        const e = toEntry(r);
        if (e.prevHash !== toHex(prev))
          return fail(
            r.seq,
            `entry ${r.seq} does not point back to entry ${r.seq - 1}'s hash: the chain was cut`,
            r.seq - 1,
          );
        const { prevHash: _p, hash: _h, ...fields } = e;
        const h = entryHash(prev, fields);
        if (toHex(h) !== e.hash)
          return fail(
            r.seq,
            `entry ${r.seq} was edited: its fields hash to ${toHex(h)}, it was recorded as ${e.hash}`,
            r.seq - 1,
          );
        const cp = checkpoints.get(r.seq);
        if (cp && toHex(new Uint8Array(cp.audit_hash)) !== e.hash)
          return fail(
            r.seq,
            `entry ${r.seq} differs from the hash checkpointed on the ledger (event ${cp.ledger_seq})`,
            r.seq - 1,
          );
        prev = h;
        expected++;
      }
      after = rows[rows.length - 1]!.seq;
    }
    const last = expected - 1;
    const head = (
      await db.query<{ last_seq: number; last_hash: Uint8Array }>(
        "SELECT last_seq::int, last_hash FROM audit_head WHERE id = 1",
      )
    ).rows[0]!;
    if (head.last_seq !== last || toHex(new Uint8Array(head.last_hash)) !== toHex(prev)) {
      return fail(
        last + 1,
        `the trail ends at entry ${last} but its head says ${head.last_seq}: entries at the end were deleted`,
        last,
      );
    }
    const latest = cps.rows[cps.rows.length - 1];
    if (latest && latest.audit_seq > last)
      return fail(
        last + 1,
        `the ledger checkpointed entry ${latest.audit_seq}, the trail ends at ${last}: entries at the end were deleted`,
        last,
      );
    return { ok: true, entries: last, checkpoints: cps.rows.length, failure: null };
  },

  /**
   * Records the trail's head as an audit checkpoint event on the provenance ledger (signed by the platform, then
   * batched and anchored like any other event), unless the head is already checkpointed. Returns the new
   * checkpoint's audit seq, or null.
   */
  async checkpoint(db: Sql, ledger: Ledger): Promise<number | null> {
    await auditTrail.seal(db);
    const { rows } = await db.query<{ seq: number; hash: Uint8Array; done: number }>(
      "SELECT last_seq::int AS seq, last_hash AS hash, COALESCE((SELECT max(audit_seq) FROM audit_checkpoints), 0)::int AS done FROM audit_head WHERE id = 1",
    );
    const { seq, hash, done } = rows[0]!;
    if (seq <= done) return null;
    const checkpointHash = toHex(new Uint8Array(hash));
    try {
      await ledger.append(
        {
          actorId: PLATFORM_ACTOR,
          step: Stage.AuditCheckpoint,
          parts: [{ ...AUDIT_TRAIL_PART, lot: String(seq) }],
          place: { regionCode: "000000", locationId: "AUDIT" },
          checkpointHash,
        },
        {
          within: async (tx, r) => {
            const ins = await tx.query(
              "INSERT INTO audit_checkpoints (audit_seq, audit_hash, ledger_seq) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING audit_seq",
              [seq, Buffer.from(hash), r.firstSeq],
            );
            if (ins.rows.length === 0) throw new AlreadyCheckpointed();
          },
        },
      );
    } catch (e) {
      if (e instanceof AlreadyCheckpointed) return null;
      throw e;
    }
    return seq;
  },
};

class AlreadyCheckpointed extends Error {}
