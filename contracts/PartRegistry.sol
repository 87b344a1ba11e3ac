// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {PartLifecycle} from "./lib/PartLifecycle.sol";

/**
 * @title PartRegistry
 * @notice On-chain lifecycle of parts (the "on-chain lifecycle" mode): each part key moves
 * None → Commissioned → Received (→ Received …) → Installed, and only an account holding the role for the target
 * stage may move it. Anchored-only parts never appear here; their lifecycle is enforced by the ledger and
 * re-checked by the auditor against the roles held in this contract.
 */
contract PartRegistry is AccessControl {
    /// @notice May commission parts (factories).
    bytes32 public constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
    /// @notice May record receipt of parts (distributors at any level).
    bytes32 public constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");
    /// @notice May record receipt and installation of parts (repair shops).
    bytes32 public constant INSTALLER_ROLE = keccak256("INSTALLER_ROLE");

    /// @notice The state kept per part key, packed into one storage slot.
    struct PartState {
        PartLifecycle.Stage stage;
        address holder;
        uint64 updatedAt;
    }

    mapping(bytes32 partKey => PartState) private _parts;

    /// @notice A part moved from one stage to the next.
    event PartStageChanged(
        bytes32 indexed partKey,
        PartLifecycle.Stage from,
        PartLifecycle.Stage to,
        address indexed actor
    );

    /// @notice `partKey` cannot move from `from` to `to`.
    error PartRegistryInvalidTransition(bytes32 partKey, PartLifecycle.Stage from, PartLifecycle.Stage to);
    /// @notice `account` holds no role that may move parts to `to`.
    error PartRegistryUnauthorizedActor(address account, PartLifecycle.Stage to);
    /// @notice `account` already holds `partKey`: a receipt records a change of custody or the end of a shipment.
    error PartRegistryAlreadyHeld(bytes32 partKey, address account);
    /// @notice `account` ships or installs `partKey` without holding it: only the holder hands a part to a carrier,
    ///         and only the shop that received a part fits it to a vehicle.
    error PartRegistryNotHolder(bytes32 partKey, address account);
    /// @notice A call named no parts.
    error PartRegistryEmptyBatch();
    /// @notice The zero address cannot administer the registry.
    error PartRegistryZeroAdmin();

    /// @param admin receives DEFAULT_ADMIN_ROLE and grants the other roles.
    constructor(address admin) {
        if (admin == address(0)) revert PartRegistryZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /**
     * @notice Moves every part in `partKeys` to stage `to` (a carton or pallet in one transaction).
     * @dev Reverts with PartRegistryUnauthorizedActor unless the caller may act for `to`, and with
     * PartRegistryInvalidTransition (naming the part) if any part cannot make the move; then nothing is recorded.
     * @param partKeys keccak256 of each part's GS1 Digital Link path "/01/{gtin}/21/{serial}".
     * @param to the target stage: Commissioned, Received or Installed.
     */
    function advance(bytes32[] calldata partKeys, PartLifecycle.Stage to) external {
        if (partKeys.length == 0) revert PartRegistryEmptyBatch();
        if (!mayActFor(msg.sender, to)) revert PartRegistryUnauthorizedActor(msg.sender, to);
        for (uint256 i = 0; i < partKeys.length; ++i) {
            _advance(partKeys[i], to, msg.sender);
        }
    }

    /**
     * @notice The current stage, holder and last update time (seconds) of a part.
     * @param partKey the part key.
     */
    function partOf(bytes32 partKey) external view returns (PartState memory) {
        return _parts[partKey];
    }

    /**
     * @notice The current stages of many parts at once (for auditors checking a whole bundle in a few calls).
     * @param partKeys the part keys.
     */
    function stagesOf(bytes32[] calldata partKeys) external view returns (PartLifecycle.Stage[] memory stages) {
        stages = new PartLifecycle.Stage[](partKeys.length);
        for (uint256 i = 0; i < partKeys.length; ++i) {
            stages[i] = _parts[partKeys[i]].stage;
        }
    }

    /**
     * @notice The current stage of a part (None if never commissioned).
     * @param partKey the part key.
     */
    function stageOf(bytes32 partKey) external view returns (PartLifecycle.Stage) {
        return _parts[partKey].stage;
    }

    /**
     * @notice Whether the transition table allows `from` → `to`.
     * @param from current stage.
     * @param to target stage.
     */
    function isLegalTransition(PartLifecycle.Stage from, PartLifecycle.Stage to) external pure returns (bool) {
        return PartLifecycle.isLegal(from, to);
    }

    /**
     * @notice Whether `account` holds a role that may move parts to `to`.
     * @param account the acting address.
     * @param to the target stage.
     */
    function mayActFor(address account, PartLifecycle.Stage to) public view returns (bool) {
        if (to == PartLifecycle.Stage.Commissioned) return hasRole(MANUFACTURER_ROLE, account);
        if (to == PartLifecycle.Stage.Received)
            return hasRole(DISTRIBUTOR_ROLE, account) || hasRole(INSTALLER_ROLE, account);
        if (to == PartLifecycle.Stage.Installed) return hasRole(INSTALLER_ROLE, account);
        if (to == PartLifecycle.Stage.Shipped) {
            // An installer ships a part it received and did not fit back to its seller (a return).
            return hasRole(MANUFACTURER_ROLE, account) || hasRole(DISTRIBUTOR_ROLE, account)
                || hasRole(INSTALLER_ROLE, account);
        }
        return false;
    }

    function _advance(bytes32 partKey, PartLifecycle.Stage to, address actor) private {
        PartState storage state = _parts[partKey];
        PartLifecycle.Stage from = state.stage;
        if (!PartLifecycle.isLegal(from, to)) revert PartRegistryInvalidTransition(partKey, from, to);
        // The holder receives its own part only at the end of its own shipment (a transfer between its sites).
        if (to == PartLifecycle.Stage.Received && state.holder == actor && from != PartLifecycle.Stage.Shipped) {
            revert PartRegistryAlreadyHeld(partKey, actor);
        }
        if ((to == PartLifecycle.Stage.Shipped || to == PartLifecycle.Stage.Installed) && state.holder != actor) {
            revert PartRegistryNotHolder(partKey, actor);
        }
        _parts[partKey] = PartState({stage: to, holder: actor, updatedAt: uint64(block.timestamp)});
        emit PartStageChanged(partKey, from, to, actor);
    }
}
