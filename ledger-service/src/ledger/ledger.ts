import { randomBytes } from "node:crypto";
import type { Sql } from "../db/sql.js";
import { AppError } from "../errors.js";
import { fromHex, toHex, type Hex, ZERO32 } from "../events/bytes.js";
import { ENCODING_VERSION, partKeyOf, privateHashOf, structHashOf } from "../events/canonical.js";
import { canonicalOf, type LedgerFields } from "../events/epcis.js";
import { recoverSubmitter, submissionDigest, type DigestSigner, type Submission } from "../events/signing.js";
import { assertGtin14 } from "../gs1/gtin.js";
import { assertLot, assertSerial } from "../gs1/serial.js";
import { assertVin } from "../gs1/vin.js";
import { shipToHashOf } from "../events/ship-to.js";
import {
  AUDIT_TRAIL_PART,
  assertActorMay,
  assertTransition,
  isPledgeStep,
  kindsFor,
  Stage,
} from "../lifecycle/transitions.js";
import { merkleRoot } from "../merkle/tree.js";
import type { Actor, ActorDirectory } from "./actors.js";
import type { KeyVault } from "./key-vault.js";
import { ledgerStore, type NewEventRow, type PartHead } from "./ledger-store.js";

export interface PartRef {
  gtin: string;
  serial: string;
  /** Required when commissioning; when given later it must match. */
  lot?: string | undefined;
}

export interface RecordInput {
  actorId: string;
  step:
    | Stage.Commissioned
    | Stage.Received
    | Stage.Installed
    | Stage.Shipped
    | Stage.Pledged
    | Stage.Released
    | Stage.AuditCheckpoint;
  parts: PartRef[];
  /** GB/T 2260 region code (6 digits) and the company's own id for the site (warehouse, workshop). */
  place: { regionCode: string; locationId: string };
  /** Milliseconds since the epoch (UTC); defaults to the ledger's clock. Required for self-signed submissions. */
  eventTime?: number | undefined;
  /** Installing: the vehicle's VIN; it enters the ledger only as a salted hash. */
  vin?: string | undefined;
  /** Installing: the 32-byte salt of the VIN hash (hex). Generated when absent; `prepare` returns the one it used. */
  salt?: Hex | undefined;
  /** AuditCheckpoint: the audit trail's head hash, signed as the event's privateHash (it is not private). */
  checkpointHash?: Hex | undefined;
  /**
   * Shipping (required): the id of the company the parts go to — another company, or the shipper itself between its
   * own sites. Signed as the event's privateHash (shipToHashOf its address); only that company can receive them.
   */
  shipTo?: string | undefined;
  /**
   * Pledging (required): the id of the lender the parts are pledged to, signed as the event's privateHash
   * (shipToHashOf its address). A release names no one: it carries the pledge's own lender hash.
   */
  pledgee?: string | undefined;
}

export interface Draft {
  /** The input completed with the event time and salt used: append exactly this with a self-made signature. */
  input: RecordInput;
  actor: Actor;
  submission: Submission;
  digest: Hex;
  fields: LedgerFields[];
  structHashes: Uint8Array[];
  heads: PartHead[];
  /** Each part's head hash before this draft (undefined: not on the ledger yet); re-checked under the lock. */
  priorHeads: Array<Hex | undefined>;
  isNew: boolean;
  privates: Array<{ salt: Uint8Array; fields: Record<string, string> } | null>;
}

export interface AppendResult {
  submissionId: number;
  firstSeq: number;
  lastSeq: number;
  events: Array<{ seq: number; structHash: Hex; partKey: Hex; gtin: string; serial: string }>;
  anchoring: "pending";
}

export interface AppendOptions {
  /** The company's own signature over the digest `prepare` returned; without it the platform-kept key signs. */
  signature?: Hex | undefined;
  /**
   * A step of the caller's workflow to run inside the append's transaction, after the events are written:
   * both commit or neither does. It may run more than once (the append is retried when a part moved).
   */
  within?: (tx: Sql, result: AppendResult) => Promise<void>;
}

export interface LedgerOptions {
  db: Sql;
  actors: ActorDirectory;
  vault: KeyVault;
  chainId: number;
  clock?: () => number;
  maxPartsPerSubmission?: number;
}

