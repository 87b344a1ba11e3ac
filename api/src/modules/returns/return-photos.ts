import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { AppError, logger } from "../../../../ledger-service/src/index.js";

export const PHOTO_MEDIA = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoMedia = (typeof PHOTO_MEDIA)[number];
export const MAX_PHOTOS_PER_RETURN = 10;

/** The media type the bytes are, by their signature (magic bytes); null when none of JPEG, PNG, WebP. */
export function sniff(b: Buffer): PhotoMedia | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP")
    return "image/webp";
  return null;
}

const EXT: Record<PhotoMedia, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

/**
 * Reads an upload's body up to `maxBytes`, refusing more (413) without reading the rest into memory, and checks
 * that it is what its Content-Type says and one of the accepted kinds by its first bytes (415 otherwise).
 */
export async function readPhoto(body: Readable, declared: string | undefined, length: string | undefined, max: number) {
  const type = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  if (!(PHOTO_MEDIA as readonly string[]).includes(type))
    throw new AppError(
      "RETURN.PHOTO_TYPE",
      `Content-Type: a photo is sent as ${PHOTO_MEDIA.join(", ")}, got ${type || "none"}`,
      415,
      { field: "Content-Type" },
    );
  const tooLarge = () =>
    new AppError("RETURN.PHOTO_TOO_LARGE", `a photo is at most ${max} bytes`, 413, { field: "body", max });
  if (length !== undefined && Number(length) > max) {
    body.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  if (!bytes.length) throw new AppError("RETURN.PHOTO_EMPTY", "body: the photo is empty", 400, { field: "body" });
  const media = sniff(bytes);
  if (!media)
    throw new AppError(
      "RETURN.PHOTO_TYPE",
      "body: the bytes are not a JPEG, PNG or WebP picture (their signature says otherwise)",
      415,
      { field: "body" },
    );
  if (media !== type)
    throw new AppError("RETURN.PHOTO_TYPE", `body: Content-Type says ${type}, the bytes are ${media}`, 415, {
      field: "Content-Type",
    });
  return { bytes, media, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * Where photo bytes live (DECISIONS 104, 118): a directory (`DirPhotoStore`) or an S3-compatible bucket
 * (`S3PhotoStore`), chosen by configuration. Keys are `<return id>/<photo id>.<ext>`; each photo has its own key, so
 * removing one never touches another. A store that cannot do its part throws `RETURN.PHOTO_STORE_UNAVAILABLE` (503).
 */
export interface PhotoStore {
  /** What the store is, for messages and the log: "directory /var/x", "S3 bucket b at http://…". */
  readonly where: string;
  /** Writes the whole object under `key` (never a part of it). */
  put(key: string, media: PhotoMedia, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Removes `key`; a key that is not there is not an error. */
  remove(key: string): Promise<void>;
}

export const photoKey = (returnId: string, photoId: string, media: PhotoMedia) =>
  `${returnId}/${photoId}.${EXT[media]}`;

/** The 503 a store answers when it cannot write, read or reach its storage. */
export function storeUnavailable(where: string, what: string, cause: unknown) {
  const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
  return new AppError(
    "RETURN.PHOTO_STORE_UNAVAILABLE",
    `the photo store (${where}) could not ${what}: ${reason}; try again later`,
    503,
  );
}

/** Photo files under a directory: `<dir>/<key>`, written whole (temporary file, then rename). */
export class DirPhotoStore implements PhotoStore {
  readonly where: string;
  constructor(readonly dir: string) {
    this.where = `directory ${dir}`;
  }

  async put(key: string, _media: PhotoMedia, bytes: Buffer) {
    const file = join(this.dir, key);
    try {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o640 });
      await rename(tmp, file);
    } catch (e) {
      throw storeUnavailable(this.where, `write ${key}`, e);
    }
  }

  async get(key: string) {
    try {
      return await readFile(join(this.dir, key));
    } catch (e) {
      throw storeUnavailable(this.where, `read ${key}`, e);
    }
  }

  async remove(key: string) {
    await unlink(join(this.dir, key)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT")
        logger("return-photos").warn({ err: e, key }, `${this.where}: could not remove ${key}; it stays an orphan`);
    });
  }
}
