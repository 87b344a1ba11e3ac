import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labelPublicKey, labelSignedBy } from "../../ledger-service/src/events/label-signature.js";
import { parseDigitalLink } from "../../ledger-service/src/gs1/digital-link.js";
import { LabelsService } from "../../api/src/modules/labels/labels.service.js";
import { publicBaseUrlWarning } from "../../api/src/modules/labels/public-base-url.js";
import type { Company } from "../../api/src/modules/orgs/orgs.service.js";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

const BRAND = "博世 BOSCH";
const NAME = "前刹车片 帕萨特 B8 陶瓷";

/** Independent tools (poppler-utils, zbar-tools; installed by .ci/run): missing ones fail under CI, skip elsewhere. */
const tool = (name: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
};
const TOOLS = ["pdftoppm", "pdftotext", "pdfinfo", "pdffonts", "zbarimg"].every(tool);

/** Renders every page at 150 dpi with pdftoppm and decodes every QR code on it with zbarimg. */
function decodeAll(pdf: Buffer, dir: string): string[] {
  const file = join(dir, "labels.pdf");
  writeFileSync(file, pdf);
  execFileSync("pdftoppm", ["-r", "150", "-png", file, join(dir, "page")]);
  const pngs = readdirSync(dir)
    .filter((f) => f.startsWith("page") && f.endsWith(".png"))
    .map((f) => join(dir, f));
  let out: string;
  try {
    out = execFileSync("zbarimg", ["-q", "--raw", "--nodbus", "-Sdisable", "-Sqrcode.enable", ...pngs], {
      stdio: ["ignore", "pipe", "ignore"],
    }).toString();
  } catch (e) {
    out = ((e as { stdout?: Buffer }).stdout ?? Buffer.alloc(0)).toString(); // exit 4: a page without a code
  }
  const found = out.split("\n").filter(Boolean);
  return found;
}

/** Runs a poppler tool (pdftotext, pdfinfo, pdffonts) on the PDF. */
const poppler = (tool: string, pdf: Buffer, dir: string, args: string[] = []) => {
  const file = join(dir, "tool.pdf");
  writeFileSync(file, pdf);
  return execFileSync(tool, [...args, file, ...(tool === "pdftotext" ? ["-"] : [])]).toString();
};

