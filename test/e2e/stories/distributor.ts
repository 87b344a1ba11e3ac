/**
 * The distributor's story (issue 12): a manufacturer sends a carton of 100 minted parts (through the API), the
 * distributor's warehouse clerk receives it by scanning its label in the console (the scanner types the code into the
 * ScanInput and presses Enter), prices a SKU into the shared pool, and picks and ships an order with serials.
 *
 * Its figure is `receiveCartonInteractions` — clicks + typed fields from the home page to a received carton of 100,
 * target ≤ 3 (RECEIVE_CARTON_TARGET) — measured by `measureReceiveCarton`, which the e2e story asserts and
 * `npm run bench:console` calls through `bench(c, runs)` on the demo world (receiveCartonMs beside it: server and
 * page time from the scan to the confirmation, no think time).
 */
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { DemoWorld } from "../../../scripts/lib/demo-world.js";
import { gtin14 } from "../../../scripts/lib/identifiers.js";
import { checkA11y, counted, login, shot, type ConsoleHarness, type ViewportName } from "../harness.js";

export const PASSWORD = "correct horse battery";
/** Issue 12: a distributor receives a carton of 100 parts in at most this many interactions. */
export const RECEIVE_CARTON_TARGET = 3;
/** The carton the figure is measured on. */
export const CARTON_SIZE = 100;

/**
 * What the measurement needs of the console it runs in: the e2e harness (`ConsoleHarness`) and the demo world's
 * console of `npm run bench:console` both fit.
 */
export interface StoryConsole {
  /** http://127.0.0.1:port */
  origin: string;
  /** origin + "/console" + path */
  url(path?: string): string;
  /** A page in a fresh browser context (zh-CN). */
  page(viewport?: ViewportName): Promise<Page>;
}

/** Who sends the carton and who receives it. */
export interface CartonParties {
  /** The sender's API key (a manufacturer with a verified GS1 prefix: the carton gets an SSCC-18). */
  senderKey: string;
  /** Its name, as the receiving screen shows it. */
  senderName: string;
  /** A GTIN the sender may mint (under its prefix). */
  gtin: string;
  /** What the GTIN is (named on first mint). */
  product?: { brand: string; name: string; skuId?: number };
  /** The receiving company (a distributor). */
  receiverId: string;
  /** Its warehouse clerk's console login (custody:create). */
  clerk: { login: string; password: string };
}

export interface DistributorWorld {
  skuId: number;
  gtin: string;
  warehouseId: string;
  clerk: { mobile: string; token: string };
  parties: CartonParties;
}

