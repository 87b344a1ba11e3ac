import QRCode from "qrcode";
import { AppError, auditTrail, type LedgerService } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant } from "../../security/tenant.js";
import { signLabel } from "../../../../ledger-service/src/events/label-signature.js";
import { digitalLinkUri, type PartLink } from "../../../../ledger-service/src/gs1/digital-link.js";
import { partsRepository } from "../parts/parts.repository.js";
import type { Company } from "../orgs/orgs.service.js";
import { labelSheetPdf } from "./pdf-sheet.js";

/**
 * QR labels: a GS1 Digital Link URI (`{base}/01/{gtin}/21/{serial}?10={lot}&s={signature}`) signed with the
 * manufacturer's key, as PNG, SVG, or an A4 PDF sheet for a whole mint run. Only the manufacturer that
 * commissioned a part may print its label.
 */
export class LabelsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly publicBaseUrl: string,
  ) {}

  async uriFor(company: Company, gtin: string, serial: string): Promise<string> {
    const first = (await this.ledger.partView(gtin, serial)).events[0];
    if (!first || first.actor.toLowerCase() !== company.address.toLowerCase()) {
      throw new AppError("LABEL.NOT_YOURS", `no part ${gtin}/${serial} was minted by ${company.id}`, 404, {
        gtin,
        serial,
      });
    }
    return this.signedUri(company, { gtin, serial, lot: first.lot });
  }

  async png(company: Company, gtin: string, serial: string): Promise<Buffer> {
    return QRCode.toBuffer(await this.uriFor(company, gtin, serial), {
      type: "png",
      errorCorrectionLevel: "M",
      margin: 4,
      scale: 6,
    });
  }

  async svg(company: Company, gtin: string, serial: string): Promise<string> {
    return QRCode.toString(await this.uriFor(company, gtin, serial), {
      type: "svg",
      errorCorrectionLevel: "M",
      margin: 4,
    });
  }

  /** The A4 label sheet of a mint run: an export, written to the audit trail. Another company's run answers 404 (logged). */
  async sheet(ctx: AuditContext, principal: Principal, company: Company, runId: string): Promise<Buffer> {
    const db = this.ledger.db.sql;
    const run = await partsRepository.mintRun(db, company.id, runId);
    if (!run) {
      const owner = await partsRepository.mintRunOwner(db, runId);
      if (owner) await crossTenant(db, ctx, principal, "mint run", runId, owner);
      throw new AppError("LABEL.UNKNOWN_RUN", `no mint run ${runId} of ${company.id}`, 404, { runId });
    }
    await db.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "label.export",
        resource: "mint_run",
        resourceId: runId,
        changes: { labels: { after: run.serials.length } },
      }),
    );
    const labels = [];
    for (const serial of run.serials) {
      labels.push({
        uri: await this.signedUri(company, { gtin: run.gtin, serial, lot: run.lot }),
        lines: [`GTIN ${run.gtin}`, `SN ${serial}`, `LOT ${run.lot}  ${run.production_date}`],
      });
    }
    return labelSheetPdf(
      labels,
      `PartLedger labels - ${company.name.replace(/[^\x20-\x7e]/g, "")} run ${run.id} - ${run.serials.length} parts`,
    );
  }

  private async signedUri(company: Company, link: PartLink): Promise<string> {
    const keys = await this.ledger.actors.labelKeysOf(company.id);
    if (!keys) {
      throw new AppError(
        "LABEL.SIGNATURE_REQUIRED",
        `${company.id} keeps its own key: sign labels with it (see label-signature.ts) and print them yourself`,
        409,
      );
    }
    return digitalLinkUri(this.publicBaseUrl, { ...link, signature: signLabel(keys, link) });
  }
}
