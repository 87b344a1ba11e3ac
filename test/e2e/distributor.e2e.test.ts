import { expect } from "chai";
import { startConsole, type ConsoleHarness } from "./harness.js";
import { distributorStory, distributorWorld, RECEIVE_CARTON_TARGET } from "./stories/distributor.js";

describe("the distributor's console in Chromium: receive a carton by scanning, price into the pool, ship with serials @e2e", function () {
  this.timeout(600_000);
  let h: ConsoleHarness;

  before(async function () {
    this.timeout(900_000);
    h = await startConsole(this);
  });
  after(async () => {
    await h?.close();
  });

  it("receives a carton of 100 in ≤ 3 interactions, prices a SKU into the shared pool, picks and ships an order (desktop, then phone)", async () => {
    const world = await distributorWorld(h);
    const desktop = await distributorStory(h, "desktop", world);
    expect(desktop.receiveCartonInteractions).to.be.at.most(RECEIVE_CARTON_TARGET);
    const phone = await distributorStory(h, "phone", world);
    expect(phone.receiveCartonInteractions).to.be.at.most(RECEIVE_CARTON_TARGET);
  });

  it("ran without page errors or content-security-policy violations", () => {
    expect(h.problems).to.deep.equal([]);
  });
});
