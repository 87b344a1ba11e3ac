import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { BRANDS } from "./data/brands.js";
import { matchRepository as repo, type MatchMethod } from "./match.repository.js";

/** At or above this a match merges by itself; below it (and for every similarity match) a person decides. */
export const AUTO_MERGE = 0.95;
/** Below this a similarity candidate is not worth a reviewer's time. */
const REVIEW_FLOOR = 0.6;

const KNOWN_BRANDS = new Set(BRANDS.map((b) => b.id));

/** Whether a brand id is master data: a catalogue brand or a vehicle maker's genuine parts (oe_…). */
export const isMasterBrand = (brand: string) => KNOWN_BRANDS.has(brand) || brand.startsWith("oe_");

export interface MatchCandidate {
  master: number;
  method: MatchMethod;
  confidence: number;
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
    const me = await repo.facts(this.db, skuId);
    if (!me) return [];
    const out = new Map<number, MatchCandidate>();
    const keep = (c: MatchCandidate) => {
      const prev = out.get(c.master);
      if (!prev || prev.confidence < c.confidence) out.set(c.master, c);
    };
    // 1. Exact OE: a master OE SKU whose own number is one of mine (or is my part number), same type and side.
    const oeNumbers = [...new Set([...me.oe, me.norm])];
    for (const m of await repo.oeMasters(this.db, oeNumbers, me.partType, me.id)) {
      const sameSide = (m.position ?? "") === (me.position ?? "");
      // My part number is the genuine part's number, or I claim to be genuine and carry its OE number. An aftermarket
      // SKU that only cross-references the OE number is another product.
      if (m.norm === me.norm) keep({ master: m.id, method: "oe_exact", confidence: sameSide ? 0.98 : 0.7 });
      else if (me.kind === "oe") keep({ master: m.id, method: "oe_exact", confidence: sameSide ? 0.96 : 0.7 });
    }
    // 2. The same part number under a master brand (the supplier named the brand its own way).
    for (const m of await repo.sameNumber(this.db, me.norm, me.partType, me.id)) {
      if (!isMasterBrand(m.brand)) continue;
      const sameSide = (m.position ?? "") === (me.position ?? "");
      keep({ master: m.id, method: "brand_number", confidence: sameSide && me.norm.length >= 6 ? 0.97 : 0.8 });
    }
    // 3. Similarity of name and fitment among masters of the same type that share a vehicle.
    if (me.vehicles.length) {
      for (const id of await repo.fittingSameVehicles(this.db, me.vehicles, me.partType, me.position, me.id)) {
        if (out.has(id)) continue;
        const other = await repo.facts(this.db, id);
        if (!other || !isMasterBrand(other.brand)) continue;
        const score =
          0.4 * jaccard(me.terms, other.terms) +
          0.4 * jaccard(me.vehicles, other.vehicles) +
          (me.oe.some((o) => other.oe.includes(o)) ? 0.2 : 0);
        if (score >= REVIEW_FLOOR)
          keep({ master: id, method: "similarity", confidence: Math.min(0.94, Number(score.toFixed(3))) });
      }
    }
    return [...out.values()].sort((a, b) => b.confidence - a.confidence || a.master - b.master);
  }

  /**
   * Matches supplier SKUs not matched yet (or those given): the best candidate merges when it is confident and no
   * other candidate is close behind; otherwise the candidates go to review. Returns what happened.
   */
  async matchPending(ctx: AuditContext & { companyId: string | null }, skuIds?: number[], limit = 1000) {
    const result = { examined: 0, merged: 0, review: 0, unmatched: 0 };
    for (const id of await repo.unmatchedSupplierSkus(this.db, [...KNOWN_BRANDS], skuIds ?? null, limit)) {
      result.examined++;
      const found = await this.candidates(id);
      if (!found.length) {
        result.unmatched++;
        continue;
      }
      const [best, second] = found;
      const merge =
        best!.confidence >= AUTO_MERGE &&
        best!.method !== "similarity" &&
        (!second || best!.confidence - second.confidence >= 0.05);
      await this.db.transaction(async (tx) => {
        for (const c of found.slice(0, 5)) {
          const status = merge && c === best ? "merged" : merge ? "rejected" : "review";
          await repo.insertMatch(tx, {
            supplier: id,
            master: c.master,
            method: c.method,
            confidence: c.confidence,
            status,
          });
        }
        if (merge) {
          await repo.merge(tx, id, best!.master);
          await auditTrail.append(tx, {
            ...ctx,
            action: "catalog.merge",
            resource: "catalog_sku",
            resourceId: String(id),
            changes: {
              mergedInto: { before: null, after: best!.master },
              method: { after: best!.method },
              confidence: { after: best!.confidence },
            },
          });
        }
      });
      if (merge) result.merged++;
      else result.review++;
    }
    return result;
  }

  /** The review queue: uncertain matches with both SKUs side by side. */
  async queue(limit = 50) {
    return repo.queue(this.db, limit);
  }

  /** A reviewer's decision: merge into this master (the other candidates are rejected), or reject this candidate. */
  async decide(ctx: AuditContext & { companyId: string | null }, matchId: number, decision: "merge" | "reject") {
    return this.db.transaction(async (tx) => {
      const m = await lockMatch(tx, matchId);
      if (m.status !== "review")
        throw new AppError("CATALOG.MATCH_DECIDED", `match ${matchId} is ${m.status}, not waiting for review`, 409);
      const actor = ctx.actorId ?? "unknown";
      if (decision === "reject") {
        await repo.decided(tx, matchId, "rejected", actor);
      } else {
        if (!(await repo.merge(tx, m.supplier, m.master)))
          throw new AppError("CATALOG.MATCH_DECIDED", `SKU ${m.supplier} is already merged`, 409);
        await repo.decided(tx, matchId, "merged", actor);
        await repo.rejectOthers(tx, m.supplier, matchId, actor);
      }
      await auditTrail.append(tx, {
        ...ctx,
        action: decision === "merge" ? "catalog.merge" : "catalog.match_reject",
        resource: "catalog_match",
        resourceId: String(matchId),
        changes: { status: { before: "review", after: decision === "merge" ? "merged" : "rejected" } },
      });
      return {
        id: matchId,
        supplierSku: m.supplier,
        masterSku: m.master,
        status: decision === "merge" ? "merged" : "rejected",
      };
    });
  }

  /** Undoes a merge: the supplier SKU is its own again and shows in search; the match is kept as `undone`. */
  async undo(ctx: AuditContext & { companyId: string | null }, matchId: number) {
    return this.db.transaction(async (tx) => {
      const m = await lockMatch(tx, matchId);
      if (m.status !== "merged")
        throw new AppError("CATALOG.NOT_MERGED", `match ${matchId} is ${m.status}; only a merge can be undone`, 409);
      await repo.unmerge(tx, m.supplier, m.master);
      await repo.decided(tx, matchId, "undone", ctx.actorId ?? "unknown");
      await auditTrail.append(tx, {
        ...ctx,
        action: "catalog.merge_undo",
        resource: "catalog_match",
        resourceId: String(matchId),
        changes: { mergedInto: { before: m.master, after: null } },
      });
      return { id: matchId, supplierSku: m.supplier, masterSku: m.master, status: "undone" as const };
    });
  }
}

/** A match row, locked for the decision about it; 404 when there is none. */
async function lockMatch(tx: Sql, matchId: number) {
  const m = await repo.lock(tx, matchId);
  if (!m) throw new AppError("NOT_FOUND", `no match ${matchId}`, 404);
  return m;
}
