import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { expect } from "chai";
import { Contract } from "ethers";
import { makeProvider } from "../../ledger-service/src/index.js";
import { DEV_KEYS } from "../helpers/contracts.js";
import { freshDatabase } from "../helpers/database.js";
import { shared } from "../helpers/shared.js";
import { uscc } from "../helpers/app.js";
import { gs1CheckDigit } from "../../ledger-service/src/gs1/gtin.js";

const run = promisify(execFile);
const OPERATOR = `two-processes-operator-${randomBytes(8).toString("hex")}`;

interface Proc {
  child: ChildProcess;
  origin: string;
  lines: Array<Record<string, any>>;
}

/** `scripts/start.ts` as its own process (what `npm start` runs), on PORT 0; resolves when it listens. */
function start(env: Record<string, string>): Promise<Proc> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, any>> = [];
  let buffered = "";
  let errors = "";
  child.stderr!.on("data", (b: Buffer) => (errors = (errors + b.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 90 s: ${errors}`)), 90_000);
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${errors}`)));
    child.stdout!.on("data", (b: Buffer) => {
      buffered += b.toString();
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const json = JSON.parse(line) as Record<string, any>; // every line is JSON: no console.log left
        lines.push(json);
        if (typeof json.port === "number") {
          clearTimeout(timer);
          resolve({ child, origin: `http://127.0.0.1:${json.port}`, lines });
        }
      }
    });
  });
}

