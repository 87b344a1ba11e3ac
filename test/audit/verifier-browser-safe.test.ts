import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";
import { build } from "esbuild";
import { Interface } from "ethers";
import { ANCHOR_REGISTRY_ABI, PART_REGISTRY_ABI } from "../../ledger-service/src/audit/verifier-abi.js";
import { loadArtifact } from "../../ledger-service/src/chain/artifacts.js";
import { hexPrefixBytes } from "../../ledger-service/src/events/bytes.js";
import { jsonEqual } from "../../ledger-service/src/events/epcis-document.js";
import { pinTrust, trustFingerprint } from "../../ledger-service/src/verify-browser.js";
import { VALIDATOR_FILE, bundleValidatorSource } from "../../scripts/lib/bundle-validator.js";

/** The repository modules the browser verifier may pull in (DECISIONS 62): the verification core, nothing else. */
const ALLOWED = [
  /^ledger-service\/src\/verify-browser\.ts$/,
  /^ledger-service\/src\/audit\/(verify-bundle|verify-steps|label-check|chain-facts|trust|trust-checks|rerender|bundle-schema|verifier-abi|receipt-check)\.ts$/,
  /^ledger-service\/src\/audit\/bundle-schema\.validate\.generated\.ts$/,
  /^ledger-service\/src\/events\/(bytes|canonical|epcis|epcis-document|keccak|ship-to|signing)\.ts$/,
  /^ledger-service\/src\/(merkle\/tree|lifecycle\/transitions|proofs\/bundle-format|errors)\.ts$/,
];
const PACKAGES = new Set(["ethers", "js-sha3", "ajv", "ajv-formats", "zod", "fast-deep-equal", "fast-uri"]);
const PACKAGE_DEPS = /^(@noble|@adraffy|aes-js|json-schema-traverse|tslib)/;

describe("the bundle verifier is browser-safe and unchanged (DECISIONS 62)", () => {
  it("bundles for the browser with no Node built-in, no server module and only the verifier's packages", async () => {
    const out = await build({
      entryPoints: ["ledger-service/src/verify-browser.ts"],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(out.metafile.inputs);
    const ours = inputs.filter((p) => !p.includes("node_modules/"));
    for (const p of ours)
      expect(
        ALLOWED.some((r) => r.test(p)),
        `${p} is not part of the verifier`,
      ).to.equal(true);
    const packages = new Set(
      inputs
        .filter((p) => p.includes("node_modules/"))
        .map((p) =>
          p
            .split("node_modules/")
            .at(-1)!
            .split("/")
            .slice(0, p.split("node_modules/").at(-1)!.startsWith("@") ? 2 : 1)
            .join("/"),
        ),
    );
    for (const p of packages)
      expect(PACKAGES.has(p) || PACKAGE_DEPS.test(p), `package ${p} in the browser verifier`).to.equal(true);
    expect(ours).to.include("ledger-service/src/audit/verify-bundle.ts");
  });

  it("validates bundles with the precompiled validator of the current docs/bundle.schema.json (no eval at run time)", async () => {
    expect(readFileSync(VALIDATOR_FILE, "utf8")).to.equal(
      await bundleValidatorSource(),
      "run npm run generate:bundle-validator",
    );
  });

  it("calls the contracts through fragments identical to the compiled ABI", () => {
    for (const [name, abi] of [
      ["AnchorRegistry", ANCHOR_REGISTRY_ABI],
      ["PartRegistry", PART_REGISTRY_ABI],
    ] as const) {
      const compiled = new Interface(loadArtifact(name).abi as never);
      const ours = new Interface(abi);
      ours.forEachFunction((f) => expect(f.format("full")).to.equal(compiled.getFunction(f.name)!.format("full")));
      ours.forEachEvent((e) => {
        expect(e.format("full")).to.equal(compiled.getEvent(e.name)!.format("full"));
        expect(e.topicHash).to.equal(compiled.getEvent(e.name)!.topicHash);
      });
    }
  });

  it("decodes hex exactly as Buffer does, invalid digits and odd lengths included", () => {
    const cases = ["", "00", "0a0B", "abc", "zz11", "11zz22", "1g", "ff".repeat(32), "0x12", "12 34", "１２"];
    for (const s of cases) {
      const want = Uint8Array.from(Buffer.from(s, "hex"));
      expect([...hexPrefixBytes(s, s.length)], JSON.stringify(s)).to.deep.equal([...want]);
      const buf = new Uint8Array(8);
      const written = Buffer.alloc(8).write(s, "hex");
      expect(hexPrefixBytes(s, 8, buf, 0).length, JSON.stringify(s)).to.equal(written);
    }
  });

  it("compares JSON exactly as isDeepStrictEqual does", () => {
    const values: unknown[] = [
      0,
      -0,
      1,
      "1",
      null,
      true,
      [],
      {},
      [1, 2],
      [2, 1],
      { a: 1, b: [1, { c: null }] },
      { b: [1, { c: null }], a: 1 },
      { a: 1, b: [1, { c: 0 }] },
      { a: undefined },
      { b: undefined },
      [undefined],
      [null],
      JSON.parse("-0"),
      { "@context": ["x", { partledger: "urn:partledger:" }] },
    ];
    for (const a of values)
      for (const b of values)
        expect(jsonEqual(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).to.equal(isDeepStrictEqual(a, b));
  });

  it("fingerprints a trust anchor by its content, not its key order or address case", () => {
    const doc = {
      format: "partledger.trust/1",
      chainId: 31337,
      anchorRegistry: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      partRegistry: "0xE7F1725E7734CE288F8367E1BB143E90BB3F0512",
    };
    const reordered = {
      partRegistry: doc.partRegistry.toLowerCase(),
      chainId: 31337,
      anchorRegistry: `0x${doc.anchorRegistry.slice(2).toUpperCase()}`,
      format: doc.format,
    };
    const a = pinTrust(doc, "a");
    expect(pinTrust(reordered, "b").fingerprint).to.equal(a.fingerprint);
    expect(a.fingerprint).to.match(/^0x[0-9a-f]{64}$/);
    expect(trustFingerprint({ ...a.trust, chainId: 1 })).to.not.equal(a.fingerprint);
  });
});
