import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "../../../ledger-service/src/index.js";

/** The route pattern that answered (`/api/v1/orders/:id`), never the raw URL; `unmatched` for a 404 without one. */
export function routeOf(req: IncomingMessage): string {
  return (req as Request).route?.path ?? "unmatched";
}

/**
 * One JSON line per request when its response is finished (pino-http): method, URL, route pattern, status and time
 * (at `info`, or `error` for a 5xx: a refused request is the client's business, not an operator's),
 * under the request's id (`requestId`, the X-Request-Id the client sent or we made, the id in problem+json answers
 * and in the audit trail). `req.log` carries the same id for lines written while handling the request.
 * The handler's `logger` is that child: npm start raises its level while it seeds the demo world, so the first
 * screen a new user reads is the logins box, not two hundred request lines.
 */
export function requestLog(logger: Logger): RequestHandler & { logger: Logger } {
  const http = logger.child({ component: "http" });
  const handler = pinoHttp({
    logger: http,
    genReqId: (_req, res) => (res as unknown as Response).locals.requestId as string,
    customAttributeKeys: { reqId: "requestId", responseTime: "ms" },
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ method: req.method, url: req.originalUrl ?? req.url }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // The route is known only once routing is done: added to the finished line (customProps would run at the start
    // too and write the key twice).
    customSuccessObject: (req, _res, val: object) => ({ ...val, route: routeOf(req) }),
    customErrorObject: (req, _res, _err, val: object) => ({ ...val, route: routeOf(req) }),
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
  }) as unknown as RequestHandler;
  return Object.assign(handler, { logger: http });
}
