/**
 * The demo world (DECISIONS 61): a catalogue of ~18,000 SKUs, the platform's operator, a manufacturer with a verified
 * GS1 prefix, three distributors with warehouses within 3 km of a repair shop in 杭州西湖区, serialised brake pads
 * minted, dispatched and received, a shared pool priced differently per warehouse, orders in several states and
 * parts installed into VINs. Everything goes through the HTTP API (the catalogue through its importer), so what the
 * world holds is what the API would have written. Steps are journaled (demo-journal.ts): a second run seeds nothing,
 * a run stopped halfway resumes where it stopped.
 */
import { randomBytes, randomInt } from "node:crypto";
import { Readable } from "node:stream";
import type { buildServices } from "../../api/src/app.js";
import { usccCheckCharacter } from "../../api/src/modules/orgs/uscc.js";
import { builtInPermissions } from "../../api/src/security/permissions.js";
import type { Principal } from "../../api/src/security/principal.js";
import type { LedgerService } from "../../ledger-service/src/index.js";
import { csvLines, generateCatalog, type GenSku } from "./catalog-generator.js";
import { DEMO_ARTICLES } from "./demo-articles.js";
import { DemoJournal } from "./demo-journal.js";
import { gtin14, vinWithCheck } from "./identifiers.js";
import { districts } from "./regions.js";

export interface DemoContext {
  ledger: LedgerService;
  /** `app.locals.services` of the app listening at `origin`. */
  services: ReturnType<typeof buildServices>;
  /** Where that app listens, e.g. http://127.0.0.1:3000. */
  origin: string;
  operatorToken: string;
  log?: (line: string) => void;
}

export interface DemoLogin {
  who: string;
  company: string;
  roles: string[];
  login: string;
  password: string;
  userId: string;
}

export interface DemoCompany {
  id: string;
  name: string;
  kind: string;
  apiKey: string;
  location: { lng: number; lat: number };
}

export interface DemoWorld {
  seededAt: string;
  skus: number;
  platform: { operatorUserId: string };
  maker: DemoCompany & { gs1Prefix: string; gtin: string };
  distributors: Array<DemoCompany & { warehouses: Array<{ id: string; code: string; lng: number; lat: number }> }>;
  shop: DemoCompany & { regionCode: string };
  logins: DemoLogin[];
  /** The SKU a search for 帕萨特 前刹车片 finds first (the maker's serialised one) and its interchangeable SKUs. */
  passatFrontPads: { skuId: number; brand: string; partNo: string; query: string; equivalents: number[] };
  /**
   * A genuine part in the repair shop's own stock (received with its completed order, not fitted), with its signed
   * label URL: genuine on a phone and in the shop's console alike (a shop scanning a part it never received reads
   * SUSPECT_CLONE, DECISIONS 15, 31); and an installed one.
   */
  genuinePart: { gtin: string; serial: string; url: string };
  installedPart: { gtin: string; serial: string; url: string; vin: string };
  orders: Array<{ id: string; status: string }>;
  installations: Array<{ gtin: string; serial: string; vin: string }>;
  /** A training and equipment-rental company (issue 17) with a course, one session and a lift for rent. */
  serviceProvider?: DemoCompany & { courseId: string; sessionId: string; equipmentId: string };
}

export const PASSAT_QUERY = "帕萨特 前刹车片";
export const GS1_PREFIX = "6901234";
/** The maker's GTIN for its Passat B8 front pads (under its verified prefix 690 1234). */
export const DEMO_GTIN = gtin14("0690123456780");
const CATALOG_SEED = 11;
const SYSTEM = { actorType: "system" as const, actorId: "seed", ip: null, userAgent: "npm run seed", requestId: null };

/** Whether the demo world is complete in this database. */
export async function demoSeeded(ledger: LedgerService): Promise<boolean> {
  const { rows } = await ledger.db.sql.query("SELECT 1 FROM demo_seed_steps WHERE step = 'done'");
  return rows.length > 0;
}

