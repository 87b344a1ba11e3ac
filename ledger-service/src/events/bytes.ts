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
  return hexPrefixBytes(h, h.length / 2);
}

/** The value of each hex digit by char code; -1 for any other character. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE["0123456789abcdef".charCodeAt(i)] = i;
  NIBBLE["0123456789ABCDEF".charCodeAt(i)] = i;
}
const nibble = (c: number) => (c < 128 ? NIBBLE[c]! : -1);

/**
 * Decodes hex digits (no `0x`) as Node's `Buffer.from(s, "hex")` / `buf.write(s, "hex")` do, without Node: pair by
 * pair, stopping at the first pair that is not two hex digits (an odd last digit is dropped), and at `max` bytes. The
 * decoded prefix is written into `into` at `at` when given. Returns the bytes decoded (callers check the count).
 */
export function hexPrefixBytes(s: string, max: number, into?: Uint8Array, at = 0): Uint8Array {
  const n = Math.min(max, s.length >> 1);
  const out = into ?? new Uint8Array(n);
  let i = 0;
  for (; i < n; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) break;
    out[at + i] = (hi << 4) | lo;
  }
  if (into) return into.subarray(at, at + i);
  return i === n ? out : out.slice(0, i);
}

const encoder = new TextEncoder();

export function keccakUtf8(s: string): Uint8Array {
  return keccak256(encoder.encode(s));
}

export const ZERO32 = new Uint8Array(32);
