import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { gtin14 } from "../../scripts/lib/identifiers.js";
import { DISPUTE_STATUSES, DISPUTE_TRANSITIONS } from "../../api/src/modules/disputes/dispute-states.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";
import { importSkus, sharedWarehouse, stockShared } from "../helpers/fixtures.js";

/** A few bytes that each format's signature accepts (the check reads signatures, not whole pictures). */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24, 1)]);
const WEBP = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([26, 0, 0, 0]),
  Buffer.from("WEBPVP8 "),
  Buffer.alloc(18),
]);
const GIF = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1");

/**
 * Disputes over refused returns (issue 16) and photos on returns: the dispute table walked pair by pair × side through
 * the API; a dispute opened only by the requester of a refused or partly authorised return; an evidence timeline of
 * the return's history, its photos, the serial's ledger events and messages; arbitration under the two-person rule
 * through the shared approvals (the proposer cannot approve); a settlement that refunds once, whatever is retried.
 */
describe("disputes: refused returns arbitrated by two platform people, settled once; photos on returns", function () {
  this.timeout(600_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let photoDir = "";
  const gtin = gtin14("0690123456795");
  let serials: string[] = [];
  let skuId = 0;
  let orderQty = "";
  let orderSerial = "";
  const ops: Array<{ id: string; token: string }> = [];
  const dealer = () => api.keys.dealer!;
  const shop = () => api.keys.shop!;
  const sql = (q: string, p: unknown[]) => stack.svc.db.sql.query(q, p);
  const requestReturn = async (body: Record<string, unknown>) => {
    const r = await api.call("POST", "/api/v1/returns", shop(), { reason: "defective", ...body });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
    return r.json.id as string;
  };
  const refuse = async (id: string) => {
    const r = await api.call("POST", `/api/v1/returns/${id}/status`, dealer(), { to: "refused", note: "已超过质保期" });
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
  };
  const upload = (id: string, token: string, bytes: Buffer, type: string) =>
    fetch(`${api.origin}/api/v1/returns/${id}/photos`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body: new Uint8Array(bytes),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, any> }));
  const dispute = (token: string, body: Record<string, unknown>, key?: string) =>
    api.call("POST", "/api/v1/disputes", token, body, key ? { "idempotency-key": key } : {});
  const step = (token: string, id: string, body: Record<string, unknown>) =>
    api.call("POST", `/api/v1/disputes/${id}/status`, token, body);
  const sell = async (quantity: number, ship: string[]) => {
    const placed = await api.call("POST", "/api/v1/orders", shop(), { lines: [{ skuId, quantity }] });
    expect(placed.status, JSON.stringify(placed.json)).to.equal(201);
    const id = placed.json.id as string;
    const status = (token: string, body: unknown) => api.call("POST", `/api/v1/orders/${id}/status`, token, body);
    expect((await status(dealer(), { to: "picking" })).status).to.equal(200);
    const shipped = await status(dealer(), {
      to: "shipped",
      carrier: "顺丰",
      trackingNo: `SF${id.slice(4, 14)}`,
      ...(ship.length ? { parts: ship.map((serial) => ({ gtin, serial })) } : {}),
    });
    expect(shipped.status, JSON.stringify(shipped.json)).to.equal(200);
    expect((await status(shop(), { to: "delivered" })).status).to.equal(200);
    return id;
  };
  /** A platform person holding platform_operator, signed in. */
  const platformPerson = async (n: number) => {
    const email = `arbiter${n}-${Date.now()}@partledger.test`;
    const u = await api.call("POST", "/api/v1/users", OPERATOR, {
      name: `平台仲裁 ${n}`,
      email,
      password: "correct horse battery",
    });
    expect(u.status, JSON.stringify(u.json)).to.equal(201);
    await sql("UPDATE users SET roles = ARRAY['platform_operator']::text[] WHERE id = $1", [u.json.id]);
    const login = await api.call("POST", "/api/v1/auth/login", null, {
      login: email,
      password: "correct horse battery",
    });
    expect(login.status, JSON.stringify(login.json)).to.equal(200);
    return { id: u.json.id as string, token: login.json.token as string };
  };

  before(async () => {
    photoDir = mkdtempSync(join(tmpdir(), "pl-photos-"));
    stack = await openStack();
    api = await startApi(stack, undefined, undefined, { returnPhotos: { dir: photoDir, maxBytes: 4096 } });
    [skuId] = (await importSkus(api, ["bosch,0 986 494 200,后刹车片,brake_pad,aftermarket,后"])) as [number];
    const loc = await sharedWarehouse(api, dealer(), {
      code: "WH-DSP",
      name: "争议仓",
      regionCode: "330106",
      location: { lng: 120.14, lat: 30.265 },
    });
    await stockShared(api, dealer(), { locationId: loc, skuId, quantity: 40, price: 180 });
    const mint = await api.call("POST", "/api/v1/mint", api.keys.maker!, {
      gtin,
      lot: "L-DSP",
      productionDate: "2026-11-20",
      count: 3,
      product: { brand: "BOSCH 博世", name: "后刹车片", skuId },
    });
    expect(mint.status, JSON.stringify(mint.json)).to.equal(201);
    serials = mint.json.serials;
    const carton = serials.map((serial) => ({ gtin, serial }));
    expect(
      (await api.call("POST", "/api/v1/dispatches", api.keys.maker!, { to: api.ids.dealer, parts: carton })).status,
    ).to.equal(201);
    expect((await api.call("POST", "/api/v1/receipts", dealer(), { parts: carton })).status).to.equal(201);
    orderSerial = await sell(1, [serials[0]!]);
    orderQty = await sell(10, []);
    ops.push(await platformPerson(1), await platformPerson(2));
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
    rmSync(photoDir, { recursive: true, force: true });
  });

  it("takes photos checked by their bytes and size, stores them under the photo directory and lists them", async () => {
    const id = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 1 });
    const jpeg = await upload(id, shop(), JPEG, "image/jpeg");
    expect(jpeg.status, JSON.stringify(jpeg.json)).to.equal(201);
    expect(jpeg.json).to.include({ media: "image/jpeg", bytes: JPEG.length, companyId: api.ids.shop });
    expect((await upload(id, dealer(), PNG, "image/png")).status).to.equal(201); // the seller may add its own
    expect((await upload(id, shop(), WEBP, "image/webp")).status).to.equal(201);
    expect((await upload(id, shop(), JPEG, "image/jpeg")).status).to.equal(200); // the same picture: one photo
    const bad = [
      [await upload(id, shop(), GIF, "image/png"), 415, "RETURN.PHOTO_TYPE"], // a GIF called a PNG
      [await upload(id, shop(), GIF, "image/gif"), 415, "RETURN.PHOTO_TYPE"],
      [await upload(id, shop(), PNG, "image/jpeg"), 415, "RETURN.PHOTO_TYPE"], // bytes and header disagree
      [await upload(id, shop(), Buffer.alloc(0), "image/png"), 400, "RETURN.PHOTO_EMPTY"],
      [
        await upload(id, shop(), Buffer.concat([JPEG, Buffer.alloc(5000)]), "image/jpeg"),
        413,
        "RETURN.PHOTO_TOO_LARGE",
      ],
      [await upload(id, api.keys.farShop!, PNG, "image/png"), 404, "NOT_FOUND"],
    ] as const;
    for (const [got, status, code] of bad) expect([got.status, got.json.code]).to.deep.equal([status, code]);
    const r = await api.call("GET", `/api/v1/returns/${id}`, dealer());
    expect(r.json.photos.map((p: { media: string }) => p.media)).to.deep.equal([
      "image/jpeg",
      "image/png",
      "image/webp",
    ]);
    expect(readdirSync(join(photoDir, id)).sort()).to.have.length(3); // no file left by the refused uploads
    const file = await fetch(`${api.origin}/api/v1/returns/${id}/photos/${jpeg.json.id}`, {
      headers: { authorization: `Bearer ${shop()}` },
    });
    expect([file.status, file.headers.get("content-type")]).to.deep.equal([200, "image/jpeg"]);
    expect(Buffer.from(await file.arrayBuffer()).equals(JPEG)).to.equal(true);
    const outsider = await api.call("GET", `/api/v1/returns/${id}/photos/${jpeg.json.id}`, api.keys.farShop!);
    expect(outsider.status).to.equal(404);
  });

  it("walks the dispute table pair by pair: each allowed change by its side only, others refused", async () => {
    const rma = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 2 });
    await refuse(rma);
    const opened = await dispute(shop(), { returnId: rma, reason: "刹车片有裂纹,照片为证" });
    expect(opened.status, JSON.stringify(opened.json)).to.equal(201);
    expect(opened.json).to.include({ status: "open", claimFen: 36_000, maxFen: 36_000 });
    const id = opened.json.id as string;
    const fields: Record<string, Record<string, unknown>> = {
      proposed: { outcome: "refusal_upheld" },
      settled: { outcome: "refund_full" }, // the seller concedes (DECISIONS 119)
    };
    const tokens = { requester: shop(), seller: dealer(), platform: ops[0]!.token };
    let pairs = 0;
    for (const from of DISPUTE_STATUSES)
      for (const to of DISPUTE_STATUSES) {
        if (to === "open") continue; // only opening creates one
        const sides = DISPUTE_TRANSITIONS[from][to] ?? [];
        for (const [side, token] of Object.entries(tokens)) {
          await sql("UPDATE disputes SET status = $2, approval_id = NULL WHERE id = $1", [id, from]);
          const got = await step(token, id, { to, ...fields[to] });
          const label = `${from} → ${to} by ${side}`;
          if (!sides.length)
            expect([got.status, got.json.code], label).to.deep.equal([409, "DISPUTE.INVALID_TRANSITION"]);
          else if (!sides.includes(side as "platform"))
            expect([got.status, got.json.code], label).to.deep.equal([403, "DISPUTE.NOT_YOUR_STEP"]);
          else expect([got.status, got.json.status], `${label}: ${JSON.stringify(got.json)}`).to.deep.equal([200, to]);
          pairs++;
        }
      }
    expect(pairs).to.equal(5 * 4 * 3);
    // Fields are named; an outsider learns nothing.
    await sql("UPDATE disputes SET status = 'under_review', approval_id = NULL WHERE id = $1", [id]);
    expect((await step(ops[0]!.token, id, { to: "proposed" })).json).to.include({ code: "DISPUTE.FIELD_REQUIRED" });
    const part = await step(ops[0]!.token, id, { to: "proposed", outcome: "refund_part", amountFen: 36_000 });
    expect([part.status, part.json.code]).to.deep.equal([400, "DISPUTE.INVALID_AMOUNT"]);
    expect((await api.call("GET", `/api/v1/disputes/${id}`, api.keys.farShop!)).status).to.equal(404);
  });

  it("lets the seller concede the claim or part of it: settled at once, refunded once, audited", async () => {
    const rma = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 2 });
    await refuse(rma);
    const opened = await dispute(shop(), { returnId: rma, reason: "两件都漏油", claimFen: 30_000 });
    expect(opened.json).to.include({ status: "open", claimFen: 30_000, maxFen: 36_000 });
    const id = opened.json.id as string;
    // Only the seller concedes, with a refund it names; not the requester, not the platform.
    for (const token of [shop(), ops[0]!.token])
      expect((await step(token, id, { to: "settled", outcome: "refund_full" })).json.code).to.equal(
        "DISPUTE.NOT_YOUR_STEP",
      );
    const bad = [
      [await step(dealer(), id, { to: "settled" }), "DISPUTE.FIELD_REQUIRED"],
      [await step(dealer(), id, { to: "settled", outcome: "refusal_upheld" }), "DISPUTE.INVALID_OUTCOME"],
      [await step(dealer(), id, { to: "settled", outcome: "refund_part" }), "DISPUTE.FIELD_REQUIRED"],
      [
        await step(dealer(), id, { to: "settled", outcome: "refund_part", amountFen: 30_000 }),
        "DISPUTE.INVALID_AMOUNT",
      ],
    ] as const;
    for (const [got, code] of bad) expect([got.status, got.json.code]).to.deep.equal([400, code]);
    // Taken for review by the platform: the seller may still concede, before a proposal is filed.
    expect((await step(ops[0]!.token, id, { to: "under_review" })).json.status).to.equal("under_review");
    const twice = await Promise.all(
      [1, 2].map(() => step(dealer(), id, { to: "settled", outcome: "refund_part", amountFen: 20_000, note: "让步" })),
    );
    expect(twice.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(twice.find((r) => r.status === 409)!.json.code).to.equal("DISPUTE.INVALID_TRANSITION");
    const retry = await step(dealer(), id, { to: "settled", outcome: "refund_part", amountFen: 20_000 });
    expect([retry.status, retry.json.code]).to.deep.equal([409, "DISPUTE.INVALID_TRANSITION"]);
    const done = await api.call("GET", `/api/v1/disputes/${id}`, shop());
    expect(done.json).to.include({ status: "settled", outcome: "refund_part", outcomeFen: 20_000, approvalId: null });
    const refunds = await sql(
      "SELECT id, kind, amount_fen::int AS fen, payee_id AS payee, evidence->>'side' AS side FROM refunds WHERE return_id = $1",
      [rma],
    );
    expect(refunds.rows).to.deep.equal([
      { id: done.json.refundId, kind: "dispute", fen: 20_000, payee: api.ids.shop, side: "seller" },
    ]);
    const settledBy = (done.json.timeline as Array<{ kind: string; side: string; ref: string }>).find(
      (t) => t.kind === "dispute_status" && t.ref === "settled",
    );
    expect(settledBy?.side).to.equal("seller");
    // Conceding in full refunds the whole claim (not the most the return allows).
    const other = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 1 });
    await refuse(other);
    const d2 = await dispute(shop(), { returnId: other, reason: "错发型号", claimFen: 15_000 });
    const full = await step(dealer(), d2.json.id as string, { to: "settled", outcome: "refund_full" });
    expect(full.json).to.include({ status: "settled", outcome: "refund_full", outcomeFen: 15_000 });
    // A proposal pending approval is the platform's to settle; the seller cannot concede over it.
    const third = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 1 });
    await refuse(third);
    const d3 = (await dispute(shop(), { returnId: third, reason: "外观破损" })).json.id as string;
    await step(ops[0]!.token, d3, { to: "under_review" });
    await step(ops[0]!.token, d3, { to: "proposed", outcome: "refund_full" });
    const late = await step(dealer(), d3, { to: "settled", outcome: "refund_full" });
    expect([late.status, late.json.code]).to.deep.equal([403, "DISPUTE.NOT_YOUR_STEP"]);
    const { auditTrail } = await import("../../ledger-service/src/index.js");
    await auditTrail.seal(stack.svc.db.sql);
    const audit = await sql(
      "SELECT action, changes->'concededBy'->>'after' AS by FROM audit_log WHERE resource = 'dispute' AND resource_id = $1 ORDER BY seq",
      [id],
    );
    const conceded = audit.rows.filter((r) => r.action === "dispute.concede");
    expect(conceded.map((r) => typeof r.by)).to.deep.equal(["string"]);
  });

  it("opens only for the requester of a refused or partly authorised return, once, with Idempotency-Key", async () => {
    const pending = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 1 });
    const notRefused = await dispute(shop(), { returnId: pending, reason: "卖家不处理" });
    expect([notRefused.status, notRefused.json.code]).to.deep.equal([409, "DISPUTE.NOT_REFUSED"]);
    await refuse(pending);
    expect((await dispute(dealer(), { returnId: pending, reason: "卖家自己" })).json.code).to.equal(
      "DISPUTE.NOT_REQUESTER",
    );
    expect((await dispute(api.keys.farShop!, { returnId: pending, reason: "外人" })).status).to.equal(404);
    const tooMuch = await dispute(shop(), { returnId: pending, reason: "多要", claimFen: 18_001 });
    expect([tooMuch.status, tooMuch.json.code]).to.deep.equal([400, "DISPUTE.CLAIM_TOO_HIGH"]);
    const a = await dispute(shop(), { returnId: pending, reason: "质量问题" }, "dispute-key-0001");
    const b = await dispute(shop(), { returnId: pending, reason: "质量问题" }, "dispute-key-0001");
    expect([a.status, b.status, b.json.id]).to.deep.equal([201, 201, a.json.id]);
    expect((await dispute(shop(), { returnId: pending, reason: "再来一次" })).json.code).to.equal(
      "DISPUTE.ALREADY_OPEN",
    );
    // Partly authorised: only the units refused are in dispute.
    const partial = await requestReturn({ orderId: orderQty, lineNo: 1, quantity: 3 });
    const auth = await api.call("POST", `/api/v1/returns/${partial}/status`, dealer(), {
      to: "partially_authorised",
      quantity: 1,
    });
    expect(auth.status, JSON.stringify(auth.json)).to.equal(200);
    const d = await dispute(shop(), { returnId: partial, reason: "另外两件也有问题" });
    expect(d.json).to.include({ status: "open", maxFen: 36_000 });
  });

  it("settles through two platform people: the proposer cannot approve, the second settles once", async () => {
    const rma = await requestReturn({ orderId: orderSerial, lineNo: 1, part: { gtin, serial: serials[0] } });
    expect((await upload(rma, shop(), PNG, "image/png")).status).to.equal(201);
    await refuse(rma);
    const opened = await dispute(shop(), { returnId: rma, reason: "装车三天异响,见照片" });
    expect(opened.status, JSON.stringify(opened.json)).to.equal(201);
    const id = opened.json.id as string;
    const say = (token: string, body: string) => api.call("POST", `/api/v1/disputes/${id}/messages`, token, { body });
    expect((await say(dealer(), "买家安装不当")).status).to.equal(200);
    expect((await say(shop(), "有安装记录可查")).status).to.equal(200);
    const queue = await api.call("GET", "/api/v1/disputes?status=open", ops[0]!.token);
    expect(queue.json.disputes.map((d: { id: string }) => d.id)).to.include(id);
    expect((await step(ops[0]!.token, id, { to: "under_review" })).json.arbiter).to.equal(ops[0]!.id);
    // A rejected proposal goes back to review; a pending one does not.
    const first = await step(ops[0]!.token, id, { to: "proposed", outcome: "refusal_upheld", note: "证据不足" });
    expect(first.json).to.include({ status: "proposed", approvalStatus: "submitted" });
    expect((await step(ops[0]!.token, id, { to: "under_review" })).json.code).to.equal("DISPUTE.PROPOSAL_PENDING");
    const rejected = await api.call("POST", `/api/v1/approvals/${first.json.approvalId}/reject`, ops[1]!.token, {
      reason: "照片显示裂纹",
    });
    expect(rejected.status, JSON.stringify(rejected.json)).to.equal(200);
    expect((await step(ops[0]!.token, id, { to: "under_review" })).json.status).to.equal("under_review");
    const proposed = await step(ops[0]!.token, id, {
      to: "proposed",
      outcome: "refund_part",
      amountFen: 12_000,
      note: "退一半多",
    });
    expect(proposed.json).to.include({ status: "proposed", approvalStatus: "submitted" });
    const approvalId = proposed.json.approvalId as string;
    const inbox = await api.call("GET", "/api/v1/approvals?status=submitted", ops[1]!.token);
    expect(inbox.json.approvals.map((a: { id: string }) => a.id)).to.include(approvalId);
    expect((await api.call("GET", "/api/v1/approvals", dealer())).json.approvals).to.deep.equal([]);
    const own = await api.call("POST", `/api/v1/approvals/${approvalId}/approve`, ops[0]!.token, {});
    expect([own.status, own.json.code]).to.deep.equal([403, "APPROVAL.SAME_PERSON"]);
    const approvals = await Promise.all(
      [1, 2].map(() => api.call("POST", `/api/v1/approvals/${approvalId}/approve`, ops[1]!.token, {})),
    );
    expect(approvals.map((a) => a.status).sort()).to.deep.equal([200, 409]);
    const retry = await api.call("POST", `/api/v1/approvals/${approvalId}/approve`, ops[1]!.token, {});
    expect([retry.status, retry.json.code]).to.deep.equal([409, "APPROVAL.DECIDED"]);
    const done = await api.call("GET", `/api/v1/disputes/${id}`, shop());
    expect(done.json).to.include({ status: "settled", outcome: "refund_part", outcomeFen: 12_000 });
    expect(done.json.return).to.include({ refusal: "已超过质保期", status: "refused" });
    const refunds = await sql(
      "SELECT kind, amount_fen::int AS fen, payee_id AS payee FROM refunds WHERE return_id = $1",
      [rma],
    );
    expect(refunds.rows).to.deep.equal([{ kind: "dispute", fen: 12_000, payee: api.ids.shop }]);
    // The evidence timeline: the return's history, the serial's ledger events, the photo, the messages, each step.
    const kinds = new Set((done.json.timeline as Array<{ kind: string }>).map((t) => t.kind));
    expect([...kinds].sort()).to.deep.equal(["dispute_status", "ledger", "message", "photo", "return_status"]);
    const ledger = (done.json.timeline as Array<{ kind: string; text: string }>).filter((t) => t.kind === "ledger");
    expect(ledger.map((t) => t.text)).to.deep.equal(["commissioned", "shipped", "received", "shipped", "received"]);
    // Nothing more after settling; the seller sees it too.
    expect((await say(shop(), "谢谢")).json.code).to.equal("DISPUTE.CLOSED");
    expect((await api.call("GET", `/api/v1/disputes/${id}`, dealer())).json.sides).to.deep.equal(["seller"]);
    const { auditTrail } = await import("../../ledger-service/src/index.js");
    await auditTrail.seal(stack.svc.db.sql);
    const audit = await stack.svc.db.sql.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE resource IN ('dispute', 'approval') AND resource_id IN ($1, $2) ORDER BY seq",
      [id, approvalId],
    );
    expect(audit.rows.map((r) => r.action)).to.include.members([
      "dispute.open",
      "dispute.message",
      "dispute.under_review",
      "dispute.proposed",
      "approval.submit",
      "approval.approve",
      "dispute.settled",
    ]);
  });
});
