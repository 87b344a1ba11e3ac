import { isDeepStrictEqual } from "node:util";
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
  if (
    !d ||
    d.type !== "EPCISDocument" ||
    !isDeepStrictEqual(d["@context"], EPCIS_CONTEXT) ||
    d.schemaVersion !== "2.0"
  ) {
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
    if (!isDeepStrictEqual(list[i], events[i]!.event)) {
      return {
        at: i,
        reason: `epcisDocument.epcisBody.eventList[${i}] differs from event ${events[i]!.seq} as signed and proved`,
      };
    }
  }
  return null;
}
