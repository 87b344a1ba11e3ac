import { BIZ_STEP, Stage } from "../lifecycle/transitions.js";
import type { Hex } from "./bytes.js";
import { lotHashOf, partKeyOf, placeHashOf, type CanonicalEvent } from "./canonical.js";

/** The ledger's own fields inside an EPCIS event: exactly what is signed and anchored, in readable form. */
export interface LedgerFields {
  version: number;
  gtin: string;
  serial: string;
  lot: string;
  step: Stage;
  actor: Hex;
  eventTimeMs: number;
  place: string;
  privateHash: Hex;
  prevHash: Hex;
}

/** A GS1 EPCIS 2.0 ObjectEvent (JSON-LD) carrying the ledger fields under the `partledger:ledger` extension. */
export interface EpcisObjectEvent {
  type: "ObjectEvent";
  eventTime: string;
  eventTimeZoneOffset: "+08:00";
  epcList: [string];
  action: "ADD" | "OBSERVE";
  bizStep: string;
  disposition: string;
  readPoint: { id: string };
  ilmd?: { "cbvmda:lotNumber": string };
  "partledger:ledger": LedgerFields;
}

/** The part's GS1 Digital Link URI; the serial is percent-encoded (AI 21 allows `"%/<>?`, which a URI does not). */
export const digitalLink = (gtin: string, serial: string) =>
  `https://id.gs1.org/01/${gtin}/21/${encodeURIComponent(serial)}`;

const DISPOSITION: Record<Exclude<Stage, Stage.None>, string> = {
  [Stage.Commissioned]: "active",
  [Stage.Received]: "in_progress",
  [Stage.Installed]: "in_progress",
  [Stage.Shipped]: "in_transit",
  // CBV has no pledge disposition: the part stays in its holder's stock, encumbered (DECISIONS 107).
  [Stage.Pledged]: "urn:partledger:disp:pledged",
  [Stage.Released]: "urn:partledger:disp:released",
  [Stage.AuditCheckpoint]: "urn:partledger:disp:recorded",
};

/** Builds the stored/exported event for `f`. Times are UTC; the offset records where it happened (China). */
export function toEpcis(f: LedgerFields): EpcisObjectEvent {
  const step = f.step as Exclude<Stage, Stage.None>;
  return {
    type: "ObjectEvent",
    eventTime: new Date(f.eventTimeMs).toISOString(),
    eventTimeZoneOffset: "+08:00",
    epcList: [digitalLink(f.gtin, f.serial)],
    action: step === Stage.Commissioned ? "ADD" : "OBSERVE",
    bizStep: BIZ_STEP[step],
    disposition: DISPOSITION[step],
    readPoint: { id: `urn:partledger:place:${f.place}` },
    ...(step === Stage.Commissioned ? { ilmd: { "cbvmda:lotNumber": f.lot } } : {}),
    "partledger:ledger": f,
  };
}

/** The canonical (signed, hashed) form of a ledger event. */
export function canonicalOf(f: LedgerFields, partKey?: Hex): CanonicalEvent {
  return {
    version: f.version,
    partKey: partKey ?? partKeyOf(f.gtin, f.serial),
    step: f.step,
    actor: f.actor,
    eventTime: f.eventTimeMs,
    lotHash: lotHashOf(f.lot),
    placeHash: placeHashOf(f.place),
    privateHash: f.privateHash,
    prevHash: f.prevHash,
  };
}
