import { Wallet, getAddress } from "ethers";
import { labelKeysFrom, type LabelKeys } from "../events/label-signature.js";
import type { PrismaClient } from "../../../generated/prisma/client.js";
import { AppError } from "../errors.js";
import type { Hex } from "../events/bytes.js";
import { keySigner, type DigestSigner } from "../events/signing.js";
import type { ActorKind } from "../lifecycle/transitions.js";
import type { KeyVault } from "./key-vault.js";

export type LifecycleMode = "anchored" | "onchain";

/** A company as the ledger knows it. */
export interface Actor {
  id: string;
  name: string;
  kind: ActorKind;
  address: Hex;
  custodial: boolean;
  lifecycleMode: LifecycleMode;
}

export interface RegisterActorInput {
  id: string;
  name: string;
  kind: ActorKind;
  /** The company's own address when it signs itself; omitted → the platform creates and keeps a key. */
  address?: string;
  lifecycleMode?: LifecycleMode;
}

const KINDS: readonly ActorKind[] = ["manufacturer", "distributor", "repair_shop", "lender", "service_provider"];

/** The actor id under which the platform signs its own ledger events (audit checkpoints). */
export const PLATFORM_ACTOR = "platform";

/** Registry of acting companies, their chain identities and (when kept by the platform) their signing keys. */
export class ActorDirectory {
  private readonly cache = new Map<string, Actor>();

  /** `platformKey`: the platform's own key (the anchorer's), which signs audit checkpoints as actor "platform". */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly vault: KeyVault,
    private readonly platformKey?: string,
  ) {}

  /** The platform's own actor (id "platform"), created or re-pointed at the configured key's address. */
  async platform(): Promise<Actor> {
    if (!this.platformKey) throw new Error("no platform key configured");
    const address = new Wallet(this.platformKey).address as Hex;
    const row = await this.prisma.ledgerActor.upsert({
      where: { id: PLATFORM_ACTOR },
      create: {
        id: PLATFORM_ACTOR,
        name: "PartLedger platform",
        kind: "platform",
        address,
        keyCiphertext: null,
        lifecycleMode: "anchored",
      },
      update: { address },
    });
    const actor = this.toActor(row);
    this.cache.set(actor.id, actor);
    return actor;
  }

  async register(input: RegisterActorInput): Promise<Actor> {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(input.id)) {
      throw new AppError(
        "LEDGER.INVALID_ACTOR",
        `id must be 1-64 letters, digits or _.:- , got ${JSON.stringify(input.id)}`,
        400,
        { field: "id" },
      );
    }
    if (!KINDS.includes(input.kind) || input.id === PLATFORM_ACTOR) {
      throw new AppError(
        "LEDGER.INVALID_ACTOR",
        `kind must be one of ${KINDS.join(", ")}, got ${JSON.stringify(input.kind)}`,
        400,
        { field: "kind" },
      );
    }
    const existing = await this.prisma.ledgerActor.findUnique({ where: { id: input.id } });
    if (existing)
      throw new AppError("LEDGER.ACTOR_EXISTS", `company ${input.id} is already registered`, 409, { field: "id" });
    let address: Hex;
    let keyCiphertext: Uint8Array<ArrayBuffer> | null = null;
    if (input.address) {
      try {
        address = getAddress(input.address) as Hex;
      } catch {
        throw new AppError(
          "LEDGER.INVALID_ACTOR",
          `address must be a 0x EVM address, got ${JSON.stringify(input.address)}`,
          400,
          { field: "address" },
        );
      }
    } else {
      const wallet = Wallet.createRandom();
      address = wallet.address as Hex;
      keyCiphertext = new Uint8Array(
        this.vault.seal(Buffer.from(wallet.privateKey.slice(2), "hex"), `actor-key:${input.id}`),
      );
    }
    const row = await this.prisma.ledgerActor.create({
      data: {
        id: input.id,
        name: input.name,
        kind: input.kind,
        address,
        keyCiphertext,
        lifecycleMode: input.lifecycleMode ?? "anchored",
      },
    });
    return this.toActor(row);
  }

  async get(id: string): Promise<Actor> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const row = await this.prisma.ledgerActor.findUnique({ where: { id } });
    if (!row)
      throw new AppError("LEDGER.UNKNOWN_ACTOR", `no company with id ${JSON.stringify(id)} is registered`, 404, {
        field: "actorId",
      });
    const actor = this.toActor(row);
    this.cache.set(id, actor);
    return actor;
  }

  async list(): Promise<Actor[]> {
    return (await this.prisma.ledgerActor.findMany({ orderBy: { createdAt: "asc" } })).map((r) => this.toActor(r));
  }

  /** The platform-kept signer of `id`; null when the company signs itself. */
  async signerFor(id: string): Promise<DigestSigner | null> {
    if (id === PLATFORM_ACTOR && this.platformKey) return keySigner(this.platformKey);
    const row = await this.prisma.ledgerActor.findUnique({ where: { id } });
    if (!row?.keyCiphertext) return null;
    return keySigner("0x" + this.vault.open(row.keyCiphertext, `actor-key:${id}`).toString("hex"));
  }

  /** The platform-kept private key (for sending a company's own on-chain lifecycle transactions). */
  async privateKeyFor(id: string): Promise<string | null> {
    const row = await this.prisma.ledgerActor.findUnique({ where: { id } });
    return row?.keyCiphertext ? "0x" + this.vault.open(row.keyCiphertext, `actor-key:${id}`).toString("hex") : null;
  }

  /** The company's label keys (derived from its platform-kept key); null when it keeps its own key. */
  async labelKeysOf(id: string): Promise<LabelKeys | null> {
    const key = await this.privateKeyFor(id);
    return key ? labelKeysFrom(key) : null;
  }

  private toActor(row: {
    id: string;
    name: string;
    kind: string;
    address: string;
    keyCiphertext: Uint8Array | null;
    lifecycleMode: string;
  }): Actor {
    return {
      id: row.id,
      name: row.name,
      kind: row.kind as ActorKind,
      address: row.address as Hex,
      custodial: row.keyCiphertext !== null,
      lifecycleMode: row.lifecycleMode as LifecycleMode,
    };
  }
}
