import { createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";
import { Wallet } from "ethers";
import { labelKeyBindingMessage, type BundleLabelKey } from "../audit/label-check.js";
import { linkPath, type PartLink } from "../gs1/digital-link.js";
import type { Hex } from "./bytes.js";

/**
 * A label's signature: Ed25519 over "PartLedger label v1\n" + path, where path is `/01/{gtin}/21/{serial}?10={lot}`,
 * 64 bytes in base64url (86 characters). Each manufacturer's label key is derived from its chain key
 * (HKDF-SHA256, info "PartLedger label key v1"), and its public half is published with the company, so anyone
 * checks a label offline with any standard library: a code never issued fails. Ed25519 rather than secp256k1:
 * the scan verifies one signature per request, and OpenSSL verifies Ed25519 ~3× faster here (DECISIONS.md).
 */
export const labelMessage = (link: Pick<PartLink, "gtin" | "serial" | "lot">) =>
  Buffer.from(`PartLedger label v1\n${linkPath(link)}`);

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export interface LabelKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte public key, base64url: what the company publishes. */
  publicKeyB64: string;
}

/** The manufacturer's label key pair, derived from its (secp256k1) chain private key. */
export function labelKeysFrom(chainPrivateKeyHex: string): LabelKeys {
  const seed = Buffer.from(
    hkdfSync(
      "sha256",
      Buffer.from(chainPrivateKeyHex.replace(/^0x/, ""), "hex"),
      "PartLedger",
      "PartLedger label key v1",
      32,
    ),
  );
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey);
  const publicKeyB64 = publicKey
    .export({ format: "der", type: "spki" })
    .subarray(SPKI_ED25519.length)
    .toString("base64url");
  return { privateKey, publicKey, publicKeyB64 };
}

/** A published label public key (base64url, 32 bytes) as a key object. */
export function labelPublicKey(b64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519, Buffer.from(b64, "base64url")]),
    format: "der",
    type: "spki",
  });
}

export function signLabel(keys: LabelKeys, link: Pick<PartLink, "gtin" | "serial" | "lot">): string {
  return sign(null, labelMessage(link), keys.privateKey).toString("base64url");
}

/** Whether `link.signature` is a signature of `publicKey` over the link. */
export function labelSignedBy(link: PartLink, publicKey: KeyObject): boolean {
  if (!link.signature) return false;
  const sig = Buffer.from(link.signature, "base64url");
  return sig.length === 64 && verify(null, labelMessage(link), publicKey, sig);
}

/**
 * The manufacturer's label public key bound by its chain key: an EIP-191 personal_sign of
 * "PartLedger label key v1\n" + publicKey, carried in part bundles so an auditor trusts the key without trusting us
 * (DECISIONS 74).
 */
export async function labelKeyBinding(chainPrivateKeyHex: string): Promise<BundleLabelKey> {
  const wallet = new Wallet(chainPrivateKeyHex.startsWith("0x") ? chainPrivateKeyHex : `0x${chainPrivateKeyHex}`);
  const publicKey = labelKeysFrom(chainPrivateKeyHex).publicKeyB64;
  return {
    actor: wallet.address as Hex,
    publicKey,
    binding: (await wallet.signMessage(labelKeyBindingMessage(publicKey))) as Hex,
  };
}
