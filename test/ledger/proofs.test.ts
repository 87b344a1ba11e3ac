import { expect } from "chai";
import type { AppError } from "../../ledger-service/src/index.js";
import { Stage } from "../../ledger-service/src/index.js";
import { maxProofLength } from "../../ledger-service/src/proofs/proofs.js";
import { verifyProof } from "../../ledger-service/src/merkle/tree.js";
import { fromHex, toHex } from "../../ledger-service/src/events/bytes.js";
import { leafV2OfStructHash } from "../../ledger-service/src/events/canonical.js";
import { newParts, openStack, PLACE, type TestStack } from "../helpers/stack.js";

describe("inclusion proofs from the database", () => {
  let stack: TestStack;
  before(async () => {
    stack = await openStack({ env: { BATCH_MAX_EVENTS: "300" } });
    await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: newParts(777), place: PLACE });
    await stack.svc.sealer.sealDue();
  });
  after(async () => stack.close());

  it("proves any sealed event with ⌈log2 n⌉ hashes against its batch root", async () => {
    for (const seq of [1, 2, 299, 300, 301, 600, 601, 700, 777]) {
      const p = await stack.svc.proof(seq);
      expect(p.proof.length, `seq ${seq}`).to.be.at.most(maxProofLength(p.leafCount));
      expect(p.leafCount).to.equal(seq <= 600 ? 300 : 177);
      expect(
        verifyProof(
          fromHex(p.leaf),
          p.proof.map((h) => fromHex(h)),
          fromHex(p.root),
        ),
        `seq ${seq}`,
      ).to.equal(true);
      const { rows } = await stack.svc.db.sql.query<{ struct_hash: Uint8Array }>(
        "SELECT struct_hash FROM ledger_events WHERE seq = $1",
        [seq],
      );
      expect(p.leafVersion).to.equal(2);
      expect(toHex(leafV2OfStructHash(new Uint8Array(rows[0]!.struct_hash), seq, p.batchId))).to.equal(p.leaf);
    }
  });

  it("says 'anchoring pending' for an event not sealed yet", async () => {
    const r = await stack.svc.ledger.append({
      actorId: "maker",
      step: Stage.Commissioned,
      parts: newParts(1),
      place: PLACE,
    });
    try {
      await stack.svc.proof(r.firstSeq);
      expect.fail("expected LEDGER.NOT_SEALED");
    } catch (e) {
      expect((e as AppError).code).to.equal("LEDGER.NOT_SEALED");
      expect((e as AppError).message).to.contain("anchoring pending");
    }
  });
});
