import type { Sql } from "./sql.js";

/** A parameterised statement. */
export interface Statement {
  text: string;
  params: unknown[];
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

/** A statement's own WITH list (`name AS (…), …`, without the WITH) and its main statement. */
function splitWith(text: string): { ctes: string | null; names: string[]; main: string } {
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

/** Shifts `$n` placeholders by `offset` (outside literals). */
function shiftParams(text: string, offset: number): string {
  if (offset === 0) return text;
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
export function combineWrites(writes: ReadonlyArray<Statement>): Statement[] {
  if (writes.length <= 1) return writes.map((w) => ({ text: w.text, params: w.params }));
  const out: Statement[] = [];
  let parts: string[] = [];
  let params: unknown[] = [];
  let names = new Set<string>();
  const close = () => {
    if (parts.length) out.push({ text: `WITH ${parts.join(",\n")}\nSELECT 1`, params });
    parts = [];
    params = [];
    names = new Set();
  };
  for (const w of writes) {
    const { ctes, names: own, main } = splitWith(w.text);
    if (!/^(insert|update|delete)\b/i.test(main)) throw new Error(`deferred write: only INSERT, UPDATE or DELETE can be deferred: ${main.slice(0, 80)}`);
    if (own.some((n) => names.has(n)) || params.length + w.params.length > 60_000) close();
    const offset = params.length;
    if (ctes) parts.push(shiftParams(ctes, offset));
    parts.push(`dw${parts.length + 1} AS (${shiftParams(main, offset)})`);
    for (const n of own) names.add(n);
    params.push(...w.params);
  }
  close();
  return out;
}

/**
 * A transaction's SQL with deferred writes: `defer` queues a write whose result nobody reads; the queue goes to the
 * database as one combined statement (combineWrites) just before the transaction's next statement, or before its
 * commit (`flush`). A deferred write that fails therefore fails that statement or the commit, and the whole
 * transaction rolls back — nothing is half-written. It saves a round trip per write on hot paths.
 */
export function deferringSql(run: (text: string, params?: unknown[]) => Promise<{ rows: any[] }>, exec: (text: string) => Promise<void>): Sql & { flush(): Promise<void> } {
  let queue: Statement[] = [];
  const flush = async () => {
    if (!queue.length) return;
    const batch = combineWrites(queue);
    queue = [];
    for (const s of batch) await run(s.text, s.params);
  };
  const sql: Sql & { flush(): Promise<void> } = {
    query: async <T>(text: string, params?: unknown[]) => {
      await flush();
      return (await run(text, params)) as { rows: T[] };
    },
    exec: async (text) => {
      await flush();
      await exec(text);
    },
    defer: async (text, params) => void queue.push({ text, params: params ?? [] }),
    transaction: (fn) => fn(sql), // already inside one
    flush,
  };
  return sql;
}
