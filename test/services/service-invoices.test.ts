import { expect } from "chai";
import { taxIncluded } from "../../api/src/modules/finance/billing.js";
import type { InvoicesService } from "../../api/src/modules/finance/invoices.service.js";
import { serviceBill } from "../../api/src/modules/services/service-billing.js";
import { OPERATOR, startApi, uscc } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

type Json = Record<string, any>;
type Invoice = {
  id: string;
  source: string;
  settlementId: string | null;
  sellerId: string | null;
  buyerId: string;
  totalFen: number;
  taxFen: number;
  taxRateBp: number;
  paidFen: number;
  outstandingFen: number;
  dueDate: string;
  issueDate: string;
  terms: string;
  lines: Array<{ skuId: number | null; description: string | null; amountFen: number }>;
  payments: Array<{ id: string; amountFen: number; bankRef: string; paidOn: string }>;
};

/**
 * Service settlements in the finance ledger (DECISIONS 114), through the API against PostgreSQL: each settlement bills
 * the shop for the service (and damage claims) and the provider for the platform's commission; every fen of the
 * settlement is on those invoices; aging and statements of the shop, the provider and the platform list them;
 * payments are recorded against them; a retried settlement bills nothing twice.
 */
describe("services in finance: a settlement's service and commission invoices", function () {
  this.timeout(300_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const key: Record<string, string> = {};
  const db = () => stack.svc.db.sql;
  const ok = (r: { status: number; json: Json }, status = 200) => {
    expect(r.status, JSON.stringify(r.json)).to.equal(status);
    return r.json;
  };
  const invoicesOf = async (settlementId: string, who = key.providerFinance!) => {
    const ids = (
      await db().query<{ id: string }>("SELECT id FROM invoices WHERE settlement_id = $1 ORDER BY source DESC", [
        settlementId,
      ])
    ).rows.map((r) => r.id);
    const out: Invoice[] = [];
    for (const id of ids) {
      out.push(ok(await api.call("GET", `/api/v1/finance/invoices/${id}`, who)) as never);
    }
    return out;
  };
  const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const addDays = (d: string, n: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    const reg = await api.call("POST", "/api/v1/companies", OPERATOR, {
      name: "杭州匠心汽修培训与设备租赁有限公司",
      uscc: uscc("91330106MA2C00017"),
      kind: "service_provider",
      regionCode: "330106",
      location: { lng: 120.13, lat: 30.27 },
    });
    expect(reg.status, JSON.stringify(reg.json)).to.equal(201);
    api.keys.provider = reg.json.apiKey;
    api.ids.provider = reg.json.id;
    key.provider = await api.keyWithRoles("provider", ["service_manager"]);
    key.providerFinance = await api.keyWithRoles("provider", ["finance"]);
    key.shop = await api.keyWithRoles("shop", ["buyer"]);
    key.shopFinance = await api.keyWithRoles("shop", ["finance"]);
    key.farShop = await api.keyWithRoles("farShop", ["buyer"]);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  const settlements = async () =>
    ok(await api.call("GET", "/api/v1/services/settlements", key.provider!)).settlements as Array<Json>;

  it("a completed session bills each seat: the fee to the shop (VAT 6 %), the commission to the provider", async () => {
    const c = ok(
      await api.call("POST", "/api/v1/services/courses", key.provider!, { title: "新能源高压安全", priceFen: 12_345 }),
      201,
    );
    const starts = new Date(Date.now() + 86_400_000).toISOString();
    const s = ok(
      await api.call("POST", `/api/v1/services/courses/${c.id}/sessions`, key.provider!, {
        startsAt: starts,
        endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        place: "杭州市西湖区培训中心 3 楼",
        seats: 3,
      }),
      201,
    ).sessions[0].id as string;
    ok(await api.call("POST", `/api/v1/services/sessions/${s}/enrolments`, key.shop!, { attendee: "周师傅" }), 201);
    ok(await api.call("POST", `/api/v1/services/sessions/${s}/enrolments`, key.farShop!, { attendee: "吴师傅" }), 201);
    ok(await api.call("POST", `/api/v1/services/sessions/${s}/complete`, key.provider!));
    const mine = (await settlements()).filter((x) => x.grossFen === 12_345);
    expect(mine).to.have.length(2);
    for (const st of mine) {
      const [service, commission] = await invoicesOf(st.id);
      expect(service).to.include({ source: "service", sellerId: api.ids.provider, buyerId: st.shopId });
      expect(service!).to.include({ totalFen: 12_345, taxRateBp: 600, taxFen: taxIncluded(12_345, 600), paidFen: 0 });
      expect(service!.taxFen).to.equal(699); // 12 345 × 600 / 10 600 = 698.77
      expect(service!.lines).to.have.length(1);
      expect(service!.lines[0]!.skuId).to.equal(null);
      expect(service!.lines[0]!.description).to.match(/^培训：新能源高压安全（(周|吴)师傅，\d{4}-\d{2}-\d{2}）$/);
      expect(service!.terms).to.equal("cash");
      expect(commission).to.include({ source: "commission", sellerId: null, buyerId: api.ids.provider });
      expect(commission!).to.include({ totalFen: 617, taxRateBp: 600, taxFen: 35, terms: "net30" });
      expect(commission!.dueDate).to.equal(addDays(commission!.issueDate, 30));
      // every fen: the shop's invoice = the provider's net + the platform's commission invoice
      expect(service!.totalFen).to.equal(st.netFen + commission!.totalFen);
      expect(service!.outstandingFen).to.equal(st.dueFen);
    }
  });

  it("a settled rental bills charge and claims, the deposit pays what it covers; the rest is the settlement's due", async () => {
    const lift = ok(
      await api.call("POST", "/api/v1/services/equipment", key.provider!, {
        name: "双柱举升机 4 吨",
        kind: "lift",
        billing: "time",
        rateFen: 6_000,
        depositFen: 50_000,
        place: "杭州市西湖区文三路 1 号",
      }),
      201,
    );
    const r = ok(await api.call("POST", `/api/v1/services/equipment/${lift.id}/rentals`, key.shop!, {}), 201);
    await db().query("UPDATE service_rentals SET started_at = now() - interval '94 minutes 30 seconds' WHERE id = $1", [
      r.id,
    ]);
    ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.shop!, {}));
    for (const [amountFen, reason] of [
      [12_000, "液压管破损"],
      [333, "托臂胶垫缺失"],
    ] as const)
      ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/claims`, key.provider!, { amountFen, reason }), 201);
    const st = ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/settle`, key.provider!, {})).settlement;
    expect(st).to.include({ grossFen: 9_500, commissionFen: 475, claimsFen: 12_333, refundFen: 28_167, dueFen: 0 });
    const [service, commission] = await invoicesOf(st.id);
    expect(service!.lines.map((l) => [l.description, l.amountFen])).to.deep.equal([
      ["设备租赁：双柱举升机 4 吨，95 分钟", 9_500],
      ["损坏赔偿：液压管破损", 12_000],
      ["损坏赔偿：托臂胶垫缺失", 333],
    ]);
    expect(service).to.include({ totalFen: 21_833, taxRateBp: 1300, taxFen: taxIncluded(21_833, 1300) });
    // the deposit held pays charge and claims: 50 000 − 28 167 refunded = 21 833, nothing left open
    expect(service!.payments).to.deep.equal([
      { id: service!.payments[0]!.id, amountFen: 21_833, bankRef: `deposit:${st.id}`, paidOn: shanghaiToday() },
    ]);
    expect(service!.outstandingFen).to.equal(0);
    expect(commission).to.include({ totalFen: 475, buyerId: api.ids.provider, sellerId: null });
    expect(st.depositFen + st.dueFen).to.equal(service!.totalFen + st.refundFen);

    // by meter, the charge beyond the deposit: 25 000 billed, 20 000 paid by the deposit, 5 000 open = due
    const kts = ok(
      await api.call("POST", "/api/v1/services/equipment", key.provider!, {
        name: "博世 KTS 诊断仪",
        kind: "diagnostic_tool",
        billing: "meter",
        rateFen: 1_250,
        depositFen: 20_000,
        place: "杭州市西湖区文三路 1 号",
      }),
      201,
    );
    const m = ok(
      await api.call("POST", `/api/v1/services/equipment/${kts.id}/rentals`, key.shop!, { meterStart: 1_000 }),
      201,
    );
    ok(await api.call("POST", `/api/v1/services/rentals/${m.id}/stop`, key.shop!, { meterEnd: 1_020 }));
    const ms = ok(await api.call("POST", `/api/v1/services/rentals/${m.id}/settle`, key.provider!, {})).settlement;
    const [mService, mCommission] = await invoicesOf(ms.id);
    expect(mService).to.include({ totalFen: 25_000, paidFen: 20_000, outstandingFen: 5_000 });
    expect(mService!.outstandingFen).to.equal(ms.dueFen);
    expect(mCommission!.totalFen).to.equal(1_250);
  });

  it("a settlement that retries bills nothing twice: the settle call, the finance port and the table refuse", async () => {
    const q = ok(
      await api.call("POST", "/api/v1/services/equipment", key.provider!, {
        name: "四轮定位仪",
        kind: "other",
        billing: "meter",
        rateFen: 777,
        depositFen: 0,
        place: "杭州市西湖区文三路 1 号",
      }),
      201,
    );
    const r = ok(
      await api.call("POST", `/api/v1/services/equipment/${q.id}/rentals`, key.shop!, { meterStart: 0 }),
      201,
    );
    ok(await api.call("POST", `/api/v1/services/rentals/${r.id}/stop`, key.shop!, { meterEnd: 3 }));
    const settles = await Promise.all(
      [1, 2, 3].map(() => api.call("POST", `/api/v1/services/rentals/${r.id}/settle`, key.provider!, {})),
    );
    for (const x of settles) expect(x.status, JSON.stringify(x.json)).to.equal(200);
    const st = settles[0]!.json.settlement;
    const count = async () =>
      (await db().query("SELECT source FROM invoices WHERE settlement_id = $1 ORDER BY source", [st.id])).rows;
    expect(await count()).to.deep.equal([{ source: "commission" }, { source: "service" }]);
    // the finance port itself, called again for the same settlement, writes nothing and answers the same invoices
    const invoices = (api.app.locals.services as { invoices: InvoicesService }).invoices;
    const before = (await invoicesOf(st.id)).map((i) => i.id);
    const again = await db().transaction((tx) =>
      invoices.billService(
        tx,
        { actorType: "api_key", actorId: "test", ip: null, userAgent: null, requestId: null },
        serviceBill(st, { service: "设备租赁：四轮定位仪，计量 3 单位" }, "test"),
      ),
    );
    expect(again.map((i) => i.id)).to.deep.equal(before);
    expect(await count()).to.have.length(2);
    // and the table: a second service invoice for the settlement is a unique violation, not an app check
    const dup = await db()
      .query(
        `INSERT INTO invoices (id, source, settlement_id, seller_id, buyer_id, total_fen, tax_rate_bp, tax_fen, net_fen,
           issue_date, due_date, terms, issued_by)
         VALUES ('inv_00000000000000aa', 'service', $1, $2, $3, 1, 0, 0, 1, current_date, current_date, 'cash', 't')`,
        [st.id, api.ids.provider, api.ids.shop],
      )
      .then(
        () => null,
        (e: { code?: string; constraint?: string; message?: string }) => e,
      );
    expect(dup?.code).to.equal("23505");
    expect(`${dup?.constraint ?? ""} ${dup?.message ?? ""}`).to.contain("invoices_settlement_source");
  });

  it("aging and statements of the shop, the provider and the platform list them; payments are recorded", async () => {
    const all = (
      await db().query<{ id: string; source: string; seller_id: string | null; buyer_id: string; open: number }>(
        "SELECT id, source, seller_id, buyer_id, (total_fen - paid_fen)::float8 AS open FROM invoices WHERE settlement_id IS NOT NULL",
      )
    ).rows;
    const open = (f: (i: (typeof all)[number]) => boolean) => all.filter(f).reduce((s, i) => s + i.open, 0);
    const shopOwes = open((i) => i.source === "service" && i.buyer_id === api.ids.shop);
    const commissionOpen = open((i) => i.source === "commission");
    expect(shopOwes).to.equal(12_345 + 5_000 + 777 * 3);
    expect(commissionOpen).to.equal(617 * 2 + 475 + 1_250 + 117); // 2 331 × 5 % = 116.55 → 117

    // the shop's payables: the provider, all current (cash terms, issued today)
    const shopAging = ok(await api.call("GET", "/api/v1/finance/aging?side=payable", key.shopFinance!));
    const toProvider = shopAging.counterparties.find((c: Json) => c.counterparty === api.ids.provider);
    expect(toProvider.outstandingFen).to.equal(shopOwes);
    // the provider's receivables (both shops) and payables (the platform)
    const provRecv = ok(await api.call("GET", "/api/v1/finance/aging?side=receivable", key.providerFinance!));
    expect(provRecv.outstandingFen).to.equal(open((i) => i.source === "service"));
    const provPay = ok(await api.call("GET", "/api/v1/finance/aging?side=payable", key.providerFinance!));
    expect(provPay.counterparties).to.deep.equal([
      { counterparty: "platform", buckets: provPay.buckets, outstandingFen: commissionOpen },
    ]);
    expect(provPay.buckets.current).to.equal(commissionOpen);
    // the platform's receivables: 45 days on, the net-30 commission is 1–30 days past due
    const later = addDays(shanghaiToday(), 45);
    const platform = ok(await api.call("GET", `/api/v1/finance/aging?side=receivable&asOf=${later}`, OPERATOR));
    expect(platform.counterparties).to.have.length(1);
    expect(platform.counterparties[0]).to.include({ counterparty: api.ids.provider, outstandingFen: commissionOpen });
    expect(platform.buckets["1-30"]).to.equal(commissionOpen);
    // statements: the provider's invoices from the platform; the platform's to the provider
    const stmt = ok(
      await api.call("GET", "/api/v1/finance/invoices?side=payable&counterparty=platform", key.providerFinance!),
    ).invoices as Invoice[];
    expect(stmt.map((i) => i.source)).to.deep.equal(Array(5).fill("commission"));
    expect(stmt.reduce((s, i) => s + i.totalFen, 0)).to.equal(commissionOpen);
    const platformStmt = ok(
      await api.call("GET", `/api/v1/finance/invoices?side=receivable&counterparty=${api.ids.provider}`, OPERATOR),
    ).invoices as Invoice[];
    expect(platformStmt.map((i) => i.id).sort()).to.deep.equal(stmt.map((i) => i.id).sort());
    const shopStmt = ok(
      await api.call("GET", `/api/v1/finance/invoices?side=payable&counterparty=${api.ids.provider}`, key.shopFinance!),
    ).invoices as Invoice[];
    expect(shopStmt.every((i) => i.source === "service" && i.buyerId === api.ids.shop)).to.equal(true);

    // payments: the provider records the shop's transfer; the platform records the provider's commission payment
    const training = shopStmt.find((i) => i.totalFen === 12_345)!;
    const paid = ok(
      await api.call("POST", `/api/v1/finance/invoices/${training.id}/payments`, key.providerFinance!, {
        amountFen: 12_000,
        bankRef: "TRF-2027-0001",
      }),
      201,
    );
    expect(paid.outstandingFen).to.equal(345);
    const fee = stmt[0]!;
    // the provider is the commission invoice's buyer: it cannot record a payment on it (404, as if none)
    const notMine = await api.call("POST", `/api/v1/finance/invoices/${fee.id}/payments`, key.providerFinance!, {
      amountFen: 1,
      bankRef: "X-1",
    });
    expect(notMine.status).to.equal(404);
    const feePaid = ok(
      await api.call("POST", `/api/v1/finance/invoices/${fee.id}/payments`, OPERATOR, {
        amountFen: fee.totalFen,
        bankRef: "PLAT-2027-0001",
      }),
      201,
    );
    expect(feePaid.outstandingFen).to.equal(0);
    const retried = await api.call("POST", `/api/v1/finance/invoices/${fee.id}/payments`, OPERATOR, {
      amountFen: 1,
      bankRef: "PLAT-2027-0001",
    });
    expect(retried.status).to.equal(409);
    const after = ok(await api.call("GET", "/api/v1/finance/aging?side=payable", key.providerFinance!));
    expect(after.outstandingFen).to.equal(commissionOpen - fee.totalFen);
    const shopAfter = ok(await api.call("GET", "/api/v1/finance/aging?side=payable", key.shopFinance!));
    expect(shopAfter.outstandingFen).to.equal(shopAging.outstandingFen - 12_000);
    // another shop sees only its own
    const far = ok(
      await api.call("GET", "/api/v1/finance/invoices?side=payable", await api.keyWithRoles("farShop", ["finance"])),
    );
    expect(
      far.invoices.every((i: Invoice) => i.sellerId === api.ids.provider && i.buyerId === api.ids.farShop),
    ).to.equal(true);
  });

  it("every settlement's fen are on its invoices: charge = provider net + commission, claims and due exact", async () => {
    const rows = (
      await db().query<Json>(
        `SELECT s.id, s.gross_fen::float8 AS gross, s.net_fen::float8 AS net, s.commission_fen::float8 AS commission,
                s.claims_fen::float8 AS claims, s.due_fen::float8 AS due, s.deposit_fen::float8 AS deposit,
                s.refund_fen::float8 AS refund,
                (SELECT total_fen::float8 FROM invoices WHERE settlement_id = s.id AND source = 'service') AS billed,
                (SELECT (total_fen)::float8 FROM invoices WHERE settlement_id = s.id AND source = 'commission') AS fee,
                (SELECT sum(amount_fen)::float8 FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
                  WHERE i.settlement_id = s.id AND p.bank_ref LIKE 'deposit:%') AS deposit_paid
           FROM service_settlements s`,
      )
    ).rows;
    expect(rows.length).to.equal(5);
    for (const r of rows) {
      expect(r.billed, r.id).to.equal(r.gross + r.claims);
      expect(r.fee, r.id).to.equal(r.commission);
      expect(r.gross, r.id).to.equal(r.net + r.fee);
      expect(r.billed - (r.deposit_paid ?? 0), r.id).to.equal(r.due);
      expect(r.deposit_paid ?? 0, r.id).to.equal(r.deposit - r.refund);
    }
  });
});
