import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Stage } from "../../ledger-service/src/index.js";
import { addDays, shanghaiDate } from "../../api/src/modules/cockpit/cockpit.service.js";
import { KPI_KEYS, type KpiKey } from "../../api/src/modules/cockpit/definitions.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { GTIN, PLACE, VIN, handOver, newParts, openStack, type TestStack } from "../helpers/stack.js";

/**
 * Issue 17: a seeded history of orders, searches, stock movements, custody events, scans and counterfeit reports over
 * ~66 days; every cockpit number the API answers is computed again here, by hand, in TypeScript over the seeded rows,
 * for the platform and for companies, in the period and the previous one — also after an incremental refresh.
 */
const SEED = Number(process.env.COCKPIT_SEED ?? Date.now() % 1_000_000);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Order {
  id: string;
  buyer: string;
  status: string;
  urgent: boolean;
  created: Date;
  lines: Array<{ lineNo: number; sku: number; qty: number; alloc: number }>;
  allocs: Array<{ lineNo: number; loc: string; seller: string; qty: number }>;
  events: Array<{ to: string; at: Date }>;
}
interface Period {
  from: string;
  to: string;
}
const HOUR = 3_600_000;
const day = (d: Date) => shanghaiDate(d);
const within = (d: Date, p: Period) => day(d) >= p.from && day(d) <= p.to;
const ratio = (num: number, den: number) => ({ num, den, value: den > 0 ? num / den : null });

