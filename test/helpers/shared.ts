/**
 * State the root hooks set up for every test file. Kept in the environment, not in module state: test/setup.ts is
 * loaded as CommonJS (mocha --require) while a spec using import.meta (the e2e harness) loads as ESM, each with its
 * own copy of this module — a plain field set in one copy stayed "" in the other (a chain-less e2e stack).
 */
export const shared: { chainUrl: string } = {
  get chainUrl() {
    return process.env.PARTLEDGER_TEST_CHAIN_URL ?? "";
  },
  set chainUrl(url: string) {
    process.env.PARTLEDGER_TEST_CHAIN_URL = url;
  },
};
