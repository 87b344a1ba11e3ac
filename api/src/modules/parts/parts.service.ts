import { randomBytes } from "node:crypto";
import {
  AppError,
  Stage,
  assertGtin14,
  auditTrail,
  newSerial,
  type AppendResult,
  type LedgerService,
} from "../../../../ledger-service/src/index.js";
import { maskMobile, maskName, maskVin, normaliseMobile } from "../../security/personal-data.js";
import type { AuditContext } from "../../security/principal.js";
import { installationsRepository } from "./installations.repository.js";
import { assertLot } from "../../../../ledger-service/src/gs1/serial.js";
import type { Sql } from "../../../../ledger-service/src/db/sql.js";
import type { Company } from "../orgs/orgs.service.js";
import { idempotent, type Reply } from "../../shared/idempotency.js";
import { partsRepository } from "./parts.repository.js";
import type { InstallationBody, MintBody, ReceiptBody } from "./parts.schema.js";

export type { Reply };

/**
 * Minting, receiving and installing through the ledger. A request with an Idempotency-Key stores its response in
 * the same transaction as its ledger events: the same key and body answers the stored response, the same key
 * with another body is refused, and a crash at any point leaves either both or neither.
 */
/** A hook run in a part-by-part receipt's transaction, after its events and audit entry. */
export type ReceiptHook = (
  tx: Sql,
  ctx: AuditContext,
  company: Company,
  parts: ReadonlyArray<{ gtin: string; serial: string }>,
  receipt: { submissionId: number | string; locationId: string },
) => Promise<void>;

export class PartsService {
  constructor(
    private readonly ledger: LedgerService,
    /** Who owns a GTIN (GS1 company prefixes, modules/gs1): minting is the owner's. */
    private readonly gtins: { assertMayMint(companyId: string, gtin: string): Promise<void> },
    private readonly skus?: { exists(tx: Sql, id: number): Promise<boolean> },
  ) {}

  private receiptHooks: ReceiptHook[] = [];
  /** Called inside every part-by-part receipt's transaction (the dispatch module closes cartons with it). */
  onReceipt(hook: ReceiptHook): void {
    this.receiptHooks.push(hook);
  }

  private get db(): Sql {
    return this.ledger.db.sql;
  }

  async mint(ctx: AuditContext, company: Company, body: MintBody, key?: string): Promise<Reply> {
    const gtin = assertGtin14(body.gtin, "gtin");
    if (/^0+$/.test(gtin))
      throw new AppError("PARTS.RESERVED_GTIN", "GTIN 00000000000000 is reserved; it is never a product", 400, {
        field: "gtin",
      });
    const lot = assertLot(body.lot, "lot");
    const produced = Date.parse(`${body.productionDate}T00:00:00+08:00`);
    if (
      Number.isNaN(produced) ||
      new Date(produced + 8 * 3600_000).toISOString().slice(0, 10) !== body.productionDate
    ) {
      throw new AppError("PARTS.INVALID_DATE", `productionDate ${body.productionDate} is not a calendar date`, 400, {
        field: "productionDate",
      });
    }
    if (produced > Date.now() + 86_400_000)
      throw new AppError("PARTS.INVALID_DATE", `productionDate ${body.productionDate} is in the future`, 400, {
        field: "productionDate",
      });
    await this.gtins.assertMayMint(company.id, gtin);
    return this.idempotent(company, "mint", body, key, async (within) => {
      const serials = new Set<string>();
      while (serials.size < body.count) serials.add(newSerial());
      const runId = `run_${randomBytes(8).toString("hex")}`;
      const list = [...serials];
      let result!: AppendResult;
      await this.ledger.ledger.append(
        {
          actorId: company.id,
          step: Stage.Commissioned,
          parts: list.map((serial) => ({ gtin, serial, lot })),
          place: this.place(company, body.locationId ?? "FACTORY"),
        },
        {
          within: async (tx, r) => {
            result = r;
            const skuId = body.product?.skuId ?? null;
            if (skuId !== null && !(await this.skus?.exists(tx, skuId))) {
              throw new AppError("CATALOG.UNKNOWN_SKU", `product.skuId: no catalogue SKU ${skuId}`, 404, {
                field: "product.skuId",
              });
            }
            // Only the GTIN's owner gets here: its name replaces any earlier first-come claim.
            if (body.product)
              await partsRepository.upsertProduct(tx, gtin, company.id, body.product.brand, body.product.name, skuId);
            await partsRepository.insertMintRun(tx, {
              id: runId,
              companyId: company.id,
              gtin,
              lot,
              productionDate: body.productionDate,
              serials: list,
              submissionId: r.submissionId,
            });
            await auditTrail.append(tx, {
              ...ctx,
              companyId: company.id,
              action: "part.create",
              resource: "mint_run",
              resourceId: runId,
              changes: {
                gtin: { after: gtin },
                lot: { after: lot },
                count: { after: list.length },
                ledgerSeqs: { after: `${r.firstSeq}-${r.lastSeq}` },
              },
            });
            await within(tx, { status: 201, body: this.mintReply(runId, gtin, lot, body.productionDate, list, r) });
          },
        },
      );
      return { status: 201, body: this.mintReply(runId, gtin, lot, body.productionDate, list, result) };
    });
  }

