import { expect } from "chai";
import { Contract, ContractFactory, Wallet, type Interface } from "ethers";
import { loadArtifact } from "../../ledger-service/src/chain/artifacts.js";
import { makeProvider } from "../../ledger-service/src/index.js";
import { sendAndWait } from "../../ledger-service/src/chain/tx-sender.js";
import { shared } from "./shared.js";

/** Hardhat's well-known development keys (accounts #0–#5 of the local chain). */
export const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3148f53f98c9b4f3b4b5a8b6f0e2b7a5",
];

export function wallets() {
  const provider = makeProvider(shared.chainUrl);
  return { provider, accounts: DEV_KEYS.slice(0, 5).map((k) => new Wallet(k, provider)) };
}

export async function deploy(name: "AnchorRegistry" | "PartRegistry", admin: Wallet): Promise<Contract> {
  const art = loadArtifact(name);
  const req = await new ContractFactory(art.abi as never, art.bytecode, admin).getDeployTransaction(admin.address);
  const receipt = await sendAndWait(admin, req);
  return new Contract(receipt.contractAddress!, art.abi as never, admin.provider);
}

/** Sends `fn(args)` on `contract` from `from` and waits for it to be mined. */
export async function send(contract: Contract, from: Wallet, fn: string, args: unknown[]) {
  return sendAndWait(from, { to: await contract.getAddress(), data: contract.interface.encodeFunctionData(fn, args) });
}

/** Asserts that the call reverts with custom error `name` (and `args`, if given). */
export async function expectRevert(p: Promise<unknown>, iface: Interface, name: string, args?: unknown[]) {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected revert ${name}`).to.not.equal(undefined);
  const data = findRevertData(error);
  expect(data, `no revert data in ${String((error as Error).message).slice(0, 200)}`).to.be.a("string");
  const parsed = iface.parseError(data!);
  expect(parsed?.name).to.equal(name);
  if (args)
    expect(
      parsed!.args.map((a: unknown) =>
        typeof a === "bigint" ? Number(a) : typeof a === "string" ? a.toLowerCase() : a,
      ),
    ).to.deep.equal(args.map((a) => (typeof a === "string" ? a.toLowerCase() : a)));
}

function findRevertData(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    const o = cur as { data?: unknown; error?: unknown; info?: { error?: { data?: unknown } } };
    if (typeof o.data === "string" && o.data.startsWith("0x") && o.data.length >= 10) return o.data;
    const infoData = o.info?.error?.data as { data?: string } | string | undefined;
    if (typeof infoData === "string" && infoData.startsWith("0x")) return infoData;
    if (infoData && typeof infoData === "object" && typeof infoData.data === "string") return infoData.data;
    cur = o.error;
  }
  return undefined;
}
