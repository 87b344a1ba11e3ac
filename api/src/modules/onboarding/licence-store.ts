import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../../../../ledger-service/src/index.js";

/** Business-licence scans (营业执照): JPEG, PNG or PDF, at most this many bytes. */
export const LICENCE_MAX_BYTES = 5 * 1024 * 1024;
export const LICENCE_TYPES = ["image/jpeg", "image/png", "application/pdf"] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];
const EXT: Record<LicenceType, string> = { "image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf" };

/** What the first bytes of a file say it is (the declared Content-Type must agree): null when none of ours. */
export function sniffLicence(head: Uint8Array): LicenceType | null {
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  return null;
}

/** Checks a licence upload: declared type one of ours, size within the cap, content matching the type. */
export function checkLicence(declared: string | undefined, body: Uint8Array): LicenceType {
  const type = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(LICENCE_TYPES as readonly string[]).includes(type))
    throw new AppError(
      "ONBOARDING.LICENCE_TYPE",
      "a business licence is sent as image/jpeg, image/png or application/pdf, " +
        `got Content-Type ${JSON.stringify(type)}`,
      415,
      { field: "licence", received: type, expected: LICENCE_TYPES },
    );
  if (body.length === 0)
    throw new AppError("ONBOARDING.LICENCE_EMPTY", "the business licence file is empty", 400, { field: "licence" });
  if (body.length > LICENCE_MAX_BYTES) throw tooLarge(body.length);
  const sniffed = sniffLicence(body.subarray(0, 8));
  if (sniffed !== type)
    throw new AppError(
      "ONBOARDING.LICENCE_CONTENT",
      `the file is declared ${type} but its content is ${sniffed ?? "none of JPEG, PNG or PDF"}`,
      415,
      { field: "licence", received: sniffed, expected: type },
    );
  return type as LicenceType;
}

export const tooLarge = (bytes: number) =>
  new AppError(
    "ONBOARDING.LICENCE_TOO_LARGE",
    `a business licence may be at most ${LICENCE_MAX_BYTES / 1024 / 1024} MB, got ${bytes} bytes or more`,
    413,
    { field: "licence", limit: LICENCE_MAX_BYTES },
  );

export interface StoredLicence {
  sha256: string;
  type: LicenceType;
  bytes: number;
}

/**
 * Licence files under `<DATA_DIR>/uploads/licences/`, named by their SHA-256 (DECISIONS 98): the same file stored
 * twice is one file, a retry writes nothing new, and a file whose registration failed is harmless (nothing refers to
 * it). Written to a temporary name and renamed, so a half-written file never carries the final name.
 */
export class LicenceStore {
  /** `dataDir` is read when a file is first stored or read (the route declarations are built without a config). */
  constructor(private readonly dataDir: () => string) {}

  private get dir(): string {
    return join(this.dataDir(), "uploads", "licences");
  }

  async put(type: LicenceType, body: Uint8Array): Promise<StoredLicence> {
    const sha256 = createHash("sha256").update(body).digest("hex");
    const file = join(this.dir, `${sha256}.${EXT[type]}`);
    await mkdir(this.dir, { recursive: true });
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body, { mode: 0o600 });
      await rename(tmp, file);
    }
    return { sha256, type, bytes: body.length };
  }

  /** The stored file with this hash, or null. */
  async find(sha256: string): Promise<StoredLicence | null> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
    for (const type of LICENCE_TYPES) {
      const s = await stat(join(this.dir, `${sha256}.${EXT[type]}`)).catch(() => null);
      if (s) return { sha256, type, bytes: s.size };
    }
    return null;
  }

  async read(l: { sha256: string; type: string }): Promise<Buffer> {
    return readFile(join(this.dir, `${l.sha256}.${EXT[l.type as LicenceType]}`));
  }
}
