import type { BatchRow } from "../anchoring/batch-store.js";
import type { Hex } from "../events/bytes.js";
import type { EpcisObjectEvent } from "../events/epcis.js";
import type { EpcisDocument } from "../events/epcis-document.js";
import type { BundleLabelKey } from "../audit/label-check.js";
import type { ActorKind } from "../lifecycle/transitions.js";

/** The bundle format (types only, no server code): what the verifier reads, in Node or in a browser. */
export const BUNDLE_FORMAT = "partledger.bundle/2";

/**
 * Everything an auditor needs to check events against the chain without us: the events (EPCIS 2.0 with the
 * ledger fields), the signed submissions they belong to, the batches with their roots and transactions, and the
 * chain and contracts they were anchored to (the auditor checks these against its pinned trust anchor, never trusts
 * them). Private fields appear only as salted hashes. The JSON Schema is docs/bundle.schema.json.
 */
export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  /** What the bundle was cut as: one part's whole history, or every event of a range of batches. */
  scope: { kind: "part"; gtin: string; serial: string } | { kind: "batches"; from: number; to: number };
  chain: { chainId: number; anchorRegistry: Hex; partRegistry: Hex };
  /**
   * Each part with events in the bundle, and whether the bundle claims to hold its latest event (when the bundle was
   * made). Only where it does may PartRegistry's stage be compared with the bundle's last event.
   */
  parts: Array<{ gtin: string; serial: string; latestIncluded: boolean }>;
  /** Each company that signed an event, as the platform registered it: attested by the platform, not by the chain. */
  actors: BundleActor[];
  /** `leafVersion`: how the batch's leaves are built (1 or 2, docs/verification.md); absent means 1. */
  batches: Array<{
    id: number;
    root: Hex;
    eventCount: number;
    firstSeq: number;
    leafVersion: number;
    status: BatchRow["status"];
    txHash: Hex | null;
    blockNumber: number | null;
  }>;
  submissions: Array<{ id: number; actor: Hex; eventsRoot: Hex; eventCount: number; signature: Hex }>;
  events: BundleEvent[];
  /**
   * The same events, in the same order, as a GS1 EPCIS 2.0 EPCISDocument for EPCIS tools (absent from bundles
   * exported before it existed). The auditor refuses a document that differs from `events[].event`.
   */
  epcisDocument?: EpcisDocument;
  /**
   * A part bundle's manufacturer label key: the Ed25519 public key its labels' `s=` signatures verify under, bound by
   * the manufacturer's chain key (DECISIONS 74). Absent from bundles exported before it existed, and where the
   * manufacturer keeps its own key (the platform derives no label key for it).
   */
  labelKey?: BundleLabelKey;
}

export interface BundleActor {
  address: Hex;
  name: string;
  /** 统一社会信用代码; null for the platform itself or a company the platform holds none for. */
  uscc: string | null;
  kind: ActorKind;
  attestedBy: "platform";
}

export interface BundleEvent {
  seq: number;
  structHash: Hex;
  batchId: number | null;
  leafIndex: number | null;
  /** Siblings up to the batch root. Absent in a batch-range bundle, where every leaf of the batch is present. */
  proof?: Hex[];
  submissionId: number;
  submissionIndex: number;
  /** Siblings up to the submission's signed events root. Absent when the whole submission is in the bundle. */
  submissionProof?: Hex[];
  event: EpcisObjectEvent;
}
