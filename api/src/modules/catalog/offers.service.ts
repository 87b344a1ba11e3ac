import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { distanceMetres } from "../../shared/geo.js";
import { brandId } from "./import-rows.js";
import { offersRepository as repo, type Box, type PoolStock } from "./offers.repository.js";
import { normaliseNumber } from "./numbers.js";
import { brandDisplayName } from "./brand-names.js";

/** A running discount on one seller's SKU, as the price comparison applies it. */
export interface OfferPromotion {
  id: string;
  sellerId: string;
  skuId: number;
  percentOff: number | null;
  fenOff: number | null;
  endsAt: string;
}

/** The price a promoted shop pays: percent off (rounded to the fen) or fen off, never below 1 fen. */
export function discounted(priceFen: number, p: { percentOff: number | null; fenOff: number | null }): number {
  const off = p.percentOff !== null ? Math.round((priceFen * p.percentOff) / 100) : (p.fenOff ?? 0);
  return Math.max(1, priceFen - off);
}

export interface CompareInput {
  skuId?: number | undefined;
  number?: string | undefined;
  lng: number;
  lat: number;
  radiusKm: number;
  limit: number;
  sort: "price" | "distance" | "delivery" | "score";
}

/** Urban delivery speed for estimates (km/h): scooters and vans through city traffic. */
const CITY_KMH = 25;

/**
 * One-click price comparison: for a SKU (and the SKUs sharing its OE numbers) or any number, the offers of
 * suppliers within a radius, each with price (the buyer's own price where the supplier set one; offers for
 * customers only are hidden from others), stock, distance, a delivery estimate and the supplier's provenance score
 * for the brand; sorted by price, distance, delivery or score.
 */
export class OffersService {
  private scoresAt = 0;

  constructor(
    private readonly db: Sql,
    /** The shared pool's live stock near a point (inventory module): orderable offers beside imported price lists. */
    private readonly pool?: (skuIds: number[], box: Box, buyerId: string) => Promise<PoolStock[]>,
    /** Running discounts a shop sees (promotions module, DECISIONS 95): one indexed lookup per comparison. */
    private readonly promotions?: (shopId: string | null, skuIds: number[]) => Promise<OfferPromotion[]>,
  ) {}

  async compare(buyer: { companyId: string | null }, input: CompareInput) {
    const skuIds = await this.equivalents(input);
    if (skuIds.length === 0)
      throw new AppError(
        "CATALOG.UNKNOWN_PART",
        input.number ? `no SKU answers to number ${input.number}` : `no SKU ${input.skuId}`,
        404,
        { field: input.number ? "number" : "skuId" },
      );
    await this.refreshScoresIfStale();
    const r = input.radiusKm;
    const dLat = r / 111.32;
    const dLng = r / (111.32 * Math.cos((input.lat * Math.PI) / 180));
    const box = {
      minLat: input.lat - dLat,
      maxLat: input.lat + dLat,
      minLng: input.lng - dLng,
      maxLng: input.lng + dLng,
    };
    // Live stock of the shared pool, priced as its owners set it; where a supplier has both, the live stock wins.
    const [live, promos] = await Promise.all([
      this.pool ? this.pool(skuIds, box, buyer.companyId ?? "") : [],
      this.promotions ? this.promotions(buyer.companyId, skuIds) : [],
    ]);
    const rows = await repo.near(this.db, skuIds, buyer.companyId ?? "", box, live);
    const here = { lng: input.lng, lat: input.lat };
    const offers = rows
      .map((o) => {
        const metres = Math.round(distanceMetres(here, o));
        const price = Number(o.customer_price ?? o.price_fen);
        const promo = promos.find((p) => p.sellerId === o.company_id && p.skuId === o.sku_id);
        return {
          sku: {
            id: o.sku_id,
            brand: o.brand,
            brandName: brandDisplayName(o.brand, o.brand_name),
            partNo: o.part_no,
            name: o.name,
            requested: o.sku_id === input.skuId,
          },
          supplier: { companyId: o.company_id, name: o.company, location: o.location, locationId: o.location_id },
          priceFen: promo ? discounted(price, promo) : price,
          ...(promo ? { promotion: { id: promo.id, endsAt: promo.endsAt, priceBeforeFen: price } } : {}),
          listPriceFen: Number(o.price_fen),
          customerPrice: o.customer_price !== null,
          stock: o.stock,
          orderable: o.visibility === "pool",
          distanceMetres: metres,
          deliveryMinutes: Math.round(o.prep_minutes + (metres / 1000 / CITY_KMH) * 60),
          provenance: o.scanned
            ? { score: Number((o.genuine! / o.scanned).toFixed(3)), scanned: o.scanned, genuine: o.genuine }
            : { score: null, scanned: 0, genuine: 0 },
        };
      })
      .filter((o) => o.distanceMetres <= r * 1000);
    const by: Record<CompareInput["sort"], (a: (typeof offers)[number], b: (typeof offers)[number]) => number> = {
      price: (a, b) => a.priceFen - b.priceFen || a.distanceMetres - b.distanceMetres,
      distance: (a, b) => a.distanceMetres - b.distanceMetres || a.priceFen - b.priceFen,
      delivery: (a, b) => a.deliveryMinutes - b.deliveryMinutes || a.priceFen - b.priceFen,
      score: (a, b) => (b.provenance.score ?? -1) - (a.provenance.score ?? -1) || a.priceFen - b.priceFen,
    };
    offers.sort(by[input.sort]);
    return {
      skuIds,
      center: here,
      radiusKm: r,
      sort: input.sort,
      found: offers.length,
      offers: offers.slice(0, input.limit),
    };
  }

