/** What scanners type: carton codes (DECISIONS 64) and part codes (GS1 Digital Link or element strings). */

/** A carton code as the API takes it (dispatch id or SSCC-18), from a label's Digital Link …/00/{sscc}, (00)…, or as typed. */
export function cartonKey(raw: string): string | null {
  const s = raw.trim();
  const link = /\/00\/(\d{18})(?:[/?#]|$)/.exec(s);
  if (link) return link[1]!;
  const ai = /^(?:\(00\)|00)?(\d{18})$/.exec(s);
  if (ai) return ai[1]!;
  if (/^d_[0-9a-f]{16}$/.test(s)) return s;
  return null;
}

export interface PartRef {
  gtin: string;
  serial: string;
}

/** A part from its label: a Digital Link …/01/{gtin}/21/{serial}, or (01){gtin}(21){serial}. */
export function partRef(raw: string): PartRef | null {
  const s = raw.trim();
  const link = /\/01\/(\d{14})\/21\/([^/?#]+)/.exec(s);
  if (link) return { gtin: link[1]!, serial: decodeURIComponent(link[2]!) };
  const ai = /^\(01\)(\d{14})\(21\)(.{1,20})$/.exec(s);
  if (ai) return { gtin: ai[1]!, serial: ai[2]! };
  return null;
}
