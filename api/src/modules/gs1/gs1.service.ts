import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { gs1Repository as repo, type PrefixRow } from "./gs1.repository.js";

/**
 * GS1 number ranges (GTIN-13 form) that are not company prefixes: no company can own a GTIN under them. The China
 * range 690–699 is an ordinary member-organisation range.
 */
const NOT_COMPANY_PREFIXES: ReadonlyArray<[RegExp, string]> = [
  [/^00000/, "GTIN-8 numbers (00000…) carry no company prefix"],
  [/^0[245]|^2/, "02, 04 and 20–29 are restricted-circulation numbers, 05 coupons"],
  [/^97[7-9]/, "977–979 are ISSN, ISBN and ISMN ranges"],
  [/^9[89]/, "980–999 are refund receipts and coupons"],
];

/** The company prefixes a GTIN-14 can be under: 6–12 digits after its indicator digit, longest first. */
export function prefixCandidates(gtin14: string): string[] {
  const g13 = gtin14.slice(1);
  return [12, 11, 10, 9, 8, 7, 6].map((n) => g13.slice(0, n));
}

export interface PrefixView {
  id: string;
  companyId: string;
  prefix: string;
  licenceRef: string;
  status: PrefixRow["status"];
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

const view = (r: PrefixRow): PrefixView => ({
  id: r.id,
  companyId: r.company_id,
  prefix: r.prefix,
  licenceRef: r.licence_ref,
  status: r.status,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at.toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  reason: r.reason,
});

/**
 * Who owns a GTIN: the company whose GS1 company prefix, verified by the platform operator against its licence, is
 * the longest one the GTIN starts with (after a GTIN-14's indicator digit). Prefixes of different companies never
 * overlap; minting and brand names follow the owner (DECISIONS NN).
 */
export class Gs1Service {
  constructor(private readonly db: Sql) {}

  async register(ctx: AuditContext, principal: Principal, prefix: string, licenceRef: string): Promise<PrefixView> {
    if (!principal.companyId)
      throw new AppError("ORG.REQUIRED", "GS1 company prefixes belong to a company; the platform has none", 409);
    assertCompanyPrefix(prefix);
    await this.assertFree(this.db, prefix, principal.companyId);
    const id = `gp_${randomBytes(8).toString("hex")}`;
    await this.db.transaction(async (tx) => {
      if (
        !(await repo.insert(tx, {
          id,
          companyId: principal.companyId!,
          prefix,
          licenceRef,
          submittedBy: principal.person ?? principal.id,
        }))
      ) {
        throw new AppError(
          "GS1.PREFIX_EXISTS",
          `your company has already registered GS1 company prefix ${prefix}`,
          409,
          { field: "prefix" },
        );
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: principal.companyId,
        action: "gs1_prefix.submit",
        resource: "gs1_prefix",
        resourceId: id,
        changes: { prefix: { after: prefix }, licenceRef: { after: licenceRef } },
      });
    });
    return view((await repo.get(this.db, id))!);
  }

  /** A company's own prefixes; the platform's operators see every company's (the review queue: `status=submitted`). */
  async list(principal: Principal, status: string | null): Promise<PrefixView[]> {
    return (await repo.list(this.db, principal.companyId, status)).map(view);
  }

  async get(ctx: AuditContext, principal: Principal, id: string): Promise<PrefixView> {
    const row = await repo.get(this.db, id);
    if (!row) throw notFound("GS1 prefix", id);
    if (principal.companyId && row.company_id !== principal.companyId)
      return crossTenant(this.db, ctx, principal, "GS1 prefix", id, row.company_id);
    return view(row);
  }

