/**
 * The distributor's story (issue 12), reusable by `npm run bench:console`: a manufacturer sends a carton of 100
 * minted parts (through the API), the distributor's warehouse clerk receives it by scanning its label in the console
 * (the scanner types the code into the ScanInput and presses Enter), prices a SKU into the shared pool, and picks
 * and ships an order with serials. Answers its figures: receiveCartonInteractions (clicks + typed fields from the
 * home page to a received carton), receiveCartonMs, and what each step left in the database.
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import { gtin14 } from "../../../scripts/lib/identifiers.js";
import { checkA11y, counted, login, shot, type ConsoleHarness, type ViewportName } from "../harness.js";

export const PASSWORD = "correct horse battery";

export interface DistributorWorld {
  skuId: number;
  gtin: string;
  warehouseId: string;
  clerk: { mobile: string; token: string };
}

/** Catalogue SKU, a shared warehouse of the dealer, a clerk, a GTIN of the maker named as that SKU. */
export async function distributorWorld(h: ConsoleHarness): Promise<DistributorWorld> {
  const api = h.api;
  const csv = "brand,partNo,name,partType,kind,position\nbosch,0 986 494 555,前刹车片,brake_pad,aftermarket,前\n";
  const imp = await fetch(`${api.origin}/api/v1/catalog/imports/skus`, {
    method: "POST",
    headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
    body: csv,
  }).then((r) => r.json() as Promise<{ rowsOk: number }>);
  expect(imp.rowsOk).to.equal(1);
  const skuId = (await api.call("GET", "/api/v1/catalog/search?q=0986494555", api.keys.shop!)).json.results[0].id;
  const wh = await api.call("POST", "/api/v1/suppliers/locations", api.keys.dealer!, {
    code: "HZ-WH-1",
    name: "杭州一号仓",
    regionCode: "330104",
    location: { lng: 120.14, lat: 30.265 },
  });
  expect(wh.status, JSON.stringify(wh.json)).to.equal(201);
  const clerk = await api.userWithRoles("dealer", ["warehouse_clerk", "sales"]);
  return { skuId, gtin: gtin14("0690123455001"), warehouseId: wh.json.id, clerk };
}

/** The manufacturer mints `count` parts of the world's GTIN and sends them in one carton to the dealer. */
export async function sendCarton(h: ConsoleHarness, w: DistributorWorld, count: number, lot: string) {
  const api = h.api;
  const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
    gtin: w.gtin,
    lot,
    productionDate: "2026-11-28",
    count,
    product: { brand: "BOSCH 博世", name: "前刹车片", skuId: w.skuId },
  });
  expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
  const parts = (mint.json.serials as string[]).map((serial) => ({ gtin: w.gtin, serial }));
  const sent = await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts });
  expect(sent.status, JSON.stringify(sent.json)).to.equal(201);
  return sent.json as { id: string; sscc: string; labelCode: string; dispatched: number };
}

/**
 * From the home page: the menu entry (or the quick link), the scan (typed into the ScanInput with Enter, as a USB scanner does), one
 * click on "receive all". Answers the interactions counted and the time from the scan to the confirmation.
 */
export async function receiveCartonByScanning(
  h: ConsoleHarness,
  page: Page,
  carton: { labelCode: string; dispatched: number },
  viewport: ViewportName,
) {
  await page.goto(h.url("/"));
  await page.getByTestId("welcome").waitFor();
  const n = await counted(page);
  await n.reset();
  // Desktop: the side menu's entry; phone: the home page's quick link (the menu is a drawer there). One click each.
  if (viewport === "phone") await page.getByRole("button", { name: "扫码收货" }).click();
  else await page.getByRole("menuitem", { name: "扫码收货" }).click();
  const field = page.getByRole("textbox", { name: "扫描箱码" });
  await field.waitFor();
  let started = Date.now();
  await field.fill(carton.labelCode);
  await field.press("Enter");
  await page.getByTestId("carton-count").waitFor();
  let ms = Date.now() - started; // server and page time only: the checks and screenshots below are not counted
  expect(await page.getByTestId("carton-count").textContent()).to.equal(String(carton.dispatched));
  expect(await page.getByTestId("carton-sender").textContent()).to.equal("博世汽车部件(苏州)有限公司");
  await checkA11y(page, `receive carton, scanned (${viewport})`);
  await shot(page, `distributor-receive-scanned-${viewport}`);
  started = Date.now();
  await page.getByRole("button", { name: `全部收货（${carton.dispatched} 件）` }).click();
  await page.getByTestId("receive-done").waitFor();
  ms += Date.now() - started;
  const interactions = (await n.read()).total;
  expect(await page.getByTestId("receive-done").textContent()).to.include(`已收货 ${carton.dispatched} 件`);
  await checkA11y(page, `receive carton, done (${viewport})`);
  await shot(page, `distributor-receive-done-${viewport}`);
  return { interactions, ms };
}

