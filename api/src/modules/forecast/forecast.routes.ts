import { z } from "zod";
import { AppError } from "../../../../ledger-service/src/index.js";
import { responds } from "../../http/responds.js";
import { validate } from "../../http/validate.js";
import { auditContext, principalOf } from "../../security/principal.js";
import { route, type RouteSpec } from "../../security/routes.js";
import {
  actBody,
  actResponse,
  forecastQuery,
  forecastViewSchema,
  refitBody,
  refitResponse,
  regionalQuery,
  regionalResponse,
  replenishmentQuery,
  replenishmentResponse,
  seasonalBody,
  seasonalQuery,
  seasonalSchema,
  settingsBody,
  partClassBody,
  partClassResponse,
  settingsSchema,
} from "./forecast.schema.js";
import { forecastRepository } from "./forecast.repository.js";
import type { ForecastService } from "./forecast.service.js";
import type { ReplenishmentService } from "./replenishment.service.js";
import type { Sql } from "../../../../ledger-service/src/index.js";

/** Forecasts, regional demand, the seasonal calendar and replenishment (issue 14, DECISIONS 72). */
export function forecastRoutes(db: Sql, forecasts: ForecastService, replenishment: ReplenishmentService): RouteSpec[] {
  return [
    route(
      "get",
      "/api/v1/forecasts",
      { permission: "forecast:view" },
      "A SKU's demand in a scope (my warehouse; a city or province for a manufacturer's own products): history, the latest forecast with its quantiles, and the accuracy of earlier forecasts",
      responds(forecastViewSchema),
      validate({ query: forecastQuery }),
      async (req, res) => {
        res.json(
          await forecasts.view(
            auditContext(req, res),
            principalOf(res),
            res.locals.query as z.infer<typeof forecastQuery>,
          ),
        );
      },
    ),
    route(
      "post",
      "/api/v1/forecasts/refit",
      { permission: "forecast:edit" },
      "Fit and store forecasts now: my warehouses (default), or regions for my products (manufacturers) / any (platform)",
      responds(refitResponse),
      validate({ body: refitBody }),
      async (req, res) => {
        const p = principalOf(res);
        const b = res.locals.body as z.infer<typeof refitBody>;
        const scope = b.scope ?? "warehouse";
        let locations: string[] | null = null;
        let skuIds: number[] | null = b.skuIds ?? null;
        if (scope === "warehouse") {
          if (b.scopeId) {
            await forecasts.authorise(auditContext(req, res), p, "warehouse", b.scopeId, []);
            locations = [b.scopeId];
          } else if (p.companyId !== null) {
            locations = (await forecastRepository.warehouses(db, [p.companyId])).map((w) => w.id);
            if (!locations.length) throw new AppError("FORECAST.NO_WAREHOUSES", "scope: you have no warehouses", 409);
          }
        } else {
          if (b.scopeId !== undefined && !/^\d{6}$/.test(b.scopeId))
            throw new AppError("REQUEST.INVALID", `body.scopeId: a ${scope} is a 6-digit GB/T 2260 code`, 400, {
              field: "scopeId",
            });
          if (p.companyId !== null && !skuIds) skuIds = await forecastRepository.ownSkus(db, p.companyId);
          await forecasts.authorise(auditContext(req, res), p, scope, b.scopeId ?? "", skuIds ?? []);
        }
        res.json(
          await forecasts.refit({
            scopes: [scope],
            granularities: b.granularity === "both" ? ["day", "month"] : [b.granularity],
            locations,
            skuIds,
            scopeId: scope === "warehouse" ? undefined : b.scopeId,
          }),
        );
      },
    ),
    route(
      "get",
      "/api/v1/forecasts/regional",
      { permission: "regional_demand:view" },
      "Demand by province for a manufacturer's own SKUs or GTINs (the platform: any): monthly ordered units, unfilled, forecasts, searches that found nothing",
      responds(regionalResponse),
      validate({ query: regionalQuery }),
      async (_req, res) => {
        res.json(await forecasts.regional(principalOf(res), res.locals.query as z.infer<typeof regionalQuery>));
      },
    ),
    route(
      "get",
      "/api/v1/replenishment",
      { permission: "replenishment:view" },
      "Reorder points, order-up-to levels and proposals (transfer, buy, pre-stock) per SKU of my warehouses, most costly stock-out first",
      responds(replenishmentResponse),
      validate({ query: replenishmentQuery }),
      async (req, res) => {
        const q = res.locals.query as z.infer<typeof replenishmentQuery>;
        res.json(await replenishment.list(auditContext(req, res), principalOf(res), q.locationId));
      },
    ),
    route(
      "post",
      "/api/v1/replenishment/act",
      { permission: "replenishment:edit" },
      "Act on a proposal: propose the transfer (another person approves it), file the purchase for a second person's approval, or apply the computed reorder point",
      responds(actResponse),
      validate({ body: actBody }),
      async (req, res) => {
        res.json(
          await replenishment.act(auditContext(req, res), principalOf(res), res.locals.body as z.infer<typeof actBody>),
        );
      },
    ),
    route(
      "get",
      "/api/v1/replenishment/settings",
      { permission: "replenishment:view" },
      "My service levels per part class and lead time / review period in days",
      responds(settingsSchema),
      async (_req, res) => {
        res.json(await replenishment.settings(principalOf(res).companyId ?? ""));
      },
    ),
    route(
      "put",
      "/api/v1/replenishment/settings",
      { permission: "replenishment:configure" },
      "Set my service levels per part class and lead time / review period",
      responds(settingsSchema),
      validate({ body: settingsBody }),
      async (req, res) => {
        res.json(
          await replenishment.putSettings(
            auditContext(req, res),
            principalOf(res),
            res.locals.body as z.infer<typeof settingsBody>,
          ),
        );
      },
    ),
    route(
      "put",
      "/api/v1/replenishment/part-classes",
      { permission: "replenishment:configure" },
      "Set a SKU's part class for my replenishment (critical / normal / slow), or null to infer it again",
      responds(partClassResponse),
      validate({ body: partClassBody }),
      async (req, res) => {
        const b = res.locals.body as z.infer<typeof partClassBody>;
        res.json(await replenishment.putPartClass(auditContext(req, res), principalOf(res), b.skuId, b.partClass));
      },
    ),
    route(
      "get",
      "/api/v1/seasonal-factors",
      { permission: "seasonal_factor:view" },
      "The seasonal calendar: factors per part type, province and month, with their reasons (manual and learned)",
      responds(z.object({ factors: z.array(seasonalSchema) })),
      validate({ query: seasonalQuery }),
      async (_req, res) => {
        res.json({ factors: await forecasts.listSeasonal(res.locals.query as z.infer<typeof seasonalQuery>) });
      },
    ),
    route(
      "put",
      "/api/v1/seasonal-factors",
      { permission: "seasonal_factor:edit" },
      "Set a manual seasonal factor (part type × province or all × month) with its reason (audited)",
      responds(seasonalSchema),
      validate({ body: seasonalBody }),
      async (req, res) => {
        res.json(
          await forecasts.putSeasonal(
            auditContext(req, res),
            principalOf(res),
            res.locals.body as z.infer<typeof seasonalBody>,
          ),
        );
      },
    ),
  ];
}
