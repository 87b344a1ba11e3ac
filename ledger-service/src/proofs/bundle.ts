import type { Sql } from "../db/sql.js";
import { AppError } from "../errors.js";
import { toHex, type Hex } from "../events/bytes.js";
import { BUNDLE_FORMAT, type Bundle, type BundleActor, type BundleEvent } from "./bundle-format.js";
import { epcisDocument, type EpcisDocument } from "../events/epcis-document.js";
import type { Actor } from "../ledger/actors.js";
import { buildTree, proofFromFlat } from "../merkle/tree.js";
import { batchStore, type BatchRow } from "../anchoring/batch-store.js";
import { ledgerStore, type StoredEvent } from "../ledger/ledger-store.js";
import { inclusionProof } from "./proofs.js";
import type { BundleLabelKey } from "../audit/label-check.js";
import { Stage } from "../lifecycle/transitions.js";

export { BUNDLE_FORMAT, type Bundle, type BundleActor, type BundleEvent } from "./bundle-format.js";

/** The platform's registry of companies: USCC by actor id (the API's company records). */
export type UsccLookup = (actorIds: string[]) => Promise<Map<string, string>>;

export interface ChainRef {
  chainId: number;
  addresses: { anchorRegistry: Hex; partRegistry: Hex };
}

/** What the bundle builders need besides the database: the chain, the companies, and their USCCs. */
export interface BundleContext {
  chain: ChainRef;
  actors: Actor[];
  usccOf?: UsccLookup | undefined;
  /** The bound label key of the company at a chain address (DECISIONS 74); null when the platform keeps none. */
  labelKeyOf?: ((address: Hex) => Promise<BundleLabelKey | null>) | undefined;
}

async function bundleActors(ctx: BundleContext, events: StoredEvent[]): Promise<BundleActor[]> {
  const used = new Set(events.map((e) => e.actor.toLowerCase()));
  const actors = ctx.actors.filter((a) => used.has(a.address.toLowerCase()));
  const uscc = ctx.usccOf ? await ctx.usccOf(actors.map((a) => a.id)) : new Map<string, string>();
  return actors
    .map((a) => ({
      address: a.address,
      name: a.name,
      uscc: uscc.get(a.id) ?? null,
      kind: a.kind,
      attestedBy: "platform" as const,
    }))
    .sort((a, b) => (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
}

const chainOf = (c: ChainRef): Bundle["chain"] => ({
  chainId: c.chainId,
  anchorRegistry: c.addresses.anchorRegistry,
  partRegistry: c.addresses.partRegistry,
});

async function submissions(db: Sql, ids: number[]): Promise<Bundle["submissions"]> {
  const { rows } = await db.query<{
    id: number;
    actor: string;
    events_root: Uint8Array;
    event_count: number;
    signature: Uint8Array;
  }>(
    "SELECT id, actor, events_root, event_count, signature FROM ledger_submissions WHERE id = ANY($1::bigint[]) ORDER BY id",
    [ids],
  );
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor as Hex,
    eventsRoot: toHex(new Uint8Array(r.events_root)),
    eventCount: r.event_count,
    signature: toHex(new Uint8Array(r.signature)),
  }));
}

function batchEntry(b: BatchRow): Bundle["batches"][number] {
  return {
    id: b.id,
    root: b.root,
    eventCount: b.eventCount,
    firstSeq: b.firstSeq,
    leafVersion: b.leafVersion,
    status: b.status,
    txHash: b.txHash,
    blockNumber: b.blockNumber,
  };
}

/** The bundle of one part: its whole history, each event with both proofs. */
export async function partBundle(db: Sql, ctx: BundleContext, gtin: string, serial: string): Promise<Bundle> {
  const head = await ledgerStore.partByIdentity(db, gtin, serial);
  if (!head)
    throw new AppError("LEDGER.UNKNOWN_PART", `no part ${gtin}/${serial} is on the ledger`, 404, { gtin, serial });
  const events = await ledgerStore.eventsOfPart(db, head.partKey);
  const out: BundleEvent[] = [];
  const batchIds = new Set<number>();
  const trees = new Map<number, { flat: Uint8Array; count: number }>();
  for (const e of events) {
    let batch: { batchId: number | null; leafIndex: number | null; proof?: Hex[] } = { batchId: null, leafIndex: null };
    try {
      const p = await inclusionProof(db, e.seq);
      batch = { batchId: p.batchId, leafIndex: p.leafIndex, proof: p.proof };
      batchIds.add(p.batchId);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "LEDGER.NOT_SEALED")) throw err;
    }
    if (!trees.has(e.submissionId)) {
      const hashes = await ledgerStore.submissionHashes(db, e.submissionId);
      trees.set(e.submissionId, { flat: buildTree(hashes).flat, count: hashes.length });
    }
    const tree = trees.get(e.submissionId)!;
    out.push({
      seq: e.seq,
      structHash: e.structHash,
      ...batch,
      submissionId: e.submissionId,
      submissionIndex: e.submissionIndex,
      submissionProof: proofFromFlat(tree.flat, tree.count, e.submissionIndex).map(toHex),
      event: e.body,
    });
  }
  const batches = (await Promise.all([...batchIds].map((id) => batchStore.byId(db, id)))).filter(
    (b): b is BatchRow => b !== null,
  );
  const createdAt = new Date();
  const maker = events.find((e) => e.body["partledger:ledger"].step === Stage.Commissioned)?.actor;
  const labelKey = maker && ctx.labelKeyOf ? await ctx.labelKeyOf(maker) : null;
  return {
    format: BUNDLE_FORMAT,
    createdAt: createdAt.toISOString(),
    scope: { kind: "part", gtin: head.gtin, serial: head.serial },
    chain: chainOf(ctx.chain),
    parts: [{ gtin: head.gtin, serial: head.serial, latestIncluded: (events.at(-1)?.seq ?? 0) >= head.headSeq }],
    actors: await bundleActors(ctx, events),
    batches: batches.map(batchEntry),
    submissions: await submissions(db, [...new Set(events.map((e) => e.submissionId))]),
    events: out,
    epcisDocument: epcisDocument(
      out.map((e) => e.event),
      createdAt,
    ),
    ...(labelKey ? { labelKey } : {}),
  };
}

