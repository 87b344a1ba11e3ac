import { expect } from "chai";
import { readFileSync } from "node:fs";
import { startApi } from "../helpers/app.js";
import { ARTICLES, supportWorld } from "../helpers/support-world.js";
import { VIN, openStack, type TestStack } from "../helpers/stack.js";

type Api = Awaited<ReturnType<typeof startApi>>;

describe("support assistant: answers from my own data and the knowledge base, hands over to a person", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Api;
  let shop: string;
  let agent: string;
  let mine: string;
  let foreign: string;
  let world: Awaited<ReturnType<typeof supportWorld>>;
  const ask = async (token: string, conv: string, text: string) => {
    const r = await api.call("POST", `/api/v1/support/conversations/${conv}/messages`, token, { text });
    expect(r.status, JSON.stringify(r.json)).to.equal(200);
    return r.json;
  };
  const lastReply = (c: Record<string, any>) =>
    (c.messages as Array<{ author: string; body: string }>).filter((m) => m.author !== "user").at(-1)!.body;

  before(async () => {
    stack = await openStack();
    api = await startApi(stack);
    world = await supportWorld(api, stack);
    shop = world.asker;
    agent = world.agent;
    mine = world.order;
    foreign = world.foreignOrder;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("knowledge base: the platform's support agents edit it, a company user may not", async () => {
    expect((await api.call("POST", "/api/v1/support/articles", shop, ARTICLES[1])).status).to.equal(403);
    const created = await api.call("POST", "/api/v1/support/articles", agent, {
      title: "临时",
      body: "草稿",
      published: false,
    });
    expect(created.status).to.equal(201);
    const put = await api.call("PUT", `/api/v1/support/articles/${created.json.id}`, agent, {
      title: "营业时间",
      body: "客服工作时间 9:00-21:00",
      keywords: ["营业时间"],
    });
    expect(put.json.title).to.equal("营业时间");
    expect(put.json.published).to.equal(true);
    expect((await api.call("DELETE", `/api/v1/support/articles/${created.json.id}`, agent)).json.deleted).to.equal(
      true,
    );
    expect((await api.call("GET", `/api/v1/support/articles/${created.json.id}`, agent)).status).to.equal(404);
    expect((await api.call("GET", "/api/v1/support/articles", agent)).json.articles).to.have.length(ARTICLES.length);
  });

  it("answers my order's delivery with its tracking number, and never another company's order", async () => {
    const c = (await api.call("POST", "/api/v1/support/conversations", shop, { text: `我的订单${mine}到哪了` })).json;
    expect(c.messages[0].intent).to.equal("delivery");
    expect(lastReply(c)).to.contain("SF1234567890");
    const leak = await ask(shop, c.id, `${foreign} 这个单子发货了吗`);
    expect(lastReply(leak)).to.not.contain("SF9999999999");
    expect(lastReply(leak)).to.contain("没有在您公司的订单里找到");
    expect(leak.lookups.at(-1)).to.include({ kind: "order", ref: foreign, found: false });
    expect(leak.status).to.equal("bot");
    expect(leak.failures).to.equal(1);
  });

  it("answers a part in my company's custody from the ledger, and nothing of a part that never passed through it", async () => {
    const own = (
      await api.call("POST", "/api/v1/support/conversations", shop, { text: world.fill("这个件是正品吗 {LINK}") })
    ).json;
    expect(own.messages[0].intent).to.equal("verify_part");
    expect(lastReply(own)).to.contain(world.ownPart.serial).and.to.contain("在您公司名下");
    const other = (
      await api.call("POST", "/api/v1/support/conversations", shop, { text: world.fill("{FOREIGN_LINK} 真的假的") })
    ).json;
    expect(lastReply(other)).to.contain("您公司的流转记录里没有这个件");
    expect(other.lookups[0]).to.include({ kind: "part", found: false });
  });

  it("hands over after two failed answers, passing the whole conversation and its lookups to the queue", async () => {
    let c = (await api.call("POST", "/api/v1/support/conversations", shop, { text: `订单 ${foreign} 状态` })).json;
    expect(c.failures).to.equal(1);
    c = await ask(shop, c.id, `那 ${foreign} 呢 到哪了`);
    expect(c.status).to.equal("waiting");
    expect(c.handoverReason).to.equal("failed_twice");
    const queue = (await api.call("GET", "/api/v1/support/queue", agent)).json.conversations;
    const q = queue.find((x: { id: string }) => x.id === c.id);
    expect(q.messages.filter((m: { author: string }) => m.author === "user")).to.have.length(2);
    expect(q.lookups).to.have.length(2);
  });

  it("hands over when asked (转人工); an agent claims and replies; the user sees the reply; masked throughout", async () => {
    let c = (await api.call("POST", "/api/v1/support/conversations", shop, { text: "你好" })).json;
    expect(c.status).to.equal("bot");
    c = await ask(shop, c.id, `转人工 我电话 13812345678 车架号 ${VIN}`);
    expect(c.status).to.equal("waiting");
    expect(c.handoverReason).to.equal("asked");
    const stored = c.messages.find((m: { body: string }) => m.body.startsWith("转人工")).body;
    expect(stored).to.contain("138****5678");
    expect(stored).to.not.contain("13812345678");
    expect(stored).to.not.contain(VIN);
    expect((await api.call("POST", `/api/v1/support/queue/${c.id}/reply`, agent, { text: "您好" })).status).to.equal(
      409,
    );
    expect((await api.call("POST", `/api/v1/support/queue/${c.id}/claim`, agent, {})).json.status).to.equal("claimed");
    expect((await api.call("POST", `/api/v1/support/queue/${c.id}/claim`, agent, {})).status).to.equal(409);
    const replied = await api.call("POST", `/api/v1/support/queue/${c.id}/reply`, agent, {
      text: "您好，我是客服小王，请问车辆什么问题？",
    });
    expect(replied.status, JSON.stringify(replied.json)).to.equal(200);
    const seen = (await api.call("GET", `/api/v1/support/conversations/${c.id}`, shop)).json;
    expect(seen.messages.at(-1)).to.include({ author: "agent" });
    // while a person has it, the assistant stays silent
    const after = await ask(shop, c.id, "刹车片异响");
    expect(after.messages.at(-1).author).to.equal("user");
    expect((await api.call("POST", `/api/v1/support/queue/${c.id}/close`, agent, {})).json.status).to.equal("closed");
    // another user of the same company, and another company, cannot read it
    const colleague = (await api.userWithRoles("shop", ["buyer"])).token;
    expect((await api.call("GET", `/api/v1/support/conversations/${c.id}`, colleague)).status).to.equal(404);
    expect((await api.call("GET", `/api/v1/support/conversations/${c.id}`, api.keys.farShop!)).status).to.equal(404);
  });

  it("answers policy questions from the knowledge base; hands over when it cannot tell what is asked", async () => {
    const c = (await api.call("POST", "/api/v1/support/conversations", shop, { text: "能开专票吗" })).json;
    expect(lastReply(c)).to.contain("发票怎么开");
    const r = (await api.call("POST", "/api/v1/support/conversations", shop, { text: "签收了不想要了能退不" })).json;
    expect(lastReply(r)).to.contain("退货政策");
    const odd = (await api.call("POST", "/api/v1/support/conversations", shop, { text: "今天天气怎么样" })).json;
    expect(odd.status).to.equal("waiting");
    expect(odd.handoverReason).to.equal("low_confidence");
  });

  it("classifies a subset of the labelled questions through the API as labelled", async () => {
    const lines = readFileSync(new URL("../fixtures/support-questions.jsonl", import.meta.url), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { text: string; intent: string; handover: boolean; leak?: string });
    const subset = lines.filter((_, i) => i % 10 === 0);
    expect(subset.length).to.be.greaterThan(20);
    let right = 0;
    for (const q of subset) {
      const text = world.fill(q.text);
      const c = (await api.call("POST", "/api/v1/support/conversations", shop, { text })).json;
      if (c.messages[0].intent === q.intent) right++;
      if (q.handover) expect(c.status, text).to.equal("waiting");
      for (const m of c.messages.filter((x: { author: string }) => x.author !== "user"))
        for (const secret of world.secrets) expect(m.body, text).to.not.contain(secret);
    }
    expect(right / subset.length).to.be.at.least(0.85);
  });
});