/**
 * Accepts lifecycle events: validates them, enforces the transition table and roles, links each to its part's
 * previous event and has the acting company sign the submission (all before taking the ledger lock), then
 * appends it in one short transaction. Sealing and anchoring happen elsewhere (Sealer, AnchorWorker); an
 * accepted event is reported as "anchoring pending".
 */
export class Ledger {
  private readonly clock: () => number;
  private readonly signers = new Map<string, DigestSigner | null>();
  readonly maxParts: number;

  constructor(private readonly opts: LedgerOptions) {
    this.clock = opts.clock ?? Date.now;
    this.maxParts = opts.maxPartsPerSubmission ?? 10_000;
  }

  get chainId(): number {
    return this.opts.chainId;
  }

  /**
   * Builds what `input` would append, and the EIP-712 digest the actor must sign. A company that keeps its own key
   * signs `digest` and passes the signature to `append` with the same input (including `eventTime`).
   */
  async prepare(input: RecordInput): Promise<Draft> {
    return this.draft(await this.opts.actors.get(input.actorId), input, this.opts.db);
  }

  /**
   * `assumeNew`: a commissioning's first attempt skips reading part heads; the insert's ON CONFLICT count catches
   * a part that exists, and the retry reads the heads and reports it properly.
   */
  private async draft(actor: Actor, input: RecordInput, db: Sql, assumeNew = false): Promise<Draft> {
    this.validate(input);
    assertActorMay(actor.kind, input.step, actor.id);
    const eventTime = input.eventTime ?? this.clock();
    const place = `${input.place.regionCode}:${input.place.locationId}`;
    const keys = input.parts.map((p) => partKeyOf(p.gtin, p.serial));
    const unique = new Set(keys);
    if (unique.size !== keys.length) {
      const dup = input.parts.find((_, i) => keys.indexOf(keys[i]!) !== i)!;
      throw new AppError("LEDGER.DUPLICATE_PART", `parts lists ${dup.gtin}/${dup.serial} more than once`, 400, {
        field: "parts",
      });
    }
    const existing =
      assumeNew && input.step === Stage.Commissioned ? new Map<Hex, PartHead>() : await ledgerStore.partHeads(db, keys);
    // The audit trail's first checkpoint starts its chain like a commissioning starts a part's.
    const isNew =
      input.step === Stage.Commissioned || (input.step === Stage.AuditCheckpoint && !existing.has(keys[0]!));
    const shipTo = input.step === Stage.Shipped ? await this.destination(input.shipTo!, actor) : undefined;
    const pledgee = input.step === Stage.Pledged ? await this.pledgeeOf(input.pledgee!, actor) : undefined;
    const salt =
      input.step === Stage.Installed
        ? input.salt
          ? fromHex(input.salt, 32)
          : new Uint8Array(randomBytes(32))
        : undefined;
    const fields: LedgerFields[] = [];
    const heads: PartHead[] = [];
    const privates: Draft["privates"] = [];
    const structHashes: Uint8Array[] = [];
    input.parts.forEach((p, i) => {
      const key = keys[i]!;
      const head = existing.get(key);
      const label = `${p.gtin}/${p.serial}`;
      this.assertPledgeRules(head, input.step, actor, label);
      // A pledge or release leaves the part where it was: the transition starts from the head event's own step.
      assertTransition(head?.pledgeStep || (head?.stage ?? Stage.None), input.step, label);
      // A holder receives its own part only at the end of its own shipment (a transfer between its sites).
      if (head && input.step === Stage.Received && head.holder === actor.address && head.stage !== Stage.Shipped) {
        throw new AppError(
          "LEDGER.ALREADY_HELD",
          `part ${label} is already held by ${actor.id}; a receipt records a change of custody or the end of a shipment`,
          409,
          { part: label },
        );
      }
      // A change of custody between companies needs a shipment to the receiver (issue 19): the receipt of a part
      // that was not shipped, or was shipped to another company, is refused.
      if (
        head &&
        input.step === Stage.Received &&
        head.stage === Stage.Shipped &&
        head.shipToHash !== shipToHashOf(actor.address)
      ) {
        throw new AppError(
          "LEDGER.NOT_CONSIGNEE",
          `part ${label} was shipped to another company, not to ${actor.id}; only the company a shipment names can receive it`,
          409,
          { part: label },
        );
      }
      if (head && input.step === Stage.Received && head.stage !== Stage.Shipped && head.holder !== actor.address) {
        throw new AppError(
          "LEDGER.NO_SHIPMENT",
          `part ${label} is held by another company and was not shipped to ${actor.id}; custody changes between companies only through a shipment to the receiver (an order, a transfer or a dispatch)`,
          409,
          { part: label },
        );
      }
      if (head && input.step === Stage.Shipped && head.holder !== actor.address) {
        throw new AppError(
          "LEDGER.NOT_HOLDER",
          `part ${label} is not held by ${actor.id}; only its holder can ship it`,
          409,
          { part: label },
        );
      }
      if (head && input.step === Stage.Installed && head.holder !== actor.address) {
        throw new AppError(
          "LEDGER.NOT_HOLDER",
          `part ${label} was never received by ${actor.id}; only the shop that received a part can install it (a part at a shop that never received it may carry a copied label)`,
          409,
          { part: label },
        );
      }
      // An audit checkpoint's lot is the audit seq it covers: it changes at every checkpoint (DECISIONS 20).
      if (head && p.lot !== undefined && p.lot !== head.lot && input.step !== Stage.AuditCheckpoint) {
        throw new AppError(
          "LEDGER.LOT_MISMATCH",
          `parts[${i}].lot: part ${label} belongs to lot ${head.lot}, got lot ${p.lot}`,
          409,
          { field: `parts[${i}].lot` },
        );
      }
      let privateHash: Hex = toHex(ZERO32);
      let priv: Draft["privates"][number] = null;
      if (input.step === Stage.AuditCheckpoint) privateHash = input.checkpointHash!;
      if (shipTo) privateHash = shipTo;
      if (pledgee) privateHash = pledgee;
      if (input.step === Stage.Released) privateHash = head!.pledgeeHash!;
      if (salt) {
        priv = { salt, fields: { vin: input.vin! } };
        privateHash = privateHashOf(priv.fields, priv.salt);
      }
      const f: LedgerFields = {
        version: ENCODING_VERSION,
        gtin: p.gtin,
        serial: p.serial,
        lot: input.step === Stage.AuditCheckpoint ? p.lot! : (head?.lot ?? p.lot!),
        step: input.step,
        actor: actor.address,
        eventTimeMs: eventTime,
        place,
        privateHash,
        prevHash: head?.headHash ?? toHex(ZERO32),
      };
      const structHash = structHashOf(canonicalOf(f, key));
      fields.push(f);
      structHashes.push(structHash);
      privates.push(priv);
      const pledging = isPledgeStep(input.step);
      heads.push({
        partKey: key,
        gtin: p.gtin,
        serial: p.serial,
        lot: f.lot,
        stage: pledging ? head!.stage : input.step,
        holder: pledging ? head!.holder : actor.address,
        pledgeStep: pledging ? input.step : 0,
        headHash: toHex(structHash),
        headSeq: 0,
        lifecycleMode: head?.lifecycleMode ?? actor.lifecycleMode,
      });
    });
    const submission: Submission = {
      actor: actor.address,
      eventsRoot: toHex(merkleRoot(structHashes)),
      eventCount: structHashes.length,
    };
    return {
      input: { ...input, eventTime, ...(salt ? { salt: toHex(salt) } : {}) },
      actor,
      submission,
      digest: submissionDigest(this.opts.chainId, submission),
      fields,
      structHashes,
      heads,
      priorHeads: keys.map((k) => existing.get(k)?.headHash),
      isNew,
      privates,
    };
  }

