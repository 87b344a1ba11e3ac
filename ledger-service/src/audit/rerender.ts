import { toEpcis, type EpcisObjectEvent, type LedgerFields } from "../events/epcis.js";

/** The signed ledger fields, by name: an event's only content that the chain and a signature vouch for. */
const SIGNED_KEYS = [
  "version", "gtin", "serial", "lot", "step", "actor", "eventTimeMs", "place", "privateHash", "prevHash",
] as const satisfies ReadonlyArray<keyof LedgerFields>;
// A field added to LedgerFields must be added above too (this line stops compiling otherwise).
const EVERY_FIELD_LISTED: [Exclude<keyof LedgerFields, (typeof SIGNED_KEYS)[number]>] extends [never] ? true : never = true;
void EVERY_FIELD_LISTED;

/** The event exactly as the platform renders it from its signed fields alone (nothing else carried over). */
export function rerender(event: EpcisObjectEvent): EpcisObjectEvent {
  const f = event["partledger:ledger"] as unknown as Record<string, unknown>;
  const signed: Record<string, unknown> = {};
  for (const k of SIGNED_KEYS) if (k in f) signed[k] = f[k];
  return toEpcis(signed as unknown as LedgerFields);
}

export interface Difference {
  /** Where, as a path into the event: `bizLocation`, `partledger:ledger.extra`, `epcList[0]`. */
  path: string;
  got: unknown;
  want: unknown;
}

/**
 * The first place where `got` differs from `want` under canonical JSON equality (object key order is free; types,
 * values, array order and the set of keys are not); null when they are equal.
 */
export function firstDifference(got: unknown, want: unknown, path = ""): Difference | null {
  if (got === want) return null;
  const at = (k: string | number) => (typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k);
  if (Array.isArray(got) && Array.isArray(want)) {
    for (let i = 0; i < Math.max(got.length, want.length); i++) {
      if (i >= got.length || i >= want.length) return { path: at(i), got: got[i], want: want[i] };
      const d = firstDifference(got[i], want[i], at(i));
      if (d) return d;
    }
    return null;
  }
  if (isObject(got) && isObject(want)) {
    for (const k of Object.keys(got)) if (!(k in want)) return { path: at(k), got: got[k], want: undefined };
    for (const k of Object.keys(want)) {
      if (!(k in got)) return { path: at(k), got: undefined, want: want[k] };
      const d = firstDifference(got[k], want[k], at(k));
      if (d) return d;
    }
    return null;
  }
  return { path: path || "(event)", got, want };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** How a difference reads in a failure: what the bundle says, and what the signed fields render to. */
export function describeDifference(d: Difference): string {
  if (d.want === undefined) return `${d.path} is not among the signed fields (${JSON.stringify(d.got)?.slice(0, 80)}): unsigned content`;
  if (d.got === undefined) return `${d.path} is missing, the signed fields render ${JSON.stringify(d.want)?.slice(0, 80)}`;
  return `${d.path} is ${JSON.stringify(d.got)?.slice(0, 80)}, the signed fields render ${JSON.stringify(d.want)?.slice(0, 80)}`;
}
