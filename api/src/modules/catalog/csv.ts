/**
 * Streams records out of CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or JSON lines,
 * decoding UTF-8 strictly: a file in another encoding (GBK from Excel …) stops with the line where it broke
 * instead of importing mojibake. Each record comes with its 1-based line number and the bytes read so far.
 */
export interface RawRecord {
  line: number;
  fields: Record<string, unknown>;
  bytes: number;
}

export class FileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

async function* lines(
  source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<{ text: string; line: number; bytes: number }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buf = "";
  let line = 0;
  let bytes = 0;
  let first = true;
  for await (const chunk of source) {
    const bin = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    bytes += bin.length;
    try {
      buf += decoder.decode(bin, { stream: true });
    } catch {
      throw new FileError(
        "IMPORT.BAD_ENCODING",
        `the file is not valid UTF-8 (after line ${line}); save it as UTF-8 (Excel: "CSV UTF-8"), not GBK`,
        line + 1,
      );
    }
    if (first && buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1); // BOM
    first = false;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      line++;
      yield { text: buf.slice(0, nl).replace(/\r$/, ""), line, bytes };
      buf = buf.slice(nl + 1);
    }
  }
  try {
    buf += decoder.decode();
  } catch {
    throw new FileError("IMPORT.BAD_ENCODING", `the file is not valid UTF-8 (at its end, line ${line + 1})`, line + 1);
  }
  if (buf.length) yield { text: buf.replace(/\r$/, ""), line: line + 1, bytes };
}

/** Splits one CSV record; returns null when a quoted field continues on the next line. */
export function splitCsv(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
    } else {
      const c = text.indexOf(",", i);
      out.push((c < 0 ? text.slice(i) : text.slice(i, c)).trim());
      i = c < 0 ? text.length : c;
    }
    if (i >= text.length) return out;
    if (text[i] !== ",") throw new Error("text after a closing quote");
    i++;
  }
}

export async function* csvRecords(
  source: AsyncIterable<Uint8Array | string>,
  required: readonly string[],
): AsyncGenerator<RawRecord> {
  let header: string[] | null = null;
  let pending = "";
  let startLine = 0;
  for await (const { text, line, bytes } of lines(source)) {
    const joined = pending ? `${pending}\n${text}` : text;
    if (!pending) startLine = line;
    let cells: string[] | null;
    try {
      cells = splitCsv(joined);
    } catch {
      yield { line: startLine, fields: { __error: "malformed CSV: text after a closing quote" }, bytes };
      pending = "";
      continue;
    }
    if (cells === null) {
      pending = joined;
      continue;
    }
    pending = "";
    if (!header) {
      header = cells.map((h) => h.trim());
      const missing = required.filter((r) => !header!.includes(r));
      if (missing.length)
        throw new FileError(
          "IMPORT.MISSING_COLUMN",
          `line 1: missing column(s) ${missing.join(", ")}; the header must name ${required.join(", ")}`,
          1,
        );
      continue;
    }
    if (cells.length === 1 && cells[0] === "") continue;
    if (cells.length !== header.length) {
      yield {
        line: startLine,
        fields: { __error: `expected ${header.length} fields like the header, found ${cells.length}` },
        bytes,
      };
      continue;
    }
    yield { line: startLine, fields: Object.fromEntries(header.map((h, i) => [h, cells![i]])), bytes };
  }
  if (pending) yield { line: startLine, fields: { __error: "a quoted field is never closed" }, bytes: 0 };
  if (!header) throw new FileError("IMPORT.EMPTY_FILE", "the file is empty: expected a header line", 1);
}

export async function* jsonlRecords(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<RawRecord> {
  for await (const { text, line, bytes } of lines(source)) {
    if (!text.trim()) continue;
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== "object" || v === null || Array.isArray(v))
        yield { line, fields: { __error: "each line must be a JSON object" }, bytes };
      else yield { line, fields: v as Record<string, unknown>, bytes };
    } catch {
      yield { line, fields: { __error: "not valid JSON" }, bytes };
    }
  }
}
