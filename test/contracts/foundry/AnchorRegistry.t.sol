// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AnchorRegistry} from "../../../contracts/AnchorRegistry.sol";
import {PropertyTest, Vm} from "./Vm.sol";

/// @notice Fuzz properties of AnchorRegistry (foundry.toml: 5,000 runs each).
contract AnchorRegistryFuzzTest is PropertyTest {
    address internal constant ADMIN = address(0xAD);
    address internal constant ANCHORER = address(0xA0);
    AnchorRegistry internal registry;

    function setUp() public {
        registry = new AnchorRegistry(ADMIN);
        vm.startPrank(ADMIN);
        registry.grantRole(registry.ANCHORER_ROLE(), ANCHORER);
        vm.stopPrank();
    }

    function _anchorFirst(uint256 n) internal {
        vm.startPrank(ANCHORER);
        for (uint64 i = 1; i <= n; ++i) {
            registry.anchor(i, keccak256(abi.encode(i)), i);
        }
        vm.stopPrank();
    }

    /// @notice An anchored id is never overwritten: any id but the next is refused and the old root stays.
    function testFuzz_anchoredIdIsNeverOverwritten(uint8 nSeed, uint64 id, bytes32 root, uint64 count) public {
        uint64 n = 1 + (nSeed % 8);
        _anchorFirst(n);
        vm.assume(id != n + 1);
        vm.prank(ANCHORER);
        vm.expectRevert(abi.encodeWithSelector(AnchorRegistry.AnchorRegistryUnexpectedBatchId.selector, id, n + 1));
        registry.anchor(id, root, count);
        vm.assertEq(uint256(registry.lastBatchId()), n, "last id unchanged");
        for (uint64 i = 1; i <= n; ++i) {
            vm.assertEq(registry.anchorOf(i).root, keccak256(abi.encode(i)), "an anchored root changed");
            vm.assertEq(uint256(registry.anchorOf(i).eventCount), i, "an anchored count changed");
        }
    }

    /// @notice An empty batch (zero root or no events) is never anchored, even as the next id.
    function testFuzz_emptyBatchesAreRefused(bytes32 root, uint64 count, bool zeroRoot) public {
        if (zeroRoot) root = bytes32(0);
        else count = 0;
        vm.prank(ANCHORER);
        vm.expectRevert(abi.encodeWithSelector(AnchorRegistry.AnchorRegistryEmptyBatch.selector, uint64(1)));
        registry.anchor(1, root, count);
        vm.assertEq(uint256(registry.lastBatchId()), 0, "nothing anchored");
    }

    /// @notice Roles gate every write: without ANCHORER_ROLE nobody anchors, without the admin role nobody grants.
    function testFuzz_rolesGateEveryWrite(address caller, uint64 id, bytes32 root, uint64 count, address who) public {
        vm.assume(caller != ANCHORER && caller != ADMIN);
        bytes32 anchorer = registry.ANCHORER_ROLE();
        bytes32 adminRole = registry.DEFAULT_ADMIN_ROLE();
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, anchorer)
        );
        registry.anchor(id, root, count);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, adminRole)
        );
        registry.grantRole(anchorer, who);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, adminRole)
        );
        registry.revokeRole(anchorer, ANCHORER);
        vm.assertEq(uint256(registry.lastBatchId()), 0, "nothing anchored");
        vm.assertTrue(registry.hasRole(anchorer, ANCHORER), "the anchorer kept its role");
        vm.assertTrue(!registry.hasRole(anchorer, who) || who == ANCHORER, "no role granted");
    }

    /// @notice An anchored root verifies as a one-leaf tree in its own batch and nowhere else.
    function testFuzz_aLeafVerifiesOnlyInItsBatch(bytes32 root, uint64 other) public {
        vm.assume(root != bytes32(0));
        vm.prank(ANCHORER);
        registry.anchor(1, root, 1);
        vm.assertTrue(registry.verifyLeaf(1, root, new bytes32[](0)), "the anchored leaf verifies");
        vm.assume(other != 1);
        vm.assertTrue(!registry.verifyLeaf(other, root, new bytes32[](0)), "a batch never anchored verifies nothing");
    }

    /// @notice A part's pledge head moves only forward, with the batch that holds it: a step at or before the head
    /// reverts the whole anchoring call (no root, no head), a later one moves the head to that batch (DECISIONS 117).
    function testFuzz_pledgeHeadOnlyMovesForward(bytes32 key, uint64 first, uint64 second, bool release) public {
        vm.assume(first > 0);
        bytes32[] memory keys = new bytes32[](1);
        keys[0] = key;
        uint64[] memory seqs = new uint64[](1);
        uint8[] memory steps = new uint8[](1);
        seqs[0] = first;
        steps[0] = 5;
        vm.prank(ANCHORER);
        registry.anchorWithPledgeHeads(1, keccak256("b1"), 1, keys, seqs, steps);
        seqs[0] = second;
        steps[0] = release ? 6 : 5;
        vm.prank(ANCHORER);
        if (second <= first) {
            vm.expectRevert(
                abi.encodeWithSelector(AnchorRegistry.AnchorRegistryStalePledgeHead.selector, key, second, first)
            );
        }
        registry.anchorWithPledgeHeads(2, keccak256("b2"), 1, keys, seqs, steps);
        AnchorRegistry.PledgeHead memory h = registry.pledgeHeadsOf(keys)[0];
        bool moved = second > first;
        vm.assertEq(uint256(registry.lastBatchId()), moved ? 2 : 1, "the batch is anchored only with its heads");
        vm.assertEq(uint256(h.seq), moved ? second : first, "head seq");
        vm.assertEq(uint256(h.batchId), moved ? 2 : 1, "head batch");
        vm.assertEq(uint256(h.step), moved && release ? 6 : 5, "head step");
    }
}

