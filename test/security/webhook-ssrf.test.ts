import { createServer, type Server } from "node:http";
import { expect } from "chai";
import { systemResolve } from "../../api/src/modules/webhooks/webhook-target.js";
import { WebhooksService } from "../../api/src/modules/webhooks/webhooks.service.js";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** Issue 19, item 7: webhooks reach public addresses only, checked at subscription and again at delivery. */
describe("webhooks refuse internal targets (SSRF), at subscription and after resolution at delivery", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let receiver: Server;
  let port: number;
  const got: string[] = [];
  // A resolver the test controls: names under .example answer what `dns` says, in turn (DNS rebinding).
  const dns = new Map<string, string[]>();
  const resolve = async (host: string) => {
    if (!host.endsWith(".example")) return systemResolve(host);
    const seq = dns.get(host);
    if (!seq) throw Object.assign(new Error(`no such host ${host}`), { code: "ENOTFOUND" });
    return [seq.length > 1 ? seq.shift()! : seq[0]!];
  };
  const webhookOpts = { retryBaseMs: 40, maxAttempts: 3, timeoutMs: 2_000, resolve };

  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, {}, { webhooks: { ...webhookOpts, intervalMs: 0 } });
    receiver = createServer((req, res) => {
      got.push(`${req.headers.host} ${req.url}`);
      res.writeHead(200).end();
    });
    receiver.listen(0, "127.0.0.1");
    await new Promise((r) => receiver.once("listening", r));
    port = (receiver.address() as { port: number }).port;
  });
  after(async () => {
    receiver?.close();
    await api?.stop();
    await stack?.close();
  });

  const subscribe = (url: string) => api.call("POST", "/api/v1/webhooks", api.keys.shop!, { url, events: ["stock.*"] });
  const hooks = () => (api.app.locals.services as { webhooks: WebhooksService }).webhooks;
  const emit = (service = hooks()) =>
    stack.svc.db.sql.transaction((tx) => service.emit(tx, "stock.changed", [api.ids.shop!], { sku: 1 }));

  it("refuses every internal address class at subscription, in every spelling", async () => {
    dns.set("erp.corp.example", ["10.8.0.12"]);
    dns.set("metadata.example", ["169.254.169.254"]);
    const cases: Array<[string, string]> = [
      ["http://127.0.0.1/h", "loopback"],
      ["http://127.9.9.9:8080/h", "loopback"],
      ["http://[::1]/h", "loopback"],
      ["http://localhost/h", "loopback"], // through the system resolver
      ["http://10.0.0.5/h", "private"],
      ["http://172.16.3.4/h", "private"],
      ["http://172.31.255.1/h", "private"],
      ["http://192.168.1.1/h", "private"],
      ["http://[fc00::1]/h", "uniqueLocal"],
      ["http://[fd12:3456::1]/h", "uniqueLocal"],
      ["http://169.254.169.254/latest/meta-data/", "linkLocal"],
      ["http://[fe80::1]/h", "linkLocal"],
      ["http://100.100.100.200/latest/meta-data/", "carrierGradeNat"], // Alibaba Cloud's metadata service
      ["http://100.64.0.1/h", "carrierGradeNat"],
      ["http://0.0.0.0/h", "unspecified"],
      ["http://[::]/h", "unspecified"],
      ["http://[::ffff:127.0.0.1]/h", "IPv4-mapped loopback"],
      ["http://[::ffff:a9fe:a9fe]/h", "IPv4-mapped linkLocal"],
      ["http://[64:ff9b::a00:1]/h", "rfc6052"],
      ["http://2130706433/h", "loopback"], // decimal integer host
      ["http://0x7f000001/h", "loopback"], // hex
      ["http://017700000001/h", "loopback"], // octal
      ["http://0177.0.0.1/h", "loopback"],
      ["http://0xa9.254.169.254/h", "linkLocal"],
      ["http://erp.corp.example/h", "private"], // a name that resolves inward
      ["http://metadata.example/h", "linkLocal"],
    ];
    for (const [url, range] of cases) {
      const r = await subscribe(url);
      expect([r.status, r.json.code, r.json.field, r.json.range], url).to.deep.equal([
        400,
        "WEBHOOK.FORBIDDEN_TARGET",
        "url",
        range,
      ]);
    }
    const unknown = await subscribe("http://nowhere.example/h");
    expect([unknown.status, unknown.json.code]).to.deep.equal([400, "WEBHOOK.UNRESOLVABLE"]);
    const { rows } = await stack.svc.db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_subscriptions",
    );
    expect(rows[0]!.n).to.equal(0);
    // A public address is accepted.
    dns.set("hooks.partner.example", ["47.96.1.10"]);
    expect((await subscribe("https://hooks.partner.example/pl")).status).to.equal(201);
    expect((await subscribe("https://47.96.1.11/pl")).status).to.equal(201);
    await stack.svc.db.sql.query("DELETE FROM webhook_subscriptions");
  });

  it("checks again at delivery after resolution: a name re-bound to loopback is refused, the receiver never called", async () => {
    dns.set("rebind.example", ["47.96.1.10", "127.0.0.1"]); // public when subscribing, loopback afterwards
    const sub = await subscribe(`http://rebind.example:${port}/hooks`);
    expect(sub.status, JSON.stringify(sub.json)).to.equal(201);
    await emit();
    await hooks().tick();
    const d = (await api.call("GET", `/api/v1/webhooks/${sub.json.id}/deliveries`, api.keys.shop!)).json.deliveries;
    expect(d).to.have.length(1);
    expect(d[0].lastError).to.match(/^refused: rebind\.example resolves to 127\.0\.0\.1, which is a loopback address/);
    expect(got).to.deep.equal([]);

    // A subscription stored before the rule (or edited in the database) is refused at delivery too.
    await stack.svc.db.sql.query("UPDATE webhook_subscriptions SET url = $1", [`http://127.0.0.1:${port}/direct`]);
    await emit();
    await hooks().tick();
    const all = (await api.call("GET", `/api/v1/webhooks/${sub.json.id}/deliveries`, api.keys.shop!)).json.deliveries;
    expect(all[0].lastError).to.match(/^refused: 127\.0\.0\.1 is a loopback address/);
    expect(got).to.deep.equal([]);

    // With the operator's allow-list the same target is reached, through the address the check resolved (the name
    // exists only in the test's resolver, so reaching the receiver proves the connection used that address).
    await stack.svc.db.sql.query("DELETE FROM webhook_deliveries");
    await stack.svc.db.sql.query("UPDATE webhook_subscriptions SET url = $1", [
      `http://rebind.example:${port}/allowed`,
    ]);
    const allowed = new WebhooksService(stack.svc.db.sql, stack.svc.vault, {
      ...webhookOpts,
      allowCidrs: ["127.0.0.0/8"],
    });
    await emit(allowed);
    await allowed.tick();
    expect(got).to.deep.equal([`rebind.example:${port} /allowed`]);
  });
});
