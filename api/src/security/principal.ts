import type { Request, Response } from "express";
import type { AuditEntryInput } from "../../../ledger-service/src/index.js";
import type { Permission, TenantKind } from "./permissions.js";

/** Who is calling: a person's session, a company's API key, or the platform operator's token. */
export interface Principal {
  type: "user" | "api_key" | "operator";
  /** User id, API key id, or "operator". */
  id: string;
  /** The person behind it, for two-person rules: the user, or the key's creator (the key itself when issued by the platform). */
  person: string;
  /** The tenant: a company id, or null for the platform. */
  companyId: string | null;
  kind: TenantKind;
  roles: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** Session id when type is "user". */
  sessionId?: string;
}

export const principalOf = (res: Response): Principal => {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new Error("route reached without a principal: its access declaration is missing");
  return p;
};

/** The who/where half of an audit entry, from the request. */
export function auditContext(req: Request, res: Response): Pick<AuditEntryInput, "actorType" | "actorId" | "ip" | "userAgent" | "requestId"> {
  const p = res.locals.principal as Principal | undefined;
  return {
    actorType: p?.type ?? "anonymous",
    actorId: p?.id ?? null,
    ip: req.ip ?? null,
    userAgent: req.header("user-agent") ?? null,
    requestId: (res.locals.requestId as string | undefined) ?? null,
  };
}

export type AuditContext = ReturnType<typeof auditContext>;
