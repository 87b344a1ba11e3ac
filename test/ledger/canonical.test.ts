import { readFileSync } from "node:fs";
import { expect } from "chai";
import { AbiCoder, TypedDataEncoder, keccak256, type Contract, type JsonRpcProvider } from "ethers";
import { toHex } from "../../ledger-service/src/events/bytes.js";
import {
  PART_EVENT_TYPE,
  leafOf,
  lotHashOf,
  partKeyOf,
  placeHashOf,
  privateHashOf,
  structHashOf,
  type CanonicalEvent,
} from "../../ledger-service/src/events/canonical.js";
import { deploy, wallets } from "../helpers/contracts.js";

interface Vector {
  name: string;
  input: {
    gtin: string;
    serial: string;
    lot: string;
    place: string;
    privateFields?: Record<string, string>;
    salt?: string;
  };
  event: CanonicalEvent;
  structHash: string;
  leaf: string;
}
const { vectors } = JSON.parse(readFileSync(new URL("../fixtures/leaf-vectors.json", import.meta.url), "utf8")) as {
  vectors: Vector[];
};

describe("canonical event encoding v1 @smoke", () => {
  let provider: JsonRpcProvider;
  let registry: Contract;
  before(async () => {
    const w = wallets();
    provider = w.provider;
    registry = await deploy("AnchorRegistry", w.accounts[0]!);
  });
  after(() => provider.destroy());

  for (const v of vectors) {
    describe(v.name, () => {
      it("derives the hashed fields from the readable ones", () => {
        expect(partKeyOf(v.input.gtin, v.input.serial)).to.equal(v.event.partKey);
        expect(lotHashOf(v.input.lot)).to.equal(v.event.lotHash);
        expect(placeHashOf(v.input.place)).to.equal(v.event.placeHash);
        if (v.input.privateFields) {
          const salt = Uint8Array.from(Buffer.from(v.input.salt!.slice(2), "hex"));
          expect(privateHashOf(v.input.privateFields, salt)).to.equal(v.event.privateHash);
        }
      });

      it("TypeScript gives the fixed struct hash and leaf", () => {
        expect(toHex(structHashOf(v.event))).to.equal(v.structHash);
        expect(toHex(leafOf(v.event))).to.equal(v.leaf);
      });

      it("equals the EIP-712 struct hash and the ABI coder's encoding", () => {
        const types = {
          PartEvent: PART_EVENT_TYPE.slice("PartEvent(".length, -1)
            .split(",")
            .map((f) => ({ type: f.split(" ")[0]!, name: f.split(" ")[1]! })),
        };
        expect(TypedDataEncoder.hashStruct("PartEvent", types, v.event)).to.equal(v.structHash);
        const inner = keccak256(
          AbiCoder.defaultAbiCoder().encode(["uint8", "bytes32"], [v.event.version, v.structHash]),
        );
        expect(keccak256(inner)).to.equal(v.leaf);
      });

      it("Solidity (LedgerLeaf via AnchorRegistry.hashEvent) gives the same hashes", async () => {
        const [structHash, leaf] = await registry.getFunction("hashEvent")(v.event);
        expect(structHash).to.equal(v.structHash);
        expect(leaf).to.equal(v.leaf);
      });
    });
  }

  it("changes the leaf when any single field changes", () => {
    const base = vectors[1]!.event;
    const variants: Array<Partial<CanonicalEvent>> = [
      { step: 3 },
      { eventTime: base.eventTime + 1 },
      { actor: "0x0000000000000000000000000000000000000001" },
      { lotHash: lotHashOf("other") },
      { placeHash: placeHashOf("other") },
      { privateHash: lotHashOf("p") },
      { prevHash: lotHashOf("q") },
      { partKey: partKeyOf("06901234567892", "OTHER") },
    ];
    const leaves = new Set(variants.map((d) => toHex(leafOf({ ...base, ...d }))));
    expect(leaves.size).to.equal(variants.length);
    expect(leaves.has(toHex(leafOf(base)))).to.equal(false);
  });
});
