import { createHash, randomBytes } from "node:crypto";
import {
  AppError,
  RECEIPT_BUNDLE_FORMAT,
  Stage,
  auditTrail,
  type Bundle,
  type ReceiptBundle,
  type Sql,
} from "../../../../ledger-service/src/index.js";
import { canonicalJson } from "../../../../ledger-service/src/audit/trail.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import type { Company } from "../orgs/orgs.service.js";
import {
  receiptsRepository as repo,
  type ReceiptLine,
  type ReceiptPart,
  type ReceiptRow,
  type ReceiptStatus,
} from "./receipts.repository.js";
import type { IssueReceiptBody, PledgeBody, ReceiptListQuery, ReceiptView, ReleaseBody } from "./receipts.schema.js";
import { pgCode, uniqueViolation } from "../../shared/pg-errors.js";

type PartRef = { gtin: string; serial: string };

/** What the receipts need of other modules (inventory's stock locks, the ledger's custody, the company register). */
export interface ReceiptDeps {
  location(id: string): Promise<{ id: string; companyId: string } | null>;
  lockUnits(
    tx: Sql,
    companyId: string,
    locationId: string,
    rows: ReadonlyArray<{ skuId: number; delta: number }>,
    ref: string,
  ): Promise<boolean>;
  skusOf(gtins: string[]): Promise<Map<string, number>>;
  lockHeld(tx: Sql, company: Company, parts: ReadonlyArray<PartRef>): Promise<PartRef[]>;
  /** A lender company by id (404 unknown, 409 not a lender). */
  lender(id: string, field?: string): Promise<Company>;
  /** A company's GB/T 2260 region code (where its receipts' goods are, for the ledger events' place). */
  regionOf(companyId: string): Promise<string>;
  /**
   * Appends a pledge or release of serials to the ledger, signed by `actorId` (null: the platform), with `work` in
   * the same transaction: both commit or neither does (DECISIONS 107).
   */
  onLedger(entry: PledgeEntry, work: (tx: Sql) => Promise<void>): Promise<void>;
  /** One serial's audit bundle (its whole ledger history with proofs), and a company's ledger address. */
  partBundle(gtin: string, serial: string): Promise<Bundle>;
  addressOf(companyId: string): Promise<string>;
  /** Whether the platform keeps `companyId`'s ledger key (it signs the pledge for the holder; DECISIONS 117). */
  platformSigns(companyId: string): Promise<boolean>;
}

/** A pledge or a release of a receipt's serials as ledger events; the receipt id is the events' signed place. */
export interface PledgeEntry {
  actorId: string | null;
  step: Stage.Pledged | Stage.Released;
  parts: PartRef[];
  place: { regionCode: string; locationId: string };
  pledgee?: string;
}

/** The canonical document of a receipt at one version; its sha256 is the digest the audit trail carries. */
export function receiptDocument(
  r: Pick<ReceiptRow, "id" | "companyId" | "locationId" | "status" | "lenderId" | "version">,
  lines: ReadonlyArray<{ skuId: number; quantity: number }>,
  parts: ReadonlyArray<PartRef & { released?: boolean }>,
) {
  return {
    format: "partledger/warehouse-receipt@1",
    id: r.id,
    holder: r.companyId,
    location: r.locationId,
    status: r.status,
    lender: r.lenderId,
    version: r.version,
    lines: [...lines].sort((a, b) => a.skuId - b.skuId).map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
    serials: parts
      .filter((p) => !p.released)
      .map((p) => `${p.gtin}/${p.serial}`)
      .sort(),
  };
}
export const digestOf = (doc: unknown) => createHash("sha256").update(canonicalJson(doc)).digest("hex");

/**
 * Electronic warehouse receipts (仓单) and their pledges (仓单质押), issue 15 / DECISIONS 75. A company holding stock
 * issues a receipt over quantities of SKUs at one of its warehouses (and, for serialised parts, the serials): from then
 * until release those units are locked — the database refuses to reserve, sell, transfer, adjust, ship or install them
 * or to lock them for another receipt. Another person of the company pledges the receipt to a lender (once); the
 * platform releases it, in full or in part, on the lender's instruction (a repayment); an unpledged receipt is cancelled
 * by its issuer. Every state is a versioned canonical document whose digest goes into the audit trail, which the
 * platform checkpoints on the ledger (signed, batched, anchored).
 */
