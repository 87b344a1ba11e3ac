/**
 * Where an order's time goes, measured in the server's process during a load (`bench:orders` with
 * BENCH_PROBE=FILE): a diagnostic, not a figure. It needs no quiet machine — it compares the slowest orders' phases
 * with the typical order's, and lists what else ran while the slow ones waited:
 *  - per request (AsyncLocalStorage from the HTTP request on): each SQL statement's wait for a pool connection and its
 *    run time, labelled by what it does (bucket upsert, auth look-up, pool read, the combined write, BEGIN/COMMIT …),
 *    and the time in this process between them (JavaScript, or an event loop busy with other requests);
 *  - the event loop's lateness (a 10 ms timer's, with timestamps, and monitorEventLoopDelay's histogram);
 *  - GC pauses (PerformanceObserver 'gc');
 *  - the pg pool's waiting count, sampled;
 *  - the background passes of this process (transfer proposals, the webhook dispatcher), as intervals;
 *  - PostgreSQL: pg_stat_activity every 100 ms (autovacuum workers, the checkpointer's and other backends' waits, the
 *    other databases' active backends: the machine is shared) and the checkpoints pg_stat_bgwriter counts.
 * The client stamps each order with its scheduled send time (x-bench-scheduled, epoch ms) so the time before the
 * request reached the handler is known too.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";
import pg from "pg";

interface Statement {
  label: string;
  at: number; // ms since the request arrived, when the statement was asked for
  waitMs: number; // for a pool connection (pool.query / pool.connect)
  runMs: number;
}
interface Req {
  arrived: number; // epoch ms
  scheduled: number | null; // the client's schedule, epoch ms
  done: number;
  status: number;
  statements: Statement[];
}
interface Interval {
  what: string;
  from: number;
  to: number;
}

const now = () => performance.timeOrigin + performance.now();

/** What a statement does, from its text. */
export function labelOf(text: string): string {
  const t = text.trimStart();
  if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(t)) return t.split(/\s/)[0]!.toUpperCase();
  if (/rate_limit_buckets/.test(t)) return "rate-limit bucket";
  if (/login_attempts/.test(t)) return "login_attempts";
  if (/FROM api_keys|FROM sessions/.test(t)) return "auth look-up";
  if (/FROM roles/.test(t)) return "roles";
  if (/\bdw\d+ AS \(/.test(t)) return "combined write";
  if (/^UPDATE stock\b|^WITH[\s\S]*UPDATE stock\b/i.test(t)) return "reservation";
  if (/INSERT INTO orders|INSERT INTO order_/i.test(t)) return "order rows";
  if (/webhook_events|webhook_deliveries/.test(t))
    return /claim|FOR UPDATE SKIP/i.test(t) ? "webhook claim" : "webhook outbox";
  if (/idempotent_requests/.test(t)) return "idempotency";
  if (/audit_pending/.test(t)) return "audit append";
  if (/FOR UPDATE/i.test(t) && /stock/.test(t)) return "pool lock";
  if (/FROM stock/.test(t)) return "pool read";
  if (/stock_transfers|reorder_point/.test(t)) return "transfer pass";
  return t.slice(0, 40).replace(/\s+/g, " ");
}

