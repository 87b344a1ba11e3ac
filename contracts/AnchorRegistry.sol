// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LedgerLeaf} from "./lib/LedgerLeaf.sol";

/**
 * @title AnchorRegistry
 * @notice Stores the Merkle root and event count of each sealed ledger batch under a sequential batch id
 * (1, 2, 3 …): no gaps, never overwritten, written only by the anchorer. Anyone can check an event against it.
 */
contract AnchorRegistry is AccessControl {
    /// @notice May anchor batch roots.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @notice One anchored batch, packed: root in one slot, count and time in the next.
    struct Anchor {
        bytes32 root;
        uint64 eventCount;
        uint64 anchoredAt;
    }

    /**
     * @notice A part's latest anchored pledge step (a pledge or a release, DECISIONS 107/117), packed in one slot:
     * the event's ledger sequence number, the batch it is anchored in, and its step (5 Pledged, 6 Released).
     */
    struct PledgeHead {
        uint64 seq;
        uint64 batchId;
        uint8 step;
    }

    /// @dev The ledger's pledge steps (TypeScript `Stage.Pledged`/`Stage.Released`); PartLifecycle never holds them.
    uint8 private constant _PLEDGED = 5;
    uint8 private constant _RELEASED = 6;

    mapping(uint64 batchId => Anchor) private _anchors;
    mapping(bytes32 partKey => PledgeHead) private _pledgeHeads;
    uint64 private _lastBatchId;

    /// @notice Batch `batchId` with `eventCount` events and Merkle root `root` was anchored.
    event BatchAnchored(uint64 indexed batchId, bytes32 root, uint64 eventCount);

    /// @notice Batch `batchId` moved the pledge head of `partKey` to event `seq` (step 5 Pledged or 6 Released).
    event PledgeHeadMoved(bytes32 indexed partKey, uint64 indexed batchId, uint64 seq, uint8 step);

    /// @notice `batchId` is not the next id (`expected`): ids are sequential and never reused.
    error AnchorRegistryUnexpectedBatchId(uint64 batchId, uint64 expected);
    /// @notice A batch must hold at least one event and have a non-zero root.
    error AnchorRegistryEmptyBatch(uint64 batchId);
    /// @notice No batch `batchId` has been anchored.
    error AnchorRegistryUnknownBatch(uint64 batchId);
    /// @notice The pledge heads' arrays differ in length.
    error AnchorRegistryPledgeHeadsMismatch(uint256 partKeys, uint256 seqs, uint256 steps);
    /// @notice `step` is not a pledge step (5 Pledged, 6 Released).
    error AnchorRegistryNotPledgeStep(bytes32 partKey, uint8 step);
    /// @notice A pledge head only moves forward: `seq` is not after the part's head `head`.
    error AnchorRegistryStalePledgeHead(bytes32 partKey, uint64 seq, uint64 head);
    /// @notice The zero address cannot administer the registry.
    error AnchorRegistryZeroAdmin();

    /// @param admin receives DEFAULT_ADMIN_ROLE and grants ANCHORER_ROLE.
    constructor(address admin) {
        if (admin == address(0)) revert AnchorRegistryZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /**
     * @notice Anchors the root of batch `batchId`, which must be exactly one past the last anchored id.
     * @param batchId the ledger's batch id (first batch is 1).
     * @param root the batch's Merkle root (sorted-pair keccak256, OpenZeppelin leaves).
     * @param eventCount the number of events (leaves) in the batch.
     */
    function anchor(uint64 batchId, bytes32 root, uint64 eventCount) external onlyRole(ANCHORER_ROLE) {
        _anchor(batchId, root, eventCount);
    }

    /**
     * @notice Anchors batch `batchId` like `anchor` and, in the same transaction, moves the pledge head of each part
     * whose pledge or release the batch holds to that event (its last one in the batch), so that a lender can tell
     * from the chain alone whether the pledge its bundle shows is still the part's latest pledge step.
     * @param batchId the ledger's batch id (first batch is 1).
     * @param root the batch's Merkle root.
     * @param eventCount the number of events (leaves) in the batch.
     * @param partKeys the parts whose pledge head moves, each once.
     * @param seqs each part's last pledge-step event in this batch (its ledger sequence number).
     * @param steps each such event's step: 5 Pledged or 6 Released.
     */
    function anchorWithPledgeHeads(
        uint64 batchId,
        bytes32 root,
        uint64 eventCount,
        bytes32[] calldata partKeys,
        uint64[] calldata seqs,
        uint8[] calldata steps
    ) external onlyRole(ANCHORER_ROLE) {
        if (partKeys.length != seqs.length || partKeys.length != steps.length) {
            revert AnchorRegistryPledgeHeadsMismatch(partKeys.length, seqs.length, steps.length);
        }
        _anchor(batchId, root, eventCount);
        for (uint256 i = 0; i < partKeys.length; ++i) {
            bytes32 key = partKeys[i];
            if (steps[i] != _PLEDGED && steps[i] != _RELEASED) revert AnchorRegistryNotPledgeStep(key, steps[i]);
            uint64 head = _pledgeHeads[key].seq;
            if (seqs[i] <= head) revert AnchorRegistryStalePledgeHead(key, seqs[i], head);
            _pledgeHeads[key] = PledgeHead({seq: seqs[i], batchId: batchId, step: steps[i]});
            emit PledgeHeadMoved(key, batchId, seqs[i], steps[i]);
        }
    }

    /**
     * @notice The latest anchored pledge step of each part (seq 0: none anchored through `anchorWithPledgeHeads`).
     * @param partKeys the part keys.
     */
    function pledgeHeadsOf(bytes32[] calldata partKeys) external view returns (PledgeHead[] memory heads) {
        heads = new PledgeHead[](partKeys.length);
        for (uint256 i = 0; i < partKeys.length; ++i) {
            heads[i] = _pledgeHeads[partKeys[i]];
        }
    }

    /**
     * @notice The anchored root, event count and time of `batchId`; reverts if it was never anchored.
     * @param batchId the batch id.
     */
    function anchorOf(uint64 batchId) external view returns (Anchor memory) {
        Anchor memory a = _anchors[batchId];
        if (a.root == bytes32(0)) revert AnchorRegistryUnknownBatch(batchId);
        return a;
    }

    /// @notice The highest anchored batch id (0 before the first).
    function lastBatchId() external view returns (uint64) {
        return _lastBatchId;
    }

    /**
     * @notice Whether `leaf` with `proof` belongs to anchored batch `batchId`.
     * @param batchId the batch id.
     * @param leaf the event's leaf (LedgerLeaf.leaf or LedgerLeaf.leafV2, as the batch's leaf version says).
     * @param proof sibling hashes from leaf to root.
     */
    function verifyLeaf(uint64 batchId, bytes32 leaf, bytes32[] calldata proof) public view returns (bool) {
        bytes32 root = _anchors[batchId].root;
        if (root == bytes32(0)) return false;
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /**
     * @notice Whether event `e` with `proof` belongs to anchored batch `batchId` under leaf v1 (batches sealed before
     * leaf v2); the leaf is computed on chain.
     * @param batchId the batch id.
     * @param e the event fields.
     * @param proof sibling hashes from leaf to root.
     */
    function verifyEvent(
        uint64 batchId,
        LedgerLeaf.PartEvent calldata e,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return verifyLeaf(batchId, LedgerLeaf.leaf(e), proof);
    }

    /**
     * @notice Whether event `e`, number `seq` in the ledger, belongs to anchored batch `batchId` under leaf v2 (the
     * leaf binds `seq` and `batchId`, so the event cannot be claimed at another position or in another batch).
     * @param batchId the batch id.
     * @param e the event fields.
     * @param seq the event's sequence number.
     * @param proof sibling hashes from leaf to root.
     */
    function verifyEventV2(
        uint64 batchId,
        LedgerLeaf.PartEvent calldata e,
        uint64 seq,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return verifyLeaf(batchId, LedgerLeaf.leafV2(e, seq, batchId), proof);
    }

    /**
     * @notice The canonical EIP-712 struct hash and version-2 Merkle leaf of `e` at `seq` in `batchId`.
     * @param e the event fields.
     * @param seq the event's sequence number.
     * @param batchId the batch the event is sealed in.
     */
    function hashEventV2(
        LedgerLeaf.PartEvent calldata e,
        uint64 seq,
        uint64 batchId
    ) external pure returns (bytes32 structHash, bytes32 leaf) {
        return (LedgerLeaf.structHash(e), LedgerLeaf.leafV2(e, seq, batchId));
    }

    /**
     * @notice The canonical EIP-712 struct hash and Merkle leaf (v1) of `e` (for cross-checking off-chain encoders).
     * @param e the event fields.
     */
    function hashEvent(LedgerLeaf.PartEvent calldata e) external pure returns (bytes32 structHash, bytes32 leaf) {
        return (LedgerLeaf.structHash(e), LedgerLeaf.leaf(e));
    }

    function _anchor(uint64 batchId, bytes32 root, uint64 eventCount) private {
        uint64 expected = _lastBatchId + 1;
        if (batchId != expected) revert AnchorRegistryUnexpectedBatchId(batchId, expected);
        if (root == bytes32(0) || eventCount == 0) revert AnchorRegistryEmptyBatch(batchId);
        _lastBatchId = batchId;
        _anchors[batchId] = Anchor({root: root, eventCount: eventCount, anchoredAt: uint64(block.timestamp)});
        emit BatchAnchored(batchId, root, eventCount);
    }
}
