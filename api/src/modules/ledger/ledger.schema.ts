import { z } from "zod";

export const partParams = z.object({ gtin: z.string(), serial: z.string() }).strict();
export const seqParams = z.object({ seq: z.coerce.number().int().min(1) }).strict();
export const batchRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < 100, {
    message: "to must be ≥ from and at most 99 batches after it",
    path: ["to"],
  });
export const batchListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
/** Most events one EPCIS export answers (a 10,000-event document is ~7 MB). */
export const EPCIS_MAX_EVENTS = 10_000;
export const seqRangeQuery = z
  .object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) })
  .strict()
  .refine((q) => q.to >= q.from && q.to - q.from < EPCIS_MAX_EVENTS, {
    message: `to must be ≥ from and at most ${EPCIS_MAX_EVENTS - 1} events after it`,
    path: ["to"],
  });

// ── Responses (what the handlers answer; checked against every answer in tests) ──

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

export const trustAnchorSchema = z
  .object({
    format: z.string(),
    chainId: z.number().int(),
    anchorRegistry: hex,
    partRegistry: hex.optional(),
    deploymentBlock: z.number().int().optional(),
    deploymentBlockHash: hex.optional(),
    anchorer: hex.optional(),
  })
  .meta({ id: "TrustAnchor" });

export const auditFailureSchema = z
  .looseObject({
    seq: z.number().int().nullable(),
    batchId: z.number().int().nullable(),
    reason: z.string(),
    check: z.string().optional(),
  })
  .meta({ id: "AuditFailure" });

export const ledgerAuditSchema = z
  .object({
    ok: z.boolean(),
    eventsChecked: z.number().int(),
    parts: z.number().int(),
    batches: z.number().int(),
    lines: z.array(z.string()),
    failure: auditFailureSchema.nullable(),
  })
  .meta({ id: "LedgerAudit" });

export const batchSchema = z
  .object({
    id: z.number().int(),
    firstSeq: z.number().int(),
    lastSeq: z.number().int(),
    eventCount: z.number().int(),
    root: hex,
    status: z.string().describe("sealed, submitted, final …"),
    txHash: hex.nullable(),
    blockNumber: z.number().int().nullable(),
    sealedAt: z.string(),
    attempts: z.number().int().describe("anchoring attempts so far"),
    lagSeconds: z.number().describe("seconds from sealing to final, or until now while not final"),
    gasUsed: z
      .string()
      .regex(/^\d+$/)
      .nullable()
      .describe("gas of the anchoring transaction (decimal); null while unmined or the chain cannot be read"),
  })
  .meta({ id: "Batch" });

export const inclusionProofSchema = z
  .object({
    seq: z.number().int(),
    batchId: z.number().int(),
    leafIndex: z.number().int(),
    leafCount: z.number().int(),
    leafVersion: z.number().int(),
    leaf: hex,
    root: hex,
    proof: z.array(hex),
  })
  .meta({ id: "InclusionProof" });

/**
 * The audit bundle: its full format is docs/bundle.schema.json (published, what outsiders validate against); here
 * the top level is named and each part passes as the ledger service wrote it.
 */
export const bundleSchema = z
  .object({
    format: z.string(),
    createdAt: z.string(),
    scope: z.looseObject({ kind: z.enum(["part", "batches"]) }),
    chain: z.looseObject({ chainId: z.number().int() }),
    parts: z.array(z.looseObject({ gtin: z.string(), serial: z.string(), latestIncluded: z.boolean() })),
    actors: z.array(z.looseObject({ address: hex, name: z.string(), uscc: z.string().nullable() })),
    batches: z.array(z.looseObject({ id: z.number().int(), root: hex })),
    submissions: z.array(z.looseObject({ id: z.number().int() })),
    events: z.array(z.looseObject({ seq: z.number().int(), structHash: hex })),
    epcisDocument: z.looseObject({}).optional(),
    labelKey: z
      .object({ actor: hex, publicKey: z.string(), binding: hex })
      .optional()
      .meta({ description: "the manufacturer's label public key, bound by its chain key (DECISIONS 74)" }),
  })
  .meta({ id: "AuditBundle", description: "full format: docs/bundle.schema.json" });

/** A GS1 EPCIS 2.0 EPCISDocument (JSON-LD); the events follow the EPCIS 2.0 JSON schema. */
export const epcisDocumentSchema = z
  .looseObject({
    "@context": z.unknown(),
    type: z.literal("EPCISDocument"),
    schemaVersion: z.string(),
    creationDate: z.string(),
    epcisBody: z.looseObject({ eventList: z.array(z.looseObject({ type: z.string() })) }),
  })
  .meta({ id: "EpcisDocument" });

/** What an auditor's browser needs to verify a bundle itself (GET /api/v1/verify/config). */
export const verifyConfigSchema = z
  .object({
    rpcUrl: z.string().nullable(),
    rpcSource: z.enum(["PUBLIC_CHAIN_RPC_URL", "local-chain"]).nullable(),
    trust: z.string(),
    partBundle: z.string(),
  })
  .meta({ id: "VerifyConfig" });
