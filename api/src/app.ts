import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import express, { type Express } from "express";
import type { LedgerService } from "../../ledger-service/src/index.js";
import {
  AppError,
  Stage,
  logger as processLogger,
  openChannel,
  type Logger,
  type Sql,
} from "../../ledger-service/src/index.js";
import { consoleSite } from "./http/console.js";
import { cors, securityHeaders } from "./http/edges.js";
import { problemHandler, requestId, serverTiming } from "./http/problem.js";
import { databaseBuckets, memoryBuckets, rateLimit } from "./http/rate-limit.js";
import { requestLog } from "./http/request-log.js";
import { httpMetrics, metricsRegistry } from "./ops/metrics.js";
import { accessRoutes } from "./modules/access/access.routes.js";
import { AccessAdminService } from "./modules/access/access.service.js";
import { auditRoutes } from "./modules/audit/audit.routes.js";
import { dispatchRoutes } from "./modules/dispatch/dispatch.routes.js";
import { consentsRoutes } from "./modules/finance/consents.routes.js";
import { ConsentsService } from "./modules/finance/consents.service.js";
import { CreditService } from "./modules/finance/credit.service.js";
import { invoicesRoutes } from "./modules/finance/invoices.routes.js";
import { InvoicesService } from "./modules/finance/invoices.service.js";
import { loansRoutes } from "./modules/finance/loans.routes.js";
import { LoansService } from "./modules/finance/loans.service.js";
import { receiptsRoutes } from "./modules/finance/receipts.routes.js";
import { collateralRoutes } from "./modules/finance/collateral.routes.js";
import { enforcementsRoutes } from "./modules/finance/enforcements.routes.js";
import { EnforcementsService } from "./modules/finance/enforcements.service.js";
import { CollateralService } from "./modules/finance/collateral.service.js";
import { ReceiptsService } from "./modules/finance/receipts.service.js";
import { DispatchService } from "./modules/dispatch/dispatch.service.js";
import { catalogRoutes } from "./modules/catalog/catalog.routes.js";
import { CatalogImporter } from "./modules/catalog/import.service.js";
import { MatchService } from "./modules/catalog/match.service.js";
import { CatalogSkus } from "./modules/catalog/skus.service.js";
import { OffersService } from "./modules/catalog/offers.service.js";
import { SearchService } from "./modules/catalog/search.service.js";
import { inventoryRoutes } from "./modules/inventory/inventory.routes.js";
import { InventoryService } from "./modules/inventory/inventory.service.js";
import { TransfersService } from "./modules/inventory/transfers.service.js";
import { cockpitRoutes } from "./modules/cockpit/cockpit.routes.js";
import { CockpitService } from "./modules/cockpit/cockpit.service.js";
import { forecastRoutes } from "./modules/forecast/forecast.routes.js";
import { ForecastService } from "./modules/forecast/forecast.service.js";
import { ReplenishmentService } from "./modules/forecast/replenishment.service.js";
import { healthRoutes } from "./modules/health/health.routes.js";
import { HealthService } from "./modules/health/health.service.js";
import { labelsRoutes } from "./modules/labels/labels.routes.js";
import { webhooksRoutes } from "./modules/webhooks/webhooks.routes.js";
import { DEFAULT_WEBHOOK_OPTIONS, WebhooksService, type WebhookOptions } from "./modules/webhooks/webhooks.service.js";
import { LabelsService } from "./modules/labels/labels.service.js";
import { ledgerRoutes } from "./modules/ledger/ledger.routes.js";
import { ordersRoutes } from "./modules/orders/orders.routes.js";
import { recallsRoutes } from "./modules/recalls/recalls.routes.js";
import { RecallsService } from "./modules/recalls/recalls.service.js";
import { returnsRoutes } from "./modules/returns/returns.routes.js";
import { ReturnsService } from "./modules/returns/returns.service.js";
import { DirPhotoStore, type PhotoStore } from "./modules/returns/return-photos.js";
import { disputesRoutes } from "./modules/disputes/disputes.routes.js";
import { DisputesService } from "./modules/disputes/disputes.service.js";
import { rfqRoutes } from "./modules/rfq/rfq.routes.js";
import { promotionsRoutes } from "./modules/promotions/promotions.routes.js";
import { PromotionsService } from "./modules/promotions/promotions.service.js";
import { RfqService } from "./modules/rfq/rfq.service.js";
import { servicesRoutes } from "./modules/services/services.routes.js";
import { RentalsService } from "./modules/services/rentals.service.js";
import { ServicesService } from "./modules/services/services.service.js";
import { deliveriesRoutes } from "./modules/services/deliveries.routes.js";
import { DeliveriesService } from "./modules/services/deliveries.service.js";
import { OrdersService } from "./modules/orders/orders.service.js";
import { LicenceStore } from "./modules/onboarding/licence-store.js";
import { assertMayTrade } from "./modules/onboarding/onboarding-gate.js";
import { onboardingRoutes } from "./modules/onboarding/onboarding.routes.js";
import { OnboardingService } from "./modules/onboarding/onboarding.service.js";
import { OrgsRepository } from "./modules/orgs/orgs.repository.js";
import { orgsRoutes } from "./modules/orgs/orgs.routes.js";
import { OrgsService } from "./modules/orgs/orgs.service.js";
import { gs1Routes } from "./modules/gs1/gs1.routes.js";
import { Gs1Service } from "./modules/gs1/gs1.service.js";
import { InstallationsService } from "./modules/parts/installations.service.js";
import { partsRoutes } from "./modules/parts/parts.routes.js";
import { runsRoutes } from "./modules/parts/runs.routes.js";
import { RunsService } from "./modules/parts/runs.service.js";
import { PartsService } from "./modules/parts/parts.service.js";
import { supportLookups } from "./modules/support/lookups.js";
import { supportRoutes } from "./modules/support/support.routes.js";
import { ScanSupportService } from "./modules/support/scan-support.service.js";
import { SupportService } from "./modules/support/support.service.js";
import { usersRoutes } from "./modules/users/users.routes.js";
import { UsersService } from "./modules/users/users.service.js";
import { reportsRoutes } from "./modules/verify/reports.routes.js";
import { scanSupportRoutes } from "./modules/verify/scan-support.routes.js";
import { ReportsService } from "./modules/verify/reports.service.js";
import { verifyRoutes } from "./modules/verify/verify.routes.js";
import { VerifyService } from "./modules/verify/verify.service.js";
import { docsPage, openapiFrom } from "./openapi/openapi.js";
import { raw, responds } from "./http/responds.js";
import { z } from "zod";
import { AccessService } from "./security/access.js";
import { assertEveryRouteDeclared, mountRoutes, route, type RouteSpec } from "./security/routes.js";

