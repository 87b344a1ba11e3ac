import { expect } from "chai";
import { startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/**
 * Issue 19, item 9: a failed login for an account that exists and one that does not cost the same, answer the same
 * and lock the same. Timing is compared statistically (medians of interleaved attempts, generous tolerance), so a
 * slow or busy machine does not make the test flaky, while the 0.2 s the two paths used to differ by is caught.
 */
describe("login: existing and unknown identifiers are indistinguishable by answer, timing and locking", function () {
  this.timeout(180_000);
  const N = 9;
  const PASSWORD = "correct horse battery";
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    stack = await openStack();
    api = await startApi(stack, 10_000, { loginMaxFailures: 3, loginLockMinutes: 15, loginRatePerMinute: 10_000 });
  });
  after(async () => {
    await api.stop();
    await stack.close();
  });

  const login = async (id: string, password = "wrong password") => {
    const started = process.hrtime.bigint();
    const r = await api.call("POST", "/api/v1/auth/login", null, { login: id, password });
    return { ...r, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  };
  /** What a client learns: everything but the request's own id, and the lock's remaining seconds to the minute. */
  const answer = (r: Awaited<ReturnType<typeof login>>) => {
    const { requestId: _id, retryAfter, ...body } = r.json;
    const wait = r.headers.get("retry-after");
    return {
      status: r.status,
      body,
      retryAfter: retryAfter === undefined ? null : Math.ceil(retryAfter / 60),
      wait: wait && Math.ceil(Number(wait) / 60),
    };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it("answers the same, and takes as long, for a wrong password as for a login nobody has", async () => {
    const existing: string[] = [];
    for (let i = 0; i < N; i++) {
      const mobile = `1370000${String(1000 + i)}`;
      const r = await api.call("POST", "/api/v1/users", api.keys.shop!, { name: "钱七", mobile, password: PASSWORD });
      expect(r.status, JSON.stringify(r.json)).to.equal(201);
      existing.push(mobile);
    }
    const unknown = Array.from({ length: N }, (_, i) => `1370009${String(1000 + i)}`);
    const t = { existing: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < N; i++) {
      // Interleaved, each identifier's first failure: both see the same load and the same point of the schedule.
      const a = await login(existing[i]!);
      const b = await login(unknown[i]!);
      expect(answer(a)).to.deep.equal(answer(b));
      expect(a.status).to.equal(401);
      t.existing.push(a.seconds);
      t.unknown.push(b.seconds);
    }
    const [e, u] = [median(t.existing), median(t.unknown)];
    console.log(`      median failed login: existing ${e.toFixed(3)} s, unknown ${u.toFixed(3)} s (N=${N} each)`);
    expect(Math.abs(e - u), `existing ${e.toFixed(3)} s vs unknown ${u.toFixed(3)} s`).to.be.below(
      0.35 * Math.max(e, u),
    );
  });

  it("locks an unknown identifier after the same failures as an existing one, with the same answer", async () => {
    await api.call("POST", "/api/v1/users", api.keys.shop!, {
      name: "孙八",
      mobile: "13711112222",
      password: PASSWORD,
    });
    const runs: Record<string, unknown[]> = {};
    for (const id of ["13711112222", "13799998888", "nobody@example.cn"]) {
      runs[id] = [];
      for (let i = 0; i < 4; i++) runs[id]!.push(answer(await login(id)));
    }
    const [existing, unknownMobile, unknownEmail] = Object.values(runs);
    expect(existing).to.deep.equal(unknownMobile);
    expect(existing).to.deep.equal(unknownEmail);
    expect((existing![3] as { status: number }).status).to.equal(429);
    expect((existing![3] as { body: { code: string } }).body.code).to.equal("AUTH.LOCKED");
    // The account itself is locked too: the right password does not get in while the lock holds.
    const right = await login("13711112222", PASSWORD);
    expect([right.status, right.json.code]).to.deep.equal([429, "AUTH.LOCKED"]);
    // A successful login clears the count: one more user, one failure, then the right password.
    await api.call("POST", "/api/v1/users", api.keys.shop!, {
      name: "周九",
      mobile: "13711113333",
      password: PASSWORD,
    });
    expect((await login("13711113333")).status).to.equal(401);
    expect((await login("13711113333", PASSWORD)).status).to.equal(200);
    const key = stack.svc.vault.blindIndex("login", "13711113333");
    const { rows } = await stack.svc.db.sql.query("SELECT 1 FROM login_attempts WHERE login_key = $1", [key]);
    expect(rows.length).to.equal(0);
  });
});
