import { Signature, recoverAddress } from "ethers";
import { keccakUtf8, toHex, type Hex } from "./bytes.js";
import type { DigestSigner } from "./signing.js";
import { linkPath, type PartLink } from "../gs1/digital-link.js";

/**
 * A label's signature: the manufacturer's secp256k1 signature over keccak256("PartLedger label v1\n" + path),
 * where path is `/01/{gtin}/21/{serial}?10={lot}`, as a 64-byte EIP-2098 compact signature in base64url (86
 * characters). Anyone holding the manufacturer's address checks it offline: a code never issued fails.
 */
export const labelDigest = (link: Pick<PartLink, "gtin" | "serial" | "lot">): Hex => toHex(keccakUtf8(`PartLedger label v1\n${linkPath(link)}`));

export async function signLabel(signer: DigestSigner, link: Pick<PartLink, "gtin" | "serial" | "lot">): Promise<string> {
  const compact = Signature.from(await signer.signDigest(labelDigest(link))).compactSerialized;
  return Buffer.from(compact.slice(2), "hex").toString("base64url");
}

/** The address that signed a label, or null when the signature is malformed. */
export function labelSigner(link: PartLink): Hex | null {
  if (!link.signature) return null;
  try {
    const bytes = Buffer.from(link.signature, "base64url");
    if (bytes.length !== 64) return null;
    return recoverAddress(labelDigest(link), Signature.from("0x" + bytes.toString("hex"))) as Hex;
  } catch {
    return null;
  }
}
