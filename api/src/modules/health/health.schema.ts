import { z } from "zod";

// ── Responses (what the handlers answer; checked against every answer in tests) ──

export const healthReasonSchema = z
  .object({
    code: z
      .string()
      .describe("ANCHORING.LAG, LIFECYCLE.FAILING, LIFECYCLE.LAG, AUDIT.CHECKPOINT_LAG, WEBHOOKS.LAG, CHAIN.DOWN"),
    component: z.enum(["anchoring", "lifecycle", "audit", "webhooks", "chain"]),
    message: z.string(),
    behind: z.record(z.string(), z.unknown()),
    since: z.string(),
    lagSeconds: z.number(),
    thresholdSeconds: z.number().optional(),
    lastError: z.string().optional(),
    lastErrorAt: z.string().optional(),
  })
  .meta({ id: "HealthReason" });

/** Parts whose detail belongs to the ledger service: the fields a console shows are named, the rest pass. */
export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    reasons: z.array(healthReasonSchema),
    database: z.enum(["postgresql", "pglite"]),
    chain: z.looseObject({
      status: z.enum(["up", "down"]),
      chainId: z.number().optional(),
      since: z.string().optional(),
      detail: z.string().optional(),
    }),
    ledger: z.looseObject({
      events: z.number(),
      pending: z.number(),
      unfinished: z.number(),
      batches: z.number(),
      anchoring: z.enum(["pending", "up to date"]),
    }),
    anchoring: z.looseObject({ events: z.number(), notFinal: z.number(), since: z.string().nullable() }),
    lifecycleWrites: z.looseObject({}),
    auditCheckpoints: z.looseObject({}),
    webhooks: z.object({ pending: z.number(), oldest: z.string().nullable() }),
  })
  .meta({ id: "Health" });

export const indexSchema = z.object({
  console: z.string(),
  service: z.string(),
  health: z.string(),
  api: z.string(),
  docs: z.string(),
  openapi: z.string(),
  scan: z.string(),
  bundles: z.object({ part: z.string(), batches: z.string() }),
});
