import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest (company signing keys, private event fields). Layout: version byte (1),
 * 12-byte IV, 16-byte tag, ciphertext. `aad` binds a ciphertext to its row so it cannot be moved to another.
 */
export class KeyVault {
  private readonly key: Buffer;

  constructor(masterKeyHex: string) {
    const hex = masterKeyHex.replace(/^0x/, "");
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError("master key must be 32 bytes of hex");
    this.key = Buffer.from(hex, "hex");
  }

  seal(plaintext: Uint8Array | string, aad: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, aad: string): Buffer {
    const buf = Buffer.from(sealed);
    if (buf[0] !== 1) throw new Error(`unknown ciphertext version ${buf[0]}`);
    const decipher = createDecipheriv("aes-256-gcm", this.key, buf.subarray(1, 13));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(buf.subarray(13, 29));
    return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
  }
}
