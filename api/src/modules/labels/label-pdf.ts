import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import subsetFont from "subset-font";

/** The label sizes a run can be printed on: an A4 sheet of 24 (4 × 6) or a thermal roll, one 50 × 30 mm label a page. */
export const LABEL_LAYOUTS = ["a4", "roll-50x30"] as const;
export type LabelLayout = (typeof LABEL_LAYOUTS)[number];

/** One label: the QR code's text (the signed GS1 Digital Link URI) and what is printed beside it. */
export interface LabelContent {
  uri: string;
  /** Brand and product name (Chinese, as the manufacturer named the GTIN); empty when the GTIN was never named. */
  brand: string;
  name: string;
  gtin: string;
  serial: string;
  lot: string;
  productionDate: string;
}

export interface SheetInfo {
  company: string;
  runId: string;
  /** The header of every A4 page (and the document's title). */
  title: string;
}

const MM = 72 / 25.4;
/** Page sizes in PDF points; the roll's label is 50 × 30 mm. */
export const PAGE = { a4: { w: 595.28, h: 841.89 }, "roll-50x30": { w: 50 * MM, h: 30 * MM } } as const;
const A4_COLS = 3;
const A4_ROWS = 8;
const A4_MARGIN = 20;
const A4_HEADER = 16;
/**
 * QR side in points. At error correction M a label's URI (~160 characters) is a version-8 or -9 code (49 or 53
 * modules): 84 pt on A4 is ≥ 3.3 pixels a module at 150 dpi (below about 3, zbar missed some codes of a full A4
 * page), 68 pt on the roll ≥ 2.7 (one code a page decodes reliably there); both keep the 4-module quiet zone clear.
 */
const QR_SIDE = { a4: 84, "roll-50x30": 68 } as const;
const CODE_FONT = "Courier-Bold"; // GTIN, serial, lot: fixed width, 0 and O told apart, a PDF standard font (not embedded)
const CJK = "cjk";

/**
 * The CJK font: Noto Sans Hans Regular (SIL OFL 1.1) from the npm package @embedpdf/fonts-sc — never a font of the
 * machine, which users' servers do not have. Read once (8 MB), then subset per document with HarfBuzz (subset-font)
 * to the characters the document prints; pdfkit embeds that subset (CID-keyed CFF) with a ToUnicode map, so the
 * text stays searchable and copyable.
 */
let fontFile: Buffer | undefined;
export function cjkFontFile(): Buffer {
  if (!fontFile) {
    const entry = createRequire(import.meta.url).resolve("@embedpdf/fonts-sc");
    fontFile = readFileSync(join(dirname(entry), "..", "fonts", "NotoSansHans-Regular.otf"));
  }
  return fontFile;
}

/** The QR's dark modules as horizontal runs [row, firstColumn, length]: one `re` per run keeps the page stream small. */
function qrRuns(text: string): { size: number; runs: Array<[number, number, number]> } {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const runs: Array<[number, number, number]> = [];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      runs.push([r, start, c - start]);
    }
  }
  return { size: n, runs };
}

/** Draws a QR code as one vector path (sharp at any printer resolution) with its top-left at (x, y). */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, side: number): void {
  const { size, runs } = qrRuns(text);
  doc.save();
  doc.translate(x, y).scale(side / size);
  for (const [r, c, len] of runs) doc.rect(c, r, len, 1);
  doc.fillColor("black").fill();
  doc.restore();
}

/** Writes `text` in `font` at the largest size ≤ `max` (not below `min`) that fits `width` on one line. */
function fitted(
  doc: PDFKit.PDFDocument,
  font: string,
  text: string,
  x: number,
  y: number,
  width: number,
  max: number,
  min: number,
): number {
  doc.font(font).fontSize(max);
  let size = max;
  const w = doc.widthOfString(text);
  if (w > width) size = Math.max(min, (max * width) / w);
  doc.fontSize(size).text(text, x, y, { lineBreak: false, width, height: size * 1.2, ellipsis: true });
  return size;
}

/**
 * One label in the box (x, y, w, h): the QR on the left, vertically centred, and on its right the brand, the product
 * name (wrapped, cut with an ellipsis when long) and, at the bottom, the code lines (GTIN, serial, lot).
 */
