import { keccak256 } from "./keccak.js";
import { hexPrefixBytes, toHex, type Hex } from "./bytes.js";

const DOMAIN = new TextEncoder().encode("partledger:ship-to");

/**
 * The destination of a shipping event, as signed: keccak256(utf8("partledger:ship-to") ‖ the receiving company's
 * 20-byte address). A shipping event carries it in its `privateHash` field (which no shipping event used before; the
 * value is not secret — anyone holding the receiver's address can recompute it), so the shipper signs whom the part
 * goes to, and a verifier checks that the next receipt is by exactly that company.
 */
export function shipToHashOf(address: string): Hex {
  const hex = address.replace(/^0x/, "");
  const addr = hexPrefixBytes(hex, hex.length);
  if (addr.length !== 20) throw new TypeError(`expected a 20-byte 0x address, got ${JSON.stringify(address)}`);
  const buf = new Uint8Array(DOMAIN.length + 20);
  buf.set(DOMAIN, 0);
  buf.set(addr, DOMAIN.length);
  return toHex(keccak256(buf));
}
