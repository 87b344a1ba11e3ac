import { expect } from "chai";
import type { AppError } from "../../ledger-service/src/index.js";
import { loadConfig } from "../../ledger-service/src/index.js";

describe("configuration is validated at boot", () => {
  it("uses embedded defaults when nothing is set", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).to.equal(undefined);
    expect(c.DATA_DIR).to.equal("./var");
    expect(c.BATCH_MAX_EVENTS).to.equal(10_000);
    expect(c.CONFIRMATION_DEPTH).to.equal(2);
  });

  it("names every bad variable and what it got", () => {
    try {
      loadConfig({ DATABASE_URL: "mysql://x", BATCH_MAX_EVENTS: "0", CHAIN_RPC_URL: "http://127.0.0.1:8545" });
      expect.fail("expected CONFIG.INVALID");
    } catch (e) {
      expect((e as AppError).code).to.equal("CONFIG.INVALID");
      const msg = (e as AppError).message;
      for (const name of [
        "DATABASE_URL",
        "BATCH_MAX_EVENTS",
        "CHAIN_SIGNER_KEY",
        "ANCHOR_REGISTRY_ADDRESS",
        "PART_REGISTRY_ADDRESS",
        "LEDGER_MASTER_KEY",
      ]) {
        expect(msg).to.contain(name);
      }
      expect(msg).to.contain('"mysql://x"');
    }
  });
});
