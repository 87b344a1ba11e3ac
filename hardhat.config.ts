import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";

// Compile with the npm `solc` package (WASM) so that no compiler is ever downloaded (TOOLCHAIN.md).
const require = createRequire(import.meta.url);
const solcVersion: string = require("solc/package.json").version;
const blockMs = Number(process.env.LOCAL_CHAIN_BLOCK_MS ?? 1000);

export default defineConfig({
  solidity: {
    version: solcVersion,
    path: require.resolve("solc/soljson.js"),
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  paths: { sources: "./contracts", tests: "./test/contracts", artifacts: "./artifacts", cache: "./cache" },
  networks: {
    // `npm run chain` / `npm start`: a local EDR chain over JSON-RPC. Blocks also come every second so that
    // confirmation depth advances even when nobody sends a transaction, as on a real chain.
    // (`hardhat node` serves the network named "node".)
    node: {
      type: "edr-simulated",
      chainType: "l1",
      mining: { auto: true, interval: blockMs },
      allowBlocksWithSameTimestamp: blockMs < 1000,
    },
  },
});
