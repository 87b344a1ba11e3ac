import express, { type Express } from "express";
import type { LedgerService } from "../../ledger-service/src/index.js";
import { AppError } from "../../ledger-service/src/index.js";
import { requireCompany } from "./http/company-auth.js";
import { cors, securityHeaders } from "./http/edges.js";
import { requireOperator } from "./http/operator-auth.js";
import { problemHandler, requestId, serverTiming } from "./http/problem.js";
import { rateLimit } from "./http/rate-limit.js";
import { labelsRoutes } from "./modules/labels/labels.routes.js";
import { LabelsService } from "./modules/labels/labels.service.js";
import { ledgerRoutes } from "./modules/ledger/ledger.routes.js";
import { OrgsRepository } from "./modules/orgs/orgs.repository.js";
import { orgsRoutes } from "./modules/orgs/orgs.routes.js";
import { OrgsService } from "./modules/orgs/orgs.service.js";
import { partsRoutes } from "./modules/parts/parts.routes.js";
import { PartsService } from "./modules/parts/parts.service.js";
import { verifyRoutes } from "./modules/verify/verify.routes.js";
import { VerifyService } from "./modules/verify/verify.service.js";
import { docsPage, openapi } from "./openapi/openapi.js";

export interface AppOptions {
  ledger: LedgerService;
  /** Bearer token of the platform operator, required by the write endpoints. */
  operatorToken: string;
  /** Scheme and host printed in label QR codes (where phones reach the verification page). */
  publicBaseUrl: string;
  /** Scans a minute per client on the public resolver (default 120). */
  scanRatePerMinute?: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
  chainUrl: string;
  log?: (line: string) => void;
}

/** The Express 5 application: /api/v1 and problem+json errors. */
export function createApp(opts: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(requestId);
  app.use(serverTiming);
  app.use(securityHeaders);
  app.use(cors(opts.corsOrigins ?? []));
  app.use(express.json({ limit: "2mb" }));

  app.get("/api/v1/health", async (_req, res) => {
    const ledger = await opts.ledger.status();
    let chain: Record<string, unknown>;
    try {
      const ref = await opts.ledger.chainRef();
      chain = { status: "up", url: opts.chainUrl, chainId: ref.chainId, ...ref.addresses };
    } catch (e) {
      chain = { status: "down", url: opts.chainUrl, detail: (e as Error).message.split("\n")[0] };
    }
    res.json({ status: "ok", database: opts.ledger.db.sql.engine, chain, ledger: { ...ledger, anchoring: ledger.pending > 0 ? "pending" : "up to date" } });
  });

  const orgs = new OrgsService(new OrgsRepository(opts.ledger.db.prisma), opts.ledger);
  const parts = new PartsService(opts.ledger);
  const labels = new LabelsService(opts.ledger, opts.publicBaseUrl);
  const verify = new VerifyService(opts.ledger, parts);
  const operator = requireOperator(opts.operatorToken);
  const as = (...kinds: Parameters<typeof requireCompany>[1][]) => requireCompany(orgs, ...kinds);

  app.get("/api/v1/openapi.json", (_req, res) => void res.json(openapi));
  app.get("/api/v1/docs", (_req, res) => void res.type("html").send(docsPage()));
  app.use("/api/v1", ledgerRoutes(opts.ledger, operator));
  app.use("/api/v1", orgsRoutes(orgs, operator, as()));
  app.use("/api/v1", partsRoutes(parts, as));
  app.use("/api/v1", labelsRoutes(labels, as("manufacturer")));
  app.use(verifyRoutes(verify, orgs, rateLimit(opts.scanRatePerMinute ?? 120)));
  /** Call before exiting: writes the buffered scan log. */
  app.locals.shutdown = () => verify.scans.flush();
  app.use((req) => {
    throw new AppError("HTTP.NOT_FOUND", `no route ${req.method} ${req.path}`, 404);
  });
  app.use(problemHandler(opts.log ?? ((l) => console.error(l))));
  return app;
}
