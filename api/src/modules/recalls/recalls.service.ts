import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import type { Company } from "../orgs/orgs.service.js";
import type { WebhooksService } from "../webhooks/webhooks.service.js";
import { recallsRepository as repo, type RecallProgress, type RecallRow } from "./recalls.repository.js";

/** Installation ids listed in one notification to an installing shop (it lists the rest with GET …/units). */
const NOTIFY_LIST_MAX = 1000;

/**
 * Recalls: the brand owner of a GTIN recalls it, a lot or a serial range. Opening one traces every unit the ledger knows
 * in scope to its current holder and installation in one statement, notifies each holder and each installing shop (a
 * webhook event: `recall.opened`, `recall.installed` — the shop contacts the owner; the VIN never leaves the encrypted
 * installation), and from then on orders refuse the recalled stock (OrdersService asks `recalledParts`, `blockedSkus`).
 */
export class RecallsService {
  constructor(
    private readonly db: Sql,
    private readonly webhooks: WebhooksService,
    private readonly ownerOf: (gtin: string) => Promise<{ companyId: string } | null>,
    private readonly skuOf: (gtin: string) => Promise<number | null>,
  ) {}

  async create(
    ctx: AuditContext,
    company: Company,
    body: {
      gtin: string;
      lot?: string | undefined;
      serials?: { from: string; to: string } | undefined;
      reason: string;
    },
  ) {
    const owner = await this.ownerOf(body.gtin);
    if (owner?.companyId !== company.id)
      throw new AppError(
        "RECALL.NOT_BRAND_OWNER",
        `gtin: ${body.gtin} is not under a GS1 company prefix of ${company.id}; only its brand owner recalls it`,
        403,
        { field: "gtin" },
      );
    if (body.serials && body.serials.from > body.serials.to)
      throw new AppError(
        "RECALL.INVALID_RANGE",
        `serials: from ${body.serials.from} is after to ${body.serials.to}`,
        400,
        {
          field: "serials",
        },
      );
    const id = `rc_${randomBytes(8).toString("hex")}`;
    const skuId = await this.skuOf(body.gtin);
    await this.db.transaction(async (tx) => {
      await repo.insert(tx, {
        id,
        manufacturerId: company.id,
        gtin: body.gtin,
        lot: body.lot ?? null,
        serialFrom: body.serials?.from ?? null,
        serialTo: body.serials?.to ?? null,
        skuId,
        reason: body.reason,
      });
      const { units, holders, installers } = await repo.trace(tx, id, {
        gtin: body.gtin,
        lot: body.lot ?? null,
        from: body.serials?.from ?? null,
        to: body.serials?.to ?? null,
      });
      const scope = {
        recallId: id,
        gtin: body.gtin,
        lot: body.lot ?? null,
        serials: body.serials ?? null,
        reason: body.reason,
      };
      // One event to every holder (its count: GET /recalls/affecting-me), one per installing shop with its installations.
      if (holders.length)
        await this.webhooks.emit(
          tx,
          "recall.opened",
          holders.map((h) => h.companyId),
          scope,
        );
      await this.webhooks.emitEach(
        tx,
        "recall.installed",
        installers.map((s) => ({
          companyId: s.companyId,
          payload: {
            ...scope,
            installations: s.installations.slice(0, NOTIFY_LIST_MAX),
            installationCount: s.installations.length,
            action: "contact the vehicle owners of these installations",
          },
        })),
      );
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "recall.create",
        resource: "recall",
        resourceId: id,
        changes: {
          scope: { after: JSON.stringify(scope) },
          units: { after: units },
          notified: { after: holders.length + installers.length },
        },
      });
    });
    return this.progress(this.db, (await repo.get(this.db, id))!);
  }

  async list(p: Principal, limit: number) {
    return repo.list(this.db, p.companyId, limit);
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    return this.progress(this.db, await this.own(ctx, p, id));
  }

  /** Units of a recall: all of them for its manufacturer and the platform; a holder or shop sees its own. */
  async units(p: Principal, id: string, limit: number) {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("recall", id);
    const all = p.companyId === null || p.companyId === r.manufacturerId;
    return repo.units(this.db, id, all ? null : p.companyId, limit);
  }

  affecting(p: Principal) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "recalls affect companies", 409);
    return repo.affecting(this.db, p.companyId);
  }

  async setProgress(
    ctx: AuditContext,
    p: Principal,
    id: string,
    body: { progress: RecallProgress; parts: Array<{ gtin: string; serial: string }> },
  ) {
    const r = await this.own(ctx, p, id);
    if (r.status !== "open") throw new AppError("RECALL.CLOSED", `recall ${id} is closed`, 409, { field: "id" });
    await this.db.transaction(async (tx) => {
      const done = await repo.setProgress(tx, id, body.parts, body.progress);
      if (done.length !== body.parts.length) {
        const hit = new Set(done.map((d) => `${d.gtin}/${d.serial}`));
        const i = body.parts.findIndex((x) => !hit.has(`${x.gtin}/${x.serial}`));
        throw new AppError(
          "RECALL.UNIT_NOT_RECALLED",
          `parts[${i}]: ${body.parts[i]!.gtin}/${body.parts[i]!.serial} is not in recall ${id}`,
          409,
          {
            field: `parts[${i}]`,
          },
        );
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: r.manufacturerId,
        action: "recall.progress",
        resource: "recall",
        resourceId: id,
        changes: { progress: { after: body.progress }, units: { after: done.length } },
      });
    });
    return this.progress(this.db, r);
  }

  async close(ctx: AuditContext, p: Principal, id: string) {
    const r = await this.own(ctx, p, id);
    await this.db.transaction(async (tx) => {
      await repo.close(tx, id);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: r.manufacturerId,
        action: "recall.close",
        resource: "recall",
        resourceId: id,
        changes: { status: { before: r.status, after: "closed" } },
      });
    });
    return this.progress(this.db, (await repo.get(this.db, id))!);
  }

  /** Which of `parts` an open recall covers: orders refuse to ship them. */
  recalledParts = (parts: ReadonlyArray<{ gtin: string; serial: string }>) =>
    parts.length ? repo.recalledParts(this.db, parts) : Promise.resolve([]);

  /** SKUs a whole-GTIN recall blocks from orders. */
  blockedSkus = (skuIds: number[]) => repo.blockedSkus(this.db, skuIds);

  private async own(ctx: AuditContext, p: Principal, id: string): Promise<RecallRow> {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("recall", id);
    if (p.companyId !== null && p.companyId !== r.manufacturerId)
      await crossTenant(this.db, ctx, p, "recall", id, r.manufacturerId);
    return r;
  }

  private async progress(db: Sql, r: RecallRow) {
    return { ...r, ...(await repo.summary(db, r.id)) };
  }
}
