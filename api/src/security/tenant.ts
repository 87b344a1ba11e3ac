import { AppError, auditTrail, type Sql } from "../../../ledger-service/src/index.js";
import type { AuditContext, Principal } from "./principal.js";

/**
 * A record asked for by id belongs to another company: the attempt is written to the audit trail (of the company
 * whose record it is) and answered exactly like a record that does not exist — 404, nothing about its existence.
 */
export async function crossTenant(
  db: Sql,
  ctx: AuditContext,
  principal: Principal,
  resource: string,
  id: string,
  owner: string | null,
): Promise<never> {
  await db.transaction((tx) =>
    auditTrail.append(tx, {
      ...ctx,
      companyId: owner,
      action: "tenant.cross_access",
      resource,
      resourceId: id,
      outcome: "denied",
      changes: { requestedBy: { after: principal.companyId ?? "platform" } },
    }),
  );
  throw notFound(resource, id);
}

export const notFound = (resource: string, id: string) =>
  new AppError("NOT_FOUND", `no ${resource} ${id}`, 404, { resource });

/** Whether `principal` may see records of `owner` (its own company; the platform sees platform records). */
export const sameTenant = (principal: Principal, owner: string | null) => principal.companyId === owner;