/** Seeds the demo world, or returns it as recorded when it is already there (`created` says which). */
export async function seedDemoWorld(ctx: DemoContext): Promise<DemoWorld & { created: boolean }> {
  const journal = new DemoJournal(ctx.ledger.db.sql, ctx.ledger.vault);
  const done = await journal.get<DemoWorld>("done");
  if (done) return { ...done, created: false };
  const log = ctx.log ?? (() => undefined);
  const api = client(ctx.origin);
  const op = ctx.operatorToken;
  const t0 = performance.now();
  const ms = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

  // 1. The catalogue, through its importer (rows upserted by natural keys: this step is idempotent by itself).
  const passat: GenSku[] = [];
  const skus = await journal.step("catalog", async () => {
    const n = await importCatalog(ctx, (s) => {
      if (s.partType === "brake_pad" && s.position === "前" && s.fits.some((v) => v.model === "帕萨特 B8"))
        passat.push(s);
    });
    log(`  catalogue: ${n.toLocaleString()} SKUs with fitment and cross-references (${ms()})`);
    return n;
  });
  // 2. The platform's operator: a platform user (no company). The two-person rule has nobody to approve a platform
  // role, so it is created the way the platform creates a company's first admin (UsersService's bootstrap path).
  const operatorUser = await journal.step("user:platform:operator", () =>
    bootstrapUser(ctx, null, "platform", "平台运营 王敏", { email: "operator@partledger.demo" }, ["platform_operator"]),
  );

  // 3. Companies, each with a first admin (the registration key acts for them).
  const shopDistrict = districts().find((d) => d.code === "330106")!; // 杭州市西湖区
  const here = { lng: shopDistrict.lng, lat: shopDistrict.lat };
  const register = (
    step: string,
    name: string,
    head: string,
    kind: string,
    regionCode: string,
    location: { lng: number; lat: number },
    adminName: string,
  ) =>
    journal.step(`company:${step}`, async () => {
      const mobile = randomMobile();
      const password = newPassword();
      // A random USCC body: a run stopped between this call and its journal row leaves a stray company, not a clash.
      const first17 = head + randomDigits(17 - head.length);
      const c = await api.post("/api/v1/companies", op, {
        name,
        uscc: first17 + usccCheckCharacter(first17),
        kind,
        regionCode,
        location,
        admin: { name: adminName, mobile, password },
      });
      const admin: DemoLogin = {
        who: adminName,
        company: name,
        roles: ["company_admin"],
        login: mobile,
        password,
        userId: c.admin.id,
      };
      return { company: { id: c.id, name, kind, apiKey: c.apiKey, location }, admin };
    });
  const suzhou = districts().find((d) => d.code === "320505")!;
  const maker = await register(
    "maker",
    "博世汽车部件(苏州)有限公司",
    "91320505MA1",
    "manufacturer",
    "320505",
    { lng: suzhou.lng, lat: suzhou.lat },
    "制造商管理员 周建华",
  );
  const off = (dLng: number, dLat: number) => ({
    lng: Number((here.lng + dLng).toFixed(6)),
    lat: Number((here.lat + dLat).toFixed(6)),
  });
  const DISTRIBUTORS = [
    {
      key: "d1",
      name: "杭州汽配城经销商有限公司",
      head: "91330106MA2",
      at: off(0.011, 0.004),
      admin: "经销商管理员 陈立",
      warehouses: [
        { code: "HZ-XH-01", name: "文三路仓", at: off(0.011, 0.004), price: 1.0 },
        { code: "HZ-SC-02", name: "上城仓(3 km 外)", at: off(0.045, -0.02), price: 0.9 },
      ],
    },
    {
      key: "d2",
      name: "浙江车享汽配供应链有限公司",
      head: "91330106MA3",
      at: off(-0.012, 0.013),
      admin: "经销商管理员 刘洋",
      warehouses: [{ code: "ZJ-CX-01", name: "古墩路仓", at: off(-0.012, 0.013), price: 0.94 }],
    },
    {
      key: "d3",
      name: "杭州西溪汽车配件有限公司",
      head: "91330106MA4",
      at: off(0.006, -0.017),
      admin: "经销商管理员 赵敏",
      warehouses: [{ code: "XX-01", name: "西溪仓", at: off(0.006, -0.017), price: 1.08 }],
    },
  ];
  const dists: Array<Awaited<ReturnType<typeof register>>> = [];
  for (const d of DISTRIBUTORS)
    dists.push(await register(d.key, d.name, d.head, "distributor", "330106", d.at, d.admin));
  const shop = await register(
    "shop",
    "杭州西湖汽车修理厂",
    "92330106MA5",
    "repair_shop",
    "330106",
    here,
    "修理厂老板 孙强",
  );
  log(`  platform operator, 1 manufacturer, ${dists.length} distributors and a repair shop registered (${ms()})`);

  const findSku = async (brand: string, partNo: string) => {
    const r = await api.get(`/api/v1/catalog/search?q=${encodeURIComponent(partNo)}&limit=10`, shop.company.apiKey);
    const hit = (r.results as Array<{ id: number; brand: string; partNo: string }>).find(
      (x) => x.brand === brand && x.partNo === partNo,
    );
    if (!hit) throw new Error(`seed: the imported catalogue has no ${brand} ${partNo}`);
    return hit.id;
  };
  // The Passat B8 front pads of every brand the generator made (deterministic for its seed).
  const pads = await journal.step("passat-pads", async () => {
    if (!passat.length)
      generateCatalog({
        seed: CATALOG_SEED,
        onSku: (s) => {
          if (s.partType === "brake_pad" && s.position === "前" && s.fits.some((v) => v.model === "帕萨特 B8"))
            passat.push(s);
        },
      });
    const out: Array<{ brand: string; partNo: string; skuId: number }> = [];
    for (const s of passat) out.push({ brand: s.brand, partNo: s.partNo, skuId: await findSku(s.brand, s.partNo) });
    return out;
  });
  const bosch = pads.find((p) => p.brand === "bosch") ?? pads.find((p) => !p.brand.startsWith("oe_"))!;

  // 4. The maker's GS1 company prefix, filed by the maker and verified by the platform.
  await journal.step("gs1", async () => {
    const filed = await api.post("/api/v1/gs1-prefixes", maker.company.apiKey, {
      prefix: GS1_PREFIX,
      licenceRef: `GS1CN-物编证字 ${GS1_PREFIX}`,
    });
    await api.post(`/api/v1/gs1-prefixes/${filed.id}/verify`, op, { licenceRef: filed.licenceRef });
    return filed.id as string;
  });

  // 5. People. Ordinary roles are given at creation; privileged ones (technician, auditor) are requested by the first
  // admin and approved by a second admin — who is created through the bootstrap path, since a company whose only
  // admin submitted a request has nobody left who may approve it.
  const person = (
    step: string,
    company: { company: DemoCompany },
    who: string,
    roles: string[],
    email?: string,
  ): Promise<DemoLogin> =>
    journal.step(`user:${step}`, async () => {
      const login = email ?? randomMobile();
      const password = newPassword();
      const u = await api.post("/api/v1/users", company.company.apiKey, {
        name: who,
        ...(email ? { email } : { mobile: login }),
        password,
        roles,
      });
      return { who, company: company.company.name, roles, login, password, userId: u.id };
    });
  const granted = async (step: string, company: { company: DemoCompany }, user: DemoLogin, roles: string[]) => {
    await journal.step(`grant:${step}`, async () => {
      const second = await journal.step(`user:${step}:approver`, () =>
        bootstrapUser(
          ctx,
          company.company.id,
          company.company.kind as Principal["kind"],
          "副管理员 审批人",
          {
            mobile: randomMobile(),
          },
          ["company_admin"],
          company.company.name,
        ),
      );
      const req = await api.post(`/api/v1/users/${user.userId}/role-grants`, company.company.apiKey, {
        roles,
        reason: "demo world",
      });
      const session = await api.post("/api/v1/auth/login", null, { login: second.login, password: second.password });
      await api.post(`/api/v1/approvals/${req.id}/approve`, session.token, {});
      return second.userId;
    });
    return { ...user, roles: [...user.roles, ...roles] };
  };
  const logins: DemoLogin[] = [];
  logins.push({ ...operatorUser, company: "平台 PartLedger" });
  logins.push(maker.admin);
  logins.push(await person("maker:clerk", maker, "标签员 吴婷", ["warehouse_clerk"]));
  const auditorBase = await person("maker:auditor", maker, "品牌审计 郑凯", [], "auditor@bosch-sz.demo");
  logins.push(await granted("maker:auditor", maker, auditorBase, ["auditor"]));
  const clerks: DemoLogin[] = [];
  for (const [i, d] of dists.entries()) {
    logins.push(d.admin);
    const clerk = await person(`${DISTRIBUTORS[i]!.key}:warehouse`, d, `仓管员 ${["李娜", "黄磊", "何静"][i]}`, [
      "warehouse_clerk",
    ]);
    clerks.push(clerk);
    logins.push(clerk);
    if (i === 0) {
      // sales may set the pool's prices (inventory:configure): a privileged role, granted by a second person
      const sales = await person(`${DISTRIBUTORS[i]!.key}:sales`, d, "销售 马超", []);
      logins.push(await granted(`${DISTRIBUTORS[i]!.key}:sales`, d, sales, ["sales"]));
    }
  }
  logins.push(shop.admin);
  const mechanicBase = await person("shop:mechanic", shop, "技师 张伟", ["buyer"]);
  const mechanic = await granted("shop:mechanic", shop, mechanicBase, ["technician"]);
  logins.push(mechanic);
  log(`  ${logins.length} logins, privileged roles through the two-person rule (${ms()})`);

  // 6. Warehouses in the shared pool.
  const warehouses: Array<Array<{ id: string; code: string; lng: number; lat: number }>> = [];
  for (const [i, d] of dists.entries()) {
    warehouses.push(
      await journal.step(`warehouses:${DISTRIBUTORS[i]!.key}`, async () => {
        const out = [];
        for (const w of DISTRIBUTORS[i]!.warehouses) {
          const loc = await api.post("/api/v1/suppliers/locations", d.company.apiKey, {
            code: w.code,
            name: w.name,
            regionCode: "330106",
            location: w.at,
            prepMinutes: 15,
          });
          await api.patch(`/api/v1/inventory/warehouses/${loc.id}`, d.company.apiKey, { shared: true });
          out.push({ id: loc.id as string, code: w.code, ...w.at });
        }
        return out;
      }),
    );
  }

  // 7. Serialised pads: minted by the maker (named as its catalogue SKU), dispatched to each distributor, received.
  const mint = await journal.step("mint", async () => {
    const m = await api.post("/api/v1/mint", maker.company.apiKey, {
      gtin: DEMO_GTIN,
      lot: "L2026-12",
      productionDate: "2026-12-01",
      count: 180,
      locationId: "SZ-PLANT",
      product: { brand: "BOSCH 博世", name: "帕萨特 B8 前刹车片", skuId: bosch.skuId },
    });
    return { runId: m.runId as string, serials: m.serials as string[] };
  });
  for (const [i, d] of dists.entries()) {
    const parts = mint.serials.slice(i * 60, i * 60 + 60).map((serial) => ({ gtin: DEMO_GTIN, serial }));
    const wh = warehouses[i]![0]!;
    const key = DISTRIBUTORS[i]!.key;
    const carton = (await journal.step(`dispatch:${key}`, () =>
      api.post("/api/v1/dispatches", maker.company.apiKey, { to: d.company.id, parts, locationId: "SZ-PLANT" }),
    )) as { id: string };
    // Received as a whole carton (DECISIONS 64), so both sides' carton lists say received, not still in transit.
    await journal.step(`receive:${key}`, async () => {
      const s = await api.post("/api/v1/auth/login", null, { login: clerks[i]!.login, password: clerks[i]!.password });
      return api.post(`/api/v1/dispatches/${carton.id}/receive`, s.token, { locationId: wh.code });
    });
  }
  log(`  ${mint.serials.length} serialised pads minted (GTIN ${DEMO_GTIN}), dispatched and received (${ms()})`);

  // 8. Stock in the shared pool: every brand's Passat pads, each warehouse at its own price (set to a target, so a
  // repeated step adds nothing).
  const basePrice: Record<string, number> = { bosch: 268, ferodo: 238, trw: 226, brembo: 358, textar: 289 };
  await journal.step("stock", async () => {
    for (const [i, d] of dists.entries()) {
      for (const [j, w] of warehouses[i]!.entries()) {
        const factor = DISTRIBUTORS[i]!.warehouses[j]!.price;
        for (const p of pads) {
          const serialised = p.skuId === bosch.skuId;
          if (serialised && j > 0) continue; // the serials were received at the first warehouse
          const base = basePrice[p.brand] ?? (p.brand.startsWith("oe_") ? 420 : 188);
          await setStock(api, d.company.apiKey, w.id, p.skuId, serialised ? 60 : 8 + ((i * 7 + j * 3) % 12), {
            price: Math.round(base * factor * 100) / 100,
            ref: serialised ? `dispatch ${mint.runId}` : "opening stock",
          });
        }
      }
    }
  });
  log(
    `  shared pool stocked: ${pads.length} brands of Passat front pads in ${warehouses.flat().length} warehouses (${ms()})`,
  );

  // 9. Orders in several states, placed by the shop (idempotency keys make a repeated placement the same order).
  const distByCompany = new Map(dists.map((d) => [d.company.id, d]));
  const buyer = shop.company.apiKey;
  const place = (key: string, skuId: number, quantity: number) =>
    api.post("/api/v1/orders", buyer, { lines: [{ skuId, quantity }] }, { "idempotency-key": `demo-${key}` });
  const RANK = ["placed", "allocated", "partially_fulfilled", "picking", "shipped", "delivered", "completed"];
  const move = async (orderId: string, to: string, token: string, body: Record<string, unknown> = {}) => {
    const now = await api.get(`/api/v1/orders/${orderId}`, token);
    if (RANK.indexOf(now.status as string) >= RANK.indexOf(to)) return now; // already there (a resumed seed)
    return api.post(`/api/v1/orders/${orderId}/status`, token, { to, ...body });
  };
  const sellerOf = (order: Record<string, any>) => distByCompany.get(order.lines[0].allocations[0].sellerId as string)!;
  const ship = async (order: Record<string, any>, quantity: number, label: string) => {
    const seller = sellerOf(order);
    await move(order.id, "picking", seller.company.apiKey);
    const held = (
      await api.get(`/api/v1/inventory/serials?skuId=${bosch.skuId}&limit=${quantity}`, seller.company.apiKey)
    ).serials as Array<{ gtin: string; serial: string }>;
    return journal.step(`ship:${label}`, () =>
      move(order.id, "shipped", seller.company.apiKey, {
        carrier: "闪送",
        trackingNo: `SS${randomDigits(10)}`,
        parts: held.slice(0, quantity).map(({ gtin, serial }) => ({ gtin, serial })),
      }).then((o) => ({ id: o.id as string, parts: held.slice(0, quantity) })),
    );
  };
  const orders: Array<{ id: string; status: string }> = [];
  const o1 = await place("completed", bosch.skuId, 4);
  const shipped1 = await ship(o1, 4, "completed");
  await move(o1.id, "delivered", buyer);
  await move(o1.id, "completed", buyer);
  orders.push({ id: o1.id, status: "completed" });
  const o2 = await place("shipped", bosch.skuId, 2);
  await ship(o2, 2, "shipped");
  orders.push({ id: o2.id, status: "shipped" });
  const others = pads.filter((p) => p.skuId !== bosch.skuId && !p.brand.startsWith("oe_"));
  const o3 = await place("picking", others[0]!.skuId, 2);
  await move(o3.id, "picking", sellerOf(o3).company.apiKey);
  orders.push({ id: o3.id, status: "picking" });
  const o4 = await place("allocated", others[1 % others.length]!.skuId, 1);
  orders.push({ id: o4.id, status: o4.status });
  const o5 = await place("cancelled", others[2 % others.length]!.skuId, 1);
  if (o5.status !== "cancelled") await api.post(`/api/v1/orders/${o5.id}/cancel`, buyer, {});
  orders.push({ id: o5.id, status: "cancelled" });
  log(`  ${orders.length} orders: ${orders.map((o) => o.status).join(", ")} (${ms()})`);

  // 10. The mechanic fits delivered pads into two cars.
  const vins = [vinWithCheck("LSVAU2180N2183294"), vinWithCheck("LFV3A23C5K3051234")];
  const installations = await journal.step("install", async () => {
    const s = await api.post("/api/v1/auth/login", null, { login: mechanic.login, password: mechanic.password });
    const fitted = [
      { ...shipped1.parts[0]!, vin: vins[0]! },
      { ...shipped1.parts[1]!, vin: vins[0]! },
      { ...shipped1.parts[2]!, vin: vins[1]! },
    ];
    for (const f of fitted)
      await api.post("/api/v1/installations", s.token, {
        gtin: f.gtin,
        serial: f.serial,
        vin: f.vin,
        owner: { name: f.vin === vins[0] ? "钱先生" : "冯女士", mobile: randomMobile() },
      });
    return fitted.map(({ gtin, serial, vin }) => ({ gtin, serial, vin }));
  });
  log(`  ${installations.length} pads installed into ${vins.length} VINs (${ms()})`);

  // 11. A service provider (issue 17): a course with a session next week and a lift rented by the hour.
  const provider = await register(
    "services",
    "杭州匠心汽修培训与设备租赁有限公司",
    "91330106MA6",
    "service_provider",
    "330106",
    off(0.02, 0.008),
    "服务商管理员 黄磊",
  );
  logins.push(provider.admin);
  const catalogue = await journal.step("services:catalogue", async () => {
    const key = provider.company.apiKey;
    const course = await api.post("/api/v1/services/courses", key, {
      title: "新能源汽车高压安全与诊断实操",
      description: "两天实操，考核合格颁发结业证书",
      priceFen: 120_000,
    });
    const week = new Date(Date.now() + 7 * 86_400_000);
    week.setUTCHours(1, 0, 0, 0); // 09:00 Asia/Shanghai
    const withSession = await api.post(`/api/v1/services/courses/${course.id}/sessions`, key, {
      startsAt: week.toISOString(),
      endsAt: new Date(week.getTime() + 8 * 3_600_000).toISOString(),
      place: "杭州市西湖区文三路 1 号 培训中心 3 楼",
      seats: 20,
    });
    const lift = await api.post("/api/v1/services/equipment", key, {
      name: "双柱举升机 4 吨",
      kind: "lift",
      billing: "time",
      rateFen: 6_000,
      depositFen: 50_000,
      place: "杭州市西湖区文三路 1 号",
    });
    return {
      courseId: course.id as string,
      sessionId: withSession.sessions[0].id as string,
      equipmentId: lift.id as string,
    };
  });
  log(`  a service provider with a course and a lift (${ms()})`);

  // 13. The world, recorded last (after the knowledge base below): its row marks the seed complete.
  const makerCompany = await ctx.services.orgs.get(maker.company.id);
  // The fourth pad of the completed order: received by the shop, not fitted (the first three were).
  const stillStocked = shipped1.parts[3]!.serial;
  const world: DemoWorld = {
    seededAt: new Date().toISOString(),
    skus,
    platform: { operatorUserId: operatorUser.userId },
    maker: { ...maker.company, gs1Prefix: GS1_PREFIX, gtin: DEMO_GTIN },
    distributors: dists.map((d, i) => ({ ...d.company, warehouses: warehouses[i]! })),
    shop: { ...shop.company, regionCode: "330106" },
    logins,
    passatFrontPads: {
      skuId: bosch.skuId,
      brand: bosch.brand,
      partNo: bosch.partNo,
      query: PASSAT_QUERY,
      equivalents: pads.map((p) => p.skuId),
    },
    genuinePart: {
      gtin: DEMO_GTIN,
      serial: stillStocked,
      url: await ctx.services.labels.uriFor(makerCompany, DEMO_GTIN, stillStocked),
    },
    installedPart: {
      ...installations[0]!,
      url: await ctx.services.labels.uriFor(makerCompany, DEMO_GTIN, installations[0]!.serial),
    },
    orders,
    installations,
    serviceProvider: { ...provider.company, ...catalogue },
  };
  // 12. The platform's starter knowledge base, so the support assistant answers policy questions at once.
  await journal.step("support:articles", async () => {
    for (const a of DEMO_ARTICLES) await api.post("/api/v1/support/articles", op, { ...a, keywords: [...a.keywords] });
    log(`  support knowledge base: ${DEMO_ARTICLES.length} articles (${ms()})`);
    return DEMO_ARTICLES.length;
  });
  await journal.step("done", async () => world);
  return { ...world, created: true };
}

