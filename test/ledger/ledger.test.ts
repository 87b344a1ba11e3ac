import { expect } from "chai";
import { Wallet } from "ethers";
import { AppError, Stage } from "../../ledger-service/src/index.js";
import type { RecordInput } from "../../ledger-service/src/index.js";
import { GTIN, PLACE, VIN, handOver, newParts, openStack, type TestStack } from "../helpers/stack.js";

async function expectAppError(p: Promise<unknown>, code: string, mentions?: string) {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(AppError);
    expect((e as AppError).code).to.equal(code);
    if (mentions) expect((e as AppError).message).to.contain(mentions);
    return e as AppError;
  }
  throw new Error(`expected ${code}`);
}

describe("Ledger: accepting events", () => {
  let stack: TestStack;
  before(async () => {
    stack = await openStack();
  });
  after(async () => stack.close());
  const append = (input: RecordInput) => stack.svc.ledger.append(input);
  const count = async () =>
    (await stack.svc.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_events")).rows[0]!.n;

  describe("bad input gets a clear error naming the field", () => {
    it("a GTIN with a wrong check digit", async () => {
      const bad = GTIN.slice(0, 13) + ((Number(GTIN[13]) + 1) % 10);
      const e = await expectAppError(
        append({
          actorId: "maker",
          step: Stage.Commissioned,
          parts: [{ gtin: bad, serial: "A1", lot: "L1" }],
          place: PLACE,
        }),
        "GS1.INVALID_GTIN",
        "parts[0].gtin",
      );
      expect(e.message).to.contain(`expected ${GTIN[13]}`);
    });
    it("a serial outside GS1 AI 21's character set", async () => {
      await expectAppError(
        append({
          actorId: "maker",
          step: Stage.Commissioned,
          parts: [{ gtin: GTIN, serial: "含中文", lot: "L1" }],
          place: PLACE,
        }),
        "GS1.INVALID_SERIAL",
        "parts[0].serial",
      );
      await expectAppError(
        append({
          actorId: "maker",
          step: Stage.Commissioned,
          parts: [{ gtin: GTIN, serial: "X".repeat(21), lot: "L1" }],
          place: PLACE,
        }),
        "GS1.INVALID_SERIAL",
      );
    });
    it("a VIN that fails ISO 3779 (check character, I/O/Q, length)", async () => {
      const parts = newParts(1);
      await append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      await handOver(stack, "maker", "dealer", parts);
      const wrongCheck = VIN.slice(0, 8) + (VIN[8] === "1" ? "2" : "1") + VIN.slice(9);
      const e = await expectAppError(
        append({ actorId: "shop", step: Stage.Installed, parts, place: PLACE, vin: wrongCheck }),
        "VIN.INVALID",
        "position 9",
      );
      expect(e.details.field).to.equal("vin");
      await expectAppError(
        append({ actorId: "shop", step: Stage.Installed, parts, place: PLACE, vin: "LSVAU2180N218329O" }),
        "VIN.INVALID",
        "without I, O or Q",
      );
      await expectAppError(append({ actorId: "shop", step: Stage.Installed, parts, place: PLACE }), "VIN.INVALID");
    });
    it("an unknown company", async () => {
      await expectAppError(
        append({ actorId: "nobody", step: Stage.Commissioned, parts: newParts(1), place: PLACE }),
        "LEDGER.UNKNOWN_ACTOR",
        "nobody",
      );
    });
    it("a stage out of order", async () => {
      const parts = newParts(1);
      await expectAppError(
        append({ actorId: "dealer", step: Stage.Received, parts, place: PLACE }),
        "LEDGER.STAGE_OUT_OF_ORDER",
        "before it is commissioned",
      );
      await append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
      await expectAppError(
        append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE }),
        "LEDGER.STAGE_OUT_OF_ORDER",
        "Commissioned",
      );
      await expectAppError(
        append({ actorId: "shop", step: Stage.Installed, parts, place: PLACE, vin: VIN }),
        "LEDGER.STAGE_OUT_OF_ORDER",
        "cannot move to Installed",
      );
    });
    it("a company acting outside its role", async () => {
      await expectAppError(
        append({ actorId: "dealer", step: Stage.Commissioned, parts: newParts(1), place: PLACE }),
        "LEDGER.ROLE_FORBIDDEN",
        "needs a manufacturer",
      );
    });
    it("a bad place, duplicate parts, a lot that does not match", async () => {
      await expectAppError(
        append({
          actorId: "maker",
          step: Stage.Commissioned,
          parts: newParts(1),
          place: { regionCode: "33", locationId: "x" },
        }),
        "LEDGER.INVALID_PLACE",
        "place.regionCode",
      );
      const [p] = newParts(1);
      await expectAppError(
        append({ actorId: "maker", step: Stage.Commissioned, parts: [p!, p!], place: PLACE }),
        "LEDGER.DUPLICATE_PART",
      );
      await append({ actorId: "maker", step: Stage.Commissioned, parts: [p!], place: PLACE });
      await append({ actorId: "maker", step: Stage.Shipped, parts: [p!], place: PLACE, shipTo: "dealer" });
      await expectAppError(
        append({ actorId: "dealer", step: Stage.Received, parts: [{ ...p!, lot: "OTHER" }], place: PLACE }),
        "LEDGER.LOT_MISMATCH",
        "parts[0].lot",
      );
    });
  });

  it("appends a carton all or nothing: one bad part leaves no event behind", async () => {
    const parts = newParts(20);
    await append({ actorId: "maker", step: Stage.Commissioned, parts: parts.slice(0, 19), place: PLACE });
    const before = await count();
    await expectAppError(
      append({ actorId: "maker", step: Stage.Shipped, parts, place: PLACE, shipTo: "dealer" }),
      "LEDGER.STAGE_OUT_OF_ORDER",
      parts[19]!.serial,
    );
    expect(await count()).to.equal(before);
  });

  it("makes a retried receipt harmless: the holder cannot receive what it holds", async () => {
    const parts = newParts(3);
    await append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
    await handOver(stack, "maker", "dealer", parts);
    const before = await count();
    await expectAppError(
      append({ actorId: "dealer", step: Stage.Received, parts, place: PLACE }),
      "LEDGER.ALREADY_HELD",
    );
    expect(await count()).to.equal(before);
    // The next level of the chain (a repair shop buying from the distributor) receives what the dealer ships it.
    await handOver(stack, "dealer", "shop", parts);
  });

  it("links each part's events into a hash chain and numbers the log without gaps", async () => {
    const parts = newParts(2);
    const c = await append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
    const r = await append({ actorId: "maker", step: Stage.Shipped, parts, place: PLACE, shipTo: "dealer" });
    const rows = (
      await stack.svc.db.sql.query<{ seq: number; fields: { prevHash: string } }>(
        "SELECT seq, fields FROM ledger_events WHERE seq = ANY($1::bigint[]) ORDER BY seq",
        [r.events.map((e) => e.seq)],
      )
    ).rows;
    expect(rows.map((x) => x.fields.prevHash)).to.deep.equal(c.events.map((e) => e.structHash));
    const { rows: gaps } = await stack.svc.db.sql.query<{ n: number; max: number }>(
      "SELECT count(*)::int AS n, max(seq)::int AS max FROM ledger_events",
    );
    expect(gaps[0]!.n).to.equal(gaps[0]!.max);
  });

  it("serialises concurrent appends on the same parts: one commissioning wins, one receipt wins, each chained", async () => {
    const parts = newParts(30);
    const results = await Promise.allSettled([
      append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE }),
      append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as AppError).code).to.equal("LEDGER.STAGE_OUT_OF_ORDER");
    const shipped = await append({ actorId: "maker", step: Stage.Shipped, parts, place: PLACE, shipTo: "dealer" });
    const receipts = await Promise.allSettled([
      append({ actorId: "dealer", step: Stage.Received, parts, place: PLACE }),
      append({ actorId: "dealer", step: Stage.Received, parts, place: PLACE }),
    ]);
    const won = receipts.filter((r) => r.status === "fulfilled");
    expect(won).to.have.length(1);
    expect(((receipts.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as AppError).code).to.equal(
      "LEDGER.ALREADY_HELD",
    );
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof append>>>).value;
    const { rows } = await stack.svc.db.sql.query<{ prev: string }>(
      "SELECT fields->>'prevHash' AS prev FROM ledger_events WHERE seq BETWEEN $1 AND $2 ORDER BY seq",
      [winner.firstSeq, winner.lastSeq],
    );
    expect(rows.map((r) => r.prev)).to.deep.equal(shipped.events.map((e) => e.structHash));
  });

  it("keeps the event log append-only in the database itself", async () => {
    let error: unknown;
    try {
      await stack.svc.db.sql.query("UPDATE ledger_events SET step = 3 WHERE seq = 1");
    } catch (e) {
      error = e;
    }
    expect(String((error as Error)?.message)).to.contain("LEDGER.APPEND_ONLY");
    error = undefined;
    try {
      await stack.svc.db.sql.query("DELETE FROM ledger_events WHERE seq = 1");
    } catch (e) {
      error = e;
    }
    expect(String((error as Error)?.message)).to.contain("LEDGER.APPEND_ONLY");
  });

  it("stores the VIN encrypted and puts only its salted hash in the event", async () => {
    const parts = newParts(1);
    await append({ actorId: "maker", step: Stage.Commissioned, parts, place: PLACE });
    await handOver(stack, "maker", "shop", parts);
    const r = await append({ actorId: "shop", step: Stage.Installed, parts, place: PLACE, vin: VIN });
    const { rows } = await stack.svc.db.sql.query<{ fields: object; ciphertext: Uint8Array }>(
      "SELECT e.fields, p.ciphertext FROM ledger_events e JOIN ledger_private_fields p USING (struct_hash) WHERE e.seq = $1",
      [r.firstSeq],
    );
    expect(JSON.stringify(rows[0]!.fields)).not.to.contain(VIN);
    expect(Buffer.from(rows[0]!.ciphertext).toString("latin1")).not.to.contain(VIN);
  });

  it("lets a company that keeps its own key sign the submission itself, and refuses anyone else's signature", async () => {
    const own = Wallet.createRandom();
    await stack.svc.registerCompany({
      id: "self-maker",
      name: "自签名制造商",
      kind: "manufacturer",
      address: own.address,
    });
    const input: RecordInput = {
      actorId: "self-maker",
      step: Stage.Commissioned,
      parts: newParts(3),
      place: PLACE,
      eventTime: Date.UTC(2026, 10, 25, 2),
    };
    await expectAppError(append(input), "LEDGER.SIGNATURE_REQUIRED");
    const draft = await stack.svc.ledger.prepare(input);
    const forged = Wallet.createRandom().signingKey.sign(draft.digest).serialized as `0x${string}`;
    await expectAppError(stack.svc.ledger.append(input, { signature: forged }), "LEDGER.BAD_SIGNATURE", own.address);
    const result = await stack.svc.ledger.append(input, {
      signature: own.signingKey.sign(draft.digest).serialized as `0x${string}`,
    });
    expect(result.events).to.have.length(3);
    expect(result.anchoring).to.equal("pending");
  });
});
