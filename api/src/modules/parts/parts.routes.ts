import { Router, type RequestHandler } from "express";
import { AppError } from "../../../../ledger-service/src/index.js";
import { validate } from "../../http/validate.js";
import type { Company } from "../orgs/orgs.service.js";
import { idempotencyKeyHeader, installationBody, mintBody, receiptBody, type InstallationBody, type MintBody, type ReceiptBody } from "./parts.schema.js";
import type { PartsService } from "./parts.service.js";

function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = idempotencyKeyHeader.safeParse(value);
  if (!parsed.success) throw new AppError("IDEMPOTENCY.INVALID_KEY", `Idempotency-Key: ${parsed.error.issues[0]!.message}`, 400, { field: "Idempotency-Key" });
  return parsed.data;
}

export function partsRoutes(parts: PartsService, as: (...kinds: Company["kind"][]) => RequestHandler): Router {
  const r = Router();

  r.post("/mint", as("manufacturer"), validate({ body: mintBody }), async (req, res) => {
    const reply = await parts.mint(res.locals.company as Company, res.locals.body as MintBody, idempotencyKey(req.header("idempotency-key")));
    res.status(reply.status).json(reply.body);
  });

  r.post("/receipts", as("distributor", "repair_shop"), validate({ body: receiptBody }), async (req, res) => {
    const reply = await parts.receive(res.locals.company as Company, res.locals.body as ReceiptBody, idempotencyKey(req.header("idempotency-key")));
    res.status(reply.status).json(reply.body);
  });

  r.post("/installations", as("repair_shop"), validate({ body: installationBody }), async (req, res) => {
    const reply = await parts.install(res.locals.company as Company, res.locals.body as InstallationBody, idempotencyKey(req.header("idempotency-key")));
    res.status(reply.status).json(reply.body);
  });

  return r;
}