  /**
   * Appends the events of `input` atomically. With `signature`, it must be the actor's own signature over the
   * digest `prepare` returned; without, the platform-kept key signs. Either everything is appended or nothing.
   */
  async append(input: RecordInput, { signature, within }: AppendOptions = {}): Promise<AppendResult> {
    // Everything read through Prisma happens before the transaction: embedded PGlite has one connection.
    const actor = await this.opts.actors.get(input.actorId);
    const signer = signature ? null : await this.signerOf(actor);
    let completed: RecordInput = { ...input, eventTime: input.eventTime ?? this.clock() };
    for (let attempt = 1; ; attempt++) {
      // Hash and sign outside the ledger lock: concurrent appends overlap their CPU work with the database's.
      const draft = await this.draft(actor, completed, this.opts.db, attempt === 1);
      completed = draft.input;
      const sig = signature ?? (await signer!.signDigest(draft.digest));
      this.assertSignedBy(draft, sig);
      try {
        return await this.opts.db.transaction(async (tx) => {
          const result = await this.write(tx, draft, sig);
          await within?.(tx, result);
          return result;
        });
      } catch (e) {
        if (!(e instanceof HeadMoved)) throw e;
        // Another append moved one of these parts after this draft was made. Draft again (which also reports
        // a now-illegal move properly); a company's own signature cannot be redone here.
        if (signature || attempt >= 3) {
          throw new AppError(
            "LEDGER.CONFLICT",
            "a part in this submission changed after it was prepared: prepare and sign again",
            409,
            { field: "parts" },
          );
        }
      }
    }
  }