function drawLabel(
  doc: PDFKit.PDFDocument,
  l: LabelContent,
  box: { x: number; y: number; w: number; h: number },
  side: number,
  codes: string[],
  sizes: { brand: number; name: number; code: number },
): void {
  const qx = box.x + Math.max(6, (box.h - side) / 2);
  drawQr(doc, l.uri, qx, box.y + (box.h - side) / 2, side);
  const tx = qx + side + 6;
  const tw = box.x + box.w - tx - 4;
  let y = box.y + 6;
  doc.fillColor("black");
  if (l.brand) y += fitted(doc, CJK, l.brand, tx, y, tw, sizes.brand, sizes.brand * 0.75) * 1.25;
  const line = sizes.code * 1.05;
  const codesTop = box.y + box.h - 5 - codes.length * line;
  if (l.name) {
    doc.font(CJK).fontSize(sizes.name);
    doc.text(l.name, tx, y, { width: tw, height: Math.max(sizes.name * 1.3, codesTop - y - 1), ellipsis: true });
  }
  codes.forEach((text, i) => fitted(doc, CODE_FONT, text, tx, codesTop + i * line, tw, sizes.code, 4.5));
}

/**
 * The label PDF of a run with pdfkit: vector QR codes (error correction M), brand and product name in a subset of
 * Noto Sans Hans, GTIN/serial/lot in Courier. `a4`: 24 labels a page (3 × 8, each 65 × 35 mm) under a Chinese header (company, run, page);
 * `roll-50x30`: one label a page, for a thermal printer's 50 × 30 mm roll.
 */
