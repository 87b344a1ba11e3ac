import type { LedgerService, UsccLookup } from "../../../../ledger-service/src/index.js";
import { TRUST_PATH, assertGtin14, auditLedger } from "../../../../ledger-service/src/index.js";
import { assertSerial } from "../../../../ledger-service/src/gs1/serial.js";
import { validate } from "../../http/validate.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  verifyConfigSchema,
  batchListQuery,
  batchRangeQuery,
  batchSchema,
  bundleSchema,
  epcisDocumentSchema,
  inclusionProofSchema,
  ledgerAuditSchema,
  partParams,
  seqParams,
  seqRangeQuery,
  trustAnchorSchema,
} from "./ledger.schema.js";
import { z } from "zod";
import { responds } from "../../http/responds.js";

/**
 * Ledger endpoints: what an auditor or a verifying shop downloads (public), and the whole-ledger audit (operator).
 * Events are written by companies through /mint, /receipts and /installations.
 */
const PUBLIC = { public: "provenance is public by design: hashes, proofs and EPCIS events without personal data" };

/** gasUsed of each transaction (as a decimal string), null where unknown; one RPC call per hash, at most 2 s in all. */
async function gasOf(svc: LedgerService, hashes: (string | null)[]): Promise<(string | null)[]> {
  if (!hashes.some(Boolean)) return hashes.map(() => null);
  try {
    const { provider } = await svc.chain.get();
    const all = Promise.all(
      hashes.map(async (h) =>
        h
          ? provider.getTransactionReceipt(h).then(
              (r) => (r ? r.gasUsed.toString() : null),
              () => null,
            )
          : null,
      ),
    );
    const timeout = new Promise<null[]>((ok) => setTimeout(() => ok(hashes.map(() => null)), 2000).unref());
    return await Promise.race([all, timeout]);
  } catch {
    return hashes.map(() => null);
  }
}

export function ledgerRoutes(svc: LedgerService, usccOf: UsccLookup): RouteSpec[] {
  return [
    route(
      "get",
      TRUST_PATH,
      { public: "the trust anchor auditors pin: chain id, contract addresses, deployment block — no tenant data" },
      "The platform's trust anchor (pin it to verify bundles)",
      responds(trustAnchorSchema),
      async (_req, res) => {
        res.setHeader("Cache-Control", "public, max-age=60");
        res.json(await svc.trustAnchor());
      },
    ),

    route(
      "get",
      "/api/v1/verify/config",
      { public: "what a browser needs to verify a bundle itself: the chain's public RPC URL and where things are" },
      "Where an auditor's browser verifies: the chain's public RPC URL, the trust anchor and bundle paths",
      responds(verifyConfigSchema),
      (_req, res) => {
        const rpc = svc.publicRpc();
        res.setHeader("Cache-Control", "public, max-age=60");
        res.json({
          rpcUrl: rpc.rpcUrl,
          rpcSource: rpc.source,
          trust: TRUST_PATH,
          partBundle: "/api/v1/parts/{gtin}/{serial}/bundle",
        });
      },
    ),

    route(
      "get",
      "/api/v1/ledger/audit",
      { permission: "ledger:audit" },
      "Audit the whole ledger against the chain",
      responds(ledgerAuditSchema),
      async (_req, res) => {
        const chain = await svc.chain.get();
        res.json(await auditLedger({ db: svc.db.sql, anchorRegistry: chain.anchorRegistry, chainId: chain.chainId }));
      },
    ),

    route(
      "get",
      "/api/v1/ledger/batches",
      PUBLIC,
      "Latest sealed batches and their anchoring: lag from sealing to final (or until now), gas of the anchoring transaction",
      responds(z.object({ batches: z.array(batchSchema) })),
      validate({ query: batchListQuery }),
      async (_req, res) => {
        const { limit } = res.locals.query as { limit: number };
        const { rows } = await svc.db.sql.query<{ txHash: string | null; status: string }>(
          `SELECT id, first_seq AS "firstSeq", last_seq AS "lastSeq", event_count AS "eventCount", '0x' || encode(root, 'hex') AS root,
                status, tx_hash AS "txHash", block_number AS "blockNumber", sealed_at AS "sealedAt", attempts,
                round(extract(epoch FROM (CASE WHEN status = 'final' THEN updated_at ELSE now() END) - sealed_at)::numeric, 1)::float8
                  AS "lagSeconds"
           FROM ledger_batches ORDER BY id DESC LIMIT $1`,
          [limit],
        );
        // Gas is the chain's (public) receipt of each anchoring transaction; null while unmined or the chain is down.
        const gas = await gasOf(
          svc,
          rows.map((r) => r.txHash),
        );
        res.json({ batches: rows.map((r, i) => ({ ...r, gasUsed: gas[i] ?? null })) });
      },
    ),

    route(
      "get",
      "/api/v1/ledger/events/:seq/proof",
      PUBLIC,
      "Merkle inclusion proof of one event",
      responds(inclusionProofSchema),
      validate({ params: seqParams }),
      async (_req, res) => {
        res.json(await svc.proof((res.locals.params as { seq: number }).seq));
      },
    ),

    route(
      "get",
      "/api/v1/ledger/bundle",
      PUBLIC,
      "Audit bundle of a range of batches",
      responds(bundleSchema),
      validate({ query: batchRangeQuery }),
      async (_req, res) => {
        const { from, to } = res.locals.query as { from: number; to: number };
        res.json(await svc.bundleForBatches(from, to, usccOf));
      },
    ),

    route(
      "get",
      "/api/v1/ledger/epcis",
      PUBLIC,
      "Events from..to (seq) as a GS1 EPCIS 2.0 EPCISDocument",
      responds(epcisDocumentSchema, 200, { media: "application/ld+json" }),
      validate({ query: seqRangeQuery }),
      async (_req, res) => {
        const { from, to } = res.locals.query as { from: number; to: number };
        res.type("application/ld+json").json(await svc.epcisForRange(from, to));
      },
    ),

    route(
      "get",
      "/api/v1/parts/:gtin/:serial/epcis",
      PUBLIC,
      "One part's history as a GS1 EPCIS 2.0 EPCISDocument",
      responds(epcisDocumentSchema, 200, { media: "application/ld+json" }),
      validate({ params: partParams }),
      async (_req, res) => {
        const { gtin, serial } = res.locals.params as { gtin: string; serial: string };
        const doc = await svc.epcisForPart(assertGtin14(gtin, "gtin"), assertSerial(serial, "serial"));
        res.type("application/ld+json").json(doc);
      },
    ),

    route(
      "get",
      "/api/v1/parts/:gtin/:serial/bundle",
      PUBLIC,
      "Audit bundle of one part's history",
      responds(bundleSchema),
      validate({ params: partParams }),
      async (_req, res) => {
        const { gtin, serial } = res.locals.params as { gtin: string; serial: string };
        res.setHeader("Content-Disposition", `attachment; filename="partledger-${gtin}-${serial}.json"`);
        res.json(await svc.bundleForPart(assertGtin14(gtin, "gtin"), assertSerial(serial, "serial"), usccOf));
      },
    ),
  ];
}
