import { expect } from "chai";
import type { Page } from "playwright-core";
import { OPERATOR, uscc } from "../helpers/app.js";
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
    await courseForm.locator("#course_title").fill("新能源汽车高压安全实操");
    await courseForm.locator("#course_price").fill("1200");
    await courseForm.locator("button[type=submit]").click();
    await p.getByText("新能源汽车高压安全实操").waitFor();
    const sessionForm = p.locator("form[id^=session-]");
    await sessionForm.locator("input[id$=_place]").fill("杭州市西湖区培训中心 3 楼");
    await sessionForm.locator("input[id$=_seats]").fill("12");
    await sessionForm.locator("button[type=submit]").click();
    await p.getByText("0 / 12").or(p.getByText("12 / 12")).first().waitFor();
    const eq = p.locator("form#equipment");
    await eq.locator("#equipment_name").fill("双柱举升机 4 吨");
    await eq.locator("#equipment_rate").fill("60");
    await eq.locator("#equipment_deposit").fill("500");
    await eq.locator("#equipment_place").fill("杭州市西湖区文三路 1 号");
    await eq.locator("button[type=submit]").click();
    await p.getByText("双柱举升机 4 吨").waitFor();
    await screen(p, "catalogue");

    // ── the shop enrols a technician and rents the lift ──
    const s = await h.page("desktop");
    await login(s, shop.mobile, PASSWORD, h.origin);
    await s.goto(h.url("/shop/training"));
    await s.getByText("杭州市西湖区培训中心 3 楼").waitFor();
    await s.getByPlaceholder("学员姓名").fill("张师傅");
    await s.getByRole("button", { name: /^报\s*名$/ }).click();
    await rows(s, "shop-training").filter({ hasText: "张师傅" }).filter({ hasText: "已报名" }).waitFor();
    await s.getByText("11 / 12").waitFor();
    await screen(s, "shop-training");

    await s.goto(h.url("/shop/equipment"));
    await s
      .getByRole("button", { name: "租 用" })
      .or(s.getByRole("button", { name: "租用" }))
      .first()
      .click();
    await s
      .locator(".ant-modal")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await rows(s, "shop-equipment").filter({ hasText: "租用中" }).first().waitFor();
    await screen(s, "shop-equipment");
    await h.stack.svc.db.sql.query(
      "UPDATE service_rentals SET started_at = now() - interval '89 minutes 40 seconds' WHERE status = 'active'",
    );
    await s.reload();
    await s.getByRole("button", { name: "停止计费并归还" }).click();
    const returned = rows(s, "shop-equipment").filter({ hasText: "已归还" }).first();
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
});
