import { randomBytes } from "node:crypto";
import { AppError, Stage, auditTrail, type LedgerService, type Sql } from "../../../../ledger-service/src/index.js";
import { personOf, type AuditContext, type Principal } from "../../security/principal.js";
import { crossTenant, notFound } from "../../security/tenant.js";
import { distanceMetres } from "../../shared/geo.js";
import { inventoryRepository as stock } from "./inventory.repository.js";
import { transfersRepository as repo, type TransferRow } from "./transfers.repository.js";

/**
 * Transfers between a company's warehouses. When a warehouse's available stock (plus what is already on its way) of a
 * SKU is below its reorder point, a transfer is proposed from the nearest warehouses with surplus (stock above their
 * own reorder point), nearest first, until the need is covered. A person other than the proposer approves it: the
 * source's on hand leaves and the destination's in-transit grows; receiving turns in-transit into on hand. Serialised
 * parts named at approval are shipped on the ledger from the source and received at the destination, in the
 * transactions of those stock moves: their custody and site are always known.
 */
export class TransfersService {
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Sql,
    private readonly ledger: LedgerService,
    /** The catalogue SKU each GTIN is named as (parts module), to check named serials belong to the transfer's SKU. */
    private readonly skuOfGtins: (gtins: string[]) => Promise<Map<string, number>>,
  ) {}

  /** Proposals for one company's shortages; returns what was proposed. */
  propose(companyId: string, by = "system"): Promise<TransferRow[]> {
    return this.proposeFor([companyId], by);
  }

  /** Proposals for these companies' shortages, found by one query; returns what was proposed. */
  private async proposeFor(companyIds: readonly string[], by: string): Promise<TransferRow[]> {
    const made: TransferRow[] = [];
    if (!companyIds.length) return made;
    for (const s of await repo.shortages(this.db, companyIds)) {
      let need = s.need;
      const sources = s.sources
        .map((x) => ({ ...x, distanceM: Math.round(distanceMetres({ lng: s.toLng, lat: s.toLat }, x)) }))
        .sort((a, b) => a.distanceM - b.distanceM);
      for (const src of sources) {
        if (need <= 0) break;
        const quantity = Math.min(need, src.surplus);
        const t = {
          id: `tr_${randomBytes(8).toString("hex")}`,
          companyId: s.companyId,
          skuId: s.skuId,
          fromLocation: src.locationId,
          toLocation: s.toLocation,
          quantity,
          distanceM: src.distanceM,
          proposedBy: by,
        };
        // One open proposal per SKU and destination (a unique index): a second proposer finds it taken.
        if (!(await this.db.transaction((tx) => repo.insert(tx, t)))) break;
        made.push((await repo.get(this.db, t.id))!);
        need -= quantity;
      }
    }
    return made;
  }

  /**
   * One proposal asked for by name (replenishment, issue 14): `quantity` of a SKU from one of the company's
   * warehouses to another, proposed by `by` and approved by someone else like any other. 409 when the SKU already has
   * an open proposal to that warehouse.
   */
  async proposeOne(
    ctx: AuditContext,
    t: { companyId: string; skuId: number; fromLocation: string; toLocation: string; quantity: number; by: string },
  ): Promise<TransferRow> {
    const ends = await repo.ends(this.db, [t.fromLocation, t.toLocation]);
    const from = ends.find((x) => x.id === t.fromLocation);
    const to = ends.find((x) => x.id === t.toLocation);
    if (!from || !to || from.companyId !== t.companyId || to.companyId !== t.companyId || from.id === to.id)
      throw new AppError("TRANSFER.NOT_BETWEEN_OWN", "a transfer is between two of the company's own warehouses", 409);
    const row = {
      id: `tr_${randomBytes(8).toString("hex")}`,
      companyId: t.companyId,
      skuId: t.skuId,
      fromLocation: t.fromLocation,
      toLocation: t.toLocation,
      quantity: t.quantity,
      distanceM: Math.round(distanceMetres(from, to)),
      proposedBy: t.by,
    };
    const made = await this.db.transaction(async (tx) => {
      if (!(await repo.insert(tx, row))) return false;
      await auditTrail.append(tx, {
        ...ctx,
        companyId: t.companyId,
        action: "transfer.propose",
        resource: "transfer",
        resourceId: row.id,
        changes: { quantity: { after: t.quantity }, status: { after: "proposed" } },
      });
      return true;
    });
    if (!made)
      throw new AppError(
        "TRANSFER.ALREADY_PROPOSED",
        `SKU ${t.skuId} already has an open transfer proposal to ${t.toLocation}; approve or reject it first`,
        409,
      );
    return (await repo.get(this.db, row.id))!;
  }

  /** Marks a company for a proposal pass soon (after orders reserve its stock); passes run every `intervalMs`. */
  touch(companyIds: Iterable<string>) {
    for (const c of companyIds) this.dirty.add(c);
  }

  start(intervalMs: number) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One pass over the companies whose stock went down since the last: a single shortage query for all of them (not one
   * per company: a pass after a busy second touched every seller), and never two passes at once — a pass slower than
   * the interval is joined, not overlapped, and what it missed waits for the next.
   */
  flush(): Promise<void> {
    this.running ??= (async () => {
      const companies = [...this.dirty];
      this.dirty.clear();
      try {
        await this.proposeFor(companies, "system");
      } catch (e) {
        for (const c of companies) this.dirty.add(c); // tried again at the next pass
        throw e;
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  list(p: Principal, status: string | null) {
    return repo.list(this.db, p.companyId ?? "", status);
  }

  private async own(ctx: AuditContext, p: Principal, id: string) {
    const t = await repo.get(this.db, id);
    if (!t) throw notFound("transfer", id);
    if (t.companyId !== p.companyId) await crossTenant(this.db, ctx, p, "transfer", id, t.companyId);
    return t;
  }

  /**
   * approve: stock leaves the source into transit; reject: the proposal closes; receive: transit becomes on hand.
   * `parts` (approve only): serials travelling with it — shipped on the ledger now, received with the transfer.
   */
  async decide(
    ctx: AuditContext,
    p: Principal,
    id: string,
    action: "approve" | "reject" | "receive",
    custody: {
      parts?: Array<{ gtin: string; serial: string }> | undefined;
      company?: { id: string; regionCode: string } | undefined;
    } = {},
  ) {
    const t = await this.own(ctx, p, id);
    if (custody.parts && action !== "approve")
      throw new AppError("REQUEST.UNKNOWN_FIELD", "body.parts: serials are named when a transfer is approved", 400, {
        field: "parts",
      });
    const parts = action === "approve" ? (custody.parts ?? []) : action === "receive" ? t.parts : [];
    if (action === "approve" && parts.length) {
      if (parts.length > t.quantity)
        throw new AppError(
          "TRANSFER.TOO_MANY_PARTS",
          `parts: ${parts.length} serials for a transfer of ${t.quantity}`,
          409,
          { field: "parts" },
        );
      const skus = await this.skuOfGtins([...new Set(parts.map((x) => x.gtin))]);
      const bad = parts.findIndex((x) => skus.get(x.gtin) !== t.skuId);
      if (bad >= 0)
        throw new AppError(
          "TRANSFER.PART_NOT_THIS_SKU",
          `parts[${bad}]: GTIN ${parts[bad]!.gtin} is not named as SKU ${t.skuId} (POST /mint with product.skuId names it)`,
          409,
          { field: `parts[${bad}].gtin` },
        );
    }
    const work = (tx: Sql) => this.move(tx, ctx, p, id, action, action === "approve" ? parts : undefined);
    if (!parts.length) return this.db.transaction(work);
    if (!custody.company) throw new AppError("ORG.REQUIRED", "custody is recorded by a company", 409);
    let out: TransferRow | undefined;
    await this.ledger.ledger.append(
      {
        actorId: custody.company.id,
        step: action === "approve" ? Stage.Shipped : Stage.Received,
        parts,
        place: {
          regionCode: custody.company.regionCode,
          locationId: action === "approve" ? t.fromLocation : t.toLocation,
        },
        // Between the company's own warehouses: the shipment is to itself (DECISIONS 32).
        ...(action === "approve" ? { shipTo: custody.company.id } : {}),
      },
      { within: async (tx) => void (out = await work(tx)) },
    );
    return out!;
  }

  private async move(
    tx: Sql,
    ctx: AuditContext,
    p: Principal,
    id: string,
    action: "approve" | "reject" | "receive",
    parts: TransferRow["parts"] | undefined,
  ): Promise<TransferRow> {
    const t = (await repo.get(tx, id, true))!;
    const from = { approve: "proposed", reject: "proposed", receive: "in_transit" }[action];
    if (t.status !== from)
      throw new AppError(
        "TRANSFER.INVALID_TRANSITION",
        `transfer ${id} is ${t.status}; only a ${from} transfer can be ${action === "receive" ? "received" : `${action}d`}`,
        409,
      );
    const person = action === "approve" ? personOf(p, "approve a transfer (two-person rule)") : (p.person ?? p.id);
    if (action === "approve" && t.proposedBy === person)
      throw new AppError(
        "TRANSFER.SAME_PERSON",
        "the person who proposed a transfer cannot approve it; another person must",
        403,
      );
    if (action === "approve") {
      // Lock both rows in the global order, then move: out of the source, into the destination's transit.
      await stock.lockRows(
        tx,
        [
          { locationId: t.fromLocation, skuId: t.skuId },
          { locationId: t.toLocation, skuId: t.skuId },
        ].sort((a, b) => a.locationId.localeCompare(b.locationId)),
      );
      if (
        !(await stock.move(tx, {
          locationId: t.fromLocation,
          skuId: t.skuId,
          onHand: -t.quantity,
          reason: "transfer",
          ref: id,
        }))
      ) {
        throw new AppError(
          "INVENTORY.INSUFFICIENT_STOCK",
          `the source warehouse no longer has ${t.quantity} available beyond its reservations`,
          409,
        );
      }
      await stock.move(tx, {
        locationId: t.toLocation,
        skuId: t.skuId,
        inTransit: t.quantity,
        reason: "transfer",
        ref: id,
      });
    }
    if (action === "receive")
      await stock.move(tx, {
        locationId: t.toLocation,
        skuId: t.skuId,
        inTransit: -t.quantity,
        onHand: t.quantity,
        reason: "transfer",
        ref: id,
      });
    const status = action === "approve" ? "in_transit" : action === "reject" ? "rejected" : "received";
    await repo.setStatus(tx, id, status, person, parts);
    await auditTrail.append(tx, {
      ...ctx,
      companyId: t.companyId,
      action: `transfer.${action}`,
      resource: "transfer",
      resourceId: id,
      changes: {
        status: { before: t.status, after: status },
        ...(parts?.length ? { parts: { after: parts.length } } : {}),
      },
    });
    return (await repo.get(tx, id))!;
  }
}