  private assertSignedBy(draft: Draft, sig: Hex): void {
    const recovered = recoverSubmitter(this.opts.chainId, draft.submission, sig);
    if (recovered?.toLowerCase() !== draft.actor.address.toLowerCase()) {
      throw new AppError(
        "LEDGER.BAD_SIGNATURE",
        `signature recovers to ${recovered ?? "nothing"}, expected company ${draft.actor.id}'s address ${draft.actor.address}`,
        401,
        { field: "signature" },
      );
    }
  }

  /** The write under the ledger lock: a handful of set-based statements, whatever the carton size. */
  private async write(tx: Sql, draft: Draft, sig: Hex): Promise<AppendResult> {
    const n = draft.fields.length;
    const before = await ledgerStore.reserveSeqs(tx, n);
    draft.heads.forEach((h, i) => (h.headSeq = before + 1 + i));
    const moved = draft.isNew
      ? await ledgerStore.insertParts(tx, draft.heads)
      : await ledgerStore.advanceParts(tx, draft.heads, draft.priorHeads as Hex[]);
    if (moved !== n) throw new HeadMoved();
    const submissionId = await ledgerStore.insertSubmission(
      tx,
      draft.actor.address,
      draft.submission.eventsRoot,
      n,
      sig,
    );
    const rows: NewEventRow[] = draft.fields.map((fields, i) => ({
      seq: before + 1 + i,
      structHash: draft.structHashes[i]!,
      partKey: draft.heads[i]!.partKey,
      step: fields.step,
      actor: fields.actor,
      submissionIndex: i,
      fields,
    }));
    await ledgerStore.insertEvents(tx, submissionId, rows);
    for (let i = 0; i < n; i++) {
      const p = draft.privates[i];
      if (!p) continue;
      const plaintext = JSON.stringify({ salt: toHex(p.salt), fields: p.fields });
      await ledgerStore.insertPrivate(
        tx,
        draft.structHashes[i]!,
        this.opts.vault.seal(plaintext, `private:${toHex(draft.structHashes[i]!)}`),
      );
    }
    // PartRegistry knows physical stages only: a pledge or a release is anchored in batches, never written there.
    const onChain = isPledgeStep(draft.input.step)
      ? []
      : draft.heads.filter((h) => h.lifecycleMode === "onchain").map((h) => h.partKey);
    if (onChain.length > 0)
      await ledgerStore.insertChainWrite(tx, submissionId, draft.actor.address, draft.input.step, onChain);
    return {
      submissionId,
      firstSeq: before + 1,
      lastSeq: before + n,
      events: rows.map((r, i) => ({
        seq: r.seq,
        structHash: toHex(r.structHash),
        partKey: r.partKey,
        gtin: draft.fields[i]!.gtin,
        serial: draft.fields[i]!.serial,
      })),
      anchoring: "pending",
    };
  }

