import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { BRANDS } from "./data/brands.js";

/** At or above this a match merges by itself; below it (and for every similarity match) a person decides. */
export const AUTO_MERGE = 0.95;
/** Below this a similarity candidate is not worth a reviewer's time. */
const REVIEW_FLOOR = 0.6;

const KNOWN_BRANDS = new Set(BRANDS.map((b) => b.id));

/** Whether a brand id is master data: a catalogue brand or a vehicle maker's genuine parts (oe_…). */
export const isMasterBrand = (brand: string) => KNOWN_BRANDS.has(brand) || brand.startsWith("oe_");

export interface MatchCandidate {
  master: number;
  method: "oe_exact" | "brand_number" | "similarity";
  confidence: number;
}

interface SkuFacts {
  id: number;
  brand: string;
  norm: string;
  partType: string;
  position: string | null;
  kind: string;
  terms: string[];
  oe: string[];
  vehicles: string[];
}

const jaccard = (a: readonly string[], b: readonly string[]) => {
  if (!a.length && !b.length) return 0;
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  return inter / (sa.size + new Set(b).size - inter);
};

/**
 * Supplier SKUs — rows whose brand the catalogue does not know as master data (a distributor's "博世汽车配件" or
 * "大众原厂") — are matched to master SKUs: first an exact OE number (the supplier's SKU claims to be the genuine part
 * whose OE number it carries, or carries the master's own number), then the brand's part number under another
 * brand name, then the similarity of name and fitment. A confident match merges (the supplier SKU stops showing in
 * search, its numbers keep finding the master); an uncertain one waits in the review queue; a merge can be undone.
 */
export class MatchService {
  constructor(private readonly db: Sql) {}

  /** Candidates for one SKU, best first. */
  async candidates(skuId: number): Promise<MatchCandidate[]> {
    const me = await this.facts(skuId);
    if (!me) return [];
    const out = new Map<number, MatchCandidate>();
    const keep = (c: MatchCandidate) => {
      const prev = out.get(c.master);
      if (!prev || prev.confidence < c.confidence) out.set(c.master, c);
    };
    // 1. Exact OE: a master OE SKU whose own number is one of mine (or is my part number), same type and side.
    const oeNumbers = [...new Set([...me.oe, me.norm])];
    const { rows: oe } = await this.db.query<{ id: number; norm: string; position: string | null }>(
      `SELECT s.id::int AS id, s.part_no_norm AS norm, s.position FROM catalog_skus s
        WHERE s.kind = 'oe' AND s.part_no_norm = ANY($1::text[]) AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3 AND s.brand LIKE 'oe\\_%'`,
      [oeNumbers, me.partType, me.id],
    );
    for (const m of oe) {
      const sameSide = (m.position ?? "") === (me.position ?? "");
      // My part number is the genuine part's number, or I claim to be genuine and carry its OE number. An aftermarket
      // SKU that only cross-references the OE number is another product.
      if (m.norm === me.norm) keep({ master: m.id, method: "oe_exact", confidence: sameSide ? 0.98 : 0.7 });
      else if (me.kind === "oe") keep({ master: m.id, method: "oe_exact", confidence: sameSide ? 0.96 : 0.7 });
    }
    // 2. The same part number under a master brand (the supplier named the brand its own way).
    const { rows: same } = await this.db.query<{ id: number; brand: string; position: string | null }>(
      `SELECT s.id::int AS id, s.brand, s.position FROM catalog_skus s
        WHERE s.part_no_norm = $1 AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3`,
      [me.norm, me.partType, me.id],
    );
    for (const m of same) {
      if (!isMasterBrand(m.brand)) continue;
      const sameSide = (m.position ?? "") === (me.position ?? "");
      keep({ master: m.id, method: "brand_number", confidence: sameSide && me.norm.length >= 6 ? 0.97 : 0.8 });
    }
    // 3. Similarity of name and fitment among masters of the same type that share a vehicle.
    if (me.vehicles.length) {
      const { rows: near } = await this.db.query<{ id: number }>(
        `SELECT DISTINCT s.id::int AS id FROM catalog_fitments f JOIN catalog_skus s ON s.id = f.sku_id
          WHERE f.vehicle_id = ANY($1::text[]) AND s.part_type = $2 AND s.merged_into IS NULL AND s.id <> $3
            AND ($4::text IS NULL OR s.position IS NULL OR s.position = $4) LIMIT 200`,
        [me.vehicles, me.partType, me.id, me.position],
      );
      for (const n of near) {
        if (out.has(n.id)) continue;
        const other = await this.facts(n.id);
        if (!other || !isMasterBrand(other.brand)) continue;
        const score = 0.4 * jaccard(me.terms, other.terms) + 0.4 * jaccard(me.vehicles, other.vehicles) + (me.oe.some((o) => other.oe.includes(o)) ? 0.2 : 0);
        if (score >= REVIEW_FLOOR) keep({ master: n.id, method: "similarity", confidence: Math.min(0.94, Number(score.toFixed(3))) });
      }
    }
    return [...out.values()].sort((a, b) => b.confidence - a.confidence || a.master - b.master);
  }

