import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { shanghaiDate, shift } from "../../api/src/modules/forecast/periods.js";
import { OPERATOR } from "../helpers/app.js";
import { checkA11y, counted, login, shot, startConsole, type ConsoleHarness } from "./harness.js";

const PASSWORD = "correct horse battery";
const DIST = new URL("../../api/web/dist/", import.meta.url).pathname;

/**
 * Issue 14's screens in Chromium: orders placed through the API over the last two weeks give a wiper and a battery a
 * history at a distributor's warehouse (and in 浙江 and 广东 for their manufacturer). The distributor refits, reads
 * the replenishment list, opens a forecast chart (canvas drawn, accuracy in words, model named), proposes a transfer
 * and sees that its proposer cannot approve it; the manufacturer's province map colours the provinces with demand;
 * the platform's team saves a seasonal factor. axe on every view, desktop and phone; screenshots in
 * test-output/forecast-*.png.
 */
describe("forecasting screens: replenishment, forecast chart, regional map, seasonal calendar @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  const loc: Record<string, string> = {};
  const sku: number[] = [];
  let dealerUser: { id: string; token: string; mobile: string };
  const today = shanghaiDate(new Date());

  const dealer = () => h.api.keys.dealer!;
  const importSkus = async (rows: string[]) => {
    const r = await fetch(`${h.origin}/api/v1/catalog/imports/skus`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${h.api.keys.maker}` },
      body: ["brand,partNo,name,partType,kind,position", ...rows].join("\n"),
    }).then((x) => x.json());
    expect(r.rowsOk, JSON.stringify(r)).to.equal(rows.length);
  };
  const skuOf = async (q: string) =>
    (await h.api.call("GET", `/api/v1/catalog/search?q=${q}`, h.api.keys.shop!)).json.results[0].id as number;
  const adjust = async (code: string, skuId: number, quantity: number) => {
    const r = await h.api.call("POST", "/api/v1/inventory/movements", dealer(), {
      locationId: loc[code],
      skuId,
      reason: "adjustment",
      quantity,
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    const c = await h.api.call("PATCH", "/api/v1/inventory/stock", dealer(), {
      locationId: loc[code],
      skuId,
      shared: true,
      price: 80,
    });
    expect(c.status, JSON.stringify(c.json)).to.equal(200);
  };
  /** An order through the API, dated `daysAgo` days back (noon, Asia/Shanghai) as the forecasting tests do. */
  const orderAgo = async (daysAgo: number, body: Record<string, unknown>, token = h.api.keys.shop!) => {
    const r = await h.api.call("POST", "/api/v1/orders", token, { policy: "partial", ...body });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    await h.stack.svc.db.sql.query("UPDATE orders SET created_at = $2::timestamptz WHERE id = $1", [
      r.json.id,
      `${shift(today, -daysAgo, "day")}T12:00:00+08:00`,
    ]);
  };
  const rows = (page: Page, testId: string) => page.getByTestId(testId).locator("tbody tr.ant-table-row");

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    await importSkus([
      "bosch,3 397 118 900,雨刮片,wiper_blade,aftermarket,",
      "varta,570 901 076,蓄电池,battery,aftermarket,",
    ]);
    sku.push(await skuOf("3397118900"), await skuOf("570901076"));
    for (const [code, lng] of [
      ["WH-A", 120.14],
      ["WH-B", 120.3],
    ] as const) {
      const r = await h.api.call("POST", "/api/v1/suppliers/locations", dealer(), {
        code,
        name: `仓库${code}`,
        regionCode: "330106",
        location: { lng, lat: 30.27 },
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      loc[code] = r.json.id;
      await h.api.call("PATCH", `/api/v1/inventory/warehouses/${r.json.id}`, dealer(), { shared: true });
    }
    await adjust("WH-A", sku[0]!, 100);
    await adjust("WH-A", sku[1]!, 13);
    for (let k = 1; k <= 14; k++) await orderAgo(k, { lines: [{ skuId: sku[0], quantity: (k % 3) + 1 }] });
    for (let k = 4; k <= 13; k++) await orderAgo(k, { lines: [{ skuId: sku[1], quantity: 1 }] });
    // Guangzhou workshops order wipers and batteries too: 广东 has demand of its own on the manufacturer's map.
    for (const k of [2, 5, 9])
      await orderAgo(
        k,
        { lines: [{ skuId: sku[0], quantity: 2 }], shipTo: { lng: 113.36, lat: 23.12 } },
        h.api.keys.farShop!,
      );
    // WH-A is nearly out of wipers, WH-B has plenty: the list proposes a transfer from WH-B.
    const st = (await h.api.call("GET", `/api/v1/inventory/stock?skuId=${sku[0]}`, dealer())).json.stock as Array<{
      locationId: string;
      available: number;
    }>;
    await adjust("WH-A", sku[0]!, 1 - st.find((s) => s.locationId === loc["WH-A"])!.available);
    await adjust("WH-B", sku[0]!, 60);
    // A forecast made a week ago (3 a day) gives the chart a track record to show next to the new forecast.
    await h.stack.svc.db.sql.query(
      `INSERT INTO forecasts (scope, scope_id, sku_id, granularity, origin, model, mean, quantiles, cv_mase, mase_scale, history_len)
       VALUES ('warehouse', $1, $2, 'day', $3, 'ses', $4, $5, 1, 1, 30)`,
      [
        loc["WH-A"],
        sku[0],
        shift(today, -7, "day"),
        JSON.stringify(Array(7).fill(3)),
        JSON.stringify({ "0.1": Array(7).fill(1), "0.9": Array(7).fill(3) }),
      ],
    );
    dealerUser = await h.api.userWithRoles("dealer", ["company_admin"]);
  });
  after(async () => {
    await h?.close();
  });

  /** Opens the chart of the wiper at WH-A and checks it is drawn with its accuracy and model. */
  const openChart = async (page: Page) => {
    await page.getByRole("button", { name: "查看 雨刮片 的预测图" }).first().click();
    const chart = page.getByTestId("forecast-chart");
    await chart.waitFor();
    await chart.locator("[data-testid=forecast-echart] canvas").waitFor();
    const accuracy = await chart.getByTestId("forecast-accuracy").textContent();
    expect(accuracy).to.include("已对照 1 次以往预测").and.include("10–90% 区间内");
    expect(await chart.getByTestId("forecast-facts").textContent()).to.include("预测模型");
    // The canvas has been painted (not blank).
    const painted = await chart.locator("[data-testid=forecast-echart] canvas").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(painted).to.be.greaterThan(1000);
  };

  it("the distributor refits, reads the list, opens a chart and proposes a transfer its proposer cannot approve (desktop)", async () => {
    const page = await h.page("desktop");
    await page.goto(h.url("/distributor/replenishment"));
    await login(page, dealerUser.mobile, PASSWORD);
    const n = await counted(page);
    await page.getByRole("button", { name: "重新预测" }).click();
    await page.getByText(/已重新预测 \d+ 条序列/).waitFor();
    const wiperRow = rows(page, "replenishment-table").filter({ hasText: "仓库WH-A" }).filter({ hasText: "雨刮片" });
    await wiperRow.waitFor();
    const text = (await wiperRow.textContent()) ?? "";
    expect(text).to.include("调拨").and.include("从 仓库WH-B 调入");
    await checkA11y(page, "replenishment list");
    await shot(page, "forecast-replenishment-desktop");

    await openChart(page);
    await checkA11y(page, "forecast chart");
    await shot(page, "forecast-chart-desktop");
    await page.keyboard.press("Escape");
    await page.getByTestId("forecast-chart").waitFor({ state: "detached" });

    await wiperRow.getByRole("button", { name: "提议调拨" }).click();
    await page.getByText("调拨已提议").waitFor();
    const interactions = (await n.read()).total;
    console.log(`      refit → list → chart → transfer proposed: ${interactions} interactions`);
    const proposed = (await h.api.call("GET", "/api/v1/inventory/transfers?status=proposed", dealer())).json
      .transfers as Array<{ id: string; proposedBy: string; toLocation: string; fromLocation: string }>;
    const mine = proposed.find((t) => t.toLocation === loc["WH-A"])!;
    expect(mine).to.include({ fromLocation: loc["WH-B"] });
    // The transfers screen offers its proposer no approve button; the API refuses the proposer too.
    await page.goto(h.url("/distributor/transfers"));
    await page.getByText("调拨需另一人批准").waitFor();
    await page.locator("tbody tr.ant-table-row").first().waitFor();
    expect(await page.getByRole("button", { name: /^批\s*准$/ }).count()).to.equal(0);
    const self = await h.api.call("POST", `/api/v1/inventory/transfers/${mine.id}/approve`, dealerUser.token, {});
    expect([self.status, self.json.code]).to.deep.equal([403, "TRANSFER.SAME_PERSON"]);
    await page.context().close();
  });

  it("the list and the chart on a phone, for a salesperson who may read but not act", async () => {
    const sales = await h.api.userWithRoles("dealer", ["sales"]);
    const page = await h.page("phone");
    await page.goto(h.url("/distributor/replenishment"));
    await login(page, sales.mobile, PASSWORD);
    await rows(page, "replenishment-table").first().waitFor();
    // Without replenishment:edit, forecast:edit and replenishment:configure there are no buttons to press.
    for (const name of ["提议调拨", "提交采购审批", "重新预测", "服务水平设置"])
      expect(await page.getByRole("button", { name }).count(), name).to.equal(0);
    await checkA11y(page, "replenishment list (phone)");
    await shot(page, "forecast-replenishment-phone");
    await openChart(page);
    await checkA11y(page, "forecast chart (phone)");
    await shot(page, "forecast-chart-phone");
    await page.context().close();
  });

  it("the manufacturer's province map colours the provinces with forecast demand (desktop and phone)", async () => {
    const maker = await h.api.userWithRoles("maker", ["company_admin"]);
    for (const viewport of ["desktop", "phone"] as const) {
      const page = await h.page(viewport);
      await page.goto(h.url("/manufacturer/regional-demand"));
      await login(page, maker.mobile, PASSWORD);
      await page.locator("[data-testid=regional-map] canvas").waitFor();
      if (viewport === "desktop") {
        await page.getByRole("button", { name: "重新预测" }).click();
        await page.getByText(/已重新预测 \d+ 条序列/).waitFor();
      }
      const table = rows(page, "regional-table");
      await table.filter({ hasText: "广东" }).waitFor();
      await table.filter({ hasText: "浙江" }).waitFor();
      // Every province with demand has a forecast and an interval (not "—").
      for (const r of await table.allTextContents()) expect(r).to.match(/\d+ – \d+$/);
      // ECharts' own description of the map's data (aria) names the provinces it coloured.
      const map = page.getByTestId("regional-map");
      await page.waitForFunction(() =>
        /广东/.test(document.querySelector("[data-testid=regional-map]")?.getAttribute("aria-label") ?? ""),
      );
      expect(await map.getAttribute("aria-label"))
        .to.include("广东")
        .and.include("浙江");
      await page.getByText("未来 12 个月", { exact: true }).click();
      await table.filter({ hasText: "浙江" }).waitFor();
      await checkA11y(page, `regional map (${viewport})`);
      await shot(page, `forecast-regional-${viewport}`);
      await page.context().close();
    }
  });

  it("the platform's team saves a seasonal factor in the calendar", async () => {
    const created = await h.api.call("POST", "/api/v1/users", OPERATOR, {
      name: "季节因子编辑",
      mobile: "13912340071",
      password: PASSWORD,
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    await h.stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [
      created.json.id,
      ["platform_operator"],
    ]);
    const page = await h.page("desktop");
    await page.goto(h.url("/platform/seasonal-factors"));
    await login(page, "13912340071", PASSWORD);
    await rows(page, "seasonal-table").first().waitFor();
    await checkA11y(page, "seasonal calendar");
    await page.getByRole("button", { name: "设置因子" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("配件类型").click();
    await page.keyboard.type("wiper_blade");
    await page.locator(".ant-select-item-option", { hasText: "(wiper_blade)" }).first().click();
    await dialog.getByLabel("省份").click();
    await page.keyboard.type("海南");
    await page.locator(".ant-select-item-option", { hasText: "海南省" }).first().click();
    await dialog.locator(".ant-modal-title").click();
    await dialog.getByLabel("月份").fill("5");
    await dialog.getByLabel("因子").fill("2.4");
    await dialog.getByLabel("原因（中文）").fill("雨季将至：海南雨刮需求上升");
    await checkA11y(page, "seasonal factor form");
    await dialog.getByRole("button", { name: /^保\s*存$/ }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText("季节因子已保存").waitFor();
    const got = await h.api.call("GET", "/api/v1/seasonal-factors?partType=wiper_blade&provinceCode=460000", OPERATOR);
    const may = (got.json.factors as Array<Record<string, unknown>>).find((f) => f.month === 5);
    expect(may).to.include({ factor: 2.4, reasonZh: "雨季将至：海南雨刮需求上升", source: "manual" });
    await rows(page, "seasonal-table").filter({ hasText: "雨季将至：海南雨刮需求上升" }).waitFor();
    await shot(page, "forecast-seasonal-desktop");
    await page.context().close();
  });

  it("keeps the login page's first load small and ran without page errors or CSP violations", async () => {
    const page = await h.page("desktop");
    const urls: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/console/") && /\.(js|css)$/.test(u.pathname)) urls.push(u.pathname);
    });
    await page.goto(h.url("/"));
    await page.locator("form#login").waitFor();
    await page.waitForLoadState("networkidle");
    await page.context().close();
    const bytes = [...new Set(urls)].reduce(
      (s, p) => s + gzipSync(readFileSync(DIST + p.replace(/^\/console\//, ""))).length,
      0,
    );
    const kb = Math.round((bytes / 1024) * 10) / 10;
    console.log(
      `      firstLoadKb: ${kb} (no map or ECharts on the login page: ${urls.some((u) => /echarts|Regional/.test(u)) ? "FAILED" : "ok"})`,
    );
    expect(urls.some((u) => /echarts|Regional/.test(u))).to.equal(false);
    expect(kb).to.be.at.most(400);
    expect(h.problems).to.deep.equal([]);
  });
});