  /** The signed destination of a shipment: a company that can receive parts (a distributor or a repair shop). */
  private async destination(id: string, shipper: Actor): Promise<Hex> {
    const to = await this.opts.actors.get(id).catch((e: unknown) => {
      if (e instanceof AppError && e.code === "LEDGER.UNKNOWN_ACTOR") {
        throw new AppError(
          "LEDGER.UNKNOWN_DESTINATION",
          `shipTo: no company ${JSON.stringify(id)} is registered`,
          404,
          { field: "shipTo" },
        );
      }
      throw e;
    });
    if (to.id !== shipper.id && !kindsFor(Stage.Received).includes(to.kind)) {
      throw new AppError(
        "LEDGER.INVALID_DESTINATION",
        `shipTo: company ${to.id} is a ${to.kind}; parts are shipped to a ${kindsFor(Stage.Received).join(" or ")}`,
        409,
        { field: "shipTo" },
      );
    }
    return shipToHashOf(to.address);
  }

  /** The signed lender of a pledge: a lender company other than the pledgor (shipToHashOf its address). */
  private async pledgeeOf(id: string, pledgor: Actor): Promise<Hex> {
    const to = await this.opts.actors.get(id).catch((e: unknown) => {
      if (e instanceof AppError && e.code === "LEDGER.UNKNOWN_ACTOR") {
        throw new AppError("LEDGER.UNKNOWN_PLEDGEE", `pledgee: no company ${JSON.stringify(id)} is registered`, 404, {
          field: "pledgee",
        });
      }
      throw e;
    });
    if (to.kind !== "lender" || to.id === pledgor.id) {
      throw new AppError(
        "LEDGER.INVALID_PLEDGEE",
        `pledgee: company ${to.id} is a ${to.kind}; parts are pledged to a lender other than their holder`,
        409,
        { field: "pledgee" },
      );
    }
    return shipToHashOf(to.address);
  }

  /**
   * The ledger's own pledge rules (DECISIONS 107), before the transition table: a pledged part moves only by its
   * release; only its holder pledges it; only the lender it names (or the platform) releases it.
   */
  private assertPledgeRules(head: PartHead | undefined, step: Stage, actor: Actor, label: string): void {
    if (head?.pledgeStep === Stage.Pledged && step !== Stage.Released) {
      throw new AppError(
        step === Stage.Pledged ? "LEDGER.ALREADY_PLEDGED" : "LEDGER.PLEDGED",
        `part ${label} is pledged on the ledger; it ` +
          `${step === Stage.Pledged ? "is pledged once" : "cannot move"} until its lender releases it`,
        409,
        { part: label },
      );
    }
    if (head && step === Stage.Pledged && head.holder !== actor.address) {
      throw new AppError(
        "LEDGER.NOT_HOLDER",
        `part ${label} is not held by ${actor.id}; only its holder pledges it`,
        409,
        {
          part: label,
        },
      );
    }
    if (head?.pledgeStep === Stage.Pledged && step === Stage.Released && actor.kind !== "platform") {
      if (head.pledgeeHash !== shipToHashOf(actor.address)) {
        throw new AppError(
          "LEDGER.NOT_PLEDGEE",
          `part ${label} is pledged to another lender, not to ${actor.id}; only its lender or the platform releases it`,
          409,
          { part: label },
        );
      }
    }
  }

  private async signerOf(actor: Actor): Promise<DigestSigner> {
    if (!this.signers.has(actor.id)) this.signers.set(actor.id, await this.opts.actors.signerFor(actor.id));
    const signer = this.signers.get(actor.id);
    if (!signer) {
      throw new AppError(
        "LEDGER.SIGNATURE_REQUIRED",
        `company ${actor.id} signs its own events: call prepare, sign the submission digest with ${actor.address} and append with the signature`,
        401,
        { field: "signature" },
      );
    }
    return signer;
  }

