// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title PartLifecycle
 * @notice The lifecycle of a physical part as a declared transition table. The TypeScript ledger
 * (`ledger-service/src/lifecycle/transitions.ts`) declares the same table; tests walk every pair on both sides.
 *
 *   None ──commission──▶ Commissioned ──receive──▶ Received ──install──▶ Installed
 *                                               ╰─receive─╯ (next distributor level)
 *                        Commissioned / Received ──ship──▶ Shipped ──receive──▶ Received
 *   (a repair shop ships a received part only back to a seller: a return; an installed part never ships)
 */
library PartLifecycle {
    /// @notice Stages a part moves through. `None` is the state of a part key never commissioned.
    enum Stage {
        None,
        Commissioned,
        Received,
        Installed,
        Shipped
    }

    /// @notice Whether a part may move from `from` to `to`.
    function isLegal(Stage from, Stage to) internal pure returns (bool) {
        if (to == Stage.Commissioned) return from == Stage.None;
        if (to == Stage.Received) return from == Stage.Commissioned || from == Stage.Received || from == Stage.Shipped;
        if (to == Stage.Installed) return from == Stage.Received;
        if (to == Stage.Shipped) return from == Stage.Commissioned || from == Stage.Received;
        return false;
    }
}
