import { expect } from "chai";
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { OPERATOR } from "../helpers/app.js";
import { formatShanghai } from "../../api/web/src/widgets/format.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, platformOperator } from "./stories/common.js";

/**
 * Issue 17's cockpit drill-down in Chromium: the rows behind a KPI are headed in words (Chinese, then English after the
 * switch), not the API's keys, and their instants read in Beijing time (Asia/Shanghai) whatever the browser's zone,
 * with the console's date formatter; statuses and flags in words. axe on both views; screenshots in
 * test-output/cockpit-*.png.
 */
describe("the cockpit's drill-down: column names in words, Beijing times @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let operator: { email: string };
  // An order placed at 23:30 UTC yesterday: the next calendar day in Beijing, so a UTC rendering would show.
  const placed = new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 1, 23, 30),
  );
  const orderId = `ord_${randomBytes(8).toString("hex")}`;

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    operator = await platformOperator(h);
    const sql = h.stack.svc.db.sql;
    const { rows: sku } = await sql.query<{ id: number }>(
      `INSERT INTO catalog_skus (brand, part_no, part_no_norm, name, part_type, kind, terms)
       VALUES ('bosch', 'CKE2E', 'CKE2E', '刹车片', 'brake_pad', 'aftermarket', to_tsvector('simple', '刹车片'))
       RETURNING id::int AS id`,
    );
    const loc = `loc_${randomBytes(8).toString("hex")}`;
    await sql.query(
      `INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat)
       VALUES ($1, $2, 'E2E', '杭州仓', '330106', 120.1, 30.2)`,
      [loc, h.api.ids.dealer],
    );
    await sql.query(
      `INSERT INTO orders (id, buyer_id, status, urgent, policy, ship_lng, ship_lat, created_at, updated_at)
       VALUES ($1, $2, 'shipped', true, 'partial', 120.1, 30.2, $3, $3)`,
      [orderId, h.api.ids.shop, placed.toISOString()],
    );
    await sql.query(
      "INSERT INTO order_lines (order_id, line_no, sku_id, quantity, allocated) VALUES ($1, 1, $2, 3, 2)",
      [orderId, sku[0]!.id],
    );
    await sql.query(
      `INSERT INTO order_allocations (order_id, line_no, location_id, seller_id, quantity, price_fen, distance_m)
       VALUES ($1, 1, $2, $3, 2, 1000, 100)`,
      [orderId, loc, h.api.ids.dealer],
    );
    for (const [to, at] of [
      ["placed", placed],
      ["shipped", new Date(placed.getTime() + 2 * 3_600_000)],
    ] as const)
      await sql.query("INSERT INTO order_events (order_id, to_status, actor, at) VALUES ($1, $2, 'e2e', $3)", [
        orderId,
        to,
        at.toISOString(),
      ]);
    const r = await h.api.call("POST", "/api/v1/cockpit/refresh", OPERATOR, {});
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
  });
  after(async () => {
    await h?.close();
  });

  const table = (page: Page) => page.getByTestId("cockpit-rows");
  const headers = async (page: Page) =>
    (await table(page).locator("thead th").allTextContents()).map((x) => x.trim()).filter(Boolean);
  const rowOf = (page: Page) => table(page).locator("tbody tr.ant-table-row", { hasText: orderId });

  it("heads the rows in Chinese, then English, and shows Beijing times", async () => {
    const page = await h.page("desktop");
    await page.goto(h.url("/cockpit"));
    await login(page, operator.email, PASSWORD);
    await rowOf(page).waitFor();
    const zh = await headers(page);
    expect(zh).to.include.members(["订单号", "下单时间", "买方", "状态", "加急", "发货时间"]);
    for (const raw of ["orderId", "placedAt", "shippedAt", "scopeUnits"]) expect(zh).to.not.include(raw);
    const text = (await rowOf(page).textContent()) ?? "";
    // 23:30 UTC is 07:30 the next day in Beijing; the API's ISO string is not shown.
    expect(text)
      .to.include(formatShanghai(placed))
      .and.include(formatShanghai(placed.getTime() + 2 * 3_600_000));
    expect(formatShanghai(placed)).to.match(/ 07:30$/);
    expect(text).to.not.include(placed.toISOString());
    expect(text).to.include("已发货").and.include("是");
    const time = rowOf(page).locator("time").first();
    expect(await time.getAttribute("datetime")).to.equal(placed.toISOString());
    await checkA11y(page, "cockpit drill-down (zh-CN)");
    await shot(page, "cockpit-rows-zh");

    await page.locator(".ant-segmented-item", { hasText: "EN" }).first().click();
    await table(page).locator("thead th", { hasText: "Placed at" }).waitFor();
    const en = await headers(page);
    expect(en).to.include.members(["Order", "Placed at", "Buyer", "Status", "Urgent", "Shipped at"]);
    expect(await rowOf(page).textContent())
      .to.include(formatShanghai(placed))
      .and.include("Yes");
    await checkA11y(page, "cockpit drill-down (en)");
    await shot(page, "cockpit-rows-en");
    expect(h.problems).to.deep.equal([]);
  });
});
