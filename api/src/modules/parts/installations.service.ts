import { AppError, auditTrail, type KeyVault, type Sql } from "../../../../ledger-service/src/index.js";
import { assertVin } from "../../../../ledger-service/src/gs1/vin.js";
import { maskMobile, maskName, maskVin, normaliseMobile } from "../../security/personal-data.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { installationsRepository as repo, type InstallationRow } from "./installations.repository.js";

/**
 * A repair shop's installation records: which part went into which car, for which owner. VINs and the owner's
 * name and mobile are encrypted at rest and masked in answers; a search by VIN or mobile uses the blind index.
 */
export class InstallationsService {
  constructor(
    private readonly db: Sql,
    private readonly vault: KeyVault,
  ) {}

  async list(
    ctx: AuditContext,
    principal: Principal,
    q: { vin?: string | undefined; mobile?: string | undefined; limit: number },
    reveal: boolean,
  ) {
    let filter = {};
    if (q.vin !== undefined) filter = { vin: this.vault.blindIndexes("vin", assertVin(q.vin.toUpperCase(), "vin")) };
    else if (q.mobile !== undefined) {
      const m = normaliseMobile(q.mobile);
      if (!m)
        throw new AppError("REQUEST.INVALID", "query.mobile: not a mainland China mobile number", 400, {
          field: "mobile",
        });
      filter = { mobile: this.vault.blindIndexes("mobile", m) };
    }
    const rows = await repo.list(this.db, principal.companyId!, filter, q.limit);
    if (reveal && rows.length)
      await this.logReveal(
        ctx,
        principal.companyId!,
        rows.map((r) => r.id),
      );
    return rows.map((r) => this.view(r, reveal));
  }

  async get(ctx: AuditContext, principal: Principal, id: string, reveal: boolean) {
    const row = await repo.byId(this.db, id);
    if (!row) throw notFound("installation", id);
    if (row.company_id !== principal.companyId)
      return crossTenant(this.db, ctx, principal, "installation", id, row.company_id);
    if (reveal) await this.logReveal(ctx, row.company_id, [id]);
    return this.view(row, reveal);
  }

  private async logReveal(ctx: AuditContext, companyId: string, ids: string[]) {
    await this.db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId,
        action: "personal_data.reveal",
        resource: "installation",
        resourceId: ids.join(",").slice(0, 500),
        changes: { fields: { after: ["vin", "ownerName", "ownerMobile"] } },
      }),
    );
  }

  private view(r: InstallationRow, reveal: boolean) {
    const open = (ct: Uint8Array | null, f: string) =>
      ct ? this.vault.openText(ct, `installation:${r.id}:${f}`) : null;
    const vin = open(r.vin_ct, "vin")!;
    const name = open(r.owner_name_ct, "owner_name");
    const mobile = open(r.owner_mobile_ct, "owner_mobile");
    return {
      id: r.id,
      gtin: r.gtin,
      serial: r.serial,
      ledgerSeq: r.ledger_seq,
      installedAt: r.installed_at.toISOString(),
      vin: reveal ? vin : maskVin(vin),
      owner: {
        name: name && (reveal ? name : maskName(name)),
        mobile: mobile && (reveal ? mobile : maskMobile(mobile)),
      },
      masked: !reveal,
    };
  }
}
