// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title LifecycleSpec
 * @notice The lifecycle rules written out again, independently of contracts/lib/PartLifecycle.sol and of
 * PartRegistry.mayActFor, as the property tests' model (README "Parts and their lifecycle", DECISIONS 8, 27, 31).
 * Stages: 0 None, 1 Commissioned, 2 Received, 3 Installed, 4 Shipped.
 */
library LifecycleSpec {
    uint8 internal constant NONE = 0;
    uint8 internal constant COMMISSIONED = 1;
    uint8 internal constant RECEIVED = 2;
    uint8 internal constant INSTALLED = 3;
    uint8 internal constant SHIPPED = 4;
    uint8 internal constant STAGES = 5;

    bytes32 internal constant MANUFACTURER = keccak256("MANUFACTURER_ROLE");
    bytes32 internal constant DISTRIBUTOR = keccak256("DISTRIBUTOR_ROLE");
    bytes32 internal constant INSTALLER = keccak256("INSTALLER_ROLE");

    /// @notice The edges of the lifecycle graph, listed one by one: anything else skips or reverses a stage.
    function isEdge(uint8 from, uint8 to) internal pure returns (bool) {
        return (from == NONE && to == COMMISSIONED) || (from == COMMISSIONED && to == RECEIVED)
            || (from == COMMISSIONED && to == SHIPPED) || (from == RECEIVED && to == RECEIVED)
            || (from == RECEIVED && to == INSTALLED) || (from == RECEIVED && to == SHIPPED)
            || (from == SHIPPED && to == RECEIVED);
    }

    /// @notice Whether an account holding these roles may move a part to `to`.
    function roleAllows(bool maker, bool dealer, bool installer, uint8 to) internal pure returns (bool) {
        if (to == COMMISSIONED) return maker;
        if (to == RECEIVED) return dealer || installer;
        if (to == INSTALLED) return installer;
        if (to == SHIPPED) return maker || dealer || installer;
        return false;
    }

    /// @notice Whether shipping or installing is done by someone other than the holder.
    function holderOnlyViolated(uint8 to, address holder, address actor) internal pure returns (bool) {
        return (to == SHIPPED || to == INSTALLED) && holder != actor;
    }

    /// @notice Whether a holder "receives" a part it already holds outside the end of its own shipment.
    function receivesOwn(uint8 from, uint8 to, address holder, address actor) internal pure returns (bool) {
        return to == RECEIVED && holder == actor && from != SHIPPED;
    }
}
