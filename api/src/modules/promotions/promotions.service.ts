import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { heldOut, uplift, type GroupCounts } from "./holdout.js";
import { promotionsRepository as repo, type PromotionRow } from "./promotions.repository.js";

export interface CreatePromotion {
  skuId: number;
  regionPrefix: string;
  percentOff?: number | undefined;
  fenOff?: number | undefined;
  startsAt?: string | undefined;
  endsAt: string;
  holdoutPct: number;
}

/** Splits a promotion's exposed shops by the hold-out hash and measures the conversion uplift with its 95 % interval. */
export function measure(
  p: Pick<PromotionRow, "id" | "holdoutPct">,
  exposures: Array<{ shopId: string; converted: boolean }>,
) {
  const c: GroupCounts = { treated: { shops: 0, converted: 0 }, heldOut: { shops: 0, converted: 0 } };
  for (const e of exposures) {
    const g = heldOut(e.shopId, p.id, p.holdoutPct) ? c.heldOut : c.treated;
    g.shops++;
    if (e.converted) g.converted++;
  }
  return { ...c, ...uplift(c) };
}

/**
 * Search-driven promotions (限时折扣, DECISIONS 95): suggestions from the search log (a city's shops searching for a
 * SKU the seller has in that province, few of them ordering it), time-limited discounts by region, shown in the price
 * comparison to every shop of the region but a hold-out group, and the conversion uplift measured against it.
 */
export class PromotionsService {
  constructor(private readonly db: Sql) {}

  /** Running promotions of these SKUs a shop sees (not held out): the price comparison's hook, one indexed lookup. */
  async visibleTo(shopId: string | null, skuIds: number[]): Promise<PromotionRow[]> {
    if (!shopId || skuIds.length === 0) return [];
    return (await repo.running(this.db, skuIds, shopId)).filter((p) => !heldOut(shopId, p.id, p.holdoutPct));
  }

  async suggestions(p: Principal, days: number, minSearchers: number) {
    return repo.suggestions(this.db, this.company(p), days, minSearchers);
  }

  async create(ctx: AuditContext, p: Principal, body: CreatePromotion) {
    const sellerId = this.company(p);
    if ((body.percentOff === undefined) === (body.fenOff === undefined))
      throw new AppError("PROMOTION.DISCOUNT", "give either percentOff or fenOff", 400, { field: "percentOff" });
    const startsAt = body.startsAt ?? new Date().toISOString();
    if (Date.parse(body.endsAt) <= Date.parse(startsAt) || Date.parse(body.endsAt) <= Date.now())
      throw new AppError(
        "PROMOTION.WINDOW",
        `endsAt: ${body.endsAt} must be after startsAt (${startsAt}) and now`,
        400,
        {
          field: "endsAt",
        },
      );
    if ((await repo.available(this.db, sellerId, body.skuId)) <= 0)
      throw new AppError("PROMOTION.NO_STOCK", `skuId: you have no available stock of SKU ${body.skuId}`, 409, {
        field: "skuId",
      });
    const id = `pr_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      await repo.insert(tx, {
        id,
        sellerId,
        skuId: body.skuId,
        regionPrefix: body.regionPrefix,
        percentOff: body.percentOff ?? null,
        fenOff: body.fenOff ?? null,
        startsAt,
        endsAt: body.endsAt,
        holdoutPct: body.holdoutPct,
        actor: ctx.actorId ?? "unknown",
      });
      await auditTrail.append(tx, {
        ...ctx,
        companyId: sellerId,
        action: "promotion.create",
        resource: "promotion",
        resourceId: id,
        changes: {
          skuId: { after: body.skuId },
          regionPrefix: { after: body.regionPrefix },
          discount: { after: body.percentOff !== undefined ? `${body.percentOff}%` : `${body.fenOff} fen` },
        },
      });
    });
    return this.withUplift((await repo.get(this.db, id))!);
  }

  async list(p: Principal, limit: number) {
    const rows = await repo.listOfSeller(this.db, this.company(p), limit);
    const out = [];
    for (const r of rows) out.push(await this.withUplift(r));
    return out;
  }

  async get(ctx: AuditContext, p: Principal, id: string) {
    const r = await repo.get(this.db, id);
    if (!r) throw notFound("promotion", id);
    if (r.sellerId !== p.companyId) await crossTenant(this.db, ctx, p, "promotion", id, r.sellerId);
    return this.withUplift(r);
  }

  private async withUplift(r: PromotionRow) {
    return { ...r, measured: measure(r, await repo.exposures(this.db, r.id)) };
  }

  private company(p: Principal): string {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "promotions belong to companies", 409);
    return p.companyId;
  }
}
