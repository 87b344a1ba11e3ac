import { getAddress, verifyMessage } from "ethers";
import type { Hex } from "../events/bytes.js";

/**
 * The label check of a bundle audit (DECISIONS 74), browser-safe: the manufacturer's label public key travels in the
 * bundle with a binding signed by its chain key, so the auditor trusts neither our server's published key nor the
 * bundle's word for it — the binding's signer must be the company that signed the part's commissioning event.
 */

/** What the manufacturer's chain key signs (EIP-191 personal_sign) to bind its label public key (base64url). */
export const labelKeyBindingMessage = (publicKeyB64: string): string => `PartLedger label key v1\n${publicKeyB64}`;

/** The bundle's label key: the commissioning company's Ed25519 label public key and its chain key's binding. */
export interface BundleLabelKey {
  /** The company (chain address) that signed the binding. */
  actor: Hex;
  /** The raw 32-byte Ed25519 public key, base64url. */
  publicKey: string;
  /** EIP-191 personal_sign by `actor` of labelKeyBindingMessage(publicKey). */
  binding: Hex;
}

/** A part link as printed on a label: `…/01/{gtin}/21/{serial}?10={lot}&s={signature}`. */
export interface LabelLink {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  signature?: string | undefined;
}

/** The link's part, lot and label signature; null when it names no part. */
export function labelLinkOf(link: string): LabelLink | null {
  const m = /\/01\/(\d{14})\/21\/([^/?#]+)([^#]*)/.exec(link);
  if (!m) return null;
  const q = new URLSearchParams(m[3]!.startsWith("?") ? m[3]!.slice(1) : "");
  return {
    gtin: m[1]!,
    serial: decodeURIComponent(m[2]!),
    lot: q.get("10") ?? undefined,
    signature: q.get("s") ?? undefined,
  };
}

/** The bytes a label signature covers: "PartLedger label v1\n" + `/01/{gtin}/21/{serial}?10={lot}` (as labelMessage). */
export function labelMessageBytes(link: Pick<LabelLink, "gtin" | "serial" | "lot">): Uint8Array<ArrayBuffer> {
  const path =
    `/01/${link.gtin}/21/${encodeURIComponent(link.serial)}` + (link.lot ? `?10=${encodeURIComponent(link.lot)}` : "");
  return new TextEncoder().encode(`PartLedger label v1\n${path}`);
}

function fromB64url(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Ed25519 verification by WebCrypto (Chromium, Node): whether `signatureB64` signs `message` under `publicKeyB64`. */
export async function ed25519Verifies(
  publicKeyB64: string,
  signatureB64: string,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(publicKeyB64) || !/^[A-Za-z0-9_-]{86}$/.test(signatureB64)) return false;
  const key = await crypto.subtle.importKey("raw", fromB64url(publicKeyB64), { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, fromB64url(signatureB64), message);
}

/** Who signed the binding (checksummed address); null when it is not a signature. */
export function bindingSigner(label: BundleLabelKey): Hex | null {
  try {
    return getAddress(verifyMessage(labelKeyBindingMessage(label.publicKey), label.binding)) as Hex;
  } catch {
    return null;
  }
}

/** What verifyBundle learns of the link before the (synchronous) checks: the link, and whether its signature verifies. */
export interface LabelEvidence {
  link: LabelLink;
  /** The Ed25519 verdict under the bundle's label key; null when the link has no `s=` or the bundle no label key. */
  signatureValid: boolean | null;
  /** The binding's signer; null when the bundle carries no label key or the binding is no signature. */
  signer: Hex | null;
}

/** Gathers the label evidence of `link` for `labelKey` (the bundle's), or null when no link was given. */
export async function labelEvidence(link: string | undefined, labelKey: BundleLabelKey | undefined) {
  if (!link) return null;
  const parsed = labelLinkOf(link);
  if (!parsed) return null;
  let signatureValid: boolean | null = null;
  if (parsed.signature && labelKey) {
    try {
      signatureValid = await ed25519Verifies(labelKey.publicKey, parsed.signature, labelMessageBytes(parsed));
    } catch {
      signatureValid = false;
    }
  }
  return { link: parsed, signatureValid, signer: labelKey ? bindingSigner(labelKey) : null } satisfies LabelEvidence;
}
