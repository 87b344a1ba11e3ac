import { expect } from "chai";
import { allocationQuality } from "../../scripts/lib/allocation-quality.js";

describe("allocation quality against HiGHS's exact optimum, over real district locations", () => {
  it("costs at most 1.05× the optimum in total over 300 scenarios (seed printed)", async function () {
    this.timeout(120_000);
    const seed = Number(process.env.ALLOC_SEED ?? Math.floor(Math.random() * 1e6));
    const q = await allocationQuality({ scenarios: 300, seed });
    console.log(`      (seed ${seed}; replay with ALLOC_SEED=${seed}) ${JSON.stringify(q)}`);
    expect(q.scenarios).to.equal(300);
    expect(q.ratio).to.be.at.least(1); // the optimum cannot be beaten: a ratio below 1 means the comparison is broken
    expect(q.ratio).to.be.at.most(1.05);
  });
});
