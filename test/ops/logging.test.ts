import { expect } from "chai";
import { pino } from "pino";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

describe("structured logs", () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];

  before(async () => {
    stack = await openStack();
    const logger = pino(
      { level: "info" },
      {
        write: (s: string) => {
          raw.push(s);
          lines.push(JSON.parse(s));
        },
      },
    );
    api = await startApi(stack, 10_000, {}, { logger });
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  it("writes one JSON line per request under the X-Request-Id the client sent, with the route pattern", async () => {
    const id = `req-${Date.now()}`;
    const r = await api.call("GET", "/api/v1/users/u_doesnotexist", api.keys.maker!, undefined, { "x-request-id": id });
    expect(r.headers.get("x-request-id")).to.equal(id);
    expect(r.json.requestId).to.equal(id); // the problem+json answer names the same id
    await new Promise((done) => setTimeout(done, 50));
    const mine = lines.filter((l) => l.requestId === id);
    expect(mine, JSON.stringify(lines.slice(-3))).to.have.length(1);
    expect(mine[0]).to.include({
      component: "http",
      route: "/api/v1/users/:id",
      msg: `GET /api/v1/users/:id ${r.status}`,
    });
    expect(r.status).to.be.within(400, 404);
    expect(mine[0]!.res).to.deep.equal({ statusCode: r.status });
    expect(mine[0]!.req).to.deep.equal({ method: "GET", url: "/api/v1/users/u_doesnotexist" });
    expect(JSON.stringify(mine[0])).to.not.include(api.keys.maker!); // no credentials in the log
    // Each key once in the line as written (a parser keeps only the last of a repeated key).
    const written = raw.find((l) => l.includes(`"requestId":"${id}"`))!;
    expect(written.match(/"route":/g)).to.have.length(1);
  });

  it("makes an id when the client sends none, and answers it", async () => {
    const r = await api.call("GET", "/api/v1/health", null);
    const id = r.headers.get("x-request-id")!;
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    await new Promise((done) => setTimeout(done, 50));
    expect(lines.filter((l) => l.requestId === id).map((l) => l.route)).to.deep.equal(["/api/v1/health"]);
  });
});
