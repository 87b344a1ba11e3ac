import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AnchorWorker, type FaultPoint } from "./anchoring/anchor-worker.js";
import { LifecycleWriter } from "./anchoring/lifecycle-writer.js";
import { WorkerLease } from "./anchoring/worker-lease.js";
import { Sealer } from "./batching/sealer.js";
import { ChainConnector } from "./chain/chain-connector.js";
import { GasFunder } from "./chain/gas-funder.js";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { ActorDirectory, type RegisterActorInput } from "./ledger/actors.js";
import { KeyVault, parseKeyRing } from "./ledger/key-vault.js";
import { AppError } from "./errors.js";
import { auditTrail } from "./audit/trail.js";
import { lineLog, logger } from "./log.js";
import { Ledger } from "./ledger/ledger.js";
import {
  batchRangeBundle,
  epcisForPart,
  epcisForRange,
  partBundle,
  type BundleContext,
  type UsccLookup,
} from "./proofs/bundle.js";
import { trustAnchorOf, type TrustAnchor } from "./audit/trust.js";
import { inclusionProof } from "./proofs/proofs.js";
import { ledgerStore } from "./ledger/ledger-store.js";
import { ledgerHealth } from "./health/ledger-health.js";
import { partKeyOf } from "./events/canonical.js";
import type { Hex } from "./events/bytes.js";
import type { BundleLabelKey } from "./audit/label-check.js";
import { labelKeyBinding } from "./events/label-signature.js";

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
  /** An already opened key vault (else opened from the config). */
  vault?: KeyVault;
}

/**
 * The encryption key ring: LEDGER_MASTER_KEY (an environment secret), LEDGER_KEY_FILE, or — on embedded defaults
 * only — `<DATA_DIR>/master.key`, generated on first start (`onGenerated` is told). Keys never live in the database.
 */
export function openKeyVault(config: Config, onGenerated?: (file: string) => void): KeyVault {
  if (config.LEDGER_MASTER_KEY) return new KeyVault(parseKeyRing(config.LEDGER_MASTER_KEY, "LEDGER_MASTER_KEY"));
  const file = config.LEDGER_KEY_FILE ? resolve(config.LEDGER_KEY_FILE) : join(resolve(config.DATA_DIR), "master.key");
  if (!existsSync(file)) {
    if (config.LEDGER_KEY_FILE) throw new AppError("CONFIG.INVALID_KEY", `LEDGER_KEY_FILE ${file} does not exist`, 500);
    if (config.DATABASE_URL)
      throw new AppError(
        "CONFIG.INVALID_KEY",
        "an encryption key is required with DATABASE_URL: set LEDGER_MASTER_KEY or LEDGER_KEY_FILE",
        500,
      );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `# PartLedger encryption keys: <version> <hex>; the highest version encrypts new data. Back this file up.\n1 ${randomBytes(32).toString("hex")}\n`,
      { mode: 0o600, flag: "wx" },
    );
    onGenerated?.(file);
  }
  const read = () => parseKeyRing(readFileSync(file, "utf8"), file);
  return new KeyVault(read(), read);
}

