import { expect } from "chai";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** GET /inventory/sync: the ERP sync log the console shows — every document pushed, with its per-line results. */
describe("HTTP API: the ERP sync log", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  it("lists past sync documents newest first with what each line did, for my company only", async () => {
    const csv = "brand,partNo,name,partType,kind,position\nmann,W 719/30,机油滤清器,oil_filter,aftermarket,\n";
    const imp = await fetch(`${api.origin}/api/v1/catalog/imports/skus`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
      body: csv,
    }).then((r) => r.json() as Promise<{ rowsOk: number }>);
    expect(imp.rowsOk).to.equal(1);
    const wh = await api.call("POST", "/api/v1/suppliers/locations", api.keys.dealer!, {
      code: "WH1",
      name: "一号仓",
      regionCode: "330104",
      location: { lng: 120.14, lat: 30.27 },
    });
    expect(wh.status).to.equal(201);
    expect((await api.call("GET", "/api/v1/inventory/sync", api.keys.dealer!)).json.documents).to.deep.equal([]);
    const lines = [
      { warehouse: "WH1", brand: "mann", partNo: "W 719/30", quantity: 12 },
      { warehouse: "NOPE", brand: "mann", partNo: "W 719/30", quantity: 3 },
    ];
    const first = await api.call("POST", "/api/v1/inventory/sync", api.keys.dealer!, {
      documentId: "ERP-1",
      mode: "set",
      lines,
    });
    expect(first.status, JSON.stringify(first.json)).to.be.oneOf([200, 201]);
    await api.call("POST", "/api/v1/inventory/sync", api.keys.dealer!, {
      documentId: "ERP-2",
      mode: "adjust",
      lines: [lines[0]],
    });
    const log = await api.call("GET", "/api/v1/inventory/sync?limit=10", api.keys.dealer!);
    expect(log.status).to.equal(200);
    expect(log.json.documents.map((d: { documentId: string }) => d.documentId)).to.deep.equal(["ERP-2", "ERP-1"]);
    const erp1 = log.json.documents[1];
    expect(erp1).to.include({ mode: "set", ok: 1, errors: 1 });
    expect(erp1.lines.map((l: { status: string }) => l.status)).to.deep.equal(["ok", "error"]);
    expect(erp1.receivedAt).to.match(/^\d{4}-\d{2}-\d{2}T/);
    // Another company sees none of it; a bad limit is named.
    expect((await api.call("GET", "/api/v1/inventory/sync", api.keys.maker!)).json.documents).to.deep.equal([]);
    const bad = await api.call("GET", "/api/v1/inventory/sync?limit=0", api.keys.dealer!);
    expect(bad.status).to.equal(400);
    expect(bad.json.detail).to.include("query.limit");
  });
});