export class ReceiptsService {
  constructor(
    private readonly db: Sql,
    private readonly deps: ReceiptDeps,
  ) {}

  async issue(ctx: AuditContext, p: Principal, company: Company | undefined, body: IssueReceiptBody) {
    if (!company) throw new AppError("ORG.REQUIRED", "a warehouse receipt is issued by a company", 409);
    const person = personOf(p, "issue a warehouse receipt");
    const loc = await this.deps.location(body.locationId);
    if (!loc) throw notFound("warehouse", body.locationId);
    if (loc.companyId !== company.id) await crossTenant(this.db, ctx, p, "warehouse", body.locationId, loc.companyId);
    const lines: Array<{ skuId: number; quantity: number }> = [];
    const parts: Array<PartRef & { skuId: number }> = [];
    const seenSku = new Map<number, number>();
    const seenPart = new Set<string>();
    for (const [i, l] of body.lines.entries()) {
      if (seenSku.has(l.skuId))
        throw new AppError(
          "RECEIPT.DUPLICATE_LINE",
          `lines[${i}].skuId: SKU ${l.skuId} is already on line ${seenSku.get(l.skuId)! + 1}; put them together`,
          400,
          { field: `lines[${i}].skuId` },
        );
      seenSku.set(l.skuId, i);
      const named = l.parts ?? [];
      const quantity = l.quantity ?? named.length;
      if (named.length > quantity)
        throw new AppError(
          "RECEIPT.TOO_MANY_PARTS",
          `lines[${i}].parts: ${named.length} serials for a quantity of ${quantity}`,
          400,
          { field: `lines[${i}].parts` },
        );
      for (const [j, x] of named.entries()) {
        const k = `${x.gtin}/${x.serial}`;
        if (seenPart.has(k))
          throw new AppError("RECEIPT.DUPLICATE_PART", `lines[${i}].parts[${j}]: ${k} is named twice`, 400, {
            field: `lines[${i}].parts[${j}]`,
          });
        seenPart.add(k);
        parts.push({ ...x, skuId: l.skuId });
      }
      lines.push({ skuId: l.skuId, quantity });
    }
    if (parts.length) {
      const skus = await this.deps.skusOf([...new Set(parts.map((x) => x.gtin))]);
      const bad = parts.find((x) => skus.get(x.gtin) !== x.skuId);
      if (bad)
        throw new AppError(
          "RECEIPT.PART_NOT_THIS_SKU",
          `parts: GTIN ${bad.gtin} is not named as SKU ${bad.skuId} (POST /mint with product.skuId names it)`,
          409,
          { field: "lines" },
        );
    }
    const id = `wr_${randomBytes(8).toString("hex")}`;
    const head = {
      id,
      companyId: company.id,
      locationId: loc.id,
      status: "issued" as const,
      lenderId: null,
      version: 1,
    };
    const digest = digestOf(receiptDocument(head, lines, parts));
    await this.write(null, async (tx) => {
      // Ledger rows before stock rows: the order every ledger append that moves stock takes them in.
      if (parts.length) {
        const notHeld = await this.deps.lockHeld(tx, company, parts);
        if (notHeld.length)
          throw new AppError(
            "RECEIPT.PART_NOT_HELD",
            `part ${notHeld[0]!.gtin}/${notHeld[0]!.serial} is not held by ${company.id} per the ledger (not received, already shipped or installed)${notHeld.length > 1 ? `, and ${notHeld.length - 1} more` : ""}`,
            409,
            { field: "lines" },
          );
      }
      await repo.insert(tx, { id, companyId: company.id, locationId: loc.id, issuedBy: person, digest }, lines, parts);
      if (
        !(await this.deps.lockUnits(
          tx,
          company.id,
          loc.id,
          lines.map((l) => ({ skuId: l.skuId, delta: l.quantity })),
          id,
        ))
      )
        throw new AppError(
          "RECEIPT.INSUFFICIENT_STOCK",
          `warehouse ${loc.id} does not have ${lines.map((l) => `${l.quantity} of SKU ${l.skuId}`).join(", ")} on hand beyond what orders reserved and other receipts lock`,
          409,
          { field: "lines" },
        );
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "warehouse_receipt.issue",
        resource: "warehouse_receipt",
        resourceId: id,
        changes: {
          status: { after: "issued" },
          version: { after: 1 },
          digest: { after: digest },
          units: { after: lines.reduce((s, l) => s + l.quantity, 0) },
          serials: { after: parts.length },
        },
      });
    });
    return this.view(this.db, id);
  }

  async pledge(ctx: AuditContext, p: Principal, company: Company | undefined, id: string, body: PledgeBody) {
    if (!company) throw new AppError("ORG.REQUIRED", "a warehouse receipt is pledged by its holder", 409);
    const person = personOf(p, "pledge a warehouse receipt (two-person rule)");
    if (body.lenderId === company.id)
      throw new AppError("RECEIPT.SELF_PLEDGE", "lenderId: a company cannot pledge goods to itself", 409, {
        field: "lenderId",
      });
    await this.deps.lender(body.lenderId);
    await this.owned(ctx, p, id);
    const serials = live(await repo.parts(this.db, id));
    if (serials.length && !(await this.deps.platformSigns(company.id)))
      throw new AppError(
        "RECEIPT.HOLDER_SIGNS",
        `${company.id} signs its ledger events with its own key: a pledge of serials, and on enforcement their ` +
          "shipment to the lender's nominee, must be signed by the holder, which the platform cannot do. Pledge them " +
          "through a custodian warehouse whose key the platform keeps, or pledge quantities only (DECISIONS 117)",
        409,
        { receiptId: id },
      );
    const entry = serials.length
      ? {
          actorId: company.id,
          step: Stage.Pledged as const,
          parts: serials,
          place: { regionCode: company.regionCode, locationId: id },
          pledgee: body.lenderId,
        }
      : null;
    await this.write(entry, async (tx) => {
      const r = (await repo.get(tx, id, true))!;
      if (r.status !== "issued")
        throw new AppError(
          r.status === "pledged" ? "RECEIPT.ALREADY_PLEDGED" : "RECEIPT.INVALID_TRANSITION",
          r.status === "pledged"
            ? `warehouse receipt ${id} is already pledged (to ${r.lenderId}); a receipt is pledged once, until released`
            : `warehouse receipt ${id} is ${r.status}; only an issued receipt can be pledged`,
          409,
        );
      if (r.issuedBy === person)
        throw new AppError(
          "RECEIPT.SAME_PERSON",
          "the person who issued a warehouse receipt cannot pledge it; another person of the company must",
          403,
        );
      sameSerials(id, serials, live(await repo.parts(tx, id)));
      await this.transition(
        tx,
        ctx,
        r,
        { status: "pledged", lenderId: body.lenderId, pledgedBy: person },
        {
          action: "warehouse_receipt.pledge",
          changes: { lender: { after: body.lenderId } },
        },
      );
    });
    return this.view(this.db, id);
  }

  /**
   * The receipt's lender (its approver), or the platform on the lender's instruction: releases everything still locked,
   * or the quantities and serials named.
   */
  async release(ctx: AuditContext, p: Principal, id: string, body: ReleaseBody) {
    const seen = await repo.get(this.db, id);
    if (!seen) throw notFound("warehouse_receipt", id);
    if (p.companyId !== null && p.companyId !== seen.lenderId)
      await crossTenant(this.db, ctx, p, "warehouse_receipt", id, seen.companyId);
    // The serials this release frees, read before the transaction (the ledger signs them first), re-read inside it.
    const freeing = (parts: ReceiptPart[]) =>
      !body.lines?.length && !body.parts?.length ? live(parts) : (body.parts ?? []);
    const before = seen.status === "pledged" ? await repo.parts(this.db, id) : [];
    // The caller's mistakes (a serial not locked here, too much) are 409s before anything is signed.
    if (seen.status === "pledged" && (body.lines?.length || body.parts?.length))
      this.partial(await repo.lines(this.db, id), before, body);
    const serials = freeing(before).map(({ gtin, serial }) => ({ gtin, serial }));
    const entry = serials.length
      ? {
          actorId: p.companyId,
          step: Stage.Released as const,
          parts: serials,
          place: { regionCode: await this.deps.regionOf(seen.companyId), locationId: id },
        }
      : null;
    await this.write(entry, async (tx) => {
      const r = (await repo.get(tx, id, true))!;
      if (p.companyId !== null && p.companyId !== r.lenderId) throw notFound("warehouse_receipt", id);
      if (r.status !== "pledged")
        throw new AppError(
          "RECEIPT.INVALID_TRANSITION",
          `warehouse receipt ${id} is ${r.status}; only a pledged receipt is released (an unpledged one is cancelled by its issuer)`,
          409,
        );
      // Under the receipt's row lock, which starting an enforcement also takes: one or the other (DECISIONS 112).
      const enforcing = await repo.liveEnforcement(tx, id);
      if (enforcing)
        throw new AppError(
          "RECEIPT.ENFORCING",
          `warehouse receipt ${id} is under enforcement ${enforcing}; cancel the enforcement before releasing it`,
          409,
        );
      const lines = await repo.lines(tx, id);
      const parts = await repo.parts(tx, id);
      const all = !body.lines?.length && !body.parts?.length;
      const free = all
        ? lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity }))
        : this.partial(lines, parts, body);
      const freedParts = all ? parts.filter((x) => !x.released) : (body.parts ?? []);
      sameSerials(id, serials, freedParts);
      await this.unlock(tx, r, free, freedParts);
      const left = lines.reduce((s, l) => s + l.quantity, 0) - free.reduce((s, l) => s + l.quantity, 0);
      await this.transition(
        tx,
        ctx,
        r,
        { status: left === 0 ? "released" : "pledged", lenderId: r.lenderId },
        {
          action: "warehouse_receipt.release",
          changes: {
            reference: { after: body.reference },
            releasedUnits: { after: free.reduce((s, l) => s + l.quantity, 0) },
            releasedSerials: { after: freedParts.length },
            lockedUnits: { before: left + free.reduce((s, l) => s + l.quantity, 0), after: left },
          },
        },
      );
    });
    return this.view(this.db, id);
  }

  /** The issuer withdraws a receipt that was never pledged: everything it locked is free again. */
  async cancel(ctx: AuditContext, p: Principal, id: string) {
    await this.owned(ctx, p, id);
    await this.write(null, async (tx) => {
      const r = (await repo.get(tx, id, true))!;
      if (r.status !== "issued")
        throw new AppError(
          "RECEIPT.INVALID_TRANSITION",
          `warehouse receipt ${id} is ${r.status}; only an issued, unpledged receipt can be cancelled`,
          409,
        );
      const lines = await repo.lines(tx, id);
      const parts = await repo.parts(tx, id);
      await this.unlock(
        tx,
        r,
        lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
        parts.filter((x) => !x.released),
      );
      await this.transition(
        tx,
        ctx,
        r,
        { status: "cancelled", lenderId: null },
        {
          action: "warehouse_receipt.cancel",
          changes: {},
        },
      );
    });
    return this.view(this.db, id);
  }

  /** One receipt: for its holder, its lender and the platform; anyone else gets 404 (and the attempt is audited). */
  async get(ctx: AuditContext, p: Principal, id: string): Promise<ReceiptView> {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("warehouse_receipt", id);
    if (p.companyId !== null && p.companyId !== r.companyId && p.companyId !== r.lenderId)
      await crossTenant(this.db, ctx, p, "warehouse_receipt", id, r.companyId);
    return this.view(this.db, id);
  }

  /**
   * The receipt bundle (DECISIONS 108): the receipt as the platform states it, with each serial's part bundle, for a
   * lender to check the pledge against the chain alone (`npm run audit -- --receipt`). Same audience as `get`.
   */
  async bundle(ctx: AuditContext, p: Principal, id: string): Promise<ReceiptBundle> {
    const r = await this.get(ctx, p, id);
    const party = async (companyId: string) => ({
      id: companyId,
      address: (await this.deps.addressOf(companyId)) as `0x${string}`,
    });
    const parts: Bundle[] = [];
    for (const x of r.parts) parts.push(await this.deps.partBundle(x.gtin, x.serial));
    return {
      format: RECEIPT_BUNDLE_FORMAT,
      createdAt: new Date().toISOString(),
      receipt: {
        id: r.id,
        status: r.status,
        holder: await party(r.companyId),
        lender: r.lenderId ? await party(r.lenderId) : null,
        serials: r.parts.map(({ gtin, serial, released }) => ({ gtin, serial, released })),
      },
      parts,
    };
  }

  async list(p: Principal, q: ReceiptListQuery): Promise<ReceiptView[]> {
    const rows = await repo.list(this.db, p.companyId, q);
    return Promise.all(rows.map((r) => this.view(this.db, r.id)));
  }

  private partial(lines: ReceiptLine[], parts: ReceiptPart[], body: ReleaseBody) {
    const live = new Map(parts.filter((x) => !x.released).map((x) => [`${x.gtin}/${x.serial}`, x]));
    const free = new Map<number, number>();
    for (const [i, x] of (body.parts ?? []).entries()) {
      const hit = live.get(`${x.gtin}/${x.serial}`);
      if (!hit)
        throw new AppError(
          "RECEIPT.PART_NOT_LOCKED",
          `parts[${i}]: ${x.gtin}/${x.serial} is not locked by this receipt`,
          409,
          { field: `parts[${i}]` },
        );
      live.delete(`${x.gtin}/${x.serial}`);
      free.set(hit.skuId, (free.get(hit.skuId) ?? 0) + 1);
    }
    for (const [i, l] of (body.lines ?? []).entries()) {
      if (!lines.some((x) => x.skuId === l.skuId))
        throw new AppError("RECEIPT.NOT_ON_RECEIPT", `lines[${i}].skuId: SKU ${l.skuId} is not on this receipt`, 409, {
          field: `lines[${i}].skuId`,
        });
      free.set(l.skuId, (free.get(l.skuId) ?? 0) + l.quantity);
    }
    for (const l of lines) {
      const f = free.get(l.skuId) ?? 0;
      const serialsLeft = [...live.values()].filter((x) => x.skuId === l.skuId).length;
      if (l.quantity - f < 0)
        throw new AppError(
          "RECEIPT.RELEASE_TOO_LARGE",
          `SKU ${l.skuId}: releasing ${f} of the ${l.quantity} this receipt still locks`,
          409,
          { field: "lines" },
        );
      if (l.quantity - f < serialsLeft)
        throw new AppError(
          "RECEIPT.NAME_SERIALS",
          `SKU ${l.skuId}: ${l.quantity - f} units would stay locked but ${serialsLeft} serials are named; release serialised units by naming their serials in parts`,
          409,
          { field: "parts" },
        );
    }
    return [...free].filter(([, q]) => q > 0).map(([skuId, quantity]) => ({ skuId, quantity }));
  }

  private async unlock(
    tx: Sql,
    r: ReceiptRow,
    free: ReadonlyArray<{ skuId: number; quantity: number }>,
    parts: ReadonlyArray<PartRef>,
  ) {
    if (parts.length) await repo.releaseParts(tx, r.id, parts);
    if (!free.length) return;
    await repo.lowerLines(tx, r.id, free);
    if (
      !(await this.deps.lockUnits(
        tx,
        r.companyId,
        r.locationId,
        free.map((l) => ({ skuId: l.skuId, delta: -l.quantity })),
        r.id,
      ))
    )
      throw new Error(`warehouse receipt ${r.id}: stock does not hold its locks`);
  }

  /**
   * Moves a locked receipt row to its next state: version + 1, the new document's digest, an audit entry carrying it.
   * Also the enforcement's (enforcements.service.ts), inside its own transactions.
   */
  async transition(
    tx: Sql,
    ctx: AuditContext,
    r: ReceiptRow,
    next: { status: ReceiptStatus; lenderId: string | null; pledgedBy?: string },
    audit: { action: string; changes: Record<string, { before?: unknown; after?: unknown }> },
  ) {
    const version = r.version + 1;
    const lines = await repo.lines(tx, r.id);
    const parts = await repo.parts(tx, r.id);
    const digest = digestOf(receiptDocument({ ...r, ...next, version }, lines, parts));
    await repo.setState(tx, r.id, { ...next, version, digest });
    await auditTrail.append(tx, {
      ...ctx,
      companyId: r.companyId,
      action: audit.action,
      resource: "warehouse_receipt",
      resourceId: r.id,
      changes: {
        ...audit.changes,
        status: { before: r.status, after: next.status },
        version: { before: r.version, after: version },
        digest: { before: r.digest, after: digest },
      },
    });
  }

  /** The receipt, if the caller's company issued it (checked before the transaction; the holder never changes). */
  private async owned(ctx: AuditContext, p: Principal, id: string): Promise<ReceiptRow> {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("warehouse_receipt", id);
    if (r.companyId !== p.companyId) await crossTenant(this.db, ctx, p, "warehouse_receipt", id, r.companyId);
    return r;
  }

  /**
   * One transaction — with `entry`'s ledger events when serials are pledged or released — tried again when PostgreSQL
   * broke a deadlock by rolling it back; database refusals as 409s, the ledger's pledge refusals in receipt words.
   */
  async write(entry: PledgeEntry | null, work: (tx: Sql) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return entry ? await this.deps.onLedger(entry, work) : await this.db.transaction(work);
      } catch (e) {
        if (pgCode(e) === "40P01" && attempt < 4) continue;
        if (e instanceof AppError && e.code === "LEDGER.ALREADY_PLEDGED")
          throw new AppError(
            "RECEIPT.ALREADY_PLEDGED",
            `a serial of warehouse receipt ${entry?.place.locationId} is already pledged on the ledger; ` +
              "a receipt is pledged once, until released",
            409,
          );
        if (e instanceof AppError && (e.code === "LEDGER.NOT_PLEDGEE" || e.code === "LEDGER.STAGE_OUT_OF_ORDER"))
          throw new AppError("RECEIPT.LEDGER_DISAGREES", `the ledger refuses this step: ${e.message}`, 409);
        if (uniqueViolation(e, "warehouse_receipt_parts_live"))
          throw new AppError(
            "RECEIPT.PART_LOCKED",
            `a serial named is already locked by another live warehouse receipt${(e as { detail?: string }).detail ? ` (${(e as { detail?: string }).detail})` : ""}`,
            409,
            { field: "lines" },
          );
        throw e;
      }
    }
  }

  async view(db: Sql, id: string): Promise<ReceiptView> {
    const r = (await repo.get(db, id))!;
    return {
      id: r.id,
      companyId: r.companyId,
      locationId: r.locationId,
      status: r.status,
      lenderId: r.lenderId,
      version: r.version,
      digest: r.digest,
      lines: await repo.lines(db, id),
      parts: await repo.parts(db, id),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}

const live = (parts: ReceiptPart[]): PartRef[] =>
  parts.filter((x) => !x.released).map(({ gtin, serial }) => ({ gtin, serial }));

/** The serials signed on the ledger before the transaction are exactly those it changes, or nothing is written. */
function sameSerials(id: string, signed: PartRef[], now: ReadonlyArray<PartRef>): void {
  const key = (l: ReadonlyArray<PartRef>) =>
    l
      .map((x) => `${x.gtin}/${x.serial}`)
      .sort()
      .join(",");
  if (key(signed) !== key(now))
    throw new AppError(
      "RECEIPT.CHANGED",
      `warehouse receipt ${id}'s serials changed while this request was prepared; send it again`,
      409,
    );
}
