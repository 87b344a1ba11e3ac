import { expect } from "chai";
import { checkA11y, login, startConsole, type ConsoleHarness } from "./harness.js";
import { clerkStory, PASSWORD, registerPrefix } from "./stories/manufacturer.js";

describe("the manufacturer in Chromium: register a prefix, mint a run, labels, anchoring @e2e", function () {
  this.timeout(300_000);
  let h: ConsoleHarness;

  before(async function () {
    this.timeout(600_000);
    h = await startConsole(this);
  });
  after(async () => {
    await h?.close();
  });

  it("desktop: the admin registers a prefix the platform verifies; the clerk mints 20, previews, prints, sees it final", async () => {
    const admin = await h.page("desktop");
    await registerPrefix(h, admin, "desktop", "6905555");
    await admin.context().close();
    const page = await h.page("desktop");
    const figures = await clerkStory(h, page, "desktop", {
      prefix: "6905555",
      itemRef: "00012",
      count: 20,
      lot: "L2612A",
    });
    console.log(`      ${JSON.stringify(figures)}`);
    expect(figures.mintInteractions).to.be.at.most(8);
    // The clerk has no register form on the prefixes screen (gs1_prefix:create is the admin's).
    await page.goto(h.url("/manufacturer/prefixes"));
    await page.getByTestId("prefixes").waitFor();
    expect(await page.locator("form#prefix").count()).to.equal(0);
    await page.context().close();
  });

  it("phone: the clerk mints 20 under the maker's prefix, previews, prints and sees the run final", async () => {
    const page = await h.page("phone");
    const figures = await clerkStory(h, page, "phone", {
      prefix: "6901234",
      itemRef: "00077",
      count: 20,
      lot: "L2612B",
    });
    console.log(`      ${JSON.stringify(figures)}`);
    await page.context().close();
  });

  it("hides the manufacturer's screens from another kind of company", async () => {
    const shop = await h.api.userWithRoles("shop", ["company_admin"]);
    const page = await h.page("desktop");
    await login(page, shop.mobile, PASSWORD, h.origin);
    await page.getByTestId("welcome").waitFor();
    expect(await page.getByRole("menuitem", { name: "生成标识" }).count()).to.equal(0);
    await page.goto(h.url("/manufacturer/mint"));
    await page.getByText("找不到这个页面").waitFor();
    await checkA11y(page, "not found (shop)");
    await page.context().close();
  });

  it("ran without page errors or content-security-policy violations", () => {
    expect(h.problems).to.deep.equal([]);
  });
});