/**
 * The bundle of batches `fromId`..`toId`: every event in them. Batch roots are recomputed from all leaves, so
 * no batch proofs are needed; submissions cut by the range carry per-event submission proofs.
 */
export async function batchRangeBundle(db: Sql, ctx: BundleContext, fromId: number, toId: number): Promise<Bundle> {
  const batches = await batchStore.all(db, fromId, toId);
  if (batches.length === 0)
    throw new AppError("LEDGER.UNKNOWN_BATCH", `no batches between ${fromId} and ${toId}`, 404, { fromId, toId });
  const events: StoredEvent[] = await ledgerStore.eventsInRange(
    db,
    batches[0]!.firstSeq,
    batches[batches.length - 1]!.lastSeq,
  );
  const subs = await submissions(db, [...new Set(events.map((e) => e.submissionId))]);
  const present = new Map<number, number>();
  for (const e of events) present.set(e.submissionId, (present.get(e.submissionId) ?? 0) + 1);
  const partial = new Map<number, { flat: Uint8Array; count: number }>();
  for (const s of subs) {
    if (present.get(s.id) === s.eventCount) continue;
    partial.set(s.id, { flat: buildTree(await ledgerStore.submissionHashes(db, s.id)).flat, count: s.eventCount });
  }
  let batchIndex = 0;
  const out: BundleEvent[] = events.map((e) => {
    while (e.seq > batches[batchIndex]!.lastSeq) batchIndex++;
    const b = batches[batchIndex]!;
    const sub = partial.get(e.submissionId);
    return {
      seq: e.seq,
      structHash: e.structHash,
      batchId: b.id,
      leafIndex: e.seq - b.firstSeq,
      submissionId: e.submissionId,
      submissionIndex: e.submissionIndex,
      ...(sub ? { submissionProof: proofFromFlat(sub.flat, sub.count, e.submissionIndex).map(toHex) } : {}),
      event: e.body,
    };
  });
  const createdAt = new Date();
  return {
    format: BUNDLE_FORMAT,
    createdAt: createdAt.toISOString(),
    scope: { kind: "batches", from: fromId, to: toId },
    chain: chainOf(ctx.chain),
    parts: await partsInRange(db, events, batches[batches.length - 1]!.lastSeq),
    actors: await bundleActors(ctx, events),
    batches: batches.map(batchEntry),
    submissions: subs,
    events: out,
    epcisDocument: epcisDocument(
      out.map((e) => e.event),
      createdAt,
    ),
  };
}

/** The events `fromSeq`..`toSeq` as an EPCISDocument; an empty list when none exist there. */
export async function epcisForRange(db: Sql, fromSeq: number, toSeq: number): Promise<EpcisDocument> {
  const events = await ledgerStore.eventsInRange(db, fromSeq, toSeq);
  return epcisDocument(
    events.map((e) => e.body),
    new Date(),
  );
}

/** One part's whole history as an EPCISDocument. */
export async function epcisForPart(db: Sql, gtin: string, serial: string): Promise<EpcisDocument> {
  const head = await ledgerStore.partByIdentity(db, gtin, serial);
  if (!head) {
    throw new AppError("LEDGER.UNKNOWN_PART", `no part ${gtin}/${serial} is on the ledger`, 404, { gtin, serial });
  }
  const events = await ledgerStore.eventsOfPart(db, head.partKey);
  return epcisDocument(
    events.map((e) => e.body),
    new Date(),
  );
}

/** The parts of a range's events in order of first appearance, each marked whether its latest event is in the range. */
async function partsInRange(db: Sql, events: StoredEvent[], lastSeq: number): Promise<Bundle["parts"]> {
  const keys = [...new Set(events.map((e) => e.partKey))];
  const heads = new Map<Hex, { gtin: string; serial: string; headSeq: number }>();
  const CHUNK = 5000;
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const [k, h] of await ledgerStore.partHeads(db, keys.slice(i, i + CHUNK))) heads.set(k, h);
  }
  return keys.map((k) => {
    const h = heads.get(k)!;
    return { gtin: h.gtin, serial: h.serial, latestIncluded: h.headSeq <= lastSeq };
  });
}
