/**
 * `npm run bench:recall` — recalls over a seeded history of BENCH_PARTS (100,000) serialised parts: held by a
 * manufacturer, 40 distributors and 160 repair shops, in transit, and installed (with encrypted VINs), under one GTIN
 * in 100 lots. Each recall is opened through RecallsService.create (the API's path: brand-owner check, the trace in
 * one statement, a webhook event per holder and installing shop, the audit entry) and then checked against the
 * ledger: every part in scope found once with the ledger's holder, every installation found. Phases: lot recalls
 * (1 % of the parts each), serial-range recalls (~10 %), whole-GTIN recalls (all of them). Figures: p50/p95 per kind
 * and overall, units traced, mismatches (must be 0). On PostgreSQL at DATABASE_URL (a database of its own, dropped
 * after), else on embedded PGlite. BENCH_SIZE=small seeds 5,000.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { RecallsService } from "../api/src/modules/recalls/recalls.service.js";
import { WebhooksService } from "../api/src/modules/webhooks/webhooks.service.js";
import type { Company } from "../api/src/modules/orgs/orgs.service.js";
import { KeyVault, openDatabase } from "../ledger-service/src/index.js";
import { benchDatabase } from "./lib/bench-database.js";
import { sized } from "./lib/bench-size.js";
import { percentile } from "./lib/stats.js";

const PARTS = sized("BENCH_PARTS", 100_000, 5_000);
const LOTS = 100;
const LOT_RECALLS = sized("BENCH_LOT_RECALLS", 20, 3);
const RANGE_RECALLS = sized("BENCH_RANGE_RECALLS", 5, 2);
const GTIN_RECALLS = sized("BENCH_GTIN_RECALLS", 3, 1);
const GTIN = "06901234567892";
const say = (s: string) => console.log(s);
const figures: Record<string, number> = {};

const benchDb = process.env.DATABASE_URL ? await benchDatabase(process.env.DATABASE_URL, "bench_recall") : null;
const db = await openDatabase(benchDb ? { url: benchDb.url } : {});
const sql = db.sql;
say(`bench:recall — ${PARTS.toLocaleString()} parts in ${LOTS} lots on ${benchDb ? "PostgreSQL" : "PGlite"}`);

try {
  // Companies and their ledger identities: 1 manufacturer, 40 distributors, 160 repair shops.
  const kinds = ["manufacturer", ...Array(40).fill("distributor"), ...Array(160).fill("repair_shop")] as const;
  const ids = kinds.map((_, i) => `co_bench${String(i).padStart(8, "0")}`);
  await sql.query(
    `INSERT INTO companies (id, name, uscc, kind, region_code, lng, lat)
     SELECT id, '企业' || n, lpad(n::text, 18, '0'), kind, '330106', 120.1, 30.2
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (id, kind, n)`,
    [ids, kinds],
  );
  await sql.query(
    `INSERT INTO ledger_actors (id, name, kind, address) SELECT id, id, kind, '0x' || lpad(to_hex(n::int), 40, '0')
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (id, kind, n)`,
    [ids, kinds],
  );
  // Parts: 20 % at the factory, 35 % at distributors, 10 % shipped, 35 % at shops of which 15 % installed.
  const t0 = performance.now();
  await sql.query(
    `INSERT INTO ledger_parts (part_key, gtin, serial, lot, stage, holder, head_hash, head_seq, lifecycle_mode)
     SELECT decode(md5('p' || i) || md5('k' || i), 'hex'), $1, 'S' || lpad(i::text, 9, '0'), 'L' || lpad((i % $3)::text, 3, '0'),
            CASE WHEN r < 20 THEN 1 WHEN r < 55 THEN 2 WHEN r < 65 THEN 4 WHEN r < 85 THEN 2 ELSE 3 END,
            '0x' || lpad(to_hex(CASE WHEN r < 20 THEN 1 WHEN r < 65 THEN 2 + i % 40 ELSE 42 + i % 160 END), 40, '0'),
            decode(md5('h' || i) || md5('j' || i), 'hex'), i, 'anchored'
       FROM (SELECT i, (i * 7919) % 100 AS r FROM generate_series(1, $2::int) i) s`,
    [GTIN, PARTS, LOTS],
  );
  await sql.query(
    `INSERT INTO installations (id, company_id, gtin, serial, ledger_seq, vin_ct, vin_bidx)
     SELECT 'in_' || substr(md5(p.serial), 1, 16), a.id, p.gtin, p.serial, p.head_seq, decode(md5('vin' || p.serial), 'hex'), decode(md5(p.serial), 'hex')
       FROM ledger_parts p JOIN ledger_actors a ON a.address = p.holder WHERE p.stage = 3`,
  );
  const installs = (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM installations")).rows[0]!.n;
  say(
    `▶ seeded ${PARTS.toLocaleString()} parts, ${installs.toLocaleString()} installations in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  figures.parts = PARTS;
  figures.installations = installs;

  const vault = new KeyVault(randomBytes(32).toString("hex"));
  const webhooks = new WebhooksService(sql, vault);
  const recalls = new RecallsService(
    sql,
    webhooks,
    async () => ({ companyId: ids[0]! }),
    async () => null,
  );
  const maker = { id: ids[0]!, kind: "manufacturer", regionCode: "330106" } as unknown as Company;
  const ctx = { actorType: "api_key", actorId: "bench", ip: null, userAgent: "bench", requestId: null } as const;

  let mismatches = 0;
  let traced = 0;
  /** Opens a recall, times it, and checks it against the ledger and the installations. */
  const run = async (body: Parameters<RecallsService["create"]>[2]) => {
    const t = performance.now();
    const r = await recalls.create(ctx, maker, body);
    const ms = performance.now() - t;
    const check = await sql.query<{
      missing: number;
      extra: number;
      wrongHolder: number;
      installs: number;
      found: number;
    }>(
      `WITH scope AS (SELECT p.serial, a.id AS holder FROM ledger_parts p JOIN ledger_actors a ON a.address = p.holder
                       WHERE p.gtin = $2 AND ($3::text IS NULL OR p.lot = $3) AND ($4::text IS NULL OR p.serial BETWEEN $4 AND $5)),
            units AS (SELECT serial, holder_id, installation_id FROM recall_units WHERE recall_id = $1)
       SELECT count(*) FILTER (WHERE u.serial IS NULL)::int AS missing, count(*) FILTER (WHERE s.serial IS NULL)::int AS extra,
              count(*) FILTER (WHERE u.serial IS NOT NULL AND s.serial IS NOT NULL AND u.holder_id IS DISTINCT FROM s.holder)::int AS "wrongHolder",
              count(u.installation_id)::int AS found,
              (SELECT count(*)::int FROM installations i JOIN scope x ON x.serial = i.serial WHERE i.gtin = $2::char(14)) AS installs
         FROM scope s FULL JOIN units u ON u.serial = s.serial`,
      [r.id, GTIN, body.lot ?? null, body.serials?.from ?? null, body.serials?.to ?? null],
    );
    const c = check.rows[0]!;
    mismatches += c.missing + c.extra + c.wrongHolder + Math.abs(c.installs - c.found);
    traced += r.units;
    await recalls.close(ctx, { companyId: ids[0]! } as never, r.id);
    return { ms, units: r.units };
  };
  const serial = (i: number) => `S${String(i).padStart(9, "0")}`;
  const phase = async (name: string, n: number, body: (i: number) => Parameters<RecallsService["create"]>[2]) => {
    const ms: number[] = [];
    let units = 0;
    for (let i = 0; i < n; i++) {
      const r = await run(body(i));
      ms.push(r.ms);
      units += r.units;
    }
    figures[`${name}P50Ms`] = Math.round(percentile(ms, 50));
    figures[`${name}P95Ms`] = Math.round(percentile(ms, 95));
    say(
      `▶ ${name}: ${n} recalls, ${Math.round(units / n).toLocaleString()} units each — p50 ${figures[`${name}P50Ms`]} ms, p95 ${figures[`${name}P95Ms`]} ms`,
    );
    return ms;
  };
  const all = [
    ...(await phase("lot", LOT_RECALLS, (i) => ({
      gtin: GTIN,
      lot: `L${String((i * 7) % LOTS).padStart(3, "0")}`,
      reason: "bench lot",
    }))),
    ...(await phase("range", RANGE_RECALLS, (i) => {
      const from = 1 + Math.floor((i * PARTS) / (RANGE_RECALLS * 2));
      return {
        gtin: GTIN,
        serials: { from: serial(from), to: serial(from + Math.floor(PARTS / 10)) },
        reason: "bench range",
      };
    })),
    ...(await phase("gtin", GTIN_RECALLS, () => ({ gtin: GTIN, reason: "bench whole GTIN" }))),
  ];
  figures.p95Ms = Math.round(percentile(all, 95));
  figures.unitsTraced = traced;
  figures.mismatches = mismatches;
  say(
    `▶ all ${all.length} recalls: p95 ${figures.p95Ms} ms (target ≤ 5000); ${traced.toLocaleString()} units traced, ${mismatches} mismatches against the ledger; load ${loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  await db.close();
  await benchDb?.drop();
}
console.log(JSON.stringify(figures));
