import type { Sql } from "./sql.js";

/** A parameterised statement. */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * A condition a deferred write must meet, as a SQL boolean over the write's own CTE names and parameters (e.g.
 * `(SELECT count(*) FROM moved) = $5`); evaluated after the writes, in the same statement. When it is not true the
 * statement fails with a DeferredCheckFailed carrying `message`, and the transaction rolls back.
 */
export interface DeferredCheck {
  sql: string;
  message: string;
}

export interface DeferredWrite extends Statement {
  check?: DeferredCheck | undefined;
}

/** A deferred write's check was not met (SQLSTATE PLCHK from pl_check); `message` is the check's. */
export class DeferredCheckFailed extends Error {}

/** The check's failure as a DeferredCheckFailed; any other error as it is. */
export function checkFailure(e: unknown): unknown {
  const err = e as { code?: string; message?: string };
  return err?.code === "PLCHK" ? new DeferredCheckFailed(err.message ?? "deferred check failed") : e;
}

/**
 * Walks SQL outside single-quoted literals, double-quoted identifiers and comments, calling `visit` with each
 * position and the parenthesis depth there. Our statements are our own; this is not a general SQL parser.
 */
function scan(text: string, visit: (i: number, depth: number) => void) {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`deferred write: unterminated ${c} in ${text.slice(0, 80)}`);
      i = end;
      continue;
    }
    if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === "(") depth++;
    else if (c === ")") depth--;
    visit(i, depth);
  }
}

const splitCache = new Map<string, ReturnType<typeof splitWithUncached>>();
/** A statement's own WITH list (`name AS (…), …`, without the WITH) and its main statement (cached: texts repeat). */
function splitWith(text: string) {
  let hit = splitCache.get(text);
  if (!hit) {
    hit = splitWithUncached(text);
    if (splitCache.size < 1000) splitCache.set(text, hit);
  }
  return hit;
}

function splitWithUncached(text: string): { ctes: string | null; names: string[]; main: string } {
  const t = text.trim();
  if (!/^with\s/i.test(t)) return { ctes: null, names: [], main: t };
  let mainAt = -1;
  const names: string[] = [];
  scan(t, (i, depth) => {
    if (mainAt >= 0 || depth !== 0 || i < 4) return;
    const rest = t.slice(i, i + 7);
    if (/^(insert|update|delete|select)\b/i.test(rest) && /\s/.test(t[i - 1]!)) mainAt = i;
  });
  if (mainAt < 0) throw new Error(`deferred write: no main statement after WITH in ${t.slice(0, 80)}`);
  const ctes = t.slice(4, mainAt).trim().replace(/,$/, "");
  // CTE names: an identifier at depth 0 followed by AS (or a column list).
  let header = ctes.replace(/'[^']*'/g, "''");
  while (/\([^()]*\)/.test(header)) header = header.replace(/\([^()]*\)/g, "<>");
  for (const m of header.matchAll(/(?:^|,)\s*([a-z_][a-z0-9_]*)\s*(?:<>\s*)?as\s/gi)) names.push(m[1]!.toLowerCase());
  return { ctes, names, main: t.slice(mainAt) };
}

const shiftCache = new Map<string, string>();
/** Shifts `$n` placeholders by `offset` (outside literals); cached, as texts and their offsets repeat. */
function shiftParams(text: string, offset: number): string {
  if (offset === 0) return text;
  const key = `${offset}:${text}`;
  let hit = shiftCache.get(key);
  if (hit === undefined) {
    hit = shiftParamsUncached(text, offset);
    if (shiftCache.size < 5000) shiftCache.set(key, hit);
  }
  return hit;
}

function shiftParamsUncached(text: string, offset: number): string {
  const at = new Set<number>();
  scan(text, (i) => {
    if (text[i] === "$" && /\d/.test(text[i + 1] ?? "")) at.add(i);
  });
  return text.replace(/\$(\d+)/g, (m, n: string, i: number) => (at.has(i) ? `$${Number(n) + offset}` : m));
}

/**
 * Combines independent writes (INSERT / UPDATE / DELETE, each optionally with its own WITH list) into as few
 * statements as possible: `WITH <their CTEs…>, w1 AS (<write 1>), w2 AS (<write 2>) SELECT 1`. PostgreSQL runs every
 * data-modifying CTE once, all against one snapshot, so the writes must not read each other's effects. A write whose
 * CTE names clash with an earlier one's starts a new statement.
 */
