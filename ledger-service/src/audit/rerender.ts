import { toEpcis, type EpcisObjectEvent, type LedgerFields } from "../events/epcis.js";

/** The signed ledger fields, by name: an event's only content that the chain and a signature vouch for. */
const SIGNED_KEYS = [
  "version",
  "gtin",
  "serial",
  "lot",
  "step",
  "actor",
  "eventTimeMs",
  "place",
  "privateHash",
  "prevHash",
] as const satisfies ReadonlyArray<keyof LedgerFields>;
// A field added to LedgerFields must be added above too (this line stops compiling otherwise).
const EVERY_FIELD_LISTED: [Exclude<keyof LedgerFields, (typeof SIGNED_KEYS)[number]>] extends [never] ? true : never =
  true;
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
  if (Array.isArray(got) && Array.isArray(want)) {
    const n = Math.max(got.length, want.length);
    for (let i = 0; i < n; i++) {
      if (i >= got.length || i >= want.length) return { path: `${path}[${i}]`, got: got[i], want: want[i] };
      const d = firstDifference(got[i], want[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (isObject(got) && isObject(want)) {
    let wantKeys = 0;
    for (const k in want) {
      wantKeys++;
      if (!(k in got)) return { path: child(path, k), got: undefined, want: want[k] };
      const g = got[k];
      const w = want[k];
      if (g !== w) {
        const d = firstDifference(g, w, child(path, k));
        if (d) return d;
      }
    }
    let gotKeys = 0;
    for (const _k in got) gotKeys++;
    if (gotKeys !== wantKeys)
      for (const k in got) if (!(k in want)) return { path: child(path, k), got: got[k], want: undefined };
    return null;
  }
  return { path: path || "(event)", got, want };
}

function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** How a difference reads in a failure: what the bundle says, and what the signed fields render to. */
export function describeDifference(d: Difference): string {
  if (d.want === undefined)
    return `${d.path} is not among the signed fields (${JSON.stringify(d.got)?.slice(0, 80)}): unsigned content`;
  if (d.got === undefined)
    return `${d.path} is missing, the signed fields render ${JSON.stringify(d.want)?.slice(0, 80)}`;
  return (
    `${d.path} is ${JSON.stringify(d.got)?.slice(0, 80)}, the signed fields render ` +
    `${JSON.stringify(d.want)?.slice(0, 80)}`
  );
}
