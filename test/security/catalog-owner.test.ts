import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** Issue 19, item 6: a master SKU is edited by its brand owner or the platform's catalogue team, never overwritten. */
describe("catalogue: another company's import never overwrites a master SKU @smoke", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let rival: string;
  const HEADER = "brand,partNo,name,partType,kind,gtin";
  const upload = async (kind: string, token: string, ...lines: string[]) => {
    const res = await fetch(`${api.origin}/api/v1/catalog/imports/${kind}`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
      body: lines.join("\n"),
    });
    return (await res.json()) as Record<string, any>;
  };
  const sku = async (brand: string, partNo: string) =>
    (
      await stack.svc.db.sql.query<{
        id: number;
        name: string;
        kind: string;
        part_type: string;
        owner_company_id: string | null;
      }>(
        "SELECT id::int AS id, name, kind, part_type, owner_company_id FROM catalog_skus WHERE brand = $1 AND part_no_norm = $2",
        [brand, partNo],
      )
    ).rows[0]!;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack); // the maker owns GS1 prefix 6901234
    const r = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "第二制造商有限公司",
      uscc: uscc("91310115MA1K00003"),
      kind: "manufacturer",
      regionCode: "310115",
      location: { lng: 121.5, lat: 31.2 },
    });
    rival = r.json.apiKey;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("manufacturer B's import cannot rename or re-kind A's SKU: B's row becomes a listing; numbers and fitment too stay A's", async () => {
    const a = await upload("skus", api.keys.maker!, HEADER, "bosch,0 986 AB1 234,前刹车片,brake_pad,aftermarket,");
    expect(a.rowsOk).to.equal(1);
    const master = await sku("bosch", "0986AB1234");
    expect(master.owner_company_id).to.equal(api.ids.maker);
    const b = await upload("skus", rival, HEADER, "bosch,0986-AB1-234,劣质刹车片,brake_disc,oe,");
    expect(await sku("bosch", "0986AB1234")).to.include({
      name: "前刹车片",
      kind: "aftermarket",
      part_type: "brake_pad",
    });
    expect([b.rowsOk, b.rowsBad]).to.deep.equal([1, 0]);
    expect(b.listed).to.have.length(1);
    expect(b.listed[0]).to.include({ line: 2, skuId: master.id });
    const refs = await upload("crossrefs", rival, "brand,partNo,number,numberKind", "bosch,0986AB1234,1K0698151Z,oe");
    expect(refs.errors).to.deep.equal([
      {
        line: 2,
        field: "brand",
        reason: `SKU ${master.id} is edited only by its brand owner (another company) or the platform's catalogue team`,
      },
    ]);
    const fit = await upload(
      "fitments",
      rival,
      "brand,partNo,make,series,yearFrom,yearTo",
      "bosch,0986AB1234,大众,帕萨特,2011,2015",
    );
    expect(fit.rowsBad).to.equal(1);
    // the brand owner and the platform's catalogue team edit it
    expect(
      (await upload("skus", api.keys.maker!, HEADER, "bosch,0 986 AB1 234,前刹车片（陶瓷）,brake_pad,aftermarket,"))
        .listed,
    ).to.equal(undefined);
    expect((await sku("bosch", "0986AB1234")).name).to.equal("前刹车片（陶瓷）");
    await upload("skus", OPERATOR, HEADER, "bosch,0 986 AB1 234,前刹车片 陶瓷,brake_pad,aftermarket,");
    expect((await sku("bosch", "0986AB1234")).name).to.equal("前刹车片 陶瓷");
  });

  it("a SKU with a GTIN belongs to the GTIN's verified prefix owner, whoever created the row", async () => {
    const gtin = gtin14("0690123400001");
    await upload("skus", OPERATOR, HEADER, `bosch,0 986 AB9 999,后刹车片,brake_pad,aftermarket,${gtin}`);
    const b = await upload("skus", rival, HEADER, `bosch,0986AB9999,后刹车盘,brake_disc,aftermarket,${gtin}`);
    const b2 = await upload("skus", rival, HEADER, "bosch,0986AB9999,后刹车盘,brake_disc,aftermarket,");
    expect(await sku("bosch", "0986AB9999")).to.include({ name: "后刹车片", part_type: "brake_pad" });
    expect(b.errors[0]).to.include({ line: 2, field: "gtin" });
    expect(b2.listed).to.have.length(1);
    const a = await upload(
      "skus",
      api.keys.maker!,
      HEADER,
      `bosch,0986AB9999,后刹车片（低粉尘）,brake_pad,aftermarket,${gtin}`,
    );
    expect(a.listed).to.equal(undefined);
    expect(await sku("bosch", "0986AB9999")).to.include({
      name: "后刹车片（低粉尘）",
      part_type: "brake_pad",
      owner_company_id: null,
    });
  });
});
