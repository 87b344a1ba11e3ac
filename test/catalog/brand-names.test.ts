import { expect } from "chai";
import { brandDisplayName } from "../../api/src/modules/catalog/brand-names.js";

describe("brand display names", () => {
  it("reads a listed brand by its Chinese name, a make's genuine parts as 原厂, else the files' spelling", () => {
    expect(brandDisplayName("bosch", "bosch")).to.equal("博世");
    expect(brandDisplayName("ngk", null)).to.equal("NGK"); // its Chinese name is Latin: the brand's own
    expect(brandDisplayName("oe_volkswagen", "oe_volkswagen")).to.equal("大众原厂");
    expect(brandDisplayName("wanxiang", "万向汽配")).to.equal("万向汽配");
    expect(brandDisplayName("someunlisted", "someunlisted")).to.equal("someunlisted");
  });
});
