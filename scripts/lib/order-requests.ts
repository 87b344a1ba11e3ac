/**
 * The order requests of `npm run bench:orders`' load processes (closed loop: load-orders.ts, open loop:
 * load-orders-open.ts): a random order of 1-3 SKUs × 1-5, and a POST over node:http with keep-alive connections
 * (fetch's streams cost the load process several times as much per request).
 */
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";

export interface OrderLoadConfig {
  origin: string;
  keys: string[];
  skus: number[];
}

export interface OrderReply {
  status: number;
  serverTiming: string;
}

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;

/** A poster of random orders as random shops, each with a fresh Idempotency-Key, over at most `maxSockets`. */
export function orderPoster(
  cfg: OrderLoadConfig,
  maxSockets: number,
): { post(extra?: Record<string, string>): Promise<OrderReply>; close(): void } {
  const origin = new URL(cfg.origin);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const post = (extra: Record<string, string> = {}): Promise<OrderReply> => {
    const skus = new Set<number>();
    const n = 1 + Math.floor(Math.random() * 3);
    while (skus.size < n) skus.add(pick(cfg.skus));
    const lines = [...skus].map((skuId) => ({ skuId, quantity: 1 + Math.floor(Math.random() * 5) }));
    const body = JSON.stringify({ lines, urgent: Math.random() < 0.2 });
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${pick(cfg.keys)}`,
      "idempotency-key": `bench-${randomBytes(12).toString("hex")}`,
      "content-length": Buffer.byteLength(body),
      ...extra,
    };
    return new Promise((resolve, reject) => {
      const req = request(
        { host: origin.hostname, port: origin.port, path: "/api/v1/orders", method: "POST", agent, headers },
        (res) => {
          res.on("data", () => undefined);
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, serverTiming: String(res.headers["server-timing"] ?? "") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  };
  return { post, close: () => agent.destroy() };
}

/** The server's own duration from a Server-Timing header (`…;dur=12.3`), if it names one. */
export function serverDuration(serverTiming: string): number | undefined {
  const dur = /dur=([\d.]+)/.exec(serverTiming)?.[1];
  return dur === undefined ? undefined : Number(dur);
}
