import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { distanceMetres } from "../../shared/geo.js";
import { brandId } from "./import.service.js";
import { normaliseNumber } from "./numbers.js";

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
    private readonly pool?: (skuIds: number[], box: { minLat: number; maxLat: number; minLng: number; maxLng: number }, buyerId: string) => Promise<Array<{ skuId: number; locationId: string; priceFen: number; available: number }>>,
  ) {}

  async compare(buyer: { companyId: string | null }, input: CompareInput) {
    const skuIds = await this.equivalents(input);
    if (skuIds.length === 0) throw new AppError("CATALOG.UNKNOWN_PART", input.number ? `no SKU answers to number ${input.number}` : `no SKU ${input.skuId}`, 404, { field: input.number ? "number" : "skuId" });
    await this.refreshScoresIfStale();
    const r = input.radiusKm;
    const dLat = r / 111.32;
    const dLng = r / (111.32 * Math.cos((input.lat * Math.PI) / 180));
    type Row = {
      sku_id: number; brand: string; part_no: string; name: string; price_fen: string; customer_price: string | null; stock: number; visibility: string;
      location_id: string; location: string; company_id: string; company: string; lng: number; lat: number; prep_minutes: number; scanned: number | null; genuine: number | null;
    };
    const { rows: listed } = await this.db.query<Row>(
      `SELECT o.sku_id::int AS sku_id, s.brand, s.part_no, s.name, o.price_fen, cp.price_fen AS customer_price, o.stock, o.visibility,
              l.id AS location_id, l.name AS location, l.company_id, c.name AS company, l.lng, l.lat, l.prep_minutes, sc.scanned, sc.genuine
         FROM supplier_offers o
         JOIN supplier_locations l ON l.id = o.location_id
         JOIN companies c ON c.id = l.company_id
         JOIN catalog_skus s ON s.id = o.sku_id
         LEFT JOIN customer_prices cp ON cp.seller_id = l.company_id AND cp.buyer_id = $2 AND cp.sku_id = o.sku_id
         LEFT JOIN supplier_scores sc ON sc.company_id = l.company_id AND sc.brand = s.brand
        WHERE o.sku_id = ANY($1::bigint[]) AND o.stock > 0
          AND l.lat BETWEEN $3 AND $4 AND l.lng BETWEEN $5 AND $6
          AND (o.visibility = 'public' OR cp.price_fen IS NOT NULL)
        LIMIT 5000`,
      [skuIds, buyer.companyId ?? "", input.lat - dLat, input.lat + dLat, input.lng - dLng, input.lng + dLng],
    );
    // Live stock of the shared pool, priced as its owners set it; where a supplier has both, the live stock wins.
    const live = this.pool ? await this.pool(skuIds, { minLat: input.lat - dLat, maxLat: input.lat + dLat, minLng: input.lng - dLng, maxLng: input.lng + dLng }, buyer.companyId ?? "") : [];
    const { rows: pooled } = live.length
      ? await this.db.query<Row>(
          `SELECT u.sku_id::int AS sku_id, s.brand, s.part_no, s.name, u.price_fen, NULL AS customer_price, u.available AS stock, 'pool' AS visibility,
                  l.id AS location_id, l.name AS location, l.company_id, c.name AS company, l.lng, l.lat, l.prep_minutes, sc.scanned, sc.genuine
             FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::int[]) AS u(sku_id, location_id, price_fen, available)
             JOIN supplier_locations l ON l.id = u.location_id JOIN companies c ON c.id = l.company_id JOIN catalog_skus s ON s.id = u.sku_id
             LEFT JOIN supplier_scores sc ON sc.company_id = l.company_id AND sc.brand = s.brand`,
          [live.map((x) => x.skuId), live.map((x) => x.locationId), live.map((x) => x.priceFen), live.map((x) => x.available)],
        )
      : { rows: [] as Row[] };
    const seen = new Set(pooled.map((o) => `${o.sku_id}/${o.location_id}`));
    const rows = [...pooled, ...listed.filter((o) => !seen.has(`${o.sku_id}/${o.location_id}`))];
    const here = { lng: input.lng, lat: input.lat };
    const offers = rows
      .map((o) => {
        const metres = Math.round(distanceMetres(here, o));
        return {
          sku: { id: o.sku_id, brand: o.brand, partNo: o.part_no, name: o.name, requested: o.sku_id === input.skuId },
          supplier: { companyId: o.company_id, name: o.company, location: o.location, locationId: o.location_id },
          priceFen: Number(o.customer_price ?? o.price_fen), listPriceFen: Number(o.price_fen), customerPrice: o.customer_price !== null,
          stock: o.stock, orderable: o.visibility === "pool", distanceMetres: metres, deliveryMinutes: Math.round(o.prep_minutes + (metres / 1000 / CITY_KMH) * 60),
          provenance: o.scanned ? { score: Number((o.genuine! / o.scanned).toFixed(3)), scanned: o.scanned, genuine: o.genuine } : { score: null, scanned: 0, genuine: 0 },
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
    return { skuIds, center: here, radiusKm: r, sort: input.sort, found: offers.length, offers: offers.slice(0, input.limit) };
  }

  /** The SKU and every SKU sharing one of its OE numbers; or every SKU answering to `number`. */
  private async equivalents(input: CompareInput): Promise<number[]> {
    if (input.number !== undefined) {
      const norm = normaliseNumber(input.number);
      if (!/^[0-9A-Z]{4,40}$/.test(norm)) throw new AppError("REQUEST.INVALID", `number: ${JSON.stringify(input.number)} is not a part number`, 400, { field: "number" });
      const { rows } = await this.db.query<{ id: number }>(
        `SELECT DISTINCT o.sku_id::int AS id FROM catalog_numbers n JOIN catalog_numbers o ON o.norm = n.norm AND o.kind IN ('oe', 'brand')
          WHERE n.norm = $1 LIMIT 200`,
        [norm],
      );
      return rows.map((r) => r.id);
    }
    const { rows } = await this.db.query<{ id: number }>(
      `SELECT $1::bigint::int AS id FROM catalog_skus WHERE id = $1
       UNION SELECT DISTINCT o.sku_id::int FROM catalog_numbers n JOIN catalog_numbers o ON o.norm = n.norm AND o.kind = 'oe'
          WHERE n.sku_id = $1 AND n.kind = 'oe' LIMIT 200`,
      [input.skuId],
    );
    return rows.map((r) => r.id);
  }

  async addLocation(ctx: AuditContext, principal: Principal, body: { code: string; name: string; regionCode: string; location: { lng: number; lat: number }; prepMinutes?: number | undefined }) {
    if (!principal.companyId) throw new AppError("ORG.REQUIRED", "locations belong to a supplier company", 409);
    const id = `loc_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat, prep_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (company_id, code) DO NOTHING RETURNING id`,
        [id, principal.companyId, body.code, body.name, body.regionCode, body.location.lng, body.location.lat, body.prepMinutes ?? 30],
      );
      if (rows.length === 0) throw new AppError("SUPPLIER.LOCATION_EXISTS", `your company already has a location with code ${body.code}`, 409, { field: "code" });
      await auditTrail.append(tx, { ...ctx, companyId: principal.companyId, action: "supplier_location.create", resource: "supplier_location", resourceId: id, changes: { code: { after: body.code }, name: { after: body.name } } });
    });
    return { id, ...body, prepMinutes: body.prepMinutes ?? 30 };
  }

  async locations(principal: Principal) {
    const { rows } = await this.db.query("SELECT id, code, name, region_code AS \"regionCode\", lng, lat, prep_minutes AS \"prepMinutes\" FROM supplier_locations WHERE company_id = $1 ORDER BY code", [principal.companyId]);
    return rows;
  }

  /** A price for one customer: it overrides the list price and makes a customers-only offer visible to them. */
  async setCustomerPrice(ctx: AuditContext, principal: Principal, body: { buyerId: string; skuId: number; price: number }) {
    const { rows } = await this.db.query("SELECT 1 FROM companies WHERE id = $1", [body.buyerId]);
    if (!rows.length) throw new AppError("NOT_FOUND", `no company ${body.buyerId}`, 404, { field: "buyerId" });
    const fen = Math.round(body.price * 100);
    await this.db.transaction(async (tx) => {
      await tx.query(
        "INSERT INTO customer_prices (seller_id, buyer_id, sku_id, price_fen) VALUES ($1, $2, $3, $4) ON CONFLICT (seller_id, buyer_id, sku_id) DO UPDATE SET price_fen = EXCLUDED.price_fen",
        [principal.companyId, body.buyerId, body.skuId, fen],
      );
      await auditTrail.append(tx, { ...ctx, companyId: principal.companyId, action: "customer_price.set", resource: "customer_price", resourceId: `${body.buyerId}/${body.skuId}`, changes: { priceFen: { after: fen } } });
    });
    return { buyerId: body.buyerId, skuId: body.skuId, priceFen: fen };
  }

  /**
   * Provenance scores from the ledger and the scan log: a sale is a receiving event whose previous event was another
   * company's; it verified genuine when the buyer's scans after it were genuine and none was a clone or unknown.
   */
  async refreshScores(): Promise<number> {
    const { rows } = await this.db.query<{ seller: string; brand: string; scanned: number; genuine: number }>(
      `WITH sales AS (
         SELECT e2.part_key, e2.recorded_at, e2.actor AS buyer, e1.actor AS seller_addr
           FROM ledger_events e2 JOIN ledger_events e1 ON e1.struct_hash = decode(substr(e2.fields->>'prevHash', 3), 'hex')
          WHERE e2.step = 2 AND lower(e1.actor) <> lower(e2.actor)
       ), judged AS (
         SELECT a.id AS seller, p.brand, s.part_key,
                bool_or(sc.verdict IN ('GENUINE', 'GENUINE_PENDING_ANCHOR')) AS good, bool_or(sc.verdict IN ('UNKNOWN', 'SUSPECT_CLONE')) AS bad
           FROM sales s
           JOIN ledger_actors a ON lower(a.address) = lower(s.seller_addr)
           JOIN ledger_parts lp ON lp.part_key = s.part_key
           JOIN products p ON p.gtin = lp.gtin
           JOIN scans sc ON sc.part_key = s.part_key AND sc.scanned_at >= s.recorded_at
          GROUP BY 1, 2, 3
       )
       SELECT seller, brand, count(*)::int AS scanned, (count(*) FILTER (WHERE good AND NOT bad))::int AS genuine FROM judged GROUP BY 1, 2`,
    );
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
    await this.db.transaction(async (tx) => {
      if (list.length === 0) return;
      await tx.query(
        `INSERT INTO supplier_scores (company_id, brand, scanned, genuine) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[])
         ON CONFLICT (company_id, brand) DO UPDATE SET scanned = EXCLUDED.scanned, genuine = EXCLUDED.genuine, updated_at = now()`,
        [list.map((l) => l.seller), list.map((l) => l.brand), list.map((l) => l.scanned), list.map((l) => l.genuine)],
      );
    });
    this.scoresAt = Date.now();
    return list.length;
  }

  private async refreshIfStaleInner() {
    if (Date.now() - this.scoresAt > 300_000) await this.refreshScores();
  }

  private refreshing: Promise<void> | null = null;
  /** Scores are at most five minutes old; the refresh runs once at a time, in the background after the first. */
  private async refreshScoresIfStale(): Promise<void> {
    if (Date.now() - this.scoresAt <= 300_000) return;
    if (!this.refreshing) this.refreshing = this.refreshIfStaleInner().finally(() => (this.refreshing = null));
    if (this.scoresAt === 0) await this.refreshing;
  }
}
