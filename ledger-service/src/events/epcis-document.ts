import type { EpcisObjectEvent } from "./epcis.js";

/** GS1's EPCIS 2.0 JSON-LD context, and ours: `partledger:` names the ledger's extension (`partledger:ledger`). */
export const EPCIS_CONTEXT = [
  "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  { partledger: "urn:partledger:" },
] as const;

/** A GS1 EPCIS 2.0 `EPCISDocument` (JSON-LD): what is valid EPCIS on its own, unlike a bare event. */
export interface EpcisDocument {
  "@context": typeof EPCIS_CONTEXT;
  type: "EPCISDocument";
  schemaVersion: "2.0";
  creationDate: string;
  epcisBody: { eventList: EpcisObjectEvent[] };
}

/** Wraps `events` (in ledger order) in an EPCISDocument created at `creationDate`. */
export function epcisDocument(events: EpcisObjectEvent[], creationDate: Date): EpcisDocument {
  return {
    "@context": EPCIS_CONTEXT,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList: events },
  };
}

/**
 * Where a bundle's EPCISDocument differs from the events the bundle proves (their order included) — `at` is the
 * index of the first differing event, null for the document itself; null when it holds exactly them. The document
 * is a rendering for EPCIS tools: anything in it the proved events do not hold is unsigned, so the auditor refuses it.
 */
export function epcisDocumentMismatch(
  doc: unknown,
  events: ReadonlyArray<{ seq: number; event: unknown }>,
): { at: number | null; reason: string } | null {
  if (doc === undefined) return null;
  const whole = (reason: string) => ({ at: null, reason });
  const d = doc as Partial<EpcisDocument> | null;
  if (!d || d.type !== "EPCISDocument" || !jsonEqual(d["@context"], EPCIS_CONTEXT) || d.schemaVersion !== "2.0") {
    return whole("epcisDocument is not a PartLedger EPCIS 2.0 EPCISDocument (type, @context or schemaVersion)");
  }
  const keys = Object.keys(d).sort().join(",");
  if (keys !== "@context,creationDate,epcisBody,schemaVersion,type")
    return whole(`epcisDocument holds unexpected fields (${keys})`);
  const list = d.epcisBody?.eventList;
  if (!Array.isArray(list) || Object.keys(d.epcisBody!).length !== 1)
    return whole("epcisDocument.epcisBody must hold only eventList");
  if (list.length !== events.length)
    return whole(`epcisDocument lists ${list.length} events, the bundle proves ${events.length}`);
  for (let i = 0; i < list.length; i++) {
    if (!jsonEqual(list[i], events[i]!.event)) {
      return {
        at: i,
        reason: `epcisDocument.epcisBody.eventList[${i}] differs from event ${events[i]!.seq} as signed and proved`,
      };
    }
  }
  return null;
}

/**
 * Deep strict equality of JSON values (what node:util's isDeepStrictEqual answers for them, without Node, so the
 * verifier runs in a browser): primitives by Object.is (so -0 is not 0), arrays element by element, objects by the
 * same own keys (order free; a key holding undefined is not an absent key) and the same prototype.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.hasOwn(y, k) || !jsonEqual(x[k], y[k])) return false;
  return true;
}
