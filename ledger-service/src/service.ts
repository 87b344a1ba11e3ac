import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AnchorWorker, type FaultPoint } from "./anchoring/anchor-worker.js";
import { LifecycleWriter } from "./anchoring/lifecycle-writer.js";
import { Sealer } from "./batching/sealer.js";
import { ChainConnector } from "./chain/chain-connector.js";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { ActorDirectory, type RegisterActorInput } from "./ledger/actors.js";
import { KeyVault } from "./ledger/key-vault.js";
import { Ledger } from "./ledger/ledger.js";
import { batchRangeBundle, partBundle } from "./proofs/bundle.js";
import { inclusionProof } from "./proofs/proofs.js";
import { ledgerStore } from "./ledger/ledger-store.js";
import { partKeyOf } from "./events/canonical.js";
import type { Hex } from "./events/bytes.js";

export interface LedgerServiceOptions {
  config: Config;
  /** JSON-RPC URL of the chain (CHAIN_RPC_URL, or the local chain `npm start` runs). */
  chainUrl: string;
  /** The platform's admin/anchorer key. */
  adminKey: string;
  /** PartLedger runs this chain itself: it may redeploy to it and fund accounts. */
  localChain: boolean;
  chainId: number;
  /** An existing database to use instead of opening one from the config. */
  database?: Database;
  clock?: () => number;
  fault?: (point: FaultPoint, batchId: number) => void | Promise<void>;
  log?: (line: string) => void;
}

/** Reads LEDGER_MASTER_KEY, or keeps one in `<DATA_DIR>/master.key` for the embedded setup. */
export function masterKey(config: Config): string {
  if (config.LEDGER_MASTER_KEY) return config.LEDGER_MASTER_KEY;
  const dir = resolve(config.DATA_DIR);
  const file = join(dir, "master.key");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** The provenance ledger wired together: database, company keys, chain, ledger, sealer and anchoring worker. */
export class LedgerService {
  private constructor(
    readonly db: Database,
    readonly actors: ActorDirectory,
    readonly ledger: Ledger,
    readonly sealer: Sealer,
    readonly chain: ChainConnector,
    readonly worker: AnchorWorker,
    private readonly ownsDb: boolean,
    private readonly vault: KeyVault,
  ) {}

  static async open(opts: LedgerServiceOptions): Promise<LedgerService> {
    const { config } = opts;
    const db = opts.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
    const vault = new KeyVault(masterKey(config));
    const actors = new ActorDirectory(db.prisma, vault);
    const ledger = new Ledger({ db: db.sql, actors, vault, chainId: opts.chainId, ...(opts.clock ? { clock: opts.clock } : {}) });
    const sealer = new Sealer({ db: db.sql, maxEvents: config.BATCH_MAX_EVENTS, maxAgeMs: config.BATCH_MAX_AGE_MS });
    const addresses =
      config.ANCHOR_REGISTRY_ADDRESS && config.PART_REGISTRY_ADDRESS
        ? { anchorRegistry: config.ANCHOR_REGISTRY_ADDRESS, partRegistry: config.PART_REGISTRY_ADDRESS }
        : undefined;
    const chain = new ChainConnector({
      db: db.sql, actors, url: opts.chainUrl, adminKey: opts.adminKey, local: opts.localChain, chainId: opts.chainId, addresses,
      ...(opts.log ? { log: opts.log } : {}),
    });
    const worker = new AnchorWorker({
      db: db.sql, sealer, chain, confirmationDepth: config.CONFIRMATION_DEPTH, lifecycle: new LifecycleWriter(db.sql, actors),
      ...(opts.fault ? { fault: opts.fault } : {}), ...(opts.log ? { log: opts.log } : {}),
    });
    return new LedgerService(db, actors, ledger, sealer, chain, worker, !opts.database, vault);
  }

  /** Registers a company and grants its role on chain (now, or when the chain is next reachable). */
  async registerCompany(input: RegisterActorInput) {
    const actor = await this.actors.register(input);
    this.chain.markActorsChanged();
    await this.chain.get().catch(() => undefined); // chain down: roles are granted when it is back
    return actor;
  }

  async chainRef() {
    const c = await this.chain.get();
    return { chainId: c.chainId, addresses: c.addresses };
  }

  /** Events on the ledger and how many wait for anchoring (the health endpoint). */
  status() {
    return ledgerStore.status(this.db.sql);
  }

  /** The private fields of an event (e.g. an installation's VIN), decrypted; null when it has none. */
  async privateFields(structHash: Hex): Promise<Record<string, string> | null> {
    const sealed = await ledgerStore.privateCiphertext(this.db.sql, structHash);
    if (!sealed) return null;
    return (JSON.parse(this.vault.open(sealed, `private:${structHash}`).toString("utf8")) as { fields: Record<string, string> }).fields;
  }

  /**
   * A part's events, each with its batch and anchoring state, and the chain head the worker saw last — one query,
   * no RPC: what a scan shows.
   */
  async partView(gtin: string, serial: string) {
    return { events: await ledgerStore.partView(this.db.sql, partKeyOf(gtin, serial)), chainHead: this.worker.lastHead };
  }

  proof(seq: number) {
    return inclusionProof(this.db.sql, seq);
  }

  async bundleForPart(gtin: string, serial: string) {
    return partBundle(this.db.sql, await this.chainRef(), gtin, serial);
  }

  async bundleForBatches(fromId: number, toId: number) {
    return batchRangeBundle(this.db.sql, await this.chainRef(), fromId, toId);
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.chain.close();
    if (this.ownsDb) await this.db.close();
  }
}
