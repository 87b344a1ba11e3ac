// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PartRegistry} from "../../../contracts/PartRegistry.sol";
import {PartLifecycle} from "../../../contracts/lib/PartLifecycle.sol";
import {LifecycleSpec as Spec} from "./LifecycleSpec.sol";
import {PropertyTest, Vm} from "./Vm.sol";

/**
 * @notice Drives PartRegistry with random cartons, stages, actors and role changes, and predicts every outcome
 * (accepted, or which error) from LifecycleSpec: a call the model and the contract disagree on fails the run.
 */
contract PartRegistryHandler {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    uint256 internal constant KEYS = 4;

    PartRegistry public immutable registry;
    address public immutable admin;
    address[] public actors;
    bytes32[] public keys;
    bytes32[4] public roles;

    // The model.
    mapping(bytes32 key => uint8) public modelStage;
    mapping(bytes32 key => address) public modelHolder;
    mapping(bytes32 role => mapping(address account => bool)) public modelRole;
    /// @notice Moves observed on chain that the lifecycle graph does not have (must stay 0).
    uint256 public skippedStages;
    uint256 public accepted;
    uint256 public refused;

    constructor() {
        admin = address(this);
        registry = new PartRegistry(admin);
        roles = [registry.DEFAULT_ADMIN_ROLE(), Spec.MANUFACTURER, Spec.DISTRIBUTOR, Spec.INSTALLER];
        modelRole[roles[0]][admin] = true;
        actors.push(admin);
        for (uint160 i = 1; i <= 6; ++i) {
            actors.push(address(0x1000 + i));
        }
        // Start with a maker, two distributors, two shops and a stranger; role changes then come at random.
        _setRole(Spec.MANUFACTURER, actors[1]);
        _setRole(Spec.DISTRIBUTOR, actors[2]);
        _setRole(Spec.DISTRIBUTOR, actors[3]);
        _setRole(Spec.INSTALLER, actors[4]);
        _setRole(Spec.INSTALLER, actors[5]);
        for (uint256 i = 0; i < KEYS; ++i) {
            keys.push(keccak256(abi.encodePacked("/01/06901234567892/21/", i)));
        }
    }

    function _setRole(bytes32 role, address account) private {
        registry.grantRole(role, account);
        modelRole[role][account] = true;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /// @notice One `advance` call: 1–3 part keys (repeats allowed), any target stage, any actor.
    function advance(uint256 actorSeed, uint256 keySeed, uint8 countSeed, uint8 toSeed) external {
        address actor = actors[actorSeed % actors.length];
        uint8 to = toSeed % Spec.STAGES;
        bytes32[] memory batch = new bytes32[](1 + (countSeed % 3));
        for (uint256 i = 0; i < batch.length; ++i) {
            batch[i] = keys[(keySeed >> (8 * i)) % KEYS];
        }
        _advance(actor, batch, to);
    }

    /**
     * @notice One move along the graph: a successor of the part's current stage, by an actor holding a role for it
     * (holder or not). Random calls alone seldom get a part past two stages; these walk parts deep.
     */
    function walk(uint256 keySeed, uint256 actorSeed, uint8 toSeed) external {
        bytes32 key = keys[keySeed % KEYS];
        uint8 from = modelStage[key];
        uint8[] memory next = new uint8[](Spec.STAGES);
        uint256 n;
        for (uint8 to = 0; to < Spec.STAGES; ++to) {
            if (Spec.isEdge(from, to)) next[n++] = to;
        }
        if (n == 0) return; // installed: nowhere to go
        uint8 chosen = next[toSeed % n];
        address[] memory able = new address[](actors.length);
        uint256 m;
        for (uint256 i = 0; i < actors.length; ++i) {
            address a = actors[i];
            if (Spec.roleAllows(
                    modelRole[Spec.MANUFACTURER][a],
                    modelRole[Spec.DISTRIBUTOR][a],
                    modelRole[Spec.INSTALLER][a],
                    chosen
                )) {
                able[m++] = a;
            }
        }
        address actor = m == 0 ? actors[actorSeed % actors.length] : able[actorSeed % m];
        bytes32[] memory batch = new bytes32[](1);
        batch[0] = key;
        _advance(actor, batch, chosen);
    }

    function _advance(address actor, bytes32[] memory batch, uint8 to) private {
        bytes memory expected = _predict(actor, batch, to);
        uint8[] memory before = new uint8[](KEYS);
        for (uint256 i = 0; i < KEYS; ++i) {
            before[i] = uint8(registry.stageOf(keys[i]));
        }

        vm.prank(actor);
        try registry.advance(batch, PartLifecycle.Stage(to)) {
            vm.assertTrue(expected.length == 0, "the registry accepted a move the spec refuses");
            for (uint256 i = 0; i < batch.length; ++i) {
                modelStage[batch[i]] = to;
                modelHolder[batch[i]] = actor;
            }
            ++accepted;
        } catch (bytes memory reason) {
            vm.assertEq(
                keccak256(reason), keccak256(expected), "the registry refused with an error the spec did not name"
            );
            ++refused;
        }
        for (uint256 i = 0; i < KEYS; ++i) {
            uint8 nowStage = uint8(registry.stageOf(keys[i]));
            if (nowStage != before[i] && !Spec.isEdge(before[i], nowStage)) ++skippedStages;
        }
    }

    /// @notice Any actor grants or revokes any role of any actor; only admins may.
    function setRole(uint256 callerSeed, uint256 accountSeed, uint8 roleSeed, bool grant) external {
        address caller = actors[callerSeed % actors.length];
        address account = actors[accountSeed % actors.length];
        bytes32 role = roles[roleSeed % 4];
        bool allowed = modelRole[roles[0]][caller];
        vm.prank(caller);
        if (grant) {
            try registry.grantRole(role, account) {
                vm.assertTrue(allowed, "a non-admin granted a role");
                modelRole[role][account] = true;
            } catch (bytes memory reason) {
                vm.assertTrue(!allowed, "an admin could not grant a role");
                vm.assertEq(keccak256(reason), keccak256(_denied(caller)), "wrong error for a refused grant");
            }
        } else {
            try registry.revokeRole(role, account) {
                vm.assertTrue(allowed, "a non-admin revoked a role");
                modelRole[role][account] = false;
            } catch (bytes memory reason) {
                vm.assertTrue(!allowed, "an admin could not revoke a role");
                vm.assertEq(keccak256(reason), keccak256(_denied(caller)), "wrong error for a refused revoke");
            }
        }
    }

    function _denied(address caller) private view returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, roles[0]);
    }

    /// @dev The spec's verdict on a call: empty when it must succeed, else the exact revert data.
    function _predict(address actor, bytes32[] memory batch, uint8 to) private view returns (bytes memory) {
        bool maySend = Spec.roleAllows(
            modelRole[Spec.MANUFACTURER][actor],
            modelRole[Spec.DISTRIBUTOR][actor],
            modelRole[Spec.INSTALLER][actor],
            to
        );
        if (!maySend) {
            return
                abi.encodeWithSelector(
                    PartRegistry.PartRegistryUnauthorizedActor.selector, actor, PartLifecycle.Stage(to)
                );
        }
        // Parts move one after another: a key named twice meets its own first move.
        uint8[] memory stage = new uint8[](batch.length);
        address[] memory holder = new address[](batch.length);
        for (uint256 i = 0; i < batch.length; ++i) {
            (stage[i], holder[i]) = (modelStage[batch[i]], modelHolder[batch[i]]);
            for (uint256 j = 0; j < i; ++j) {
                if (batch[j] == batch[i]) (stage[i], holder[i]) = (to, actor);
            }
            if (!Spec.isEdge(stage[i], to)) {
                return abi.encodeWithSelector(
                    PartRegistry.PartRegistryInvalidTransition.selector,
                    batch[i],
                    PartLifecycle.Stage(stage[i]),
                    PartLifecycle.Stage(to)
                );
            }
            if (Spec.receivesOwn(stage[i], to, holder[i], actor)) {
                return abi.encodeWithSelector(PartRegistry.PartRegistryAlreadyHeld.selector, batch[i], actor);
            }
            if (Spec.holderOnlyViolated(to, holder[i], actor)) {
                return abi.encodeWithSelector(PartRegistry.PartRegistryNotHolder.selector, batch[i], actor);
            }
        }
        return "";
    }
}

