// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PartRegistry} from "../../../contracts/PartRegistry.sol";
import {PartLifecycle} from "../../../contracts/lib/PartLifecycle.sol";
import {LifecycleSpec as Spec} from "./LifecycleSpec.sol";
import {PropertyTest} from "./Vm.sol";

/// @notice Fuzz properties of PartRegistry, each over fuzzed accounts, part keys and stages (foundry.toml: 5,000 runs).
contract PartRegistryFuzzTest is PropertyTest {
    address internal constant ADMIN = address(0xAD);
    PartRegistry internal registry;

    function setUp() public {
        registry = new PartRegistry(ADMIN);
    }

    function _stage(uint8 s) internal pure returns (PartLifecycle.Stage) {
        return PartLifecycle.Stage(s);
    }

    function _grantAll(address account) internal {
        vm.startPrank(ADMIN);
        registry.grantRole(Spec.MANUFACTURER, account);
        registry.grantRole(Spec.DISTRIBUTOR, account);
        registry.grantRole(Spec.INSTALLER, account);
        vm.stopPrank();
    }

    function _advance(address actor, bytes32 key, uint8 to) internal {
        bytes32[] memory keys = new bytes32[](1);
        keys[0] = key;
        vm.prank(actor);
        registry.advance(keys, _stage(to));
    }

    function _one(bytes32 key) internal pure returns (bytes32[] memory keys) {
        keys = new bytes32[](1);
        keys[0] = key;
    }

    function _accounts(address a, address b) internal view {
        vm.assume(a != address(0) && b != address(0) && a != b && a != ADMIN && b != ADMIN);
        vm.assume(a != address(vm) && b != address(vm) && a != address(registry) && b != address(registry));
    }

    /// @dev Brings `key` to `stage` along a legal path, alternating between `a` and `b`; returns the holder.
    function _bringTo(bytes32 key, uint8 stage, address a, address b) internal returns (address holder) {
        if (stage == Spec.NONE) return address(0);
        _advance(a, key, Spec.COMMISSIONED);
        if (stage == Spec.COMMISSIONED) return a;
        _advance(b, key, Spec.RECEIVED);
        if (stage == Spec.RECEIVED) return b;
        if (stage == Spec.INSTALLED) {
            _advance(b, key, Spec.INSTALLED);
            return b;
        }
        _advance(b, key, Spec.SHIPPED);
        return b;
    }

    /// @notice No stage is skipped: from every stage, a move succeeds exactly when the spec lists the edge.
    function testFuzz_noStageIsSkipped(address a, address b, bytes32 key, uint8 fromSeed, uint8 toSeed) public {
        _accounts(a, b);
        _grantAll(a);
        _grantAll(b);
        uint8 from = fromSeed % Spec.STAGES;
        uint8 to = toSeed % Spec.STAGES;
        address holder = _bringTo(key, from, a, b);
        // The actor the holder rules allow, so that only the stage rule decides.
        address actor = (to == Spec.SHIPPED || to == Spec.INSTALLED || (to == Spec.RECEIVED && from == Spec.SHIPPED))
            ? holder
            : (holder == a ? b : a);
        if (actor == address(0)) actor = a;
        vm.prank(actor);
        if (Spec.isEdge(from, to)) {
            registry.advance(_one(key), _stage(to));
            vm.assertEq(uint256(registry.stageOf(key)), to, "stage after a legal move");
            vm.assertEq(registry.partOf(key).holder, actor, "holder after a legal move");
        } else {
            // No role acts for None, so a move back to None is refused before the stage is even read.
            vm.expectRevert(
                to == Spec.NONE
                    ? abi.encodeWithSelector(PartRegistry.PartRegistryUnauthorizedActor.selector, actor, _stage(to))
                    : abi.encodeWithSelector(
                        PartRegistry.PartRegistryInvalidTransition.selector, key, _stage(from), _stage(to)
                    )
            );
            registry.advance(_one(key), _stage(to));
            vm.assertEq(uint256(registry.stageOf(key)), from, "stage unchanged after a refused move");
        }
    }

    /// @notice Only the holder ships or installs: anyone else, whatever roles it holds, is refused.
    function testFuzz_onlyTheHolderShipsOrInstalls(address holder, address other, bytes32 key, bool install) public {
        _accounts(holder, other);
        _grantAll(holder);
        _grantAll(other);
        _advance(other, key, Spec.COMMISSIONED);
        _advance(holder, key, Spec.RECEIVED);
        uint8 to = install ? Spec.INSTALLED : Spec.SHIPPED;
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(PartRegistry.PartRegistryNotHolder.selector, key, other));
        registry.advance(_one(key), _stage(to));
        vm.assertEq(uint256(registry.stageOf(key)), Spec.RECEIVED, "a refused ship/install changes nothing");
        _advance(holder, key, to);
        vm.assertEq(uint256(registry.stageOf(key)), to, "the holder ships/installs");
    }

    /// @notice A carton is all or nothing: one part that may not move stops every part in the call.
    function testFuzz_aCartonIsAllOrNothing(address a, address b, bytes32 k1, bytes32 k2) public {
        _accounts(a, b);
        vm.assume(k1 != k2);
        _grantAll(a);
        _grantAll(b);
        _advance(a, k1, Spec.COMMISSIONED); // k2 never commissioned: it cannot be received
        bytes32[] memory keys = new bytes32[](2);
        (keys[0], keys[1]) = (k1, k2);
        vm.prank(b);
        vm.expectRevert(
            abi.encodeWithSelector(
                PartRegistry.PartRegistryInvalidTransition.selector,
                k2,
                PartLifecycle.Stage.None,
                PartLifecycle.Stage.Received
            )
        );
        registry.advance(keys, PartLifecycle.Stage.Received);
        vm.assertEq(uint256(registry.stageOf(k1)), Spec.COMMISSIONED, "the first part did not move");
        vm.assertEq(registry.partOf(k1).holder, a, "the first part kept its holder");
    }

    /// @notice Roles gate every write: an account without a role can neither move a part nor touch roles.
    function testFuzz_rolesGateEveryWrite(address caller, bytes32 key, uint8 toSeed, uint8 roleSeed, address who)
        public
    {
        vm.assume(caller != ADMIN);
        uint8 to = toSeed % Spec.STAGES;
        bytes4 unauthorized = PartRegistry.PartRegistryUnauthorizedActor.selector;
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(unauthorized, caller, _stage(to)));
        registry.advance(_one(key), _stage(to));

        bytes32[4] memory roles = [registry.DEFAULT_ADMIN_ROLE(), Spec.MANUFACTURER, Spec.DISTRIBUTOR, Spec.INSTALLER];
        bytes32 role = roles[roleSeed % 4];
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, caller, registry.DEFAULT_ADMIN_ROLE()
        );
        vm.prank(caller);
        vm.expectRevert(denied);
        registry.grantRole(role, who);
        vm.prank(caller);
        vm.expectRevert(denied);
        registry.revokeRole(role, ADMIN);
        vm.assertTrue(!registry.hasRole(role, who) || who == ADMIN, "no role was granted");
        vm.assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), ADMIN), "the admin kept its role");
        vm.assertEq(uint256(registry.stageOf(key)), Spec.NONE, "no part moved");
    }

    /// @notice Each role moves parts only to its own stages, whoever holds it.
    function testFuzz_eachRoleOnlyItsStages(address actor, uint8 roleSeed, uint8 toSeed, bytes32 key) public {
        vm.assume(actor != ADMIN);
        bytes32[3] memory roles = [Spec.MANUFACTURER, Spec.DISTRIBUTOR, Spec.INSTALLER];
        uint8 r = roleSeed % 3;
        vm.prank(ADMIN);
        registry.grantRole(roles[r], actor);
        uint8 to = toSeed % Spec.STAGES;
        bool allowed = Spec.roleAllows(r == 0, r == 1, r == 2, to);
        vm.assertTrue(registry.mayActFor(actor, _stage(to)) == allowed, "mayActFor agrees with the spec");
        if (!allowed) {
            vm.prank(actor);
            vm.expectRevert(
                abi.encodeWithSelector(PartRegistry.PartRegistryUnauthorizedActor.selector, actor, _stage(to))
            );
            registry.advance(_one(key), _stage(to));
        }
    }
}
