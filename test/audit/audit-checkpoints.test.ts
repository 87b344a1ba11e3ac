import { expect } from "chai";
import { OPERATOR, startApi } from "../helpers/app.js";
import { openStack, type TestStack } from "../helpers/stack.js";

/** Issue 18 item 8: every checkpoint reaches the ledger, so a deleted tail is caught wherever it starts. */
describe("audit trail checkpoints", function () {
  this.timeout(120_000);
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  before(async () => {
    // AUDIT_CHECKPOINT_MS=0: the worker checkpoints the head at every tick that finds new entries.
    stack = await openStack({ env: { AUDIT_CHECKPOINT_MS: "0" } });
    api = await startApi(stack);
  });
  after(async () => {
    await api?.stop();
    await stack?.close();
  });

  const newUser = async (n: number) => {
    const r = await api.call("POST", "/api/v1/users", api.keys.maker!, {
      name: `用户${n}`,
      email: `u${n}@maker.cn`,
      password: "correct horse battery",
    });
    expect(r.status, JSON.stringify(r.json)).to.equal(201);
  };

  it("lands a checkpoint for each new head, and GET /audit/verify catches a deleted tail with the head rewound", async () => {
    const db = stack.svc.db.sql;
    const landed: number[] = [];
    for (let round = 1; round <= 3; round++) {
      await newUser(round);
      const report = await stack.svc.worker.tick();
      expect(report.chainError ?? "").to.not.match(/LOT_MISMATCH/);
      const { rows } = await db.query<{ seq: number }>("SELECT max(audit_seq)::int AS seq FROM audit_checkpoints");
      landed.push(rows[0]!.seq);
    }
    expect(new Set(landed).size, `checkpointed heads ${landed.join(", ")}`).to.equal(3);
    await stack.svc.worker.runUntilFinal();
    const verified = await api.call("GET", "/api/v1/audit/verify", OPERATOR);
    expect(verified.json, JSON.stringify(verified.json)).to.deep.include({ ok: true, checkpoints: 3 });
    expect((await api.call("GET", "/api/v1/ledger/audit", OPERATOR)).json.ok).to.equal(true);

    // A database administrator deletes everything after the first checkpoint, rewinds the head, and restores the
    // append-only trigger. Only a later checkpoint (on the ledger, anchored) can tell.
    const first = landed[0]!;
    await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    try {
      await db.query("DELETE FROM audit_log WHERE seq > $1", [first]);
      const last = (
        await db.query<{ seq: number; hash: Uint8Array }>(
          "SELECT seq::int, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
      ).rows[0]!;
      await db.query("UPDATE audit_head SET last_seq = $1, last_hash = $2", [last.seq, Buffer.from(last.hash)]);
    } finally {
      await db.exec("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
    }
    const after = await api.call("GET", "/api/v1/audit/verify", OPERATOR);
    expect(after.json.ok, JSON.stringify(after.json)).to.equal(false);
    expect(after.json.failure.reason).to.include(`the ledger checkpointed entry ${landed[2]}`);
  });
});
