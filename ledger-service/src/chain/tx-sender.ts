import { keccak256, type JsonRpcProvider, type TransactionReceipt, type TransactionRequest, type Wallet } from "ethers";
import type { Hex } from "../events/bytes.js";

/** A transaction signed before it is sent, so that its hash and nonce can be stored first (crash safety). */
export interface PreparedTx {
  rawTx: Hex;
  txHash: Hex;
  nonce: number;
  /** The most it can cost its sender: gas limit × max fee per gas, plus the value sent. */
  maxCost: bigint;
}

/** Signs a call from `wallet` to `to`; throws (with the revert reason) if the call would revert now. */
export async function prepareTx(
  wallet: Wallet,
  provider: JsonRpcProvider,
  to: string,
  data: string,
  value = 0n,
): Promise<PreparedTx> {
  const [nonce, gas, fee, network] = await Promise.all([
    // "latest", not "pending": we never have two transactions of one key in flight, and Hardhat's EDR answers a
    // stale "pending" nonce under interval mining.
    provider.getTransactionCount(wallet.address, "latest"),
    provider.estimateGas({ from: wallet.address, to, data, ...(value ? { value } : {}) }),
    provider.getFeeData(),
    provider.getNetwork(),
  ]);
  const maxFeePerGas = (fee.maxFeePerGas ?? fee.gasPrice ?? 0n) * 2n;
  const gasLimit = (gas * 13n) / 10n;
  const rawTx = (await wallet.signTransaction({
    type: 2,
    chainId: network.chainId,
    to,
    data,
    value,
    nonce,
    gasLimit,
    maxFeePerGas,
    maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? 0n,
  })) as Hex;
  return { rawTx, txHash: keccak256(rawTx) as Hex, nonce, maxCost: gasLimit * maxFeePerGas + value };
}

/** Sends a signed transaction; sending one the node already has is not an error. */
export async function broadcast(provider: JsonRpcProvider, rawTx: string): Promise<void> {
  try {
    await provider.broadcastTransaction(rawTx);
  } catch (e) {
    const msg = String((e as Error).message ?? e).toLowerCase();
    if (
      msg.includes("already known") ||
      msg.includes("nonce too low") ||
      msg.includes("already been used") ||
      msg.includes("known transaction")
    )
      return;
    throw e;
  }
}

export type TxState =
  | { kind: "mined"; ok: boolean; blockNumber: number; blockHash: Hex }
  | { kind: "pending" }
  /** Its nonce was used by another transaction: this one will never be mined. */
  | { kind: "replaced" }
  /** The node does not know it and its nonce is free: send it again. */
  | { kind: "dropped" };

export async function txState(
  provider: JsonRpcProvider,
  txHash: string,
  sender: string,
  nonce: number,
): Promise<TxState> {
  const receipt = await provider.getTransactionReceipt(txHash);
  if (receipt)
    return {
      kind: "mined",
      ok: receipt.status === 1,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash as Hex,
    };
  if (await provider.getTransaction(txHash)) return { kind: "pending" };
  const mined = await provider.getTransactionCount(sender, "latest");
  return mined > nonce ? { kind: "replaced" } : { kind: "dropped" };
}

/** Sends `req` from `wallet` with an explicit nonce and waits for it to be mined; throws if it reverted. */
export async function sendAndWait(wallet: Wallet, req: TransactionRequest): Promise<TransactionReceipt> {
  const nonce = await wallet.provider!.getTransactionCount(wallet.address, "latest");
  const tx = await wallet.sendTransaction({ ...req, nonce });
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new Error(`transaction ${tx.hash} reverted`);
  return receipt;
}
