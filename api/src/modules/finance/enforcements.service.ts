import { randomBytes } from "node:crypto";
import { AppError, Stage, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { uniqueViolation } from "../../shared/pg-errors.js";
import type { Company } from "../orgs/orgs.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { enforcementsRepository as repo, type EnforcementRow } from "./enforcements.repository.js";
import type { EnforcementListQuery, EnforcementView, StartEnforcementBody } from "./enforcements.schema.js";
import { receiptsRepository as receipts, type ReceiptRow } from "./receipts.repository.js";
import type { ReceiptsService } from "./receipts.service.js";

type PartRef = { gtin: string; serial: string };

/** What enforcement needs of other modules: the company register, warehouses, stock, the ledger's shipment. */
export interface EnforcementDeps {
  company(id: string): Promise<Company>;
  location(id: string): Promise<{ id: string; companyId: string } | null>;
  /** Unlocks the units at the borrower's warehouse and moves them into the nominee's (stock movements). */
  transferStock(
    tx: Sql,
    from: { companyId: string; locationId: string },
    to: { companyId: string; locationId: string },
    rows: ReadonlyArray<{ skuId: number; quantity: number }>,
    ref: string,
  ): Promise<boolean>;
  /**
   * Whether the platform keeps `companyId`'s ledger key, i.e. can sign the transfer's shipment for it (DECISIONS 117:
   * a borrower that signs with its own key pledges serials through a custodian warehouse, not its own).
   */
  platformSigns(companyId: string): Promise<boolean>;
  /** Appends a shipment of `parts` by `actorId` to `shipTo` with `work` in the same transaction. */
  shipOnLedger(
    entry: { actorId: string; parts: PartRef[]; place: { regionCode: string; locationId: string }; shipTo: string },
    work: (tx: Sql) => Promise<void>,
  ): Promise<void>;
}

/** Company kinds that take goods (the ledger's receivers). */
const NOMINEE_KINDS = new Set(["distributor", "repair_shop"]);

/**
 * Enforcement of a pledged warehouse receipt (issue 15, DECISIONS 112): the lender's approver starts it naming a
 * nominee and one of its warehouses; a second approver confirms; an undo window runs in which the lender can cancel;
 * then the transfer: the serials are released on the ledger (signed by the lender) and shipped to the nominee (signed
 * by the borrower's platform-kept key), the quantities leave the borrower's warehouse for the nominee's, the receipt
 * ends `enforced`. A live enforcement blocks the receipt's release, and the other way round (both take the receipt's
 * row lock); a serial of an `enforcing` receipt can change only by a shipment that commits with its unlocking.
 */
export class EnforcementsService {
  constructor(
    private readonly db: Sql,
    private readonly receiptsService: ReceiptsService,
    private readonly webhooks: WebhooksService,
    private readonly deps: EnforcementDeps,
  ) {}

  async start(
    ctx: AuditContext,
    p: Principal,
    receiptId: string,
    body: StartEnforcementBody,
    key?: string,
  ): Promise<Reply> {
    const person = personOf(p, "start an enforcement (two-person rule)");
    const seen = await receipts.get(this.db, receiptId);
    if (!seen) throw notFound("warehouse_receipt", receiptId);
    if (p.companyId === null || p.companyId !== seen.lenderId)
      await crossTenant(this.db, ctx, p, "warehouse_receipt", receiptId, seen.companyId);
    const lenderId = p.companyId!;
    const nominee = await this.deps.company(body.nomineeId).catch((e: unknown) => {
      if (e instanceof AppError && e.status === 404)
        throw new AppError("ENFORCEMENT.UNKNOWN_NOMINEE", `nomineeId: no company ${body.nomineeId}`, 404, {
          field: "nomineeId",
        });
      throw e;
    });
    if (!NOMINEE_KINDS.has(nominee.kind))
      throw new AppError(
        "ENFORCEMENT.NOMINEE_KIND",
        `nomineeId: ${nominee.id} is a ${nominee.kind}; the goods go to a distributor or a repair shop that takes them`,
        409,
        { field: "nomineeId" },
      );
    if (nominee.id === seen.companyId)
      throw new AppError("ENFORCEMENT.NOMINEE_IS_BORROWER", "nomineeId: the borrower cannot be its own nominee", 409, {
        field: "nomineeId",
      });
    await this.platformSignsFor(seen.id, seen.companyId);
    const loc = await this.deps.location(body.nomineeLocationId);
    if (!loc || loc.companyId !== nominee.id)
      throw new AppError(
        "ENFORCEMENT.NOT_NOMINEE_WAREHOUSE",
        `nomineeLocationId: ${body.nomineeLocationId} is not a warehouse of ${nominee.id}`,
        409,
        { field: "nomineeLocationId" },
      );
    return idempotent(this.db, lenderId, "receipt.enforce", { receiptId, ...body }, key, async (within) => {
      const id = `enf_${randomBytes(8).toString("hex")}`;
      try {
        return await this.db.transaction(async (tx) => {
          // The receipt's row lock, which a release also takes: a release and a start never both win.
          const r = (await receipts.get(tx, receiptId, true))!;
          if (r.status !== "pledged" || r.lenderId !== lenderId)
            throw new AppError(
              "ENFORCEMENT.NOT_PLEDGED",
              `warehouse receipt ${receiptId} is ${r.status}; only a receipt pledged to you can be enforced`,
              409,
            );
          await repo.insert(tx, {
            id,
            receiptId,
            lenderId,
            borrowerId: r.companyId,
            nomineeId: nominee.id,
            nomineeLocationId: loc.id,
            reason: body.reason,
            undoHours: body.undoHours,
            startedBy: person,
          });
          await this.audit(tx, ctx, r, id, "warehouse_receipt.enforcement.start", {
            status: { after: "proposed" },
            nominee: { after: nominee.id },
            undoHours: { after: body.undoHours },
          });
          const reply: Reply = { status: 201, body: this.view((await repo.get(tx, id))!) };
          await within(tx, reply);
          return reply;
        });
      } catch (e) {
        if (uniqueViolation(e, "receipt_enforcements_live"))
          throw new AppError(
            "ENFORCEMENT.EXISTS",
            `warehouse receipt ${receiptId} already has an enforcement under way; confirm or cancel that one`,
            409,
          );
        throw e;
      }
    });
  }

  /** A second approver of the lender confirms; the undo window starts. */
  async confirm(ctx: AuditContext, p: Principal, id: string): Promise<EnforcementView> {
    const person = personOf(p, "confirm an enforcement (two-person rule)");
    const e = await this.ofLender(ctx, p, id);
    if (e.status !== "proposed" && e.confirmedBy === person) return this.view(e); // a retry
    if (e.startedBy === person)
      throw new AppError(
        "ENFORCEMENT.SAME_PERSON",
        "the person who started an enforcement cannot confirm it; another approver of the lender must",
        403,
      );
    return this.act(ctx, e, "confirmed", "confirm", person, "warehouse_receipt.enforcement.confirm");
  }

  /** The undo step: the lender cancels while the enforcement is proposed, or confirmed and inside its window. */
  async cancel(ctx: AuditContext, p: Principal, id: string): Promise<EnforcementView> {
    const person = personOf(p, "cancel an enforcement");
    const e = await this.ofLender(ctx, p, id);
    if (e.status === "cancelled") return this.view(e);
    return this.act(
      ctx,
      e,
      "cancelled",
      "cancel",
      person,
      "warehouse_receipt.enforcement.cancel",
      "undo_until IS NULL OR undo_until > now()",
    );
  }

  /**
   * The transfer, once the undo window is over (the lender or the platform). Resumable: an enforcement left
   * `transferring` (its serials released on the ledger, not yet shipped) finishes on the next call; a completed one
   * answers as it is.
   */
  async complete(ctx: AuditContext, p: Principal, id: string): Promise<EnforcementView> {
    const actor = p.person ?? ctx.actorId ?? "platform";
    let e = await this.ofLender(ctx, p, id, true);
    if (e.status === "completed") return this.view(e);
    if (e.status === "confirmed" && !e.windowOver)
      throw new AppError(
        "ENFORCEMENT.UNDO_WINDOW_OPEN",
        `enforcement ${id} can be undone until ${e.undoUntil!.toISOString()}; it transfers after that`,
        409,
      );
    if (e.status !== "confirmed" && e.status !== "transferring") throw invalid(e, "transferred");
    const r = (await receipts.get(this.db, e.receiptId))!;
    const serials = (await receipts.parts(this.db, e.receiptId))
      .filter((x) => !x.released)
      .map(({ gtin, serial }) => ({ gtin, serial }));
    // Before step 1: a release the platform could not follow with the borrower's shipment must not happen.
    if (serials.length) await this.platformSignsFor(r.id, r.companyId);
    try {
      if (e.status === "confirmed" && serials.length) {
        // Step 1: the lender releases the serials on the ledger; the receipt is `enforcing` and keeps them locked.
        await this.receiptsService.write(
          {
            actorId: p.companyId,
            step: Stage.Released,
            parts: serials,
            place: { regionCode: (await this.deps.company(r.companyId)).regionCode, locationId: r.id },
          },
          async (tx) => {
            const moved = await repo.move(tx, id, "transferring", "transfer", actor, "undo_until <= now()");
            if (!moved) throw invalid((await repo.get(tx, id))!, "transferred");
            const row = (await receipts.get(tx, r.id, true))!;
            await this.receiptsService.transition(
              tx,
              ctx,
              row,
              { status: "enforcing", lenderId: row.lenderId },
              { action: "warehouse_receipt.enforce", changes: { enforcement: { after: id } } },
            );
          },
        );
        e = (await repo.get(this.db, id))!;
      }
      // Step 2 (or the only step, without serials): ship the serials to the nominee, move the quantities, close.
      const finish = async (tx: Sql) => {
        const moved = await repo.move(tx, id, "completed", "complete", actor, "undo_until <= now()");
        if (!moved) throw invalid((await repo.get(tx, id))!, "completed");
        const row = (await receipts.get(tx, r.id, true))!;
        const lines = (await receipts.lines(tx, r.id)).filter((l) => l.quantity > 0);
        const parts = (await receipts.parts(tx, r.id)).filter((x) => !x.released);
        if (parts.length) await receipts.releaseParts(tx, r.id, parts);
        await receipts.lowerLines(tx, r.id, lines);
        if (
          !(await this.deps.transferStock(
            tx,
            { companyId: r.companyId, locationId: r.locationId },
            { companyId: moved.nomineeId, locationId: moved.nomineeLocationId },
            lines,
            id,
          ))
        )
          throw new Error(`enforcement ${id}: stock does not hold the receipt's locks`);
        await this.receiptsService.transition(
          tx,
          ctx,
          row,
          { status: "enforced", lenderId: row.lenderId },
          {
            action: "warehouse_receipt.enforce",
            changes: {
              enforcement: { after: id },
              nominee: { after: moved.nomineeId },
              transferredUnits: { after: lines.reduce((s, l) => s + l.quantity, 0) },
              transferredSerials: { after: parts.length },
            },
          },
        );
        await this.audit(tx, ctx, row, id, "warehouse_receipt.enforcement.complete", {
          status: { before: e.status, after: "completed" },
        });
        await this.webhooks.emit(
          tx,
          "warehouse_receipt.enforced",
          [moved.lenderId, moved.borrowerId, moved.nomineeId],
          this.view(moved),
        );
      };
      if (serials.length)
        await this.deps.shipOnLedger(
          {
            actorId: r.companyId,
            parts: serials,
            place: { regionCode: (await this.deps.company(r.companyId)).regionCode, locationId: r.locationId },
            shipTo: e.nomineeId,
          },
          finish,
        );
      else await this.receiptsService.write(null, finish);
    } catch (err) {
      // A concurrent completion won: the ledger refuses the second release or shipment; answer the outcome.
      const now = await repo.get(this.db, id);
      if (now?.status === "completed" && err instanceof AppError) return this.view(now);
      throw err;
    }
    return this.view((await repo.get(this.db, id))!);
  }

  async get(ctx: AuditContext, p: Principal, id: string): Promise<EnforcementView> {
    const e = await repo.get(this.db, id);
    if (!e) throw notFound("enforcement", id);
    if (p.companyId !== null && ![e.lenderId, e.borrowerId, e.nomineeId].includes(p.companyId))
      await crossTenant(this.db, ctx, p, "enforcement", id, e.borrowerId);
    return this.view(e);
  }

  async list(p: Principal, q: EnforcementListQuery): Promise<EnforcementView[]> {
    return (await repo.list(this.db, p.companyId, q.status ?? null, q.limit)).map((e) => this.view(e));
  }

  /**
   * Refuses to enforce the serials of a borrower that signs with its own key (DECISIONS 117): the transfer's
   * shipment must be signed by the holder, and the platform holds no key to sign it. Such a borrower pledges serials
   * through a custodian warehouse whose key the platform keeps; quantity-only receipts are not on the ledger.
   */
  private async platformSignsFor(receiptId: string, borrowerId: string): Promise<void> {
    const serials = (await receipts.parts(this.db, receiptId)).some((x) => !x.released);
    if (serials && !(await this.deps.platformSigns(borrowerId)))
      throw new AppError(
        "ENFORCEMENT.BORROWER_SIGNS",
        `warehouse receipt ${receiptId} locks serials of ${borrowerId}, which signs its ledger events with its own ` +
          "key: the platform cannot sign their transfer to the nominee. Serials of a company that keeps its own key " +
          "are pledged through a custodian warehouse whose key the platform keeps (DECISIONS 117)",
        409,
        { receiptId, borrowerId },
      );
  }

  /** The enforcement, if the caller is its lender (or, with `platform`, the platform); else 404, audited. */
  private async ofLender(ctx: AuditContext, p: Principal, id: string, platform = false): Promise<EnforcementRow> {
    const e = await repo.get(this.db, id);
    if (!e) throw notFound("enforcement", id);
    if (p.companyId === null ? !platform : p.companyId !== e.lenderId)
      await crossTenant(this.db, ctx, p, "enforcement", id, e.borrowerId);
    return e;
  }

  private async act(
    ctx: AuditContext,
    e: EnforcementRow,
    to: "confirmed" | "cancelled",
    act: "confirm" | "cancel",
    person: string,
    action: string,
    extra?: string,
  ): Promise<EnforcementView> {
    const moved = await this.db.transaction(async (tx) => {
      const m = await repo.move(tx, e.id, to, act, person, extra);
      if (!m) {
        const now = (await repo.get(tx, e.id))!;
        if (act === "cancel" && now.status === "confirmed")
          throw new AppError(
            "ENFORCEMENT.UNDO_WINDOW_CLOSED",
            `enforcement ${e.id}'s undo window closed at ${now.undoUntil!.toISOString()}`,
            409,
          );
        throw invalid(now, to);
      }
      const r = (await receipts.get(tx, e.receiptId))!;
      await this.audit(tx, ctx, r, e.id, action, {
        status: { before: e.status, after: to },
        ...(m.undoUntil ? { undoUntil: { after: m.undoUntil.toISOString() } } : {}),
      });
      await this.webhooks.emit(
        tx,
        `warehouse_receipt.enforcement_${to}`,
        [m.lenderId, m.borrowerId, m.nomineeId],
        this.view(m),
      );
      return m;
    });
    return this.view(moved);
  }

  private audit(
    tx: Sql,
    ctx: AuditContext,
    r: ReceiptRow,
    id: string,
    action: string,
    changes: Record<string, { before?: unknown; after?: unknown }>,
  ) {
    return auditTrail.append(tx, {
      ...ctx,
      companyId: r.companyId,
      action,
      resource: "receipt_enforcement",
      resourceId: id,
      changes: { ...changes, receipt: { after: r.id } },
    });
  }

  private view(e: EnforcementRow): EnforcementView {
    return {
      id: e.id,
      receiptId: e.receiptId,
      lenderId: e.lenderId,
      borrowerId: e.borrowerId,
      nomineeId: e.nomineeId,
      nomineeLocationId: e.nomineeLocationId,
      status: e.status,
      reason: e.reason,
      undoHours: e.undoHours,
      undoUntil: e.undoUntil ? e.undoUntil.toISOString() : null,
      undoable: e.status === "proposed" || (e.status === "confirmed" && !e.windowOver),
      completable: (e.status === "confirmed" && e.windowOver) || e.status === "transferring",
      startedBy: e.startedBy,
      confirmedBy: e.confirmedBy,
      cancelledBy: e.cancelledBy,
      completedBy: e.completedBy,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }
}

const invalid = (e: EnforcementRow, to: string) =>
  new AppError(
    "ENFORCEMENT.INVALID_TRANSITION",
    `enforcement ${e.id} is ${e.status}; it cannot be ${to} from there`,
    409,
    { status: e.status },
  );
