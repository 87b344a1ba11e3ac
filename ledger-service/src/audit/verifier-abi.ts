/**
 * The contract functions and event the verifier calls, as human-readable ABI: the verifier reads no build artifact,
 * so it runs in a browser too. test/audit/verifier-browser-safe.test.ts checks each against the compiled contracts.
 */
export const ANCHOR_REGISTRY_ABI = [
  "function lastBatchId() view returns (uint64)",
  "function anchorOf(uint64 batchId) view returns ((bytes32 root, uint64 eventCount, uint64 anchoredAt))",
  "event BatchAnchored(uint64 indexed batchId, bytes32 root, uint64 eventCount)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function ANCHORER_ROLE() view returns (bytes32)",
  "function pledgeHeadsOf(bytes32[] partKeys) view returns ((uint64 seq, uint64 batchId, uint8 step)[] heads)",
] as const;

export const PART_REGISTRY_ABI = [
  "function mayActFor(address account, uint8 to) view returns (bool)",
  "function stagesOf(bytes32[] partKeys) view returns (uint8[] stages)",
] as const;