  private validate(input: RecordInput): void {
    if (input.step === Stage.AuditCheckpoint) {
      if (
        input.parts?.length !== 1 ||
        input.parts[0]!.gtin !== AUDIT_TRAIL_PART.gtin ||
        input.parts[0]!.serial !== AUDIT_TRAIL_PART.serial ||
        !/^0x[0-9a-f]{64}$/.test(input.checkpointHash ?? "")
      ) {
        throw new AppError(
          "LEDGER.INVALID_CHECKPOINT",
          "an audit checkpoint names the audit trail identity and a 32-byte head hash",
          400,
          { field: "checkpointHash" },
        );
      }
    } else if (input.checkpointHash !== undefined) {
      throw new AppError("LEDGER.UNEXPECTED_FIELD", "checkpointHash belongs only to an audit checkpoint", 400, {
        field: "checkpointHash",
      });
    } else if (input.parts?.some((p) => p?.gtin === AUDIT_TRAIL_PART.gtin)) {
      throw new AppError(
        "LEDGER.RESERVED_GTIN",
        `GTIN ${AUDIT_TRAIL_PART.gtin} is reserved (it is never a product)`,
        400,
        { field: "parts" },
      );
    }
    if (
      ![
        Stage.Commissioned,
        Stage.Received,
        Stage.Installed,
        Stage.Shipped,
        Stage.Pledged,
        Stage.Released,
        Stage.AuditCheckpoint,
      ].includes(input.step)
    ) {
      throw new AppError(
        "LEDGER.INVALID_STEP",
        "step must be 1 (commissioning), 2 (receiving), 3 (installing), 4 (shipping), 5 (pledging) or 6 (releasing), " +
          `got ${JSON.stringify(input.step)}`,
        400,
        { field: "step" },
      );
    }
    if (!Array.isArray(input.parts) || input.parts.length === 0 || input.parts.length > this.maxParts) {
      throw new AppError(
        "LEDGER.INVALID_PARTS",
        `parts must list 1 to ${this.maxParts} parts, got ${Array.isArray(input.parts) ? input.parts.length : typeof input.parts}`,
        400,
        { field: "parts" },
      );
    }
    input.parts.forEach((p, i) => {
      assertGtin14(p.gtin, `parts[${i}].gtin`);
      assertSerial(p.serial, `parts[${i}].serial`);
      if (input.step === Stage.Commissioned || input.step === Stage.AuditCheckpoint || p.lot !== undefined)
        assertLot(p.lot, `parts[${i}].lot`);
    });
    if (!input.place || !/^\d{6}$/.test(input.place.regionCode ?? "")) {
      throw new AppError(
        "LEDGER.INVALID_PLACE",
        `place.regionCode must be a 6-digit GB/T 2260 code, got ${JSON.stringify(input.place?.regionCode)}`,
        400,
        { field: "place.regionCode" },
      );
    }
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(input.place.locationId ?? "")) {
      throw new AppError(
        "LEDGER.INVALID_PLACE",
        `place.locationId must be 1-40 letters, digits or _.-, got ${JSON.stringify(input.place.locationId)}`,
        400,
        { field: "place.locationId" },
      );
    }
    if (input.eventTime !== undefined && (!Number.isSafeInteger(input.eventTime) || input.eventTime < 0)) {
      throw new AppError(
        "LEDGER.INVALID_TIME",
        `eventTime must be milliseconds since 1970 (UTC), got ${JSON.stringify(input.eventTime)}`,
        400,
        { field: "eventTime" },
      );
    }
    if (input.step === Stage.Shipped && (typeof input.shipTo !== "string" || input.shipTo.length === 0)) {
      throw new AppError("LEDGER.DESTINATION_REQUIRED", "shipTo: a shipment names the company it goes to", 400, {
        field: "shipTo",
      });
    }
    if (input.step !== Stage.Shipped && input.shipTo !== undefined) {
      throw new AppError("LEDGER.UNEXPECTED_FIELD", "shipTo belongs only to a shipping event", 400, {
        field: "shipTo",
      });
    }
    if (input.step === Stage.Pledged && (typeof input.pledgee !== "string" || input.pledgee.length === 0)) {
      throw new AppError("LEDGER.PLEDGEE_REQUIRED", "pledgee: a pledge names the lender it is made to", 400, {
        field: "pledgee",
      });
    }
    if (input.step !== Stage.Pledged && input.pledgee !== undefined) {
      throw new AppError("LEDGER.UNEXPECTED_FIELD", "pledgee belongs only to a pledging event", 400, {
        field: "pledgee",
      });
    }
    if (input.step === Stage.Installed) assertVin(input.vin, "vin");
    else if (input.vin !== undefined) {
      throw new AppError("LEDGER.UNEXPECTED_FIELD", "vin belongs only to an installing event", 400, { field: "vin" });
    }
  }
}

/** A part's head moved between drafting and writing (a concurrent append): the transaction is redone. */
class HeadMoved extends Error {}