export interface SecurityOptions {
  sessionTtlMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRatePerMinute: number;
  apiRatePerMinute: number;
}

export interface AppOptions {
  ledger: LedgerService;
  /** Bearer token of the platform operator (the platform_operator role, for bootstrapping and automation). */
  operatorToken: string;
  /** Scheme and host printed in label QR codes (where phones reach the verification page). */
  publicBaseUrl: string;
  /** Scans a minute per client on the public resolver (default 120). */
  scanRatePerMinute?: number;
  /** Licence uploads and self-registrations a minute per client (default 30). */
  registrationRatePerMinute?: number;
  /** Counterfeit reports a minute per client from the scan page (default 20). */
  reportRatePerMinute?: number;
  /** Questions to the scan page's support assistant a minute per client (default 20). */
  supportRatePerMinute?: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
  security?: Partial<SecurityOptions>;
  chainUrl: string;
  /** The console's build to serve at /console (default api/web/dist). */
  consoleDist?: string;
  /** Where request and worker lines go (default: the process's logger, see configureLogging). */
  logger?: Logger;
  /** Webhook delivery: retry backoff, attempts, timeout, and how often the dispatcher looks (0: never by itself). */
  webhooks?: Partial<WebhookOptions> & { intervalMs?: number };
  /** How often warehouses whose stock went down are checked against reorder points (0: only on request). */
  transferCheckMs?: number;
  /** How often every forecast is re-fitted and the seasonal calendar re-learned (0: only on request; default 6 h). */
  forecastRefitMs?: number;
  /** How often the cockpit's rollups are brought up to date (0: only on request; default 5 min). */
  cockpitRefreshMs?: number;
  /** How often pledged collateral is valued for margin calls (0: only when read; default 5 min). */
  collateralCheckMs?: number;
  /**
   * Check every JSON answer below 400 against the schema its route declares with `responds` (a mismatch answers 500
   * naming the route and field). On in the test helpers; off by default (it costs a parse of every answer).
   */
  checkResponses?: boolean;
  /**
   * Where returns' photos are kept — a store (e.g. an S3-compatible bucket, RETURN_PHOTOS_S3_URL) or a directory
   * (RETURN_PHOTOS_DIR) — and how large one may be (RETURN_PHOTO_MAX_BYTES).
   */
  returnPhotos?: { store?: PhotoStore; dir?: string; maxBytes?: number };
}

