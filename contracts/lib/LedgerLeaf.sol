// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title LedgerLeaf
 * @notice The one canonical encoding of a ledger event (version 1), shared with
 * `ledger-service/src/events/canonical.ts`. The struct hash is the EIP-712 struct hash the acting company signs;
 * the Merkle leaf is OpenZeppelin's standard leaf, so `MerkleProof.verify` accepts the proofs the ledger hands out.
 * Leaf v1 covers (version, structHash); leaf v2 (every batch sealed since) also covers the event's sequence number
 * and batch id, so an event cannot be moved, swapped or renumbered. Private fields (a VIN, customer data) only
 * ever enter as salted hashes. Specification: docs/verification.md.
 */
library LedgerLeaf {
    /// @notice Encoding version carried in every leaf. A new encoding gets a new number, never a changed meaning.
    uint8 internal constant VERSION = 1;

    /// @notice Leaf version 2: the leaf binds the event's sequence number and batch id.
    uint8 internal constant LEAF_V2 = 2;

    /// @notice EIP-712 type of a signed part event.
    bytes32 internal constant PART_EVENT_TYPEHASH =
        keccak256(
            "PartEvent(uint8 version,bytes32 partKey,uint8 step,address actor,uint64 eventTime,bytes32 lotHash,bytes32 placeHash,bytes32 privateHash,bytes32 prevHash)"
        );

    /// @notice A lifecycle event as signed and anchored.
    struct PartEvent {
        uint8 version;
        bytes32 partKey; // keccak256("/01/{gtin}/21/{serial}")
        uint8 step; // the PartLifecycle.Stage the event moves the part to
        address actor; // the company's chain address that signed it
        uint64 eventTime; // milliseconds since the Unix epoch, UTC
        bytes32 lotHash; // keccak256(utf8(lot))
        bytes32 placeHash; // keccak256(utf8(regionCode ":" location)), e.g. keccak256("320505:SZ-PLANT-1")
        bytes32 privateHash; // salted hash of private step fields (VIN …), zero when none
        bytes32 prevHash; // struct hash of the part's previous event, zero for commissioning
    }

    /// @notice The EIP-712 struct hash of `e`.
    function structHash(PartEvent memory e) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    PART_EVENT_TYPEHASH,
                    e.version,
                    e.partKey,
                    e.step,
                    e.actor,
                    e.eventTime,
                    e.lotHash,
                    e.placeHash,
                    e.privateHash,
                    e.prevHash
                )
            );
    }

    /// @notice The Merkle leaf of `e`: keccak256(bytes.concat(keccak256(abi.encode(version, structHash)))).
    function leaf(PartEvent memory e) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(e.version, structHash(e)))));
    }

    /**
     * @notice The version-2 Merkle leaf of `e` at sequence number `seq` in batch `batchId`:
     * keccak256(bytes.concat(keccak256(abi.encode(uint8(2), structHash, seq, batchId)))).
     */
    function leafV2(PartEvent memory e, uint64 seq, uint64 batchId) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(LEAF_V2, structHash(e), seq, batchId))));
    }
}