describe("two API processes on one PostgreSQL (npm start twice)", function () {
  this.timeout(300_000);
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Proc;
  let b: Proc;
  let anchorAddress: string;

  const call = async (
    p: Proc,
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(p.origin + path, {
      method,
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  /** Files GS1 company prefix `prefix` for the company of `key` and has the operator verify it; answers a GTIN under it. */
  const ownPrefix = async (p: Proc, key: string, prefix: string) => {
    const licenceRef = `GS1CN-${prefix}`;
    const filed = await call(p, "POST", "/api/v1/gs1-prefixes", key, { prefix, licenceRef });
    expect(filed.status, JSON.stringify(filed.json)).to.equal(201);
    const verified = await call(p, "POST", `/api/v1/gs1-prefixes/${filed.json.id}/verify`, OPERATOR, { licenceRef });
    expect(verified.status, JSON.stringify(verified.json)).to.equal(200);
    const body = ("0" + prefix + "00001").padEnd(13, "0").slice(0, 13);
    return body + gs1CheckDigit(body);
  };

  before(async function () {
    if (!process.env.DATABASE_URL) {
      console.log("      (skipped: needs DATABASE_URL; embedded PGlite belongs to one process)");
      this.skip();
    }
    const key = DEV_KEYS[4]!;
    const out = await run(process.execPath, ["--import", "tsx", "scripts/deploy.ts", "--rpc", shared.chainUrl], {
      env: { ...process.env, CHAIN_SIGNER_KEY: key },
    });
    const settings = Object.fromEntries(
      out.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("=") as [string, string]),
    );
    anchorAddress = settings.ANCHOR_REGISTRY_ADDRESS!;
    db = await freshDatabase();
    const env = {
      ...settings,
      CHAIN_SIGNER_KEY: key,
      DATABASE_URL: db.url!,
      LEDGER_MASTER_KEY: randomBytes(32).toString("hex"),
      PLATFORM_ADMIN_TOKEN: OPERATOR,
      PORT: "0",
      LOG_LEVEL: "info",
      BATCH_MAX_AGE_MS: "0",
      WORKER_INTERVAL_MS: "100",
      AUDIT_CHECKPOINT_MS: "300",
      LOGIN_RATE_PER_MINUTE: "6",
      API_RATE_PER_MINUTE: "60",
    };
    [a, b] = await Promise.all([start(env), start(env)]);
  });
  after(async () => {
    for (const p of [a, b]) {
      if (!p || p.child.exitCode !== null) continue;
      const exited = new Promise((r) => p.child.once("exit", r));
      p.child.kill("SIGTERM");
      await exited;
    }
    await db?.drop();
  });

  it("anchors every batch and checkpoints the audit trail exactly once, from one process at a time", async () => {
    const maker = await call(a, "POST", "/api/v1/companies", OPERATOR, {
      name: "两进程测试制造有限公司",
      uscc: uscc("91320505MA1TW00PR"),
      kind: "manufacturer",
      regionCode: "320505",
      location: { lng: 120.57, lat: 31.3 },
    });
    expect(maker.status, JSON.stringify(maker.json)).to.equal(201);
    const GTIN = await ownPrefix(a, maker.json.apiKey, "6907001");
    for (let i = 0; i < 6; i++) {
      const r = await call(i % 2 ? b : a, "POST", "/api/v1/mint", maker.json.apiKey, {
        gtin: GTIN,
        lot: `L-TWO-${i}`,
        productionDate: "2026-11-20",
        count: 3,
      });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      await new Promise((r) => setTimeout(r, 250)); // a batch a mint or so (BATCH_MAX_AGE_MS=0)
    }
    const sql = db.sql;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await sql.query<{ head: number; anchored: number; open: number; cps: number }>(
        `SELECT (SELECT last_seq::int FROM ledger_head) AS head,
                (SELECT COALESCE(max(last_seq), 0)::int FROM ledger_batches WHERE status = 'final') AS anchored,
                (SELECT count(*)::int FROM ledger_batches WHERE status <> 'final') AS open,
                (SELECT count(*)::int FROM audit_checkpoints) AS cps`,
      );
      const s = rows[0]!;
      if (s.head > 0 && s.anchored === s.head && s.open === 0 && s.cps > 0) break;
      if (Date.now() > deadline) throw new Error(`not anchored in time: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const batches = (
      await sql.query<{ id: number; attempts: number }>("SELECT id::int, attempts FROM ledger_batches ORDER BY id")
    ).rows;
    expect(batches.length).to.be.greaterThan(1);
    expect(
      batches.map((x) => x.attempts),
      "each batch sent once",
    ).to.deep.equal(batches.map(() => 1));
    const provider = makeProvider(shared.chainUrl);
    const registry = new Contract(
      anchorAddress,
      [
        "function lastBatchId() view returns (uint64)",
        "event BatchAnchored(uint64 indexed batchId, bytes32 root, uint64 eventCount)",
      ],
      provider,
    );
    const anchored = await registry.queryFilter(registry.filters.BatchAnchored!(), 0);
    provider.destroy();
    expect(anchored.map((e) => Number((e as unknown as { args: [bigint] }).args[0]))).to.deep.equal(
      batches.map((x) => x.id),
    );
    // Worker actions (sealing, anchoring, checkpoints) came from one of the two processes only.
    const worked = (p: Proc) =>
      p.lines.some((l) => (l.component === "anchor" && /^batch \d+|^sealed/.test(l.msg)) || l.component === "audit");
    expect([worked(a), worked(b)].filter(Boolean), "exactly one process ran the worker").to.have.length(1);
    const cps = (
      await sql.query<{ n: number; distinct: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT audit_seq)::int AS distinct FROM audit_checkpoints",
      )
    ).rows[0]!;
    expect(cps.n).to.equal(cps.distinct);
  });

  it("honours an Idempotency-Key sent to both processes at once: one effect, one answer", async () => {
    const maker = await call(b, "POST", "/api/v1/companies", OPERATOR, {
      name: "两进程幂等测试有限公司",
      uscc: uscc("91320505MA1TW00KD"),
      kind: "manufacturer",
      regionCode: "320505",
      location: { lng: 120.57, lat: 31.3 },
    });
    const GTIN = await ownPrefix(b, maker.json.apiKey, "6907002");
    // This GTIN's events only: an audit checkpoint either process writes meanwhile is an event too.
    const events = async () =>
      (
        await db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events WHERE fields->>'gtin' = $1", [
          GTIN,
        ])
      ).rows[0]!.n;
    const before = await events();
    const body = { gtin: GTIN, lot: "L-IDEM", productionDate: "2026-11-20", count: 4 };
    const headers = { "idempotency-key": `two-proc-${randomBytes(6).toString("hex")}` };
    const [ra, rb] = await Promise.all([
      call(a, "POST", "/api/v1/mint", maker.json.apiKey, body, headers),
      call(b, "POST", "/api/v1/mint", maker.json.apiKey, body, headers),
    ]);
    expect([ra.status, rb.status]).to.deep.equal([201, 201]);
    expect(ra.json.serials).to.deep.equal(rb.json.serials);
    const again = await call(a, "POST", "/api/v1/mint", maker.json.apiKey, body, headers);
    expect(again.json.serials).to.deep.equal(ra.json.serials);
    expect((await events()) - before).to.equal(4); // one mint
  });

  it("counts login attempts per address across both processes", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (
          await call(i % 2 ? b : a, "POST", "/api/v1/auth/login", null, {
            login: `1380000000${i}`,
            password: "wrong password",
          })
        ).status,
      );
    // LOGIN_RATE_PER_MINUTE=6 for the pair, not 6 each: the seventh attempt is refused wherever it lands. (A login
    // identifier a try each: its own lock after LOGIN_MAX_FAILURES would answer 429 too.)
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401, 429]);
  });

  it("counts a credential's requests across both processes", async () => {
    const org = await call(a, "POST", "/api/v1/companies", OPERATOR, {
      name: "两进程限流测试有限公司",
      uscc: uscc("91320505MA1TW00RL"),
      kind: "distributor",
      regionCode: "320505",
      location: { lng: 120.57, lat: 31.3 },
    });
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 100; i++)
      statuses.push((await call(i % 2 ? b : a, "GET", "/api/v1/companies/me", org.json.apiKey)).status);
    const refilled = Math.ceil((Date.now() - started) / 1000); // API_RATE_PER_MINUTE=60: a token a second
    const ok = statuses.filter((s) => s === 200).length;
    // 60 for the pair (plus the refill while the loop ran), not 60 each: 50 a process would all have passed.
    expect(ok, `${ok} allowed in ${refilled} s`).to.be.within(60, 60 + refilled);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).to.deep.equal([]);
  });

  it("revokes a key in every process at once, not 10 s later", async () => {
    const org = await call(b, "POST", "/api/v1/companies", OPERATOR, {
      name: "两进程吊销测试有限公司",
      uscc: uscc("91320505MA1TW00RX"),
      kind: "distributor",
      regionCode: "320505",
      location: { lng: 120.57, lat: 31.3 },
    });
    const key = await call(a, "POST", "/api/v1/api-keys", org.json.apiKey, { name: "ERP", roles: ["warehouse_clerk"] });
    expect(key.status, JSON.stringify(key.json)).to.equal(201);
    expect((await call(b, "GET", "/api/v1/companies/me", key.json.apiKey)).status).to.equal(200); // now cached in b
    expect((await call(a, "DELETE", `/api/v1/api-keys/${key.json.id}`, org.json.apiKey)).status).to.be.oneOf([
      200, 204,
    ]);
    await new Promise((r) => setTimeout(r, 300)); // the notification's trip
    expect((await call(b, "GET", "/api/v1/companies/me", key.json.apiKey)).status).to.equal(401);
  });
});
