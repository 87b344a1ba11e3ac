import { z } from "zod";

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const auditEntrySchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    companyId: z.string().nullable(),
    actorType: z.string().describe("user, api_key, operator or system"),
    actorId: z.string().nullable(),
    action: z.string().describe("<resource>.<verb>, e.g. user.create"),
    resource: z.string(),
    resourceId: z.string().nullable(),
    outcome: z.enum(["ok", "denied"]),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    changes: z
      .record(z.string(), z.object({ before: z.unknown().optional(), after: z.unknown().optional() }))
      .nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: "AuditEntry" });

const failure = z.object({ seq: z.number().int().nullable(), reason: z.string() });

/** The platform sees the whole chain's report; a company's auditor sees only counts of its own entries. */
export const auditVerifySchema = z
  .union([
    z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      checkpoints: z.number().int(),
      failure: failure.nullable(),
    }),
    z.object({
      ok: z.boolean(),
      scope: z.literal("company"),
      entries: z.number().int(),
      failure: z.object({ reason: z.string() }).nullable(),
    }),
  ])
  .meta({ id: "AuditVerification" });

export const keyVersionsSchema = z
  .object({
    currentVersion: z.number().int(),
    versions: z.array(z.number().int()),
    byVersion: z.record(z.string(), z.number().int()).describe("ciphertexts under each key version"),
  })
  .meta({ id: "EncryptionKeys" });

export const rotationSchema = z
  .object({
    currentVersion: z.number().int(),
    reencrypted: z.number().int(),
    byVersion: z.record(z.string(), z.number().int()),
  })
  .meta({ id: "KeyRotation" });
