import { z } from "zod";
import { validate } from "../../http/validate.js";
import { idempotencyKey } from "../../shared/idempotency.js";
import { auditContext, personOf, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  heldPartParams,
  heldPartResponse,
  heldSerialsResponse,
  movementBody,
  stockSchema,
  syncResponse,
  transferSchema,
  serialsQuery,
  stockQuery,
  stockSettingsBody,
  syncBody,
  syncLogQuery,
  syncLogResponse,
  transferDecisionBody,
  transferDecisionParams,
  transferParams,
  transfersQuery,
  warehouseBody,
  warehouseParams,
} from "./inventory.schema.js";
import type { InventoryService } from "./inventory.service.js";
import type { TransfersService } from "./transfers.service.js";
import type { Company } from "../orgs/orgs.service.js";
import { responds } from "../../http/responds.js";

/** The serialised parts of a SKU a company holds, from the ledger (parts module). */
export type HeldSerials = (
  company: Company,
  skuId: number,
  limit: number,
) => Promise<Array<{ gtin: string; serial: string; lot: string; stage: string }>>;

/** Whether a company holds one serialised part (commissioned or received, not shipped or installed). */
export type HeldPart = (company: Company, gtin: string, serial: string) => Promise<{ held: boolean }>;

export function inventoryRoutes(
  inventory: InventoryService,
  transfers: TransfersService,
  heldSerials: HeldSerials,
  heldPart: HeldPart,
): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/inventory/serials/:gtin/:serial",
      { permission: "inventory:view" },
      "Whether my company holds this serialised part now (not shipped, not installed) — what a carton scan checks",
      responds(heldPartResponse),
      validate({ params: heldPartParams }),
      async (_req, res) => {
        const { gtin, serial } = res.locals.params as z.infer<typeof heldPartParams>;
        const { held } = await heldPart(res.locals.company as Company, gtin, serial);
        res.json({ gtin, serial, held });
      },
    ),
    route(
      "get",
      "/api/v1/inventory/serials",
      { permission: "inventory:view" },
      "Serialised parts of a SKU my company holds, by serial, from the ledger's custody",
      responds(heldSerialsResponse),
      validate({ query: serialsQuery }),
      async (_req, res) => {
        const q = res.locals.query as z.infer<typeof serialsQuery>;
        const company = res.locals.company as Company;
        res.json({ skuId: q.skuId, serials: await heldSerials(company, q.skuId, q.limit) });
      },
    ),
    route(
      "get",
      "/api/v1/inventory/transfers",
      { permission: "inventory:view" },
      "Transfers between my warehouses (proposed, in transit, received, rejected)",
      responds(z.object({ transfers: z.array(transferSchema) })),
      validate({ query: transfersQuery }),
      async (_req, res) => {
        res.json({
          transfers: await transfers.list(
            principalOf(res),
            (res.locals.query as z.infer<typeof transfersQuery>).status ?? null,
          ),
        });
      },
    ),
    route(
      "post",
      "/api/v1/inventory/transfers/propose",
      { permission: "inventory:edit" },
      "Propose transfers for every SKU below its reorder point, from the nearest warehouses with surplus",
      responds(z.object({ proposed: z.array(transferSchema) })),
      async (_req, res) => {
        const p = principalOf(res);
        res.json({
          proposed: await transfers.propose(
            p.companyId ?? "",
            personOf(p, "propose a transfer (another person approves it)"),
          ),
        });
      },
    ),
    route(
      "post",
      "/api/v1/inventory/transfers/:id/receive",
      { permission: "inventory:edit" },
      "Receive a transfer at its destination: in transit becomes on hand; its serialised parts are received there on the ledger",
      responds(transferSchema),
      validate({ params: transferParams }),
      async (req, res) => {
        res.json(
          await transfers.decide(
            auditContext(req, res),
            principalOf(res),
            (res.locals.params as { id: string }).id,
            "receive",
            { company: res.locals.company as Company | undefined },
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/inventory/transfers/:id/:decision",
      { permission: "inventory:approve" },
      "Approve a proposed transfer (another person than its proposer): stock leaves into transit, with the serials in `parts` shipped on the ledger; or reject it",
      responds(transferSchema),
      validate({ params: transferDecisionParams, body: transferDecisionBody }),
      async (req, res) => {
        const { id, decision } = res.locals.params as z.infer<typeof transferDecisionParams>;
        const { parts } = res.locals.body as z.infer<typeof transferDecisionBody>;
        res.json(
          await transfers.decide(auditContext(req, res), principalOf(res), id, decision, {
            parts,
            company: res.locals.company as Company | undefined,
          }),
        );
      },
    ),
    route(
      "get",
      "/api/v1/inventory/stock",
      { permission: "inventory:view" },
      "My company's stock: on hand, reserved, available, in transit, pool settings",
      responds(z.object({ stock: z.array(stockSchema) })),
      validate({ query: stockQuery }),
      async (_req, res) => {
        res.json({ stock: await inventory.stock(principalOf(res), res.locals.query as z.infer<typeof stockQuery>) });
      },
    ),
    route(
      "post",
      "/api/v1/inventory/movements",
      { permission: "inventory:edit" },
      "Record a receipt, return or adjustment of stock; Idempotency-Key honoured",
      responds(stockSchema, 201),
      validate({ body: movementBody }),
      async (req, res) => {
        const reply = await inventory.record(
          auditContext(req, res),
          principalOf(res),
          res.locals.body as z.infer<typeof movementBody>,
          idempotencyKey(req.header("idempotency-key")),
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "post",
      "/api/v1/inventory/sync",
      { permission: "inventory:edit" },
      "ERP/WMS sync: set or adjust stock by your warehouse codes and brand + part numbers; idempotent by documentId; a result per line",
      responds(syncResponse),
      validate({ body: syncBody }),
      async (req, res) => {
        const reply = await inventory.sync(
          auditContext(req, res),
          principalOf(res),
          res.locals.body as z.infer<typeof syncBody>,
        );
        res.status(reply.status).json(reply.body);
      },
    ),
    route(
      "get",
      "/api/v1/inventory/sync",
      { permission: "inventory:view" },
      "The ERP sync log: past sync documents, newest first, each with its per-line results",
      responds(syncLogResponse),
      validate({ query: syncLogQuery }),
      async (_req, res) => {
        res.json({
          documents: await inventory.syncLog(
            principalOf(res),
            (res.locals.query as z.infer<typeof syncLogQuery>).limit,
          ),
        });
      },
    ),
    route(
      "patch",
      "/api/v1/inventory/stock",
      { permission: "inventory:configure" },
      "Put a SKU of a warehouse in the shared pool (with its price) or take it out; set its reorder point",
      responds(stockSchema),
      validate({ body: stockSettingsBody }),
      async (req, res) => {
        res.json(
          await inventory.configure(
            auditContext(req, res),
            principalOf(res),
            res.locals.body as z.infer<typeof stockSettingsBody>,
          ),
        );
      },
    ),
    route(
      "patch",
      "/api/v1/inventory/warehouses/:id",
      { permission: "inventory:configure" },
      "Let a warehouse join the shared pool, or leave it",
      responds(z.object({ id: z.string(), shared: z.boolean() })),
      validate({ params: warehouseParams, body: warehouseBody }),
      async (req, res) => {
        res.json(
          await inventory.shareLocation(
            auditContext(req, res),
            principalOf(res),
            (res.locals.params as { id: string }).id,
            (res.locals.body as { shared: boolean }).shared,
          ),
        );
      },
    ),
  ];
}
