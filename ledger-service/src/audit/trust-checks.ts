import type { Bundle } from "../proofs/bundle-format.js";
import type { ChainFacts } from "./chain-facts.js";
import type { TrustAnchor } from "./trust.js";

/**
 * The trust checks of a bundle audit: the bundle and the RPC endpoint against the pinned trust anchor (never the
 * bundle's own addresses). Each answers the first mismatch with the name of its check, or null.
 */
export interface PinMismatch {
  check: string;
  reason: string;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Whether the bundle names other contracts or another chain than the pin; the first mismatch, named. */
export function pinMismatch(bundle: Bundle, trust: TrustAnchor): PinMismatch | null {
  if (bundle.chain.chainId !== trust.chainId) {
    return {
      check: "trust.chain-id",
      reason: `the bundle is for chain ${bundle.chain.chainId}, the pinned trust anchor is chain ${trust.chainId}`,
    };
  }
  if (!eq(bundle.chain.anchorRegistry, trust.anchorRegistry)) {
    return {
      check: "trust.anchor-registry",
      reason:
        `the bundle names AnchorRegistry ${bundle.chain.anchorRegistry}, the pinned one is ` +
        `${trust.anchorRegistry}: not anchored where the platform publishes`,
    };
  }
  if (trust.partRegistry && !eq(bundle.chain.partRegistry, trust.partRegistry)) {
    return {
      check: "trust.part-registry",
      reason: `the bundle names PartRegistry ${bundle.chain.partRegistry}, the pinned one is ${trust.partRegistry}`,
    };
  }
  return null;
}

/** The RPC is the pinned chain and holds the pinned contracts at the pinned deployment; the first mismatch, named. */
export function chainMismatch(facts: ChainFacts): PinMismatch | null {
  const t = facts.trust;
  if (facts.chainId !== t.chainId) {
    return {
      check: "trust.rpc-chain-id",
      reason: `the RPC endpoint serves chain ${facts.chainId}, the pinned trust anchor is chain ${t.chainId}`,
    };
  }
  if (!facts.code.anchorRegistry) {
    return {
      check: "trust.anchor-registry",
      reason: `the pinned AnchorRegistry ${t.anchorRegistry} holds no contract on chain ${t.chainId}`,
    };
  }
  if (facts.code.partRegistry === false) {
    return {
      check: "trust.part-registry",
      reason: `the pinned PartRegistry ${t.partRegistry} holds no contract on chain ${t.chainId}`,
    };
  }
  if (t.deploymentBlockHash && (!facts.deploymentBlockHash || !eq(facts.deploymentBlockHash, t.deploymentBlockHash))) {
    return {
      check: "trust.deployment-block",
      reason:
        `block ${t.deploymentBlock} of this chain is ${facts.deploymentBlockHash ?? "missing"}, the pinned deployment ` +
        `block is ${t.deploymentBlockHash} (the chain was reset or is another one)`,
    };
  }
  return null;
}
