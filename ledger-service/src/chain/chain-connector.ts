import type { Sql } from "../db/sql.js";
import type { ActorDirectory } from "../ledger/actors.js";
import { connectChain, syncRoles, type ChainContext } from "./deployment.js";

export interface ChainConnectorOptions {
  db: Sql;
  actors: ActorDirectory;
  url: string;
  adminKey: string;
  local: boolean;
  chainId?: number;
  addresses?: { anchorRegistry: string; partRegistry: string } | undefined;
  log?: (line: string) => void;
}

/**
 * Hands out a live chain connection, (re)connecting lazily: a chain that is down makes `get()` throw (callers
 * report "anchoring pending" and try again), and a local chain that came back empty is redeployed. Company roles
 * are granted on chain after every (re)deployment and whenever a company joins.
 */
export class ChainConnector {
  private ctx: ChainContext | undefined;
  private rolesDirty = true;
  /** When `get()` first failed in the current outage (ms since the epoch); null while the chain answers. */
  downSince: number | null = null;

  constructor(private readonly opts: ChainConnectorOptions) {}

  /** The JSON-RPC URL, and whether it is the local chain PartLedger runs itself. Never published as is (issue 19). */
  get endpoint(): { url: string; local: boolean } {
    return { url: this.opts.url, local: this.opts.local };
  }

  markActorsChanged(): void {
    this.rolesDirty = true;
  }

  async get(): Promise<ChainContext> {
    try {
      const ctx = await this.connect();
      this.downSince = null;
      return ctx;
    } catch (e) {
      this.downSince ??= Date.now();
      throw e;
    }
  }

  private async connect(): Promise<ChainContext> {
    if (this.ctx) {
      const code = await this.ctx.provider.getCode(this.ctx.addresses.anchorRegistry); // throws while the chain is down
      if (code === "0x") {
        this.opts.log?.("the chain no longer holds our contracts");
        this.ctx.provider.destroy();
        this.ctx = undefined;
      }
    }
    if (!this.ctx) {
      const ctx = await connectChain({
        ...this.opts,
        ...(this.opts.addresses ? { addresses: this.opts.addresses } : {}),
      }).catch((e) => {
        throw new Error(`chain unavailable at ${this.opts.url}: ${(e as Error).message?.split("\n")[0]}`);
      });
      this.ctx = ctx;
      this.rolesDirty = true;
    }
    if (this.rolesDirty) {
      await syncRoles(this.ctx, await this.opts.actors.list());
      this.rolesDirty = false;
    }
    return this.ctx;
  }

  async close(): Promise<void> {
    this.ctx?.provider.destroy();
    this.ctx = undefined;
  }
}
