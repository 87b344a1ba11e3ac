import { expect } from "chai";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createApp } from "../../api/src/app.js";
import { keepConnections } from "../../api/src/server.js";
import { LOCAL_ADMIN_KEY, LOCAL_CHAIN_ID, LedgerService, loadConfig } from "../../ledger-service/src/index.js";
import { demoSeedPolicy } from "../../scripts/lib/demo-policy.js";
import { PASSAT_QUERY, demoSeeded, seedDemoWorld, type DemoWorld } from "../../scripts/lib/demo-world.js";
import { freshDatabase } from "../helpers/database.js";
import { shared } from "../helpers/shared.js";

describe("npm run seed: the demo world", function () {
  this.timeout(600_000);
  let svc: LedgerService;
  let drop: () => Promise<void>;
  let server: Server;
  let origin: string;
  let app: ReturnType<typeof createApp>;
  let world: DemoWorld & { created: boolean };
  const operatorToken = `op-${randomBytes(12).toString("hex")}`;
  const get = async (path: string, token: string) => {
    const r = await fetch(origin + path, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, json: (await r.json()) as Record<string, any> };
  };
  const counts = async () => {
    const { rows } = await svc.db.sql.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM catalog_skus) skus, (SELECT count(*)::int FROM companies) companies,
              (SELECT count(*)::int FROM users) users, (SELECT count(*)::int FROM orders) orders,
              (SELECT count(*)::int FROM ledger_events) events, (SELECT count(*)::int FROM installations) installations,
              (SELECT count(*)::int FROM stock_movements) movements`,
    );
    return rows[0]!;
  };

  before(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    svc = await LedgerService.open({
      config: loadConfig({ LEDGER_MASTER_KEY: randomBytes(32).toString("hex"), BATCH_MAX_AGE_MS: "0" }),
      database,
      chainUrl: shared.chainUrl,
      adminKey: LOCAL_ADMIN_KEY,
      localChain: true,
      chainId: LOCAL_CHAIN_ID,
    });
    app = createApp({
      ledger: svc,
      chainUrl: shared.chainUrl,
      operatorToken,
      publicBaseUrl: "https://pl.example.cn",
      webhooks: { intervalMs: 0 },
      transferCheckMs: 0,
    });
    server = keepConnections(app.listen(0, "127.0.0.1"));
    await new Promise((r) => server.once("listening", r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect(await demoSeeded(svc)).to.equal(false);
    const t0 = performance.now();
    world = await seedDemoWorld({ ledger: svc, services: app.locals.services, origin, operatorToken });
    console.log(`      seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  after(async () => {
    server?.close();
    await (app?.locals.shutdown as () => Promise<void>)?.();
    await svc?.close();
    await drop?.();
  });

  it("holds a catalogue of 10,000+ SKUs, one company of each kind, people, orders in several states and installed parts", async () => {
    expect(world.created).to.equal(true);
    expect(await demoSeeded(svc)).to.equal(true);
    const c = await counts();
    expect(c.skus).to.be.at.least(10_000);
    expect(c.companies).to.equal(6);
    expect(c.installations).to.equal(3);
    expect(c.orders).to.equal(5);
    const { rows } = await svc.db.sql.query<{ kind: string; n: number }>(
      "SELECT kind, count(*)::int n FROM companies GROUP BY kind ORDER BY kind",
    );
    expect(rows).to.deep.equal([
      { kind: "distributor", n: 3 },
      { kind: "manufacturer", n: 1 },
      { kind: "repair_shop", n: 1 },
      { kind: "service_provider", n: 1 },
    ]);
    // the service provider (issue 17) lists a course with a session and a lift the shop can rent
    const sp = world.serviceProvider!;
    const courses = await get("/api/v1/services/courses", world.shop.apiKey);
    const course = courses.json.courses.find((x: { id: string }) => x.id === sp.courseId);
    expect(course.sessions.map((x: { id: string; seatsLeft: number }) => [x.id, x.seatsLeft])).to.deep.equal([
      [sp.sessionId, 20],
    ]);
    const lifts = await get("/api/v1/services/equipment", world.shop.apiKey);
    expect(lifts.json.equipment.find((x: { id: string }) => x.id === sp.equipmentId)).to.include({
      kind: "lift",
      status: "available",
    });
    expect(new Set(world.orders.map((o) => o.status))).to.have.keys(
      "completed",
      "shipped",
      "picking",
      "allocated",
      "cancelled",
    );
    // the maker's cartons were received whole: no carton list still says in transit
    const { rows: cartons } = await svc.db.sql.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int n FROM dispatches GROUP BY status",
    );
    expect(cartons).to.deep.equal([{ status: "received", n: 3 }]);
    const roles = new Set(world.logins.flatMap((l) => l.roles));
    for (const r of ["platform_operator", "company_admin", "warehouse_clerk", "sales", "technician", "auditor"])
      expect(roles, r).to.include(r);
    // the scan page answers genuine for a stocked part and installed for a fitted one
    const scan = async (url: string) =>
      (
        await (
          await fetch(url.replace("https://pl.example.cn", origin), { headers: { accept: "application/json" } })
        ).json()
      ).verdict as string;
    expect(await scan(world.genuinePart.url)).to.match(/^GENUINE/); // GENUINE_PENDING_ANCHOR until the worker anchors
    expect(await scan(world.installedPart.url)).to.not.match(/^GENUINE/);
  });

  it("a printed login works, and the shop finds several offers within 3 km for 帕萨特 前刹车片", async () => {
    const mechanic = world.logins.find((l) => l.roles.includes("technician"))!;
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: mechanic.login, password: mechanic.password }),
    });
    expect(login.status).to.equal(200);
    const token = ((await login.json()) as { token: string }).token;
    const me = await get("/api/v1/auth/me", token);
    expect(me.json.companyId).to.equal(world.shop.id);
    const search = await get(`/api/v1/catalog/search?q=${encodeURIComponent(PASSAT_QUERY)}`, token);
    expect(search.status).to.equal(200);
    const ids = (search.json.results as Array<{ id: number }>).map((r) => r.id);
    expect(ids).to.include(world.passatFrontPads.skuId);
    const { lng, lat } = world.shop.location;
    const offers = await get(
      `/api/v1/catalog/skus/${world.passatFrontPads.skuId}/offers?lng=${lng}&lat=${lat}&radiusKm=3&limit=20`,
      token,
    );
    expect(offers.status, JSON.stringify(offers.json)).to.equal(200);
    const list = offers.json.offers as Array<{ priceFen: number; distanceMetres: number; orderable: boolean }>;
    expect(list.length).to.be.at.least(2);
    expect(list.every((o) => o.distanceMetres <= 3000 && o.orderable)).to.equal(true);
    expect(new Set(list.map((o) => o.priceFen)).size).to.be.at.least(2);
    // the warehouse 3 km away is not among them, but is found within 10 km
    const wider = await get(
      `/api/v1/catalog/skus/${world.passatFrontPads.skuId}/offers?lng=${lng}&lat=${lat}&radiusKm=10&limit=50`,
      token,
    );
    expect(wider.json.found).to.be.greaterThan(offers.json.found);
    // The starter knowledge base answers a policy question in words the articles do not use verbatim.
    const asked = await fetch(`${origin}/api/v1/support/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: "卖家不同意我退货，我该怎么申诉？" }),
    });
    expect(asked.status).to.equal(201);
    const reply = ((await asked.json()) as { messages: Array<{ author: string; body: string }> }).messages.at(-1)!;
    expect(reply.body).to.contain("争议");
  });

  it("a second run adds nothing and returns the same world", async () => {
    const before = await counts();
    const again = await seedDemoWorld({ ledger: svc, services: app.locals.services, origin, operatorToken });
    expect(again.created).to.equal(false);
    expect(again.shop.id).to.equal(world.shop.id);
    expect(again.logins).to.deep.equal(world.logins);
    expect(await counts()).to.deep.equal(before);
  });

  it("is kept out of a real deployment unless asked", () => {
    expect(demoSeedPolicy({ DATABASE_URL: undefined, CHAIN_RPC_URL: undefined }, {}).allowed).to.equal(true);
    const pg = demoSeedPolicy({ DATABASE_URL: "postgresql://x/y", CHAIN_RPC_URL: undefined }, {});
    expect(pg.allowed).to.equal(false);
    expect(pg.why).to.include("DATABASE_URL").and.include("--force");
    expect(demoSeedPolicy({ DATABASE_URL: undefined, CHAIN_RPC_URL: "http://rpc" }, {}).allowed).to.equal(false);
    expect(
      demoSeedPolicy({ DATABASE_URL: "postgresql://x/y", CHAIN_RPC_URL: undefined }, { force: true }).allowed,
    ).to.equal(true);
    expect(
      demoSeedPolicy({ DATABASE_URL: "postgresql://x/y", CHAIN_RPC_URL: undefined }, { env: "1" }).allowed,
    ).to.equal(true);
  });
});
