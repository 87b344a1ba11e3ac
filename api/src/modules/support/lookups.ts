import { AppError, Stage, isPledgeStep, type LedgerService } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import type { InstallationsService } from "../parts/installations.service.js";
import type { OrdersService } from "../orders/orders.service.js";
import type { ReturnsService } from "../returns/returns.service.js";

export interface OrderFacts {
  id: string;
  status: string;
  /** Whether the asker's company bought it (else it sells on it). */
  buyer: boolean;
  totalFen: number;
  carrier: string | null;
  trackingNo: string | null;
  lines: number;
  updatedAt: string;
}

export interface PartFacts {
  gtin: string;
  serial: string;
  lot: string;
  stage: "commissioned" | "received" | "installed" | "shipped";
  /** The asker's company made it, holds it, or held it once. */
  relation: "made" | "holds" | "held";
  events: number;
  anchored: boolean;
}

/**
 * What the assistant may read, always as the asker: each lookup goes through the owning module's service with the
 * asker's principal, so another company's order answers "not found" exactly as it does on the orders API (and the
 * attempt is logged there), a part is answered only when the asker's company is in its custody, and installations
 * only the asker's company recorded. `null`/empty: nothing of the asker's.
 */
export interface SupportLookups {
  order(ctx: AuditContext, p: Principal, id: string): Promise<OrderFacts | null>;
  recentOrders(p: Principal, limit: number): Promise<OrderFacts[]>;
  part(p: Principal, gtin: string, serial: string): Promise<PartFacts | null>;
  installations(
    ctx: AuditContext,
    p: Principal,
    vin: string,
  ): Promise<Array<{ gtin: string; serial: string; installedAt: string }>>;
  /** One return by its number, or the newest returns of an order (or of the company), where the asker is a side. */
  returns(ctx: AuditContext, p: Principal, q: { returnId?: string; orderId?: string }): Promise<ReturnFacts[]>;
}

export interface ReturnFacts {
  id: string;
  orderId: string;
  status: string;
  /** Whether the asker's company asked for it (else it is the seller). */
  requester: boolean;
  quantity: number;
  authorisedQuantity: number | null;
  resolution: string | null;
  trackingNo: string | null;
  /** What was refunded (automatically or after inspection); null: nothing yet. */
  refundFen: number | null;
  updatedAt: string;
}

const STAGES: Record<number, PartFacts["stage"]> = {
  [Stage.Commissioned]: "commissioned",
  [Stage.Received]: "received",
  [Stage.Installed]: "installed",
  [Stage.Shipped]: "shipped",
};

export function supportLookups(deps: {
  orders: OrdersService;
  installations: InstallationsService;
  returns: ReturnsService;
  ledger: LedgerService;
  companyAddress: (companyId: string) => Promise<string>;
}): SupportLookups {
  const facts = (
    o: {
      id: string;
      status: string;
      buyerId: string;
      totalFen: number;
      carrier: string | null;
      trackingNo: string | null;
      updatedAt: string;
      lines?: unknown[];
    },
    companyId: string,
  ): OrderFacts => ({
    id: o.id,
    status: o.status,
    buyer: o.buyerId === companyId,
    totalFen: o.totalFen,
    carrier: o.carrier,
    trackingNo: o.trackingNo,
    lines: o.lines?.length ?? 0,
    updatedAt: new Date(o.updatedAt).toISOString(),
  });
  return {
    async order(ctx, p, id) {
      if (!p.companyId) return null;
      try {
        return facts(await deps.orders.get(ctx, p, id), p.companyId);
      } catch (e) {
        if (e instanceof AppError && e.status === 404) return null;
        throw e;
      }
    },
    async recentOrders(p, limit) {
      if (!p.companyId) return [];
      return (await deps.orders.list(p, limit)).map((o) => facts(o, p.companyId!));
    },
    async part(p, gtin, serial) {
      if (!p.companyId) return null;
      const address = (await deps.companyAddress(p.companyId)).toLowerCase();
      const { events } = await deps.ledger.partView(gtin, serial);
      if (!events.length) return null;
      const mine = events.filter((e) => e.actor.toLowerCase() === address);
      if (!mine.length) return null;
      // The last move: a pledge or a release (DECISIONS 107) leaves the part with its holder.
      const last = events.filter((e) => !isPledgeStep(e.step)).at(-1) ?? events[events.length - 1]!;
      const relation =
        events[0]!.actor.toLowerCase() === address
          ? "made"
          : last.actor.toLowerCase() === address && last.partStage !== Stage.Shipped
            ? "holds"
            : "held";
      return {
        gtin,
        serial,
        lot: events[0]!.lot,
        stage: STAGES[last.partStage] ?? "commissioned",
        relation,
        events: events.length,
        anchored: events.every((e) => e.batch?.status === "final"),
      };
    },
    async installations(ctx, p, vin) {
      if (!p.companyId) return [];
      const rows = await deps.installations.list(ctx, p, { vin, limit: 20 }, false);
      return rows.map((r) => ({ gtin: r.gtin, serial: r.serial, installedAt: r.installedAt }));
    },
    async returns(ctx, p, q) {
      if (!p.companyId) return [];
      const ids = q.returnId
        ? [q.returnId]
        : (await deps.returns.list(p, { overdue: false, limit: 5, orderId: q.orderId })).map((r) => r.id);
      const out: ReturnFacts[] = [];
      for (const id of ids) {
        try {
          const r = await deps.returns.get(ctx, p, id);
          out.push({
            id: r.id,
            orderId: r.orderId,
            status: r.status,
            requester: r.requesterId === p.companyId,
            quantity: r.quantity,
            authorisedQuantity: r.authorisedQuantity,
            resolution: r.resolution,
            trackingNo: r.trackingNo,
            refundFen: r.refund?.amountFen ?? null,
            updatedAt: new Date(r.updatedAt).toISOString(),
          });
        } catch (e) {
          // Another company's return reads as none, as on the returns API (where the attempt is logged).
          if (e instanceof AppError && (e.status === 404 || e.status === 403)) continue;
          throw e;
        }
      }
      return out;
    },
  };
}