const DEFAULT_SECURITY: SecurityOptions = {
  sessionTtlMinutes: 480,
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  loginRatePerMinute: 20,
  apiRatePerMinute: 6000,
};

/** Every route of the product, each with its declared access; also what the permission table in docs/ is made from. */
export function buildRoutes(opts: AppOptions, services: ReturnType<typeof buildServices>): RouteSpec[] {
  const s = services;
  const PUBLIC = { public: "service description" };
  return [
    ...healthRoutes(s.health),
    route(
      "get",
      "/api/v1/openapi.json",
      PUBLIC,
      "OpenAPI 3.1 description",
      responds(z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })),
      (req, res) => void res.json(openapiFrom(req.app.locals.routes as RouteSpec[])),
    ),
    route(
      "get",
      "/api/v1/docs",
      PUBLIC,
      "API documentation page",
      responds(raw("text/html")),
      (req, res) => void res.type("html").send(docsPage(openapiFrom(req.app.locals.routes as RouteSpec[]))),
    ),
    ...usersRoutes(s.users, rateLimit(s.security.loginRatePerMinute, "login attempts", undefined, s.buckets)),
    ...accessRoutes(s.accessAdmin),
    ...orgsRoutes(s.orgs),
    ...onboardingRoutes(
      s.onboarding,
      rateLimit(opts.registrationRatePerMinute ?? 30, "registrations", undefined, s.buckets),
    ),
    ...gs1Routes(s.gs1),
    ...partsRoutes(s.parts, s.installations),
    ...runsRoutes(s.runs),
    ...dispatchRoutes(s.dispatches),
    ...labelsRoutes(s.labels),
    ...ledgerRoutes(opts.ledger, (ids) => s.orgs.usccOf(ids)),
    ...auditRoutes(opts.ledger),
    ...catalogRoutes(opts.ledger.db.sql, s.search, s.offers, s.importer, s.matches),
    ...inventoryRoutes(
      s.inventory,
      s.transfers,
      (company, skuId, limit) => s.parts.heldSerials(company, skuId, limit),
      (company, gtin, serial) => s.parts.heldPart(company, gtin, serial),
    ),
    ...ordersRoutes(s.orders),
    ...returnsRoutes(s.returns),
    ...disputesRoutes(s.disputes),
    ...recallsRoutes(s.recalls),
    ...receiptsRoutes(s.receipts),
    ...collateralRoutes(s.collateral),
    ...enforcementsRoutes(s.enforcements),
    ...consentsRoutes(s.consents),
    ...invoicesRoutes(s.invoices),
    ...loansRoutes(s.loans),
    ...rfqRoutes(s.rfqs),
    ...promotionsRoutes(s.promotions),
    ...servicesRoutes(s.services, s.rentals),
    ...deliveriesRoutes(s.deliveries),
    ...forecastRoutes(opts.ledger.db.sql, s.forecasts, s.replenishment),
    ...cockpitRoutes(opts.ledger.db.sql, s.cockpit),
    ...webhooksRoutes(s.webhooks),
    ...verifyRoutes(
      s.verify,
      s.orgs,
      s.access,
      rateLimit(opts.scanRatePerMinute ?? 120, "scans"),
      (label, client) => s.reports.pageToken(label, client),
      (label) => s.scanSupport.pageToken(label),
    ),
    ...reportsRoutes(s.reports, rateLimit(opts.reportRatePerMinute ?? 20, "counterfeit reports")),
    ...supportRoutes(s.support),
    ...scanSupportRoutes(s.scanSupport, rateLimit(opts.supportRatePerMinute ?? 20, "support questions")),
  ];
}

