import type { Server } from "node:http";
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { createApp, type AppOptions } from "../../api/src/app.js";
import { usccCheckCharacter } from "../../api/src/modules/orgs/uscc.js";
import { keepConnections } from "../../api/src/server.js";
import { shared } from "./shared.js";
import type { TestStack } from "./stack.js";

export const OPERATOR = "test-operator-token-0123456789abcdef";
export const PUBLIC_BASE = "https://pl.example.cn";
export const uscc = (first17: string) => first17 + usccCheckCharacter(first17);
export const randomMobile = (prefix = "139") => `${prefix}${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;

/** The HTTP API on port 0 over a test stack, with a manufacturer, a distributor and two repair shops registered. */
export async function startApi(
  stack: TestStack,
  scanRatePerMinute = 10_000,
  security: AppOptions["security"] = {},
  extra: Partial<AppOptions> = {},
) {
  const app = createApp({
    ledger: stack.svc,
    chainUrl: shared.chainUrl,
    operatorToken: OPERATOR,
    publicBaseUrl: PUBLIC_BASE,
    scanRatePerMinute,
    security,
    checkResponses: true,
    // Forecasts are re-fitted on request in tests (POST /forecasts/refit), never by the timer.
    forecastRefitMs: 0,
    // The cockpit's rollups likewise (POST /cockpit/refresh).
    cockpitRefreshMs: 0,
    ...extra,
  });
  const server: Server = keepConnections(app.listen(0, "127.0.0.1"));
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const call = async (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(origin + path, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Record<string, any>;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { text };
    }
    return { status: res.status, json, headers: res.headers };
  };
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const companies = [
    {
      key: "maker",
      name: "博世汽车部件(苏州)有限公司",
      uscc: uscc("91320505MA1MXXX0A"),
      kind: "manufacturer",
      regionCode: "320505",
      location: { lng: 120.57, lat: 31.3 },
    },
    {
      key: "dealer",
      name: "杭州汽配城经销商有限公司",
      uscc: uscc("91330104MA2B00001"),
      kind: "distributor",
      regionCode: "330104",
      location: { lng: 120.18, lat: 30.27 },
    },
    {
      key: "shop",
      name: "杭州西湖汽车修理厂",
      uscc: uscc("92330106MA2C00002"),
      kind: "repair_shop",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.26 },
    },
    {
      key: "farShop",
      name: "广州天河汽车维修中心",
      uscc: uscc("92440106MA5D00004"),
      kind: "repair_shop",
      regionCode: "440106",
      location: { lng: 113.36, lat: 23.12 },
    },
  ];
  const admins: Record<string, string> = {};
  for (const { key, ...c } of companies) {
    // Each with a first admin: the registration key acts for that person in two-person rules.
    const admin = { name: "首任管理员", mobile: randomMobile("135"), password: "correct horse battery" };
    const r = await call("POST", "/api/v1/companies", OPERATOR, { ...c, admin });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    keys[key] = r.json.apiKey;
    ids[key] = r.json.id;
    admins[key] = r.json.admin.id;
  }
  /** Registers a GS1 company prefix for `company` and has the operator verify it: minting needs one (issue 19). */
  const verifiedPrefix = async (company: string, prefix: string, licenceRef = `GS1CN-${prefix}`) => {
    const filed = await call("POST", "/api/v1/gs1-prefixes", keys[company]!, { prefix, licenceRef });
    expect(filed.status, JSON.stringify(filed.json)).to.equal(201);
    const verified = await call("POST", `/api/v1/gs1-prefixes/${filed.json.id}/verify`, OPERATOR, { licenceRef });
    expect(verified.status, JSON.stringify(verified.json)).to.equal(200);
    return verified.json as { id: string; prefix: string };
  };
  // The manufacturer owns 690 1234: every test GTIN (06901234567892 …) is under it.
  await verifiedPrefix("maker", "6901234");
  /** Stops listening and writes the buffered scan log (before the stack's database closes). */
  const stop = async () => {
    server.close();
    await (app.locals.shutdown as () => Promise<void>)();
  };
  /** A session token for a new user of `company` holding `roles` (written directly: fixtures skip the approval flow). */
  const userWithRoles = async (
    company: string,
    roles: string[],
    mobile = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`,
  ) => {
    const created = await call("POST", "/api/v1/users", keys[company]!, {
      name: "测试用户",
      mobile,
      password: "correct horse battery",
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [created.json.id, roles]);
    const login = await call("POST", "/api/v1/auth/login", null, { login: mobile, password: "correct horse battery" });
    expect(login.status, JSON.stringify(login.json)).to.equal(200);
    return { id: created.json.id as string, token: login.json.token as string, mobile };
  };
  /**
   * An API key of `company` holding `roles` (written directly, like userWithRoles), created by a new person of that
   * company holding the same roles — a key acts for its creator — or by nobody with `person: false`.
   */
  const keyWithRoles = async (company: string, roles: string[], opts: { person?: boolean } = {}) => {
    let createdBy: string | null = null;
    if (opts.person !== false) {
      const u = await call("POST", "/api/v1/users", keys[company]!, {
        name: "密钥负责人",
        mobile: randomMobile("136"),
        password: "correct horse battery",
      });
      expect(u.status, JSON.stringify(u.json)).to.equal(201);
      await stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [u.json.id, roles]);
      createdBy = u.json.id;
    }
    const key = `pl_${randomBytes(32).toString("base64url")}`;
    await stack.svc.db.sql.query(
      "INSERT INTO api_keys (id, company_id, name, prefix, key_hash, roles, created_by) VALUES ($1, $2, 'fixture', $3, $4, $5::text[], $6)",
      [
        `k_${randomBytes(8).toString("hex")}`,
        ids[company],
        key.slice(0, 10),
        createHash("sha256").update(key).digest(),
        roles,
        createdBy,
      ],
    );
    return key;
  };
  return { server, origin, call, keys, ids, admins, stop, userWithRoles, keyWithRoles, verifiedPrefix, app };
}
