import { keccak256 } from "./keccak.js";

export type Hex = `0x${string}`;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(bytes: Uint8Array): Hex {
  let s = "0x";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s as Hex;
}

export function fromHex(hex: string, length?: number): Uint8Array {
  const h = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError(`not hex: ${hex.slice(0, 20)}`);
  if (length !== undefined && h.length !== length * 2)
    throw new TypeError(`expected ${length} bytes of hex, got ${h.length / 2}`);
  return Uint8Array.from(Buffer.from(h, "hex"));
}

const encoder = new TextEncoder();

export function keccakUtf8(s: string): Uint8Array {
  return keccak256(encoder.encode(s));
}

export const ZERO32 = new Uint8Array(32);
