import { expect } from "chai";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { shanghaiDate, shift } from "../../api/src/modules/forecast/periods.js";
import { ReplenishmentService } from "../../api/src/modules/forecast/replenishment.service.js";

/**
 * Issue 14 through the HTTP API on a real database: demand history from placed orders, stored forecasts and their
 * track record, who sees what, replenishment proposals through the transfer flow and the two-person rule, and the
 * seasonal calendar.
 */
describe("forecasting and replenishment API", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const loc: Record<string, string> = {};
  const sku: number[] = [];
  let foreignSku = 0;
  const dealer = () => api.keys.dealer!;
  const today = shanghaiDate(new Date());
  /** Units the shop ordered k days ago (k = 1 … 14) of SKU 0, all from WH-A. */
  const daily = (k: number) => (k % 3) + 1;

  const importSkus = async (token: string, rows: string[]) => {
    const r = await fetch(`${api.origin}/api/v1/catalog/imports/skus`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
      body: ["brand,partNo,name,partType,kind,position", ...rows].join("\n"),
    }).then((x) => x.json());
    expect(r.rowsOk, JSON.stringify(r)).to.equal(rows.length);
  };
  const skuOf = async (q: string) =>
    (await api.call("GET", `/api/v1/catalog/search?q=${q}`, api.keys.shop!)).json.results[0].id as number;
  const adjust = async (code: string, skuId: number, quantity: number, price = 50) => {
    const r = await api.call("POST", "/api/v1/inventory/movements", dealer(), {
      locationId: loc[code],
      skuId,
      reason: "adjustment",
      quantity,
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    const c = await api.call("PATCH", "/api/v1/inventory/stock", dealer(), {
      locationId: loc[code],
      skuId,
      shared: true,
      price,
    });
    expect(c.status, JSON.stringify(c.json)).to.equal(200);
  };
  /** Places an order and dates it `daysAgo` days back (noon, Asia/Shanghai). */
  const orderAgo = async (daysAgo: number, body: Record<string, unknown>, token = api.keys.shop!) => {
    const r = await api.call("POST", "/api/v1/orders", token, { policy: "partial", ...body });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    await stack.svc.db.sql.query("UPDATE orders SET created_at = $2::timestamptz WHERE id = $1", [
      r.json.id,
      `${shift(today, -daysAgo, "day")}T12:00:00+08:00`,
    ]);
    return r.json;
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    await importSkus(api.keys.maker!, [
      "bosch,3 397 118 900,雨刮片,wiper_blade,aftermarket,",
      "varta,570 901 076,蓄电池,battery,aftermarket,",
    ]);
    sku.push(await skuOf("3397118900"), await skuOf("570901076"));
    await importSkus(OPERATOR, ["mann,HU 7008 z,机油滤清器,oil_filter,aftermarket,"]);
    foreignSku = await skuOf("HU7008z");
    for (const [code, lng] of [
      ["WH-A", 120.14],
      ["WH-B", 120.3],
    ] as const) {
      const r = await api.call("POST", "/api/v1/suppliers/locations", dealer(), {
        code,
        name: `仓库${code}`,
        regionCode: "330106",
        location: { lng, lat: 30.27 },
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      loc[code] = r.json.id;
      await api.call("PATCH", `/api/v1/inventory/warehouses/${r.json.id}`, dealer(), { shared: true });
    }
    await adjust("WH-A", sku[0]!, 100);
    await adjust("WH-A", sku[1]!, 13);
    for (let k = 1; k <= 14; k++) await orderAgo(k, { lines: [{ skuId: sku[0], quantity: daily(k) }] });
    // A battery a day for ten days (k = 4 … 13) leaves 3.
    for (let k = 4; k <= 13; k++) await orderAgo(k, { lines: [{ skuId: sku[1], quantity: 1 }] });
    // A Guangzhou workshop orders 5 batteries 3 days ago: 3 are there, 2 stay unfilled (demand of 广东 all the same).
    await orderAgo(
      3,
      { lines: [{ skuId: sku[1], quantity: 5 }], shipTo: { lng: 113.36, lat: 23.12 } },
      api.keys.farShop!,
    );
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  const view = (token: string, q: string) => api.call("GET", `/api/v1/forecasts?${q}`, token);

  it("aggregates a warehouse's daily demand from the orders allocated from it", async () => {
    const r = await view(dealer(), `scope=warehouse&scopeId=${loc["WH-A"]}&skuId=${sku[0]}&granularity=day`);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    const { periods, quantity } = r.json.history as { periods: string[]; quantity: number[] };
    expect(periods).to.have.length(182);
    expect(periods.at(-1)).to.equal(shift(today, -1, "day"));
    expect(quantity.slice(-14)).to.deep.equal(Array.from({ length: 14 }, (_, i) => daily(14 - i)));
    expect(quantity.slice(0, -14).every((q) => q === 0)).to.equal(true);
    expect(r.json.forecast).to.equal(null);
    expect(r.json.accuracy).to.equal(null);
  });

  it("attributes ordered demand, unfilled included, to the buyer's province for the manufacturer", async () => {
    const r = await api.call("GET", `/api/v1/forecasts/regional?skuIds=${sku[1]}&months=3`, api.keys.maker!);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    const gd = (r.json.provinces as Array<{ provinceCode: string; total: number; unfilled: number }>).find(
      (p) => p.provinceCode === "440000",
    );
    expect(gd).to.include({ total: 5, unfilled: 2 });
    expect(r.json.provinces.find((p: { provinceCode: string }) => p.provinceCode === "330000")).to.include({
      total: 10,
      unfilled: 0,
    });
    const city = await view(api.keys.maker!, `scope=city&scopeId=440100&skuId=${sku[1]}&granularity=day`);
    expect(city.status, JSON.stringify(city.json)).to.equal(200);
    expect((city.json.history.quantity as number[]).reduce((a, b) => a + b, 0)).to.equal(5);
  });

  it("refits and stores forecasts with quantiles that never decrease in the level", async () => {
    const r = await api.call("POST", "/api/v1/forecasts/refit", dealer(), {});
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.byScope["warehouse.day"]).to.equal(2);
    const v = await view(dealer(), `scope=warehouse&scopeId=${loc["WH-A"]}&skuId=${sku[0]}`);
    const f = v.json.forecast;
    expect(f.origin).to.equal(today);
    expect(f.mean).to.have.length(7);
    expect(f.periods[6]).to.equal(shift(today, 6, "day"));
    const levels = Object.keys(f.quantiles)
      .map(Number)
      .sort((a, b) => a - b);
    expect(levels).to.include.members([0.1, 0.5, 0.9, 0.98]);
    for (let t = 0; t < 7; t++)
      for (let j = 1; j < levels.length; j++)
        expect(f.quantiles[String(levels[j])][t]).to.be.at.least(f.quantiles[String(levels[j - 1])][t]);
    const { rows } = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM forecasts WHERE scope = 'warehouse' AND granularity = 'month'",
    );
    expect(rows[0]!.n).to.equal(2);
  });

  it("shows the accuracy of earlier forecasts next to the forecast", async () => {
    // A forecast made a week ago of 3 a day: the 7 days since had 2+1+3+2+1+3+2 = 14 (daily(7) … daily(1)).
    const origin = shift(today, -7, "day");
    await stack.svc.db.sql.query(
      `INSERT INTO forecasts (scope, scope_id, sku_id, granularity, origin, model, mean, quantiles, cv_mase, mase_scale, history_len)
       VALUES ('warehouse', $1, $2, 'day', $3, 'ses', $4, $5, 1, 1, 30)`,
      [
        loc["WH-A"],
        sku[0],
        origin,
        JSON.stringify(Array(7).fill(3)),
        JSON.stringify({ "0.1": Array(7).fill(1), "0.9": Array(7).fill(3) }),
      ],
    );
    const v = await view(dealer(), `scope=warehouse&scopeId=${loc["WH-A"]}&skuId=${sku[0]}`);
    const actual = Array.from({ length: 7 }, (_, t) => daily(7 - t));
    expect(actual.reduce((a, b) => a + b, 0)).to.equal(14);
    expect(v.json.accuracy).to.deep.equal({
      forecastsEvaluated: 1,
      mase: Math.round((actual.reduce((a, b) => a + Math.abs(b - 3), 0) / 7) * 100) / 100,
      medianTotalApe: 0.5,
      coverage80: 1,
    });
  });

  it("shows a distributor only its own warehouses and a manufacturer only its own products' regions", async () => {
    const foreign = await view(api.keys.maker!, `scope=warehouse&scopeId=${loc["WH-A"]}&skuId=${sku[0]}`);
    expect([foreign.status, foreign.json.code]).to.deep.equal([404, "NOT_FOUND"]);
    const regional = await view(dealer(), `scope=province&scopeId=330000&skuId=${sku[0]}`);
    expect([regional.status, regional.json.code]).to.deep.equal([403, "FORECAST.REGIONAL_FORBIDDEN"]);
    const notMine = await view(api.keys.maker!, `scope=province&scopeId=330000&skuId=${foreignSku}`);
    expect([notMine.status, notMine.json.code]).to.deep.equal([403, "FORECAST.NOT_YOUR_PRODUCT"]);
    const dealerRegional = await api.call("GET", `/api/v1/forecasts/regional?skuIds=${sku[0]}`, dealer());
    expect(dealerRegional.status).to.equal(403);
    expect((await view(api.keys.shop!, `scope=warehouse&scopeId=${loc["WH-A"]}&skuId=${sku[0]}`)).status).to.equal(403);
    expect((await api.call("GET", `/api/v1/replenishment?locationId=${loc["WH-A"]}`, api.keys.maker!)).status).to.equal(
      404,
    );
  });

  it("proposes a transfer from the surplus warehouse into the transfer flow; its proposer cannot approve it", async () => {
    // WH-A is down to 1 available; WH-B has 60.
    const st = (await api.call("GET", `/api/v1/inventory/stock?skuId=${sku[0]}`, dealer())).json.stock as Array<{
      locationId: string;
      available: number;
    }>;
    const a = st.find((s) => s.locationId === loc["WH-A"])!;
    await adjust("WH-A", sku[0]!, 1 - a.available);
    await adjust("WH-B", sku[0]!, 60);
    const list = await api.call("GET", "/api/v1/replenishment", dealer());
    expect(list.status, JSON.stringify(list.json)).to.equal(200);
    const item = (list.json.items as Array<Record<string, any>>).find(
      (i) => i.locationId === loc["WH-A"] && i.skuId === sku[0],
    )!;
    expect(item.reorderPoint).to.be.greaterThan(1);
    expect(item.orderUpTo).to.be.at.least(item.reorderPoint);
    expect(item.need).to.equal(item.orderUpTo - 1);
    const transfer = item.proposals.find((p: { kind: string }) => p.kind === "transfer");
    expect(transfer).to.include({ fromLocation: loc["WH-B"], quantity: item.need });
    expect(list.json.items[0].stockoutCostFen).to.be.at.least(list.json.items.at(-1).stockoutCostFen);

    const acted = await api.call("POST", "/api/v1/replenishment/act", dealer(), {
      locationId: loc["WH-A"],
      skuId: sku[0],
      action: "transfer",
    });
    expect(acted.status, JSON.stringify(acted.json)).to.equal(200);
    expect(acted.json.transfer).to.include({ status: "proposed", fromLocation: loc["WH-B"], toLocation: loc["WH-A"] });
    const listed = await api.call("GET", "/api/v1/inventory/transfers?status=proposed", dealer());
    expect(listed.json.transfers.map((t: { id: string }) => t.id)).to.include(acted.json.transfer.id);
    const same = await api.call("POST", `/api/v1/inventory/transfers/${acted.json.transfer.id}/approve`, dealer(), {});
    expect([same.status, same.json.code]).to.deep.equal([403, "TRANSFER.SAME_PERSON"]);
    const other = await api.keyWithRoles("dealer", ["company_admin"]);
    const ok = await api.call("POST", `/api/v1/inventory/transfers/${acted.json.transfer.id}/approve`, other, {});
    expect(ok.json.status).to.equal("in_transit");
  });

  it("files a purchase for a second person's approval and applies a computed reorder point only when asked", async () => {
    const list = await api.call("GET", `/api/v1/replenishment?locationId=${loc["WH-A"]}`, dealer());
    const battery = (list.json.items as Array<Record<string, any>>).find((i) => i.skuId === sku[1])!;
    expect(battery.proposals.map((p: { kind: string }) => p.kind)).to.include("buy");
    const buy = await api.call("POST", "/api/v1/replenishment/act", dealer(), {
      locationId: loc["WH-A"],
      skuId: sku[1],
      action: "buy",
      quantity: 4,
    });
    expect(buy.status, JSON.stringify(buy.json)).to.equal(200);
    expect(buy.json.approval).to.include({ kind: "replenishment_buy", status: "submitted" });
    const self = await api.call("POST", `/api/v1/approvals/${buy.json.approval.id}/approve`, dealer(), {});
    expect([self.status, self.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const other = await api.keyWithRoles("dealer", ["company_admin"]);
    const approved = await api.call("POST", `/api/v1/approvals/${buy.json.approval.id}/approve`, other, {});
    expect(approved.json.status).to.equal("approved");
    // Nothing moved: the battery's stock is what it was.
    const before = (await api.call("GET", `/api/v1/inventory/stock?skuId=${sku[1]}`, dealer())).json.stock[0];
    expect(before.reorderPoint).to.equal(0);
    const applied = await api.call("POST", "/api/v1/replenishment/act", dealer(), {
      locationId: loc["WH-A"],
      skuId: sku[1],
      action: "apply_reorder_point",
    });
    expect(applied.status, JSON.stringify(applied.json)).to.equal(200);
    expect(applied.json.stock).to.include({ reorderPoint: battery.reorderPoint, onHand: before.onHand });
  });

  it("takes a part class set by hand over the inferred one, and back again; audited", async () => {
    const item = async () =>
      (
        (await api.call("GET", `/api/v1/replenishment?locationId=${loc["WH-A"]}`, dealer())).json.items as Array<
          Record<string, any>
        >
      ).find((i) => i.skuId === sku[1])!;
    const inferred = await item();
    expect(inferred.partClassSet).to.equal(false);
    const other = inferred.partClass === "critical" ? "slow" : "critical";
    const set = await api.call("PUT", "/api/v1/replenishment/part-classes", dealer(), {
      skuId: sku[1],
      partClass: other,
    });
    expect(set.status, JSON.stringify(set.json)).to.equal(200);
    expect(set.json).to.deep.equal({ skuId: sku[1], partClass: other, before: null });
    const now = await item();
    expect(now).to.include({ partClass: other, partClassSet: true });
    const settings = (await api.call("GET", "/api/v1/replenishment/settings", dealer())).json;
    expect(now.serviceLevel).to.equal(settings[`${other}Level`]);
    const cleared = await api.call("PUT", "/api/v1/replenishment/part-classes", dealer(), {
      skuId: sku[1],
      partClass: null,
    });
    expect(cleared.json.before).to.equal(other);
    expect(await item()).to.include({ partClass: inferred.partClass, partClassSet: false });
    const bad = await api.call("PUT", "/api/v1/replenishment/part-classes", dealer(), {
      skuId: sku[1],
      partClass: "x",
    });
    expect([bad.status, bad.json.field]).to.deep.equal([400, "partClass"]);
    const none = await api.call("PUT", "/api/v1/replenishment/part-classes", dealer(), {
      skuId: 999_999_999,
      partClass: "slow",
    });
    expect(none.status).to.equal(404);
    const admin = await api.keyWithRoles("dealer", ["company_admin"]);
    const audit = await api.call("GET", "/api/v1/audit/entries?action=replenishment.part_class", admin);
    expect(audit.json.entries.map((e: { resourceId: string }) => e.resourceId)).to.deep.equal([
      String(sku[1]),
      String(sku[1]),
    ]);
  });

  it("proposes pre-stocking before a seasonal rise, with its reason in words", async () => {
    // On 20 May the plum rains are ahead for 浙江 (wipers: May 1.3, June 2.0 in the default calendar).
    const s = api.app.locals.services as Record<string, any>;
    const may = new ReplenishmentService(
      stack.svc.db.sql,
      s.transfers,
      s.inventory,
      s.users,
      () => new Date("2027-05-20T04:00:00Z"),
    );
    const principal = {
      type: "api_key",
      id: "k",
      person: "p",
      companyId: api.ids.dealer,
      kind: "distributor",
      roles: [],
      permissions: new Set(),
    };
    const { items } = await may.list({} as never, principal as never, loc["WH-A"]);
    const wiper = items.find((i) => i.skuId === sku[0])!;
    const pre = wiper.proposals.find((p) => p.kind === "prestock")!;
    expect(pre.reasonZh).to.equal("梅雨季: 华东区域雨刮片需求预计上升 1.5 倍");
    expect(pre.quantity).to.be.greaterThan(0);
  });

  it("edits the seasonal calendar (platform only) and reads it back", async () => {
    const body = {
      partType: "wiper_blade",
      provinceCode: "440000",
      month: 5,
      factor: 2.3,
      reasonZh: "雨季",
      reasonEn: "rainy season",
    };
    expect((await api.call("PUT", "/api/v1/seasonal-factors", dealer(), body)).status).to.equal(403);
    const put = await api.call("PUT", "/api/v1/seasonal-factors", OPERATOR, body);
    expect(put.status, JSON.stringify(put.json)).to.equal(200);
    const got = await api.call("GET", "/api/v1/seasonal-factors?partType=wiper_blade&provinceCode=440000", dealer());
    const may = (got.json.factors as Array<Record<string, unknown>>).filter((f) => f.month === 5);
    expect(may).to.have.length(1);
    expect(may[0]).to.include({ factor: 2.3, reasonZh: "雨季", source: "manual" });
    // The seeded defaults are there: the northern winter for batteries.
    const winter = await api.call("GET", "/api/v1/seasonal-factors?partType=battery&provinceCode=230000", dealer());
    expect(winter.json.factors.map((f: { month: number }) => f.month)).to.include.members([11, 12, 1, 2]);
  });

  it("answers bad input with 400 naming the field", async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/api/v1/forecasts?scope=planet&scopeId=x&skuId=${sku[0]}`, undefined, "scope"],
      ["GET", `/api/v1/forecasts?scope=warehouse&scopeId=${loc["WH-A"]}&skuId=0`, undefined, "skuId"],
      [
        "PUT",
        "/api/v1/seasonal-factors",
        { partType: "wiper_blade", provinceCode: "all", month: 13, factor: 1, reasonZh: "x" },
        "month",
      ],
      [
        "PUT",
        "/api/v1/seasonal-factors",
        { partType: "jetpack", provinceCode: "all", month: 1, factor: 1, reasonZh: "x" },
        "partType",
      ],
      ["POST", "/api/v1/replenishment/act", { locationId: loc["WH-A"], skuId: sku[0], action: "steal" }, "action"],
      [
        "PUT",
        "/api/v1/replenishment/settings",
        { criticalLevel: 0.99, normalLevel: 0.95, slowLevel: 0.8, leadDays: 5, reviewDays: 4 },
        "reviewDays",
      ],
      ["POST", "/api/v1/forecasts/refit", { granularity: "week" }, "granularity"],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await api.call(method, path, method === "PUT" && path.includes("seasonal") ? OPERATOR : dealer(), body);
      expect([r.status, r.json.field], `${method} ${path}`).to.deep.equal([400, field]);
    }
  });
});
