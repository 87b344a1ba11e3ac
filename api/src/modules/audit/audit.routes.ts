import { z } from "zod";
import { auditTrail, keyVersionCounts, rotateKeys, type LedgerService } from "../../../../ledger-service/src/index.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { raw, responds } from "../../http/responds.js";
import { auditEntrySchema, auditVerifySchema, keyVersionsSchema, rotationSchema } from "./audit.schema.js";

const entriesQuery = z
  .object({
    action: z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/, "an action like user.create")
      .optional(),
    actorId: z.string().max(40).optional(),
    resourceId: z.string().max(64).optional(),
    afterSeq: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** The platform may look at one company's entries. */
    companyId: z
      .string()
      .regex(/^c_[0-9a-f]{16}$/)
      .optional(),
  })
  .strict();

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  // Neutralise spreadsheet formulas (=, +, -, @) and quote every cell.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** The audit trail for auditors (their company's entries; the platform's auditors all), its export and its check; key rotation. */
export function auditRoutes(svc: LedgerService): RouteSpec[] {
  const db = svc.db.sql;
  const scope = (res: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(res);
    const q = res.locals.query as z.infer<typeof entriesQuery>;
    return { ...q, companyId: p.companyId ?? q.companyId };
  };
  return [
    route(
      "get",
      "/api/v1/audit/entries",
      { permission: "audit_log:view" },
      "Audit trail entries of my company (platform: all, or ?companyId=)",
      responds(z.object({ entries: z.array(auditEntrySchema) })),
      validate({ query: entriesQuery }),
      async (_req, res) => {
        res.json({ entries: await auditTrail.query(db, scope(res)) });
      },
    ),
    route(
      "get",
      "/api/v1/audit/entries.csv",
      { permission: "audit_log:export" },
      "Export audit trail entries as CSV (the export is itself audited)",
      responds(raw("text/csv")),
      validate({ query: entriesQuery }),
      async (req, res) => {
        const q = scope(res);
        const entries = await auditTrail.query(db, q);
        const p = principalOf(res);
        await db.transaction((tx) =>
          auditTrail.append(tx, {
            ...auditContext(req, res),
            companyId: p.companyId,
            action: "audit_log.export",
            resource: "audit_log",
            resourceId: null,
            changes: { rows: { after: entries.length }, filter: { after: q } },
          }),
        );
        const cols = [
          "seq",
          "at",
          "companyId",
          "actorType",
          "actorId",
          "action",
          "resource",
          "resourceId",
          "outcome",
          "ip",
          "requestId",
          "changes",
          "hash",
        ] as const;
        res.type("text/csv").setHeader("Content-Disposition", 'attachment; filename="partledger-audit.csv"');
        res.send(
          [cols.join(","), ...entries.map((e) => cols.map((c) => csvCell(e[c])).join(","))].join("\r\n") + "\r\n",
        );
      },
    ),
    route(
      "get",
      "/api/v1/audit/verify",
      { permission: "audit_log:audit" },
      "Re-check the audit trail's hash chain and its ledger checkpoints (a company's auditor: counts of its own entries)",
      responds(auditVerifySchema),
      async (_req, res) => {
        const report = await auditTrail.verify(db);
        const companyId = principalOf(res).companyId;
        if (!companyId) return void res.json(report);
        // The chain is checked whole (a link cannot be checked alone), but a company learns only about its own
        // entries: how many it has, and whether the chain holds — not the platform's size or where it broke.
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM audit_log WHERE company_id = $1",
          [companyId],
        );
        res.json({
          ok: report.ok,
          scope: "company",
          entries: rows[0]!.n,
          failure: report.ok
            ? null
            : { reason: "the audit trail's hash chain does not verify; the platform operator has the details" },
        });
      },
    ),
    route(
      "get",
      "/api/v1/platform/encryption-keys",
      { permission: "encryption_key:configure" },
      "Key versions configured and ciphertexts under each",
      responds(keyVersionsSchema),
      async (_req, res) => {
        res.json({
          currentVersion: svc.vault.currentVersion,
          versions: svc.vault.versions,
          byVersion: await keyVersionCounts(db),
        });
      },
    ),
    route(
      "post",
      "/api/v1/platform/encryption-keys/rotate",
      { permission: "encryption_key:configure" },
      "Re-encrypt every sensitive field under the current key (online)",
      responds(rotationSchema),
      async (req, res) => {
        svc.vault.refresh(); // pick up a key just added to the key file
        const report = await rotateKeys(db, svc.vault);
        await db.transaction((tx) =>
          auditTrail.append(tx, {
            ...auditContext(req, res),
            companyId: null,
            action: "encryption_key.rotate",
            resource: "encryption_key",
            resourceId: String(report.currentVersion),
            changes: { reencrypted: { after: report.reencrypted } },
          }),
        );
        res.json(report);
      },
    ),
  ];
}
