import { randomUUID } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, isAppError, type Logger } from "../../../ledger-service/src/index.js";

/** Every request gets an id (echoed as X-Request-Id) so a 500 in the log can be found from the client's side. */
export const requestId: RequestHandler = (req, res, next) => {
  const id = (req.header("x-request-id") ?? randomUUID()).slice(0, 64);
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};

/** `Server-Timing: app;dur=<ms>` on every response: the time spent in this server, for clients and benchmarks. */
export const serverTiming: RequestHandler = (_req, res, next) => {
  const started = process.hrtime.bigint();
  const write = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof write>) {
    if (!res.headersSent)
      res.setHeader("Server-Timing", `app;dur=${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(2)}`);
    return write.apply(this, args);
  } as typeof write;
  next();
};

/** AppError → RFC 9457 application/problem+json; anything else → a 500 without internals, logged with the id. */
/**
 * The database's own refusals that a caller can act on, as AppErrors: a locked serial's shipment or installation (the
 * ledger_parts trigger, SQLSTATE PLLCK) and a stock change that would take units a warehouse receipt locks (the
 * stock_locked_within CHECK) — both the last line of DECISIONS 75's locks, behind each module's own checks.
 */
export function databaseRefusal(err: unknown): AppError | null {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code === "PLLCK")
    return new AppError("RECEIPT.PART_LOCKED", (e.message ?? "").replace(/^RECEIPT\.PART_LOCKED: /, ""), 409, {
      field: "parts",
    });
  if (e?.code === "23514" && e.constraint === "stock_locked_within")
    return new AppError(
      "INVENTORY.LOCKED_BY_RECEIPT",
      "the change would take stock that a warehouse receipt locks (it moves only after the receipt is released)",
      409,
    );
  return null;
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, _next) => {
    const id = res.locals.requestId as string;
    const err = databaseRefusal(thrown) ?? thrown;
    if (isAppError(err)) {
      if (typeof err.details?.retryAfter === "number") res.setHeader("Retry-After", String(err.details.retryAfter));
      res
        .status(err.status)
        .type("application/problem+json")
        .json({
          type: `https://partledger.cn/problems/${err.code.toLowerCase().replace(/\./g, "-")}`,
          title: err.code,
          status: err.status,
          detail: err.message,
          instance: req.originalUrl,
          code: err.code,
          ...err.details,
          requestId: id,
        });
      return;
    }
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500)
      (req.log ?? logger).error({ err, requestId: id }, `${req.method} ${req.originalUrl}: unhandled error`);
    // Errors from the body parser (too large, malformed JSON) say what was wrong without echoing internals.
    const code =
      status === 500
        ? "INTERNAL"
        : status === 413
          ? "HTTP.PAYLOAD_TOO_LARGE"
          : err?.type === "entity.parse.failed"
            ? "HTTP.MALFORMED_JSON"
            : "HTTP.BAD_REQUEST";
    const detail =
      status === 500
        ? `internal error; quote request id ${id}`
        : status === 413
          ? "the request body is larger than the 2 MB this API accepts"
          : code === "HTTP.MALFORMED_JSON"
            ? "the request body is not valid JSON"
            : "bad request";
    res.status(status).type("application/problem+json").json({ title: code, status, code, detail, requestId: id });
  };
}
