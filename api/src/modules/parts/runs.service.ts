import type { Sql } from "../../../../ledger-service/src/db/sql.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { partsRepository } from "./parts.repository.js";
import { runsRepository, type RunRow } from "./runs.repository.js";
import type { MintRunDetail, MintRunSummary, Product } from "./runs.schema.js";

/** The run's anchoring in three words a label clerk reads: recorded → anchored (awaiting confirmation) → final. */
export function anchoringOf(r: Pick<RunRow, "count" | "sealed" | "sent" | "final">): MintRunSummary["anchoring"] {
  const final = r.final;
  const anchored = r.sent;
  const recorded = Math.max(0, r.count - final - anchored); // not yet sealed, or sealed and waiting for its transaction
  const state = final >= r.count ? "final" : recorded === 0 ? "anchored" : "recorded";
  return { state, recorded, anchored, final };
}

const summary = (r: RunRow): MintRunSummary => ({
  runId: r.id,
  gtin: r.gtin,
  lot: r.lot,
  productionDate: r.production_date,
  count: r.count,
  createdAt: r.created_at.toISOString(),
  brand: r.brand,
  name: r.name,
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  anchoring: anchoringOf(r),
});

/** My company's mint runs with their anchoring state, and the GTINs it named or minted (the console's label screens). */
export class RunsService {
  constructor(private readonly db: Sql) {}

  async list(companyId: string, limit: number): Promise<MintRunSummary[]> {
    return (await runsRepository.list(this.db, companyId, limit)).map(summary);
  }

  /** One run with its serials; another company's run answers 404 (the attempt is audited). */
  async get(ctx: AuditContext, principal: Principal, companyId: string, runId: string): Promise<MintRunDetail> {
    const row = await runsRepository.get(this.db, companyId, runId);
    if (!row) {
      const owner = await partsRepository.mintRunOwner(this.db, runId);
      if (owner) return crossTenant(this.db, ctx, principal, "mint run", runId, owner);
      throw notFound("mint run", runId);
    }
    return { ...summary(row), serials: row.serials ?? [] };
  }

  async products(companyId: string): Promise<Product[]> {
    return (await runsRepository.products(this.db, companyId)).map((p) => ({
      gtin: p.gtin,
      brand: p.brand,
      name: p.name,
      skuId: p.sku_id,
      runs: p.runs,
      parts: p.parts,
      lastMintedAt: p.last?.toISOString() ?? null,
    }));
  }
}
