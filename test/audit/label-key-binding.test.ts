import { expect } from "chai";
import { Wallet } from "ethers";
import {
  bindingSigner,
  ed25519Verifies,
  labelEvidence,
  labelLinkOf,
  labelMessageBytes,
} from "../../ledger-service/src/audit/label-check.js";
import {
  labelKeyBinding,
  labelKeysFrom,
  labelMessage,
  signLabel,
} from "../../ledger-service/src/events/label-signature.js";
import { digitalLinkUri } from "../../ledger-service/src/gs1/digital-link.js";
import { Stage, newSerial } from "../../ledger-service/src/index.js";
import { GTIN, PLACE, openStack, type TestStack } from "../helpers/stack.js";

/** The label key a part bundle carries, bound by the manufacturer's chain key (DECISIONS 74). */
describe("the bundle's label key and its binding (DECISIONS 74)", () => {
  const wallet = Wallet.createRandom();
  const part = { gtin: GTIN, serial: "SN/ä 1", lot: "L 7" };

  it("is bound by the chain key and verifies the labels that key signs, byte for byte as the scan page", async () => {
    const bound = await labelKeyBinding(wallet.privateKey);
    expect(bound.actor).to.equal(wallet.address);
    expect(bound.publicKey).to.equal(labelKeysFrom(wallet.privateKey).publicKeyB64);
    expect(bindingSigner(bound)).to.equal(wallet.address);
    // Another key's binding, or a binding moved onto another public key, recovers to someone else.
    const other = await labelKeyBinding(Wallet.createRandom().privateKey);
    expect(bindingSigner({ ...bound, publicKey: other.publicKey })).to.not.equal(wallet.address);
    expect(bindingSigner({ ...bound, binding: "0x00" })).to.equal(null);

    expect(Buffer.from(labelMessageBytes(part)).equals(labelMessage(part))).to.equal(true);
    const signature = signLabel(labelKeysFrom(wallet.privateKey), part);
    const uri = digitalLinkUri("https://pl.example.cn", { ...part, signature });
    expect(labelLinkOf(uri)).to.deep.equal({ ...part, signature });
    expect(await ed25519Verifies(bound.publicKey, signature, labelMessageBytes(part))).to.equal(true);
    expect(await ed25519Verifies(other.publicKey, signature, labelMessageBytes(part))).to.equal(false);
    expect(await ed25519Verifies(bound.publicKey, signature, labelMessageBytes({ ...part, lot: "L 8" }))).to.equal(
      false,
    );
    const evidence = await labelEvidence(uri, bound);
    expect(evidence).to.deep.include({ signatureValid: true, signer: wallet.address });
    // Change the signature's first character to another one (replacing it with a fixed character left it unchanged
    // whenever the random key's signature began with that character: one run in 64).
    const tampered = uri.replace(/s=(.)/, (_, c: string) => `s=${c === "A" ? "B" : "A"}`);
    expect(tampered).to.not.equal(uri);
    expect((await labelEvidence(tampered, bound))!.signatureValid).to.equal(false);
    expect((await labelEvidence(uri, undefined))!.signatureValid).to.equal(null);
    expect(await labelEvidence(undefined, bound)).to.equal(null);
  });

  describe("in a part bundle", function () {
    this.timeout(120_000);
    let stack: TestStack;
    before(async () => {
      stack = await openStack();
    });
    after(async () => stack?.close());

    it("carries the manufacturer's label key, bound by the company that commissioned the part", async () => {
      const p = { gtin: GTIN, serial: newSerial(), lot: "L1" };
      await stack.svc.ledger.append({ actorId: "maker", step: Stage.Commissioned, parts: [p], place: PLACE });
      const bundle = await stack.svc.bundleForPart(p.gtin, p.serial);
      const keys = await stack.svc.actors.labelKeysOf("maker");
      expect(bundle.labelKey).to.deep.include({ actor: stack.maker.address, publicKey: keys!.publicKeyB64 });
      expect(bindingSigner(bundle.labelKey!)).to.equal(stack.maker.address);
      // The key's actor is the commissioning event's signer, which the chain checks tie to the part.
      expect(bundle.events[0]!.event["partledger:ledger"].actor).to.equal(stack.maker.address);
    });
  });
});
