/**
 * `npm run import -- <skus|crossrefs|fitments|offers> FILE [--company c_…]` — imports a CSV or JSON-lines file into
 * the catalogue (DATABASE_URL, or the embedded PGlite in DATA_DIR while `npm start` is not holding it), with a
 * progress bar on the terminal. Bad rows are listed with line, field and reason; the good rows commit. Re-importing
 * a file changes nothing (rows are upserted by their natural keys). Offers belong to a supplier: name it with
 * --company. Exit codes: 0 all rows imported, 1 some rows bad or the file refused, 2 bad usage.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { CatalogImporter, type ImportKind, type ImportReport } from "../api/src/modules/catalog/import.service.js";
import { MatchService } from "../api/src/modules/catalog/match.service.js";
import { loadConfig, openDatabase } from "../ledger-service/src/index.js";

const KINDS = ["skus", "crossrefs", "fitments", "offers"] as const;
const usage = "usage: npm run import -- <skus|crossrefs|fitments|offers> FILE [--company c_…] [--format csv|jsonl]";

function fail(message: string, code = 2): never {
  console.error(`import: ${message}`);
  process.exit(code);
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (!v || v.startsWith("--")) fail(`${name} needs a value\n${usage}`);
  args.splice(i, 2);
  return v;
};
const company = flag("--company");
const formatFlag = flag("--format");
const [kind, file, ...extra] = args;
if (!kind || !file || extra.length) fail(usage);
if (!(KINDS as readonly string[]).includes(kind))
  fail(`unknown kind ${JSON.stringify(kind)}: one of ${KINDS.join(", ")}`);
if (!existsSync(file) || !statSync(file).isFile()) fail(`no such file: ${file}`);
if (formatFlag !== undefined && formatFlag !== "csv" && formatFlag !== "jsonl")
  fail(`--format must be csv or jsonl, got ${JSON.stringify(formatFlag)}`);
const format =
  formatFlag ??
  (/\.(jsonl|ndjson)$/i.test(file)
    ? "jsonl"
    : /\.csv$/i.test(file)
      ? "csv"
      : fail(`cannot tell the format of ${file}: name it .csv or .jsonl, or pass --format`));
if (kind === "offers" && !company) fail("offers belong to a supplier company: pass --company c_…");

const config = (() => {
  try {
    return loadConfig();
  } catch (e) {
    return fail((e as Error).message);
  }
})();
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }).catch((e: Error) =>
  fail(e.message, 1),
);
try {
  if (company) {
    const { rows } = await db.sql.query("SELECT 1 FROM companies WHERE id = $1", [company]);
    if (!rows.length) fail(`no company ${company}`);
  }
  const size = statSync(file).size;
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let last = 0;
  const draw = (r: ImportReport, final = false) => {
    const now = performance.now();
    if (!final && now - last < (tty ? 200 : 5000)) return;
    last = now;
    const frac = size ? Math.min(1, r.bytesDone / size) : 1;
    const width = 30;
    const bar = "█".repeat(Math.round(frac * width)).padEnd(width, "░");
    const rate = Math.round(r.rowsOk / Math.max(0.001, (now - started) / 1000));
    const line = `${bar} ${(frac * 100).toFixed(0).padStart(3)}%  ${r.rowsOk.toLocaleString()} rows ok, ${r.rowsBad.toLocaleString()} bad  ${rate.toLocaleString()} rows/s`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  const matches = new MatchService(db.sql);
  const report = await new CatalogImporter(db.sql, { matchSkus: (ctx) => matches.matchPending(ctx) }).run(
    {
      actorType: "operator",
      actorId: "cli",
      ip: null,
      userAgent: "npm run import",
      requestId: null,
      companyId: company ?? null,
    },
    kind as ImportKind,
    format,
    createReadStream(file, { highWaterMark: 1 << 20 }),
    size,
    (r) => draw(r),
  );
  draw(report, true);
  if (tty) process.stderr.write("\n");
  for (const e of report.errors.slice(0, 50)) console.log(`line ${e.line}: ${e.field}: ${e.reason}`);
  if (report.rowsBad > 50)
    console.log(
      `… and ${report.rowsBad - 50} more bad rows (GET /api/v1/catalog/imports/${report.id} lists the first 1,000)`,
    );
  console.log(
    JSON.stringify({
      id: report.id,
      status: report.status,
      rowsOk: report.rowsOk,
      rowsBad: report.rowsBad,
      failure: report.failure,
      ...(report.matching ? { matching: report.matching } : {}),
    }),
  );
  process.exitCode = report.status === "done" && report.rowsBad === 0 ? 0 : 1;
} finally {
  await db.close();
}
