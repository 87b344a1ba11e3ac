import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { importSkus, registerLenders, sharedWarehouse, stockShared } from "../helpers/fixtures.js";
import { checkA11y, login, shot, startConsole, type ConsoleHarness } from "./harness.js";
import { PASSWORD, openVerifyPage } from "./stories/auditor.js";

/**
 * The auditor page's receipt mode in Chromium (DECISIONS 117): a lender's credit officer checks a pledged receipt
 * fetched from the platform — verified in the browser by the CLI's verifyReceiptBundle; after the lender releases a
 * unit, the bundle file kept from before is dropped and refused: that unit is released on chain. axe on the verdicts.
 */
describe("the lender verifies a warehouse-receipt pledge in the browser @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;
  let receiptId = "";
  let serials: string[] = [];
  let mobile = "";
  let tmp = "";
  const gtin = gtin14("0690123456794");
  const receipts = "/api/v1/finance/warehouse-receipts";

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
    const api = h.api;
    const [sku] = (await importSkus(api, ["bosch,0 986 479 101,后刹车盘,brake_disc,aftermarket,后"])) as [number];
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-RV",
      productionDate: "2026-11-20",
      count: 2,
      product: { brand: "BOSCH 博世", name: "后刹车盘", skuId: sku },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const parts = serials.map((serial) => ({ gtin, serial }));
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts })).status).to.equal(201);
    await registerLenders(api, [["lenderA", "杭州联合农村商业银行股份有限公司", "91330100MA2B00031"]]);
    const site = { code: "RV-1", name: "仓库RV-1", regionCode: "330106", location: { lng: 120.14, lat: 30.265 } };
    const wh = await sharedWarehouse(api, api.keys.dealer!, site);
    await stockShared(api, api.keys.dealer!, {
      locationId: wh,
      skuId: sku,
      quantity: 2,
      price: 100,
      reason: "receipt",
    });
    const clerk = await api.keyWithRoles("dealer", ["warehouse_clerk"]);
    const issued = await api.call("POST", receipts, clerk, { locationId: wh, lines: [{ skuId: sku, parts }] });
    expect(issued.status, JSON.stringify(issued.json)).to.equal(201);
    receiptId = issued.json.id;
    const treasurer = await api.keyWithRoles("dealer", ["finance"]);
    const pledged = await api.call("POST", `${receipts}/${receiptId}/pledge`, treasurer, { lenderId: api.ids.lenderA });
    expect(pledged.status, JSON.stringify(pledged.json)).to.equal(200);
    await h.stack.svc.worker.runUntilFinal();
    ({ mobile } = await api.userWithRoles("lenderA", ["credit_officer"]));
    tmp = mkdtempSync(join(tmpdir(), "receipt-e2e-"));
  });
  after(async () => {
    await h?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const check = async (page: Page) => {
    await page.getByTestId("verify-receipt-id").fill(receiptId);
    await page.getByTestId("verify-receipt-run").click();
    const v = page.getByTestId("receipt-verdict");
    await v.waitFor({ timeout: 60_000 });
    const units = await page.locator("[data-testid=receipt-units] tbody tr.ant-table-row").evaluateAll((rows) =>
      rows.map((r) => ({
        text: r.textContent ?? "",
        status: (r.querySelector("[data-status]") as HTMLElement | null)?.dataset.status ?? "",
      })),
    );
    return { verdict: await v.getAttribute("data-verdict"), ms: Number(await v.getAttribute("data-verify-ms")), units };
  };

  it("fetched from the platform: verified; a bundle kept from before a release is refused as released", async () => {
    const page = await h.page();
    await login(page, mobile, PASSWORD, h.origin);
    await openVerifyPage(h, page);
    await page.locator(".ant-segmented-item", { hasText: "仓单" }).click();
    const ok = await check(page);
    expect(ok.verdict, JSON.stringify(ok.units)).to.equal("verified");
    expect(ok.units.map((u) => u.status)).to.deep.equal(["pledged", "pledged"]);
    console.log(`      receipt mode: 2 units verified in the browser in ${ok.ms} ms`);
    await checkA11y(page, "auditor verify, receipt verified");
    await shot(page, "auditor-receipt-verified");

    // The bundle as the lender kept it, then the lender releases serial 0 (a partial repayment).
    const kept = await h.api.call("GET", `${receipts}/${receiptId}/bundle`, h.api.keys.lenderA!);
    expect(kept.status).to.equal(200);
    const file = join(tmp, `${receiptId}.json`);
    writeFileSync(file, JSON.stringify(kept.json));
    const approver = await h.api.keyWithRoles("lenderA", ["credit_approver"]);
    const rel = await h.api.call("POST", `${receipts}/${receiptId}/release`, approver, {
      reference: "BANK-RV-1",
      parts: [{ gtin, serial: serials[0] }],
    });
    expect(rel.status, JSON.stringify(rel.json)).to.equal(200);
    await h.stack.svc.worker.runUntilFinal();

    await page.getByTestId("verify-receipt-drop").locator("input[type=file]").setInputFiles(file);
    await page.getByTestId("verify-receipt-file").waitFor();
    const stale = await check(page);
    expect(stale.verdict).to.equal("failed");
    const byStatus = Object.fromEntries(stale.units.map((u) => [u.status, u.text]));
    expect(Object.keys(byStatus).sort()).to.deep.equal(["pledged", "released"]);
    expect(byStatus.released).to.contain(serials[0]).and.to.contain("bundle not current");
    await checkA11y(page, "auditor verify, stale receipt bundle");
    await shot(page, "auditor-receipt-stale");

    // Fetched afresh, the receipt covers serial 1 only, and verifies.
    await page.getByRole("button", { name: "改为从平台获取" }).click();
    const fresh = await check(page);
    expect(fresh.verdict).to.equal("verified");
    expect(fresh.units).to.have.length(1);
  });
});
