import QRCode from "qrcode";

/** One label: the QR code's text and the human-readable lines printed under it. */
export interface LabelContent {
  uri: string;
  lines: string[];
}

const A4 = { w: 595.28, h: 841.89 };
const COLS = 4;
const ROWS = 6;
const MARGIN = 28;

const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");

/** Draws one label at (x, y) (top-left, PDF points) as vector QR modules plus Helvetica text. */
function drawLabel(label: LabelContent, x: number, top: number, cellW: number): string {
  const qr = QRCode.create(label.uri, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const side = Math.min(cellW - 16, 96);
  const m = side / n;
  const x0 = x + (cellW - side) / 2;
  const y0 = top - 6 - side; // PDF y grows upwards
  const ops: string[] = ["0 g"];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c))
        ops.push(`${(x0 + c * m).toFixed(2)} ${(y0 + (n - 1 - r) * m).toFixed(2)} ${m.toFixed(3)} ${m.toFixed(3)} re`);
    }
  }
  ops.push("f");
  label.lines.forEach((line, i) => {
    ops.push(`BT /F1 6.5 Tf ${(x + 8).toFixed(2)} ${(y0 - 9 - i * 8).toFixed(2)} Td (${esc(line)}) Tj ET`);
  });
  return ops.join("\n");
}

/**
 * A printable A4 label sheet (24 labels a page: 4 × 6), written directly as PDF 1.4: vector QR codes (they print
 * sharp at any size) and the GTIN, serial and lot in Helvetica under each.
 */
export function labelSheetPdf(labels: LabelContent[], title: string): Buffer {
  const perPage = COLS * ROWS;
  const pages = Math.max(1, Math.ceil(labels.length / perPage));
  const cellW = (A4.w - 2 * MARGIN) / COLS;
  const cellH = (A4.h - 2 * MARGIN - 16) / ROWS;
  const objects: string[] = [];
  const add = (body: string) => objects.push(body); // the new length is the object number (from 1)
  const catalog = add("");
  const pagesObj = add("");
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const kids: number[] = [];
  for (let p = 0; p < pages; p++) {
    const parts = [
      `BT /F1 8 Tf ${MARGIN} ${(A4.h - MARGIN).toFixed(2)} Td (${esc(`${title}  -  page ${p + 1} of ${pages}`)}) Tj ET`,
    ];
    labels.slice(p * perPage, (p + 1) * perPage).forEach((label, i) => {
      const col = i % COLS;
      const row = Math.floor(i / COLS);
      const x = MARGIN + col * cellW;
      const top = A4.h - MARGIN - 16 - row * cellH;
      parts.push(
        `0.8 G 0.3 w ${x.toFixed(2)} ${(top - cellH).toFixed(2)} ${cellW.toFixed(2)} ${cellH.toFixed(2)} re S`,
      );
      parts.push(drawLabel(label, x, top, cellW));
    });
    const stream = parts.join("\n");
    const content = add(`<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${A4.w} ${A4.h}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  let out = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
