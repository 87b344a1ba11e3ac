import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { expect } from "chai";
import type { WebhooksService } from "../../api/src/modules/webhooks/webhooks.service.js";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

interface Received {
  eventId: string;
  type: string;
  signature: string;
  body: string;
}

/** A receiver on port 0 that answers each request with the next status of `plan` (then 200). */
async function receiver(plan: number[] = []) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({
        eventId: String(req.headers["partledger-event-id"]),
        type: String(req.headers["partledger-event-type"]),
        signature: String(req.headers["partledger-signature"]),
        body,
      });
      res.writeHead(plan.shift() ?? 200).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`,
    close: () => server.close(),
  };
}

const verify = (secret: string, r: Received) => {
  const [t, v1] = r.signature.split(",").map((x) => x.split("=")[1]!);
  return createHmac("sha256", secret).update(`${t}.${r.body}`).digest("hex") === v1;
};

describe("webhooks: signed, retried with backoff, at least once, inspectable", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let hooks: WebhooksService;
  const until = async (cond: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 200; i++) {
      await hooks.tick();
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  before(async () => {
    stack = await openStack();
    api = await startApi(
      stack,
      10_000,
      {},
      { webhooks: { retryBaseMs: 40, maxAttempts: 3, timeoutMs: 2_000, intervalMs: 0, allowCidrs: ["127.0.0.0/8"] } },
    );
    hooks = (api.app.locals.services as { webhooks: WebhooksService }).webhooks;
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("refuses URLs that are not http(s) and event names it does not know", async () => {
    for (const url of ["ftp://example.cn/hook", "not a url", "javascript:alert(1)", "https://user:pw@example.cn/h"]) {
      const r = await api.call("POST", "/api/v1/webhooks", api.keys.shop!, { url, events: ["order.*"] });
      expect([r.status, r.json.code, r.json.field], url).to.deep.equal([400, "WEBHOOK.INVALID_URL", "url"]);
    }
    const bad = await api.call("POST", "/api/v1/webhooks", api.keys.shop!, {
      url: "https://example.cn/h",
      events: ["Order Created"],
    });
    expect([bad.status, bad.json.field]).to.deep.equal([400, "events.0"]);
  });

  it("delivers order and stock events signed with the subscriber's secret, retrying failures with backoff", async () => {
    const shopSide = await receiver([500, 503]); // the first two tries fail
    const dealerSide = await receiver();
    try {
      const sub = await api.call("POST", "/api/v1/webhooks", api.keys.shop!, {
        url: shopSide.url,
        events: ["order.*"],
      });
      expect(sub.status).to.equal(201);
      expect(sub.json.secret).to.match(/^whsec_/);
      expect((await api.call("GET", "/api/v1/webhooks", api.keys.shop!)).json.webhooks[0]).to.not.have.property(
        "secret",
      );
      const dealerSub = await api.call("POST", "/api/v1/webhooks", api.keys.dealer!, {
        url: dealerSide.url,
        events: ["stock.changed"],
      });

      // Stock and an order, through the API.
      const imp = await fetch(`${api.origin}/api/v1/catalog/imports/skus`, {
        method: "POST",
        headers: { "content-type": "text/csv", authorization: `Bearer ${api.keys.maker}` },
        body: "brand,partNo,name,partType,kind\nbosch,0 986 494 200,前刹车片,brake_pad,aftermarket\n",
      }).then((r) => r.json());
      expect(imp.rowsOk).to.equal(1);
      const skuId = (await api.call("GET", "/api/v1/catalog/search?q=0986494200", api.keys.shop!)).json.results[0].id;
      const loc = (
        await api.call("POST", "/api/v1/suppliers/locations", api.keys.dealer!, {
          code: "WH-1",
          name: "一号仓",
          regionCode: "330106",
          location: { lng: 120.14, lat: 30.265 },
        })
      ).json.id;
      await api.call("PATCH", `/api/v1/inventory/warehouses/${loc}`, api.keys.dealer!, { shared: true });
      await api.call("POST", "/api/v1/inventory/movements", api.keys.dealer!, {
        locationId: loc,
        skuId,
        reason: "receipt",
        quantity: 10,
      });
      await api.call("PATCH", "/api/v1/inventory/stock", api.keys.dealer!, {
        locationId: loc,
        skuId,
        shared: true,
        price: 120,
      });
      const order = await api.call("POST", "/api/v1/orders", api.keys.shop!, { lines: [{ skuId, quantity: 2 }] });
      expect(order.status).to.equal(201);

      await until(
        () => dealerSide.got.length === 1 && shopSide.got.length === 3,
        "the stock event, and the order event on its third try",
      );
      expect(dealerSide.got[0]!.type).to.equal("stock.changed");
      expect(verify(dealerSub.json.secret, dealerSide.got[0]!)).to.equal(true);
      expect(JSON.parse(dealerSide.got[0]!.body).data).to.include({ onHand: 10, reason: "receipt" });
      // The same event, three times (two failures), each signed; the receiver dedupes on the event id.
      expect(new Set(shopSide.got.map((g) => g.eventId)).size).to.equal(1);
      expect(shopSide.got.every((g) => g.type === "order.created" && verify(sub.json.secret, g))).to.equal(true);
      expect(verify("whsec_wrong", shopSide.got[2]!)).to.equal(false);
      expect(JSON.parse(shopSide.got[2]!.body).data).to.include({ id: order.json.id, status: "allocated" });
      const deliveries = (await api.call("GET", `/api/v1/webhooks/${sub.json.id}/deliveries`, api.keys.shop!)).json
        .deliveries;
      expect(deliveries[0]).to.include({ type: "order.created", status: "delivered", attempts: 3, lastStatus: 200 });
      // Another company cannot read them.
      expect((await api.call("GET", `/api/v1/webhooks/${sub.json.id}/deliveries`, api.keys.farShop!)).status).to.equal(
        404,
      );

      // A receiver that never answers 2xx: failed after the last attempt, with its last status kept.
      const down = await receiver([500, 500, 500, 500]);
      try {
        const sub2 = await api.call("POST", "/api/v1/webhooks", api.keys.shop!, {
          url: down.url,
          events: ["order.cancelled"],
        });
        await api.call("POST", `/api/v1/orders/${order.json.id}/cancel`, api.keys.shop!, {});
        const failed = async () =>
          (await api.call("GET", `/api/v1/webhooks/${sub2.json.id}/deliveries`, api.keys.shop!)).json.deliveries[0]
            ?.status === "failed";
        await until(failed, "the delivery to fail for good");
        const d = (await api.call("GET", `/api/v1/webhooks/${sub2.json.id}/deliveries`, api.keys.shop!)).json
          .deliveries[0];
        expect(d).to.include({
          type: "order.cancelled",
          status: "failed",
          attempts: 3,
          lastStatus: 500,
          lastError: "HTTP 500",
        });
        expect(down.got.length).to.equal(3);
      } finally {
        down.close();
      }
    } finally {
      shopSide.close();
      dealerSide.close();
    }
  });
});