/** Imports the generated catalogue's SKUs, cross-references and fitment through the catalogue importer. */
async function importCatalog(ctx: DemoContext, each: (s: GenSku) => void): Promise<number> {
  const l = csvLines();
  const files = { skus: [l.skusHeader], crossrefs: [l.crossrefsHeader], fitments: [l.fitmentsHeader] };
  // Six of every ten generated SKUs (every brake pad kept): ~11,000, enough to search like a real catalogue and
  // small enough to import within the first minute on a busy 2-core machine.
  let n = 0;
  let kept = 0;
  generateCatalog({
    seed: CATALOG_SEED,
    onSku: (s) => {
      if (n++ % 10 >= 6 && s.partType !== "brake_pad") return;
      kept++;
      each(s);
      files.skus.push(l.sku(s));
      files.crossrefs.push(...l.crossrefs(s));
      files.fitments.push(...l.fitments(s));
    },
  });
  for (const kind of ["skus", "crossrefs", "fitments"] as const) {
    const text = files[kind].join("\n") + "\n";
    const report = await ctx.services.importer.run(
      { ...SYSTEM, companyId: null },
      kind,
      "csv",
      Readable.from([Buffer.from(text)]),
      Buffer.byteLength(text),
    );
    if (report.status !== "done" || report.rowsBad)
      throw new Error(`seed: ${kind} import ${report.status}: ${JSON.stringify(report.errors.slice(0, 3))}`);
  }
  return kept;
}

