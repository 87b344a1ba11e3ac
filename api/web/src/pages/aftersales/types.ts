/** The returns, disputes and recalls answers as the after-sales screens read them. */
export interface ReturnPhoto {
  id: string;
  companyId: string;
  media: string;
  bytes: number;
  at: string;
}

export interface ReturnRow {
  id: string;
  orderId: string;
  lineNo: number;
  requesterId: string;
  sellerId: string;
  gtin: string | null;
  serial: string | null;
  quantity: number;
  authorisedQuantity: number | null;
  unitPriceFen: number;
  reason: string;
  status: string;
  inspection: string | null;
  resolution: string | null;
  note: string | null;
  authoriseDue: string;
  refundDue: string | null;
  createdAt: string;
  history?: Array<{ from: string | null; to: string; actor: string; note: string | null; at: string }>;
  refund?: { id: string; amountFen: number; kind: string } | null;
  photos?: ReturnPhoto[];
}

export interface TimelineItem {
  at: string;
  kind: "return_status" | "ledger" | "photo" | "message" | "dispute_status";
  side: "requester" | "seller" | "platform" | "system" | null;
  actor: string | null;
  text: string | null;
  ref: string | null;
}

export interface DisputeRow {
  id: string;
  returnId: string;
  requesterId: string;
  sellerId: string;
  status: string;
  reason: string;
  claimFen: number;
  maxFen: number;
  arbiter: string | null;
  proposal: { outcome: string; amountFen: number; note: string | null; by: string } | null;
  approvalId: string | null;
  outcome: string | null;
  outcomeFen: number | null;
  refundId: string | null;
  createdAt: string;
  settledAt: string | null;
  sides?: Array<"requester" | "seller" | "platform">;
  approvalStatus?: string | null;
  return?: {
    id: string;
    orderId: string;
    lineNo: number;
    gtin: string | null;
    serial: string | null;
    quantity: number;
    authorisedQuantity: number | null;
    unitPriceFen: number;
    reason: string;
    status: string;
    note: string | null;
    refusal: string | null;
  };
  timeline?: TimelineItem[];
}

export interface Recall {
  id: string;
  gtin: string;
  lot: string | null;
  serialFrom: string | null;
  serialTo: string | null;
  reason: string;
  status: string;
  units: number;
  createdAt: string;
  progress?: { located: number; returned: number; replaced: number; unreachable: number };
  holders?: number;
  installed?: number;
  installers?: number;
}

export const REASONS = [
  "defective",
  "wrong_part",
  "damaged_in_transit",
  "not_as_described",
  "fitment_wrong",
  "ordered_by_mistake",
] as const;