  receive(ctx: AuditContext, company: Company, body: ReceiptBody, key?: string): Promise<Reply> {
    return this.idempotent(company, "receive", body, key, async (within) => {
      let reply!: Reply;
      await this.ledger.ledger.append(
        {
          actorId: company.id,
          step: Stage.Received,
          parts: body.parts,
          place: this.place(company, body.locationId ?? "WAREHOUSE"),
        },
        {
          within: async (tx, r) => {
            reply = {
              status: 201,
              body: {
                received: r.events.length,
                submissionId: r.submissionId,
                firstSeq: r.firstSeq,
                lastSeq: r.lastSeq,
                anchoring: r.anchoring,
              },
            };
            await auditTrail.append(tx, {
              ...ctx,
              companyId: company.id,
              action: "custody.create",
              resource: "receipt",
              resourceId: String(r.submissionId),
              changes: { parts: { after: r.events.length }, ledgerSeqs: { after: `${r.firstSeq}-${r.lastSeq}` } },
            });
            for (const hook of this.receiptHooks)
              await hook(tx, ctx, company, body.parts, {
                submissionId: r.submissionId,
                locationId: body.locationId ?? "WAREHOUSE",
              });
            await within(tx, reply);
          },
        },
      );
      return reply;
    });
  }

  install(ctx: AuditContext, company: Company, body: InstallationBody, key?: string): Promise<Reply> {
    const vault = this.ledger.vault;
    const mobile = body.owner?.mobile === undefined ? null : normaliseMobile(body.owner.mobile);
    if (body.owner?.mobile !== undefined && !mobile)
      throw new AppError("REQUEST.INVALID", "body.owner.mobile: not a mainland China mobile number", 400, {
        field: "owner.mobile",
      });
    return this.idempotent(company, "install", body, key, async (within) => {
      let reply!: Reply;
      await this.ledger.ledger.append(
        {
          actorId: company.id,
          step: Stage.Installed,
          parts: [{ gtin: body.gtin, serial: body.serial }],
          place: this.place(company, body.locationId ?? "WORKSHOP"),
          vin: body.vin,
        },
        {
          within: async (tx, r) => {
            const id = `in_${randomBytes(8).toString("hex")}`;
            const a = (f: string) => `installation:${id}:${f}`;
            await installationsRepository.insert(tx, {
              id,
              companyId: company.id,
              gtin: body.gtin,
              serial: body.serial,
              ledgerSeq: r.firstSeq,
              vinCt: vault.seal(body.vin, a("vin")),
              vinBidx: vault.blindIndex("vin", body.vin),
              ownerNameCt: body.owner?.name ? vault.seal(body.owner.name, a("owner_name")) : null,
              ownerMobileCt: mobile ? vault.seal(mobile, a("owner_mobile")) : null,
              ownerMobileBidx: mobile ? vault.blindIndex("mobile", mobile) : null,
            });
            reply = {
              status: 201,
              body: {
                id,
                installed: { gtin: body.gtin, serial: body.serial },
                seq: r.firstSeq,
                submissionId: r.submissionId,
                anchoring: r.anchoring,
              },
            };
            await auditTrail.append(tx, {
              ...ctx,
              companyId: company.id,
              action: "installation.create",
              resource: "installation",
              resourceId: id,
              changes: {
                part: { after: `${body.gtin}/${body.serial}` },
                vin: { after: maskVin(body.vin) },
                ownerMobile: { after: mobile && maskMobile(mobile) },
                ownerName: { after: body.owner?.name && maskName(body.owner.name) },
              },
            });
            await within(tx, reply);
          },
        },
      );
      return reply;
    });
  }

  /** What a GTIN is (brand and product name) and which company named it, when one did. */
  product(gtin: string): Promise<{ brand: string; name: string; companyId: string } | null> {
    return partsRepository.product(this.db, gtin);
  }

  /** The serialised parts of a SKU that `company` holds, per the ledger (custody, not counts). */
  heldPart(company: Company, gtin: string, serial: string) {
    return partsRepository.heldPart(this.db, company.address, gtin, serial);
  }

  heldSerials(company: Company, skuId: number, limit = 1000) {
    return partsRepository.heldSerials(this.db, company.address, skuId, limit);
  }

  /** Parts `company` received on the ledger (signed receiving events) in the last `days` days. */
  receivedParts(company: Company, days: number): Promise<number> {
    return partsRepository.receivedParts(this.db, company.address, days);
  }

  /** How many of these parts `company` ever acted on (received, shipped, installed) per the ledger. */
  handledBy(company: Company, parts: ReadonlyArray<{ gtin: string; serial: string }>): Promise<number> {
    return partsRepository.handledBy(this.db, company.address, parts);
  }

  /**
   * Locks these parts' ledger rows for the rest of `tx` (in part-key order, like the ledger's own updates) and answers
   * those `company` does not hold (not on the ledger, shipped, installed, or held by another company). A warehouse
   * receipt takes these locks before the stock rows, the order every ledger append with a stock move takes them in.
   */
  lockHeld(tx: Sql, company: Company, parts: ReadonlyArray<{ gtin: string; serial: string }>) {
    return partsRepository.lockHeld(tx, company.address, parts);
  }

  /** The catalogue SKU each GTIN's manufacturer named it as (POST /mint with product.skuId). */
  skusOf(gtins: string[]): Promise<Map<string, number>> {
    return partsRepository.skusOf(this.db, gtins);
  }

  private place(company: Company, locationId: string) {
    return { regionCode: company.regionCode, locationId };
  }

  private mintReply(
    runId: string,
    gtin: string,
    lot: string,
    productionDate: string,
    serials: string[],
    r: AppendResult,
  ) {
    return {
      runId,
      gtin,
      lot,
      productionDate,
      count: serials.length,
      serials,
      submissionId: r.submissionId,
      firstSeq: r.firstSeq,
      lastSeq: r.lastSeq,
      anchoring: r.anchoring,
    };
  }

  private idempotent(
    company: Company,
    op: string,
    body: unknown,
    key: string | undefined,
    work: Parameters<typeof idempotent>[5],
  ): Promise<Reply> {
    return idempotent(this.db, company.id, op, body, key, work);
  }
}