  /**
   * The operator verifies a prefix, naming the licence reference it checked (it must be the one submitted), or
   * rejects it with a reason. Verifications are serialised: a prefix overlapping another company's verified one is refused.
   */
  async decide(
    ctx: AuditContext,
    principal: Principal,
    id: string,
    decision: "verify" | "reject",
    body: { licenceRef?: string; reason?: string },
  ): Promise<PrefixView> {
    const row = await repo.get(this.db, id);
    if (!row) throw notFound("GS1 prefix", id);
    if (row.status !== "submitted")
      throw new AppError("GS1.PREFIX_DECIDED", `GS1 prefix request ${id} is already ${row.status}`, 409, {
        status: row.status,
      });
    if (decision === "verify" && body.licenceRef !== row.licence_ref) {
      throw new AppError(
        "GS1.LICENCE_MISMATCH",
        `licenceRef ${JSON.stringify(body.licenceRef ?? null)} is not the licence ${row.licence_ref} the company submitted for prefix ${row.prefix}`,
        409,
        { field: "licenceRef" },
      );
    }
    if (decision === "reject" && !body.reason)
      throw new AppError("REQUEST.INVALID", "body.reason: say why the prefix is rejected", 400, { field: "reason" });
    const status = decision === "verify" ? "verified" : "rejected";
    await this.db.transaction(async (tx) => {
      await repo.lock(tx);
      if (decision === "verify") await this.assertFree(tx, row.prefix, row.company_id);
      if (!(await repo.decide(tx, id, status, principal.person ?? principal.id, body.reason ?? null))) {
        throw new AppError("GS1.PREFIX_DECIDED", `GS1 prefix request ${id} was decided meanwhile`, 409);
      }
      await auditTrail.append(tx, {
        ...ctx,
        companyId: row.company_id,
        action: `gs1_prefix.${decision}`,
        resource: "gs1_prefix",
        resourceId: id,
        changes: {
          status: { before: "submitted", after: status },
          prefix: { after: row.prefix },
          licenceRef: { after: row.licence_ref },
          ...(body.reason ? { reason: { after: body.reason } } : {}),
        },
      });
    });
    return view((await repo.get(this.db, id))!);
  }

  /** The company's verified GS1 company prefix with the most room (shortest), or null: cartons' SSCCs use it. */
  async prefixOf(companyId: string): Promise<string | null> {
    return (await repo.verifiedOf(this.db, companyId))[0] ?? null;
  }

  /** The verified owner of `gtin`'s company prefix (longest match), or null. */
  async ownerOf(gtin: string): Promise<{ prefix: string; companyId: string } | null> {
    const r = await repo.ownerOf(this.db, prefixCandidates(gtin));
    return r ? { prefix: r.prefix, companyId: r.company_id } : null;
  }

  /** The verified owners of many GTINs in one query (catalogue imports): GTIN → owning company, absent when none. */
  async ownersOf(gtins: string[]): Promise<Map<string, string>> {
    const found = new Map(
      (await repo.verified(this.db, [...new Set(gtins.flatMap(prefixCandidates))])).map((r) => [
        r.prefix,
        r.company_id,
      ]),
    );
    const out = new Map<string, string>();
    for (const g of gtins) {
      const hit = prefixCandidates(g).find((p) => found.has(p)); // longest first
      if (hit) out.set(g, found.get(hit)!);
    }
    return out;
  }

  /** Minting is the GTIN owner's: refused outside the company's verified prefixes. */
  async assertMayMint(companyId: string, gtin: string): Promise<void> {
    const owner = await this.ownerOf(gtin);
    if (!owner) {
      throw new AppError(
        "GS1.PREFIX_NOT_VERIFIED",
        `GTIN ${gtin} is under no verified GS1 company prefix; register your prefix (POST /api/v1/gs1-prefixes) and have the platform verify it before minting`,
        403,
        { field: "gtin" },
      );
    }
    if (owner.companyId !== companyId) {
      throw new AppError(
        "GS1.GTIN_NOT_YOURS",
        `GTIN ${gtin} is under GS1 company prefix ${owner.prefix}, verified for another company: only the prefix's owner mints it`,
        403,
        { field: "gtin", prefix: owner.prefix },
      );
    }
  }

  private async assertFree(db: Sql, prefix: string, companyId: string) {
    const taken = await repo.overlapping(db, prefix, companyId);
    if (taken.length > 0) {
      throw new AppError(
        "GS1.PREFIX_TAKEN",
        `GS1 company prefix ${prefix} overlaps ${taken.map((t) => t.prefix).join(", ")}, verified for another company`,
        409,
        { field: "prefix" },
      );
    }
  }
}

function assertCompanyPrefix(prefix: string) {
  if (!/^[0-9]{6,12}$/.test(prefix)) {
    throw new AppError(
      "GS1.INVALID_PREFIX",
      `prefix ${JSON.stringify(prefix.slice(0, 20))} is not a GS1 company prefix: 6 to 12 digits in GTIN-13 form (e.g. 6901234)`,
      400,
      { field: "prefix" },
    );
  }
  const reserved = NOT_COMPANY_PREFIXES.find(([re]) => re.test(prefix));
  if (reserved)
    throw new AppError("GS1.PREFIX_RESERVED", `prefix ${prefix} is not a company prefix: ${reserved[1]}`, 400, {
      field: "prefix",
    });
}
