import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { SigningKey } from "ethers";
import { linkPath, type PartLink } from "../gs1/digital-link.js";

/**
 * A label's signature: ECDSA on secp256k1 with SHA-256 (ES256K) over "PartLedger label v1\n" + path, where path
 * is `/01/{gtin}/21/{serial}?10={lot}`, as the 64-byte r‖s in base64url (86 characters). Anyone holding the
 * manufacturer's public key checks it offline with any standard library: a code never issued fails. (ES256K
 * rather than an Ethereum-style recoverable signature: verifying with a known key through OpenSSL is ~5× faster
 * than recovering, and the scan verifies one per request — DECISIONS.md.)
 */
export const labelMessage = (link: Pick<PartLink, "gtin" | "serial" | "lot">) => Buffer.from(`PartLedger label v1\n${linkPath(link)}`);

const b64u = (hex: string) => Buffer.from(hex.replace(/^0x/, ""), "hex").toString("base64url");

function jwk(publicKeyHex: string, privateKeyHex?: string) {
  const pub = SigningKey.computePublicKey(publicKeyHex, false).slice(4);
  return { kty: "EC", crv: "secp256k1", x: b64u(pub.slice(0, 64)), y: b64u(pub.slice(64)), ...(privateKeyHex ? { d: b64u(privateKeyHex) } : {}) };
}

/** A manufacturer's public key (0x04… or compressed hex) as a Node key object. */
export function labelVerifyingKey(publicKeyHex: string): KeyObject {
  return createPublicKey({ key: jwk(publicKeyHex), format: "jwk" });
}

export function signLabel(privateKeyHex: string, link: Pick<PartLink, "gtin" | "serial" | "lot">): string {
  const key = createPrivateKey({ key: jwk(new SigningKey(privateKeyHex).publicKey, privateKeyHex), format: "jwk" });
  return sign("sha256", labelMessage(link), { key, dsaEncoding: "ieee-p1363" }).toString("base64url");
}

/** Whether `link.signature` is `key`'s signature over the link. */
export function labelSignedBy(link: PartLink, key: KeyObject): boolean {
  if (!link.signature) return false;
  const sig = Buffer.from(link.signature, "base64url");
  if (sig.length !== 64) return false;
  try {
    return verify("sha256", labelMessage(link), { key, dsaEncoding: "ieee-p1363" }, sig);
  } catch {
    return false;
  }
}