/// @notice Sends random anchors from random accounts and changes roles at random, predicting each outcome.
contract AnchorRegistryHandler {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    AnchorRegistry public immutable registry;
    bytes32 public immutable anchorerRole;
    address[] public accounts;
    mapping(address account => bool) public modelAnchorer;
    mapping(address account => bool) public modelAdmin;
    mapping(uint64 batchId => bytes32) public modelRoot;
    mapping(uint64 batchId => uint64) public modelCount;
    mapping(uint64 batchId => uint64) public modelAt;
    uint64 public modelLast;

    constructor() {
        registry = new AnchorRegistry(address(this));
        anchorerRole = registry.ANCHORER_ROLE();
        accounts.push(address(this));
        for (uint160 i = 1; i <= 4; ++i) {
            accounts.push(address(0x2000 + i));
        }
        modelAdmin[address(this)] = true;
        registry.grantRole(anchorerRole, accounts[1]);
        modelAnchorer[accounts[1]] = true;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }

    /// @notice An anchor call: the next id, an anchored one, or any id; sometimes an empty batch; time moves on.
    function anchor(uint256 callerSeed, uint8 mode, uint64 idRaw, bytes32 root, uint64 count, uint16 wait) external {
        vm.warp(block.timestamp + wait);
        address caller = accounts[callerSeed % accounts.length];
        uint64 id = mode % 4 == 0
            ? modelLast + 1
            : mode % 4 == 1 ? 1 + (idRaw % (modelLast + 1)) : mode % 4 == 2 ? modelLast + 2 : idRaw;
        if ((mode >> 2) % 8 == 0) root = bytes32(0);
        if ((mode >> 5) % 8 == 0) count = 0;

        bytes memory expected;
        if (!modelAnchorer[caller]) {
            expected =
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, anchorerRole);
        } else if (id != modelLast + 1) {
            expected =
                abi.encodeWithSelector(AnchorRegistry.AnchorRegistryUnexpectedBatchId.selector, id, modelLast + 1);
        } else if (root == bytes32(0) || count == 0) {
            expected = abi.encodeWithSelector(AnchorRegistry.AnchorRegistryEmptyBatch.selector, id);
        }
        vm.prank(caller);
        try registry.anchor(id, root, count) {
            vm.assertTrue(expected.length == 0, "the registry anchored what the spec refuses");
            (modelRoot[id], modelCount[id], modelAt[id], modelLast) = (root, count, uint64(block.timestamp), id);
        } catch (bytes memory reason) {
            vm.assertEq(
                keccak256(reason), keccak256(expected), "the registry refused with an error the spec did not name"
            );
        }
    }

    /// @notice Any account grants or revokes the anchorer or admin role of any account; only admins may.
    function setRole(uint256 callerSeed, uint256 accountSeed, bool adminRole, bool grant) external {
        address caller = accounts[callerSeed % accounts.length];
        address account = accounts[accountSeed % accounts.length];
        bytes32 role = adminRole ? registry.DEFAULT_ADMIN_ROLE() : anchorerRole;
        bool allowed = modelAdmin[caller];
        vm.prank(caller);
        (bool ok, bytes memory reason) = address(registry)
            .call(
                abi.encodeWithSelector(
                    grant ? IAccessControl.grantRole.selector : IAccessControl.revokeRole.selector, role, account
                )
            );
        vm.assertTrue(ok == allowed, "a role change was decided against the spec");
        if (!ok) {
            bytes memory denied = abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, caller, registry.DEFAULT_ADMIN_ROLE()
            );
            vm.assertEq(keccak256(reason), keccak256(denied), "wrong error for a refused role change");
        } else if (adminRole) {
            modelAdmin[account] = grant;
        } else {
            modelAnchorer[account] = grant;
        }
    }
}

/// @notice Invariants of AnchorRegistry under random calls (foundry.toml: 5,000 runs of 10 calls).
contract AnchorRegistryInvariantTest is PropertyTest {
    AnchorRegistryHandler internal handler;

    function setUp() public {
        handler = new AnchorRegistryHandler();
        _target(address(handler));
    }

    /// @notice Ids 1..last hold exactly what was first anchored under them (never overwritten), nothing beyond,
    ///         and the roles are exactly what admins set.
    function invariant_anchorsAreNeverOverwritten() public view {
        AnchorRegistry registry = handler.registry();
        uint64 last = registry.lastBatchId();
        vm.assertEq(uint256(last), uint256(handler.modelLast()), "last id differs from the accepted anchors");
        for (uint64 id = 1; id <= last; ++id) {
            AnchorRegistry.Anchor memory a = registry.anchorOf(id);
            vm.assertEq(a.root, handler.modelRoot(id), "an anchored root changed");
            vm.assertEq(uint256(a.eventCount), uint256(handler.modelCount(id)), "an anchored count changed");
            vm.assertEq(uint256(a.anchoredAt), uint256(handler.modelAt(id)), "an anchor's time changed");
        }
        try registry.anchorOf(last + 1) {
            vm.assertTrue(false, "an id beyond the last is anchored");
        } catch {}
        for (uint256 i = 0; i < handler.accountCount(); ++i) {
            address account = handler.accounts(i);
            vm.assertTrue(
                registry.hasRole(handler.anchorerRole(), account) == handler.modelAnchorer(account), "anchorer"
            );
            vm.assertTrue(registry.hasRole(bytes32(0), account) == handler.modelAdmin(account), "admin role differs");
        }
    }
}