export function stallProbe(pool: pg.Pool, adminUrl: string) {
  const als = new AsyncLocalStorage<Req>();
  const reqs: Req[] = [];
  const lateness: Array<{ at: number; ms: number }> = [];
  const gcs: Array<{ at: number; ms: number; kind: number }> = [];
  const waiting: Array<{ at: number; n: number }> = [];
  const intervals: Interval[] = [];
  const activity: Array<{ at: number; rows: Array<Record<string, unknown>> }> = [];
  const eld = monitorEventLoopDelay({ resolution: 10 });
  let on = false;

  // Statements: every client the pool makes is wrapped; pool.connect measures the wait for a connection.
  const wrapClient = (client: pg.PoolClient) => {
    if ((client as unknown as { probed?: boolean }).probed) return;
    (client as unknown as { probed?: boolean }).probed = true;
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const r = als.getStore();
      const a0 = args[0] as string | { text: string };
      const text = typeof a0 === "string" ? a0 : a0?.text;
      if (!r || !on || typeof text !== "string") return query(...args);
      const st: Statement = { label: labelOf(text), at: now() - r.arrived, waitMs: pendingWait(r), runMs: 0 };
      const t0 = now();
      r.statements.push(st);
      const cb = args.at(-1);
      if (typeof cb === "function") {
        args[args.length - 1] = (...x: unknown[]) => {
          st.runMs = now() - t0;
          return (cb as (...y: unknown[]) => unknown)(...x);
        };
        return query(...args);
      }
      const out = query(...args);
      return out instanceof Promise ? out.finally(() => (st.runMs = now() - t0)) : out;
    };
  };
  const waits = new WeakMap<Req, number>();
  const pendingWait = (r: Req) => {
    const w = waits.get(r) ?? 0;
    waits.delete(r);
    return w;
  };
  pool.on("connect", (c) => wrapClient(c as pg.PoolClient));
  const connect = pool.connect.bind(pool) as (cb?: unknown) => unknown;
  (pool as unknown as { connect: unknown }).connect = (cb?: (e: Error, c: pg.PoolClient, d: () => void) => void) => {
    const r = als.getStore();
    const t0 = now();
    if (typeof cb === "function")
      return connect((e: Error, c: pg.PoolClient, done: () => void) => {
        if (r && c) waits.set(r, (waits.get(r) ?? 0) + now() - t0);
        if (c) wrapClient(c);
        if (r) als.run(r, () => cb(e, c, done));
        else cb(e, c, done);
      });
    return (connect() as Promise<pg.PoolClient>).then((c) => {
      if (r) waits.set(r, (waits.get(r) ?? 0) + now() - t0);
      wrapClient(c);
      return c;
    });
  };

  const gcObserver = new PerformanceObserver((list) => {
    if (!on) return;
    for (const e of list.getEntries())
      gcs.push({
        at: performance.timeOrigin + e.startTime,
        ms: e.duration,
        kind: (e as unknown as { detail?: { kind: number } }).detail?.kind ?? 0,
      });
  });
  gcObserver.observe({ entryTypes: ["gc"] });

  let tick: NodeJS.Timeout | undefined;
  let sampler: NodeJS.Timeout | undefined;
  let admin = new pg.Client({ connectionString: adminUrl });
  let checkpoints0: Record<string, number> | undefined;

  const bgwriter = async () =>
    (
      await admin.query<Record<string, number>>(
        `SELECT checkpoints_timed::int AS timed, checkpoints_req::int AS req, buffers_checkpoint::int AS buffers,
                pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS wal FROM pg_stat_bgwriter`,
      )
    ).rows[0]!;

  return {
    /** Wraps the app's request handler: each request's statements are recorded under it. */
    handler(app: (req: IncomingMessage, res: ServerResponse) => void) {
      return (req: IncomingMessage, res: ServerResponse) => {
        if (!on) return app(req, res);
        const sched = Number(req.headers["x-bench-scheduled"]);
        const r: Req = {
          arrived: now(),
          scheduled: Number.isFinite(sched) && sched > 0 ? sched : null,
          done: 0,
          status: 0,
          statements: [],
        };
        res.once("finish", () => {
          r.done = now();
          r.status = res.statusCode;
          reqs.push(r);
        });
        als.run(r, () => app(req, res));
      };
    },
    /** Records an async function's runs as intervals named `what` (a background pass). */
    wrap<T extends object, K extends keyof T>(obj: T, key: K, what: string) {
      const fn = obj[key] as unknown as (...a: unknown[]) => Promise<unknown>;
      (obj as Record<K, unknown>)[key] = async (...a: unknown[]) => {
        const from = now();
        try {
          return await fn.apply(obj, a);
        } finally {
          if (on) intervals.push({ what, from, to: now() });
        }
      };
    },
    async start() {
      admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      checkpoints0 = await bgwriter();
      for (const xs of [reqs, lateness, gcs, waiting, intervals, activity] as unknown[][]) xs.length = 0;
      on = true;
      eld.reset();
      eld.enable();
      let last = now();
      tick = setInterval(() => {
        const t = now();
        lateness.push({ at: t, ms: Math.max(0, t - last - 10) });
        last = t;
        waiting.push({ at: t, n: pool.waitingCount });
      }, 10);
      let busy = false;
      sampler = setInterval(() => {
        if (busy) return;
        busy = true;
        const at = now();
        admin
          .query(
            `SELECT datname, backend_type, state, wait_event_type, wait_event, left(query, 60) AS query,
                    (extract(epoch FROM now() - query_start) * 1000)::int AS ms
               FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (state IS DISTINCT FROM 'idle' OR backend_type <> 'client backend')`,
          )
          .then((x) => void activity.push({ at, rows: x.rows }))
          .catch(() => undefined)
          .finally(() => (busy = false));
      }, 100);
    },
    async stop() {
      on = false;
      eld.disable();
      clearInterval(tick);
      clearInterval(sampler);
      const checkpoints1 = await bgwriter();
      await admin.end();
      return {
        reqs: [...reqs],
        lateness: [...lateness],
        gcs: [...gcs],
        waiting: [...waiting],
        intervals: [...intervals],
        activity: [...activity],
        eld: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
        checkpoints: {
          timed: checkpoints1.timed! - checkpoints0!.timed!,
          requested: checkpoints1.req! - checkpoints0!.req!,
          buffers: checkpoints1.buffers! - checkpoints0!.buffers!,
        },
        walBytes: checkpoints1.wal! - checkpoints0!.wal!,
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      };
    },
  };
}

