import { randomBytes } from "node:crypto";
import {
  AppError,
  Stage,
  auditTrail,
  gs1CheckDigit,
  type LedgerService,
  type Sql,
} from "../../../../ledger-service/src/index.js";
import { partKeyOf } from "../../../../ledger-service/src/events/canonical.js";
import type { AuditContext } from "../../security/principal.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import type { Company } from "../orgs/orgs.service.js";
import { dispatchRepository as repo, type DispatchRow } from "./dispatch.repository.js";
import { cartonKey, type DispatchBody, type DispatchListQuery, type ReceiveCartonBody } from "./dispatch.schema.js";

/**
 * An SSCC-18 (GS1 General Specifications 2.2.1): extension digit 0, the sender's GS1 company prefix, a serial
 * reference filling 16 digits, a mod-10 check digit. Null when the serial no longer fits the prefix's room.
 */
export function sscc(prefix: string, serial: bigint): string | null {
  const room = 16 - prefix.length;
  const ref = serial.toString();
  if (ref.length > room) return null;
  const body = `0${prefix}${ref.padStart(room, "0")}`;
  return body + gs1CheckDigit(body);
}

/**
 * A dispatch: a manufacturer or distributor ships a carton of serials it holds to a named company, outside platform
 * orders (a distributor's own customers, a manufacturer's first handover). It is an EPCIS shipping event that signs
 * the destination (DECISIONS 37) and a carton row (DECISIONS 64) whose code — its SSCC when the sender holds a
 * verified GS1 prefix, else its id — the receiver scans to take the whole carton in one call.
 */
