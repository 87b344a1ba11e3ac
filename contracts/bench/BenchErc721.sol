// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @title BenchErc721
 * @notice Baseline for `npm run bench:ledger` only: the gas of minting one OpenZeppelin ERC-721 token, the usual
 * "one NFT per physical item" way of putting goods on chain. Not deployed by the product.
 */
contract BenchErc721 is ERC721 {
    constructor() ERC721("PartLedger Bench", "PLB") {}

    /// @notice Mints token `tokenId` to `to`. Anyone may call it: this is a benchmark baseline.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
