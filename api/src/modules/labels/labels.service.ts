import QRCode from "qrcode";
import { AppError, auditTrail, type LedgerService } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import { crossTenant } from "../../security/tenant.js";
import { signLabel } from "../../../../ledger-service/src/events/label-signature.js";
import { digitalLinkUri, type PartLink } from "../../../../ledger-service/src/gs1/digital-link.js";
import { partsRepository } from "../parts/parts.repository.js";
import type { Company } from "../orgs/orgs.service.js";
import { LABEL_LAYOUTS, labelPdf, labelSvg, type LabelContent, type LabelLayout } from "./label-pdf.js";
import { publicBaseUrlWarning } from "./public-base-url.js";

/**
 * QR labels: a GS1 Digital Link URI (`{base}/01/{gtin}/21/{serial}?10={lot}&s={signature}`) signed with the
 * manufacturer's key, as PNG, SVG, or a PDF for a whole mint run (an A4 sheet or a 50 × 30 mm thermal roll, with
 * brand and product name in Chinese). Only the manufacturer that commissioned a part may print its label.
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

  /** What the label screen shows before printing: the base URL printed into every code (and a warning when phones cannot open it) and the layouts. */
  settings() {
    return {
      publicBaseUrl: this.publicBaseUrl,
      publicBaseUrlWarning: publicBaseUrlWarning(this.publicBaseUrl),
      layouts: LABEL_LAYOUTS.map((layout) => ({
        layout,
        widthMm: layout === "a4" ? 210 : 50,
        heightMm: layout === "a4" ? 297 : 30,
        labelsPerPage: layout === "a4" ? 24 : 1,
        labelWidthMm: layout === "a4" ? 65 : 50,
        labelHeightMm: layout === "a4" ? 34.6 : 30,
      })),
    };
  }

  /** The label PDF of a mint run in `layout`: an export, written to the audit trail. Another company's run answers 404 (logged). */
  async sheet(
    ctx: AuditContext,
    principal: Principal,
    company: Company,
    runId: string,
    layout: LabelLayout = "a4",
  ): Promise<Buffer> {
    const run = await this.ownRun(ctx, principal, company, runId);
    await this.ledger.db.sql.transaction((tx) =>
      auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "label.export",
        resource: "mint_run",
        resourceId: runId,
        changes: { labels: { after: run.serials.length }, layout: { after: layout } },
      }),
    );
    const product = await partsRepository.product(this.ledger.db.sql, run.gtin);
    const labels: LabelContent[] = [];
    for (const serial of run.serials) labels.push(await this.content(company, run, serial, product));
    const named = product ? `${product.brand} ${product.name} · ` : "";
    const title = `${company.name} · 赋码任务 ${run.id} · ${named}GTIN ${run.gtin} · 批号 ${run.lot} · 共 ${run.serials.length} 个标签`;
    return labelPdf(labels, { company: company.name, runId: run.id, title }, layout);
  }

  /** An SVG preview of a run's first label in `layout` (the label screen's preview; not an export). */
  async preview(ctx: AuditContext, principal: Principal, company: Company, runId: string, layout: LabelLayout) {
    const run = await this.ownRun(ctx, principal, company, runId);
    const product = await partsRepository.product(this.ledger.db.sql, run.gtin);
    return labelSvg(await this.content(company, run, run.serials[0]!, product), layout);
  }

  private async ownRun(ctx: AuditContext, principal: Principal, company: Company, runId: string) {
    const db = this.ledger.db.sql;
    const run = await partsRepository.mintRun(db, company.id, runId);
    if (!run) {
      const owner = await partsRepository.mintRunOwner(db, runId);
      if (owner) await crossTenant(db, ctx, principal, "mint run", runId, owner);
      throw new AppError("LABEL.UNKNOWN_RUN", `no mint run ${runId} of ${company.id}`, 404, { runId });
    }
    return run;
  }

  private async content(
    company: Company,
    run: { gtin: string; lot: string; production_date: string },
    serial: string,
    product: { brand: string; name: string } | null,
  ): Promise<LabelContent> {
    return {
      uri: await this.signedUri(company, { gtin: run.gtin, serial, lot: run.lot }),
      brand: product?.brand ?? "",
      name: product?.name ?? "",
      gtin: run.gtin,
      serial,
      lot: run.lot,
      productionDate: run.production_date,
    };
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