export class DispatchService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly companies: { get(id: string): Promise<Company> },
    private readonly webhooks: {
      emit(tx: Sql, type: string, companies: ReadonlyArray<string>, payload: unknown): Promise<void>;
    },
    private readonly gs1: { prefixOf(companyId: string): Promise<string | null> },
    private readonly publicBaseUrl: string,
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
    const prefix = await this.gs1.prefixOf(company.id);
    return idempotent(this.ledger.db.sql, company.id, "dispatch", body, key, async (within) => {
      let reply!: Reply;
      const place = { regionCode: company.regionCode, locationId: body.locationId ?? "WAREHOUSE" };
      await this.ledger.ledger.append(
        { actorId: company.id, step: Stage.Shipped, parts: body.parts, place, shipTo: to.id },
        {
          within: async (tx, r) => {
            const id = `d_${randomBytes(8).toString("hex")}`;
            const code = prefix ? sscc(prefix, await repo.nextSerial(tx)) : null;
            await repo.insert(tx, {
              id,
              sscc: code,
              from: company.id,
              to: to.id,
              locationId: place.locationId,
              parts: body.parts,
              submissionId: r.submissionId,
              createdBy: ctx.actorId,
            });
            reply = {
              status: 201,
              body: {
                id,
                sscc: code,
                labelCode: this.labelCode(id, code),
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
              resourceId: id,
              changes: {
                to: { after: to.id },
                parts: { after: r.events.length },
                ledgerSeqs: { after: `${r.firstSeq}-${r.lastSeq}` },
                ...(code ? { sscc: { after: code } } : {}),
              },
            });
            await this.webhooks.emit(tx, "dispatch.shipped", [company.id, to.id], {
              id,
              sscc: code,
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

  /** Cartons I sent (outgoing) or that are on their way to me / reached me (incoming). */
  async list(company: Company | undefined, q: DispatchListQuery) {
    if (!company) throw new AppError("ORG.REQUIRED", "cartons belong to a company", 409);
    const rows = await repo.list(this.ledger.db.sql, company.id, q.direction, q.status, q.limit);
    return { dispatches: await this.views(rows) };
  }

  /** One carton with its parts, for its sender or its receiver only (404 for anyone else: no existence leak). */
  async get(company: Company | undefined, code: string) {
    const row = await this.visible(company, code);
    const [view] = await this.views([row]);
    const counts = new Map<string, number>();
    for (const p of row.parts) counts.set(p.gtin, (counts.get(p.gtin) ?? 0) + 1);
    return { ...view!, parts: row.parts, gtins: [...counts].map(([gtin, count]) => ({ gtin, count })) };
  }

  /**
   * Receives a whole carton: one receiving event per part in one ledger submission (all or nothing), by the named
   * receiver only. Repeating it answers the first receipt (200, alreadyReceived) and writes nothing.
   */
  async receive(
    ctx: AuditContext,
    company: Company | undefined,
    code: string,
    body: ReceiveCartonBody,
  ): Promise<Reply> {
    const row = await this.visible(company, code);
    if (row.to_company !== company!.id)
      throw new AppError(
        "DISPATCH.NOT_RECEIVER",
        `carton ${code} is addressed to another company: only it receives it`,
        403,
      );
    if (row.status === "received") {
      const [view] = await this.views([row]);
      return { status: 200, body: { received: 0, alreadyReceived: true, dispatch: view } };
    }
    const locationId = body.locationId ?? "WAREHOUSE";
    let received = 0;
    await this.ledger.ledger.append(
      {
        actorId: company!.id,
        step: Stage.Received,
        parts: row.parts,
        place: { regionCode: company!.regionCode, locationId },
      },
      {
        within: async (tx, r) => {
          received = r.events.length;
          const ok = await repo.markReceived(tx, row.id, {
            by: ctx.actorId,
            locationId,
            submissionId: r.submissionId,
          });
          if (!ok) throw new AppError("DISPATCH.ALREADY_RECEIVED", `carton ${code} was received meanwhile`, 409);
          await auditTrail.append(tx, {
            ...ctx,
            companyId: company!.id,
            action: "custody.create",
            resource: "receipt",
            resourceId: row.id,
            changes: {
              dispatch: { after: row.id },
              parts: { after: r.events.length },
              ledgerSeqs: { after: `${r.firstSeq}-${r.lastSeq}` },
            },
          });
          await this.webhooks.emit(tx, "dispatch.received", [row.from_company, row.to_company], {
            id: row.id,
            sscc: row.sscc,
            from: row.from_company,
            to: row.to_company,
            received: r.events.length,
            submissionId: r.submissionId,
          });
        },
      },
    );
    const [view] = await this.views([(await repo.get(this.ledger.db.sql, row.id))!]);
    return { status: 201, body: { received, alreadyReceived: false, dispatch: view } };
  }

  /**
   * After a part-by-part receipt (POST /receipts, inside its transaction): every carton in transit to the receiver
   * that holds one of those parts and now has all its parts received by it is marked received, audited and announced
   * like a whole-carton receipt — so a carton scanned part by part does not stay "in transit" for ever.
   */
  async completeByParts(
    tx: Sql,
    ctx: AuditContext,
    company: Company,
    parts: ReadonlyArray<{ gtin: string; serial: string }>,
    receipt: { submissionId: number | string; locationId: string },
  ): Promise<void> {
    for (const row of await repo.inTransitHolding(tx, company.id, parts)) {
      const keys = row.parts.map((p) => partKeyOf(p.gtin, p.serial).slice(2));
      if (!(await repo.allReceived(tx, row, keys, Stage.Received))) continue;
      if (!(await repo.markReceived(tx, row.id, { by: ctx.actorId, ...receipt }))) continue;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: company.id,
        action: "custody.create",
        resource: "receipt",
        resourceId: row.id,
        changes: { dispatch: { after: row.id }, partByPart: { after: true } },
      });
      await this.webhooks.emit(tx, "dispatch.received", [row.from_company, row.to_company], {
        id: row.id,
        sscc: row.sscc,
        from: row.from_company,
        to: row.to_company,
        received: row.part_count,
        submissionId: receipt.submissionId,
      });
    }
  }

  private async visible(company: Company | undefined, code: string): Promise<DispatchRow> {
    if (!company) throw new AppError("ORG.REQUIRED", "cartons belong to a company", 409);
    const row = await repo.get(this.ledger.db.sql, cartonKey(code));
    if (!row || (row.from_company !== company.id && row.to_company !== company.id))
      throw new AppError("DISPATCH.NOT_FOUND", `no carton ${code} sent by or to your company`, 404);
    return row;
  }

  private labelCode(id: string, code: string | null): string {
    return code ? `${this.publicBaseUrl.replace(/\/+$/, "")}/00/${code}` : id;
  }

  private async views(rows: DispatchRow[]) {
    const names = new Map<string, string>();
    for (const id of new Set(rows.flatMap((r) => [r.from_company, r.to_company]))) {
      names.set(
        id,
        await this.companies.get(id).then(
          (c) => c.name,
          () => id,
        ),
      );
    }
    return rows.map((r) => ({
      id: r.id,
      sscc: r.sscc,
      labelCode: this.labelCode(r.id, r.sscc),
      from: { id: r.from_company, name: names.get(r.from_company)! },
      to: { id: r.to_company, name: names.get(r.to_company)! },
      locationId: r.location_id,
      partCount: r.part_count,
      status: r.status,
      createdAt: r.created_at.toISOString(),
      receivedAt: r.received_at?.toISOString() ?? null,
      receivedLocationId: r.received_location_id,
      submissionId: Number(r.submission_id),
      receiptSubmissionId: r.receipt_submission_id === null ? null : Number(r.receipt_submission_id),
    }));
  }
}
