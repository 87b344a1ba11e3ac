import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import type { Company } from "../orgs/orgs.service.js";
import { consentsRepository as repo, type ConsentRow } from "./consents.repository.js";
import type { creditScore } from "./credit.js";

const view = (c: ConsentRow) => ({
  id: c.id,
  borrowerId: c.borrowerId,
  lenderId: c.lenderId,
  grantedBy: c.grantedBy,
  grantedAt: c.grantedAt.toISOString(),
  revokedBy: c.revokedBy,
  revokedAt: c.revokedAt?.toISOString() ?? null,
  live: c.revokedAt === null,
});

/**
 * Consents (DECISIONS 76): a borrower lets one named lender see its credit profile, until it revokes that. A lender
 * without a live consent sees nothing of the borrower — its request is answered 404, like a company that does not
 * exist, and written to the borrower's audit trail; every view with a consent is audited too.
 */
export class ConsentsService {
  constructor(
    private readonly db: Sql,
    private readonly companies: { get(id: string): Promise<Company> },
    private readonly credit: { of(company: Company): Promise<ReturnType<typeof creditScore>> },
  ) {}

  /** My own credit profile, as a lender I consent to would see it. */
  async own(company: Company | undefined) {
    if (!company) throw new AppError("ORG.REQUIRED", "a credit profile is a company's", 409);
    return this.credit.of(company);
  }

  /** A lender by id: 404 when no company has it, 409 when it is not a lender. */
  async lender(id: string, field = "lenderId"): Promise<Company> {
    const c = await this.companies.get(id).catch((e: unknown) => {
      if (e instanceof AppError && e.status === 404)
        throw new AppError("CONSENT.UNKNOWN_LENDER", `${field}: no company ${id}`, 404, { field });
      throw e;
    });
    if (c.kind !== "lender")
      throw new AppError("CONSENT.NOT_A_LENDER", `${field}: company ${id} is a ${c.kind}, not a lender`, 409, {
        field,
      });
    return c;
  }

  async grant(ctx: AuditContext, p: Principal, company: Company | undefined, lenderId: string) {
    if (!company) throw new AppError("ORG.REQUIRED", "a consent is granted by a company", 409);
    const person = personOf(p, "grant a lender consent");
    await this.lender(lenderId);
    const id = `cc_${randomBytes(8).toString("hex")}`;
    const made = await this.db.transaction(async (tx) => {
      if (!(await repo.insert(tx, { id, borrowerId: company.id, lenderId, grantedBy: person }))) return false;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "credit_consent.grant",
        resource: "credit_consent",
        resourceId: id,
        changes: { lender: { after: lenderId }, live: { after: true } },
      });
      return true;
    });
    if (!made)
      throw new AppError("CONSENT.EXISTS", `lender ${lenderId} already holds a live consent of ${company.id}`, 409, {
        field: "lenderId",
      });
    return view((await repo.get(this.db, id))!);
  }

  async revoke(ctx: AuditContext, p: Principal, id: string) {
    const c = await repo.get(this.db, id);
    if (!c) throw notFound("credit_consent", id);
    if (c.borrowerId !== p.companyId) await crossTenant(this.db, ctx, p, "credit_consent", id, c.borrowerId);
    const by = p.person ?? p.id;
    const done = await this.db.transaction(async (tx) => {
      if (!(await repo.revoke(tx, id, by))) return false;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: c.borrowerId,
        action: "credit_consent.revoke",
        resource: "credit_consent",
        resourceId: id,
        changes: { lender: { after: c.lenderId }, live: { before: true, after: false } },
      });
      return true;
    });
    if (!done) throw new AppError("CONSENT.REVOKED", `consent ${id} was already revoked`, 409);
    return view((await repo.get(this.db, id))!);
  }

  async list(p: Principal) {
    if (!p.companyId) throw new AppError("ORG.REQUIRED", "consents belong to a company", 409);
    return (await repo.of(this.db, p.companyId)).map(view);
  }

  /**
   * What a lender sees of a borrower that consented: who it is, its credit score with every factor, and the receipts
   * it pledged to that lender. Without a live consent: 404, audited as a cross-tenant attempt.
   */
  async profile(ctx: AuditContext, p: Principal, borrowerId: string) {
    const consent = p.companyId ? await repo.live(this.db, borrowerId, p.companyId) : null;
    if (!consent) return crossTenant(this.db, ctx, p, "credit_profile", borrowerId, borrowerId);
    const b = await this.companies.get(borrowerId);
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: borrowerId,
        action: "credit_profile.view",
        resource: "credit_profile",
        resourceId: borrowerId,
        changes: { lender: { after: p.companyId }, consent: { after: consent.id } },
      }),
    );
    return {
      borrower: {
        id: b.id,
        name: b.name,
        kind: b.kind,
        regionCode: b.regionCode,
        registeredAt: new Date(b.createdAt).toISOString(),
      },
      consent: { id: consent.id, grantedAt: consent.grantedAt.toISOString() },
      pledgedToYou: await repo.pledgedTo(this.db, borrowerId, p.companyId!),
      credit: await this.credit.of(b),
    };
  }
}
