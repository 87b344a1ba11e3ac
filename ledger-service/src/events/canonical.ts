import { keccak256 } from "./keccak.js";
import { hexPrefixBytes, keccakUtf8, toHex, type Hex } from "./bytes.js";

/**
 * The canonical encoding of a ledger event, version 1 — the TypeScript half of contracts/lib/LedgerLeaf.sol.
 * Every field is a static ABI type, so abi.encode is a row of 32-byte words, written here directly (the ABI coder
 * gives the same bytes ~50× slower; test/ledger/canonical.test.ts checks both and the contract).
 */
export const ENCODING_VERSION = 1;

export const PART_EVENT_TYPE =
  "PartEvent(uint8 version,bytes32 partKey,uint8 step,address actor,uint64 eventTime,bytes32 lotHash,bytes32 placeHash,bytes32 privateHash,bytes32 prevHash)";
export const PART_EVENT_TYPEHASH = keccakUtf8(PART_EVENT_TYPE);

/** The signed and anchored fields of one event. Hashes are 0x hex; actor is a 0x address. */
export interface CanonicalEvent {
  version: number;
  partKey: Hex;
  step: number;
  actor: Hex;
  eventTime: number;
  lotHash: Hex;
  placeHash: Hex;
  privateHash: Hex;
  prevHash: Hex;
}

/** keccak256 of the part's GS1 Digital Link path: the key under which chain and ledger know a part. */
export function partKeyOf(gtin: string, serial: string): Hex {
  return toHex(keccakUtf8(`/01/${gtin}/21/${serial}`));
}

// Lots and places repeat across thousands of events: remember their hashes (bounded).
const small = new Map<string, Hex>();
function cachedHash(s: string): Hex {
  let h = small.get(s);
  if (h === undefined) {
    h = toHex(keccakUtf8(s));
    if (small.size > 50_000) small.clear();
    small.set(s, h);
  }
  return h;
}
export const lotHashOf = (lot: string): Hex => cachedHash(lot);
export const placeHashOf = (place: string): Hex => cachedHash(place);

/** Writes a non-negative safe integer as the last 8 bytes of 32-byte word `word` (big-endian). */
function putUint(buf: Uint8Array, word: number, value: number): void {
  const at = word * 32 + 24;
  const hi = Math.floor(value / 2 ** 32);
  const lo = value >>> 0;
  buf[at] = hi >>> 24;
  buf[at + 1] = (hi >>> 16) & 0xff;
  buf[at + 2] = (hi >>> 8) & 0xff;
  buf[at + 3] = hi & 0xff;
  buf[at + 4] = lo >>> 24;
  buf[at + 5] = (lo >>> 16) & 0xff;
  buf[at + 6] = (lo >>> 8) & 0xff;
  buf[at + 7] = lo & 0xff;
}

function putBytes(buf: Uint8Array, word: number, hex: string, length: number): void {
  const start = word * 32 + (32 - length);
  const written = hexPrefixBytes(hex.startsWith("0x") ? hex.slice(2) : hex, length, buf, start).length;
  if (written !== length || hex.length !== 2 + 2 * length)
    throw new TypeError(`expected ${length} bytes of 0x hex, got ${JSON.stringify(hex.slice(0, 70))}`);
}

/** abi.encode(PART_EVENT_TYPEHASH, …fields) */
export function encodeStruct(e: CanonicalEvent): Uint8Array {
  if (e.version !== ENCODING_VERSION) throw new RangeError(`unknown encoding version ${e.version}`);
  if (!Number.isSafeInteger(e.eventTime) || e.eventTime < 0)
    throw new RangeError(`eventTime ${e.eventTime} is not a uint64 millisecond time`);
  const buf = new Uint8Array(320);
  buf.set(PART_EVENT_TYPEHASH, 0);
  putUint(buf, 1, e.version);
  putBytes(buf, 2, e.partKey, 32);
  putUint(buf, 3, e.step);
  putBytes(buf, 4, e.actor, 20);
  putUint(buf, 5, e.eventTime);
  putBytes(buf, 6, e.lotHash, 32);
  putBytes(buf, 7, e.placeHash, 32);
  putBytes(buf, 8, e.privateHash, 32);
  putBytes(buf, 9, e.prevHash, 32);
  return buf;
}

/** The EIP-712 struct hash: the event's identity and the link its successor points back to. */
export function structHashOf(e: CanonicalEvent): Uint8Array {
  return keccak256(encodeStruct(e));
}

/**
 * Leaf version 1 (OpenZeppelin standard leaf): keccak256(bytes.concat(keccak256(abi.encode(uint8 version, bytes32
 * structHash)))). It binds the event but not its place in the log: batches sealed before leaf v2 keep it.
 */
export function leafOfStructHash(structHash: Uint8Array, version = ENCODING_VERSION): Uint8Array {
  const buf = new Uint8Array(64);
  buf[31] = version;
  buf.set(structHash, 32);
  return keccak256(keccak256(buf));
}

export function leafOf(e: CanonicalEvent): Uint8Array {
  return leafOfStructHash(structHashOf(e), e.version);
}

/** Merkle leaf versions. A batch records the one its tree was built with (ledger_batches.leaf_version). */
export const LEAF_V1 = 1;
export const LEAF_V2 = 2;
/** The version new batches are sealed with. */
export const CURRENT_LEAF_VERSION = LEAF_V2;

/**
 * Leaf version 2, bound to the event's position: keccak256(bytes.concat(keccak256(abi.encode(uint8(2),
 * bytes32 structHash, uint64 seq, uint64 batchId)))). A swapped, reordered or renumbered event no longer fits the
 * anchored root, though sibling order in the tree stays free.
 */
export function leafV2OfStructHash(structHash: Uint8Array, seq: number, batchId: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`seq ${seq} is not a positive uint64`);
  if (!Number.isSafeInteger(batchId) || batchId < 1) {
    throw new RangeError(`batchId ${batchId} is not a positive uint64`);
  }
  const buf = new Uint8Array(128);
  buf[31] = LEAF_V2;
  buf.set(structHash, 32);
  putUint(buf, 2, seq);
  putUint(buf, 3, batchId);
  return keccak256(keccak256(buf));
}

/**
 * The leaf of the event with struct hash `structHash` at `seq` in batch `batchId`, in the batch's leaf version
 * (absent: 1, for bundles exported before leaf v2). Throws RangeError on an unknown version.
 */
export function batchLeafOf(
  leafVersion: number | undefined,
  structHash: Uint8Array,
  seq: number,
  batchId: number,
): Uint8Array {
  const version = leafVersion ?? LEAF_V1;
  if (version === LEAF_V2) return leafV2OfStructHash(structHash, seq, batchId);
  if (version === LEAF_V1) return leafOfStructHash(structHash, ENCODING_VERSION);
  throw new RangeError(`unknown leaf version ${JSON.stringify(leafVersion)} (known: ${LEAF_V1}, ${LEAF_V2})`);
}

/**
 * Salted hash of an event's private fields: keccak256(salt ‖ keccak256(utf8(JSON of the sorted fields))).
 * The salt (32 random bytes) stays encrypted in the ledger with the fields, so the chain and an exported bundle
 * reveal nothing, while a holder of the fields and salt can prove them.
 */
export function privateHashOf(fields: Record<string, string>, salt: Uint8Array): Hex {
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
  const buf = new Uint8Array(64);
  buf.set(salt, 0);
  buf.set(keccakUtf8(JSON.stringify(sorted)), 32);
  return toHex(keccak256(buf));
}
