import { expect } from "chai";
import type { Page } from "playwright-core";
import { OPERATOR, uscc } from "../helpers/app.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";

const PASSWORD = "correct horse battery";

/**
 * The services marketplace in Chromium (issue 17): a training and rental provider lists a course with a session and
 * a lift; a repair shop enrols a technician and rents the lift; the rental is stopped (its start moved 90 minutes
 * back, as the forecasting stories date their orders); the provider completes the session and settles the rental;
 * the settlement screen shows the 5% commission. axe on every screen; screenshots in test-output/services-*.png.
 */
describe("services marketplace: list → enrol and rent → stop → settle with commission @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let provider: { mobile: string };
  let shop: { mobile: string };
  const screen = async (page: Page, name: string) => {
    await checkA11y(page, `services ${name}`);
    await shot(page, `services-${name}`);
  };
  const rows = (page: Page, testId: string) => page.getByTestId(testId).locator("tr.ant-table-row");
  // The run's own names: the suite's database holds other stories' courses, sessions and lifts near the same shop.
  const tag = Math.random().toString(36).slice(2, 6).toUpperCase();
  const course = `新能源汽车高压安全实操 ${tag}`;
  const place = `杭州市西湖区培训中心 3 楼 ${tag}`;
  const lift = `双柱举升机 4 吨 ${tag}`;
  const trainee = `张师傅${tag}`;

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    const reg = await h.api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州匠心汽修培训与设备租赁有限公司",
      uscc: uscc("91330106MA2C00017"),
      kind: "service_provider",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.27 },
    });
    expect(reg.status, JSON.stringify(reg.json)).to.equal(201);
    h.api.keys.provider = reg.json.apiKey;
    provider = await h.api.userWithRoles("provider", ["service_manager"]);
    shop = await h.api.userWithRoles("shop", ["buyer"]);
  });
  after(async () => {
    expect(h?.problems ?? []).to.deep.equal([]);
    await h?.close();
  });

  it("walks the whole story and shows the commission on settlement", async () => {
    // ── the provider lists a course, a session and a lift ──
    const p = await h.page("desktop");
    await login(p, provider.mobile, PASSWORD, h.origin);
    await p.goto(h.url("/services/catalogue"));
    const courseForm = p.locator("form#course");
    await courseForm.locator("#course_title").fill(course);
    await courseForm.locator("#course_price").fill("1200");
    await courseForm.locator("button[type=submit]").click();
    await p.getByText(course).waitFor();
    const sessionForm = p.locator("form[id^=session-]");
    await sessionForm.locator("input[id$=_place]").fill(place);
    await sessionForm.locator("input[id$=_seats]").fill("12");
    await sessionForm.locator("button[type=submit]").click();
    await p.getByText("0 / 12").or(p.getByText("12 / 12")).first().waitFor();
    const eq = p.locator("form#equipment");
    await eq.locator("#equipment_name").fill(lift);
    await eq.locator("#equipment_rate").fill("60");
    await eq.locator("#equipment_deposit").fill("500");
    await eq.locator("#equipment_place").fill("杭州市西湖区文三路 1 号");
    await eq.locator("button[type=submit]").click();
    await p.getByText(lift).waitFor();
    await screen(p, "catalogue");

    // ── the shop enrols a technician and rents the lift ──
    const s = await h.page("desktop");
    await login(s, shop.mobile, PASSWORD, h.origin);
    await s.goto(h.url("/shop/training"));
    const session = rows(s, "shop-training").filter({ hasText: place }).last();
    await session.waitFor();
    await session.getByPlaceholder("学员姓名").fill(trainee);
    await session.getByRole("button", { name: /^报\s*名$/ }).click();
    await rows(s, "shop-training").filter({ hasText: trainee }).filter({ hasText: "已报名" }).waitFor();
    await session.getByText("11 / 12").waitFor();
    await screen(s, "shop-training");

    await s.goto(h.url("/shop/equipment"));
    await rows(s, "shop-equipment")
      .filter({ hasText: lift })
      .getByRole("button", { name: /^租\s*用$/ })
      .first()
      .click();
    await s
      .locator(".ant-modal")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await rows(s, "shop-equipment").filter({ hasText: lift }).filter({ hasText: "租用中" }).first().waitFor();
    await screen(s, "shop-equipment");
    await h.stack.svc.db.sql.query(
      `UPDATE service_rentals SET started_at = now() - interval '89 minutes 40 seconds'
        WHERE status = 'active' AND equipment_id IN (SELECT id FROM service_equipment WHERE name = $1)`,
      [lift],
    );
    await s.reload();
    await rows(s, "shop-equipment").filter({ hasText: lift }).getByRole("button", { name: "停止计费并归还" }).click();
    const returned = rows(s, "shop-equipment").filter({ hasText: lift }).filter({ hasText: "已归还" }).first();
    await returned.waitFor();
    expect(await returned.textContent())
      .to.include("90 分钟")
      .and.include("¥90.00");

    // ── the provider completes the session and settles the rental ──
    await p.goto(h.url("/services/catalogue"));
    await p.getByRole("button", { name: "结课并结算" }).click();
    await p.getByText("已结课").first().waitFor();
    await p.goto(h.url("/services/rentals"));
    await rows(p, "provider-rentals").filter({ hasText: "已归还" }).waitFor();
    await screen(p, "provider-rentals");
    await p.getByRole("button", { name: /^结\s*算$/ }).click();
    await rows(p, "provider-rentals").filter({ hasText: "已结算" }).waitFor();

    await p.goto(h.url("/services/settlements"));
    const table = p.getByTestId("services-settlements");
    await table.getByText("¥4.50").waitFor(); // 5% of ¥90.00
    await table.getByText("¥60.00").first().waitFor(); // 5% of ¥1,200.00
    const text = (await table.textContent()) ?? "";
    expect(text).to.include("¥85.50").and.include("¥1,140.00").and.include("¥410.00"); // nets; ¥500 − ¥90 refunded
    await screen(p, "settlements");

    // the API agrees: one settlement per service, commission rounded half up, deposit identity holds
    const api = await h.api.call("GET", "/api/v1/services/settlements", h.api.keys.provider!);
    const list = api.json.settlements as Array<Record<string, number | string>>;
    expect(list).to.have.length(2);
    for (const st of list) {
      expect(Number(st.netFen) + Number(st.commissionFen)).to.equal(Number(st.grossFen));
      expect(Number(st.depositFen) + Number(st.dueFen)).to.equal(
        Number(st.grossFen) + Number(st.claimsFen) + Number(st.refundFen),
      );
    }
    expect(api.json.totals).to.deep.equal({ grossFen: 129_000, commissionFen: 6_450, netFen: 122_550 });

    // a shop's buyer has no provider screens, and the provider no booking buttons
    await s.goto(h.url("/services/catalogue"));
    expect(await s.locator("form#course").count()).to.equal(0);
    await p.goto(h.url("/services/catalogue"));
    expect(await p.getByRole("button", { name: /^报\s*名$/ }).count()).to.equal(0);
  });

  it("offers 同城配送; a distributor books an order's shipment; the provider delivers and it is settled and billed", async () => {
    const [skuId] = (await importSkus(h.api, ["bosch,0 986 494 200,后刹车片,brake_pad,aftermarket,后"])) as [number];
    const wh = await sharedWarehouse(h.api, h.api.keys.dealer!, {
      code: "HZ-E2E",
      name: "杭州汽配城一号仓",
      regionCode: "330104",
      location: { lng: 120.2, lat: 30.29 },
    });
    await stockShared(h.api, h.api.keys.dealer!, { locationId: wh, skuId, quantity: 5, price: 88 });
    const order = await h.api.call("POST", "/api/v1/orders", h.api.keys.shop!, {
      lines: [{ skuId, quantity: 1 }],
      policy: "all_or_nothing",
    });
    expect(order.status, JSON.stringify(order.json)).to.equal(201);
    const clerk = await h.api.userWithRoles("dealer", ["warehouse_clerk"]);

    // ── the provider publishes a tariff over Hangzhou ──
    const p = await h.page("desktop");
    await login(p, provider.mobile, PASSWORD, h.origin);
    await p.goto(h.url("/services/deliveries"));
    const form = p.locator("form#tariff");
    await form.locator("#tariff_name").fill("杭州同城配送");
    await form.locator("#tariff_base").fill("15");
    await form.locator("#tariff_perKm").fill("2");
    await form.locator("#tariff_perKg").fill("0.5");
    await form.locator("#tariff_area").fill("330100");
    await form.locator("button[type=submit]").click();
    await p.getByText("杭州同城配送").first().waitFor();

    // Two tariffs that do not serve this shipment: one elsewhere, one holding the warehouse's district only.
    for (const [name, area] of [
      ["广州同城配送", "440100"],
      ["上城区内配送", "330104"],
    ] as const) {
      const made = await h.api.call("POST", "/api/v1/services/delivery-tariffs", h.api.keys.provider!, {
        name,
        baseFen: 1000,
        perKmFen: 100,
        perKgFen: 10,
        areaCodes: [area],
      });
      expect(made.status, JSON.stringify(made.json)).to.equal(201);
    }

    // ── the distributor's clerk books the shipment ──
    const d = await h.page("desktop");
    await login(d, clerk.mobile, PASSWORD, h.origin);
    await d.goto(h.url("/services/book-delivery"));
    const book = d.locator("form#book");
    // the shipment is picked from the clerk's orders still to leave, not typed
    await book.locator("#book_shipment").click();
    await d
      .locator(".ant-select-item-option")
      .filter({ hasText: order.json.id as string })
      .click();
    // then a tariff: those whose area does not hold both ends (warehouse 330104, shop 330106) are offered disabled
    await book.locator("#book_tariffId").click();
    const option = (name: string) => d.locator(".ant-select-item-option").filter({ hasText: name });
    for (const name of ["广州同城配送", "上城区内配送"])
      expect(await option(name).getAttribute("class"), name).to.contain("ant-select-item-option-disabled");
    expect(await option("杭州同城配送").getAttribute("class")).to.not.contain("ant-select-item-option-disabled");
    await option("杭州同城配送").click();
    await book.locator("#book_weightKg").fill("12.5");
    await book.locator("button[type=submit]").click();
    await rows(d, "my-deliveries-table").filter({ hasText: "待接单" }).waitFor();
    const booked = await h.api.call("GET", "/api/v1/services/deliveries", h.api.keys.dealer!);
    expect(booked.json.deliveries.find((x: { orderId: string }) => x.orderId === order.json.id)).to.include({
      locationId: wh,
    });
    await screen(d, "book-delivery");
    // On a phone the form and the tables stay within the screen (tables scroll inside their cards).
    const phone = await h.page("phone");
    await login(phone, clerk.mobile, PASSWORD, h.origin);
    await phone.goto(h.url("/services/book-delivery"));
    await phone.locator("form#book #book_shipment").waitFor();
    const right = await phone.evaluate(() =>
      Math.max(...[...document.querySelectorAll("form#book *")].map((e) => e.getBoundingClientRect().right)),
    );
    expect(right, "the form wider than the phone").to.be.at.most(390);
    await shot(phone, "services-book-delivery-phone");

    // ── the provider accepts, picks up, delivers ──
    await p.reload();
    for (const [button, state] of [
      [/^接\s*单$/, "已接单"], // antd spaces a two-character label
      [/^确认取货$/, "已取货"],
      [/^确认送达并结算$/, "已送达"],
    ] as const) {
      await rows(p, "provider-deliveries-table").getByRole("button", { name: button }).click();
      await rows(p, "provider-deliveries-table").filter({ hasText: state }).waitFor();
    }
    await screen(p, "provider-deliveries");

    // the charge is the tariff's; settled with the 5 % logistics commission and billed to the distributor
    const list = await h.api.call("GET", "/api/v1/services/deliveries", h.api.keys.provider!);
    const done = list.json.deliveries[0];
    expect(done.chargeFen).to.equal(1_500 + Math.floor((done.distanceM * 200 + 12_500 * 50 + 500) / 1000));
    expect(done.settlement.netFen + done.settlement.commissionFen).to.equal(done.chargeFen);
    const billed = await h.stack.svc.db.sql.query<{ source: string; total: number }>(
      "SELECT source, total_fen::float8 AS total FROM invoices WHERE settlement_id = $1 ORDER BY source",
      [done.settlement.id],
    );
    expect(billed.rows).to.deep.equal([
      { source: "commission", total: done.settlement.commissionFen },
      { source: "service", total: done.chargeFen },
    ]);
  });
});
