/** What the services marketplace's modules share: ids, actors, instants, the company, refusals, settling. */
import { randomBytes } from "node:crypto";
import { AppError, type Sql } from "../../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "../../security/principal.js";
import type { ServiceBill } from "../finance/invoices.service.js";
import { serviceBill, type BillItems } from "./service-billing.js";
import type { ServiceSide } from "./service-states.js";
import { servicesRepository as repo, type NewSettlement, type SettlementRow } from "./services.repository.js";

export const hex = () => randomBytes(8).toString("hex");
export const actorOf = (p: Principal) => p.person ?? p.id;
export const iso = (v: string | Date) => new Date(v).toISOString();
export const settlementView = (s: SettlementRow) => ({ ...s, settledAt: iso(s.settledAt) });

/** The caller's company: services are bought and sold by companies. */
export function companyOf(p: Principal, what: string): string {
  if (!p.companyId) throw new AppError("ORG.REQUIRED", `${what} is a company's`, 409);
  return p.companyId;
}

/** A move the state table does not allow for this side. */
export const refused = (what: string, from: string, to: string, side: ServiceSide | null) =>
  new AppError(
    "SERVICE.INVALID_TRANSITION",
    `${what} is ${from}; ${side ? `the ${side}` : "nobody"} cannot move it to ${to}`,
    409,
    { field: "status" },
  );

/** The finance module's port: a settlement's invoices, written inside the settlement's transaction (DECISIONS 114). */
export type BillService = (tx: Sql, ctx: AuditContext, bill: ServiceBill) => Promise<unknown>;

/** Records one settlement and bills it in finance, in the caller's transaction: both or neither. */
export async function settleAndBill(
  tx: Sql,
  ctx: AuditContext,
  bill: BillService,
  s: NewSettlement,
  items: BillItems,
): Promise<void> {
  await repo.insertSettlement(tx, s);
  await bill(tx, ctx, serviceBill(s, items, s.settledBy));
}
