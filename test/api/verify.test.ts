import { expect } from "chai";
import { PUBLIC_BASE, startApi } from "../helpers/app.js";
import { GTIN, VIN, openStack, type TestStack } from "../helpers/stack.js";

describe("the scan: GET /01/{gtin}/21/{serial} — verdicts with reasons", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let serials: string[];
  const scan = async (uri: string, opts: { token?: string; loc?: string } = {}) => {
    const u = new URL(uri.replace(PUBLIC_BASE, api.origin));
    if (opts.loc) u.searchParams.set("loc", opts.loc);
    const res = await fetch(u, {
      headers: { accept: "application/json", ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  /** The signed URI a label of `serial` carries (what its QR code encodes; test/api/parts-api decodes one). */
  const uriOf = async (serial: string): Promise<string> => {
    const { LabelsService } = await import("../../api/src/modules/labels/labels.service.js");
    const me = (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json;
    return new LabelsService(stack.svc, PUBLIC_BASE).uriFor(me as never, GTIN, serial);
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin: GTIN,
      lot: "L-SCAN",
      productionDate: "2026-11-20",
      count: 6,
      product: { brand: "BOSCH 博世", name: "前刹车片 0 986 AB1 234" },
    });
    serials = mint.json.serials;
    const parts = serials.map((serial) => ({ gtin: GTIN, serial }));
    await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts });
    await api.call("POST", "/api/v1/receipts", api.keys.dealer!, { parts });
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  it("GENUINE_PENDING_ANCHOR before anchoring, GENUINE with the whole timeline after", async () => {
    const uri = await uriOf(serials[0]!);
    const before = await scan(uri);
    expect(before.status).to.equal(200);
    expect(before.json.verdict).to.equal("GENUINE_PENDING_ANCHOR");
    await stack.svc.worker.runUntilFinal();
    await stack.svc.worker.tick();
    const after = await scan(uri);
    expect(after.json.verdict).to.equal("GENUINE");
    expect(after.json.reason).to.equal("CUSTODY_VERIFIED_ON_CHAIN");
    expect(after.json.part.manufacturer).to.equal("博世汽车部件(苏州)有限公司");
    expect(after.json.part.brand).to.equal("BOSCH 博世");
    expect(after.json.part.name).to.equal("前刹车片 0 986 AB1 234");
    expect(after.json.timeline.map((s: any) => s.step)).to.deep.equal(["commissioning", "shipping", "receiving"]);
    // The place as recorded, and in words (the manufacturer is registered in 320505).
    expect(after.json.timeline[0]).to.include({ place: "320505:FACTORY", placeName: "江苏省 苏州市 虎丘区 · 工厂" });
    for (const s of after.json.timeline) {
      expect(s.anchor.status).to.equal("final");
      expect(s.anchor.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(s.anchor.confirmations).to.be.at.least(1);
      expect(s.anchor.blockNumber).to.be.a("number");
    }
  });

  it("names the pinned deployment it verified against, and links the trust anchor auditors pin", async () => {
    const uri = await uriOf(serials[0]!);
    const trust = await stack.svc.trustAnchor();
    const json = await scan(uri);
    expect(json.json.trust).to.deep.equal({
      chainId: trust.chainId,
      anchorRegistry: trust.anchorRegistry,
      partRegistry: trust.partRegistry,
      deploymentBlock: trust.deploymentBlock,
      document: "/.well-known/partledger-trust.json",
    });
    const res = await fetch(new URL(uri.replace(PUBLIC_BASE, api.origin)), { headers: { accept: "text/html" } });
    const page = await res.text();
    expect(page).to.contain(`data-anchor-registry="${trust.anchorRegistry}"`);
    expect(page).to.contain('href="/.well-known/partledger-trust.json"');
    const served = await (await fetch(`${api.origin}/.well-known/partledger-trust.json`)).json();
    expect(served).to.deep.equal(trust);
  });

  it("UNKNOWN for a code never issued, a forged signature, or a missing signature", async () => {
    const uri = new URL(await uriOf(serials[1]!));
    const neverIssued = await scan(
      `${PUBLIC_BASE}/01/${GTIN}/21/NEVERISSUED00001?10=L-SCAN&s=${uri.searchParams.get("s")}`,
    );
    expect(neverIssued.json.verdict).to.equal("UNKNOWN");
    expect(neverIssued.json.reason).to.equal("NEVER_ISSUED");
    // A real serial with another serial's signature: a forger who guessed a serial cannot sign it.
    const other = new URL(await uriOf(serials[2]!));
    const forged = await scan(`${PUBLIC_BASE}${uri.pathname}?10=L-SCAN&s=${other.searchParams.get("s")}`);
    expect(forged.json.verdict).to.equal("UNKNOWN");
    expect(forged.json.reason).to.equal("LABEL_SIGNATURE_INVALID");
    const bare = await scan(`${PUBLIC_BASE}${uri.pathname}`);
    expect(bare.json.reason).to.equal("LABEL_SIGNATURE_MISSING");
  });

  it("ALREADY_INSTALLED for a scan after installation (the copied-label case), with the VIN masked", async () => {
    const serial = serials[3]!;
    await api.call("POST", "/api/v1/dispatches", api.keys.dealer!, {
      to: api.ids.shop,
      parts: [{ gtin: GTIN, serial }],
    });
    await api.call("POST", "/api/v1/receipts", api.keys.shop!, { parts: [{ gtin: GTIN, serial }] });
    expect(
      (await api.call("POST", "/api/v1/installations", api.keys.shop!, { gtin: GTIN, serial, vin: VIN })).status,
    ).to.equal(201);
    const r = await scan(await uriOf(serial));
    expect(r.json.verdict).to.equal("ALREADY_INSTALLED");
    const install = r.json.timeline.find((s: any) => s.step === "installing");
    expect(install.vin).to.equal(`${VIN.slice(0, 3)}**********${VIN.slice(-4)}`);
    expect(JSON.stringify(r.json)).not.to.contain(VIN);
  });

  it("SUSPECT_CLONE when the same serial is scanned too far apart in too little time, or by a shop that never received it", async () => {
    const uri = await uriOf(serials[4]!);
    expect((await scan(uri, { loc: "120.18,30.27" })).json.verdict).to.be.oneOf(["GENUINE", "GENUINE_PENDING_ANCHOR"]); // Hangzhou
    const guangzhou = await scan(uri, { loc: "113.36,23.12" }); // ~1,000 km away, seconds later
    expect(guangzhou.json.verdict).to.equal("SUSPECT_CLONE");
    expect(guangzhou.json.reason).to.equal("SCANNED_TOO_FAR_APART");
    const stranger = await scan(await uriOf(serials[5]!), { token: api.keys.farShop! });
    expect(stranger.json.verdict).to.equal("SUSPECT_CLONE");
    expect(stranger.json.reason).to.equal("SCANNED_BY_SHOP_THAT_NEVER_RECEIVED_IT");
  });

  it("records every scan, and answers malformed codes with an error code, never a 500", async () => {
    await new Promise((r) => setTimeout(r, 300)); // the scan log is written in batches every 100 ms
    const { rows } = await stack.svc.db.sql.query<{ n: number; verdicts: string[] }>(
      "SELECT count(*)::int AS n, array_agg(DISTINCT verdict) AS verdicts FROM scans",
    );
    expect(rows[0]!.n).to.be.at.least(8);
    expect(rows[0]!.verdicts).to.include.members(["GENUINE", "UNKNOWN", "ALREADY_INSTALLED", "SUSPECT_CLONE"]);
    const badGtin = await scan(`${PUBLIC_BASE}/01/06901234567891/21/ABC?s=x`);
    expect(badGtin.status).to.equal(400);
    expect(badGtin.json.code).to.equal("GS1.INVALID_GTIN");
    const badSerial = await scan(`${PUBLIC_BASE}/01/${GTIN}/21/${"X".repeat(25)}`);
    expect(badSerial.json.code).to.equal("GS1.INVALID_SERIAL");
    const badLoc = await scan(`${PUBLIC_BASE}/01/${GTIN}/21/${serials[0]}`, { loc: "north" });
    expect(badLoc.json.code).to.equal("VERIFY.INVALID_LOCATION");
  });

  it("rate-limits the public resolver per client", async () => {
    const other = await openStack();
    const limited = await startApi(other, 3);
    try {
      const url = `${limited.origin}/01/${GTIN}/21/ABC`;
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(url, { headers: { accept: "application/json" } })).status);
      expect(statuses.slice(0, 3)).to.deep.equal([200, 200, 200]);
      expect(statuses[4]).to.equal(429);
    } finally {
      await limited.stop();
      await other.close();
    }
  });
});