export function buildServices(opts: AppOptions) {
  const security = { ...DEFAULT_SECURITY, ...opts.security };
  const db = opts.ledger.db.sql;
  // Login and per-credential limits hold across every API process on a PostgreSQL server (DECISIONS NN).
  const buckets = db.engine === "postgresql" ? databaseBuckets(db) : memoryBuckets();
  const access = new AccessService(db, opts.operatorToken, openChannel(db, "partledger_credentials"));
  const users = new UsersService(db, opts.ledger.vault, access, {
    sessionTtlMinutes: security.sessionTtlMinutes,
    maxFailures: security.loginMaxFailures,
    lockMinutes: security.loginLockMinutes,
  });
  const orgs = new OrgsService(new OrgsRepository(opts.ledger.db.prisma), opts.ledger, users);
  // Licence scans live under DATA_DIR/uploads/licences (DECISIONS 98).
  const licences = new LicenceStore(() => resolve(opts.ledger.config.DATA_DIR));
  const skus = new CatalogSkus();
  const matches = new MatchService(db);
  const gs1 = new Gs1Service(db);
  const parts = new PartsService(opts.ledger, gs1, skus);
  const webhooks = new WebhooksService(db, opts.ledger.vault, { ...DEFAULT_WEBHOOK_OPTIONS, ...opts.webhooks });
  const dispatches = new DispatchService(opts.ledger, orgs, webhooks, gs1, opts.publicBaseUrl);
  // A carton received part by part (POST /receipts) is received when its last part is.
  parts.onReceipt((tx, ctx, company, received, r) => dispatches.completeByParts(tx, ctx, company, received, r));
  const transfers = new TransfersService(db, opts.ledger, (gtins) => parts.skusOf(gtins));
  const inventory = new InventoryService(db, skus, webhooks, transfers);
  const search = new SearchService(db);
  const forecasts = new ForecastService(db);
  const replenishment = new ReplenishmentService(db, transfers, inventory, users);
  const recalls = new RecallsService(
    db,
    webhooks,
    (gtin) => gs1.ownerOf(gtin),
    async (gtin) => (await parts.skusOf([gtin])).get(gtin) ?? null,
  );
  const promotions = new PromotionsService(db);
  const promoted = (shopId: string | null, skuIds: number[]) => promotions.visibleTo(shopId, skuIds);
  const orders = new OrdersService(
    db,
    inventory,
    skus,
    webhooks,
    opts.ledger,
    (gtins) => parts.skusOf(gtins),
    recalls,
    promoted,
    // Credit limits on 月结 terms (DECISIONS 112); `invoices` is built below, before any order is placed.
    (tx: Sql, buyerId: string, bySeller: ReadonlyMap<string, number>): Promise<void> =>
      invoices.assertWithinCredit(tx, buyerId, bySeller),
  );
  const offers = new OffersService(db, (skuIds, box, buyerId) => inventory.poolNear(skuIds, box, buyerId), promoted);
  const photos = {
    store:
      opts.returnPhotos?.store ??
      new DirPhotoStore(opts.returnPhotos?.dir ?? join(tmpdir(), "partledger-return-photos")),
    maxBytes: opts.returnPhotos?.maxBytes ?? 5 * 1024 * 1024,
  };
  const returns = new ReturnsService(db, orders, inventory, webhooks, opts.ledger, (id) => orgs.get(id), photos);
  const disputes = new DisputesService(db, returns, users, webhooks);
  const installations = new InstallationsService(db, opts.ledger.vault);
  const verify = new VerifyService(opts.ledger, parts, (gtin) => gs1.ownerOf(gtin));
  const support = new SupportService(
    db,
    supportLookups({
      orders,
      installations,
      returns,
      ledger: opts.ledger,
      companyAddress: async (id) => (await orgs.get(id)).address,
    }),
    opts.ledger.vault,
  );
  const scanSupport = new ScanSupportService(db, opts.ledger.vault, support);
  const reports = new ReportsService(db, opts.ledger.vault, (gtin) => gs1.ownerOf(gtin), verify);
  const credit = new CreditService(db, {
    deliveredAsSeller: (id, days) => orders.deliveredAsSeller(id, days),
    receivedParts: (company, days) => parts.receivedParts(company, days),
    confirmedCounterfeits: () => reports.confirmedParts(),
    handledBy: (company, list) => parts.handledBy(company, list),
  });
  const consents = new ConsentsService(db, orgs, credit);
  const receipts = new ReceiptsService(db, {
    location: (id) => inventory.location(id),
    lockUnits: (tx, companyId, locationId, rows, ref) => inventory.lockUnits(tx, companyId, locationId, rows, ref),
    skusOf: (gtins) => parts.skusOf(gtins),
    lockHeld: (tx, company, list) => parts.lockHeld(tx, company, list),
    lender: (id) => consents.lender(id),
    regionOf: async (id) => (await orgs.get(id)).regionCode,
    onLedger: async ({ actorId, ...entry }, work) => {
      // The platform's own actor (the anchorer's key) signs a release the platform makes.
      const actor = actorId ?? (await opts.ledger.actors.platform()).id;
      await opts.ledger.ledger.append({ ...entry, actorId: actor }, { within: work });
    },
    partBundle: (gtin, serial) => opts.ledger.bundleForPart(gtin, serial, (ids) => orgs.usccOf(ids)),
    addressOf: async (id) => (await orgs.get(id)).address,
    platformSigns: async (id) => (await opts.ledger.actors.signerFor(id)) !== null,
  });
  // Enforcement: the lender's nominee takes the goods (DECISIONS 112); the borrower's kept key signs the shipment.
  const enforcements = new EnforcementsService(db, receipts, webhooks, {
    company: (id) => orgs.get(id),
    location: (id) => inventory.location(id),
    transferStock: (tx, from, to, rows, ref) => inventory.enforceTransfer(tx, from, to, rows, ref),
    platformSigns: async (id) => (await opts.ledger.actors.signerFor(id)) !== null,
    shipOnLedger: async (entry, work) => {
      await opts.ledger.ledger.append({ ...entry, step: Stage.Shipped }, { within: work });
    },
  });
  const invoices = new InvoicesService(db, (id) => orders.forBilling(id));
  const loans = new LoansService(db, {
    order: (tx, id, lock) => orders.forFinance(tx, id, lock),
    payInvoice: (tx, ctx, id, fen, ref, on, by) => invoices.record(tx, ctx, id, fen, ref, on, by),
  });
  // A payment on a financed invoice pays its lender first (the settlement waterfall).
  invoices.onPayment((tx, ctx, id, fen, on, ref, by) => loans.settle(tx, ctx, id, fen, on, ref, by));
  // An order's loans follow its invoice and its cancellation (DECISIONS 116).
  invoices.onIssue((tx, ctx, inv) => loans.invoiced(tx, ctx, inv));
  orders.onCancel((tx, ctx, id) => loans.orderCancelled(tx, ctx, id));
  return {
    support,
    scanSupport,
    returns,
    disputes,
    loans,
    recalls,
    inventory,
    receipts,
    enforcements,
    collateral: new CollateralService(db, webhooks),
    consents,
    invoices,
    forecasts,
    cockpit: new CockpitService(db),
    replenishment,
    webhooks,
    transfers,
    orders,
    search,
    offers,
    rfqs: new RfqService(db, search, offers, orders, webhooks),
    promotions,
    // A settled service is billed in finance in the settlement's transaction (DECISIONS 114).
    services: new ServicesService(db, (tx, ctx, bill) => invoices.billService(tx, ctx, bill)),
    rentals: new RentalsService(db, (tx, ctx, bill) => invoices.billService(tx, ctx, bill)),
    // Deliveries of an order's shipment (DECISIONS 115): the warehouse, the buyer and the allocation's distance.
    deliveries: new DeliveriesService(
      db,
      (tx, ctx, bill) => invoices.billService(tx, ctx, bill),
      async (orderId, locationId) => {
        const found = await orders.forBilling(orderId);
        const from = found?.allocations.filter((a) => a.locationId === locationId) ?? [];
        const place = from.length ? await inventory.place(locationId) : null;
        if (!found || !place) return null;
        const buyer = await orgs.get(found.order.buyerId);
        return {
          orderStatus: found.order.status,
          buyerId: buyer.id,
          buyerName: buyer.name,
          buyerRegion: buyer.regionCode,
          sellerId: from[0]!.sellerId,
          pickup: { name: place.name, regionCode: place.regionCode },
          drop: found.order.shipTo,
          distanceM: from[0]!.distanceM,
        };
      },
      (companyId, statuses, limit, offset) => orders.shipmentsFor(companyId, statuses, limit, offset),
      async (orderId) => {
        const found = await orders.forBilling(orderId);
        return found ? [found.order.buyerId, ...found.allocations.map((a) => a.sellerId)] : [];
      },
    ),
    importer: new CatalogImporter(db, {
      onFitments: () => search.invalidate(),
      onSkus: () => search.invalidate(),
      matchSkus: (ctx) => matches.matchPending(ctx),
      gtinOwners: (gtins) => gs1.ownersOf(gtins),
    }),
    matches,
    security,
    buckets,
    access,
    users,
    orgs,
    onboarding: new OnboardingService(db, orgs, users, licences),
    parts,
    runs: new RunsService(db),
    gs1,
    dispatches,
    accessAdmin: new AccessAdminService(db, access, users),
    installations,
    labels: new LabelsService(opts.ledger, opts.publicBaseUrl),
    verify,
    reports,
    health: new HealthService(opts.ledger, webhooks),
  };
}

