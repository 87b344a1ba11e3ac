import { configureLogging, startLocalChain, type LocalChain } from "../ledger-service/src/index.js";
import { freePort } from "../scripts/lib/free-port.js";
import { shared } from "./helpers/shared.js";

let chain: LocalChain | undefined;

// Tests keep quiet: JSON log lines only at LOG_LEVEL when one is set (e.g. LOG_LEVEL=warn to see problems).
configureLogging((process.env.LOG_LEVEL as "warn" | undefined) ?? "silent");

/** Root hooks: one real local chain (Hardhat EDR over JSON-RPC) for the whole run. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    chain = await startLocalChain({ port: await freePort(), blockMs: 200 });
    shared.chainUrl = chain.url;
    console.log(
      `  [setup] local chain at ${chain.url}; database: ${process.env.DATABASE_URL ? `PostgreSQL (${process.env.DATABASE_URL})` : "PGlite (in memory)"}`,
    );
  },
  async afterAll() {
    await chain?.stop();
  },
};
