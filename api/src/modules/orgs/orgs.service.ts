import { createHash, randomBytes } from "node:crypto";
import { AppError, type LedgerService } from "../../../../ledger-service/src/index.js";
import type { CompanyRow, OrgsRepository } from "./orgs.repository.js";
import type { RegisterCompany } from "./orgs.schema.js";
import { assertUscc } from "./uscc.js";

export type Company = CompanyRow & {
  address: string;
  custodial: boolean;
  /** Ed25519 public key (base64url) that verifies this company's labels offline; null when it keeps its own key. */
  labelPublicKey: string | null;
};

const hashKey = (key: string) => new Uint8Array(createHash("sha256").update(key).digest());

/**
 * Companies: registered by the platform operator, each with an API key (shown once, stored as a hash) and a
 * chain identity granted its role on chain through the ledger.
 */
export class OrgsService {
  private readonly byKey = new Map<string, Company>();

  constructor(
    private readonly repo: OrgsRepository,
    private readonly ledger: LedgerService,
  ) {}

  async register(input: RegisterCompany): Promise<{ company: Company; apiKey: string }> {
    assertUscc(input.uscc, "uscc");
    if (await this.repo.byUscc(input.uscc)) throw new AppError("ORG.EXISTS", `a company with uscc ${input.uscc} is already registered`, 409, { field: "uscc" });
    const apiKey = `pl_${randomBytes(32).toString("base64url")}`;
    const id = `c_${randomBytes(8).toString("hex")}`;
    const row = await this.repo.create({
      id, name: input.name, uscc: input.uscc, kind: input.kind, regionCode: input.regionCode, lng: input.location.lng, lat: input.location.lat,
      apiKeyPrefix: apiKey.slice(0, 10), apiKeyHash: hashKey(apiKey),
    });
    let actor;
    try {
      actor = await this.ledger.registerCompany({ id, name: input.name, kind: input.kind, address: input.address, lifecycleMode: input.lifecycleMode });
    } catch (e) {
      await this.repo.delete(id); // compensate: no company without its chain identity
      throw e;
    }
    return { company: await this.withChainIdentity(row), apiKey };
  }

  /** The company holding `apiKey`, or null. */
  async authenticate(apiKey: string): Promise<Company | null> {
    const hit = this.byKey.get(apiKey);
    if (hit) return hit;
    const row = await this.repo.byKeyHash(hashKey(apiKey));
    if (!row) return null;
    const company = await this.withChainIdentity(row);
    this.byKey.set(apiKey, company);
    return company;
  }

  async get(id: string): Promise<Company> {
    const row = await this.repo.byId(id);
    if (!row) throw new AppError("ORG.UNKNOWN", `no company ${id}`, 404);
    return this.withChainIdentity(row);
  }

  private async withChainIdentity(row: CompanyRow): Promise<Company> {
    const actor = await this.ledger.actors.get(row.id);
    const labelKeys = await this.ledger.actors.labelKeysOf(row.id);
    return { ...row, address: actor.address, custodial: actor.custodial, labelPublicKey: labelKeys?.publicKeyB64 ?? null };
  }
}