/** A user created through UsersService's bootstrap path (the platform creating a first admin): see step 2 and 5. */
async function bootstrapUser(
  ctx: DemoContext,
  companyId: string | null,
  kind: Principal["kind"],
  name: string,
  login: { email?: string; mobile?: string },
  roles: string[],
  company = "平台 PartLedger",
): Promise<DemoLogin> {
  const operator: Principal = {
    type: "operator",
    id: "operator",
    person: "operator",
    companyId: null,
    kind: "platform",
    roles: ["platform_operator"],
    permissions: new Set(builtInPermissions("platform_operator", "platform")),
  };
  const password = newPassword();
  const user = await ctx.ledger.db.sql.transaction((tx) =>
    ctx.services.users.create(
      { actorType: "operator", actorId: "operator", ip: null, userAgent: "npm run seed", requestId: null },
      operator,
      { name, ...login, password, roles },
      { companyId, kind, tx },
    ),
  );
  return { who: name, company, roles, login: (login.email ?? login.mobile)!, password, userId: user.id };
}

async function setStock(
  api: ReturnType<typeof client>,
  key: string,
  locationId: string,
  skuId: number,
  onHand: number,
  opts: { price: number; ref: string },
) {
  const now = (await api.get(`/api/v1/inventory/stock?skuId=${skuId}&locationId=${locationId}`, key)).stock as Array<{
    locationId: string;
    onHand: number;
  }>;
  const current = now.find((s) => s.locationId === locationId)?.onHand ?? 0;
  if (current !== onHand)
    await api.post("/api/v1/inventory/movements", key, {
      locationId,
      skuId,
      reason: "receipt",
      quantity: onHand - current,
      ref: opts.ref,
    });
  await api.patch("/api/v1/inventory/stock", key, { locationId, skuId, shared: true, price: opts.price });
}

const randomDigits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join("");
const randomMobile = () =>
  `1${["38", "39", "58", "59", "86", "87", "88", "35", "36", "37"][randomInt(10)]}${randomDigits(8)}`;
/** 12 characters from an unambiguous alphabet (no 0/O, 1/l/I): easy to read off a terminal and type. */
function newPassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from(randomBytes(12), (b) => alphabet[b % alphabet.length]).join("");
}

/** JSON over HTTP with a bearer credential; an answer of 400 or more throws with its code and detail. */
function client(origin: string) {
  const call = async (
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Record<string, any>> => {
    const res = await fetch(origin + path, {
      method,
      headers: {
        "content-type": "application/json",
        "user-agent": "partledger-seed",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, any>;
    if (res.status >= 400) throw new Error(`seed: ${method} ${path}: ${res.status} ${json.code}: ${json.detail}`);
    return json;
  };
  return {
    get: (path: string, token: string | null) => call("GET", path, token),
    post: (path: string, token: string | null, body: unknown, headers?: Record<string, string>) =>
      call("POST", path, token, body, headers),
    patch: (path: string, token: string | null, body: unknown) => call("PATCH", path, token, body),
  };
}