export function combineWrites(writes: ReadonlyArray<DeferredWrite>): Statement[] {
  if (writes.length === 1 && !writes[0]!.check) return [{ text: writes[0]!.text, params: writes[0]!.params }];
  const out: Statement[] = [];
  let parts: string[] = [];
  let checks: string[] = [];
  let params: unknown[] = [];
  let names = new Set<string>();
  const close = () => {
    if (parts.length)
      out.push({ text: `WITH ${parts.join(",\n")}\nSELECT ${checks.length ? checks.join(" AND ") : "1"}`, params });
    parts = [];
    checks = [];
    params = [];
    names = new Set();
  };
  for (const w of writes) {
    const { ctes, names: own, main } = splitWith(w.text);
    if (!/^(insert|update|delete)\b/i.test(main))
      throw new Error(`deferred write: only INSERT, UPDATE or DELETE can be deferred: ${main.slice(0, 80)}`);
    if (own.some((n) => names.has(n)) || params.length + w.params.length > 60_000) close();
    const offset = params.length;
    if (ctes) parts.push(shiftParams(ctes, offset));
    parts.push(`dw${parts.length + 1} AS (${shiftParams(main, offset)})`);
    for (const n of own) names.add(n);
    params.push(...w.params);
    if (w.check) {
      params.push(w.check.message);
      checks.push(`pl_check(${shiftParams(w.check.sql, offset)}, $${params.length}::text)`);
    }
  }
  close();
  return out;
}

let combining = true;
/**
 * Whether deferred writes are combined into one statement (the default) or sent one by one, each its own statement
 * (its check attached) — a measurement switch for `bench:orders` (`BENCH_DEFERRED_WRITES`), which weighs what the
 * combiner buys (DECISIONS 30). Applies to transactions that flush after the call.
 */
export function combineDeferredWrites(on: boolean): void {
  combining = on;
}

/**
 * A transaction's SQL with deferred writes: `defer` queues a write whose result nobody reads; the queue goes to the
 * database as one combined statement (combineWrites) just before the transaction's next statement, or at its end
 * (`finish`). A deferred write that fails (or whose check is not met) therefore fails that statement or the end, and
 * the whole transaction rolls back — nothing is half-written. BEGIN is sent only before the first statement: a
 * transaction that only deferred writes which combine into one statement runs as that one statement (atomic on its
 * own), one round trip instead of four.
 */
export function deferringSql(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the driver's rows, typed by each caller
  run: (text: string, params?: unknown[]) => Promise<{ rows: any[] }>,
  exec: (text: string) => Promise<void>,
  opts: { begun: boolean } = { begun: false },
): Sql & { finish(): Promise<void>; begun(): boolean } {
  let queue: DeferredWrite[] = [];
  let begun = opts.begun;
  const begin = async () => {
    if (begun) return;
    begun = true;
    await exec("BEGIN");
  };
  const flush = async (end: boolean) => {
    if (!queue.length) return;
    const batch = combining ? combineWrites(queue) : queue.flatMap((w) => combineWrites([w]));
    queue = [];
    if (end && batch.length > 1) await begin(); // several statements must share a transaction
    for (const s of batch) await run(s.text, s.params).catch((e: unknown) => Promise.reject(checkFailure(e)));
  };
  const sql: Sql & { finish(): Promise<void>; begun(): boolean } = {
    query: async <T>(text: string, params?: unknown[]) => {
      await begin();
      await flush(false);
      return (await run(text, params)) as { rows: T[] };
    },
    exec: async (text) => {
      await begin();
      await flush(false);
      await exec(text);
    },
    defer: async (text, params, check) => void queue.push({ text, params: params ?? [], check }),
    transaction: (fn) => fn(sql), // already inside one
    finish: () => flush(true),
    begun: () => begun,
  };
  return sql;
}

/** A deferred write outside any transaction: at once, its check included. */
export async function runDeferred(
  run: (text: string, params?: unknown[]) => Promise<unknown>,
  w: DeferredWrite,
): Promise<void> {
  for (const s of combineWrites([w]))
    await run(s.text, s.params).catch((e: unknown) => Promise.reject(checkFailure(e)));
}
