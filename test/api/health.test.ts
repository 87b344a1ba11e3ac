import { createServer, type Server } from "node:http";
import { expect } from "chai";
import type { WebhooksService } from "../../api/src/modules/webhooks/webhooks.service.js";
import { Stage } from "../../ledger-service/src/index.js";
import { startAnvil } from "../helpers/anvil-chain.js";
import { OPERATOR, startApi } from "../helpers/app.js";
import { shared } from "../helpers/shared.js";
import { newParts, openStack, PLACE, type TestStack } from "../helpers/stack.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Reason = {
  code: string;
  component: string;
  since: string;
  lagSeconds: number;
  behind: Record<string, any>;
  lastError?: string;
};
const reasonOf = (body: Record<string, any>, code: string) => (body.reasons as Reason[]).find((r) => r.code === code);

/** Issue 18 item 7 and issue 19: /health says "degraded" — with what is behind and since when — whenever work lags. */
describe("health: degraded with reasons when anchoring, lifecycle writes, webhooks or audit checkpoints lag", function () {
  this.timeout(180_000);

  describe("on a chain that stops", () => {
    it("reports anchoring and lifecycle writes behind since the first waiting event, and the chain down, without its URL", async () => {
      const anvil = await startAnvil();
      let stack: TestStack | undefined;
      let api: Awaited<ReturnType<typeof startApi>> | undefined;
      try {
        stack = await openStack({
          chainUrl: anvil.url,
          makerMode: "onchain",
          env: { HEALTH_ANCHOR_LAG_MS: "1000", HEALTH_LIFECYCLE_LAG_MS: "1000", AUDIT_CHECKPOINT_MS: "3600000" },
        });
        api = await startApi(stack);
        await stack.svc.worker.runUntilFinal(60_000);
        expect((await api.call("GET", "/api/v1/health", null)).json.chain.status).to.equal("up");

        await anvil.stop(); // the chain goes away: nothing more can be anchored or written
        const before = Date.now();
        await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: newParts(4), place: PLACE });
        const tick = await stack.svc.worker.tick();
        expect(tick.chainError).to.be.a("string");
        await sleep(1300);
        const r = await api.call("GET", "/api/v1/health", null);
        expect(r.status).to.equal(200);
        expect(r.json.status, JSON.stringify(r.json)).to.equal("degraded");
        const anchoring = reasonOf(r.json, "ANCHORING.LAG")!;
        expect(anchoring.behind).to.deep.include({ events: 4, batches: 1 });
        expect(Date.parse(anchoring.since)).to.be.within(before - 1000, before + 1000);
        expect(anchoring.lagSeconds).to.be.at.least(1);
        const lifecycle = reasonOf(r.json, "LIFECYCLE.LAG")!;
        expect(lifecycle.behind.writes).to.equal(1);
        expect(Date.parse(lifecycle.since)).to.be.within(before - 1000, before + 1000);
        const down = reasonOf(r.json, "CHAIN.DOWN")!;
        expect(r.json.chain.status).to.equal("down");
        expect(Date.parse(down.since)).to.be.at.most(Date.now());
        const text = JSON.stringify(r.json);
        expect(down.lastError ?? "").to.equal("");
        expect(r.json.chain.detail).to.include("<endpoint>");
        expect(text).to.not.include(anvil.url.replace("http://", ""));
        expect(text).to.not.include(shared.chainUrl.replace("http://", ""));
      } finally {
        await api?.stop();
        await stack?.close();
        await anvil.stop();
      }
    });
  });

  describe("on the shared chain", () => {
    let stack: TestStack;
    let api: Awaited<ReturnType<typeof startApi>>;
    before(async () => {
      stack = await openStack({
        makerMode: "onchain",
        othersMode: "anchored",
        env: {
          AUDIT_CHECKPOINT_MS: "400",
          WORKER_INTERVAL_MS: "100",
          HEALTH_CHECKPOINT_LAG_FACTOR: "3",
          HEALTH_WEBHOOK_LAG_MS: "1000",
        },
      });
      api = await startApi(
        stack,
        10_000,
        {},
        {
          webhooks: {
            retryBaseMs: 60_000,
            maxAttempts: 3,
            timeoutMs: 2_000,
            intervalMs: 0,
            allowCidrs: ["127.0.0.0/8"],
          },
        },
      );
    });
    after(async () => {
      await api?.stop();
      await stack?.close();
    });

    it("answers ok with nothing behind, at /api/v1/health and /health, and GET / says where things are", async () => {
      await stack.svc.checkpointAuditTrail();
      await stack.svc.worker.runUntilFinal();
      const r = await api.call("GET", "/api/v1/health", null);
      expect(r.json, JSON.stringify(r.json)).to.deep.include({ status: "ok", reasons: [] });
      expect(r.json.chain).to.include({ status: "up", chainId: 31337 });
      expect(r.json.chain).to.not.have.property("url");
      expect(JSON.stringify(r.json)).to.not.include(shared.chainUrl.replace("http://", ""));
      const short = await api.call("GET", "/health", null);
      expect([short.status, short.json.status]).to.deep.equal([200, "ok"]);
      const index = await api.call("GET", "/", null);
      expect(index.status).to.equal(200);
      expect(index.json).to.include({
        health: "/api/v1/health",
        docs: "/api/v1/docs",
        openapi: "/api/v1/openapi.json",
      });
    });

    it("reports audit entries not checkpointed for longer than N × AUDIT_CHECKPOINT_MS, and clears once checkpointed", async () => {
      // The worker is not running (as if stopped): nothing checkpoints the new entry.
      const before = Date.now();
      const u = await api.call("POST", "/api/v1/users", api.keys.maker!, {
        name: "孙九",
        email: "sun@maker.cn",
        password: "correct horse battery",
      });
      expect(u.status).to.equal(201);
      await sleep(1400);
      const r = await api.call("GET", "/api/v1/health", null);
      const lag = reasonOf(r.json, "AUDIT.CHECKPOINT_LAG")!;
      expect(lag, JSON.stringify(r.json)).to.not.equal(undefined);
      expect(lag.behind.entries).to.be.at.least(1);
      expect(Date.parse(lag.since)).to.be.within(before - 1000, before + 1000);
      await stack.svc.worker.tick(); // a tick checkpoints the head (AUDIT_CHECKPOINT_MS has passed)
      const after = await api.call("GET", "/api/v1/health", null);
      expect(reasonOf(after.json, "AUDIT.CHECKPOINT_LAG"), JSON.stringify(after.json)).to.equal(undefined);
    });

    it("reports webhook deliveries that cannot be made, with the oldest undelivered event and the last error", async () => {
      const down: Server = createServer((_req, res) => res.writeHead(503).end());
      down.listen(0, "127.0.0.1");
      await new Promise((r) => down.once("listening", r));
      try {
        const url = `http://127.0.0.1:${(down.address() as { port: number }).port}/erp`;
        const sub = await api.call("POST", "/api/v1/webhooks", api.keys.maker!, { url, events: ["order.*"] });
        expect(sub.status, JSON.stringify(sub.json)).to.equal(201);
        const hooks = (api.app.locals.services as { webhooks: WebhooksService }).webhooks;
        const before = Date.now();
        await stack.svc.db.sql.transaction((tx) =>
          hooks.emit(tx, "order.created", [api.ids.maker!], { orderId: "o_health" }),
        );
        expect(await hooks.tick()).to.equal(1); // tried once, answered 503, retried in a minute
        await sleep(1200);
        const r = await api.call("GET", "/api/v1/health", null);
        const lag = reasonOf(r.json, "WEBHOOKS.LAG")!;
        expect(lag, JSON.stringify(r.json)).to.not.equal(undefined);
        expect(lag.behind).to.deep.equal({ deliveries: 1 });
        expect(lag.lastError).to.include("503");
        expect(lag.lastError).to.not.include(url);
        expect(Date.parse(lag.since)).to.be.within(before - 1000, before + 1000);
      } finally {
        down.close();
      }
    });

    it("reports failing PartRegistry writes with their last error, and the whole-ledger audit is not ok", async () => {
      const parts = newParts(2);
      await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      const refs = parts.map(({ gtin, serial }) => ({ gtin, serial }));
      await stack.svc.ledger.append({
        actorId: "maker",
        step: Stage.Shipped,
        parts: refs,
        place: PLACE,
        shipTo: "dealer",
      });
      await stack.svc.worker.runUntilFinal();
      // The distributor loses its role on chain: its receipt is on the ledger, PartRegistry refuses the write.
      const chain = await stack.svc.chain.get();
      const role = await chain.partRegistry.getFunction("DISTRIBUTOR_ROLE")();
      await (await chain.partRegistry.getFunction("revokeRole")(role, stack.dealer.address)).wait();
      const appended = await stack.svc.ledger.append({
        actorId: "dealer",
        step: Stage.Received,
        parts: parts.map(({ gtin, serial }) => ({ gtin, serial })),
        place: PLACE,
      });
      for (let i = 0; i < 3; i++) await stack.svc.worker.tick();
      const r = await api.call("GET", "/api/v1/health", null);
      expect(r.json.status).to.equal("degraded");
      const failing = reasonOf(r.json, "LIFECYCLE.FAILING")!;
      expect(failing, JSON.stringify(r.json)).to.not.equal(undefined);
      expect(failing.behind).to.include({ writes: 1, failing: 1 });
      expect(failing.lastError).to.be.a("string").and.not.equal("");
      const audit = await api.call("GET", "/api/v1/ledger/audit", OPERATOR);
      expect(audit.json.ok, JSON.stringify(audit.json)).to.equal(false);
      expect(audit.json.failure.seq).to.equal(appended.firstSeq);
      expect(audit.json.failure.reason).to.include("on-chain lifecycle writes are failing");
    });
  });
});