  /** The SKU and every SKU sharing one of its OE numbers; or every SKU answering to `number`. */
  private async equivalents(input: CompareInput): Promise<number[]> {
    if (input.number !== undefined) {
      const norm = normaliseNumber(input.number);
      if (!/^[0-9A-Z]{4,40}$/.test(norm))
        throw new AppError("REQUEST.INVALID", `number: ${JSON.stringify(input.number)} is not a part number`, 400, {
          field: "number",
        });
      return repo.answeringTo(this.db, norm);
    }
    return repo.interchangeable(this.db, input.skuId!);
  }

  async addLocation(
    ctx: AuditContext,
    principal: Principal,
    body: {
      code: string;
      name: string;
      regionCode: string;
      location: { lng: number; lat: number };
      prepMinutes?: number | undefined;
    },
  ) {
    if (!principal.companyId) throw new AppError("ORG.REQUIRED", "locations belong to a supplier company", 409);
    const id = `loc_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      const added = await repo.insertLocation(tx, {
        id,
        companyId: principal.companyId!,
        code: body.code,
        name: body.name,
        regionCode: body.regionCode,
        lng: body.location.lng,
        lat: body.location.lat,
        prepMinutes: body.prepMinutes ?? 30,
      });
      if (!added)
        throw new AppError(
          "SUPPLIER.LOCATION_EXISTS",
          `your company already has a location with code ${body.code}`,
          409,
          { field: "code" },
        );
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "supplier_location.create",
        resource: "supplier_location",
        resourceId: id,
        changes: { code: { after: body.code }, name: { after: body.name } },
      });
    });
    return { id, ...body, prepMinutes: body.prepMinutes ?? 30 };
  }

  async locations(principal: Principal) {
    return repo.locations(this.db, principal.companyId);
  }

  /** A price for one customer: it overrides the list price and makes a customers-only offer visible to them. */
  async setCustomerPrice(
    ctx: AuditContext,
    principal: Principal,
    body: { buyerId: string; skuId: number; price: number },
  ) {
    if (!(await repo.companyExists(this.db, body.buyerId)))
      throw new AppError("NOT_FOUND", `no company ${body.buyerId}`, 404, { field: "buyerId" });
    const fen = Math.round(body.price * 100);
    await this.db.transaction(async (tx) => {
      await repo.setCustomerPrice(tx, principal.companyId, body.buyerId, body.skuId, fen);
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "customer_price.set",
        resource: "customer_price",
        resourceId: `${body.buyerId}/${body.skuId}`,
        changes: { priceFen: { after: fen } },
      });
    });
    return { buyerId: body.buyerId, skuId: body.skuId, priceFen: fen };
  }

  /**
   * Provenance scores from the ledger and the scan log: a sale is a receiving event whose previous event was another
   * company's; it verified genuine when the buyer's scans after it were genuine and none was a clone or unknown.
   */
  async refreshScores(): Promise<number> {
    const rows = await repo.judgedSales(this.db);
    const merged = new Map<string, { seller: string; brand: string; scanned: number; genuine: number }>();
    for (const r of rows) {
      let brand: string;
      try {
        brand = brandId(r.brand.split(/\s+/)[0]!);
      } catch {
        continue;
      }
      const k = `${r.seller}\n${brand}`;
      const m = merged.get(k) ?? { seller: r.seller, brand, scanned: 0, genuine: 0 };
      m.scanned += r.scanned;
      m.genuine += r.genuine;
      merged.set(k, m);
    }
    const list = [...merged.values()];
    await this.db.transaction((tx) => repo.upsertScores(tx, list));
    this.scoresAt = Date.now();
    return list.length;
  }

  private refreshing: Promise<unknown> | null = null;
  /** Scores are at most five minutes old; the refresh runs once at a time, in the background after the first. */
  private async refreshScoresIfStale(): Promise<void> {
    if (Date.now() - this.scoresAt <= 300_000) return;
    if (!this.refreshing) this.refreshing = this.refreshScores().finally(() => (this.refreshing = null));
    if (this.scoresAt === 0) await this.refreshing;
  }
}
