/** The support module's answers as the console reads them (GET/POST /api/v1/support/…). */
export interface SupportMessage {
  id: string;
  author: "user" | "assistant" | "agent";
  body: string;
  intent: string | null;
  confidence: number | null;
  createdAt: string;
}

export interface SupportLookup {
  at: string;
  kind: string;
  ref: string | null;
  found: boolean;
}

export interface Conversation {
  id: string;
  /** null: an anonymous visitor of the scan page (channel "scan"). */
  companyId: string | null;
  channel?: "console" | "scan";
  part?: { gtin: string; serial: string } | null;
  /** The scan page visitor's contact, masked. */
  contact?: string | null;
  status: "bot" | "waiting" | "claimed" | "closed";
  handoverReason: string | null;
  handedOverAt: string | null;
  agentId: string | null;
  updatedAt: string;
  lookups?: SupportLookup[];
  messages?: SupportMessage[];
}
