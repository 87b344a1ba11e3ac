import type { Sql } from "../db/sql.js";
import { toHex, type Hex } from "../events/bytes.js";
import { partKeyOf } from "../events/canonical.js";
import { toEpcis, type EpcisObjectEvent, type LedgerFields } from "../events/epcis.js";
import type { Stage } from "../lifecycle/transitions.js";
import type { LifecycleMode } from "./actors.js";

export interface PartHead {
  partKey: Hex;
  gtin: string;
  serial: string;
  lot: string;
  stage: Stage;
  holder: Hex;
  headHash: Hex;
  headSeq: number;
  lifecycleMode: LifecycleMode;
  /** When the part is Shipped: the destination its shipping event signed (shipToHashOf the receiver's address). */
  shipToHash?: Hex | null;
  /** Pledged or Released when the head event is a pledge or a release (the part has not moved since), else 0. */
  pledgeStep?: Stage | 0;
  /** When pledgeStep is set: the lender the head event names (shipToHashOf the lender's address). */
  pledgeeHash?: Hex | null;
}

export interface NewEventRow {
  seq: number;
  structHash: Uint8Array;
  partKey: Hex;
  step: Stage;
  actor: Hex;
  submissionIndex: number;
  fields: LedgerFields;
}

export interface StoredEvent {
  seq: number;
  structHash: Hex;
  partKey: Hex;
  step: Stage;
  actor: Hex;
  submissionId: number;
  submissionIndex: number;
  fields: LedgerFields;
  /** The event as GS1 EPCIS 2.0, rendered from `fields`. */
  body: EpcisObjectEvent;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bufHex = (b: Uint8Array | Buffer) => toHex(b instanceof Uint8Array ? b : new Uint8Array(b));

interface EventRow {
  seq: number;
  struct_hash: Uint8Array;
  part_key: Uint8Array;
  step: number;
  actor: string;
  submission_id: number;
  submission_index: number;
  fields: LedgerFields | string;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  const fields = typeof r.fields === "string" ? (JSON.parse(r.fields) as LedgerFields) : r.fields;
  return {
    seq: r.seq,
    structHash: bufHex(r.struct_hash),
    partKey: bufHex(r.part_key),
    step: r.step,
    actor: r.actor as Hex,
    submissionId: r.submission_id,
    submissionIndex: r.submission_index,
    fields,
    body: toEpcis(fields),
  };
}

export interface PartViewEvent extends StoredEvent {
  /** The part's current stage and lot (the same on every row). */
  partStage: Stage;
  lot: string;
  batch: { id: number; status: string; txHash: string | null; blockNumber: number | null } | null;
}

export const EVENT_COLUMNS = "seq, struct_hash, part_key, step, actor, submission_id, submission_index, fields";

/** The only place that writes the ledger's tables. Every method runs inside the caller's transaction. */
export const ledgerStore = {
  /**
   * Reserves `count` sequence numbers and returns the last one used before them. The UPDATE locks the ledger head
   * until commit, so appends are serialised, seq numbers have no gaps and seq order is commit order.
   */
  async reserveSeqs(tx: Sql, count: number): Promise<number> {
    const { rows } = await tx.query<{ before: number }>(
      "UPDATE ledger_head SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq - $1 AS before",
      [count],
    );
    return rows[0]!.before;
  },

  async partHeads(tx: Sql, partKeys: Hex[]): Promise<Map<Hex, PartHead>> {
    const { rows } = await tx.query<{
      part_key: Uint8Array;
      gtin: string;
      serial: string;
      lot: string;
      stage: number;
      holder: string;
      head_hash: Uint8Array;
      head_seq: number;
      lifecycle_mode: LifecycleMode;
      ship_to: string | null;
      pledge_step: number;
    }>(
      `SELECT part_key, gtin, serial, lot, stage, holder, head_hash, head_seq, lifecycle_mode, pledge_step,
              CASE WHEN stage = 4 OR pledge_step <> 0
                THEN (SELECT e.fields->>'privateHash' FROM ledger_events e WHERE e.seq = head_seq) END AS ship_to
         FROM ledger_parts WHERE part_key = ANY (SELECT decode(k, 'hex') FROM unnest($1::text[]) AS k)`,
      [partKeys.map((k) => k.slice(2))],
    );
    return new Map(
      rows.map((r) => {
        const head: PartHead = {
          partKey: bufHex(r.part_key),
          gtin: r.gtin,
          serial: r.serial,
          lot: r.lot,
          stage: r.stage,
          holder: r.holder as Hex,
          headHash: bufHex(r.head_hash),
          headSeq: r.head_seq,
          lifecycleMode: r.lifecycle_mode,
          shipToHash: r.pledge_step === 0 ? (r.ship_to as Hex | null) : null,
          pledgeStep: r.pledge_step as Stage | 0,
          pledgeeHash: r.pledge_step === 0 ? null : (r.ship_to as Hex | null),
        };
        return [head.partKey, head];
      }),
    );
  },

  async insertSubmission(tx: Sql, actor: Hex, eventsRoot: Hex, count: number, signature: Hex): Promise<number> {
    const { rows } = await tx.query<{ id: number }>(
      "INSERT INTO ledger_submissions (actor, events_root, event_count, signature) VALUES ($1, decode($2, 'hex'), $3, decode($4, 'hex')) RETURNING id",
      [actor, eventsRoot.slice(2), count, signature.slice(2)],
    );
    return rows[0]!.id;
  },

  async insertEvents(tx: Sql, submissionId: number, events: NewEventRow[]): Promise<void> {
    await tx.query(
      `INSERT INTO ledger_events (seq, struct_hash, part_key, step, actor, submission_id, submission_index, fields)
       SELECT s, decode(h, 'hex'), decode(k, 'hex'), st, a, $8, i, f::jsonb
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::int[], $7::text[])
           AS u(s, h, k, st, a, i, f)`,
      [
        events.map((e) => e.seq),
        events.map((e) => hex(e.structHash)),
        events.map((e) => e.partKey.slice(2)),
        events.map((e) => e.step),
        events.map((e) => e.actor),
        events.map((e) => e.submissionIndex),
        events.map((e) => JSON.stringify(e.fields)),
        submissionId,
      ],
    );
  },

  /** Inserts new parts; returns how many were inserted (fewer when another append commissioned one first). */
  async insertParts(tx: Sql, parts: PartHead[]): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO ledger_parts (part_key, gtin, serial, lot, stage, holder, head_hash, head_seq, lifecycle_mode)
         SELECT decode(k, 'hex'), g, s, l, st, h, decode(hh, 'hex'), hs, m
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::bigint[], $9::text[])
             AS u(k, g, s, l, st, h, hh, hs, m)
         ON CONFLICT (part_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        parts.map((p) => p.partKey.slice(2)),
        parts.map((p) => p.gtin),
        parts.map((p) => p.serial),
        parts.map((p) => p.lot),
        parts.map((p) => p.stage),
        parts.map((p) => p.holder),
        parts.map((p) => p.headHash.slice(2)),
        parts.map((p) => p.headSeq),
        parts.map((p) => p.lifecycleMode),
      ],
    );
    return rows[0]!.n;
  },

  /**
   * Moves parts to their new heads, each only if its head is still `priorHeads[i]`; returns how many moved
   * (fewer when another append moved one of them after this one was drafted).
   */
  async advanceParts(tx: Sql, parts: PartHead[], priorHeads: Hex[]): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `WITH upd AS (
         UPDATE ledger_parts p SET stage = u.st, holder = u.h, head_hash = decode(u.hh, 'hex'), head_seq = u.hs,
                pledge_step = u.ps
           FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::smallint[])
             AS u(k, st, h, hh, hs, prior, ps)
          WHERE p.part_key = decode(u.k, 'hex') AND p.head_hash = decode(u.prior, 'hex')
         RETURNING 1)
       SELECT count(*)::int AS n FROM upd`,
      [
        parts.map((p) => p.partKey.slice(2)),
        parts.map((p) => p.stage),
        parts.map((p) => p.holder),
        parts.map((p) => p.headHash.slice(2)),
        parts.map((p) => p.headSeq),
        priorHeads.map((h) => h.slice(2)),
        parts.map((p) => p.pledgeStep ?? 0),
      ],
    );
    return rows[0]!.n;
  },

  async insertPrivate(tx: Sql, structHash: Uint8Array, ciphertext: Uint8Array): Promise<void> {
    await tx.query(
      "INSERT INTO ledger_private_fields (struct_hash, ciphertext) VALUES (decode($1, 'hex'), decode($2, 'hex'))",
      [hex(structHash), hex(ciphertext)],
    );
  },

  async insertChainWrite(tx: Sql, submissionId: number, actor: Hex, stage: Stage, partKeys: Hex[]): Promise<void> {
    await tx.query(
      "INSERT INTO ledger_chain_writes (submission_id, actor, stage, part_keys, status) VALUES ($1, $2, $3, decode($4, 'hex'), 'pending')",
      [submissionId, actor, stage, partKeys.map((k) => k.slice(2)).join("")],
    );
  },

  async eventsOfPart(db: Sql, partKey: Hex): Promise<StoredEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE part_key = decode($1, 'hex') ORDER BY seq`,
      [partKey.slice(2)],
    );
    return rows.map(toStoredEvent);
  },

  async eventsInRange(db: Sql, firstSeq: number, lastSeq: number): Promise<StoredEvent[]> {
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE seq BETWEEN $1 AND $2 ORDER BY seq`,
      [firstSeq, lastSeq],
    );
    return rows.map(toStoredEvent);
  },

  /**
   * A part's events with each one's batch and anchoring state, in one indexed query (the scan's hot path).
   * Empty when the part is not on the ledger.
   */
  async partView(db: Sql, partKey: Hex): Promise<PartViewEvent[]> {
    const { rows } = await db.query<
      EventRow & {
        stage: number;
        lot: string;
        batch_id: number | null;
        first_seq: number | null;
        status: string | null;
        tx_hash: string | null;
        block_number: number | null;
      }
    >(
      `SELECT e.seq, e.struct_hash, e.part_key, e.step, e.actor, e.submission_id, e.submission_index, e.fields, p.stage, p.lot,
              b.id AS batch_id, b.first_seq, b.status, b.tx_hash, b.block_number
         FROM ledger_parts p
         JOIN ledger_events e ON e.part_key = p.part_key
         LEFT JOIN LATERAL (SELECT id, first_seq, status, tx_hash, block_number FROM ledger_batches bb
                             WHERE bb.last_seq >= e.seq ORDER BY bb.last_seq LIMIT 1) b ON b.first_seq <= e.seq
        WHERE p.part_key = decode($1, 'hex')
        ORDER BY e.seq`,
      [partKey.slice(2)],
    );
    return rows.map((r) => ({
      ...toStoredEvent(r),
      partStage: r.stage,
      lot: r.lot,
      batch:
        r.batch_id === null
          ? null
          : { id: r.batch_id, status: r.status!, txHash: r.tx_hash, blockNumber: r.block_number },
    }));
  },

  /** The struct hashes of a submission's events, in submission order (the leaves of its signed events root). */
  async submissionHashes(db: Sql, submissionId: number): Promise<Uint8Array[]> {
    const { rows } = await db.query<{ struct_hash: Uint8Array }>(
      "SELECT struct_hash FROM ledger_events WHERE submission_id = $1 ORDER BY submission_index",
      [submissionId],
    );
    return rows.map((r) => new Uint8Array(r.struct_hash));
  },

  /** The sealed private fields of an event, or null. */
  async privateCiphertext(db: Sql, structHash: Hex): Promise<Uint8Array | null> {
    const { rows } = await db.query<{ ciphertext: Uint8Array }>(
      "SELECT ciphertext FROM ledger_private_fields WHERE struct_hash = decode($1, 'hex')",
      [structHash.slice(2)],
    );
    return rows[0] ? new Uint8Array(rows[0].ciphertext) : null;
  },

  /** Event and batch counts for the health endpoint. */
  async status(db: Sql): Promise<{ events: number; pending: number; unfinished: number; batches: number }> {
    const { rows } = await db.query<{ events: number; pending: number; unfinished: number; batches: number }>(
      `SELECT h.last_seq AS events,
              h.last_seq - COALESCE((SELECT max(last_seq) FROM ledger_batches WHERE status = 'final'), 0) AS pending,
              (SELECT count(*)::int FROM ledger_batches WHERE status <> 'final') AS unfinished,
              (SELECT count(*)::int FROM ledger_batches) AS batches
         FROM ledger_head h`,
    );
    return rows[0]!;
  },

  async partByIdentity(db: Sql, gtin: string, serial: string): Promise<PartHead | null> {
    const heads = await ledgerStore.partHeads(db, [partKeyOf(gtin, serial)]);
    return [...heads.values()][0] ?? null;
  },
};