/** The Express 5 application: /api/v1, the resolver, problem+json errors. Refuses to build with an undeclared route. */
export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  const logger = opts.logger ?? processLogger();
  app.use(requestId);
  const httpLog = requestLog(logger);
  app.locals.httpLogger = httpLog.logger;
  app.use(httpLog);
  app.use(httpMetrics);
  app.use(serverTiming);
  app.use(securityHeaders);
  app.use(cors(opts.corsOrigins ?? []));
  app.use(express.json({ limit: "2mb" }));
  // The scan page's report and assistant forms post without script (application/x-www-form-urlencoded); no other
  // route takes forms.
  app.use("/api/v1/counterfeit-reports", express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }));
  app.use("/api/v1/scan-support", express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }));

  app.locals.checkResponses = opts.checkResponses ?? false;
  const services = buildServices(opts);
  const perPrincipal = rateLimit(services.security.apiRatePerMinute, "requests", undefined, services.buckets);
  mountRoutes(app, buildRoutes(opts, services), {
    access: services.access,
    perPrincipal,
    onPrincipal: async (p, res, access) => {
      if (!p.companyId) return;
      const company = await services.orgs.get(p.companyId);
      res.locals.company = company;
      // A self-registered company trades only once two of the platform approved it (DECISIONS 98).
      assertMayTrade(company, access);
    },
  });
  assertEveryRouteDeclared(app);
  /** Call before exiting: writes the buffered scan log. */
  app.locals.shutdown = async () => {
    await services.webhooks.stop();
    services.transfers.stop();
    services.forecasts.stop();
    services.cockpit.stop();
    services.collateral.stop();
    await services.verify.scans.flush();
    await services.access.close();
  };
  const every = opts.webhooks?.intervalMs ?? 1000;
  if (every > 0) services.webhooks.start(every);
  if ((opts.transferCheckMs ?? 2000) > 0) services.transfers.start(opts.transferCheckMs ?? 2000);
  const refitEvery = opts.forecastRefitMs ?? 6 * 3_600_000;
  if (refitEvery > 0) services.forecasts.start(refitEvery);
  const cockpitEvery = opts.cockpitRefreshMs ?? 5 * 60_000;
  if (cockpitEvery > 0) services.cockpit.start(cockpitEvery);
  const collateralEvery = opts.collateralCheckMs ?? 5 * 60_000;
  if (collateralEvery > 0) services.collateral.start(collateralEvery);
  /** The Prometheus registry `serveMetrics` publishes (METRICS_PORT). */
  app.locals.metrics = metricsRegistry(opts.ledger.db.sql);
  /** The services behind the routes, for tests and benchmarks that drive them directly. */
  app.locals.services = services;
  app.use("/console", consoleSite(opts.consoleDist, opts.ledger.publicRpc().rpcUrl));
  app.use((req) => {
    throw new AppError("HTTP.NOT_FOUND", `no route ${req.method} ${req.path}`, 404);
  });
  app.use(problemHandler(logger));
  return app;
}