export async function labelPdf(labels: LabelContent[], info: SheetInfo, layout: LabelLayout): Promise<Buffer> {
  const perPage = layout === "a4" ? A4_COLS * A4_ROWS : 1;
  const pages = Math.max(1, Math.ceil(labels.length / perPage));
  // Every character the CJK font draws: HarfBuzz keeps just those glyphs (a few KB instead of 8 MB).
  const chars = new Set<string>("0123456789 /·第页…");
  for (const s of [info.title, ...labels.flatMap((l) => [l.brand, l.name])]) for (const ch of s) chars.add(ch);
  const font = await subsetFont(cjkFontFile(), [...chars].join(""), { targetFormat: "sfnt" });

  const size = PAGE[layout];
  const doc = new PDFDocument({
    size: [size.w, size.h],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    pdfVersion: "1.4",
    lang: "zh-CN",
    info: { Title: info.title, Author: info.company, Subject: info.runId, Creator: "PartLedger" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  doc.registerFont(CJK, font);
  for (let p = 0; p < pages; p++) {
    doc.addPage({ size: [size.w, size.h], margin: 0 });
    const slice = labels.slice(p * perPage, (p + 1) * perPage);
    if (layout === "roll-50x30") {
      const l = slice[0];
      if (l)
        drawLabel(doc, l, { x: 0, y: 0, ...size }, QR_SIDE[layout], [l.gtin, l.serial, l.lot, l.productionDate], {
          brand: 8,
          name: 7,
          code: 6.6,
        });
      continue;
    }
    doc.font(CJK).fontSize(8).fillColor("black");
    const pageNo = `第 ${p + 1} / ${pages} 页`;
    const pageW = doc.widthOfString(pageNo);
    doc.text(pageNo, size.w - A4_MARGIN - pageW, A4_MARGIN - 4, { lineBreak: false });
    doc.text(info.title, A4_MARGIN, A4_MARGIN - 4, {
      width: size.w - 2 * A4_MARGIN - pageW - 12,
      height: 10,
      lineBreak: false,
      ellipsis: true,
    });
    const cellW = (size.w - 2 * A4_MARGIN) / A4_COLS;
    const cellH = (size.h - 2 * A4_MARGIN - A4_HEADER) / A4_ROWS;
    slice.forEach((label, i) => {
      const x = A4_MARGIN + (i % A4_COLS) * cellW;
      const top = A4_MARGIN + A4_HEADER + Math.floor(i / A4_COLS) * cellH;
      doc.save().lineWidth(0.3).strokeColor("#cccccc").rect(x, top, cellW, cellH).stroke().restore(); // cutting guide
      const codes = [`GTIN ${label.gtin}`, `SN ${label.serial}`, `LOT ${label.lot}`, label.productionDate];
      drawLabel(doc, label, { x, y: top, w: cellW, h: cellH }, QR_SIDE.a4, codes, { brand: 8.5, name: 7.5, code: 6.8 });
    });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

const xml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * One label as SVG, in the geometry of `layout` (the roll's 50 × 30 mm, or one 65 × 34.6 mm cell of the A4 sheet):
 * the label screen's preview. The browser draws the text in its own CJK font; the QR is the same vector code.
 */
export function labelSvg(l: LabelContent, layout: LabelLayout): string {
  const w = layout === "a4" ? (PAGE.a4.w - 2 * A4_MARGIN) / A4_COLS : PAGE[layout].w;
  const h = layout === "a4" ? (PAGE.a4.h - 2 * A4_MARGIN - A4_HEADER) / A4_ROWS : PAGE[layout].h;
  const side = QR_SIDE[layout];
  const { size, runs } = qrRuns(l.uri);
  const qx = Math.max(6, (h - side) / 2);
  const qy = (h - side) / 2;
  const path = runs.map(([r, c, len]) => `M${c} ${r}h${len}v1h-${len}z`).join("");
  const tx = qx + side + 6;
  const codes =
    layout === "a4"
      ? [`GTIN ${l.gtin}`, `SN ${l.serial}`, `LOT ${l.lot}`, l.productionDate]
      : [l.gtin, l.serial, l.lot, l.productionDate];
  const code = layout === "a4" ? 6.8 : 6.6;
  const codesTop = h - 5 - codes.length * code * 1.05;
  const tw = w - tx - 4;
  const text = (s: string, y: number, sz: number, family: string, weight = "normal") =>
    `<text x="${tx.toFixed(2)}" y="${y.toFixed(2)}" font-size="${sz.toFixed(2)}" font-family="${family}" font-weight="${weight}">${xml(s)}</text>`;
  const sans = "'Noto Sans SC','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif";
  // The browser lays the text out, so widths are estimated: an ideograph 1 em, other characters 0.6 em.
  const em = (ch: string) => (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.6);
  const wrap = (s: string, sz: number, maxLines: number): string[] => {
    const lines: string[] = [""];
    let width = 0;
    for (const ch of s) {
      if (width + em(ch) * sz > tw) {
        if (lines.length === maxLines) return [...lines.slice(0, -1), `${lines.at(-1)!.slice(0, -1)}…`];
        lines.push("");
        width = 0;
      }
      lines[lines.length - 1] += ch;
      width += em(ch) * sz;
    }
    return lines;
  };
  const brandTop = 6 + 8;
  const nameTop = l.brand ? brandTop + 8 * 1.25 : brandTop;
  const nameLines = Math.max(1, Math.floor((codesTop - nameTop + 7) / (7 * 1.3)));
  const lines = [
    l.brand ? text(wrap(l.brand, 8, 1)[0]!, brandTop, 8, sans) : "",
    ...(l.name ? wrap(l.name, 7, nameLines).map((s, i) => text(s, nameTop + i * 7 * 1.3, 7, sans)) : []),
    ...codes.map((s, i) =>
      text(
        s,
        codesTop + i * code * 1.05 + code * 0.8,
        Math.min(code, tw / (s.length * 0.6)),
        "'Courier New',monospace",
        "bold",
      ),
    ),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${(w / MM).toFixed(1)}mm" height="${(h / MM).toFixed(1)}mm" viewBox="0 0 ${w.toFixed(2)} ${h.toFixed(2)}">`,
    `<rect width="100%" height="100%" fill="#fff" stroke="#ccc" stroke-width="0.3"/>`,
    `<path transform="translate(${qx.toFixed(2)} ${qy.toFixed(2)}) scale(${(side / size).toFixed(5)})" d="${path}" fill="#000" shape-rendering="crispEdges"/>`,
    ...lines.filter(Boolean),
    `</svg>`,
  ].join("\n");
}
