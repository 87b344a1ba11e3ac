import type { Request, Response } from "express";
import { AppError, type AuditEntryInput } from "../../../ledger-service/src/index.js";
import type { Permission, TenantKind } from "./permissions.js";

/** Who is calling: a person's session, a company's API key, or the platform operator's token. */
export interface Principal {
  type: "user" | "api_key" | "operator";
  /** User id, API key id, or "operator". */
  id: string;
  /**
   * The person behind it, for two-person rules: the user, or the key's creator (a registration key's is the company's
   * first admin). null: a key that acts for nobody (registered without an admin), which can take no part in them.
   */
  person: string | null;
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

/** The person behind `p` for a two-person rule; a key acting for nobody is refused (it could be anyone, the approver too). */
export function personOf(p: Principal, act: string): string {
  if (p.person) return p.person;
  throw new AppError(
    "AUTH.NO_PERSON",
    `this API key acts for no person (the platform issued it without a first admin), so it cannot ${act}; use a person's session or a key a person created`,
    403,
  );
}

/** The who/where half of an audit entry, from the request. */
export function auditContext(
  req: Request,
  res: Response,
): Pick<AuditEntryInput, "actorType" | "actorId" | "ip" | "userAgent" | "requestId"> {
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
