import { expect } from "chai";
import { OPERATOR, randomMobile, uscc, type startApi } from "./app.js";

/**
 * The catalogue-and-stock fixture most API tests start from, through the API: SKUs imported by the maker, a
 * warehouse shared into the pool, stock on hand there at a pool price.
 */
type Api = Awaited<ReturnType<typeof startApi>>;

/**
 * Imports SKU rows (CSV lines under `brand,partNo,name,partType,kind,position`) as the maker and answers each row's
 * SKU id, in order, looked up by its part number.
 */
export async function importSkus(api: Api, rows: string[]): Promise<number[]> {
  const imp = (await fetch(`${api.origin}/api/v1/catalog/imports/skus`, {
    method: "POST",
    headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
    body: ["brand,partNo,name,partType,kind,position", ...rows].join("\n"),
  }).then((r) => r.json())) as { rowsOk: number };
  expect(imp.rowsOk).to.equal(rows.length);
  const ids: number[] = [];
  for (const row of rows) {
    const number = row.split(",")[1]!.replace(/[^0-9A-Za-z]/g, "");
    ids.push((await api.call("GET", `/api/v1/catalog/search?q=${number}`, api.keys.maker!)).json.results[0].id);
  }
  return ids;
}

/** A warehouse of the company `token` acts for, shared into the pool; answers its id. */
export async function sharedWarehouse(
  api: Api,
  token: string,
  site: { code: string; name: string; regionCode: string; location: { lng: number; lat: number } },
): Promise<string> {
  const r = await api.call("POST", "/api/v1/suppliers/locations", token, site);
  expect(r.status, JSON.stringify(r.json)).to.equal(201);
  const shared = await api.call("PATCH", `/api/v1/inventory/warehouses/${r.json.id}`, token, { shared: true });
  expect(shared.status, JSON.stringify(shared.json)).to.equal(200);
  return r.json.id as string;
}

/** `quantity` units of a SKU into a warehouse (an adjustment unless `reason` says otherwise), pooled at `price` yuan. */
export async function stockShared(
  api: Api,
  token: string,
  s: { locationId: string; skuId: number; quantity: number; price: number; reason?: string },
): Promise<void> {
  const m = await api.call("POST", "/api/v1/inventory/movements", token, {
    locationId: s.locationId,
    skuId: s.skuId,
    reason: s.reason ?? "adjustment",
    quantity: s.quantity,
  });
  expect(m.status, JSON.stringify(m.json)).to.equal(201);
  const p = await api.call("PATCH", "/api/v1/inventory/stock", token, {
    locationId: s.locationId,
    skuId: s.skuId,
    shared: true,
    price: s.price,
  });
  expect(p.status, JSON.stringify(p.json)).to.equal(200);
}

/**
 * Lender companies (banks, factoring companies) registered by the platform, each with a first admin; their keys and ids
 * are kept in `api.keys[key]` / `api.ids[key]`. `first17`: the USCC without its check character.
 */
export async function registerLenders(
  api: Api,
  lenders: ReadonlyArray<readonly [key: string, name: string, first17: string]>,
): Promise<void> {
  for (const [key, name, first17] of lenders) {
    const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name,
      uscc: uscc(first17),
      kind: "lender",
      regionCode: "330102",
      location: { lng: 120.17, lat: 30.25 },
      admin: { name: "首任管理员", mobile: randomMobile("135"), password: "correct horse battery" },
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    expect(r.json.kind).to.equal("lender");
    api.keys[key] = r.json.apiKey;
    api.ids[key] = r.json.id;
  }
}
