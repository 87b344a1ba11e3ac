import { expect } from "chai";
import { placeName, regionName, regions, siteName } from "../../api/src/shared/regions.js";
import { districts } from "../../scripts/lib/regions.js";

describe("places in words: GB/T 2260 region names from data/regions (api/src/shared/regions.ts)", () => {
  it("names a district province first, each level once", () => {
    expect(regionName("320505")).to.equal("江苏省 苏州市 虎丘区");
    expect(regionName("110101")).to.equal("北京市 东城区"); // a municipality is not its own city again
    expect(regionName("419001")).to.equal("河南省 济源市"); // a county the province governs directly
    expect(regionName("441900")).to.equal("广东省 东莞市"); // a city without districts
    expect(regionName("320000")).to.equal("江苏省");
    expect(regionName("999999")).to.equal(null);
  });

  it("formats a ledger place with its site kind translated, keeping what it cannot name", () => {
    expect(placeName("320505:FACTORY")).to.equal("江苏省 苏州市 虎丘区 · 工厂");
    expect(placeName("330106:WORKSHOP", "en")).to.equal("浙江省 杭州市 西湖区 · workshop");
    expect(placeName("330104:loc_0123456789abcdef")).to.equal("浙江省 杭州市 江干区 · 仓库"); // a warehouse by its id
    expect(placeName("330104:ord_0123456789abcdef", "en")).to.match(/ · order delivery$/);
    expect(placeName("999999:DOCK-7")).to.equal("999999 · DOCK-7");
    expect(placeName("000000:AUDIT")).to.equal("审计");
    expect(siteName("warehouse")).to.equal("仓库");
  });

  it("is the one reader of the data set: the benchmarks' districts come from it", () => {
    const all = regions();
    expect(all.length).to.equal(3217);
    const d = districts();
    expect(d.length).to.equal(all.filter((r) => r.level === "district" && r.lng !== null).length);
    expect(d.find((x) => x.code === "320505")).to.deep.include({ city: "320500" });
    expect(d.find((x) => x.code === "110101")).to.deep.include({ city: "110100" });
  });
});
