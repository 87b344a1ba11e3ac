import { AppError } from "../errors.js";
import { assertGtin14 } from "./gtin.js";
import { assertLot, assertSerial } from "./serial.js";

/** A part's identity as carried by a GS1 Digital Link URI. */
export interface PartLink {
  gtin: string;
  serial: string;
  lot?: string | undefined;
  /** PartLedger's label signature (`s=`), base64url. */
  signature?: string | undefined;
}

/** The path and query that identify a part: `/01/{gtin}/21/{serial}?10={lot}` — what a label signature covers. */
export function linkPath(link: Pick<PartLink, "gtin" | "serial" | "lot">): string {
  return (
    `/01/${link.gtin}/21/${encodeURIComponent(link.serial)}` + (link.lot ? `?10=${encodeURIComponent(link.lot)}` : "")
  );
}

/** The full URI printed in a label's QR code. */
export function digitalLinkUri(base: string, link: PartLink): string {
  const path = linkPath(link);
  return `${base.replace(/\/$/, "")}${path}${link.signature ? `${path.includes("?") ? "&" : "?"}s=${link.signature}` : ""}`;
}

/** Parses and validates the path + query of a Digital Link URI; a bad one is an error naming what is wrong. */
export function parseDigitalLink(gtin: string, serial: string, query: Record<string, unknown>): PartLink {
  assertGtin14(gtin, "gtin");
  assertSerial(serial, "serial");
  const lot = query["10"];
  const signature = query.s;
  if (lot !== undefined && typeof lot !== "string")
    throw new AppError("GS1.INVALID_LINK", "the lot (10=) may appear once", 400, { field: "10" });
  if (signature !== undefined && (typeof signature !== "string" || !/^[A-Za-z0-9_-]{86}$/.test(signature))) {
    throw new AppError("GS1.INVALID_LINK", "the label signature (s=) must be 86 base64url characters", 400, {
      field: "s",
    });
  }
  return {
    gtin,
    serial,
    ...(lot !== undefined ? { lot: assertLot(lot, "lot") } : {}),
    ...(signature !== undefined ? { signature } : {}),
  };
}