type Probed = Awaited<ReturnType<ReturnType<typeof stallProbe>["stop"]>>;

/**
 * The slowest 1% of orders (from the client's schedule when it sent one, else from arrival) against the middle of
 * the distribution: the mean of each phase, and what overlapped the slow ones.
 */
export function summarise(p: Probed, benchDb: string) {
  const total = (r: Req) => r.done - (r.scheduled ?? r.arrived);
  const sorted = [...p.reqs].sort((a, b) => total(a) - total(b));
  const n = sorted.length;
  if (!n) return { orders: 0 };
  const slow = sorted.slice(Math.floor(n * 0.99));
  const typical = sorted.slice(Math.floor(n * 0.4), Math.floor(n * 0.6));
  const phases = (rs: Req[]) => {
    const sum: Record<string, number> = {};
    for (const r of rs) {
      const add = (k: string, v: number) => (sum[k] = (sum[k] ?? 0) + v);
      add("total", total(r));
      add("before arrival (client, kernel, busy event loop)", r.scheduled ? r.arrived - r.scheduled : 0);
      let sqlMs = 0;
      for (const s of r.statements) {
        add(`wait for a connection`, s.waitMs);
        add(`sql: ${s.label}`, s.runMs);
        sqlMs += s.waitMs + s.runMs;
      }
      add("in this process between statements (JS, event loop)", r.done - r.arrived - sqlMs);
    }
    return Object.fromEntries(
      Object.entries(sum)
        .map(([k, v]) => [k, Number((v / rs.length).toFixed(2))] as const)
        .sort((a, b) => b[1] - a[1]),
    );
  };
  const overlapping = (from: number, to: number) => {
    const late = p.lateness.filter((x) => x.at >= from && x.at <= to + 50);
    const gc = p.gcs.filter((g) => g.at + g.ms >= from && g.at <= to);
    const bg = p.intervals.filter((i) => i.to >= from && i.from <= to);
    const act = p.activity.filter((a) => a.at >= from && a.at <= to);
    const pgWaits: Record<string, number> = {};
    for (const a of act)
      for (const row of a.rows) {
        const who =
          row.backend_type === "client backend"
            ? row.datname === benchDb
              ? "bench db"
              : "other db"
            : String(row.backend_type);
        const k = `${who}: ${row.state ?? "-"} ${row.wait_event_type ?? ""}/${row.wait_event ?? "cpu"}`;
        pgWaits[k] = (pgWaits[k] ?? 0) + 1;
      }
    return {
      maxLoopLateMs: Math.round(Math.max(0, ...late.map((x) => x.ms))),
      gcMs: Math.round(gc.reduce((s, g) => s + g.ms, 0)),
      background: [...new Set(bg.map((b) => b.what))],
      maxPoolWaiting: Math.max(0, ...p.waiting.filter((w) => w.at >= from && w.at <= to).map((w) => w.n)),
      pgSamples: act.length,
      pg: Object.fromEntries(
        Object.entries(pgWaits)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8),
      ),
    };
  };
  // Stalls: the slow orders grouped into windows (orders waiting at the same time share a cause).
  const windows: Array<{ from: number; to: number; orders: number }> = [];
  for (const r of [...slow].sort((a, b) => a.arrived - b.arrived)) {
    const from = r.scheduled ?? r.arrived;
    const w = windows.at(-1);
    if (w && from <= w.to) {
      w.to = Math.max(w.to, r.done);
      w.orders++;
    } else windows.push({ from, to: r.done, orders: 1 });
  }
  const t0 = Math.min(...p.reqs.map((r) => r.scheduled ?? r.arrived));
  const bgTotals: Record<string, { runs: number; ms: number; maxMs: number }> = {};
  for (const i of p.intervals) {
    const b = (bgTotals[i.what] ??= { runs: 0, ms: 0, maxMs: 0 });
    b.runs++;
    b.ms += i.to - i.from;
    b.maxMs = Math.max(b.maxMs, i.to - i.from);
  }
  const pgBackground: Record<string, number> = {};
  for (const a of p.activity)
    for (const row of a.rows)
      if (row.backend_type !== "client backend") {
        const k = `${String(row.backend_type)} ${row.wait_event ?? "cpu"} ${row.backend_type === "autovacuum worker" ? String(row.query) : ""}`;
        pgBackground[k] = (pgBackground[k] ?? 0) + 1;
      }
  const otherActive = p.activity.map(
    (a) =>
      a.rows.filter((r) => r.backend_type === "client backend" && r.datname !== benchDb && r.state === "active").length,
  );
  return {
    orders: n,
    p50Ms: Number(total(sorted[Math.floor(n * 0.5)]!).toFixed(1)),
    p99Ms: Number(total(sorted[Math.floor(n * 0.99)]!).toFixed(1)),
    slowPhases: phases(slow),
    typicalPhases: phases(typical),
    stalls: windows.map((w) => ({
      atS: Number(((w.from - t0) / 1000).toFixed(2)),
      ms: Math.round(w.to - w.from),
      orders: w.orders,
      ...overlapping(w.from, w.to),
    })),
    eventLoopDelayMs: p.eld,
    gc: {
      pauses: p.gcs.length,
      totalMs: Math.round(p.gcs.reduce((s, g) => s + g.ms, 0)),
      maxMs: Math.round(Math.max(0, ...p.gcs.map((g) => g.ms))),
      // kind: 1 scavenge, 2 minor mark-sweep, 4 mark-sweep-compact, 8 incremental marking, 16 weak callbacks
      byKind: p.gcs.reduce<Record<string, string>>((o, g) => {
        const [c, ms] = (o[g.kind] ?? "0 0").split(" ").map(Number) as [number, number];
        o[g.kind] = `${c + 1} ${Math.round(ms + g.ms)}`;
        return o;
      }, {}),
      heapUsedMb: p.heapUsedMb,
    },
    walBytesPerRequest: Math.round(p.walBytes / n),
    background: bgTotals,
    pgBackgroundSamples: pgBackground,
    otherDatabasesActiveBackends: {
      mean: Number((otherActive.reduce((s, x) => s + x, 0) / Math.max(1, otherActive.length)).toFixed(1)),
      max: Math.max(0, ...otherActive),
    },
    checkpoints: p.checkpoints,
  };
}
