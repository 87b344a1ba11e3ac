import { AppError } from "../../../../ledger-service/src/index.js";
import type { Resource } from "../../security/permissions.js";
import type { Access } from "../../security/routes.js";

/**
 * What a company waiting for approval may use (DECISIONS 98): its own registration and application, its people,
 * roles and API keys, and its audit trail. Everything else — orders, offers, stock and the pool, quotes, dispatches,
 * parts, returns, finance, the cockpit… — answers 403 COMPANY.NOT_APPROVED until two of the platform approve it.
 */
export const PENDING_MAY_USE: ReadonlySet<Resource> = new Set(["company", "user", "role", "api_key", "audit_log"]);

export function assertMayTrade(company: { id: string; onboarding: "pending" | "approved" }, access: Access): void {
  if (company.onboarding === "approved" || !("permission" in access)) return;
  const resource = access.permission.split(":")[0] as Resource;
  if (PENDING_MAY_USE.has(resource)) return;
  throw new AppError(
    "COMPANY.NOT_APPROVED",
    `company ${company.id} is waiting for the platform's approval of its application (入驻审核) and cannot use ` +
      `${access.permission} yet; see GET /api/v1/onboarding/application`,
    403,
    { onboarding: company.onboarding, permission: access.permission },
  );
}