describe("label PDFs: A4 sheet and 50 × 30 mm roll, decoded by an independent reader", function () {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let run: { runId: string; serials: string[] };
  let big: { runId: string; serials: string[] };
  let expected: Map<string, string>;
  let dir: string;
  const gtin = gtin14("0690123456787");
  const get = (path: string, token = api.keys.maker!) =>
    fetch(`${api.origin}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  const pdfOf = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).to.equal(200);
    expect(res.headers.get("content-type")).to.equal("application/pdf");
    return Buffer.from(await res.arrayBuffer());
  };

  before(async function () {
    if (!TOOLS) {
      if (process.env.CI || process.env.REQUIRE_BROWSER) throw new Error("pdftoppm, pdftotext and zbarimg are needed");
      this.skip();
    }
    stack = await openStack();
    api = await startApi(stack);
    dir = mkdtempSync(join(tmpdir(), "labels-"));
    const mint = async (count: number, lot: string) => {
      const res = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
        gtin,
        lot,
        productionDate: "2026-11-20",
        count,
        product: { brand: BRAND, name: NAME },
      });
      expect(res.status, JSON.stringify(res.json)).to.equal(201);
      return res.json as { runId: string; serials: string[] };
    };
    run = await mint(30, "L2026-11");
    big = await mint(100, "L2026-12");
    // What each label must carry: the signed URI the single-label endpoints print (the service's own answer).
    const maker = (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json as Company;
    const labels = new LabelsService(stack.svc, "https://pl.example.cn");
    expected = new Map();
    for (const serial of run.serials) expected.set(serial, await labels.uriFor(maker, gtin, serial));
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await api?.stop();
    await stack?.close();
  });

  for (const layout of ["a4", "roll-50x30"] as const) {
    it(`${layout}: every QR code decodes at 150 dpi (pdftoppm + zbarimg) to its label's signed Digital Link URI`, async () => {
      const pdf = await pdfOf(`/mint/${run.runId}/labels.pdf?layout=${layout}`);
      const pages = poppler("pdfinfo", pdf, dir);
      expect(pages).to.match(new RegExp(`Pages:\\s+${layout === "a4" ? 2 : 30}\\b`)); // 24 a sheet, or 1 a label
      const sub = mkdtempSync(join(dir, `${layout}-`));
      const decoded = decodeAll(pdf, sub);
      expect(decoded).to.have.length(30);
      expect([...decoded].sort()).to.deep.equal([...expected.values()].sort());
      // …and each is a code the manufacturer signed, checked with its published key alone.
      const makerKey = labelPublicKey(
        (await api.call("GET", "/api/v1/companies/me", api.keys.maker!)).json.labelPublicKey,
      );
      for (const text of decoded) {
        const uri = new URL(text);
        const [, , g, , serial] = uri.pathname.split("/");
        expect(g).to.equal(gtin);
        expect(run.serials).to.include(serial);
        expect(labelSignedBy(parseDigitalLink(g!, serial!, Object.fromEntries(uri.searchParams)), makerKey)).to.equal(
          true,
        );
      }
    });

    it(`${layout}: brand and product name in Chinese, GTIN, serial and lot are text in the PDF (pdftotext)`, async () => {
      const text = poppler("pdftotext", await pdfOf(`/mint/${run.runId}/labels.pdf?layout=${layout}`), dir, [
        "-layout",
      ]);
      expect(text).to.contain("博世");
      expect(text).to.contain("前刹车片");
      expect(text).to.contain(gtin);
      for (const serial of run.serials) expect(text).to.contain(serial);
      expect(text).to.contain("L2026-11");
      if (layout === "a4") {
        expect(text).to.contain("博世汽车部件(苏州)有限公司"); // the header: company and run, in Chinese
        expect(text).to.contain(`赋码任务 ${run.runId}`);
        expect(text).to.match(/第\s*1\s*\/\s*2\s*页/); // the page number, right-aligned
      }
    });

    it(`${layout}: 100 labels stay under 400 KB with the CJK font subset embedded (not the 8 MB font)`, async () => {
      const t0 = performance.now();
      const pdf = await pdfOf(`/mint/${big.runId}/labels.pdf?layout=${layout}`);
      const ms = performance.now() - t0;
      console.log(`      ${layout}: 100 labels ${(pdf.length / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms`);
      expect(pdf.length).to.be.below(400 * 1024);
      const fonts = poppler("pdffonts", pdf, dir);
      expect(fonts).to.match(/\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes\s+yes/); // subset, embedded
      expect(decodeAll(pdf, mkdtempSync(join(dir, `big-${layout}-`)))).to.have.length(100);
    });
  }

  it("refuses an unknown layout or query field with 400 naming the field, and keeps the A4 sheet the default", async () => {
    const bad = await api.call("GET", `/api/v1/mint/${run.runId}/labels.pdf?layout=letter`, api.keys.maker!);
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal("REQUEST.INVALID");
    expect(bad.json.field).to.equal("layout");
    const extra = await api.call("GET", `/api/v1/mint/${run.runId}/labels.pdf?size=a4`, api.keys.maker!);
    expect(extra.status).to.equal(400);
    expect(extra.json.field).to.equal("size");
    const preview = await api.call("GET", `/api/v1/mint/${run.runId}/label-preview.svg?layout=a5`, api.keys.maker!);
    expect(preview.json.field).to.equal("layout");
    const plain = await pdfOf(`/mint/${run.runId}/labels.pdf`);
    expect(poppler("pdfinfo", plain, dir)).to.match(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
  });

  it("previews a run's first label as SVG in either layout (label:view), with the same QR and the product name", async () => {
    for (const [layout, size] of [
      ["a4", 'width="65.3mm" height="34.7mm"'],
      ["roll-50x30", 'width="50.0mm" height="30.0mm"'],
    ] as const) {
      const res = await get(`/mint/${run.runId}/label-preview.svg?layout=${layout}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.contain("image/svg+xml");
      const svg = await res.text();
      expect(svg).to.contain(size);
      expect(svg).to.contain("博世 BOSCH").and.to.contain("前刹车片").and.to.contain(run.serials[0]!);
    }
    expect((await get(`/mint/${run.runId}/label-preview.svg`, api.keys.dealer!)).status).to.equal(403);
  });

  it("warns when PUBLIC_BASE_URL is a loopback or unroutable address: /labels/settings tells the label screen", async () => {
    const ok = await api.call("GET", "/api/v1/labels/settings", api.keys.maker!);
    expect(ok.status).to.equal(200);
    expect(ok.json.publicBaseUrl).to.equal("https://pl.example.cn");
    expect(ok.json.publicBaseUrlWarning).to.equal(null);
    expect(ok.json.layouts.map((l: { layout: string }) => l.layout)).to.deep.equal(["a4", "roll-50x30"]);
    const local = new LabelsService(stack.svc, "http://127.0.0.1:3000").settings();
    expect(local.publicBaseUrlWarning?.code).to.equal("LABEL.BASE_URL_UNREACHABLE");
    expect(local.publicBaseUrlWarning?.message).to.contain("127.0.0.1");
    for (const url of [
      "http://localhost:3000",
      "http://app.localhost",
      "http://127.8.9.10",
      "http://[::1]:3000",
      "http://0.0.0.0:3000",
      "http://[::]:3000",
      "http://169.254.10.1",
      "http://[fe80::1]",
      "http://[::ffff:127.0.0.1]",
    ])
      expect(publicBaseUrlWarning(url), url).to.not.equal(null);
    for (const url of ["https://parts.example.cn", "http://192.168.1.20:3000", "http://10.0.0.5", "http://1.27.0.1"])
      expect(publicBaseUrlWarning(url), url).to.equal(null);
  });
});
