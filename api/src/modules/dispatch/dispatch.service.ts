import { AppError, Stage, auditTrail, type LedgerService, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext } from "../../security/principal.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import type { DispatchBody } from "./dispatch.schema.js";

/**
 * A dispatch: a manufacturer or distributor ships a carton of serials it holds to a named company, outside platform
 * orders (a distributor's own customers, a manufacturer's first handover). It is an EPCIS shipping event that signs
 * the destination; the receiver then records the receipt (POST /receipts), which the ledger accepts from that
 * company only.
 */
export class DispatchService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly companies: { get(id: string): Promise<Company> },
    private readonly webhooks: {
      emit(tx: Sql, type: string, companies: ReadonlyArray<string>, payload: unknown): Promise<void>;
    },
  ) {}

  async dispatch(ctx: AuditContext, company: Company | undefined, body: DispatchBody, key?: string): Promise<Reply> {
    if (!company) throw new AppError("ORG.REQUIRED", "parts are dispatched by a company", 409);
    if (body.to === company.id) {
      throw new AppError(
        "DISPATCH.TO_SELF",
        "to: a move between your own sites is a transfer (POST /inventory/transfers), not a dispatch",
        409,
        { field: "to" },
      );
    }
    const to = await this.companies.get(body.to).catch((e: unknown) => {
      if (e instanceof AppError && e.status === 404)
        throw new AppError("DISPATCH.UNKNOWN_COMPANY", `to: no company ${body.to}`, 404, { field: "to" });
      throw e;
    });
    return idempotent(this.ledger.db.sql, company.id, "dispatch", body, key, async (within) => {
      let reply!: Reply;
      const place = { regionCode: company.regionCode, locationId: body.locationId ?? "WAREHOUSE" };
      await this.ledger.ledger.append(
        { actorId: company.id, step: Stage.Shipped, parts: body.parts, place, shipTo: to.id },
        {
          within: async (tx, r) => {
            reply = {
              status: 201,
              body: {
                dispatched: r.events.length,
                to: { id: to.id, name: to.name },
                submissionId: r.submissionId,
                firstSeq: r.firstSeq,
                lastSeq: r.lastSeq,
                anchoring: r.anchoring,
              },
            };
            await auditTrail.append(tx, {
              ...ctx,
              companyId: company.id,
              action: "custody.dispatch",
              resource: "dispatch",
              resourceId: String(r.submissionId),
              changes: {
                to: { after: to.id },
                parts: { after: r.events.length },
                ledgerSeqs: { after: `${r.firstSeq}-${r.lastSeq}` },
              },
            });
            await this.webhooks.emit(tx, "dispatch.shipped", [company.id, to.id], {
              from: company.id,
              to: to.id,
              parts: body.parts,
              submissionId: r.submissionId,
            });
            await within(tx, reply);
          },
        },
      );
      return reply;
    });
  }
}
