import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { JsonRpcProvider } from "ethers";
import { freePort } from "../../scripts/lib/free-port.js";

const require = createRequire(import.meta.url);

/** Foundry's anvil from npm (`@foundry-rs/anvil`): a local chain that can reorganise (`anvil_reorg`). */
export interface Anvil {
  url: string;
  provider: JsonRpcProvider;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Mines `n` empty blocks. */
  mine(n: number): Promise<void>;
  /** Replaces the last `depth` blocks by as many new ones holding `txs` (raw, with the offset of their block). */
  reorg(depth: number, txs?: Array<[string, number]>): Promise<void>;
  head(): Promise<number>;
  stop(): Promise<void>;
}

function anvilBinary(): string {
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  return join(dirname(require.resolve(`${pkg}/package.json`)), "bin", "anvil");
}

/** Starts anvil on a free port with auto-mining (one block per transaction; tests mine the rest). */
export async function startAnvil(): Promise<Anvil> {
  const port = await freePort();
  const child = spawn(anvilBinary(), ["--port", String(port), "--host", "127.0.0.1", "--silent"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1, pollingInterval: 100 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const body = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}';
      await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`anvil did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const rpc = <T>(method: string, params: unknown[] = []) => provider.send(method, params) as Promise<T>;
  return {
    url,
    provider,
    rpc,
    async mine(n) {
      if (n > 0) await rpc("anvil_mine", [`0x${n.toString(16)}`]);
    },
    async reorg(depth, txs = []) {
      await rpc("anvil_reorg", [depth, txs]);
    },
    head: () => provider.getBlockNumber(),
    async stop() {
      provider.destroy();
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