/** The whole story on one viewport. */
export async function distributorStory(h: ConsoleHarness, viewport: ViewportName = "desktop", w?: DistributorWorld) {
  const world = w ?? (await distributorWorld(h));
  const api = h.api;
  const carton = await sendCarton(h, world, 100, `L-${viewport}`);
  const page = await h.page(viewport);
  await login(page, world.clerk.mobile, PASSWORD, h.origin);
  const received = await receiveCartonByScanning(h, page, carton, viewport);
  console.log(`      ${viewport}: receiveCartonInteractions=${received.interactions} receiveCartonMs=${received.ms}`);
  const after = await api.call("GET", `/api/v1/dispatches/${carton.id}`, world.clerk.token);
  expect(after.json.status).to.equal("received");

  // The cartons list shows it received, with its label.
  await page.goto(h.url("/cartons"));
  await page.locator(".ant-segmented-item", { hasText: "收到的" }).click();
  await page.getByText("已收货").first().waitFor();
  await checkA11y(page, `cartons (${viewport})`);
  await shot(page, `distributor-cartons-${viewport}`);

  // Stock arrives in the warehouse (the ERP's figure), then the clerk prices the SKU into the shared pool.
  const moved = await api.call("POST", "/api/v1/inventory/movements", world.clerk.token, {
    locationId: world.warehouseId,
    skuId: world.skuId,
    reason: "receipt",
    quantity: 100,
  });
  expect(moved.status, JSON.stringify(moved.json)).to.be.oneOf([200, 201]);
  await page.goto(h.url("/distributor/stock"));
  await page
    .locator("tr", { hasText: "杭州一号仓" })
    .getByRole("button", { name: /设\s*置/ })
    .first()
    .click();
  const price = page.locator("#pool-price");
  await price.fill("86.50");
  await page.getByRole("checkbox", { name: "进共享池" }).check();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /保\s*存/ })
    .click();
  await page.getByText("¥86.50").waitFor();
  const wh = page.getByRole("switch").first();
  if ((await wh.getAttribute("aria-checked")) !== "true") {
    await wh.click();
    await page.waitForFunction(
      () => document.querySelector('[role="switch"]')?.getAttribute("aria-checked") === "true",
    );
  }
  await checkA11y(page, `stock (${viewport})`);
  await shot(page, `distributor-stock-${viewport}`);
  const stock = await api.call("GET", `/api/v1/inventory/stock?skuId=${world.skuId}`, world.clerk.token);
  expect(stock.json.stock[0]).to.include({ shared: true, priceFen: 8650 });

  // A repair shop orders two; the clerk picks and ships them with serials chosen from the parts the dealer holds.
  const placed = await api.call("POST", "/api/v1/orders", api.keys.shop!, {
    lines: [{ skuId: world.skuId, quantity: 2 }],
  });
  expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
  const orderId = placed.json.id as string;
  await page.goto(h.url("/distributor/orders"));
  const row = page.locator("tr", { hasText: orderId });
  await row.getByRole("button", { name: "开始拣货" }).click();
  await row.getByRole("button", { name: /发\s*货/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "从我持有的配件中自动选取" }).click();
  await dialog.getByTestId("ship-parts").locator(".ant-list-item").nth(1).waitFor();
  await page.mouse.move(0, 0); // the pointer leaves the button (its hover colour is not what axe should judge)
  await dialog.locator("#ship-carrier").fill("顺丰");
  await dialog.locator("#ship-tracking").fill("SF2026120100");
  await checkA11y(page, `ship order (${viewport})`);
  await shot(page, `distributor-ship-${viewport}`);
  await dialog.getByRole("button", { name: "确认发货（2 件）" }).click();
  await page.getByText("已发货").first().waitFor();
  const shipped = await api.call("GET", `/api/v1/orders/${orderId}`, api.keys.shop!);
  expect(shipped.json.status).to.equal("shipped");
  expect(shipped.json.parts).to.have.length(2);
  await page.context().close();
  return { receiveCartonInteractions: received.interactions, receiveCartonMs: received.ms, world };
}
