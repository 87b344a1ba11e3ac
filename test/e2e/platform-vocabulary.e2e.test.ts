import { expect } from "chai";
import { csvLines, generateCatalog, type GenSku } from "../../scripts/lib/catalog-generator.js";
import { OPERATOR } from "../helpers/app.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";

const PASSWORD = "correct horse battery";

/**
 * The platform's catalogue team keeps the search vocabulary in the console (issue 13, DECISIONS 63, 70): imports a
 * synonym CSV with one bad row (the row's line, field and reason shown), adds a synonym through the form, reads the
 * learned brands with their pinyin and SKU counts — and a shop's search understands the new words at once. A repair
 * shop's user does not see the screen. axe on each view; screenshots in test-output/platform-vocabulary-*.png.
 */
describe("the platform's catalogue team edits the search vocabulary (console) @e2e", function () {
  this.timeout(300_000);
  let h: ConsoleHarness;
  let mobile: string;
  const shocks: GenSku[] = [];
  const search = async (q: string) =>
    (await h.api.call("GET", `/api/v1/catalog/search?q=${encodeURIComponent(q)}`, h.api.keys.shop!)).json as {
      understood: { partType: string | null };
      results: Array<{ partType: string }>;
    };

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
    // A few shock absorbers (and the brands they bring) imported by the manufacturer.
    generateCatalog({ seed: 5, onSku: (s) => s.partType === "shock_absorber" && shocks.length < 40 && shocks.push(s) });
    const l = csvLines();
    const r = await fetch(`${h.origin}/api/v1/catalog/imports/skus`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${h.api.keys.maker}` },
      body: [l.skusHeader, ...shocks.map(l.sku)].join("\n"),
    });
    expect(r.status).to.equal(200);
    // A platform user (no company) of the platform operator's role: the catalogue team.
    const created = await h.api.call("POST", "/api/v1/users", OPERATOR, {
      name: "词库编辑",
      mobile: "13912340070",
      password: PASSWORD,
    });
    expect(created.status, JSON.stringify(created.json)).to.equal(201);
    await h.stack.svc.db.sql.query("UPDATE users SET roles = $2::text[] WHERE id = $1", [
      created.json.id,
      ["platform_operator"],
    ]);
    mobile = "13912340070";
  });
  after(async () => {
    await h?.close();
  });

  it("imports a CSV with a bad row, adds a synonym in the form, lists brands; search uses the new words at once", async () => {
    expect((await search("阻尼器")).understood.partType, "unknown before").to.equal(null);
    const page = await h.page("desktop");
    await login(page, mobile, PASSWORD, h.origin);
    await page.getByRole("menuitem", { name: "搜索词库" }).click();
    const table = page.getByTestId("synonyms-table");
    await table.locator("tbody tr.ant-table-row").first().waitFor();
    await page.getByRole("searchbox", { name: "搜索词或配件类型" }).fill("三滤");
    await table.locator("tbody tr.ant-table-row", { hasText: "三滤" }).waitFor();
    expect(await table.locator("tbody tr.ant-table-row", { hasText: "三滤" }).textContent()).to.include("机油滤清器");
    await page.getByRole("searchbox", { name: "搜索词或配件类型" }).fill("");
    await checkA11y(page, "vocabulary: synonyms");

    // The CSV: one new term, one that replaces a seeded term, one bad side (line 4).
    await page.locator("input[type=file]").setInputFiles({
      name: "synonyms.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("term,partTypes,position,kind\n阻尼器,减震器,,\n雨刷,wiper_blade,,\n前杠皮,bumper,上,\n"),
    });
    const result = page.getByTestId("import-result");
    await result.waitFor();
    expect(await result.locator(".ant-alert").textContent()).to.include(
      "synonyms.csv：新增 1 条，更新 1 条，拒绝 1 条",
    );
    const bad = await page.getByTestId("import-errors").locator("tbody tr").allTextContents();
    expect(bad).to.have.length(1);
    expect(bad[0])
      .to.match(/^4position/)
      .and.include("上");
    await checkA11y(page, "vocabulary: import result");
    await shot(page, "platform-vocabulary-import");
    // The shop's search understands the imported term now; the rejected one is not there.
    const damper = await search("阻尼器");
    expect(damper.understood.partType).to.equal("shock_absorber");
    expect(damper.results.length).to.be.greaterThan(0);
    expect(damper.results.every((x) => x.partType === "shock_absorber")).to.equal(true);
    const terms = (await h.api.call("GET", "/api/v1/catalog/synonyms", OPERATOR)).json.synonyms.map(
      (x: { term: string }) => x.term,
    );
    expect(terms).to.include("阻尼器").and.not.include("前杠皮");

    // One synonym through the form: 灯胆 → 灯泡.
    await page.getByRole("button", { name: "新增同义词" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("词").fill("灯胆");
    await dialog.getByLabel("配件类型").click();
    await page.keyboard.type("灯泡");
    await page.locator(".ant-select-item-option", { hasText: "(bulb)" }).first().click();
    await dialog.locator(".ant-modal-title").click(); // closes the drop-down (Escape would close the dialog)
    await checkA11y(page, "vocabulary: add synonym");
    await dialog.getByRole("button", { name: /^保\s*存$/ }).click(); // antd spaces two-character labels
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("searchbox", { name: "搜索词或配件类型" }).fill("灯胆");
    await table.locator("tbody tr.ant-table-row", { hasText: "灯胆" }).waitFor();
    expect((await search("灯胆")).understood.partType).to.equal("bulb");

    // The learned brands: names, pinyin and SKU counts.
    await page.getByRole("tab", { name: "品牌" }).click();
    const brands = page.getByTestId("brands-table");
    await brands.locator("tbody tr.ant-table-row").first().waitFor();
    const list = (await h.api.call("GET", "/api/v1/catalog/brands", OPERATOR)).json.brands as Array<{
      name: string;
      skuCount: number;
      pinyin: string | null;
    }>;
    const top = list[0]!;
    expect(
      list.reduce((n, b) => n + b.skuCount, 0),
      "every imported SKU under its brand",
    ).to.equal(shocks.length);
    const firstRow = (await brands.locator("tbody tr.ant-table-row").first().textContent()) ?? "";
    expect(firstRow).to.include(top.name).and.include(String(top.skuCount));
    const withPinyin = list.find((b) => b.pinyin);
    if (withPinyin) expect(await brands.textContent()).to.include(withPinyin.pinyin!);
    await checkA11y(page, "vocabulary: brands");
    await shot(page, "platform-vocabulary-brands");
    expect(h.problems).to.deep.equal([]);
    await page.context().close();
  });

  it("is not there for a repair shop's user (catalog:approve is the platform's)", async () => {
    const { mobile: shopUser } = await h.api.userWithRoles("shop", ["company_admin"]);
    const page = await h.page("desktop");
    await page.goto(h.url("/platform/vocabulary"));
    await login(page, shopUser, PASSWORD);
    await page.getByText("找不到这个页面").waitFor();
    expect(await page.getByRole("menuitem", { name: "搜索词库" }).count()).to.equal(0);
    await page.context().close();
  });
});