async function post(origin: string, path: string, key: string, body: unknown) {
  const r = await fetch(`${origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
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
  const gtin = gtin14("0690123455001");
  return {
    skuId,
    gtin,
    warehouseId: wh.json.id,
    clerk,
    parties: {
      senderKey: api.keys.maker!,
      senderName: "博世汽车部件(苏州)有限公司",
      gtin,
      product: { brand: "BOSCH 博世", name: "前刹车片", skuId },
      receiverId: api.ids.dealer!,
      clerk: { login: clerk.mobile, password: PASSWORD },
    },
  };
}

/** The sender mints `count` parts of its GTIN and sends them in one carton to the receiver (through the API). */
export async function sendCarton(origin: string, p: CartonParties, count: number, lot: string) {
  const mint = await post(origin, "/api/v1/mint", p.senderKey, {
    gtin: p.gtin,
    lot,
    productionDate: "2026-11-28",
    count,
    ...(p.product ? { product: p.product } : {}),
  });
  expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
  const parts = (mint.json.serials as string[]).map((serial) => ({ gtin: p.gtin, serial }));
  const sent = await post(origin, "/api/v1/dispatches", p.senderKey, { to: p.receiverId, parts });
  expect(sent.status, JSON.stringify(sent.json)).to.equal(201);
  return sent.json as { id: string; sscc: string | null; labelCode: string; dispatched: number };
}

/**
 * From the home page: the menu entry (or the quick link), the scan (typed into the ScanInput with Enter, as a USB
 * scanner does), one click on "receive all". Answers the interactions counted and the time from the scan to the
 * confirmation. `checks` adds the accessibility checks and screenshots (not timed).
 */
export async function receiveCartonByScanning(
  c: StoryConsole,
  page: Page,
  carton: { labelCode: string; dispatched: number },
  viewport: ViewportName,
  senderName: string,
  checks = true,
) {
  await page.goto(c.url("/"));
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
  expect(await page.getByTestId("carton-sender").textContent()).to.equal(senderName);
  if (checks) {
    await checkA11y(page, `receive carton, scanned (${viewport})`);
    await shot(page, `distributor-receive-scanned-${viewport}`);
  }
  started = Date.now();
  await page.getByRole("button", { name: `全部收货（${carton.dispatched} 件）` }).click();
  await page.getByTestId("receive-done").waitFor();
  ms += Date.now() - started;
  const interactions = (await n.read()).total;
  expect(await page.getByTestId("receive-done").textContent()).to.include(`已收货 ${carton.dispatched} 件`);
  if (checks) {
    await checkA11y(page, `receive carton, done (${viewport})`);
    await shot(page, `distributor-receive-done-${viewport}`);
  }
  return { interactions, ms };
}

/**
 * Issue 12's figure `receiveCartonInteractions`: the sender sends a carton of `count` (100) parts through the API,
 * the receiver's clerk logs in on a fresh page and receives it by scanning its label from the home page. Asserts
 * the carton was received whole; answers the figures and the page (logged in, on the receiving screen: the caller
 * closes its context).
 */
export async function measureReceiveCarton(
  c: StoryConsole,
  parties: CartonParties,
  opts: { viewport?: ViewportName; count?: number; lot?: string; checks?: boolean } = {},
) {
  const viewport = opts.viewport ?? "desktop";
  const count = opts.count ?? CARTON_SIZE;
  const carton = await sendCarton(c.origin, parties, count, opts.lot ?? `L-${viewport}-${Date.now().toString(36)}`);
  expect(carton.dispatched).to.equal(count);
  const page = await c.page(viewport);
  await login(page, parties.clerk.login, parties.clerk.password, c.origin);
  const r = await receiveCartonByScanning(c, page, carton, viewport, parties.senderName, opts.checks ?? true);
  return { receiveCartonInteractions: r.interactions, receiveCartonMs: r.ms, carton, page };
}

/**
 * For `npm run bench:console` (scripts/bench-console.ts): on the demo world (DECISIONS 61), the maker sends cartons
 * of 100 to the first distributor, whose warehouse clerk receives each on a phone. Answers the most interactions any
 * run took and the median time.
 */
export async function bench(c: StoryConsole & { world: DemoWorld }, runs: number) {
  const w = c.world;
  const to = w.distributors[0]!;
  const clerk = w.logins.find((l) => l.company === to.name && l.roles.includes("warehouse_clerk"));
  if (!clerk) throw new Error(`the demo world has no warehouse clerk at ${to.name}`);
  const parties: CartonParties = {
    senderKey: w.maker.apiKey,
    senderName: w.maker.name,
    gtin: w.maker.gtin,
    receiverId: to.id,
    clerk: { login: clerk.login, password: clerk.password },
  };
  const got: Array<{ receiveCartonInteractions: number; receiveCartonMs: number }> = [];
  for (let i = 0; i < Math.max(1, runs); i++) {
    const r = await measureReceiveCarton(c, parties, { viewport: "phone", lot: `BENCH-${i + 1}`, checks: false });
    await r.page.context().close();
    console.log(
      `  receive carton run ${i + 1}: ${r.receiveCartonInteractions} interactions, ${r.receiveCartonMs} ms (${CARTON_SIZE} parts)`,
    );
    got.push(r);
  }
  const ms = got.map((r) => r.receiveCartonMs).sort((a, b) => a - b);
  return {
    receiveCartonInteractions: Math.max(...got.map((r) => r.receiveCartonInteractions)),
    receiveCartonMs: ms[Math.floor((ms.length - 1) / 2)]!,
  };
}

/** The whole story on one viewport. */
export async function distributorStory(h: ConsoleHarness, viewport: ViewportName = "desktop", w?: DistributorWorld) {
  const world = w ?? (await distributorWorld(h));
  const api = h.api;
  const received = await measureReceiveCarton(h, world.parties, { viewport, lot: `L-${viewport}` });
  const { page, carton } = received;
  console.log(
    `      ${viewport}: receiveCartonInteractions=${received.receiveCartonInteractions} receiveCartonMs=${received.receiveCartonMs}`,
  );
  expect(received.receiveCartonInteractions, "receiveCartonInteractions (issue 12)").to.be.at.most(
    RECEIVE_CARTON_TARGET,
  );
  const after = await api.call("GET", `/api/v1/dispatches/${carton.id}`, world.clerk.token);
  expect(after.json).to.deep.include({ status: "received", partCount: CARTON_SIZE });

  // The cartons list shows it received, with its label.
  await page.goto(h.url("/cartons"));
  await page.locator(".ant-segmented-item", { hasText: "收到的" }).click();
  await page.getByText("已收货").first().waitFor();
  await checkA11y(page, `cartons (${viewport})`);
  await shot(page, `distributor-cartons-${viewport}`);

  // Sending a carton: a scan ends with the scanner's Enter and only adds a line (it never sends the carton); a part
  // the dealer does not hold is refused; only the button sends.
  const held = await api.call("GET", `/api/v1/inventory/serials?skuId=${world.skuId}&limit=1`, world.clerk.token);
  const part = held.json.serials[0] as { gtin: string; serial: string };
  await page.getByRole("button", { name: "发一箱货" }).click();
  const drawer = page.getByRole("dialog");
  await drawer.locator("#carton-receiver").click();
  await page.locator(".ant-select-item-option").first().click();
  const scanParts = drawer.getByRole("textbox", { name: "扫描配件码（每件一次）" });
  await scanParts.fill(`https://id.partledger.cn/01/${part.gtin}/21/${encodeURIComponent(part.serial)}`);
  await scanParts.press("Enter");
  await drawer.getByTestId("carton-picked").filter({ hasText: "已选 1 件" }).waitFor();
  await scanParts.press("Enter"); // a second Enter (an empty scan) sends nothing either
  await scanParts.fill(`(01)${part.gtin}(21)NOT-HELD-1`);
  await scanParts.press("Enter");
  await drawer.getByText("不在我持有的配件中").waitFor();
  expect(await drawer.getByTestId("carton-picked").textContent()).to.equal("已选 1 件");
  expect(await drawer.getByRole("button", { name: "发出这一箱（1 件）" }).isEnabled()).to.equal(true);
  const outgoing = await api.call("GET", "/api/v1/dispatches?direction=outgoing", world.clerk.token);
  expect(outgoing.json.dispatches, "a scan must not send the carton").to.have.length(0);
  await checkA11y(page, `send carton, scanned (${viewport})`);
  await drawer.locator(".ant-drawer-close").click();
  await drawer.waitFor({ state: "hidden" });

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
  // The dialog says what is needed, and the confirm button waits until it is picked.
  await dialog
    .getByTestId("ship-need")
    .filter({ hasText: `SKU ${world.skuId} × 2 件` })
    .waitFor();
  expect(await dialog.getByRole("button", { name: "确认发货（0 件）" }).isDisabled()).to.equal(true);
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
  return {
    receiveCartonInteractions: received.receiveCartonInteractions,
    receiveCartonMs: received.receiveCartonMs,
    world,
  };
}
