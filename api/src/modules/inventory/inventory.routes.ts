import type { z } from "zod";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import { movementBody, stockQuery, stockSettingsBody, syncBody, warehouseBody, warehouseParams } from "./inventory.schema.js";
import type { InventoryService } from "./inventory.service.js";

export function inventoryRoutes(inventory: InventoryService): RouteSpec[] {
  return [
    route("get", "/api/v1/inventory/stock", { permission: "inventory:view" }, "My company's stock: on hand, reserved, available, in transit, pool settings", validate({ query: stockQuery }), async (_req, res) => {
      res.json({ stock: await inventory.stock(principalOf(res), res.locals.query as z.infer<typeof stockQuery>) });
    }),
    route("post", "/api/v1/inventory/movements", { permission: "inventory:edit" }, "Record a receipt, return or adjustment of stock", validate({ body: movementBody }), async (req, res) => {
      res.status(201).json(await inventory.record(auditContext(req, res), principalOf(res), res.locals.body as z.infer<typeof movementBody>));
    }),
    route("post", "/api/v1/inventory/sync", { permission: "inventory:edit" }, "ERP/WMS sync: set or adjust stock by your warehouse codes and brand + part numbers; idempotent by documentId; a result per line", validate({ body: syncBody }), async (req, res) => {
      const reply = await inventory.sync(auditContext(req, res), principalOf(res), res.locals.body as z.infer<typeof syncBody>);
      res.status(reply.status).json(reply.body);
    }),
    route("patch", "/api/v1/inventory/stock", { permission: "inventory:configure" }, "Put a SKU of a warehouse in the shared pool (with its price) or take it out; set its reorder point", validate({ body: stockSettingsBody }), async (req, res) => {
      res.json(await inventory.configure(auditContext(req, res), principalOf(res), res.locals.body as z.infer<typeof stockSettingsBody>));
    }),
    route("patch", "/api/v1/inventory/warehouses/:id", { permission: "inventory:configure" }, "Let a warehouse join the shared pool, or leave it", validate({ params: warehouseParams, body: warehouseBody }), async (req, res) => {
      res.json(await inventory.shareLocation(auditContext(req, res), principalOf(res), (res.locals.params as { id: string }).id, (res.locals.body as { shared: boolean }).shared));
    }),
  ];
}