/** Adds a new, highest key version to the key file (rotation's first step); returns it. */
export function addKeyVersion(file: string): number {
  const ring = parseKeyRing(readFileSync(file, "utf8"), file);
  const version = Math.max(...ring.keys()) + 1;
  appendFileSync(file, `${version} ${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  return version;
}

/** The file a key ring is kept in, when it is kept in one (not an environment secret). */
export function keyFileOf(config: Config): string | null {
  if (config.LEDGER_MASTER_KEY) return null;
  return config.LEDGER_KEY_FILE ? resolve(config.LEDGER_KEY_FILE) : join(resolve(config.DATA_DIR), "master.key");
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
    readonly vault: KeyVault,
    readonly config: Config,
  ) {}

  static async open(opts: LedgerServiceOptions): Promise<LedgerService> {
    const { config } = opts;
    const db = opts.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
    const log = opts.log ?? lineLog("ledger");
    const vault =
      opts.vault ??
      openKeyVault(config, (file) =>
        log(
          `generated an encryption key in ${file} (embedded defaults); back it up — data encrypted under it cannot be read without it`,
        ),
      );
    const actors = new ActorDirectory(db.prisma, vault, opts.adminKey);
    const ledger = new Ledger({
      db: db.sql,
      actors,
      vault,
      chainId: opts.chainId,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const sealer = new Sealer({ db: db.sql, maxEvents: config.BATCH_MAX_EVENTS, maxAgeMs: config.BATCH_MAX_AGE_MS });
    const addresses =
      config.ANCHOR_REGISTRY_ADDRESS && config.PART_REGISTRY_ADDRESS
        ? { anchorRegistry: config.ANCHOR_REGISTRY_ADDRESS, partRegistry: config.PART_REGISTRY_ADDRESS }
        : undefined;
    const chain = new ChainConnector({
      db: db.sql,
      actors,
      url: opts.chainUrl,
      adminKey: opts.adminKey,
      local: opts.localChain,
      chainId: opts.chainId,
      addresses,
      log: opts.log ?? lineLog("chain"),
    });
    let svc: LedgerService | undefined;
    let lastCheckpoint = Date.now();
    const beforeSeal = async () => {
      // Chain the audit entries accepted since the last tick (DECISIONS 29), then checkpoint the head when due.
      await auditTrail.seal(db.sql);
      if (!svc || Date.now() - lastCheckpoint < config.AUDIT_CHECKPOINT_MS) return;
      lastCheckpoint = Date.now();
      const seq = await svc.checkpointAuditTrail();
      if (seq !== null) logger("audit").info({ auditSeq: seq }, `audit trail checkpointed at entry ${seq}`);
    };
    const funder = new GasFunder({
      db: db.sql,
      topUpWrites: config.GAS_TOPUP_WRITES,
      ...(opts.log ? { log: opts.log } : {}),
    });
    const worker = new AnchorWorker({
      beforeSeal,
      db: db.sql,
      sealer,
      chain,
      confirmationDepth: config.CONFIRMATION_DEPTH,
      lifecycle: new LifecycleWriter(db.sql, actors, funder, opts.log),
      ...(opts.fault ? { fault: opts.fault } : {}),
      log: opts.log ?? lineLog("anchor"),
      lease: WorkerLease.of(db.sql),
    });
    svc = new LedgerService(db, actors, ledger, sealer, chain, worker, !opts.database, vault, config);
    svc.deploymentBlock = config.DEPLOYMENT_BLOCK;
    return svc;
  }

  /** Registers a company and grants its role on chain (now, or when the chain is next reachable). */
  async registerCompany(input: RegisterActorInput) {
    const actor = await this.actors.register(input);
    this.chain.markActorsChanged();
    await this.chain.get().catch(() => undefined); // chain down: roles are granted when it is back
    return actor;
  }

  /** Records the audit trail's head on the ledger now (the worker does it every AUDIT_CHECKPOINT_MS). */
  async checkpointAuditTrail(): Promise<number | null> {
    if (!this.platformReady) {
      await this.actors.platform();
      this.platformReady = true;
    }
    return auditTrail.checkpoint(this.db.sql, this.ledger);
  }

  private platformReady = false;

  async chainRef() {
    const c = await this.chain.get();
    return { chainId: c.chainId, addresses: c.addresses };
  }

  /** Events on the ledger and how many wait for anchoring (the health endpoint). */
  status() {
    return ledgerStore.status(this.db.sql);
  }

  /**
   * What the ledger has not finished and since when (anchoring, on-chain lifecycle writes, audit checkpoints), each
   * past its configured threshold as a reason (the health endpoint).
   */
  health(now = Date.now()) {
    const c = this.config;
    return ledgerHealth(
      this.db.sql,
      {
        anchorLagMs: c.HEALTH_ANCHOR_LAG_MS,
        lifecycleLagMs: c.HEALTH_LIFECYCLE_LAG_MS,
        checkpointLagMs: c.HEALTH_CHECKPOINT_LAG_FACTOR * Math.max(c.AUDIT_CHECKPOINT_MS, c.WORKER_INTERVAL_MS),
      },
      now,
    );
  }

  /** The private fields of an event (e.g. an installation's VIN), decrypted; null when it has none. */
  async privateFields(structHash: Hex): Promise<Record<string, string> | null> {
    const sealed = await ledgerStore.privateCiphertext(this.db.sql, structHash);
    if (!sealed) return null;
    return (
      JSON.parse(this.vault.open(sealed, `private:${structHash}`).toString("utf8")) as {
        fields: Record<string, string>;
      }
    ).fields;
  }

  /**
   * A part's events, each with its batch and anchoring state, and the chain head the worker saw last — one query,
   * no RPC: what a scan shows.
   */
  async partView(gtin: string, serial: string) {
    return {
      events: await ledgerStore.partView(this.db.sql, partKeyOf(gtin, serial)),
      chainHead: this.worker.lastHead,
    };
  }

  proof(seq: number) {
    return inclusionProof(this.db.sql, seq);
  }

  private deploymentBlock: number | undefined;
  private trust: TrustAnchor | undefined;

  /**
   * The platform's trust anchor for the deployment in use: what `GET /.well-known/partledger-trust.json` serves and
   * what auditors pin (chain id, both registries, deployment block and its hash, the anchorer).
   */
  async trustAnchor(): Promise<TrustAnchor> {
    const c = await this.chain.get();
    if (this.trustOf !== c) {
      this.trust = await trustAnchorOf(c.provider, {
        chainId: c.chainId,
        ...c.addresses,
        anchorer: c.admin.address as Hex,
        deploymentBlock: this.deploymentBlock,
      });
      this.trustOf = c;
    }
    this.trustAt = Date.now();
    return this.trust!;
  }

  private trustOf: object | undefined;
  private trustAt = 0;

  /**
   * The chain's RPC URL a browser may use to verify bundles itself: PUBLIC_CHAIN_RPC_URL, or the local chain
   * PartLedger runs (reachable from this machine only); null otherwise — never CHAIN_RPC_URL, which may hold a key.
   */
  publicRpc(): { rpcUrl: string | null; source: "PUBLIC_CHAIN_RPC_URL" | "local-chain" | null } {
    if (this.config.PUBLIC_CHAIN_RPC_URL)
      return { rpcUrl: this.config.PUBLIC_CHAIN_RPC_URL, source: "PUBLIC_CHAIN_RPC_URL" };
    const { url, local } = this.chain.endpoint;
    return local ? { rpcUrl: url, source: "local-chain" } : { rpcUrl: null, source: null };
  }

  /** The trust anchor without a chain round trip when known in the last minute (the scan page); null if unknown. */
  async knownTrustAnchor(): Promise<TrustAnchor | null> {
    if (this.trust && Date.now() - this.trustAt < 60_000) return this.trust;
    return this.trustAnchor().catch(() => this.trust ?? null);
  }

  private async bundleContext(usccOf?: UsccLookup): Promise<BundleContext> {
    const actors = await this.actors.list();
    const labelKeyOf = async (address: Hex): Promise<BundleLabelKey | null> => {
      const actor = actors.find((a) => a.address.toLowerCase() === address.toLowerCase());
      if (!actor) return null;
      const cached = this.labelBindings.get(actor.id);
      if (cached) return cached;
      const key = await this.actors.privateKeyFor(actor.id);
      if (!key) return null;
      const bound = await labelKeyBinding(key);
      this.labelBindings.set(actor.id, bound);
      return bound;
    };
    return { chain: await this.chainRef(), actors, usccOf, labelKeyOf };
  }
  /** Each company's bound label key (deterministic: RFC 6979), signed once per process. */
  private readonly labelBindings = new Map<string, BundleLabelKey>();

  /** One part's whole history as an audit bundle; `usccOf` adds the companies' USCCs (the API's records). */
  async bundleForPart(gtin: string, serial: string, usccOf?: UsccLookup) {
    return partBundle(this.db.sql, await this.bundleContext(usccOf), gtin, serial);
  }

  async bundleForBatches(fromId: number, toId: number, usccOf?: UsccLookup) {
    return batchRangeBundle(this.db.sql, await this.bundleContext(usccOf), fromId, toId);
  }

  /** Events `fromSeq`..`toSeq` as a GS1 EPCIS 2.0 EPCISDocument. */
  epcisForRange(fromSeq: number, toSeq: number) {
    return epcisForRange(this.db.sql, fromSeq, toSeq);
  }

  /** One part's history as a GS1 EPCIS 2.0 EPCISDocument. */
  epcisForPart(gtin: string, serial: string) {
    return epcisForPart(this.db.sql, gtin, serial);
  }

  async close(): Promise<void> {
    await this.worker.stop();
    await this.chain.close();
    if (this.ownsDb) await this.db.close();
  }
}