  /**
   * Matches supplier SKUs not matched yet (or those given): the best candidate merges when it is confident and no
   * other candidate is close behind; otherwise the candidates go to review. Returns what happened.
   */
  async matchPending(ctx: AuditContext & { companyId: string | null }, skuIds?: number[], limit = 1000) {
    const { rows } = await this.db.query<{ id: number; brand: string }>(
      `SELECT s.id::int AS id, s.brand FROM catalog_skus s
        WHERE s.merged_into IS NULL AND ($1::bigint[] IS NULL OR s.id = ANY($1::bigint[]))
          AND s.brand NOT LIKE 'oe\\_%' AND s.brand <> ALL($3::text[])
          AND NOT EXISTS (SELECT 1 FROM catalog_matches m WHERE m.supplier_sku = s.id)
        ORDER BY s.id LIMIT $2`,
      [skuIds ?? null, limit, [...KNOWN_BRANDS]],
    );
    const result = { examined: 0, merged: 0, review: 0, unmatched: 0 };
    for (const r of rows.filter((x) => !isMasterBrand(x.brand))) {
      result.examined++;
      const found = await this.candidates(r.id);
      if (!found.length) {
        result.unmatched++;
        continue;
      }
      const [best, second] = found;
      const merge = best!.confidence >= AUTO_MERGE && best!.method !== "similarity" && (!second || best!.confidence - second.confidence >= 0.05);
      await this.db.transaction(async (tx) => {
        for (const c of found.slice(0, 5)) {
          const status = merge && c === best ? "merged" : merge ? "rejected" : "review";
          await tx.query(
            `INSERT INTO catalog_matches (supplier_sku, master_sku, method, confidence, status, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5 = 'review' THEN NULL ELSE now() END) ON CONFLICT (supplier_sku, master_sku) DO NOTHING`,
            [r.id, c.master, c.method, c.confidence, status, status === "review" ? null : "auto"],
          );
        }
        if (merge) {
          await tx.query("UPDATE catalog_skus SET merged_into = $2, updated_at = now() WHERE id = $1 AND merged_into IS NULL", [r.id, best!.master]);
          await auditTrail.append(tx, { ...ctx, action: "catalog.merge", resource: "catalog_sku", resourceId: String(r.id), changes: { mergedInto: { before: null, after: best!.master }, method: { after: best!.method }, confidence: { after: best!.confidence } } });
        }
      });
      if (merge) result.merged++;
      else result.review++;
    }
    return result;
  }