describe("the management cockpit: every number against a hand computation over a seeded history", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const rand = rng(SEED);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = new Date();
  const today = shanghaiDate(now);
  const cur: Period = { from: addDays(today, -29), to: today };
  const prev: Period = { from: addDays(today, -59), to: addDays(today, -30) };

  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const region: Record<string, string> = {};
  const skus: Array<{ id: number; owner: string | null }> = [];
  const locs: Array<{ id: string; company: string; region: string }> = [];
  const stock: Array<{ loc: string; sku: number; onHand: number; reserved: number }> = [];
  const moves: Array<{ loc: string; sku: number; delta: number; at: Date }> = [];
  const orders: Order[] = [];
  const searches: Array<{ region: string; empty: boolean; at: Date }> = [];
  const ledger: Array<{ seq: number; partKey: string; step: number; actor: string; at: Date }> = [];
  const scans: Array<{ id: number; partKey: string; at: Date }> = [];
  const parts: Array<{ partKey: string; gtin: string; serial: string }> = [];
  const orderParts: Array<{ gtin: string; serial: string; shippedBy: string }> = [];
  const reports: Array<{ gtin: string; serial: string; owner: string | null; at: Date }> = [];
  let productOwner = "";
  const sql = () => stack.svc.db.sql;

  const insertOrder = async (o: Order) => {
    await sql().query(
      `INSERT INTO orders (id, buyer_id, status, urgent, policy, ship_lng, ship_lat, created_at, updated_at) VALUES ($1, $2, $3, $4, 'partial', 120.1, 30.2, $5, $5)`,
      [o.id, o.buyer, o.status, o.urgent, o.created.toISOString()],
    );
    for (const l of o.lines)
      await sql().query(
        "INSERT INTO order_lines (order_id, line_no, sku_id, quantity, allocated) VALUES ($1, $2, $3, $4, $5)",
        [o.id, l.lineNo, l.sku, l.qty, l.alloc],
      );
    for (const a of o.allocs)
      await sql().query(
        "INSERT INTO order_allocations (order_id, line_no, location_id, seller_id, quantity, price_fen, distance_m) VALUES ($1, $2, $3, $4, $5, 1000, 100)",
        [o.id, a.lineNo, a.loc, a.seller, a.qty],
      );
    for (const e of o.events)
      await sql().query("INSERT INTO order_events (order_id, to_status, actor, at) VALUES ($1, $2, 'test', $3)", [
        o.id,
        e.to,
        e.at.toISOString(),
      ]);
  };

  const makeOrder = (created: Date, buyer = pick(["shop", "farShop", "dealer"])): Order => {
    const id = `ord_${randomBytes(8).toString("hex")}`;
    const status = pick(["placed", "allocated", "picking", "shipped", "delivered", "completed", "cancelled"]);
    const o: Order = {
      id,
      buyer: ids[buyer]!,
      status,
      urgent: rand() < 0.3,
      created,
      lines: [],
      allocs: [],
      events: [],
    };
    const n = 1 + Math.floor(rand() * 2);
    for (let i = 1; i <= n; i++) {
      const sku =
        skus[
          i === 1
            ? Math.floor(rand() * skus.length)
            : (skus.indexOf(skus.find((s) => s.id === o.lines[0]!.sku)!) + 1) % skus.length
        ]!.id;
      const qty = 1 + Math.floor(rand() * 5);
      const alloc = Math.floor(rand() * (qty + 1));
      o.lines.push({ lineNo: i, sku, qty, alloc });
      if (alloc > 0) {
        const l = pick(locs);
        o.allocs.push({ lineNo: i, loc: l.id, seller: l.company, qty: alloc });
      }
    }
    o.events.push({ to: "placed", at: created });
    const order = ["shipped", "delivered", "completed"];
    if (order.includes(status)) {
      const shipped = new Date(created.getTime() + (1 + rand() * 40) * HOUR);
      o.events.push({ to: "shipped", at: shipped });
      if (status !== "shipped")
        o.events.push({ to: "delivered", at: new Date(shipped.getTime() + (1 + rand() * 48) * HOUR) });
    }
    if (status === "cancelled") o.events.push({ to: "cancelled", at: new Date(created.getTime() + HOUR) });
    return o;
  };

  before(async () => {
    console.log(`      cockpit seed ${SEED} (COCKPIT_SEED=${SEED} replays it)`);
    stack = await openStack();
    api = await startApi(stack);
    for (const k of ["maker", "dealer", "shop", "farShop"]) {
      ids[k] = api.ids[k]!;
      keys[k] = api.keys[k]!;
    }
    const d2 = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "广州配件经销有限公司",
      uscc: uscc("91440104MA5E00005"),
      kind: "distributor",
      regionCode: "440104",
      location: { lng: 113.27, lat: 23.13 },
    });
    expect(d2.status, JSON.stringify(d2.json)).to.equal(201);
    ids.dealer2 = d2.json.id;
    keys.dealer2 = d2.json.apiKey;
    const { rows: cos } = await sql().query<{ id: string; region_code: string }>(
      "SELECT id, region_code FROM companies",
    );
    for (const c of cos) region[c.id] = c.region_code;

    // SKUs: three the manufacturer owns, two nobody does.
    for (const [i, owner] of [ids.maker!, ids.maker!, ids.maker!, null, null].entries()) {
      const { rows } = await sql().query<{ id: number }>(
        `INSERT INTO catalog_skus (brand, part_no, part_no_norm, name, part_type, kind, terms, owner_company_id)
         VALUES ('bosch', $1, $1, $2, 'brake_pad', 'aftermarket', to_tsvector('simple', $2), $3) RETURNING id::int AS id`,
        [`CK${i}`, `刹车片${i}`, owner],
      );
      skus.push({ id: rows[0]!.id, owner });
    }
    for (const [company, code, lng] of [
      ["dealer", "330106", 120.1],
      ["dealer", "330104", 120.2],
      ["dealer2", "440106", 113.3],
      ["maker", "320505", 120.6],
    ] as const) {
      const id = `loc_${randomBytes(8).toString("hex")}`;
      await sql().query(
        "INSERT INTO supplier_locations (id, company_id, code, name, region_code, lng, lat) VALUES ($1, $2, $3, $3, $4, $5, 30)",
        [id, ids[company], id.slice(4, 10), code, lng],
      );
      locs.push({ id, company: ids[company]!, region: code });
    }
    for (const l of locs)
      for (const s of skus) {
        if (rand() < 0.2) continue;
        const onHand = Math.floor(rand() * 40);
        const reserved = Math.floor(rand() * (onHand + 1));
        stock.push({ loc: l.id, sku: s.id, onHand, reserved });
        await sql().query(
          "INSERT INTO stock (location_id, sku_id, on_hand, reserved, shared, price_fen) VALUES ($1, $2, $3, $4, true, 1000)",
          [l.id, s.id, onHand, reserved],
        );
      }
    for (let i = 0; i < 80; i++) {
      const st = pick(stock);
      const delta = rand() < 0.15 ? 0 : Math.floor(rand() * 16) - 5;
      const at = new Date(now.getTime() - rand() * 66 * 24 * HOUR);
      moves.push({ loc: st.loc, sku: st.sku, delta, at });
      await sql().query(
        "INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reserved_delta, reason, at) VALUES ($1, $2, $3, 1, 'adjustment', $4)",
        [st.loc, st.sku, delta, at.toISOString()],
      );
    }
    for (let i = 0; i < 140; i++) {
      const o = makeOrder(new Date(now.getTime() - rand() * 66 * 24 * HOUR));
      orders.push(o);
      await insertOrder(o);
    }
    for (let i = 0; i < 120; i++) {
      const s = {
        region: pick(["330106", "440106", "110101", "330104"]),
        empty: rand() < 0.3,
        at: new Date(now.getTime() - rand() * 66 * 24 * HOUR),
      };
      searches.push(s);
      await sql().query(
        "INSERT INTO catalog_searches (at, company_id, region_code, query, result_count, took_ms) VALUES ($1, NULL, $2, '刹车片', $3, 1)",
        [s.at.toISOString(), s.region, s.empty ? 0 : 3],
      );
    }

    // Custody on the ledger: 0–3 to the dealer; 0, 1 on to the shop, 0 installed; 4, 5 straight to the shop, 4 installed.
    const p = newParts(6);
    const maker = ids.maker!;
    const dealer = ids.dealer!;
    const shop = ids.shop!;
    await stack.svc.ledger.append({ actorId: maker, step: Stage.Commissioned, parts: p, place: PLACE });
    await handOver(stack, maker, dealer, p.slice(0, 4));
    await handOver(stack, dealer, shop, p.slice(0, 2));
    await handOver(stack, maker, shop, p.slice(4, 6));
    for (const i of [0, 4])
      await stack.svc.ledger.append({ actorId: shop, step: Stage.Installed, parts: [p[i]!], place: PLACE, vin: VIN });
    // 6 commissioned, 4 + 2 + 2 handed over (shipped and received), 2 installed; appends may commit a moment later.
    let ev: Array<{ seq: string; partKey: string; step: number; actor: string; at: Date }> = [];
    for (let i = 0; i < 200 && ev.length < 24; i++, await new Promise((r) => setTimeout(r, 50)))
      ({ rows: ev } = await sql().query(
        `SELECT e.seq::text, encode(e.part_key, 'hex') AS "partKey", e.step::int AS step, a.id AS actor, e.recorded_at AS at
           FROM ledger_events e JOIN ledger_actors a ON a.address = e.actor WHERE e.step IN (1, 2, 3, 4) ORDER BY e.seq`,
      ));
    expect(ev).to.have.length(24);
    ledger.push(...ev.map((e) => ({ ...e, seq: Number(e.seq), at: new Date(e.at) })));
    const { rows: lp } = await sql().query<{ partKey: string; gtin: string; serial: string }>(
      `SELECT encode(part_key, 'hex') AS "partKey", gtin, serial FROM ledger_parts WHERE serial = ANY($1::text[])`,
      [p.map((x) => x.serial)],
    );
    const keyOf = (i: number) => lp.find((r) => r.serial === p[i]!.serial)!.partKey;
    parts.push(...lp);
    const { rows: pr } = await sql().query<{ company_id: string }>(
      `INSERT INTO products (gtin, company_id, brand, name) VALUES ($1, $2, 'bosch', '刹车片')
       ON CONFLICT (gtin) DO UPDATE SET company_id = products.company_id RETURNING company_id`,
      [GTIN, maker],
    );
    productOwner = pr[0]!.company_id;
    // Parts 2 and 3 left the dealer on one of its orders.
    const dealerOrder = orders.find((o) => o.allocs.length)!;
    for (const i of [2, 3]) {
      orderParts.push({ gtin: GTIN, serial: p[i]!.serial, shippedBy: dealer });
      await sql().query("INSERT INTO order_parts (order_id, gtin, serial, shipped_by) VALUES ($1, $2, $3, $4)", [
        dealerOrder.id,
        GTIN,
        p[i]!.serial,
        dealer,
      ]);
    }
    // Scans after every custody event: the first since a receipt counts for verification time, a second does not.
    const after = ledger.at(-1)!.at.getTime();
    const unknownKey = randomBytes(32).toString("hex");
    for (const [k, key] of [keyOf(1), keyOf(2), keyOf(2), keyOf(3), keyOf(5), keyOf(0), unknownKey].entries()) {
      const at = new Date(after + (k + 1) * 7_000);
      const { rows } = await sql().query<{ id: string }>(
        "INSERT INTO scans (part_key, scanned_at, verdict) VALUES (decode($1, 'hex'), $2, 'GENUINE') RETURNING id::text",
        [key, at.toISOString()],
      );
      scans.push({ id: Number(rows[0]!.id), partKey: key, at });
    }
    for (const [k, r] of [
      { gtin: GTIN, serial: p[2]!.serial, owner: maker, at: new Date(now.getTime() - 2 * HOUR) },
      { gtin: "06901234000008", serial: "X1", owner: null, at: new Date(now.getTime() - 3 * HOUR) },
      { gtin: GTIN, serial: p[5]!.serial, owner: maker, at: new Date(now.getTime() - 40 * 24 * HOUR) },
      // a report on a day without scans (every scan is of today): the rate's sums keep it (DECISIONS 123)
      { gtin: GTIN, serial: p[3]!.serial, owner: maker, at: new Date(now.getTime() - 5 * 24 * HOUR) },
    ].entries()) {
      reports.push(r);
      await sql().query(
        "INSERT INTO counterfeit_reports (id, submission_key, gtin, serial, verdict, brand_owner_id, created_at) VALUES ($1, $2, $3, $4, 'SUSPECT_CLONE', $5, $6)",
        [`cr_${k}${randomBytes(7).toString("hex")}`, randomBytes(32), r.gtin, r.serial, r.owner, r.at.toISOString()],
      );
    }
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  // ── The hand computation ──

  const sells = (o: Order, scope: string) => scope === "*" || o.allocs.some((a) => a.seller === scope);
  const firstAt = (o: Order, to: string) => o.events.filter((e) => e.to === to).map((e) => e.at)[0];
  const ownerOf = (sku: number) => skus.find((s) => s.id === sku)!.owner;
  const locsOf = (scope: string) => locs.filter((l) => scope === "*" || l.company === scope).map((l) => l.id);

  function expected(scope: string, p: Period): Record<KpiKey, { num: number; den: number; value: number | null }> {
    const placed = orders.filter((o) => within(o.created, p));
    const mine = placed.filter((o) => sells(o, scope));
    const allocs = placed.flatMap((o) =>
      o.allocs.filter((a) => scope === "*" || a.seller === scope).map((a) => ({ o, a })),
    );
    const shippedOrders = mine.filter((o) => firstAt(o, "shipped"));
    const urgentLines = placed
      .filter((o) => o.urgent)
      .flatMap((o) => o.lines)
      .filter((l) => scope === "*" || ownerOf(l.sku) === scope);
    const delivered = orders.filter(
      (o) => sells(o, scope) && firstAt(o, "delivered") && within(firstAt(o, "delivered")!, p),
    );
    const buyers = new Map<string, Set<string>>();
    for (const o of mine.filter((o) => o.status !== "cancelled"))
      buyers.set(o.buyer, (buyers.get(o.buyer) ?? new Set()).add(day(o.created)));
    // counterfeit: reports and scans of the scope's parts (brand owner, or shipped on its orders)
    const partOf = (key: string) => parts.find((x) => x.partKey === key);
    const shippedBy = (gtin: string, serial: string) =>
      orderParts.filter((x) => x.gtin === gtin && x.serial === serial).map((x) => x.shippedBy);
    const reportsIn = reports.filter(
      (r) => within(r.at, p) && (scope === "*" || r.owner === scope || shippedBy(r.gtin, r.serial).includes(scope)),
    );
    const scansIn = scans.filter((s) => {
      if (!within(s.at, p)) return false;
      if (scope === "*") return true;
      const part = partOf(s.partKey);
      return (
        !!part && ((part.gtin === GTIN && productOwner === scope) || shippedBy(part.gtin, part.serial).includes(scope))
      );
    });
    // verification: the first scan since the part's latest event, when that event is a receipt
    const verif: number[] = [];
    for (const s of scans.filter((s) => within(s.at, p))) {
      const last = ledger.filter((e) => e.partKey === s.partKey && e.at <= s.at).at(-1);
      if (!last || last.step !== 2 || (scope !== "*" && last.actor !== scope)) continue;
      const earlier = scans.some(
        (x) =>
          x.partKey === s.partKey &&
          x.at >= last.at &&
          (x.at < s.at || (x.at.getTime() === s.at.getTime() && x.id < s.id)),
      );
      if (!earlier) verif.push((s.at.getTime() - last.at.getTime()) / 60_000);
    }
    const levels: number[] = [];
    for (const inst of ledger.filter((e) => e.step === 3 && within(e.at, p))) {
      const actors = new Set(ledger.filter((e) => e.partKey === inst.partKey && e.seq <= inst.seq).map((e) => e.actor));
      if (scope === "*" || actors.has(scope)) levels.push(actors.size);
    }
    // stock at the period's end, and what each line sold in it
    const mineLocs = locsOf(scope);
    const endOf = (loc: string, sku: number, onHand: number) =>
      onHand - moves.filter((m) => m.loc === loc && m.sku === sku && day(m.at) > p.to).reduce((a, m) => a + m.delta, 0);
    const soldOf = (loc: string, sku: number) =>
      placed
        .filter((o) => o.status !== "cancelled")
        .flatMap((o) =>
          o.allocs.filter((a) => a.loc === loc && o.lines.find((l) => l.lineNo === a.lineNo)!.sku === sku),
        )
        .reduce((a, x) => a + x.qty, 0);
    const lines = stock
      .filter((s) => mineLocs.includes(s.loc))
      .map((s) => ({ end: endOf(s.loc, s.sku, s.onHand), sold: soldOf(s.loc, s.sku) }));
    const onHand = lines.filter((l) => l.end > 0).reduce((a, l) => a + l.end, 0);
    const slow = lines.filter((l) => l.end > 0 && l.sold === 0).reduce((a, l) => a + l.end, 0);
    const sold = placed
      .filter((o) => o.status !== "cancelled")
      .flatMap((o) => o.allocs.filter((a) => scope === "*" || a.seller === scope))
      .reduce((a, x) => a + x.qty, 0);
    const days = Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return {
      fill_rate: ratio(
        sum(allocs.filter(({ o }) => ["shipped", "delivered", "completed"].includes(o.status)).map(({ a }) => a.qty)),
        sum(allocs.map(({ a }) => a.qty)),
      ),
      on_time: ratio(
        shippedOrders.filter(
          (o) => firstAt(o, "shipped")!.getTime() - o.created.getTime() <= (o.urgent ? 4 : 24) * HOUR,
        ).length,
        shippedOrders.length,
      ),
      cancel_rate: ratio(mine.filter((o) => o.status === "cancelled").length, mine.length),
      urgent_fill: ratio(sum(urgentLines.map((l) => l.alloc)), sum(urgentLines.map((l) => l.qty))),
      fulfilment_hours: ratio(
        sum(delivered.map((o) => (firstAt(o, "delivered")!.getTime() - o.created.getTime()) / HOUR)),
        delivered.length,
      ),
      repurchase_rate: ratio([...buyers.values()].filter((d) => d.size >= 2).length, buyers.size),
      counterfeit_rate: ratio(reportsIn.length, scansIn.length),
      verification_minutes: ratio(sum(verif), verif.length),
      chain_levels: ratio(sum(levels), levels.length),
      stock_turnover_days: { num: onHand, den: sold / days, value: sold > 0 ? onHand / (sold / days) : null },
      slow_mover_share: ratio(slow, onHand),
    };
  }

  /**
   * The stock snapshot (DECISIONS 102) by hand: for a scope and a day, the positive balances at the day's end of the
   * scope's stock lines, keyed by each line's latest sale on or before that day ('-infinity': none).
   */
  function idleByHand(scope: string, e: string) {
    const out = new Map<string, number>();
    for (const st of stock.filter((x) => locsOf(scope).includes(x.loc))) {
      const end =
        st.onHand -
        moves.filter((m) => m.loc === st.loc && m.sku === st.sku && day(m.at) > e).reduce((a, m) => a + m.delta, 0);
      if (end <= 0) continue;
      const sales = orders
        .filter((o) => o.status !== "cancelled" && day(o.created) <= e)
        .filter((o) =>
          o.allocs.some((a) => a.loc === st.loc && o.lines.find((l) => l.lineNo === a.lineNo)!.sku === st.sku),
        )
        .map((o) => day(o.created))
        .sort();
      const key = sales.at(-1) ?? "-infinity";
      out.set(key, (out.get(key) ?? 0) + end);
    }
    return Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every day of both periods, for the platform and each company with stock: the snapshot equals the hand's. */
  async function checkIdle(label: string) {
    for (const scope of ["*", ids.dealer!, ids.dealer2!, ids.maker!]) {
      const { rows } = await sql().query<{ day: string; lastSale: string; units: string }>(
        `SELECT day::text AS day, last_sale::text AS "lastSale", units::text AS units FROM cockpit_stock_idle_day
          WHERE scope = $1 AND day BETWEEN $2::date AND $3::date ORDER BY day, last_sale`,
        [scope, prev.from, today],
      );
      for (let e = prev.from; e <= today; e = addDays(e, 1)) {
        const got = Object.fromEntries(rows.filter((r) => r.day === e).map((r) => [r.lastSale, Number(r.units)]));
        expect(got, `${label} idle stock ${scope} ${e}`).to.deep.equal(idleByHand(scope, e));
      }
    }
  }

  const q = (p: Period, extra = "") => `from=${p.from}&to=${p.to}${extra}`;
  const close = (got: number | null, want: number | null, what: string, within = 1e-6) => {
    if (want === null) expect(got, what).to.equal(null);
    else expect(got, what).to.be.closeTo(want, within);
  };

  async function checkSummary(token: string, scope: string, label: string) {
    const r = await api.call("GET", `/api/v1/cockpit/summary?${q(cur)}`, token);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.previousPeriod).to.deep.equal(prev);
    const want = expected(scope, cur);
    const wantPrev = expected(scope, prev);
    expect(r.json.kpis.map((k: { key: string }) => k.key)).to.deep.equal([...KPI_KEYS]);
    for (const k of r.json.kpis as Array<{
      key: KpiKey;
      value: number | null;
      previous: number | null;
      num: number;
      den: number;
      definition: { zh: string; en: string };
      verified: boolean;
    }>) {
      // Times read back into JavaScript keep milliseconds; PostgreSQL keeps microseconds: a minute figure may differ
      // by under a millisecond per part (PGlite's timestamps happen to round-trip exactly).
      const within = k.key === "verification_minutes" ? 1e-3 : 1e-6;
      close(k.num, want[k.key].num, `${label} ${k.key} num`, within);
      close(k.den, want[k.key].den, `${label} ${k.key} den`);
      close(k.value, want[k.key].value, `${label} ${k.key}`, within);
      close(k.previous, wantPrev[k.key].value, `${label} ${k.key} previous`, within);
      expect(k.definition.zh.length, k.key).to.be.greaterThan(10);
      expect(k.verified, k.key).to.equal(k.key === "verification_minutes" || k.key === "chain_levels");
    }
    return r.json;
  }

  it("refreshes every day bucket on the first run, then answers each KPI as computed by hand (platform)", async () => {
    const r = await api.call("POST", "/api/v1/cockpit/refresh", OPERATOR, {});
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.days).to.be.greaterThan(60);
    const s = await checkSummary(OPERATOR, "*", "platform");
    // The seeded history makes the numbers non-trivial: this test can fail.
    const byKey = Object.fromEntries((s.kpis as Array<{ key: string; den: number }>).map((k) => [k.key, k.den]));
    for (const k of [
      "fill_rate",
      "on_time",
      "cancel_rate",
      "fulfilment_hours",
      "verification_minutes",
      "chain_levels",
      "counterfeit_rate",
    ])
      expect(byKey[k], k).to.be.greaterThan(0);
    const chain = (s.kpis as Array<{ key: string; value: number }>).find((k) => k.key === "chain_levels")!;
    expect(chain.value).to.equal(2.5); // (maker, dealer, shop) and (maker, shop)
    // The stock figures come from the refresh's snapshot, itself as computed by hand on every day.
    await checkIdle("first refresh");
    const { rows: some } = await sql().query<{ n: string }>(
      "SELECT count(DISTINCT last_sale)::text AS n FROM cockpit_stock_idle_day WHERE scope = '*' AND day = $1",
      [today],
    );
    expect(Number(some[0]!.n), "lines that sold and lines that never did").to.be.greaterThan(1);
  });

  it("reads stock figures from the refresh's snapshot, not the stock table; the next refresh follows", async () => {
    const stockKeys = ["stock_turnover_days", "slow_mover_share"];
    const pickKpis = (x: { json: Record<string, unknown> }) =>
      (x.json.kpis as Array<{ key: string }>).filter((k) => stockKeys.includes(k.key));
    const regionsOf = async (token: string) =>
      (await api.call("GET", `/api/v1/cockpit/regions?${q(cur)}&level=province`, token)).json.regions as Array<{
        code: string;
        onHand: number;
        available: number;
      }>;
    const before = await api.call("GET", `/api/v1/cockpit/summary?${q(cur)}`, OPERATOR);
    const regionsBefore = await regionsOf(OPERATOR);
    // A receipt as the inventory module writes one: the balance and its movement, now.
    const line = stock.find((x) => locs.find((l) => l.id === x.loc)!.company === ids.dealer2)!;
    const at = new Date();
    await sql().query("UPDATE stock SET on_hand = on_hand + 50 WHERE location_id = $1 AND sku_id = $2", [
      line.loc,
      line.sku,
    ]);
    await sql().query(
      `INSERT INTO stock_movements (location_id, sku_id, on_hand_delta, reserved_delta, reason, at)
       VALUES ($1, $2, 50, 0, 'adjustment', $3)`,
      [line.loc, line.sku, at.toISOString()],
    );
    line.onHand += 50;
    moves.push({ loc: line.loc, sku: line.sku, delta: 50, at });
    const stale = await api.call("GET", `/api/v1/cockpit/summary?${q(cur)}`, OPERATOR);
    expect(pickKpis(stale)).to.deep.equal(pickKpis(before));
    expect(await regionsOf(OPERATOR)).to.deep.equal(regionsBefore);
    const r = await api.call("POST", "/api/v1/cockpit/refresh", OPERATOR, {});
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    expect(r.json.msByTable).to.have.property("cockpit_stock_idle_day");
    const fresh = await api.call("GET", `/api/v1/cockpit/summary?${q(cur)}`, OPERATOR);
    const onHand = (x: typeof fresh) =>
      (x.json.kpis as Array<{ key: string; num: number }>).find((k) => k.key === "stock_turnover_days")!.num;
    expect(onHand(fresh)).to.equal(onHand(before) + 50);
    const sum = (xs: Array<{ onHand: number }>) => xs.reduce((a, x) => a + x.onHand, 0);
    expect(sum(await regionsOf(OPERATOR))).to.equal(sum(regionsBefore) + 50);
    await checkSummary(OPERATOR, "*", "platform after a receipt");
    await checkSummary(keys.dealer2!, ids.dealer2!, "dealer2 after a receipt");
    await checkIdle("after a receipt");
    // A manufacturer's regional stock: its own warehouse, and its SKUs in every shared pool.
    const mine = new Set(skus.filter((x) => x.owner === ids.maker).map((x) => x.id));
    const makerLocs = locsOf(ids.maker!);
    const want = stock.filter((x) => makerLocs.includes(x.loc) || mine.has(x.sku)).reduce((a, x) => a + x.onHand, 0);
    expect(sum(await regionsOf(keys.maker!))).to.equal(want);
  });

  it("answers each company its own business, as computed by hand", async () => {
    const dealer = await checkSummary(keys.dealer!, ids.dealer!, "dealer");
    const k = (key: string) =>
      (dealer.kpis as Array<{ key: string; value: number; den: number }>).find((x) => x.key === key)!;
    expect(k("verification_minutes").den).to.equal(2); // parts 2 and 3 it received, first scans only
    expect(k("chain_levels").value).to.equal(3); // part 0: maker → dealer → shop
    await checkSummary(keys.dealer2!, ids.dealer2!, "dealer2");
    await checkSummary(keys.maker!, ids.maker!, "maker");
    // The platform may look at one company's view; a company may not look at another's.
    const asDealer = await api.call("GET", `/api/v1/cockpit/summary?${q(cur, `&companyId=${ids.dealer}`)}`, OPERATOR);
    const own = await api.call("GET", `/api/v1/cockpit/summary?${q(cur)}`, keys.dealer!);
    expect(asDealer.json.kpis).to.deep.equal(own.json.kpis);
    const foreign = await api.call("GET", `/api/v1/cockpit/summary?companyId=${ids.dealer2}`, keys.dealer!);
    expect(foreign.status).to.equal(404);
    const shop = await api.call("GET", "/api/v1/cockpit/summary", keys.shop!);
    expect(shop.status).to.equal(403);
  });

  function expectedSkus(scope: string, kind: string) {
    const units = (p: Period) => {
      const m = new Map<number, number>();
      for (const o of orders.filter((o) => within(o.created, p) && o.status !== "cancelled")) {
        if (scope !== "*" && kind === "distributor") {
          for (const a of o.allocs.filter((a) => a.seller === scope)) {
            const sku = o.lines.find((l) => l.lineNo === a.lineNo)!.sku;
            m.set(sku, (m.get(sku) ?? 0) + a.qty);
          }
        } else
          for (const l of o.lines.filter((l) => scope === "*" || ownerOf(l.sku) === scope))
            m.set(l.sku, (m.get(l.sku) ?? 0) + l.qty);
      }
      return m;
    };
    const c = units(cur);
    const pv = units(prev);
    const all = [...new Set([...c.keys(), ...pv.keys()])].map((id) => ({
      skuId: id,
      current: c.get(id) ?? 0,
      previous: pv.get(id) ?? 0,
    }));
    return {
      hot: all.filter((x) => x.current > 0).sort((a, b) => b.current - a.current || a.skuId - b.skuId),
      risers: all
        .filter((x) => x.current > x.previous)
        .sort((a, b) => b.current - b.previous - (a.current - a.previous) || a.skuId - b.skuId),
    };
  }

  it("ranks hot SKUs and risers against the previous period, per scope", async () => {
    for (const [token, scope, kind] of [
      [OPERATOR, "*", "platform"],
      [keys.dealer!, ids.dealer!, "distributor"],
      [keys.maker!, ids.maker!, "manufacturer"],
    ] as const) {
      const r = await api.call("GET", `/api/v1/cockpit/skus?${q(cur)}&limit=100`, token);
      expect(r.status, JSON.stringify(r.json)).to.equal(200);
      const want = expectedSkus(scope, kind);
      const strip = (xs: Array<{ skuId: number; current: number; previous: number }>) =>
        xs.map(({ skuId, current, previous }) => ({ skuId, current, previous }));
      expect(strip(r.json.hot), `${kind} hot`).to.deep.equal(want.hot);
      expect(strip(r.json.risers), `${kind} risers`).to.deep.equal(want.risers);
    }
  });

  it("shows regional gaps by province: searches, units ordered and unfilled, stock available", async () => {
    const r = await api.call("GET", `/api/v1/cockpit/regions?${q(cur)}&level=province`, OPERATOR);
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    const prov = (code: string) => `${code.slice(0, 2)}0000`;
    const want = new Map<
      string,
      { searches: number; emptySearches: number; ordered: number; unfilled: number; onHand: number; available: number }
    >();
    const at = (code: string) => {
      const k = prov(code);
      if (!want.has(k))
        want.set(k, { searches: 0, emptySearches: 0, ordered: 0, unfilled: 0, onHand: 0, available: 0 });
      return want.get(k)!;
    };
    for (const o of orders.filter((o) => within(o.created, cur) && o.status !== "cancelled"))
      for (const l of o.lines) {
        at(region[o.buyer]!).ordered += l.qty;
        at(region[o.buyer]!).unfilled += l.qty - l.alloc;
      }
    for (const s of searches.filter((s) => within(s.at, cur))) {
      at(s.region).searches++;
      if (s.empty) at(s.region).emptySearches++;
    }
    for (const s of stock) {
      const l = locs.find((x) => x.id === s.loc)!;
      at(l.region).onHand += s.onHand;
      at(l.region).available += Math.max(0, s.onHand - s.reserved);
    }
    const got = new Map(
      (r.json.regions as Array<{ code: string; shortfall: number } & Record<string, number>>).map(
        ({ code, name: _n, shortfall, ...rest }) => {
          expect(shortfall).to.equal(Math.max(0, rest.unfilled! - rest.available!));
          return [code, rest];
        },
      ),
    );
    expect(Object.fromEntries(got)).to.deep.equal(Object.fromEntries(want));
  });

  it("reports channel health per distributor to the platform, and a distributor only itself", async () => {
    const all = await api.call("GET", `/api/v1/cockpit/channels?${q(cur)}`, OPERATOR);
    expect(all.status, JSON.stringify(all.json)).to.equal(200);
    const names = (all.json.channels as Array<{ companyId: string }>).map((c) => c.companyId);
    expect(names).to.include.members([ids.dealer, ids.dealer2]);
    expect(names).to.not.include(ids.maker);
    for (const c of all.json.channels as Array<{
      companyId: string;
      metrics: Record<string, { value: number | null; previous: number | null }>;
    }>) {
      const want = expected(c.companyId, cur);
      const wantPrev = expected(c.companyId, prev);
      for (const k of ["fill_rate", "on_time", "cancel_rate", "fulfilment_hours"] as const) {
        close(c.metrics[k]?.value ?? null, want[k].value, `${c.companyId} ${k}`);
        close(c.metrics[k]?.previous ?? null, wantPrev[k].value, `${c.companyId} ${k} previous`);
      }
    }
    const own = await api.call("GET", `/api/v1/cockpit/channels?${q(cur)}`, keys.dealer!);
    expect((own.json.channels as Array<{ companyId: string }>).map((c) => c.companyId)).to.deep.equal([ids.dealer]);
  });

  it("drills down to the rows behind a number, a page at a time, and exports them as CSV", async () => {
    const want = expected(ids.dealer!, cur);
    for (const [metric, total] of [
      ["on_time", want.on_time.den],
      ["cancel_rate", want.cancel_rate.den],
      ["fulfilment_hours", want.fulfilment_hours.den],
      ["verification_minutes", want.verification_minutes.den],
      ["chain_levels", want.chain_levels.den],
      ["counterfeit_rate", expected(ids.dealer!, cur).counterfeit_rate.num],
    ] as const) {
      const r = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=${metric}&pageSize=5`, keys.dealer!);
      expect(r.status, JSON.stringify(r.json)).to.equal(200);
      expect(r.json.total, metric).to.equal(total);
      expect(r.json.rows.length, metric).to.equal(Math.min(5, total));
    }
    // Every fulfilment row's hours; their mean is the number.
    const f = await api.call(
      "GET",
      `/api/v1/cockpit/rows?${q(cur)}&metric=fulfilment_hours&pageSize=500`,
      keys.dealer!,
    );
    const hours = (f.json.rows as Array<{ hours: number }>).map((x) => x.hours);
    if (hours.length)
      expect(hours.reduce((a, b) => a + b, 0) / hours.length).to.be.closeTo(want.fulfilment_hours.value!, 0.01);
    // Page 2 continues page 1.
    const p1 = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=3&page=1`, OPERATOR);
    const p2 = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=3&page=2`, OPERATOR);
    const both = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=6`, OPERATOR);
    expect([...p1.json.rows, ...p2.json.rows]).to.deep.equal(both.json.rows);
    // The dealer's rows are its own orders only.
    const dealerOrders = new Set(orders.filter((o) => sells(o, ids.dealer!)).map((o) => o.id));
    const rows = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=500`, keys.dealer!);
    for (const row of rows.json.rows as Array<{ orderId: string }>)
      expect(dealerOrders.has(row.orderId)).to.equal(true);
    const csv = await fetch(`${api.origin}/api/v1/cockpit/rows.csv?${q(cur)}&metric=cancel_rate`, {
      headers: { authorization: `Bearer ${keys.dealer}` },
    });
    expect(csv.status).to.equal(200);
    expect(csv.headers.get("content-type")).to.match(/^text\/csv/);
    const text = (await csv.text()).replace(/^\ufeff/, "");
    const csvLines = text.trim().split("\r\n");
    expect(csvLines[0]).to.match(/^orderId,placedAt,buyer,status/);
    expect(csvLines.length - 1).to.equal(want.cancel_rate.den);
    // The printable report: a PDF with the KPIs' names in its text.
    const pdf = await fetch(`${api.origin}/api/v1/cockpit/report.pdf?${q(cur)}`, {
      headers: { authorization: `Bearer ${keys.dealer}` },
    });
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get("content-type")).to.equal("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).to.equal("%PDF-");
    expect(bytes.length).to.be.greaterThan(5_000);
  });

  it("refreshes incrementally: only the days new rows touch (and today, yesterday), and the numbers follow", async () => {
    // A new order today, an old order cancelled now, a late search logged for 50 days ago.
    const fresh = makeOrder(new Date(now.getTime() - 60_000), "farShop");
    fresh.status = "allocated";
    fresh.events = [{ to: "placed", at: fresh.created }];
    orders.push(fresh);
    await insertOrder(fresh);
    const old = orders.find(
      (o) =>
        o.status !== "cancelled" && within(o.created, prev) && day(o.created) < addDays(today, -40) && o.allocs.length,
    )!;
    old.status = "cancelled";
    const cancelledAt = new Date();
    old.events.push({ to: "cancelled", at: cancelledAt });
    await sql().query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [old.id]);
    await sql().query(
      "INSERT INTO order_events (order_id, to_status, actor, at) VALUES ($1, 'cancelled', 'test', $2)",
      [old.id, cancelledAt.toISOString()],
    );
    const s = { region: "440106", empty: true, at: new Date(now.getTime() - 50 * 24 * HOUR) };
    searches.push(s);
    await sql().query(
      "INSERT INTO catalog_searches (at, region_code, query, result_count, took_ms) VALUES ($1, $2, '前大灯', 0, 1)",
      [s.at.toISOString(), s.region],
    );
    const before = await api.call("GET", `/api/v1/cockpit/summary?${q(prev)}`, OPERATOR);
    const r = await api.call("POST", "/api/v1/cockpit/refresh", OPERATOR, {});
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    const touched = new Set([
      today,
      addDays(today, -1),
      day(old.created),
      day(s.at),
      day(cancelledAt),
      day(fresh.created),
    ]);
    expect(r.json.days).to.equal(touched.size);
    expect(r.json.daysBySource.scans).to.equal(0);
    // The previous period's view moved with the cancellation, and every number still matches the hand computation.
    const after = await api.call("GET", `/api/v1/cockpit/summary?${q(prev)}`, OPERATOR);
    const cancel = (x: typeof before) =>
      (x.json.kpis as Array<{ key: string; num: number }>).find((k) => k.key === "cancel_rate")!.num;
    expect(cancel(after)).to.equal(cancel(before) + 1);
    await checkSummary(OPERATOR, "*", "platform after refresh");
    await checkSummary(keys.dealer2!, ids.dealer2!, "dealer2 after refresh");
    await checkIdle("after an incremental refresh");
  });

  it("pages every drill-down by cursor, newest first: exactly the period's rows, none twice, ties too", async () => {
    // Five dealer-sold orders at one instant (with microseconds PostgreSQL keeps and JavaScript does not), so page
    // boundaries fall inside a run of equal times; then a refresh so that the rollups' totals include them.
    const at = new Date(Date.parse(`${addDays(today, -3)}T04:00:00.000Z`));
    const dealerLoc = locs.find((l) => l.company === ids.dealer)!;
    const tied: Order[] = [];
    for (let i = 0; i < 5; i++) {
      const o = makeOrder(at, "shop");
      o.id = `ord_tie${i}`;
      o.urgent = true;
      o.lines[0]!.alloc = Math.max(1, o.lines[0]!.alloc);
      const line1 = { lineNo: 1, loc: dealerLoc.id, seller: ids.dealer!, qty: o.lines[0]!.alloc };
      o.allocs = [line1, ...o.allocs.filter((a) => a.lineNo !== 1)];
      tied.push(o);
      orders.push(o);
      await insertOrder(o);
    }
    await sql().query("UPDATE orders SET created_at = created_at + interval '417 microseconds' WHERE id = ANY($1)", [
      tied.map((o) => o.id),
    ]);
    const refreshed = await api.call("POST", "/api/v1/cockpit/refresh", OPERATOR, {});
    expect(refreshed.status, JSON.stringify(refreshed.json)).to.equal(200);
    // Orders placed since the refresh (today, the newest rows): counted live, so totals and pages by number hold them.
    for (let i = 0; i < 7; i++) {
      const o = makeOrder(new Date(Date.now() - (i + 1) * 1_000), i % 2 ? "shop" : "farShop");
      o.urgent = i % 3 === 0;
      orders.push(o);
      await insertOrder(o);
    }

    const pageAll = async (metric: string, token: string, size: number) => {
      const got: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      let total = -1;
      for (let n = 0; n < 1_000; n++) {
        const extra: string = cursor ? `&cursor=${cursor}` : "";
        const r = await api.call(
          "GET",
          `/api/v1/cockpit/rows?${q(cur)}&metric=${metric}&pageSize=${size}${extra}`,
          token,
        );
        expect(r.status, JSON.stringify(r.json)).to.equal(200);
        expect(r.json.rows.length, metric).to.be.at.most(size);
        got.push(...(r.json.rows as Array<Record<string, unknown>>));
        total = r.json.total;
        cursor = r.json.nextCursor;
        if (!cursor) break;
      }
      return { got, total };
    };
    const byNewest = (time: (o: Order) => Date) => (a: Order, b: Order) =>
      time(b).getTime() - time(a).getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    const placed = orders.filter((o) => within(o.created, cur));
    const hand: Array<[string, string, string, Order[]]> = [];
    for (const [who, scope] of [
      ["platform", "*"],
      ["dealer", ids.dealer!],
    ] as const) {
      const mine = placed.filter((o) => sells(o, scope)).sort(byNewest((o) => o.created));
      hand.push(
        [who, scope, "cancel_rate", mine],
        [who, scope, "fill_rate", mine.filter((o) => o.allocs.length > 0)],
        [who, scope, "on_time", mine.filter((o) => firstAt(o, "shipped"))],
        [
          who,
          scope,
          "fulfilment_hours",
          orders
            .filter((o) => sells(o, scope) && firstAt(o, "delivered") && within(firstAt(o, "delivered")!, cur))
            .sort(byNewest((o) => firstAt(o, "delivered")!)),
        ],
      );
    }
    hand.push(["platform", "*", "urgent_fill", placed.filter((o) => o.urgent).sort(byNewest((o) => o.created))]);
    for (const [who, , metric, want] of hand) {
      const token = who === "platform" ? OPERATOR : keys.dealer!;
      const { got, total } = await pageAll(metric, token, 3);
      const label = `${who} ${metric}`;
      expect(
        got.map((r) => r.orderId),
        label,
      ).to.deep.equal(want.map((o) => o.id));
      expect(total, `${label} total`).to.equal(want.length);
      expect(new Set(got.map((r) => r.orderId)).size, `${label} distinct`).to.equal(got.length);
      // Every page asked by number (the day found from the rollup's counts, then skipped into) is that slice.
      for (let n = 1; (n - 1) * 3 < want.length; n++) {
        const r = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=${metric}&pageSize=3&page=${n}`, token);
        expect(
          (r.json.rows as Array<Record<string, unknown>>).map((x) => x.orderId),
          `${label} page ${n}`,
        ).to.deep.equal(want.slice((n - 1) * 3, n * 3).map((o) => o.id));
      }
    }
    // The tied orders are all in the dealer's cancellations, in id order from the last, split across pages of 3.
    const { got: cancels } = await pageAll("cancel_rate", keys.dealer!, 3);
    const ties = cancels.map((r) => r.orderId).filter((id) => String(id).startsWith("ord_tie"));
    expect(ties).to.deep.equal(["ord_tie4", "ord_tie3", "ord_tie2", "ord_tie1", "ord_tie0"]);

    // The ledger-based and report drill-downs: pages of 1 continue each other into the one-page answer, the total.
    for (const metric of ["verification_minutes", "chain_levels", "counterfeit_rate"]) {
      const { got, total } = await pageAll(metric, OPERATOR, 1);
      const one = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=${metric}&pageSize=500`, OPERATOR);
      expect(got, metric).to.deep.equal(one.json.rows);
      expect(total, metric).to.equal(got.length);
      expect(one.json.nextCursor, metric).to.equal(null);
    }
    // A page by number lands where the cursor does.
    const p2 = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=3&page=2`, OPERATOR);
    const { got: all } = await pageAll("cancel_rate", OPERATOR, 500);
    expect(p2.json.rows).to.deep.equal(all.slice(3, 6));

    // A cursor the API did not give, or one for grouped rows, is a 400 that says so.
    const bad = await api.call(
      "GET",
      `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&cursor=bm90LWEtY3Vyc29y`,
      OPERATOR,
    );
    expect([bad.status, bad.json.code]).to.deep.equal([400, "REQUEST.INVALID"]);
    // Cursors shaped like ours that PostgreSQL would refuse, and days that do not exist: 400s, not 500s.
    const forged = (metric: string, key: [string, string]) => {
      const cursor = Buffer.from(JSON.stringify(key)).toString("base64url");
      return api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=${metric}&cursor=${cursor}`, OPERATOR);
    };
    for (const [metric, key] of [
      ["cancel_rate", ["2026-13-45 25:61:61+00", "ord_x"]],
      ["cancel_rate", ["2026-02-30 11:00:00+00", "ord_x"]],
      ["cancel_rate", ["2026-12-02 11:00:00+99", "ord_x"]],
      ["cancel_rate", ["0000-01-01 00:00:00+00", "ord_x"]],
      ["fulfilment_hours", ["2026-12-02 11:00:00+00", "9999999999999999999"]],
    ] as Array<[string, [string, string]]>) {
      const r = await forged(metric, key);
      expect([r.status, r.json.code], key.join(" ")).to.deep.equal([400, "REQUEST.INVALID"]);
    }
    const leap = await forged("cancel_rate", ["2024-02-29 23:59:59.5+08", "ord_x"]);
    expect(leap.status).to.equal(200);
    for (const path of ["summary?from=2026-02-30", "rows?metric=cancel_rate&to=2026-04-31", "skus?from=0000-01-01"]) {
      const r = await api.call("GET", `/api/v1/cockpit/${path}`, OPERATOR);
      expect([r.status, r.json.code], path).to.deep.equal([400, "REQUEST.INVALID"]);
    }
    const first = await api.call("GET", `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=1`, OPERATOR);
    const grouped = await api.call(
      "GET",
      `/api/v1/cockpit/rows?${q(cur)}&metric=hot_skus&cursor=${first.json.nextCursor}`,
      OPERATOR,
    );
    expect([grouped.status, grouped.json.code]).to.deep.equal([400, "REQUEST.INVALID"]);

    // The CSV streams the whole set, in the drill-down's order.
    const csv = await fetch(`${api.origin}/api/v1/cockpit/rows.csv?${q(cur)}&metric=cancel_rate`, {
      headers: { authorization: `Bearer ${OPERATOR}` },
    });
    expect(csv.status).to.equal(200);
    const lines = (await csv.text())
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines.slice(1).map((l) => l.split(",")[0])).to.deep.equal(all.map((r) => r.orderId));

    // Rows gone since the refresh: the first day before today (counted by the rollup) holds none now, so a page
    // asked by number that the counts place on it walks the period's rows instead.
    const k = all.findIndex((r) => day(new Date(String(r.placedAt))) < today);
    expect(k, "rows before today").to.be.greaterThan(0);
    const moved = await sql().query<{ id: string }>(
      `UPDATE orders SET created_at = created_at - interval '400 days'
        WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date = $1::date RETURNING id`,
      [day(new Date(String(all[k]!.placedAt)))],
    );
    try {
      const { got: live } = await pageAll("cancel_rate", OPERATOR, 500);
      expect(live.length).to.equal(all.length - moved.rows.length);
      const stale = await api.call(
        "GET",
        `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=1&page=${k + 2}`,
        OPERATOR,
      );
      // (the page after the row at k: its key is looked for on the moved day)
      expect(stale.json.rows).to.deep.equal(live.slice(k + 1, k + 2));
      // a page past every row: empty, with the total
      const past = await api.call(
        "GET",
        `/api/v1/cockpit/rows?${q(cur)}&metric=cancel_rate&pageSize=1&page=${all.length + 5}`,
        OPERATOR,
      );
      expect([past.json.rows, past.json.nextCursor]).to.deep.equal([[], null]);
    } finally {
      await sql().query("UPDATE orders SET created_at = created_at + interval '400 days' WHERE id = ANY($1)", [
        moved.rows.map((r) => r.id),
      ]);
    }
  });
});
