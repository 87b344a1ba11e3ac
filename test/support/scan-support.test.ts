import type { Server } from "node:http";
import { expect } from "chai";
import { auditTrail } from "../../ledger-service/src/index.js";
import { createApp } from "../../api/src/app.js";
import { OPERATOR, PUBLIC_BASE, startApi } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { supportWorld } from "../helpers/support-world.js";
import { GTIN, openStack, type TestStack } from "../helpers/stack.js";

type Api = Awaited<ReturnType<typeof startApi>>;
type Conversation = {
  id: string;
  key: string;
  status: string;
  duplicate: boolean;
  channel: string;
  contact: string | null;
  handoverReason: string | null;
  part: { gtin: string; serial: string } | null;
  lookups: Array<{ kind: string; ref: string | null; found: boolean }>;
  messages: Array<{ author: string; body: string; intent: string | null }>;
};

/**
 * The support assistant on the public scan page: an anonymous visitor gets policy answers and the page's own verdict,
 * never a company's data; a hand-over with a contact lands in the platform's support queue, masked.
 */
describe("scan page support assistant: POST /api/v1/scan-support/questions (anonymous, no script needed)", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Api;
  let world: Awaited<ReturnType<typeof supportWorld>>;
  let fields: Record<string, string>;
  const unescape = (v: string) => v.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
  const post = (body: Record<string, string>, accept = "application/json", headers: Record<string, string> = {}) =>
    fetch(`${api.origin}/api/v1/scan-support/questions?lang=zh`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept, ...headers },
      body: new URLSearchParams(body).toString(),
    });
  const ask = async (body: Record<string, string>, status = 201) => {
    const r = await post(body);
    const json = (await r.json()) as Conversation;
    expect(r.status, JSON.stringify(json)).to.equal(status);
    return json;
  };
  const reply = (c: Conversation) => c.messages.filter((m) => m.author !== "user").at(-1)!.body;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    world = await supportWorld(api, stack);
    const page = await fetch(`${api.origin}/01/${GTIN}/21/${world.ownPart.serial}?10=L-SUPPORT`, {
      headers: { accept: "text/html" },
    });
    expect(page.headers.get("content-security-policy")).to.contain("form-action 'self'");
    const html = await page.text();
    const form = /<form id="chat"[\s\S]*?<\/form>/.exec(html)?.[0];
    expect(form, "the scan page carries the assistant's form").to.be.a("string");
    expect(form).to.contain('action="/api/v1/scan-support/questions?lang=zh"');
    fields = {};
    for (const [, name, value] of form!.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g))
      fields[name!] = unescape(value!);
    expect(fields).to.include({ gtin: GTIN, serial: world.ownPart.serial, lot: "L-SUPPORT" });
    expect(fields.page).to.match(/^[0-9a-f]{32}$/);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("answers a policy question from the knowledge base, as a page for a browser without script", async () => {
    const r = await post({ ...fields, text: "这个件质保多久啊" }, "text/html");
    expect(r.status).to.equal(201);
    expect(r.headers.get("content-security-policy")).to.contain("form-action 'self'");
    const html = await r.text();
    expect(html).to.contain("质保与保修").and.to.contain("1 年或 2 万公里");
    // the answer page carries the conversation on: its id and key in the next form
    expect(html).to.match(/name="conversation" value="sc_[0-9a-f]{16}"/);
    expect(html).to.match(/name="key" value="[0-9a-f]{32}"/);
  });

  it("answers a question about this part from the verdict the page showed, and only about this part", async () => {
    const c = await ask({ ...fields, text: "这个件是正品吗" });
    expect(c.channel).to.equal("scan");
    expect(c.part).to.deep.equal({ gtin: GTIN, serial: world.ownPart.serial });
    expect(reply(c)).to.contain(world.ownPart.serial).and.to.contain("扫码结果");
    expect(c.lookups.at(-1)).to.include({ kind: "verdict", ref: `${GTIN}/${world.ownPart.serial}`, found: true });
    const other = await ask({ ...fields, conversation: c.id, key: c.key, text: world.fill("{FOREIGN_LINK} 真的假的") });
    expect(reply(other)).to.contain("只能回答本页这个配件");
    // what the visitor typed is theirs; nothing the assistant said names the other part
    for (const s of world.secrets) expect(reply(other)).to.not.contain(s);
    expect(other.lookups.map((l) => l.ref)).to.not.include(`${GTIN}/${world.foreignPart.serial}`);
  });

  it("a question naming another company's order number reveals nothing of it", async () => {
    const c = await ask({ ...fields, text: `订单 ${world.foreignOrder} 发货了吗 到哪了` });
    expect(reply(c)).to.contain("扫码页不能查询订单");
    expect(c.lookups).to.deep.equal([]);
    const again = await ask({ ...fields, conversation: c.id, key: c.key, text: `${world.order} 物流单号多少` });
    for (const s of [...world.secrets, "SF1234567890"]) expect(JSON.stringify(again)).to.not.contain(s);
    // two answers it could not give: to a person — who needs a contact first
    expect(again.handoverReason).to.equal("failed_twice");
    expect(again.status).to.equal("bot");
    expect(reply(again)).to.contain("留下手机号或邮箱");
  });

  it("hands over with a contact: the queue shows part, question and contact masked; encrypted at rest", async () => {
    const first = await ask({ ...fields, text: "转人工，我的电话 13812345678", handover: "1" });
    expect(first.status).to.equal("bot"); // no contact field filled: asked for one
    expect(reply(first)).to.contain("留下手机号或邮箱");
    expect(first.messages[0]!.body).to.contain("138****5678").and.not.contain("13812345678");
    const handed = await ask({
      ...fields,
      conversation: first.id,
      key: first.key,
      contact: "138 1234 5678",
      handover: "1",
    });
    expect(handed).to.include({ status: "waiting", handoverReason: "asked", contact: "138****5678" });
    const agent = world.agent;
    const queue = (await api.call("GET", "/api/v1/support/queue", agent)).json.conversations as Conversation[];
    const q = queue.find((x) => x.id === first.id)!;
    expect(q).to.include({ channel: "scan", contact: "138****5678", companyId: null });
    expect(q.part).to.deep.equal({ gtin: GTIN, serial: world.ownPart.serial });
    expect(q.messages[0]!.body).to.contain("转人工");
    expect(JSON.stringify(q)).to.not.contain("13812345678");
    const { rows } = await stack.svc.db.sql.query<{ contact_ct: Uint8Array }>(
      "SELECT contact_ct FROM support_conversations WHERE id = $1",
      [first.id],
    );
    expect(Buffer.from(rows[0]!.contact_ct).toString("latin1")).to.not.contain("13812345678");
    // only the agent who claimed it may see the whole contact, to answer the visitor (audited)
    const reveal = () => api.call("POST", `/api/v1/support/queue/${first.id}/reveal-contact`, agent, {});
    expect((await reveal()).status).to.equal(409);
    expect((await api.call("POST", `/api/v1/support/queue/${first.id}/claim`, agent, {})).json.status).to.equal(
      "claimed",
    );
    expect((await reveal()).json).to.deep.equal({ id: first.id, contact: "13812345678" });
    await auditTrail.seal(stack.svc.db.sql);
    const audited = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.reveal' AND resource_id = $1",
      [first.id],
    );
    expect(audited.rows[0]!.n).to.equal(1);
    // a visitor's conversation is nobody's in the console
    const asShop = await api.call("GET", `/api/v1/support/conversations/${first.id}`, world.asker);
    expect(asShop.status).to.equal(404);
  });

  it("a question with a contact that the assistant is unsure of goes straight to the queue", async () => {
    const c = await ask({ ...fields, text: "阿巴阿巴 嗯嗯", contact: "Li.Ming@Example.cn" });
    expect(c).to.include({ status: "waiting", handoverReason: "low_confidence", contact: "l***@example.cn" });
  });

  it("the same post sent twice (a reload, a retry) is answered once", async () => {
    const body = { ...fields, text: "退货运费谁出" };
    const one = await ask(body);
    const two = await ask(body, 200);
    expect(two.id).to.equal(one.id);
    expect(two.duplicate).to.equal(true);
    expect(two.messages).to.have.length(one.messages.length);
    const keyed = { "idempotency-key": "scan-q-0001" };
    const [a, b] = await Promise.all([
      post({ ...body, text: "发票怎么开" }, undefined, keyed),
      post({ ...body, text: "发票怎么开" }, undefined, keyed),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 201]);
    const { rows } = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM support_messages WHERE body = '发票怎么开'",
    );
    expect(rows[0]!.n).to.equal(1);
  });

  it("bad input: a clear 4xx naming the field, a page for a browser", async () => {
    const forged = await post({ ...fields, verdict: "GENUINE", text: "是正品吗" });
    expect(forged.status).to.equal(400);
    expect(((await forged.json()) as { code: string }).code).to.equal("SUPPORT.PAGE_EXPIRED");
    const empty = await post({ ...fields, text: "" });
    expect(empty.status).to.equal(400);
    expect(((await empty.json()) as { detail: string }).detail).to.contain("body.text");
    const contact = await post({ ...fields, text: "转人工", contact: "not a phone" }, "text/html");
    expect(contact.status).to.equal(400);
    expect(await contact.text()).to.contain('data-field="contact"');
    const c = await ask({ ...fields, text: "你好" });
    const badKey = await post({ ...fields, conversation: c.id, key: "0".repeat(32), text: "还在吗" });
    expect(badKey.status).to.equal(400);
    const extra = await post({ ...fields, text: "你好", companyId: "c_1" });
    expect(extra.status).to.equal(400);
  });

  it("is rate-limited per client like counterfeit reports", async () => {
    const app = createApp({
      ledger: stack.svc,
      chainUrl: shared.chainUrl,
      operatorToken: OPERATOR,
      publicBaseUrl: PUBLIC_BASE,
      supportRatePerMinute: 2,
      webhooks: { intervalMs: 0 },
      transferCheckMs: 0,
    });
    const server: Server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/scan-support/questions`;
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          (
            await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json", accept: "application/json" },
              body: JSON.stringify({ ...fields, text: `运费怎么算 ${i}` }),
            })
          ).status,
        );
      expect(statuses).to.deep.equal([201, 201, 429]);
    } finally {
      server.close();
      await (app.locals.shutdown as () => Promise<void>)();
    }
  });
});
