import { expect } from "chai";
import { databaseBuckets } from "../../api/src/http/rate-limit.js";
import type { Sql } from "../../ledger-service/src/index.js";
import { freshDatabase } from "../helpers/database.js";

/**
 * The shared rate-limit buckets lease tokens (DECISIONS 66): a busy credential costs one upsert per lease, not one per
 * request, while every process together still never grants more than the rate, and slow rates (logins) stay exact.
 */
describe("rate limits in PostgreSQL: leased tokens, never more than the rate across processes", function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let upserts = 0;
  /** The database as a process sees it, counting the bucket upserts it sends. */
  const counted: () => Sql = () => ({
    ...db.sql,
    query: (text: string, params?: unknown[]) => {
      if (text.includes("INSERT INTO rate_limit_buckets")) upserts++;
      return db.sql.query(text, params);
    },
  });
  before(async () => {
    db = await freshDatabase();
  });
  after(async () => {
    await db.drop();
  });
  beforeEach(() => {
    upserts = 0;
  });

  it("spends a lease of a tenth of a second's rate in memory: 25 requests at 6,000 a minute are 3 upserts", async () => {
    const store = databaseBuckets(counted());
    const started = Date.now();
    for (let i = 0; i < 25; i++) expect(await store.take("api/6000:key_a", 6000)).to.equal(0);
    expect(upserts).to.equal(3); // leases of 10: 10 + 10 + 5
    const row = await db.sql.query<{ tokens: number; taken: number }>(
      "SELECT tokens, taken FROM rate_limit_buckets WHERE key = 'api/6000:key_a'",
    );
    expect(row.rows[0]!.taken).to.equal(10);
    // 30 taken, less what refilled meanwhile (100 a second)
    expect(row.rows[0]!.tokens).to.be.within(5970, 5970 + Math.ceil((Date.now() - started) / 10) + 1);
  });

  it("keeps slow rates exact: at 20 a minute every attempt is an upsert, and the 21st is refused with a wait", async () => {
    const store = databaseBuckets(counted());
    const waits: number[] = [];
    for (let i = 0; i < 21; i++) waits.push(await store.take("login/20:1.2.3.4", 20));
    expect(upserts).to.equal(21);
    expect(waits.slice(0, 20)).to.deep.equal(Array(20).fill(0));
    expect(waits[20]).to.be.within(1, 3); // one token refills in 3 s
  });

  it("two processes on one database never grant more than the rate between them", async () => {
    const a = databaseBuckets(counted());
    const b = databaseBuckets(counted());
    const started = Date.now();
    let granted = 0;
    let refused = 0;
    for (let i = 0; i < 1400 && refused < 20; i++) {
      const wait = await (i % 2 ? a : b).take("api/1200:key_b", 1200);
      if (wait === 0) granted++;
      else refused++;
    }
    const refill = ((Date.now() - started) / 60_000) * 1200;
    expect(refused).to.be.greaterThan(0);
    expect(granted).to.be.at.most(1200 + Math.ceil(refill));
    expect(granted).to.be.at.least(1200 - 4); // at most a lease of 2 left in each process
    expect(upserts).to.be.below(1400 * 0.6); // leases of 2 (and refusals) halve the statements
  });

  it("drops what a lease has left when it ends, and asks the database again", async () => {
    const store = databaseBuckets(counted(), { leaseMs: 50 });
    expect(await store.take("api/6000:key_c", 6000)).to.equal(0);
    expect(await store.take("api/6000:key_c", 6000)).to.equal(0);
    expect(upserts).to.equal(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.take("api/6000:key_c", 6000)).to.equal(0);
    expect(upserts).to.equal(2);
  });
});
