import { randomBytes } from "node:crypto";
import { AppError, auditTrail, type LedgerService, type Sql } from "../../../../ledger-service/src/index.js";
import { sha256 } from "../../security/access.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import type { UsersService } from "../users/users.service.js";
import type { CompanyRow, OrgsRepository } from "./orgs.repository.js";
import type { CompanyList, CompanyListQuery, RegisterCompany } from "./orgs.schema.js";
import { assertUscc } from "./uscc.js";
import { uniqueViolation } from "../../shared/pg-errors.js";

const usccTaken = (uscc: string) =>
  new AppError("ORG.EXISTS", `a company with uscc ${uscc} is already registered`, 409, { field: "uscc" });

export type Company = CompanyRow & {
  address: string;
  custodial: boolean;
  /** Ed25519 public key (base64url) that verifies this company's labels offline; null when it keeps its own key. */
  labelPublicKey: string | null;
};

/**
 * Companies: registered by the platform operator, each with a chain identity granted its role on chain through
 * the ledger, a first API key (company admin; shown once, stored as a hash) and optionally a first admin user.
 */
export class OrgsService {
  private readonly byId = new Map<string, Company>();

  constructor(
    private readonly repo: OrgsRepository,
    private readonly ledger: LedgerService,
    private readonly users: UsersService,
  ) {}

  /**
   * Registers a company. `self`: the company registers itself (DECISIONS 98): it is pending until approved, gets no
   * API key (its first admin logs in), and `within` runs in the same transaction (the onboarding application).
   */
  async register(
    ctx: AuditContext,
    principal: Principal,
    input: RegisterCompany,
    self?: { within: (tx: Sql, companyId: string) => Promise<void> },
  ): Promise<{ company: Company; apiKey: string; admin: unknown }> {
    assertUscc(input.uscc, "uscc");
    await this.assertUsccFree(input.uscc);
    const apiKey = `pl_${randomBytes(32).toString("base64url")}`;
    const id = `c_${randomBytes(8).toString("hex")}`;
    // The chain identity first: a company row never exists without it. If the rows below fail, it is removed.
    await this.ledger.registerCompany({
      id,
      name: input.name,
      kind: input.kind,
      address: input.address,
      lifecycleMode: input.lifecycleMode,
    });
    let admin: unknown = null;
    try {
      await this.ledger.db.sql.transaction(async (tx) => {
        await this.repo.insert(tx, {
          id,
          name: input.name,
          uscc: input.uscc,
          kind: input.kind,
          regionCode: input.regionCode,
          lng: input.location.lng,
          lat: input.location.lat,
          onboarding: self ? "pending" : "approved",
        });
        await auditTrail.append(tx, {
          ...ctx,
          companyId: id,
          action: self ? "company.self_register" : "company.create",
          resource: "company",
          resourceId: id,
          changes: {
            name: { after: input.name },
            uscc: { after: input.uscc },
            kind: { after: input.kind },
            regionCode: { after: input.regionCode },
            onboarding: { after: self ? "pending" : "approved" },
          },
        });
        const first = input.admin
          ? await this.users.create(
              ctx,
              principal,
              { ...input.admin, roles: ["company_admin"] },
              { companyId: id, kind: input.kind, tx },
            )
          : null;
        admin = first;
        if (self) return self.within(tx, id);
        // The registration key acts for the first admin (DECISIONS NN): without one it acts for nobody, and can
        // then take no part in a two-person rule.
        await tx.query(
          "INSERT INTO api_keys (id, company_id, name, prefix, key_hash, roles, created_by) VALUES ($1, $2, 'registration key', $3, $4, ARRAY['company_admin'], $5)",
          [`k_${randomBytes(8).toString("hex")}`, id, apiKey.slice(0, 10), sha256(apiKey), first?.id ?? null],
        );
      });
    } catch (e) {
      await this.ledger.db.prisma.ledgerActor.delete({ where: { id } }).catch(() => undefined);
      throw e;
    }
    return { company: await this.get(id), apiKey, admin };
  }

  /** 409 ORG.EXISTS when a company (other than `except`) has registered `uscc`. */
  async assertUsccFree(uscc: string, except?: string): Promise<void> {
    const holder = await this.repo.byUscc(uscc);
    if (holder && holder.id !== except) throw usccTaken(uscc);
  }

  /** Corrects a pending company's registered fields (a resubmitted application), in the caller's transaction. */
  async updatePending(
    tx: Sql,
    id: string,
    f: { name: string; uscc: string; regionCode: string; lng: number; lat: number },
  ): Promise<void> {
    const updated = await this.repo.updatePending(tx, id, f).catch((e: unknown) => {
      // Another company registered this USCC after assertUsccFree looked: the same answer as if it had been first.
      if (uniqueViolation(e, "companies_uscc")) throw usccTaken(f.uscc);
      throw e;
    });
    if (!updated)
      throw new AppError("ORG.NOT_PENDING", `company ${id} is approved already; its registration cannot change`, 409);
    this.byId.delete(id);
  }

  /** A pending company may trade from now on (the second approval), in the caller's transaction. */
  async approve(tx: Sql, id: string): Promise<void> {
    if (!(await this.repo.approve(tx, id)))
      throw new AppError("ORG.NOT_PENDING", `company ${id} is not waiting for approval`, 409);
    this.byId.delete(id);
  }

  /** The registered USCC of each company id (what the platform attests in audit bundles). */
  usccOf(ids: string[]): Promise<Map<string, string>> {
    return this.repo.usccByIds(ids);
  }

  /** The companies a carton may be sent to (DECISIONS 64): distributors and repair shops, names and regions only. */
  async receivers(company: Company | undefined, limit = 500) {
    if (!company) throw new AppError("ORG.REQUIRED", "cartons are sent by a company", 409);
    return this.repo.receivers(company.id, limit);
  }

  /** Companies for the platform's operators (GET /api/v1/companies). */
  async list(q: CompanyListQuery): Promise<CompanyList> {
    const { rows, total } = await this.repo.list(q);
    return {
      companies: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
      total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  async get(id: string): Promise<Company> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const row = await this.repo.byId(id);
    if (!row) throw new AppError("ORG.UNKNOWN", `no company ${id}`, 404);
    const actor = await this.ledger.actors.get(row.id);
    const labelKeys = await this.ledger.actors.labelKeysOf(row.id);
    const company = {
      ...row,
      address: actor.address,
      custodial: actor.custodial,
      labelPublicKey: labelKeys?.publicKeyB64 ?? null,
    };
    // A pending company is read afresh each time: its approval (in any process) shows at once (DECISIONS 98).
    if (row.onboarding === "approved") this.byId.set(id, company);
    return company;
  }
}
