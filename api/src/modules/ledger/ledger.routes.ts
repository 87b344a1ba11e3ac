import { Router, type RequestHandler } from "express";
import type { z } from "zod";
import type { LedgerService } from "../../../../ledger-service/src/index.js";
import { Stage, assertGtin14, auditLedger } from "../../../../ledger-service/src/index.js";
import { assertSerial } from "../../../../ledger-service/src/gs1/serial.js";
import { validate } from "../../http/validate.js";
import { batchListQuery, batchRangeQuery, partParams, recordEventsBody, registerCompanyBody, seqParams } from "./ledger.schema.js";

const STEP = { commissioning: Stage.Commissioned, receiving: Stage.Received, installing: Stage.Installed } as const;

/**
 * Ledger endpoints. Reads are public: what an auditor or a verifying shop downloads. Writes take the platform
 * operator's token (`operator`) until companies authenticate with their own keys (identities issue).
 */
export function ledgerRoutes(svc: LedgerService, operator: RequestHandler): Router {
  const r = Router();

  r.post("/ledger/companies", operator, validate({ body: registerCompanyBody }), async (_req, res) => {
    const body = res.locals.body as z.infer<typeof registerCompanyBody>;
    res.status(201).json(await svc.registerCompany(body));
  });

  r.post("/ledger/events", operator, validate({ body: recordEventsBody }), async (_req, res) => {
    const b = res.locals.body as z.infer<typeof recordEventsBody>;
    const result = await svc.ledger.append(
      {
        actorId: b.actorId, step: STEP[b.step], parts: b.parts, place: b.place, vin: b.vin, salt: b.salt as `0x${string}` | undefined,
        eventTime: b.eventTime === undefined ? undefined : Date.parse(b.eventTime),
      },
      b.signature as `0x${string}` | undefined,
    );
    res.status(201).json(result);
  });

  r.get("/ledger/audit", operator, async (_req, res) => {
    const chain = await svc.chain.get();
    res.json(await auditLedger({ db: svc.db.sql, anchorRegistry: chain.anchorRegistry, chainId: chain.chainId }));
  });

  r.get("/ledger/batches", validate({ query: batchListQuery }), async (_req, res) => {
    const { limit } = res.locals.query as { limit: number };
    const { rows } = await svc.db.sql.query(
      `SELECT id, first_seq AS "firstSeq", last_seq AS "lastSeq", event_count AS "eventCount", '0x' || encode(root, 'hex') AS root,
              status, tx_hash AS "txHash", block_number AS "blockNumber", sealed_at AS "sealedAt"
         FROM ledger_batches ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    res.json({ batches: rows });
  });

  r.get("/ledger/events/:seq/proof", validate({ params: seqParams }), async (_req, res) => {
    res.json(await svc.proof((res.locals.params as { seq: number }).seq));
  });

  r.get("/ledger/bundle", validate({ query: batchRangeQuery }), async (_req, res) => {
    const { from, to } = res.locals.query as { from: number; to: number };
    res.json(await svc.bundleForBatches(from, to));
  });

  r.get("/parts/:gtin/:serial/bundle", validate({ params: partParams }), async (_req, res) => {
    const { gtin, serial } = res.locals.params as { gtin: string; serial: string };
    res.setHeader("Content-Disposition", `attachment; filename="partledger-${gtin}-${serial}.json"`);
    res.json(await svc.bundleForPart(assertGtin14(gtin, "gtin"), assertSerial(serial, "serial")));
  });

  return r;
}
