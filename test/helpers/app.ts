import type { Server } from "node:http";
import { expect } from "chai";
import { createApp } from "../../api/src/app.js";
import { usccCheckCharacter } from "../../api/src/modules/orgs/uscc.js";
import { shared } from "./shared.js";
import type { TestStack } from "./stack.js";

export const OPERATOR = "test-operator-token-0123456789abcdef";
export const PUBLIC_BASE = "https://pl.example.cn";
export const uscc = (first17: string) => first17 + usccCheckCharacter(first17);

/** The HTTP API on port 0 over a test stack, with a manufacturer, a distributor and two repair shops registered. */
export async function startApi(stack: TestStack, scanRatePerMinute = 10_000) {
  const app = createApp({ ledger: stack.svc, chainUrl: shared.chainUrl, operatorToken: OPERATOR, publicBaseUrl: PUBLIC_BASE, scanRatePerMinute, log: () => undefined });
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const call = async (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(origin + path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  const keys: Record<string, string> = {};
  const companies = [
    { key: "maker", name: "博世汽车部件(苏州)有限公司", uscc: uscc("91320505MA1MXXX0A"), kind: "manufacturer", regionCode: "320505", location: { lng: 120.57, lat: 31.3 } },
    { key: "dealer", name: "杭州汽配城经销商有限公司", uscc: uscc("91330104MA2B00001"), kind: "distributor", regionCode: "330104", location: { lng: 120.18, lat: 30.27 } },
    { key: "shop", name: "杭州西湖汽车修理厂", uscc: uscc("92330106MA2C00002"), kind: "repair_shop", regionCode: "330106", location: { lng: 120.13, lat: 30.26 } },
    { key: "farShop", name: "广州天河汽车维修中心", uscc: uscc("92440106MA5D00004"), kind: "repair_shop", regionCode: "440106", location: { lng: 113.36, lat: 23.12 } },
  ];
  for (const { key, ...c } of companies) {
    const r = await call("POST", "/api/v1/companies", OPERATOR, c);
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    keys[key] = r.json.apiKey;
  }
  /** Stops listening and writes the buffered scan log (before the stack's database closes). */
  const stop = async () => {
    server.close();
    await (app.locals.shutdown as () => Promise<void>)();
  };
  return { server, origin, call, keys, stop };
}
