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

/**
 * Idle keep-alive connections stay open 65 s (headers within 66 s), longer than the idle timeout of the clients and
 * load balancers in front (undici/fetch: the server's hint minus 2 s, nginx 60 s, cloud balancers 60 s). With Node's
 * default of 5 s, a busy event loop lets the server close an idle socket while the client reuses it: ECONNRESET.
 */
export function keepConnections(server: Server): Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

/** Listens with `app`: HTTPS restricted to TLS 1.3 when a certificate is configured, HTTP otherwise. */
export function listen(app: Express, opts: ListenOptions): Promise<Server> {
  const server: Server = opts.tls
    ? createHttps(
        {
          cert: readFileSync(opts.tls.certFile),
          key: readFileSync(opts.tls.keyFile),
          minVersion: "TLSv1.3",
          maxVersion: "TLSv1.3",
        },
        app,
      )
    : createHttp(app);
  keepConnections(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve(server));
  });
}