/// @notice Invariants of PartRegistry under random calls (foundry.toml: 5,000 runs of 10 calls).
contract PartRegistryInvariantTest is PropertyTest {
    PartRegistryHandler internal handler;

    function setUp() public {
        handler = new PartRegistryHandler();
        _target(address(handler));
    }

    /// @notice One campaign checks every invariant after every call (each `invariant_` function costs a campaign).
    function invariant_registryKeepsTheSpec() public view {
        _noStageIsSkipped();
        _partsMatchTheSpec();
        _rolesOnlyChangeByAdmins();
    }

    /// @notice No stage is skipped: every move seen on chain is an edge of the lifecycle graph.
    function _noStageIsSkipped() internal view {
        vm.assertEq(handler.skippedStages(), 0, "a part skipped or reversed a stage");
    }

    /// @notice Every part's stage and holder are what the spec says the accepted calls made them.
    function _partsMatchTheSpec() internal view {
        PartRegistry registry = handler.registry();
        for (uint256 i = 0; i < 4; ++i) {
            bytes32 key = handler.keys(i);
            PartRegistry.PartState memory s = registry.partOf(key);
            vm.assertEq(uint256(s.stage), handler.modelStage(key), "stage differs from the spec");
            vm.assertEq(s.holder, handler.modelHolder(key), "holder differs from the spec (only the holder ships)");
        }
    }

    /// @notice Roles are exactly what admins granted: nobody else changed them.
    function _rolesOnlyChangeByAdmins() internal view {
        PartRegistry registry = handler.registry();
        for (uint256 a = 0; a < handler.actorCount(); ++a) {
            address account = handler.actors(a);
            for (uint256 r = 0; r < 4; ++r) {
                bytes32 role = handler.roles(r);
                vm.assertTrue(registry.hasRole(role, account) == handler.modelRole(role, account), "role differs");
            }
        }
    }
}
