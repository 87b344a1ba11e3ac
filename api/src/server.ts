import { readFileSync } from "node:fs";
import { createServer as createHttp, type Server } from "node:http";
import { createServer as createHttps } from "node:https";
import type { Express } from "express";

export interface ListenOptions {
  port: number;
  host?: string;
  /** PEM certificate chain and private key: serve HTTPS with TLS 1.3 only. Absent: plain HTTP (behind a proxy). */
  tls?: { certFile: string; keyFile: string } | undefined;
}

/** Listens with `app`: HTTPS restricted to TLS 1.3 when a certificate is configured, HTTP otherwise. */
export function listen(app: Express, opts: ListenOptions): Promise<Server> {
  const server: Server = opts.tls
    ? createHttps({ cert: readFileSync(opts.tls.certFile), key: readFileSync(opts.tls.keyFile), minVersion: "TLSv1.3", maxVersion: "TLSv1.3" }, app)
    : createHttp(app);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve(server));
  });
}
