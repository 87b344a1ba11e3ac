import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { AppError } from "../errors.js";

/** Key version → 32-byte AES key. */
export type KeyRing = ReadonlyMap<number, Buffer>;

/**
 * Parses a key ring: a bare 64-hex key (version 1), `1:<hex>,2:<hex>` (an environment secret) or a file of lines
 * `<version> <hex>` (`#` starts a comment). The highest version encrypts new data; every version decrypts.
 */
export function parseKeyRing(text: string, source: string): Map<number, Buffer> {
  const ring = new Map<number, Buffer>();
  const bare = text.trim().replace(/^0x/, "");
  if (/^[0-9a-fA-F]{64}$/.test(bare)) return ring.set(1, Buffer.from(bare, "hex"));
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
  for (const entry of entries) {
    const m = /^(\d{1,5})\s*[:\s]\s*(?:0x)?([0-9a-fA-F]{64})$/.exec(entry);
    if (!m)
      throw new AppError(
        "CONFIG.INVALID_KEY",
        `${source}: expected "<version> <64 hex characters>" per key, got ${JSON.stringify(entry.slice(0, 12) + "…")}`,
        500,
      );
    const version = Number(m[1]);
    if (version < 1 || version > 65_535 || ring.has(version))
      throw new AppError(
        "CONFIG.INVALID_KEY",
        `${source}: key version ${version} is out of range 1-65535 or given twice`,
        500,
      );
    ring.set(version, Buffer.from(m[2]!, "hex"));
  }
  if (ring.size === 0) throw new AppError("CONFIG.INVALID_KEY", `${source} holds no key`, 500);
  return ring;
}

const FORMAT_V1 = 1; // [1][iv 12][tag 16][body] — key version 1 (before key versions existed)
const FORMAT_V2 = 2; // [2][key version u16][iv 12][tag 16][body]

/**
 * AES-256-GCM for secrets and personal data at rest (company signing keys, private event fields, phone numbers,
 * VINs …) under versioned keys from configuration, never from the database. `aad` binds a ciphertext to its row and
 * field so it cannot be moved to another. Also computes keyed blind indexes (HMAC-SHA256 under a key derived from
 * each encryption key) so an encrypted field can be searched for equality without decrypting.
 */
export class KeyVault {
  private ring: Map<number, Buffer>;
  private readonly indexKeys = new Map<number, Buffer>();

  /** `reload` re-reads the key source when a ciphertext names a version not yet known (a key added during rotation). */
  constructor(
    ring: KeyRing | string,
    private readonly reload?: () => KeyRing,
  ) {
    this.ring = new Map(typeof ring === "string" ? parseKeyRing(ring, "master key") : ring);
    if (this.ring.size === 0) throw new RangeError("the key ring is empty");
  }

  /** Re-reads the key source (a key file): a key added for rotation is used from now on. No-op for an environment secret. */
  refresh(): void {
    if (!this.reload) return;
    this.ring = new Map(this.reload());
    this.refreshedAt = Date.now();
  }

  private refreshedAt = Date.now();

  /** The version new ciphertexts are written under (the highest). */
  get currentVersion(): number {
    if (this.reload && Date.now() - this.refreshedAt > 30_000) this.refresh();
    return Math.max(...this.ring.keys());
  }

  get versions(): number[] {
    if (this.reload && Date.now() - this.refreshedAt > 30_000) this.refresh();
    return [...this.ring.keys()].sort((a, b) => b - a);
  }

  seal(plaintext: Uint8Array | string, aad: string): Buffer {
    const version = this.currentVersion;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.ring.get(version)!, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const head = Buffer.from([FORMAT_V2, version >> 8, version & 0xff]);
    return Buffer.concat([head, iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, aad: string): Buffer {
    const buf = Buffer.from(sealed);
    const version = KeyVault.versionOf(buf);
    const at = buf[0] === FORMAT_V1 ? 1 : 3;
    const decipher = createDecipheriv("aes-256-gcm", this.key(version), buf.subarray(at, at + 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(buf.subarray(at + 12, at + 28));
    return Buffer.concat([decipher.update(buf.subarray(at + 28)), decipher.final()]);
  }

  openText(sealed: Uint8Array, aad: string): string {
    return this.open(sealed, aad).toString("utf8");
  }

  /** The key version a ciphertext was written under. */
  static versionOf(sealed: Uint8Array): number {
    if (sealed[0] === FORMAT_V1) return 1;
    if (sealed[0] === FORMAT_V2 && sealed.length >= 31) return (sealed[1]! << 8) | sealed[2]!;
    throw new Error(`unknown ciphertext format ${sealed[0]}`);
  }

  /** The blind index of `value` for `purpose` (e.g. "user.mobile") under the current key. */
  blindIndex(purpose: string, value: string): Buffer {
    return this.blindIndexUnder(this.currentVersion, purpose, value);
  }

  /** The blind index under every key version, current first: a search matches rows not yet rotated too. */
  blindIndexes(purpose: string, value: string): Buffer[] {
    return this.versions.map((v) => this.blindIndexUnder(v, purpose, value));
  }

  private blindIndexUnder(version: number, purpose: string, value: string): Buffer {
    let k = this.indexKeys.get(version);
    if (!k) {
      k = Buffer.from(hkdfSync("sha256", this.key(version), Buffer.alloc(0), "partledger blind index v1", 32));
      this.indexKeys.set(version, k);
    }
    return createHmac("sha256", k).update(`${purpose}\0${value}`).digest();
  }

  private key(version: number): Buffer {
    let key = this.ring.get(version);
    if (!key && this.reload) {
      this.ring = new Map(this.reload());
      key = this.ring.get(version);
    }
    if (!key)
      throw new AppError(
        "CRYPTO.KEY_MISSING",
        `data is encrypted under key version ${version}, which the configured key ring does not hold`,
        500,
      );
    return key;
  }
}