  /** The review queue: uncertain matches with both SKUs side by side. */
  async queue(limit = 50) {
    const { rows } = await this.db.query(
      `SELECT m.id::int AS id, m.method, m.confidence, m.status, m.created_at AS "createdAt",
              json_build_object('id', a.id, 'brand', a.brand, 'partNo', a.part_no, 'name', a.name) AS "supplierSku",
              json_build_object('id', b.id, 'brand', b.brand, 'partNo', b.part_no, 'name', b.name) AS "masterSku"
         FROM catalog_matches m JOIN catalog_skus a ON a.id = m.supplier_sku JOIN catalog_skus b ON b.id = m.master_sku
        WHERE m.status = 'review' ORDER BY m.confidence DESC, m.id LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /** A reviewer's decision: merge into this master (the other candidates are rejected), or reject this candidate. */
  async decide(ctx: AuditContext & { companyId: string | null }, matchId: number, decision: "merge" | "reject") {
    return this.db.transaction(async (tx) => {
      const m = await lockMatch(tx, matchId);
      if (m.status !== "review") throw new AppError("CATALOG.MATCH_DECIDED", `match ${matchId} is ${m.status}, not waiting for review`, 409);
      const actor = ctx.actorId ?? "unknown";
      if (decision === "reject") {
        await tx.query("UPDATE catalog_matches SET status = 'rejected', decided_by = $2, decided_at = now() WHERE id = $1", [matchId, actor]);
      } else {
        const { rows: merged } = await tx.query("UPDATE catalog_skus SET merged_into = $2, updated_at = now() WHERE id = $1 AND merged_into IS NULL RETURNING id", [m.supplier, m.master]);
        if (!merged.length) throw new AppError("CATALOG.MATCH_DECIDED", `SKU ${m.supplier} is already merged`, 409);
        await tx.query("UPDATE catalog_matches SET status = 'merged', decided_by = $2, decided_at = now() WHERE id = $1", [matchId, actor]);
        await tx.query("UPDATE catalog_matches SET status = 'rejected', decided_by = $2, decided_at = now() WHERE supplier_sku = $1 AND id <> $3 AND status = 'review'", [m.supplier, actor, matchId]);
      }
      await auditTrail.append(tx, { ...ctx, action: decision === "merge" ? "catalog.merge" : "catalog.match_reject", resource: "catalog_match", resourceId: String(matchId), changes: { status: { before: "review", after: decision === "merge" ? "merged" : "rejected" } } });
      return { id: matchId, supplierSku: m.supplier, masterSku: m.master, status: decision === "merge" ? "merged" : "rejected" };
    });
  }

  /** Undoes a merge: the supplier SKU is its own again and shows in search; the match is kept as `undone`. */
  async undo(ctx: AuditContext & { companyId: string | null }, matchId: number) {
    return this.db.transaction(async (tx) => {
      const m = await lockMatch(tx, matchId);
      if (m.status !== "merged") throw new AppError("CATALOG.NOT_MERGED", `match ${matchId} is ${m.status}; only a merge can be undone`, 409);
      await tx.query("UPDATE catalog_skus SET merged_into = NULL, updated_at = now() WHERE id = $1 AND merged_into = $2", [m.supplier, m.master]);
      await tx.query("UPDATE catalog_matches SET status = 'undone', decided_by = $2, decided_at = now() WHERE id = $1", [matchId, ctx.actorId ?? "unknown"]);
      await auditTrail.append(tx, { ...ctx, action: "catalog.merge_undo", resource: "catalog_match", resourceId: String(matchId), changes: { mergedInto: { before: m.master, after: null } } });
      return { id: matchId, supplierSku: m.supplier, masterSku: m.master, status: "undone" as const };
    });
  }

  private async facts(id: number): Promise<SkuFacts | null> {
    const { rows } = await this.db.query<{ id: number; brand: string; norm: string; partType: string; position: string | null; kind: string; terms: string; oe: string[] | null; vehicles: string[] | null }>(
      `SELECT s.id::int AS id, s.brand, s.part_no_norm AS norm, s.part_type AS "partType", s.position, s.kind, s.terms::text AS terms,
              (SELECT array_agg(n.norm) FROM catalog_numbers n WHERE n.sku_id = s.id AND n.kind = 'oe') AS oe,
              (SELECT array_agg(f.vehicle_id) FROM catalog_fitments f WHERE f.sku_id = s.id) AS vehicles
         FROM catalog_skus s WHERE s.id = $1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return { ...r, terms: [...r.terms.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!), oe: r.oe ?? [], vehicles: r.vehicles ?? [] };
  }
}

/** A match row, locked for the decision about it; 404 when there is none. */
async function lockMatch(tx: Sql, matchId: number): Promise<{ supplier: number; master: number; status: string }> {
  const { rows } = await tx.query<{ supplier: number; master: number; status: string }>(
    "SELECT supplier_sku::int AS supplier, master_sku::int AS master, status FROM catalog_matches WHERE id = $1 FOR UPDATE",
    [matchId],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", `no match ${matchId}`, 404);
  return rows[0];
}
